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
from softmax_gui.widgets.tab_order import set_tab_chain

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
        self.l2.setToolTip(
            self.tr("λ, the L2 regularisation: J adds λ/2·‖W‖², and the gradient λW")
        )
        self.l2.setAccessibleName(self.tr("L2 regularisation λ"))
        self.l2.setMinimumWidth(spin_width(self.l2))
        top = QHBoxLayout()
        top.addWidget(self.picker, 1)
        l2_label = QLabel(self.tr("L2 λ ="))
        l2_label.setBuddy(self.l2)
        top.addWidget(l2_label)
        top.addWidget(self.l2)
        self.caption = QLabel()
        self.caption.setTextFormat(Qt.TextFormat.PlainText)
        self.caption.setWordWrap(True)
        self.caption.setAccessibleName(self.tr("What the step is computed on"))

        self.view = StagesView()
        self.step_panel = StepPanel()
        self.sections = [
            *self.view.sections,
            section(self.tr("4 · One step of gradient descent"), self.step_panel),
        ]
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)  # the sections have frames: room for ten numbers
        column.addWidget(self.view)
        column.addWidget(self.sections[-1])
        column.addStretch(1)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setWidget(body)
        self.scroll_area.setAccessibleName(self.tr("The stages of one step"))
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.caption)
        layout.addWidget(self.scroll_area, 1)
        self._set_tab_order()

    def _set_tab_order(self) -> None:
        """The inputs first, then the stages top to bottom, then the step's controls."""
        picker, view, panel = self.picker, self.view, self.step_panel
        chain = [
            picker.kind,
            picker.label,
            picker.reread,
            picker.index,
            picker.random_image,
            picker.batch_size,
            picker.new_batch,
            self.l2,
            view.example,
            *view.matrices,
            view.gradient.view,
            view.bias_gradient,
            panel.lr,
            panel.step_button,
            panel.apply_button,
            panel.discard_button,
            panel.change.view,
        ]
        set_tab_chain(chain)

    # --- public interface --------------------------------------------------------------
    def set_model(self, model: engine.SoftmaxModel | None) -> None:
        """Explain ``model`` (the app's current one) from now on; unapplied steps are dropped."""
        self._model = model
        self._names = engine.DIGIT_NAMES if model is None else model.class_names
        self.picker.set_class_names(self._names)
        dropped = self._pending is not None
        self._forget_steps()
        if dropped:
            self.step_panel.hide_effect(
                self.tr("The current model changed: the unapplied steps are gone.")
            )
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
            message = self.tr("Cannot explain a step here: {detail}").format(detail=exc)
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
        if steps == 1:
            how = self.tr("1 step by hand on {what}").format(what=self._what)
        else:
            how = self.tr("{n} steps by hand on {what}").format(n=steps, what=self._what)
        self._forget_steps()
        self.apply_requested.emit(model, how)
        self.step_panel.hide_effect(self.tr("Applied {how}.").format(how=how))

    def discard(self) -> None:
        """Forget the steps: explain the current model again."""
        self._forget_steps()
        self._explain()
        self.step_panel.hide_effect(self.tr("Discarded: back to the current model."))

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
            return self.tr("No model yet: train one, or open one from the File menu.")
        if source is Source.DRAWING:
            x = self._drawing()
            if x is None:
                return self.tr(
                    "The Draw tab's page is empty: draw a digit there, or pick a test image."
                )
            if self._last_drawing is None or not np.array_equal(x, self._last_drawing):
                # a new drawing: start from the label the model reads; the learner corrects it
                self.picker.set_label(int(model.predict(x.ravel())[0]))
                self._last_drawing = x
            self._X = x.reshape(1, -1).astype(np.float32)
            self._y = np.array([self.picker.label.currentIndex()])
            self._what = self.tr("the drawing")
            return None
        if data is None:
            return self.tr("No dataset loaded yet (Train tab).")
        if source is Source.TEST_IMAGE:
            i = self.picker.index.value()
            self._X, self._y = data.X_test[i : i + 1], data.y_test[i : i + 1]
            self._what = self.tr("test image #{i}").format(i=f"{i:,}")
            return None
        if self._batch is None or self._batch[0].shape[0] != self.picker.batch_size.value():
            X, y, _ = engine.training_batch(data, self.picker.batch_size.value(), self._rng)
            self._batch = (X, y)
        self._X, self._y = self._batch
        self._what = self.tr("a mini-batch of {m} training images").format(m=self._X.shape[0])
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
            if self._steps == 1:
                kept = self.tr("1 unapplied step kept: take another, apply or discard it.")
            else:
                kept = self.tr(
                    "{n} unapplied steps kept: take another, apply or discard them."
                ).format(n=self._steps)
            self.step_panel.hide_effect(kept)
        try:
            self.step = engine.explain_step(
                model, self._X, self._y, lr=self.step_panel.lr.value(), l2=self.l2.value()
            )
        except ValueError as exc:  # e.g. a model that does not read 28×28 images
            self._show_unavailable(
                self.tr("Cannot explain a step here: {detail}").format(detail=exc)
            )
            return
        if self._steps == 0:
            caption = self.tr("Looking at {what}, with the current model.")
        elif self._steps == 1:
            caption = self.tr(
                "Looking at {what}, with the current model plus the step taken so far (not "
                "applied)."
            )
        else:
            caption = self.tr(
                "Looking at {what}, with the current model plus the {n} steps taken so far (not "
                "applied)."
            )
        self.caption.setText(caption.format(what=self._what, n=self._steps))
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
