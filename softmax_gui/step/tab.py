"""Inside one step: the arithmetic of softmax regression with the numbers plugged in.

Pick an input (the drawing, a test image, a random mini-batch), and see the scores, the
stable softmax, the one-hot label, the loss, the gradient images and one step of gradient
descent, each beside its formula and its NumPy line. Every number comes from one
:func:`engine.explain_step` record; the tab computes nothing itself. A record for m ≤ 100
examples and its display take a few milliseconds, so all of it runs on the UI thread.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

import engine
from softmax_gui.step.source import Source, SourcePicker
from softmax_gui.step.stages_view import StagesView, section
from softmax_gui.step.step_panel import StepPanel, spin_width
from softmax_gui.train.controls import SciSpinBox

#: Returns the Draw tab's 28×28 model input (floats in [0, 1]), or None for an empty page.
DrawingSource = Callable[[], "np.ndarray | None"]


class StepTab(QWidget):
    """Every stage of one gradient step on an input the learner picks."""

    #: (the stepped model, how it was made): make it the app's current model.
    apply_requested = Signal(object, str)

    def __init__(self, drawing: DrawingSource, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._drawing = drawing
        self._model: engine.SoftmaxModel | None = None
        self._data: engine.Dataset | None = None
        self._names: tuple[str, ...] = engine.DIGIT_NAMES
        self._X: np.ndarray | None = None  # (m, 784) the images the step looks at
        self._y: np.ndarray | None = None  # (m,)
        self._what = ""
        self._last_drawing: np.ndarray | None = None
        self._batch: tuple[np.ndarray, np.ndarray] | None = None
        self._pending: engine.SoftmaxModel | None = None  # stepped, not applied
        self._steps = 0
        self._last_step: engine.StepExplanation | None = None  # the step taken last
        self._stepped_on: np.ndarray | None = None  # the inputs it was taken on
        self.step: engine.StepExplanation | None = None  # the record on show
        self._rng = np.random.default_rng()
        self._build()
        self.picker.changed.connect(self.refresh)
        self.picker.reroll.connect(self._reroll)
        self.picker.label_chosen.connect(self._explain)
        self.l2.valueChanged.connect(self._explain)
        self.view.example.valueChanged.connect(self._show_example)
        self.view.gradient.weight_clicked.connect(self.show_derivative)
        self.view.bias_gradient.column_clicked.connect(lambda j: self.show_derivative(None, j))
        self.step_panel.step_requested.connect(self.take_step)
        self.step_panel.apply_requested.connect(self.apply)
        self.step_panel.discard_requested.connect(self.discard)

    def _build(self) -> None:
        self.picker = SourcePicker()
        self.l2 = SciSpinBox(0.0, 10.0)
        self.l2.setToolTip("λ, the L2 penalty: J adds λ/2·‖W‖², and the gradient λW")
        self.l2.setMinimumWidth(spin_width(self.l2))
        top = QHBoxLayout()
        top.addWidget(self.picker, 1)
        top.addWidget(QLabel("L2 λ ="))
        top.addWidget(self.l2)
        self.caption = QLabel()
        self.caption.setTextFormat(Qt.TextFormat.PlainText)

        self.view = StagesView()
        self.step_panel = StepPanel()
        self.sections = [
            *self.view.sections,
            section("4 · One step of gradient descent", self.step_panel),
        ]
        body = QWidget()
        column = QVBoxLayout(body)
        column.addWidget(self.view)
        column.addWidget(self.sections[-1])
        column.addStretch(1)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setWidget(body)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.caption)
        layout.addWidget(self.scroll_area, 1)

    # --- public interface --------------------------------------------------------------
    def set_model(self, model: engine.SoftmaxModel | None) -> None:
        """Explain ``model`` (the app's current one) from now on; unapplied steps are dropped."""
        self._model = model
        self._names = engine.DIGIT_NAMES if model is None else model.class_names
        self.picker.set_class_names(self._names)
        dropped = self._pending is not None
        self._forget_steps()
        if dropped:
            self.step_panel.hide_effect("The current model changed: the unapplied steps are gone.")
        self.refresh()  # the drawing keeps the label the learner gave it

    def set_dataset(self, data: engine.Dataset) -> None:
        """Take test images and mini-batches from ``data``."""
        self._data, self._batch = data, None
        self.picker.set_test_count(data.X_test.shape[0])
        self.refresh()

    def pending_model(self) -> engine.SoftmaxModel | None:
        """The stepped model not yet applied, if any."""
        return self._pending

    @property
    def last_step(self) -> engine.StepExplanation | None:
        """The record of the last step taken and not yet applied or discarded."""
        return self._last_step

    def refresh(self) -> None:
        """Read the chosen inputs again and explain a step on them."""
        try:
            message = self._read_inputs()
        except ValueError as exc:  # a model that does not read these images
            message = f"Cannot explain a step here: {exc}"
        if message is not None:
            self._show_unavailable(message)
            return
        for box in self.sections:
            box.setEnabled(True)
        self._explain()

    def take_step(self) -> None:
        """Take one step of size η on the inputs (again, from the stepped model)."""
        if self._X is None or self._model is None:
            return
        self._explain()  # the stages show the model the step starts from
        if self.step is None:
            return
        self._last_step, self._stepped_on = self.step, self._X
        self._pending, self._steps = self.step.model_after, self._steps + 1
        self._show_effect()

    def apply(self) -> None:
        """Hand the stepped model to the app as its current model."""
        if self._pending is None:
            return
        model, steps = self._pending, self._steps
        how = f"{steps} step{'s' if steps > 1 else ''} by hand on {self._what}"
        self._forget_steps()
        self.apply_requested.emit(model, how)
        self.step_panel.hide_effect(f"Applied {how}.")

    def discard(self) -> None:
        """Forget the steps: explain the current model again."""
        self._forget_steps()
        self._explain()
        self.step_panel.hide_effect("Discarded: back to the current model.")

    def show_derivative(self, i: int | None, j: int) -> None:
        """Weight ``W[i, j]``'s (bias ``b[j]``'s for ``i`` None) analytic derivative beside
        its finite difference."""
        if self.step is not None:
            self.view.show_derivative(self.step, i, j, self._names)

    def showEvent(self, event: QShowEvent) -> None:
        """The drawing may have changed on the Draw tab: read it again."""
        super().showEvent(event)
        if self.picker.source() is Source.DRAWING:
            self.refresh()

    # --- inputs ------------------------------------------------------------------------
    def _read_inputs(self) -> str | None:
        """Set the inputs from the chosen source; a message when there are none."""
        source, model, data = self.picker.source(), self._model, self._data
        self.picker.label.setEnabled(source is Source.DRAWING)
        if model is None:
            return "No model yet: train one, or open one from the File menu."
        if source is Source.DRAWING:
            x = self._drawing()
            if x is None:
                return "The Draw tab's page is empty: draw a digit there, or pick a test image."
            if self._last_drawing is None or not np.array_equal(x, self._last_drawing):
                # a new drawing: start from the label the model reads; the learner corrects it
                self.picker.set_label(int(model.predict(x.ravel())[0]))
                self._last_drawing = x
            self._X = x.reshape(1, -1).astype(np.float32)
            self._y = np.array([self.picker.label.currentIndex()])
            self._what = "the drawing"
            return None
        if data is None:
            return "No dataset loaded yet (Train tab)."
        if source is Source.TEST_IMAGE:
            i = self.picker.index.value()
            self._X, self._y = data.X_test[i : i + 1], data.y_test[i : i + 1]
            self._what = f"test image #{i:,}"
            return None
        if self._batch is None or self._batch[0].shape[0] != self.picker.batch_size.value():
            X, y, _ = engine.training_batch(data, self.picker.batch_size.value(), self._rng)
            self._batch = (X, y)
        self._X, self._y = self._batch
        self._what = f"a mini-batch of {self._X.shape[0]} training images"
        return None

    def _reroll(self) -> None:
        if self._data is None:
            return
        if self.picker.source() is Source.TEST_IMAGE:
            self.picker.index.setValue(int(self._rng.integers(self._data.X_test.shape[0])))
        else:
            self._batch = None
            self.refresh()

    # --- showing the record ------------------------------------------------------------
    def _explain(self) -> None:
        model = self._pending if self._pending is not None else self._model
        if self._X is None or self._y is None or model is None:
            return
        if self.picker.source() is Source.DRAWING:
            self._y = np.array([self.picker.label.currentIndex()])
        if self._last_step is not None and not self._same_question(self._last_step):
            self._last_step = None  # its effect was on other inputs, labels or loss
            self.step_panel.hide_effect(
                f"{self._steps} unapplied step(s) kept: take another, apply or discard them."
            )
        try:
            self.step = engine.explain_step(
                model, self._X, self._y, lr=self.step_panel.lr.value(), l2=self.l2.value()
            )
        except ValueError as exc:  # e.g. a model that does not read 28×28 images
            self._show_unavailable(f"Cannot explain a step here: {exc}")
            return
        state = f" plus the {self._steps} step(s) taken so far (not applied)" if self._steps else ""
        self.caption.setText(f"Looking at {self._what}, with the current model{state}.")
        self.view.show_step(self.step, self._names, self._X)
        self._show_effect()

    def _same_question(self, step: engine.StepExplanation) -> bool:
        """Whether ``step`` was taken on the inputs, labels and L2 now chosen."""
        X, y = self._X, self._y
        return (
            X is not None
            and y is not None
            and self._stepped_on is not None
            and np.array_equal(X, self._stepped_on)
            and np.array_equal(step.labels, y)
            and step.l2 == self.l2.value()
        )

    def _show_unavailable(self, message: str) -> None:
        self._X = self._y = self.step = None
        self.caption.setText(message)
        for box in self.sections:
            box.setEnabled(False)

    def _show_example(self) -> None:
        if self.step is not None:
            self.view.show_example(self.step, self._names)
            self._show_effect()

    def _show_effect(self) -> None:
        """What the last step changed, if one is pending; for the chosen example."""
        step = self._last_step
        if step is not None and self._pending is not None:
            i = self.view.chosen_example(step)
            self.step_panel.show_effect(step, self._steps, i, self._what, self._names)

    def _forget_steps(self) -> None:
        self._pending, self._steps, self._last_step = None, 0, None
        self.step_panel.show_pending(0)
        self.step_panel.hide_effect()
