"""The draw tab: a canvas on the left, what the model sees and thinks on the right.

While the user draws, the first change is read at once and later ones at most every
PREDICTION_INTERVAL_MS (and always once more when a stroke ends): engine.preprocess_canvas
makes the 28×28 input, the model gives probabilities and the evidence of the top class.
The panel does no model maths itself.
"""

from __future__ import annotations

import os

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QImageReader, QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from engine import (
    DIGIT_NAMES,
    MNIST_SIDE,
    N_FEATURES,
    PREPROCESSING_VERSION,
    SoftmaxModel,
    preprocess_canvas,
    same_preprocessing,
    to_grey_levels,
)
from softmax_gui.checks.engine_words import engine_word
from softmax_gui.draw.accessible import announce
from softmax_gui.draw.canvas import DrawingCanvas
from softmax_gui.draw.probability_view import EMPTY_HEADLINE, ProbabilityView, format_percent
from softmax_gui.draw.tools import CanvasTools
from softmax_gui.handwriting.reading_line import ReadingLine
from softmax_gui.widgets.image_io import gray_to_qimage, load_ink_image
from softmax_gui.widgets.tab_order import set_tab_chain

#: Re-predict at most this often while drawing. A read costs ~3 ms, so a 125 Hz mouse gets
#: one read per move (latencies in bench/README.md), and a faster mouse is capped at 200
#: reads a second.
PREDICTION_INTERVAL_MS = 5
NO_MODEL_HEADLINE = str(QT_TRANSLATE_NOOP("draw_panel", "No model loaded"))
HINT = str(
    QT_TRANSLATE_NOOP(
        "draw_panel",
        "Left button draws, right-click or Delete clears · "
        "Ctrl+Z undo · Ctrl+Shift+Z redo · E eraser · drop an image file on the page · "
        "wrong? type the right digit (0–9) or click its bar to teach it your handwriting",
    )
)
TEACH_TIP = str(
    QT_TRANSLATE_NOOP(
        "draw_panel",
        "Click a digit's bar (or type the digit on the page) to teach: this drawing is that digit",
    )
)
#: Below this top probability a finished drawing asks to be confirmed or corrected. Teaching
#: those reads as well as the misreads lifted the writer protocol's mean after teaching over
#: five shuffles from 94.8% to 95.4%, for ~12 samples a writer instead of ~3.5
#: (``bench/personal.py --teach unsure``, README).
UNSURE_BELOW = 0.9
MODEL_INPUT_FILE_NAME = "model-input-28x28.png"


def _image_file_filter() -> str:
    patterns = " ".join(f"*.{fmt.toStdString()}" for fmt in QImageReader.supportedImageFormats())
    return QCoreApplication.translate("draw_panel", "Images ({patterns});;All files (*)").format(
        patterns=patterns
    )


def reads_other_hint(model: SoftmaxModel) -> str:
    """The status line for a model that does not read digits: say plainly what it reads."""
    return QCoreApplication.translate(
        "draw_panel",
        "This model reads {subject}, not handwritten digits: put a test image on the "
        "canvas (Random test image, or a pick from the Evaluate tab) to see it read one",
    ).format(subject=engine_word(model.subject))


class DrawPanel(QWidget):
    """Canvas and live prediction view."""

    #: 10 class probabilities (np.ndarray, float) after each (throttled) canvas change,
    #: or None when the canvas is empty or no model is set. Emitted on the UI thread.
    prediction_changed = Signal(object)
    #: The user asked for a random MNIST test digit (the window owns the data).
    random_digit_requested = Signal()
    #: A user-facing error message (unreadable image file...); also shown in the status line.
    error_occurred = Signal(str)
    #: The pen width (page pixels) changed, e.g. to remember it in QSettings.
    pen_width_changed = Signal(int)
    #: The user says the drawing is this digit (digit key on the canvas or a bar clicked).
    teach_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model: SoftmaxModel | None = None
        self._proba: np.ndarray | None = None  # (N_CLASSES,) last prediction
        self._model_input: np.ndarray | None = None  # (28, 28) last preprocessed canvas
        self._last_dir = ""

        self.canvas = DrawingCanvas(self)
        self.probability_view = ProbabilityView(self)
        self._hint = QCoreApplication.translate("draw_panel", HINT)
        self._placed: tuple[np.ndarray, np.ndarray] | None = None  # test image, its ink
        self.status = QLabel(self._hint)
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Draw tab status"))
        self.reading = ReadingLine()  # which model reads and learns
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREDICTION_INTERVAL_MS)
        self._timer.timeout.connect(self._on_interval)
        self._dirty = False  # the canvas changed since the last prediction

        self._build_layout()
        self.canvas.changed.connect(self._schedule_prediction)
        self.canvas.edit_finished.connect(self._on_edit_finished)
        self.canvas.file_dropped.connect(self.open_image)
        self.canvas.digit_typed.connect(self.teach_requested)
        self.probability_view.digit_clicked.connect(self.teach_requested)
        self.probability_view.evidence_class_changed.connect(self._update_prediction)
        self.probability_view.bars.setToolTip(QCoreApplication.translate("draw_panel", TEACH_TIP))
        self._build_tab_order()

    # --- construction ------------------------------------------------------------------
    def _build_layout(self) -> None:
        self.tools = CanvasTools(self.canvas)
        self.tools.pen_width_changed.connect(self.pen_width_changed)
        self.pen_slider, self.eraser_button = self.tools.pen_slider, self.tools.eraser_button
        self.random_button = QPushButton(self.tr("Random test image"))
        self.random_button.setToolTip(self.tr("Put a random MNIST test image on the page"))
        self.random_button.clicked.connect(self.random_digit_requested)
        self.open_button = QPushButton(self.tr("Open image…"))
        self.open_button.setToolTip(
            self.tr("Read a digit from an image file (or drop one on the page)")
        )
        self.open_button.clicked.connect(self._open_image_dialog)
        self.save_input_button = QPushButton(self.tr("Save 28×28…"))
        self.save_input_button.setToolTip(self.tr("Save the 28×28 image the model sees as a PNG"))
        self.save_input_button.clicked.connect(self._save_model_input_dialog)
        self.probability_view.add_input_action(self.save_input_button)
        # a row of their own: beside the edit buttons they made the tab (and so the window)
        # wider than the Train tab, in Chinese as in English
        source_row = QHBoxLayout()
        source_row.addWidget(self.random_button)
        source_row.addWidget(self.open_button)
        source_row.addStretch(1)

        left = QVBoxLayout()
        left.addWidget(self.canvas, 1)
        left.addWidget(self.tools)
        left.addLayout(source_row)
        root = QGridLayout(self)
        root.addLayout(left, 0, 0)
        root.addWidget(self.probability_view, 0, 1)
        root.addWidget(self.status, 1, 0, 1, 2)
        root.addWidget(self.reading, 2, 0, 1, 2)
        root.setColumnStretch(0, 1)
        root.setColumnStretch(1, 1)
        root.setRowStretch(0, 1)
        root.setHorizontalSpacing(16)
        self.tools.install_shortcuts(self)

    def _build_tab_order(self) -> None:
        """Tab goes from the page through its tools, then to what the model read."""
        view = self.probability_view
        chain = [
            self.canvas,
            *self.tools.buttons(),
            self.random_button,
            self.open_button,
            self.save_input_button,
            view.evidence_class,
            view.log_scale,
        ]
        set_tab_chain(chain)

    def showEvent(self, event: QShowEvent) -> None:
        """The canvas takes the keyboard when the tab is shown: Delete, E, Ctrl+Z and the
        digit keys work at once, without a click first."""
        super().showEvent(event)
        self.canvas.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- public interface --------------------------------------------------------------
    def set_model(self, model: SoftmaxModel | None) -> None:
        """Use ``model`` for predictions from now on (re-predicts the current drawing)."""
        if model is not None:
            if not isinstance(model, SoftmaxModel):
                raise TypeError(f"expected an engine.SoftmaxModel, got {type(model).__name__}")
            if model.n_inputs != N_FEATURES:  # what it reads: 28×28 images, mapped or not
                raise ValueError(
                    f"expected a model of {MNIST_SIDE}×{MNIST_SIDE} images ({N_FEATURES} "
                    f"inputs), got one with {model.n_inputs} inputs"
                )
        old = self._model
        if old is None or model is None or not same_preprocessing(old, model):
            self._placed = None  # prepared for the old model: read the canvas afresh
        self._model = model
        names = DIGIT_NAMES if model is None else model.class_names
        self.probability_view.set_class_names(names)
        self._hint = (
            QCoreApplication.translate("draw_panel", HINT)
            if model is None or model.reads_digits
            else reads_other_hint(model)
        )
        self.status.setText(self._hint)
        self._update_prediction()

    def show_teaching(self, text: str) -> None:
        """Say what became of a correction, on the status line until the next edit."""
        self.status.setText(text)

    def show_digit(self, image: np.ndarray, caption: str | None = None) -> None:
        """Put a 28×28 ink-bright image (floats in [0, 1]) on the canvas, upscaled; the
        status line shows ``caption`` (e.g. its index and true label) until the next edit."""
        a = np.asarray(image, dtype=np.float32)
        if a.shape == (N_FEATURES,):
            a = a.reshape(MNIST_SIDE, MNIST_SIDE)
        if a.shape != (MNIST_SIDE, MNIST_SIDE):
            raise ValueError(f"expected a {MNIST_SIDE}×{MNIST_SIDE} image, got shape {a.shape}")
        if not np.isfinite(a).all():
            raise ValueError("image contains NaN or infinite values")
        gray = to_grey_levels(a)
        # whole-block upscaling: preprocessing gives back the MNIST digit itself
        digits = self._model is None or self._model.reads_digits
        self.canvas.set_image(
            gray, smooth=False, text=self.tr("Test digit") if digits else self.tr("Test image")
        )
        # while the canvas shows it unchanged, the model reads the test image itself
        self._placed = (np.clip(a, 0.0, 1.0), self.canvas.ink_array())
        self._update_prediction()
        if caption:
            self.status.setText(caption)

    def clear(self) -> None:
        """Erase the canvas (undoable)."""
        self.canvas.clear()

    def open_image(self, path: str | os.PathLike) -> bool:
        """Put the digit in an image file on the canvas; False (and error_occurred) if not."""
        try:
            ink = load_ink_image(path)
        except ValueError as exc:
            self._report_error(str(exc))
            return False
        name = os.path.basename(os.fspath(path))
        if not ink.any():
            self._report_error(
                self.tr("{name}: no digit found (the image is a single flat colour)").format(
                    name=name
                )
            )
            return False
        self._last_dir = os.path.dirname(os.fspath(path))
        self.canvas.set_image(ink, smooth=True, text=self.tr("Open image"))
        self.status.setText(self.tr("Opened {name}").format(name=name))
        return True

    def save_model_input(self, path: str | os.PathLike) -> bool:
        """Save the current 28×28 model input as an image; False (and error_occurred) if not."""
        if self._model_input is None:
            self._report_error(self.tr("Nothing to save: the page is empty"))
            return False
        gray = to_grey_levels(self._model_input)
        if not gray_to_qimage(gray).save(os.fspath(path)):
            self._report_error(
                self.tr("{path}: could not write the image").format(path=os.fspath(path))
            )
            return False
        self.status.setText(
            self.tr("Saved the 28×28 input to {name}").format(
                name=os.path.basename(os.fspath(path))
            )
        )
        return True

    def prediction(self) -> np.ndarray | None:
        """The last emitted probabilities (N_CLASSES,), or None."""
        return None if self._proba is None else self._proba.copy()

    def model_input(self) -> np.ndarray | None:
        """The last 28×28 model input (floats in [0, 1]), or None for an empty page."""
        return None if self._model_input is None else self._model_input.copy()

    def pen_width(self) -> int:
        """Pen width in page pixels (the page is 280 wide)."""
        return self.canvas.pen_width()

    def set_pen_width(self, width: int) -> None:
        """Set the pen width, clamped to the slider's range (e.g. restored from QSettings)."""
        self.pen_slider.setValue(int(width))

    # --- slots -------------------------------------------------------------------------
    def _schedule_prediction(self) -> None:
        # leading-edge throttle: read now, then coalesce changes until the interval ends
        if self._timer.isActive():
            self._dirty = True
        else:
            self._update_prediction()
            self._timer.start()

    def _on_interval(self) -> None:
        if self._dirty:
            self._update_prediction()
            self._timer.start()

    def _on_edit_finished(self) -> None:
        self.status.setText(self._hint)
        self._update_prediction()  # an error it reports stays on the status line
        prompt = self._unsure_prompt()
        if prompt and self.status.text() == self._hint:
            self.status.setText(prompt)

    def _unsure_prompt(self) -> str | None:
        """For a digit model that is unsure of the drawing: ask the user to confirm or
        correct it (either one teaches it their handwriting)."""
        proba, model = self._proba, self._model
        if proba is None or model is None or not model.reads_digits:
            return None
        top = int(np.argmax(proba))
        if proba[top] >= UNSURE_BELOW:
            return None
        name = model.class_names[top]
        return self.tr(
            "Not sure this is a {name} ({percent}): type {name} if it is, or the right digit "
            "if not. Either one teaches it your handwriting."
        ).format(name=name, percent=format_percent(float(proba[top])))

    def _update_prediction(self) -> None:
        self._dirty = False
        model = self._model
        version = PREPROCESSING_VERSION if model is None else model.preprocessing_version
        ink = self.canvas.ink_array()
        placed = self._placed
        x: np.ndarray | None
        try:
            if placed is not None and np.array_equal(ink, placed[1]):
                x = placed[0]  # a test image, already prepared as its dataset is
            else:
                x = preprocess_canvas(ink, version=version)  # (28, 28) | None
        except ValueError as exc:
            self._report_error(str(exc))
            x = None
        self._model_input = x
        if x is None or self._model is None:
            if x is None:
                headline = QCoreApplication.translate("probability_view", EMPTY_HEADLINE)
                reading = self.tr("Empty page: draw a digit")
            else:
                headline = QCoreApplication.translate("draw_panel", NO_MODEL_HEADLINE)
                reading = self.tr("No model loaded: nothing reads the drawing")
            self.probability_view.show_empty(headline, x, reading=reading)
            announce(self.canvas, reading)
            self._proba = None
            self.prediction_changed.emit(None)
            return
        proba = self._model.predict_proba(x.ravel())[0]  # (N_CLASSES,)
        top = int(np.argmax(proba))
        shown = self.probability_view.evidence_class_for(top)
        evidence = self._model.evidence(x, shown).reshape(x.shape)  # (28, 28)
        mapped = not self._model.input_map.is_identity
        parts = self._model.evidence_by_part(x.ravel(), shown) if mapped else None
        self.probability_view.show_prediction(x, proba, top, evidence, shown, parts)
        announce(self.canvas, self.probability_view.reading())
        self._proba = proba
        self.prediction_changed.emit(proba.copy())

    def _report_error(self, message: str) -> None:
        self.status.setText(f"⚠ {message}")
        self.error_occurred.emit(message)

    def _open_image_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open a digit image"), self._last_dir, _image_file_filter()
        )
        if path:
            self.open_image(path)

    def _save_model_input_dialog(self) -> None:
        start = os.path.join(self._last_dir, MODEL_INPUT_FILE_NAME)
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save the 28×28 model input"), start, self.tr("PNG image (*.png)")
        )
        if path:
            self.save_model_input(path)
