"""Evaluation of the current model on the test set: error, confusion matrix, per-class
accuracy, and a gallery of digits (misclassified ones, or one confusion-matrix cell).

All numbers come from the engine (``model.predict``, ``confusion_matrix``, ``error_rate``,
``per_class_accuracy``); this module only selects and shows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QSize, Qt, Signal
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
from engine import MNIST_SIDE, N_CLASSES

GALLERY_LIMIT = 300
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


@dataclass(frozen=True)
class Evaluation:
    """A model's predictions on a test set and the engine's metrics of them."""

    y_true: np.ndarray  # (n,)
    y_pred: np.ndarray  # (n,)
    confusion: np.ndarray  # (10, 10) rows = true class
    per_class: np.ndarray  # (10,)
    error: float


def evaluate(model: engine.SoftmaxModel, data: engine.Dataset) -> Evaluation:
    """Predict the test set of ``data`` with ``model`` and collect the engine's metrics."""
    y_pred = model.predict(data.X_test)
    confusion = engine.confusion_matrix(data.y_test, y_pred, n_classes=N_CLASSES)
    return Evaluation(y_true=data.y_test, y_pred=y_pred, confusion=confusion,
                      per_class=engine.per_class_accuracy(confusion),
                      error=engine.error_rate(data.y_test, y_pred))


def digit_icon(image: np.ndarray) -> QIcon:
    """Icon of a 28×28 ink-bright image in [0, 1], shown white on black like MNIST."""
    pixels = np.ascontiguousarray((np.clip(image, 0, 1) * 255).astype(np.uint8))
    qimage = QImage(pixels.data, MNIST_SIDE, MNIST_SIDE, MNIST_SIDE,
                    QImage.Format.Format_Grayscale8).copy()  # copy: pixels is temporary
    size = MNIST_SIDE * THUMB_SCALE
    return QIcon(QPixmap.fromImage(qimage).scaled(size, size))


def _cell_colour(diagonal: bool, share: float) -> QColor:
    if diagonal:
        return QColor(*CORRECT_RGB, int(share * DIAGONAL_ALPHA))
    return QColor(*WRONG_RGB, int(min(share * OFF_DIAGONAL_GAIN, 1.0) * MAX_ALPHA))


class EvaluationPanel(QWidget):
    """Test error, confusion matrix with per-class accuracy, and a digit gallery."""

    #: A gallery digit was activated: its 28×28 image (float, ink-bright).
    digit_chosen = Signal(object)

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
        matrix_caption = QLabel("<b>Confusion matrix</b> — rows: true digit, columns: predicted. "
                                "Click a cell to see its images.")
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
        self._evaluation: Evaluation | None = None
        self._images: np.ndarray | None = None

    @property
    def evaluation(self) -> Evaluation | None:
        """The evaluation on show, if any."""
        return self._evaluation

    def update_for(self, model: engine.SoftmaxModel | None, data: engine.Dataset | None,
                   source: str) -> Evaluation | None:
        """Evaluate ``model`` (from ``source``) on ``data``'s test set and show it, if any."""
        if model is None or data is None:
            missing = "a model" if model is None else "the dataset"
            self.clear(f"No evaluation yet: waiting for {missing}.")
            return None
        if model.preprocessing_version != data.preprocessing_version:
            self.clear(f"{source} expects images prepared with preprocessing version "
                       f"{model.preprocessing_version}; the dataset was prepared with version "
                       f"{data.preprocessing_version}. Reload the dataset to evaluate it.")
            return None
        evaluation = evaluate(model, data)
        self.show_evaluation(evaluation, data.X_test, source)
        return evaluation

    def show_evaluation(self, evaluation: Evaluation, X_test: np.ndarray, source: str) -> None:
        """Show ``evaluation`` of the model from ``source`` on test images ``X_test``."""
        self._evaluation, self._images = evaluation, X_test
        n = evaluation.y_true.size
        wrong = int(round(evaluation.error * n))
        self.summary.setText(f"<b>{source}</b>: test error <b>{evaluation.error:.2%}</b> "
                             f"({wrong:,} of {n:,} test images misclassified)")
        self._fill_table(evaluation)
        self._fill_gallery(np.flatnonzero(evaluation.y_true != evaluation.y_pred),
                           "Misclassified test digits")

    def clear(self, reason: str) -> None:
        """No evaluation to show, and why."""
        self._evaluation = self._images = None
        self.summary.setText(reason)
        self.table.clearContents()
        self.gallery.clear()
        self.gallery_caption.setText("")

    def show_cell(self, true: int, predicted: int) -> None:
        """Gallery of the test images of class ``true`` predicted as ``predicted``."""
        ev = self._evaluation
        if ev is None:
            return
        indices = np.flatnonzero((ev.y_true == true) & (ev.y_pred == predicted))
        self._fill_gallery(indices, f"True {true}, predicted {predicted}")

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
        ev, images = self._evaluation, self._images
        self.gallery.clear()
        shown = indices[:GALLERY_LIMIT]
        more = f" (showing the first {shown.size:,})" if indices.size > shown.size else ""
        self.gallery_caption.setText(f"<b>{title}</b>: {indices.size:,} images{more}. "
                                     "Click a digit to put it on the drawing canvas.")
        for i in shown:
            image = images[i].reshape(MNIST_SIDE, MNIST_SIDE)
            item = QListWidgetItem(digit_icon(image), f"{ev.y_true[i]}→{ev.y_pred[i]}")
            item.setData(IMAGE_ROLE, int(i))
            item.setToolTip(f"test image #{i}: true {ev.y_true[i]}, predicted {ev.y_pred[i]}")
            self.gallery.addItem(item)

    def _show_cell(self, row: int, column: int) -> None:
        if column < N_CLASSES:
            self.show_cell(row, column)

    def _choose(self, item: QListWidgetItem) -> None:
        if self._images is not None:
            index = item.data(IMAGE_ROLE)
            self.digit_chosen.emit(self._images[index].reshape(MNIST_SIDE, MNIST_SIDE).copy())
