"""Evaluation of the current model on the test set: error, confusion matrix, per-class
accuracy, and a gallery of digits (misclassified ones, or one confusion-matrix cell).

All numbers come from the engine (``model.predict``, ``confusion_matrix``, ``error_rate``,
``per_class_accuracy``) through :func:`evaluate`, which the window runs on a worker thread;
the panel only selects and shows. The gallery fills in chunks of :data:`GALLERY_CHUNK`
thumbnails per pass of the event loop, so a full gallery never stalls the window.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

import engine
from engine import DIGIT_NAMES, MNIST_SIDE, N_CLASSES, Evaluation

GALLERY_LIMIT = 300
#: Thumbnails added per pass of the event loop (a few ms each pass).
GALLERY_CHUNK = 40
THUMB_SCALE = 2
CORRECT_RGB = (46, 125, 50)
WRONG_RGB = (198, 40, 40)
#: Shading of a confusion cell by its share of the true class's row: a diagonal cell reaches
#: DIAGONAL_ALPHA at 100 %; confusions are rarer, so OFF_DIAGONAL_GAIN makes 20 % fully red.
DIAGONAL_ALPHA = 140
OFF_DIAGONAL_GAIN = 5
MAX_ALPHA = 255
ACCURACY_COLUMN = N_CLASSES
IMAGE_ROLE = Qt.ItemDataRole.UserRole


def evaluate(model: engine.SoftmaxModel, data: engine.Dataset) -> Evaluation:
    """The engine's evaluation of ``model`` on the test set of ``data``."""
    return engine.evaluate(model, data.X_test, data.y_test)


def trained_elsewhere(model: engine.SoftmaxModel, data: engine.Dataset) -> str | None:
    """A plain note when ``model`` was trained on another dataset than ``data`` (as its
    metadata records), e.g. "trained on MNIST, not on Fashion-MNIST"; None otherwise."""
    base = model.metadata.get("base")
    trained_on = model.metadata.get("dataset") or (
        base.get("dataset") if isinstance(base, dict) else None
    )
    if not isinstance(trained_on, str) or _same_dataset(trained_on, data.name):
        return None
    return f"trained on {trained_on}, not on {data.name}"


def _same_dataset(a: str, b: str) -> bool:
    """Whether names ``a`` and ``b`` are the same dataset, or one part of or added to the
    other ("MNIST", "MNIST subset", "MNIST + 3 drawn copies")."""
    a, b = a.split(" + ")[0], b.split(" + ")[0]
    return a == b or a.startswith(b + " ") or b.startswith(a + " ")


def unavailable_reason(
    model: engine.SoftmaxModel | None, data: engine.Dataset | None, source: str
) -> str | None:
    """Why ``model`` (from ``source``) cannot be evaluated on ``data``; None if it can."""
    if model is None or data is None:
        return f"No evaluation yet: waiting for {'a model' if model is None else 'the dataset'}."
    if not engine.same_preprocessing(model, data):
        note = trained_elsewhere(model, data)
        return (
            f"{source}{f' ({note})' if note else ''} expects images prepared with "
            f"preprocessing version {model.preprocessing_version}; {data.name} was prepared "
            f"with version {data.preprocessing_version}. To evaluate it, choose that "
            "preprocessing next to the dataset (Train tab)."
        )
    return None


def digit_icon(pixels: np.ndarray) -> QIcon:
    """Icon of one 28×28 uint8 image (784 grey levels), shown white on black like MNIST."""
    qimage = QImage(
        pixels.data, MNIST_SIDE, MNIST_SIDE, MNIST_SIDE, QImage.Format.Format_Grayscale8
    ).copy()  # copy: pixels may be temporary
    size = MNIST_SIDE * THUMB_SCALE
    return QIcon(QPixmap.fromImage(qimage).scaled(size, size))


def _cell_colour(diagonal: bool, share: float) -> QColor:
    if diagonal:
        return QColor(*CORRECT_RGB, int(share * DIAGONAL_ALPHA))
    return QColor(*WRONG_RGB, int(min(share * OFF_DIAGONAL_GAIN, 1.0) * MAX_ALPHA))


class EvaluationPanel(QWidget):
    """Test error, confusion matrix with per-class accuracy, and a digit gallery."""

    #: A gallery image was activated: its index in the test set.
    test_image_chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel("No evaluation yet: it needs a model and a loaded dataset.")
        self.summary.setWordWrap(True)
        font = self.summary.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.summary.setFont(font)
        self.table = QTableWidget(N_CLASSES, N_CLASSES + 1)
        self.table.setHorizontalHeaderLabels([f"→{k}" for k in range(N_CLASSES)] + ["accuracy"])
        self.table.setVerticalHeaderLabels([f"{k}" for k in range(N_CLASSES)])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.cellClicked.connect(self._show_cell)
        matrix_caption = QLabel(
            "<b>Confusion matrix</b> — rows: true class, columns: predicted. "
            "Click a cell to see its images."
        )
        matrix_caption.setWordWrap(True)
        self.gallery_caption = QLabel("")
        self.gallery_caption.setWordWrap(True)
        self.gallery = QListWidget()
        self.gallery.setViewMode(QListWidget.ViewMode.IconMode)
        self.gallery.setIconSize(QSize(MNIST_SIDE * THUMB_SCALE, MNIST_SIDE * THUMB_SCALE))
        self.gallery.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.gallery.setMovement(QListWidget.Movement.Static)
        self.gallery.setUniformItemSizes(True)
        self.gallery.setSpacing(4)
        self.gallery.itemActivated.connect(self._choose)
        self.gallery.itemClicked.connect(self._choose)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(matrix_caption)
        left_layout.addWidget(self.table, 1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.gallery_caption)
        right_layout.addWidget(self.gallery, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([600, 500])
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        content = QHBoxLayout()
        content.addWidget(splitter)
        layout.addLayout(content, 1)
        self._names: tuple[str, ...] = DIGIT_NAMES
        self._evaluation: Evaluation | None = None
        self._images: np.ndarray | None = None
        self._queue: list[tuple[int, np.ndarray]] = []  # (test index, pixels) still to add
        self._chunks = QTimer(self, interval=0)
        self._chunks.timeout.connect(self._add_chunk)

    @property
    def evaluation(self) -> Evaluation | None:
        """The evaluation on show, if any."""
        return self._evaluation

    @property
    def filling(self) -> bool:
        """Whether gallery thumbnails are still being added."""
        return bool(self._queue)

    def show_pending(self, source: str) -> None:
        """Say that the model from ``source`` is being evaluated (the old figures stay)."""
        self.summary.setText(f"<b>{source}</b>: evaluating on the test set…")

    def show_evaluation(
        self,
        evaluation: Evaluation,
        X_test: np.ndarray,
        source: str,
        names: tuple[str, ...] = DIGIT_NAMES,
    ) -> None:
        """Show ``evaluation`` of the model from ``source`` on test images ``X_test``, its
        classes called ``names``."""
        self._evaluation, self._images = evaluation, X_test
        self._set_names(names)
        n = evaluation.y_true.size
        wrong = int(round(evaluation.error * n))
        self.summary.setText(
            f"<b>{source}</b>: test error <b>{evaluation.error:.2%}</b> "
            f"({wrong:,} of {n:,} test images misclassified)"
        )
        self._fill_table(evaluation)
        self._fill_gallery(
            np.flatnonzero(evaluation.y_true != evaluation.y_pred),
            f"Misclassified test {'digits' if names == DIGIT_NAMES else 'images'}",
        )

    def _set_names(self, names: tuple[str, ...]) -> None:
        self._names = names
        self.table.setHorizontalHeaderLabels([f"→{n}" for n in names] + ["accuracy"])
        self.table.setVerticalHeaderLabels(list(names))

    def clear(self, reason: str) -> None:
        """No evaluation to show, and why."""
        self._evaluation = self._images = None
        self.summary.setText(reason)
        self.table.clearContents()
        self._stop_filling()
        self.gallery.clear()
        self.gallery_caption.setText("")

    def show_cell(self, true: int, predicted: int) -> None:
        """Gallery of the test images of class ``true`` predicted as ``predicted``."""
        ev = self._evaluation
        if ev is None:
            return
        indices = np.flatnonzero((ev.y_true == true) & (ev.y_pred == predicted))
        self._fill_gallery(indices, f"True {self._names[true]}, predicted {self._names[predicted]}")

    def _fill_table(self, ev: Evaluation) -> None:
        totals = ev.confusion.sum(axis=1)
        for t in range(N_CLASSES):
            for p in range(N_CLASSES):
                count = int(ev.confusion[t, p])
                item = QTableWidgetItem(f"{count:,}")
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                share = count / totals[t] if totals[t] else 0.0
                if count:
                    item.setBackground(QBrush(_cell_colour(t == p, share)))
                self.table.setItem(t, p, item)
            acc = ev.per_class[t]
            acc_item = QTableWidgetItem("–" if np.isnan(acc) else f"{acc:.1%}")
            acc_item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            self.table.setItem(t, ACCURACY_COLUMN, acc_item)

    def _fill_gallery(self, indices: np.ndarray, title: str) -> None:
        self._stop_filling()
        self.gallery.clear()
        assert self._images is not None  # a gallery is filled only while an evaluation shows
        shown = indices[:GALLERY_LIMIT]
        more = f" (showing the first {shown.size:,})" if indices.size > shown.size else ""
        self.gallery_caption.setText(
            f"<b>{title}</b>: {indices.size:,} images{more}. "
            "Click one to put it on the drawing canvas."
        )
        self._queue = list(
            zip(shown.tolist(), engine.to_grey_levels(self._images[shown]), strict=True)
        )
        self._add_chunk()  # the first thumbnails at once, the rest on later passes
        if self._queue:
            self._chunks.start()

    def _add_chunk(self) -> None:
        ev = self._evaluation
        if ev is None:  # cleared (clear() also stops the filling)
            return
        chunk, self._queue = self._queue[:GALLERY_CHUNK], self._queue[GALLERY_CHUNK:]
        for i, pixels in chunk:
            true, predicted = self._names[ev.y_true[i]], self._names[ev.y_pred[i]]
            item = QListWidgetItem(digit_icon(pixels), f"{true}→{predicted}")
            item.setData(IMAGE_ROLE, i)
            item.setToolTip(f"test image #{i}: true {true}, predicted {predicted}")
            self.gallery.addItem(item)
        if not self._queue:
            self._chunks.stop()

    def _stop_filling(self) -> None:
        self._chunks.stop()
        self._queue = []

    def _show_cell(self, row: int, column: int) -> None:
        if column < N_CLASSES:
            self.show_cell(row, column)

    def _choose(self, item: QListWidgetItem) -> None:
        if self._images is not None:
            self.test_image_chosen.emit(int(item.data(IMAGE_ROLE)))
