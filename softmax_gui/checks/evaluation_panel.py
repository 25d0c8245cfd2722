"""Evaluation of the current model on the test set: error, confusion matrix, per-class
accuracy, and a gallery of digits (every misclassified one, or one confusion-matrix cell),
each with its probabilities and loss, in the order the user picks (worst loss first).

All numbers come from the engine (``engine.evaluate``, the model's logits, ``softmax`` and
``log_softmax``) through :func:`evaluate`, which the window runs on a worker thread; the
panel only selects, orders and shows. The gallery adds :data:`GALLERY_CHUNK` items per pass
of the event loop and draws a thumbnail only when it is on screen, so thousands of
mistakes never stall the window.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
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
from engine import DIGIT_NAMES, N_CLASSES, Evaluation
from softmax_gui.checks.gallery import (
    IMAGE_ROLE,
    ORDERS,
    STRIP_HEIGHT,
    THUMB_SIDE,
    GalleryData,
    GalleryItem,
)

#: Items added per pass of the event loop (a few ms each pass: thumbnails are drawn later).
GALLERY_CHUNK = 1000
CORRECT_RGB = (46, 125, 50)
WRONG_RGB = (198, 40, 40)
#: Shading of a confusion cell by its share of the true class's row: a diagonal cell reaches
#: DIAGONAL_ALPHA at 100 %; confusions are rarer, so OFF_DIAGONAL_GAIN makes 20 % fully red.
DIAGONAL_ALPHA = 140
OFF_DIAGONAL_GAIN = 5
MAX_ALPHA = 255
ACCURACY_COLUMN = N_CLASSES


@dataclass(frozen=True)
class EvaluationReport:
    """A model's evaluation on the test set, with every image's probabilities (n, k) and
    loss ``-log p[true]`` (n,)."""

    evaluation: Evaluation
    proba: np.ndarray
    loss: np.ndarray


def evaluate(model: engine.SoftmaxModel, data: engine.Dataset) -> EvaluationReport:
    """The engine's evaluation of ``model`` on the test set of ``data``, with each test
    image's probabilities and loss (run on a worker thread)."""
    evaluation = engine.evaluate(model, data.X_test, data.y_test)  # checks the labels
    logits = model.logits(data.X_test)  # (n, k)
    rows = np.arange(logits.shape[0])
    loss = -engine.log_softmax(logits.astype(np.float64))[rows, evaluation.y_true]
    return EvaluationReport(evaluation, engine.softmax(logits), loss)


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
        self.order = QComboBox()
        for key, text in ORDERS.items():
            self.order.addItem(text, key)
        self.order.setToolTip(
            "The loss of an image is −log p(true class): the more sure the model was of a "
            "wrong class, the higher it is"
        )
        self.order.currentIndexChanged.connect(self._reorder)
        order_row = QHBoxLayout()
        order_row.addWidget(QLabel("Order:"))
        order_row.addWidget(self.order)
        order_row.addStretch(1)
        self.gallery = QListWidget()
        self.gallery.setViewMode(QListWidget.ViewMode.IconMode)
        self.gallery.setIconSize(QSize(THUMB_SIDE, THUMB_SIDE + STRIP_HEIGHT))
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
        right_layout.addLayout(order_row)
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
        self._report: EvaluationReport | None = None
        self._data: GalleryData | None = None
        self._shown: tuple[np.ndarray, str] | None = None  # the gallery's images and title
        self._queue: list[int] = []  # test indices still to add
        self._chunks = QTimer(self, interval=0)
        self._chunks.timeout.connect(self._add_chunk)

    @property
    def evaluation(self) -> Evaluation | None:
        """The evaluation on show, if any."""
        return None if self._report is None else self._report.evaluation

    @property
    def report(self) -> EvaluationReport | None:
        """The evaluation on show with its probabilities and losses, if any."""
        return self._report

    def gallery_indices(self) -> list[int]:
        """The test images in the gallery so far, in its order."""
        return [int(self.gallery.item(k).data(IMAGE_ROLE)) for k in range(self.gallery.count())]

    @property
    def filling(self) -> bool:
        """Whether gallery thumbnails are still being added."""
        return bool(self._queue)

    def show_pending(self, source: str) -> None:
        """Say that the model from ``source`` is being evaluated (the old figures stay)."""
        self.summary.setText(f"<b>{source}</b>: evaluating on the test set…")

    def show_evaluation(
        self,
        report: EvaluationReport,
        X_test: np.ndarray,
        source: str,
        names: tuple[str, ...] = DIGIT_NAMES,
    ) -> None:
        """Show ``report`` of the model from ``source`` on test images ``X_test``, its
        classes called ``names``."""
        evaluation = report.evaluation
        self._report = report
        self._data = GalleryData(
            X_test, evaluation.y_true, evaluation.y_pred, report.proba, report.loss, names
        )
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
        self._report = self._data = self._shown = None
        self.summary.setText(reason)
        self.table.clearContents()
        self._stop_filling()
        self.gallery.clear()
        self.gallery_caption.setText("")

    def show_cell(self, true: int, predicted: int) -> None:
        """Gallery of the test images of class ``true`` predicted as ``predicted``."""
        ev = self.evaluation
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
        assert self._data is not None  # a gallery is filled only while an evaluation shows
        self._shown = (indices, title)
        self.gallery_caption.setText(
            f"<b>{title}</b>: {indices.size:,} images, each with its loss −log p(true) and, "
            "under it, its probabilities (true class green, predicted red). Hover for the "
            "numbers; click one to put it on the drawing canvas."
        )
        self._queue = self._data.ordered(indices, self.order.currentData()).tolist()
        self._add_chunk()  # the first items at once, the rest on later passes
        if self._queue:
            self._chunks.start()

    def _reorder(self) -> None:
        if self._shown is not None and self._data is not None:
            self._fill_gallery(*self._shown)

    def _add_chunk(self) -> None:
        data = self._data
        if data is None:  # cleared (clear() also stops the filling)
            return
        chunk, self._queue = self._queue[:GALLERY_CHUNK], self._queue[GALLERY_CHUNK:]
        for i in chunk:
            self.gallery.addItem(GalleryItem(data, i))
        if not self._queue:
            self._chunks.stop()

    def _stop_filling(self) -> None:
        self._chunks.stop()
        self._queue = []

    def _show_cell(self, row: int, column: int) -> None:
        if column < N_CLASSES:
            self.show_cell(row, column)

    def _choose(self, item: QListWidgetItem) -> None:
        if self._data is not None:
            self.test_image_chosen.emit(int(item.data(IMAGE_ROLE)))
