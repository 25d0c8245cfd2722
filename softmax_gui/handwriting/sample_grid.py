"""The taught samples as a grid: one row a digit (the digit, its count, its samples' tiles),
with one selection across the rows.

Each tile shows the 28×28 image the model saw next to a thumbnail of the drawing, and is
named for a screen reader ("Sample 12, taught as 7, read as 7", and any conflict in words).
The grid is operable from the keyboard: the arrow keys move the selection (up and down
between digits), Delete and Ctrl+Z are the tab's shortcuts.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import (
    QFont,
    QIcon,
    QKeyEvent,
    QPainter,
    QPalette,
    QPen,
    QPixmap,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

import engine
from engine import MNIST_SIDE, N_CLASSES
from softmax_gui.handwriting.outcome import count_samples, digit_list
from softmax_gui.widgets.colours import WARNING_COLOUR
from softmax_gui.widgets.image_io import ink_colour_table, ink_to_display

#: On-screen side of both pictures of a sample: the 28×28 input at 2× and the drawing.
PICTURE_SIDE = 2 * MNIST_SIDE
PICTURE_GAP = 4
TILE_SIZE = QSize(2 * PICTURE_SIDE + PICTURE_GAP, PICTURE_SIDE)
#: Room around a tile in its list, and for the list's frame and horizontal scroll bar.
TILE_SPACING = 6
DIGIT_POINT_SCALE = 2.2
HEADER_WIDTH = 84
MODIFIERS_THAT_EXTEND = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
#: A tile whose input was also taught as another digit: a frame this wide in the warning
#: colour, and "⚠ also 4" in its corner.
CONFLICT_FRAME = 3
#: Item data: the other digits a sample's input was taught as (empty list: none).
CONFLICT_ROLE = Qt.ItemDataRole.UserRole + 1


class SampleTiles(QListWidget):
    """One class's samples as a row of tiles; each item holds its sample's index."""

    #: Up (-1) or Down (+1) was pressed: the grid moves to the row above or below.
    row_step = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
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

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down) and not event.modifiers():
            self.row_step.emit(-1 if event.key() == Qt.Key.Key_Up else 1)
            return
        super().keyPressEvent(event)

    def indices(self) -> list[int]:
        """Sample indices of the selected tiles."""
        return [int(item.data(Qt.ItemDataRole.UserRole)) for item in self.selectedItems()]


class SampleGrid(QWidget):
    """Ten rows, one a digit: the digit, how many samples it has, and their tiles."""

    selection_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tiles_of: engine.PersonalSamples | None = None  # samples whose tiles are due
        self._conflicts: dict[int, list[int]] = {}
        self._model: engine.SoftmaxModel | None = None  # reads the samples for their names
        self._samples: engine.PersonalSamples | None = None  # the samples the tiles show
        self.headers: list[QLabel] = []
        self.tiles: list[SampleTiles] = []
        grid = QVBoxLayout(self)
        digit_font = QFont(self.font())
        digit_font.setPointSizeF(digit_font.pointSizeF() * DIGIT_POINT_SCALE)
        digit_font.setBold(True)
        for k in range(N_CLASSES):
            header = QLabel()
            header.setFixedWidth(HEADER_WIDTH)
            header.setAlignment(Qt.AlignmentFlag.AlignCenter)
            tiles = SampleTiles()
            tiles.setAccessibleName(self.tr("Samples taught as {digit}").format(digit=k))
            tiles.itemSelectionChanged.connect(lambda t=tiles: self._on_selection(t))
            tiles.row_step.connect(lambda step, row=k: self._step_row(row, step))
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

    def show_samples(
        self, samples: engine.PersonalSamples, conflicts: dict[int, list[int]] | None = None
    ) -> None:
        """Show every sample under its digit, with the per-class counts; the samples in
        ``conflicts`` (index -> the other digits it was taught as) are framed and marked ⚠.

        The tiles are rebuilt when the grid is shown (about 1 ms a sample, so teaching on
        the Draw tab does not pay for a hidden view)."""
        self._tiles_of, self._conflicts = samples, dict(conflicts or {})
        if self.isVisible():
            self._build_tiles()
        counts = samples.counts(N_CLASSES)
        for k in range(N_CLASSES):
            self.headers[k].setText(count_samples(counts[k]) if counts[k] else self.tr("none yet"))

    def set_model(self, model: engine.SoftmaxModel) -> None:
        """Name every tile with what ``model`` (the one that reads now) reads it as."""
        self._model = model
        if self._tiles_of is None:  # the tiles are built: rename them
            self._name_tiles()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if self._tiles_of is not None:
            self._build_tiles()
            self.selection_changed.emit()

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
        self.selection_changed.emit()

    def _step_row(self, row: int, step: int) -> None:
        """Move the keyboard selection to the nearest shown row above (-1) or below (+1)."""
        source = self.tiles[row]
        column = max(source.currentRow(), 0)
        k = row + step
        while 0 <= k < N_CLASSES and not self.tiles[k].count():
            k += step
        if not 0 <= k < N_CLASSES:
            return
        target = self.tiles[k]
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        target.setCurrentRow(min(column, target.count() - 1))  # selects it, alone

    def _on_selection(self, source: SampleTiles) -> None:
        if source.selectedItems() and not QApplication.keyboardModifiers() & MODIFIERS_THAT_EXTEND:
            for tiles in self.tiles:  # a plain click starts a new selection in every row
                if tiles is not source:
                    tiles.blockSignals(True)
                    tiles.clearSelection()
                    tiles.blockSignals(False)
        self.selection_changed.emit()

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
                others = self._conflicts.get(int(index), [])
                item = QListWidgetItem(
                    QIcon(self._tile(samples.X[index], samples.drawings[index], table, others)),
                    "",
                )
                item.setData(Qt.ItemDataRole.UserRole, int(index))
                item.setData(CONFLICT_ROLE, others)
                tip = self.tr(
                    "Sample {n}, taught as {digit}: left what the model saw (28×28), right "
                    "your drawing"
                ).format(n=index + 1, digit=k)
                if others:
                    tip = self.tr(
                        "⚠ Conflict: the same drawing was also taught as {others}. {tip}"
                    ).format(others=digit_list(others), tip=tip)
                item.setToolTip(tip)
                tiles.addItem(item)
            tiles.blockSignals(False)
            tiles.setVisible(bool(indices.size))
        self._samples = samples
        self._name_tiles()

    def _name_tiles(self) -> None:
        """Each tile's accessible name: its number, its digit, what the model reads it as,
        and a conflict in words."""
        samples, model = self._samples, self._model
        read_as = None
        if samples is not None and model is not None and len(samples):
            if engine.same_preprocessing(samples, model):
                read_as = model.predict(samples.X)  # (n,)
        for k, tiles in enumerate(self.tiles):
            for row in range(tiles.count()):
                item = tiles.item(row)
                index = int(item.data(Qt.ItemDataRole.UserRole))
                if read_as is None or index >= read_as.size:
                    name = self.tr("Sample {n}, taught as {digit}")
                else:
                    name = self.tr("Sample {n}, taught as {digit}, read as {read}")
                name = name.format(
                    n=index + 1, digit=k, read=-1 if read_as is None else int(read_as[index])
                )
                others = item.data(CONFLICT_ROLE)
                if others:
                    name = self.tr(
                        "{name}. Conflict: the same drawing was also taught as {others}"
                    ).format(name=name, others=digit_list(others))
                item.setData(Qt.ItemDataRole.AccessibleTextRole, name)

    def _colour_table(self) -> np.ndarray:
        pal = self.palette()
        return ink_colour_table(
            pal.color(QPalette.ColorRole.Base), pal.color(QPalette.ColorRole.Text)
        )

    def conflicted(self, k: int) -> list[int]:
        """Sample indices flagged as taught as another digit too, in digit ``k``'s row."""
        tiles = self.tiles[k]
        return [
            int(tiles.item(row).data(Qt.ItemDataRole.UserRole))
            for row in range(tiles.count())
            if tiles.item(row).data(CONFLICT_ROLE)
        ]

    def _tile(
        self, x: np.ndarray, drawing: np.ndarray, table: np.ndarray, others: list[int]
    ) -> QPixmap:
        """The model input (28×28, square pixels) beside the drawing's thumbnail; framed in
        the warning colour with "⚠ also" and the other digits when the same input was taught
        as those too."""
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
        if others:
            pen = QPen(WARNING_COLOUR)
            pen.setWidth(CONFLICT_FRAME)
            painter.setPen(pen)
            painter.drawRect(
                CONFLICT_FRAME // 2,
                CONFLICT_FRAME // 2,
                TILE_SIZE.width() - CONFLICT_FRAME,
                TILE_SIZE.height() - CONFLICT_FRAME,
            )
            # the words on a plain badge across the pictures' foot, so they read over ink
            text = self.tr("⚠ also {others}").format(others=",".join(str(d) for d in others))
            font = QFont(self.font())
            font.setBold(True)
            painter.setFont(font)
            inner = pixmap.rect().adjusted(
                CONFLICT_FRAME, CONFLICT_FRAME, -CONFLICT_FRAME, -CONFLICT_FRAME
            )
            badge = painter.fontMetrics().boundingRect(inner, Qt.AlignmentFlag.AlignCenter, text)
            badge = badge.adjusted(-2, 0, 2, 0).intersected(inner)
            badge.moveBottom(inner.bottom())
            painter.fillRect(badge, self.palette().color(QPalette.ColorRole.Base))
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, text)
        painter.end()
        return pixmap
