"""Taking the step: the learning rate, the buttons, and what the step changed — the weights
(``ΔW`` as ten images) and the probabilities of the same inputs after it."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from engine import StepExplanation, TrainConfig
from softmax_gui.step.formula_view import (
    after_loss_html,
    after_rows,
    class_marks,
    code,
    weight_change_summary,
)
from softmax_gui.step.gradient_images import GradientImages
from softmax_gui.step.stage_grid import StageGrid
from softmax_gui.train.controls import SciSpinBox

FORMULA = "<b>The step</b> &nbsp; W ← W − η · ∂J/∂W, &nbsp; b ← b − η · ∂J/∂b &nbsp; " + code(
    "W = W - lr * dW;  b = b - lr * db"
)
HINT = "Take a step to see how the weights and the probabilities change."


#: Spin boxes for rates are this wide in digits (plus their arrows): "0.0001" fits.
SPIN_DIGITS = 8


def spin_width(spin: QWidget) -> int:
    """A width that shows a rate like ``0.0001`` in full beside the arrows."""
    return spin.fontMetrics().horizontalAdvance("0" * SPIN_DIGITS) + 2 * spin.fontMetrics().height()


class StepPanel(QWidget):
    """The learning rate, Take the step / Apply / Discard, and the step's effect."""

    step_requested = Signal()
    apply_requested = Signal()
    discard_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lr = SciSpinBox(1e-6, 1e3)
        self.lr.setValue(TrainConfig().lr)
        self.lr.setToolTip("η, the learning rate: the step is η times the gradient, downhill")
        self.lr.setMinimumWidth(spin_width(self.lr))
        self.step_button = QPushButton("Take the step")
        self.apply_button = QPushButton("Apply to the current model")
        self.apply_button.setToolTip("Make the stepped model the app's current model")
        self.discard_button = QPushButton("Discard")
        self.discard_button.setToolTip("Forget the steps: back to the current model")
        self.status = QLabel(HINT)  # one line, not wrapped: it changes at every step
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.formula = QLabel(FORMULA)
        self.change_title = QLabel()
        self.change = GradientImages("ΔW")
        self.after_title = QLabel()
        self.after = StageGrid()
        self.after_loss = QLabel()
        self.after_loss.setTextFormat(Qt.TextFormat.RichText)

        buttons = QHBoxLayout()
        buttons.addWidget(QLabel("η ="))
        buttons.addWidget(self.lr)
        for button in (self.step_button, self.apply_button, self.discard_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.formula)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addWidget(self.change_title)
        layout.addWidget(self.change)
        layout.addWidget(self.after_title)
        layout.addWidget(self.after)
        layout.addWidget(self.after_loss)
        self.step_button.clicked.connect(self.step_requested)
        self.apply_button.clicked.connect(self.apply_requested)
        self.discard_button.clicked.connect(self.discard_requested)
        self.show_pending(0)
        self.hide_effect()

    def show_pending(self, steps: int) -> None:
        """``steps`` steps taken and not applied: enable Apply/Discard when there are any."""
        self.step_button.setText("Step again" if steps else "Take the step")
        self.apply_button.setEnabled(steps > 0)
        self.discard_button.setEnabled(steps > 0)

    def show_effect(
        self, step: StepExplanation, steps: int, i: int, what: str, names: Sequence[str]
    ) -> None:
        """What step number ``steps`` changed; the probabilities of example ``i``."""
        self.status.setText(
            f"Step {steps} taken on {what}, not applied yet: J {step.loss:.4g} → "
            f"{step.loss_after:.4g}. Step again, apply or discard."
        )
        self.change_title.setText(
            weight_change_summary(step) + " Red: the weight grew; blue: it shrank."
        )
        single = step.n_examples == 1
        self.change.show_array(
            step.weight_change,
            names,
            true=int(step.labels[0]) if single else None,
            predicted=int(step.predicted[0]) if single else None,
            input_map=step.model_after.input_map,
        )
        example = f"example {i} of the batch" if step.n_examples > 1 else "the same input"
        self.after_title.setText(f"<b>The probabilities of {example} after the step</b>")
        true = int(step.labels[i])
        self.after.set_rows(names, after_rows(step, i), tinted=true, marks=class_marks(true, None))
        self.after_loss.setText(after_loss_html(step, i))
        for widget in self._effect_widgets():
            widget.show()
        self.show_pending(steps)

    def hide_effect(self, message: str = HINT) -> None:
        """No step on show: ``message`` instead."""
        self.status.setText(message)
        for widget in self._effect_widgets():
            widget.hide()

    def _effect_widgets(self) -> tuple[QWidget, ...]:
        return (
            self.change_title,
            self.change,
            self.after_title,
            self.after,
            self.after_loss,
        )
