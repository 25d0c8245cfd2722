"""The "My handwriting" tab: the digits taught so far, grouped by class, and honest figures.

Each sample shows the 28×28 image the model saw next to a thumbnail of the drawing. The view
only shows what it is handed (``engine.PersonalSamples``, ``engine.PersonalReport``) and asks
for changes through signals; the controller (:mod:`softmax_gui.handwriting.controller`) does
the work.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import (
    QFont,
    QIcon,
    QKeySequence,
    QPainter,
    QPalette,
    QPixmap,
    QShortcut,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

import engine
from engine import MNIST_SIDE, N_CLASSES
from softmax_gui.widgets.image_io import ink_colour_table, ink_to_display

#: On-screen side of both pictures of a sample: the 28×28 input at 2× and the drawing.
PICTURE_SIDE = 2 * MNIST_SIDE
PICTURE_GAP = 4
TILE_SIZE = QSize(2 * PICTURE_SIDE + PICTURE_GAP, PICTURE_SIDE)
#: Room around a tile in its list, and for the list's frame and horizontal scroll bar.
TILE_SPACING = 6
SIDE_WIDTH = 360
DIGIT_POINT_SCALE = 2.2
HEADER_WIDTH = 84
USE_TIP = (
    "On: drawings are read by the model adapted to your samples. Off: by the base "
    "model alone (your samples are kept). Teaching a digit turns it on."
)
RESET_TIP = (
    "Go back to the base model everywhere. Your samples are kept (nothing is "
    "deleted): tick “Use my handwriting” to use them again."
)
HOW_TO = (
    "Teach it on the Draw tab: draw a digit, then type the digit it is (0–9) or click "
    "its bar; digits it already reads right teach it too. Each sample shows what the "
    "model saw (left) and your drawing (right)."
)
NO_FIGURES = (
    "Measure compares the base model with the adapted one: on your own digits "
    "(cross-validated) and on the test set. It runs in the background."
)
MODIFIERS_THAT_EXTEND = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _percent(p: float | None, decimals: int) -> str:
    return "–" if p is None else f"{100 * p:.{decimals}f}%"


def _only_of_their_digit(n_alone: int, n: int) -> str:
    if n_alone == n:
        return "Each of them is the only one of its digit"
    if n_alone == 1:
        return "1 of them is the only one of its digit"
    return f"{n_alone} of them are the only one of their digit"


def report_html(report: engine.PersonalReport, test_name: str) -> str:
    """A small table of ``report``'s figures (base model against adapted)."""
    n = report.n_samples
    cv = (
        "cross-validated: each of your digits is read by a model adapted on the others"
        if report.adapted_cv_accuracy is not None
        else "needs at least 2 samples"
    )
    rows = [
        (
            f"Your {n} digit{'s' if n != 1 else ''}*",
            _percent(report.base_accuracy, 0),
            _percent(report.adapted_cv_accuracy, 0),
        )
    ]
    if report.base_test_accuracy is not None:
        rows.append(
            (
                f"Test set ({test_name})",
                _percent(report.base_test_accuracy, 1),
                _percent(report.adapted_test_accuracy, 1),
            )
        )
    body = "".join(
        f"<tr><td>{name}</td><td align='right'>{base}</td>"
        f"<td align='right'><b>{adapted}</b></td></tr>"
        for name, base, adapted in rows
    )
    note = ""
    if report.adapted_cv_accuracy is not None and report.adapted_cv_accuracy < report.base_accuracy:
        note = (
            " Lower than the base: held out, these digits do not look like the others "
            "taught as the same digit (few samples, or several people's writing), so "
            "adapting on the others does not help them. More samples of your own usual "
            "writing will."
        )
    if report.adapted_cv_accuracy is not None and report.n_alone:
        note += (
            f" {_only_of_their_digit(report.n_alone, n)}: held out, nothing of that digit is "
            "left to learn from, so this figure cannot credit them. Teach a digit twice or "
            "more to see what adapting does for it."
        )
    return (
        f"<table cellspacing='0' cellpadding='3'><tr><th></th><th align='right'>base</th>"
        f"<th align='right'>adapted</th></tr>{body}</table>"
        f"<p><small>* {cv}.{note}</small></p>"
    )


class SampleTiles(QListWidget):
    """One class's samples as a row of tiles; each item holds its sample's index."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # List mode with a left-to-right flow: icon mode would keep an empty text line under
        # every tile (and highlight it when selected).
        self.setViewMode(QListWidget.ViewMode.ListMode)
        self.setFlow(QListWidget.Flow.LeftToRight)
        self.setWrapping(False)
        self.setMovement(QListWidget.Movement.Static)
        self.setIconSize(TILE_SIZE)
        self.setSpacing(TILE_SPACING // 2)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll = self.horizontalScrollBar().sizeHint().height()
        self.setFixedHeight(TILE_SIZE.height() + 2 * TILE_SPACING + scroll + 2 * self.frameWidth())
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def indices(self) -> list[int]:
        """Sample indices of the selected tiles."""
        return [int(item.data(Qt.ItemDataRole.UserRole)) for item in self.selectedItems()]


class HandwritingView(QWidget):
    """The samples grouped by digit, with select, delete, relabel, on/off, reset and figures."""

    use_toggled = Signal(bool)
    reset_requested = Signal()
    delete_requested = Signal(list)  # sample indices
    relabel_requested = Signal(list, int)  # sample indices, new label
    measure_requested = Signal()
    notice_dismissed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._n_samples = 0
        self._tiles_of: engine.PersonalSamples | None = None  # samples whose tiles are due
        self._measuring = False
        self._measured: engine.PersonalReport | None = None
        self._test_name = "test set"
        self.headers: list[QLabel] = []
        self.tiles: list[SampleTiles] = []
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.dismiss_button = QPushButton("Dismiss")
        self.dismiss_button.setToolTip("Hide this message (the file stays where it says)")
        self.dismiss_button.clicked.connect(self._dismiss_notice)
        self.notice_row = QWidget()
        notice_layout = QHBoxLayout(self.notice_row)
        notice_layout.setContentsMargins(0, 0, 0, 0)
        notice_layout.addWidget(self.notice, 1)
        notice_layout.addWidget(self.dismiss_button, 0, Qt.AlignmentFlag.AlignTop)
        self.notice_row.hide()
        layout = QHBoxLayout(self)
        layout.addWidget(self._build_samples(), 1)
        layout.addWidget(self._build_side())
        QShortcut(
            QKeySequence(Qt.Key.Key_Delete),
            self,
            self._delete_selected,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        self.show_samples(engine.PersonalSamples.empty(engine.PREPROCESSING_VERSION))

    # --- construction ------------------------------------------------------------------------
    def _build_samples(self) -> QWidget:
        rows = QWidget()
        grid = QVBoxLayout(rows)
        digit_font = QFont(self.font())
        digit_font.setPointSizeF(digit_font.pointSizeF() * DIGIT_POINT_SCALE)
        digit_font.setBold(True)
        for k in range(N_CLASSES):
            header = QLabel()
            header.setFixedWidth(HEADER_WIDTH)
            header.setAlignment(Qt.AlignmentFlag.AlignCenter)
            tiles = SampleTiles()
            tiles.itemSelectionChanged.connect(lambda t=tiles: self._on_selection(t))
            digit = QLabel(str(k))
            digit.setFont(digit_font)
            digit.setFixedWidth(HEADER_WIDTH // 2)
            digit.setAlignment(Qt.AlignmentFlag.AlignCenter)
            row = QHBoxLayout()
            row.addWidget(digit)
            row.addWidget(header)
            row.addWidget(tiles, 1)
            row.addStretch()  # keeps the digit and count on the left while a class has none
            grid.addLayout(row)
            self.headers.append(header)
            self.tiles.append(tiles)
        grid.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(rows)
        scroll.setWidgetResizable(True)
        box = QGroupBox("My handwriting")
        column = QVBoxLayout(box)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        column.addWidget(self.notice_row)
        column.addWidget(self.summary)
        column.addWidget(scroll, 1)
        return box

    def _build_side(self) -> QWidget:
        side = QWidget()
        side.setFixedWidth(SIDE_WIDTH)
        column = QVBoxLayout(side)
        column.setContentsMargins(0, 0, 0, 0)

        model_box = QGroupBox("Model")
        self.use_box = QCheckBox("Use my handwriting")
        self.use_box.setChecked(True)
        self.use_box.setToolTip(USE_TIP)
        self.use_box.toggled.connect(self.use_toggled)
        self.reset_button = QPushButton("Reset to the base model")
        self.reset_button.setToolTip(RESET_TIP)
        self.reset_button.clicked.connect(self.reset_requested)
        self.model_text = QLabel("No model")
        self.model_text.setWordWrap(True)
        box = QVBoxLayout(model_box)
        box.addWidget(self.use_box)
        box.addWidget(self.model_text)
        box.addWidget(self.reset_button)

        edit_box = QGroupBox("Selected samples")
        self.delete_button = QPushButton("Delete")
        self.delete_button.setToolTip("Delete the selected samples (Delete)")
        self.delete_button.clicked.connect(self._delete_selected)
        self.relabel_digit = QComboBox()
        for k in range(N_CLASSES):
            self.relabel_digit.addItem(str(k), k)
        self.relabel_button = QPushButton("Relabel as")
        self.relabel_button.setToolTip("Give the selected samples this digit")
        self.relabel_button.clicked.connect(self._relabel_selected)
        self.selection_text = QLabel()
        row = QHBoxLayout()
        row.addWidget(self.delete_button)
        row.addStretch(1)
        row.addWidget(self.relabel_button)
        row.addWidget(self.relabel_digit)
        box = QVBoxLayout(edit_box)
        box.addWidget(self.selection_text)
        box.addLayout(row)

        figures_box = QGroupBox("How well does it read you?")
        self.measure_button = QPushButton("Measure")
        self.measure_button.setToolTip("Base against adapted, on your digits and the test set")
        self.measure_button.clicked.connect(self.measure_requested)
        self.figures = QLabel(NO_FIGURES)
        self.figures.setWordWrap(True)
        self.figures.setTextFormat(Qt.TextFormat.RichText)
        box = QVBoxLayout(figures_box)
        box.addWidget(self.figures)
        box.addWidget(self.measure_button, 0, Qt.AlignmentFlag.AlignLeft)

        for widget in (model_box, edit_box, figures_box):
            column.addWidget(widget)
        column.addStretch(1)
        self._update_selection()
        return side

    # --- public interface ----------------------------------------------------------------------
    def show_samples(self, samples: engine.PersonalSamples) -> None:
        """Show every sample under its digit, with the per-class counts.

        The tiles are rebuilt when the view is shown (about 1 ms a sample, so teaching on
        the Draw tab does not pay for a hidden view)."""
        self._n_samples = len(samples)
        self._tiles_of = samples
        if self.isVisible():
            self._build_tiles()
        counts = samples.counts(N_CLASSES)
        for k in range(N_CLASSES):
            self.headers[k].setText(
                f"{counts[k]} sample{'s' if counts[k] != 1 else ''}" if counts[k] else "none yet"
            )
        n = len(samples)
        self.summary.setText(
            f"{n} sample{'s' if n != 1 else ''} taught. {HOW_TO}"
            if n
            else f"No samples yet. {HOW_TO}"
        )
        self._update_selection()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if self._tiles_of is not None:
            self._build_tiles()
            self._update_selection()

    def _build_tiles(self) -> None:
        samples, self._tiles_of = self._tiles_of, None
        if samples is None:
            return
        table = self._colour_table()
        for k, tiles in enumerate(self.tiles):
            tiles.blockSignals(True)
            tiles.clear()
            indices = np.flatnonzero(samples.y == k)
            for index in indices:
                item = QListWidgetItem(
                    QIcon(self._tile(samples.X[index], samples.drawings[index], table)), ""
                )
                item.setData(Qt.ItemDataRole.UserRole, int(index))
                item.setToolTip(
                    f"Sample {index + 1}, taught as {k}: left what the model saw "
                    f"(28×28), right your drawing"
                )
                tiles.addItem(item)
            tiles.blockSignals(False)
            tiles.setVisible(bool(indices.size))
        self._update_figures()

    def set_use(self, on: bool) -> None:
        """Tick or untick "Use my handwriting" (without asking for it again)."""
        self.use_box.blockSignals(True)
        self.use_box.setChecked(on)
        self.use_box.blockSignals(False)

    def set_model_text(self, text: str) -> None:
        """Name the model drawings are read with."""
        self.model_text.setText(f"Drawings are read with: {text}")

    def set_test_name(self, name: str) -> None:
        """Name the loaded test set in the figures."""
        self._test_name = name
        self._update_figures()

    def show_notice(self, text: str) -> None:
        """A message the user should read (e.g. an unreadable samples file), kept on show."""
        self.notice.setText(f"⚠ {text}")
        self.notice_row.setVisible(bool(text))

    def _dismiss_notice(self) -> None:
        self.notice_row.hide()
        self.notice_dismissed.emit()

    def show_report(self, report: engine.PersonalReport) -> None:
        """Show measured figures."""
        self._measured = report
        self._update_figures()

    def set_measuring(self, measuring: bool) -> None:
        """Lock the Measure button while a measurement runs."""
        self._measuring = measuring
        self.measure_button.setText("Measuring…" if measuring else "Measure")
        self._update_figures()

    def selected(self) -> list[int]:
        """Indices of the selected samples, in ascending order."""
        return sorted(i for tiles in self.tiles for i in tiles.indices())

    def select(self, indices: list[int]) -> None:
        """Select exactly the samples at ``indices``."""
        wanted = set(indices)
        for tiles in self.tiles:
            tiles.blockSignals(True)
            for row in range(tiles.count()):
                item = tiles.item(row)
                item.setSelected(int(item.data(Qt.ItemDataRole.UserRole)) in wanted)
            tiles.blockSignals(False)
        self._update_selection()

    # --- slots ---------------------------------------------------------------------------------
    def _on_selection(self, source: SampleTiles) -> None:
        if source.selectedItems() and not QApplication.keyboardModifiers() & MODIFIERS_THAT_EXTEND:
            for tiles in self.tiles:  # a plain click starts a new selection in every row
                if tiles is not source:
                    tiles.blockSignals(True)
                    tiles.clearSelection()
                    tiles.blockSignals(False)
        self._update_selection()

    def _delete_selected(self) -> None:
        if self.selected():
            self.delete_requested.emit(self.selected())

    def _relabel_selected(self) -> None:
        if self.selected():
            self.relabel_requested.emit(self.selected(), int(self.relabel_digit.currentData()))

    # --- drawing -------------------------------------------------------------------------------
    def _update_selection(self) -> None:
        n = len(self.selected())
        self.selection_text.setText(
            f"{n} selected" if n else "Click a sample to select it (Ctrl-click for more)."
        )
        self.delete_button.setEnabled(bool(n))
        self.relabel_button.setEnabled(bool(n))
        self.relabel_digit.setEnabled(bool(n))

    def _update_figures(self) -> None:
        report = self._measured
        self.measure_button.setEnabled(not self._measuring and self._n_samples > 0)
        if report is None:
            self.figures.setText(NO_FIGURES)
            return
        text = report_html(report, self._test_name)
        if report.n_samples != self._n_samples:
            text += (
                f"<p><i>Measured with {report.n_samples} samples; you have "
                f"{self._n_samples} now. Measure again to update.</i></p>"
            )
        self.figures.setText(text)

    def _colour_table(self) -> np.ndarray:
        pal = self.palette()
        return ink_colour_table(
            pal.color(QPalette.ColorRole.Base), pal.color(QPalette.ColorRole.Text)
        )

    def _tile(self, x: np.ndarray, drawing: np.ndarray, table: np.ndarray) -> QPixmap:
        """The model input (28×28, square pixels) beside the drawing's thumbnail."""
        pixmap = QPixmap(TILE_SIZE)
        pixmap.fill(Qt.GlobalColor.transparent)
        model_input = engine.to_grey_levels(x.reshape(MNIST_SIDE, MNIST_SIDE))
        painter = QPainter(pixmap)
        painter.drawImage(
            0,
            0,
            ink_to_display(model_input, table).scaled(
                PICTURE_SIDE,
                PICTURE_SIDE,
                Qt.AspectRatioMode.IgnoreAspectRatio,
                Qt.TransformationMode.FastTransformation,
            ),
        )
        painter.drawImage(
            PICTURE_SIDE + PICTURE_GAP,
            0,
            ink_to_display(drawing, table).scaled(
                PICTURE_SIDE,
                PICTURE_SIDE,
                Qt.AspectRatioMode.IgnoreAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            ),
        )
        painter.setPen(self.palette().color(QPalette.ColorRole.Mid))
        painter.drawRect(0, 0, PICTURE_SIDE - 1, PICTURE_SIDE - 1)
        painter.drawRect(PICTURE_SIDE + PICTURE_GAP, 0, PICTURE_SIDE - 1, PICTURE_SIDE - 1)
        painter.end()
        return pixmap
