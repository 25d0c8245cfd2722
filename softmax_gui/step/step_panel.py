"""Taking the step: the learning rate, the buttons, and what the step changed — the weights
(``ΔW`` as ten images) and the probabilities of the same inputs after it."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from engine import StepExplanation, TrainConfig
from softmax_gui.step.accessible import set_description
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

FORMULA = "W ← W − η · ∂J/∂W, &nbsp; b ← b − η · ∂J/∂b &nbsp; " + code(
    "W = W - lr * dW;  b = b - lr * db"
)
HINT = str(
    QT_TRANSLATE_NOOP(
        "StepPanel", "Take a step to see how the weights and the probabilities change."
    )
)


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
        self.lr.setToolTip(
            self.tr("η, the learning rate: the step is η times the gradient, downhill")
        )
        self.lr.setAccessibleName(self.tr("Learning rate η"))
        self.lr.setMinimumWidth(spin_width(self.lr))
        self.step_button = QPushButton(self.tr("Take the &step"))
        self.step_button.setToolTip(self.tr("Take one step of gradient descent on these inputs"))
        self.apply_button = QPushButton(self.tr("&Apply to the current model"))
        self.apply_button.setToolTip(self.tr("Make the stepped model the app's current model"))
        self.discard_button = QPushButton(self.tr("Dis&card"))
        self.discard_button.setToolTip(self.tr("Forget the steps: back to the current model"))
        # wrapped: a Chinese status is wider than a narrow window; it changes once a step
        self.status = QLabel(QCoreApplication.translate("StepPanel", HINT))
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Step status"))
        self.formula = QLabel(self.tr("<b>The step</b> &nbsp; {formula}").format(formula=FORMULA))
        self.change_title = QLabel()
        self.change_title.setWordWrap(True)
        self.change = GradientImages("ΔW")
        self.change.set_accessible_name(
            self.tr("The change of the weights ΔW: ten images, one per class"),
            self.tr(
                "Arrow keys move the cursor over the pixels, Page Up and Page Down change the "
                "class."
            ),
        )
        self.after_title = QLabel()
        self.after = StageGrid()
        self.after.setAccessibleName(self.tr("The probabilities before and after the step"))
        self.after_loss = QLabel()
        self.after_loss.setTextFormat(Qt.TextFormat.RichText)

        buttons = QHBoxLayout()
        lr_label = QLabel(self.tr("η ="))
        lr_label.setBuddy(self.lr)
        buttons.addWidget(lr_label)
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
        self.step_button.setText(self.tr("&Step again") if steps else self.tr("Take the &step"))
        self.apply_button.setEnabled(steps > 0)
        self.discard_button.setEnabled(steps > 0)

    def show_effect(
        self, step: StepExplanation, steps: int, i: int, what: str, names: Sequence[str]
    ) -> None:
        """What step number ``steps`` changed; the probabilities of example ``i``."""
        self.status.setText(
            self.tr(
                "Step {n} taken on {what}, not applied yet: J {before} → {after}. Step again, "
                "apply or discard."
            ).format(n=steps, what=what, before=f"{step.loss:.4g}", after=f"{step.loss_after:.4g}")
        )
        set_description(self.status, self.status.text())
        self.change_title.setText(
            self.tr("{summary} Vermillion (+): the weight grew; blue (−): it shrank.").format(
                summary=weight_change_summary(step)
            )
        )
        single = step.n_examples == 1
        self.change.show_array(
            step.weight_change,
            names,
            true=int(step.labels[0]) if single else None,
            predicted=int(step.predicted[0]) if single else None,
            input_map=step.model_after.input_map,
        )
        if step.n_examples > 1:
            title = self.tr("<b>The probabilities of example {i} of the batch after the step</b>")
        else:
            title = self.tr("<b>The probabilities of the same input after the step</b>")
        self.after_title.setText(title.format(i=i))
        true = int(step.labels[i])
        self.after.set_rows(names, after_rows(step, i), tinted=true, marks=class_marks(true, None))
        self.after_loss.setText(after_loss_html(step, i))
        for widget in self._effect_widgets():
            widget.show()
        self.show_pending(steps)

    def hide_effect(self, message: str | None = None) -> None:
        """No step on show: ``message`` instead (None: how to take one)."""
        self.status.setText(
            QCoreApplication.translate("StepPanel", HINT) if message is None else message
        )
        set_description(self.status, self.status.text())
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
