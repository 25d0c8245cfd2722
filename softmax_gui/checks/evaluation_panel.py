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

import numpy as np
from PySide6.QtCore import QCoreApplication, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont
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

from engine import DIGIT_NAMES, N_CLASSES, Evaluation
from softmax_gui.checks.engine_words import class_names
from softmax_gui.checks.evaluation import EvaluationReport as EvaluationReport
from softmax_gui.checks.evaluation import evaluate as evaluate
from softmax_gui.checks.evaluation import trained_elsewhere as trained_elsewhere
from softmax_gui.checks.evaluation import unavailable_reason as unavailable_reason
from softmax_gui.checks.gallery import (
    IMAGE_ROLE,
    ORDERS,
    STRIP_HEIGHT,
    THUMB_SIDE,
    GalleryData,
    GalleryItem,
)
from softmax_gui.widgets.colours import PREDICTED_COLOUR, TRUE_COLOUR

#: Items added per pass of the event loop (a few ms each pass: thumbnails are drawn later).
GALLERY_CHUNK = 1000
#: Right (the diagonal) in blue and bold, wrong in vermillion: safe for colour-blind eyes, and
#: the bold diagonal is a second cue.
CORRECT_COLOUR = TRUE_COLOUR
WRONG_COLOUR = PREDICTED_COLOUR
#: Shading of a confusion cell by its share of the true class's row: a diagonal cell reaches
#: DIAGONAL_ALPHA at 100 %; confusions are rarer, so OFF_DIAGONAL_GAIN makes 20 % full colour.
DIAGONAL_ALPHA = 140
OFF_DIAGONAL_GAIN = 5
MAX_ALPHA = 255
ACCURACY_COLUMN = N_CLASSES


def _cell_colour(diagonal: bool, share: float) -> QColor:
    colour = QColor(CORRECT_COLOUR if diagonal else WRONG_COLOUR)
    if diagonal:
        colour.setAlpha(int(share * DIAGONAL_ALPHA))
    else:
        colour.setAlpha(int(min(share * OFF_DIAGONAL_GAIN, 1.0) * MAX_ALPHA))
    return colour


class EvaluationPanel(QWidget):
    """Test error, confusion matrix with per-class accuracy, and a digit gallery."""

    #: A gallery image was activated: its index in the test set.
    test_image_chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel(self.tr("No evaluation yet: it needs a model and a loaded dataset."))
        self.summary.setWordWrap(True)
        font = self.summary.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.summary.setFont(font)
        self.table = QTableWidget(N_CLASSES, N_CLASSES + 1)
        self.table.setAccessibleName(self.tr("Confusion matrix"))
        self.table.setAccessibleDescription(
            self.tr(
                "Rows: true class; columns: predicted class, then the class's accuracy. "
                "Press Enter on a cell to see its images."
            )
        )
        self._set_names(DIGIT_NAMES)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        # the accuracy column is as wide as its title, which equal stretching cut off
        self.table.horizontalHeader().setSectionResizeMode(
            ACCURACY_COLUMN, QHeaderView.ResizeMode.ResizeToContents
        )
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.cellClicked.connect(self._show_cell)
        self.table.cellActivated.connect(self._show_cell)  # Enter on a cell, from the keyboard
        matrix_caption = QLabel(
            self.tr(
                "<b>Confusion matrix</b> — rows: true class, columns: predicted. "
                "Click a cell (or press Enter on it) to see its images."
            )
        )
        matrix_caption.setWordWrap(True)
        self.gallery_caption = QLabel("")
        self.gallery_caption.setWordWrap(True)
        self.order = QComboBox()
        for key, text in ORDERS.items():
            self.order.addItem(QCoreApplication.translate("gallery", text), key)
        self.order.setToolTip(
            self.tr(
                "The loss of an image is −log p(true class): the more sure the model was of a "
                "wrong class, the higher it is"
            )
        )
        self.order.currentIndexChanged.connect(self._reorder)
        order_row = QHBoxLayout()
        order_label = QLabel(self.tr("&Order:"))
        order_label.setBuddy(self.order)
        order_row.addWidget(order_label)
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
        self.gallery.setAccessibleName(self.tr("Test images"))
        self.gallery.setAccessibleDescription(
            self.tr("Press Enter on an image to put it on the drawing canvas")
        )
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
        self.summary.setText(
            self.tr("<b>{source}</b>: evaluating on the test set…").format(source=source)
        )

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
            self.tr(
                "<b>{source}</b>: test error <b>{error}</b> ({wrong} of {n} test images "
                "misclassified)"
            ).format(source=source, error=f"{evaluation.error:.2%}", wrong=f"{wrong:,}", n=f"{n:,}")
        )
        self._fill_table(evaluation)
        self._fill_gallery(
            np.flatnonzero(evaluation.y_true != evaluation.y_pred),
            self.tr("Misclassified test digits")
            if names == DIGIT_NAMES
            else self.tr("Misclassified test images"),
        )

    def _set_names(self, names: tuple[str, ...]) -> None:
        self._names = class_names(names)  # as the user reads them
        self.table.setHorizontalHeaderLabels([f"→{n}" for n in self._names] + [self.tr("accuracy")])
        self.table.setVerticalHeaderLabels(list(self._names))
        for k, name in enumerate(self._names):
            # what a screen reader says for a column: "predicted 4", not "→4"
            column, row = self.table.horizontalHeaderItem(k), self.table.verticalHeaderItem(k)
            assert column is not None and row is not None  # set by the header labels above
            column.setData(
                Qt.ItemDataRole.AccessibleTextRole, self.tr("predicted {name}").format(name=name)
            )
            row.setData(
                Qt.ItemDataRole.AccessibleTextRole, self.tr("true {name}").format(name=name)
            )

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
        self._fill_gallery(
            indices,
            self.tr("True {true}, predicted {predicted}").format(
                true=self._names[true], predicted=self._names[predicted]
            ),
        )

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
                if t == p:
                    font = QFont(self.table.font())
                    font.setBold(True)
                    item.setFont(font)
                item.setData(
                    Qt.ItemDataRole.AccessibleTextRole,
                    self.tr("true {true}, predicted {predicted}: {count}").format(
                        true=self._names[t], predicted=self._names[p], count=f"{count:,}"
                    ),
                )
                self.table.setItem(t, p, item)
            acc = ev.per_class[t]
            acc_text = "–" if np.isnan(acc) else f"{acc:.1%}"
            acc_item = QTableWidgetItem(acc_text)
            acc_item.setData(
                Qt.ItemDataRole.AccessibleTextRole,
                self.tr("accuracy on {true}: {accuracy}").format(
                    true=self._names[t], accuracy=acc_text
                ),
            )
            acc_item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            self.table.setItem(t, ACCURACY_COLUMN, acc_item)

    def _fill_gallery(self, indices: np.ndarray, title: str) -> None:
        self._stop_filling()
        self.gallery.clear()
        assert self._data is not None  # a gallery is filled only while an evaluation shows
        self._shown = (indices, title)
        self.gallery_caption.setText(
            self.tr(
                "<b>{title}</b>: {n} images, each with its loss −log p(true) and, under it, "
                "its probabilities (true class solid blue, predicted hatched vermillion). "
                "Hover for the numbers; click one to put it on the drawing canvas."
            ).format(title=title, n=f"{indices.size:,}")
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
