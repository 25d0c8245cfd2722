"""An m×10 matrix (P, Y or P − Y of a mini-batch) as a grid of coloured cells.

Rows are examples, columns classes. Cells carry their number when they are tall enough to
read it; otherwise hovering shows it. Clicking a row picks that example; so do the Up and
Down arrow keys (Home, End) when the matrix has focus. A screen reader reads the chosen row.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QHelpEvent,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from softmax_gui.step.accessible import set_description
from softmax_gui.step.formula_view import format_short, format_value
from softmax_gui.widgets.colours import AGAINST_COLOUR, FOR_COLOUR
from softmax_gui.widgets.image_io import rgb_to_qimage

MIN_CELL_WIDTH = 26
MIN_HEIGHT = 160
MAX_HEIGHT = 420
HEADER_ROWS = 1
CELL_MARGIN = 4  # px of room around a cell's number


def _rgb(colour: QColor) -> np.ndarray:
    return np.array([colour.red(), colour.green(), colour.blue()], dtype=np.float64)


class MatrixView(QWidget):
    """An (m, k) matrix in colour: ``0..1`` in the highlight colour, or signed ``−1..1`` in
    the evidence colours (blue below zero, vermillion above)."""

    #: The user clicked the row of this example.
    row_clicked = Signal(int)

    def __init__(self, signed: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._signed = signed
        self._values = np.zeros((0, 0))
        self._selected = -1
        self.setMinimumSize(10 * MIN_CELL_WIDTH, MIN_HEIGHT)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def set_matrix(self, values: np.ndarray, selected: int) -> None:
        """Show ``values`` (m, k), framing row ``selected``."""
        self._values = np.asarray(values, dtype=np.float64)
        self._selected = selected
        self.updateGeometry()
        self.update()
        set_description(self, self.describe())

    def describe(self) -> str:
        """The matrix in words: its shape, then the values of the framed row."""
        m, k = self._values.shape
        text = self.tr("{m} rows (examples) × {k} columns (classes).").format(m=m, k=k)
        if 0 <= self._selected < m:
            row = self._values[self._selected]
            cells = ", ".join(f"{j}: {format_value(v)}" for j, v in enumerate(row))
            text += " " + self.tr("Example {i}: {cells}.").format(i=self._selected, cells=cells)
        return text + " " + self.tr("Up and Down arrow keys choose the example.")

    def values(self) -> np.ndarray:
        """The matrix on show (m, k)."""
        return self._values.copy()

    def sizeHint(self) -> QSize:
        rows = self._values.shape[0] + HEADER_ROWS
        per_row = self.fontMetrics().height() + CELL_MARGIN
        height = min(max(rows * per_row, MIN_HEIGHT), MAX_HEIGHT)
        return QSize(10 * MIN_CELL_WIDTH * 2, height)

    def _geometry(self) -> tuple[float, float, float]:
        m, k = self._values.shape
        head = float(self.fontMetrics().height())
        return head, self.width() / max(k, 1), (self.height() - head) / max(m, 1)

    def cell_at(self, pos: QPointF) -> tuple[int, int] | None:
        """(row, column) under widget point ``pos``, or None outside the cells."""
        m, k = self._values.shape
        head, w, h = self._geometry()
        if m == 0 or pos.y() < head:
            return None
        row, col = int((pos.y() - head) // h), int(pos.x() // w)
        return (row, col) if 0 <= row < m and 0 <= col < k else None

    def _cells_image(self, base: QColor, high: QColor) -> QImage:
        """One pixel per cell, coloured in one NumPy pass (30,000 QColor mixes for a batch
        of 100 took ~20 ms a paint)."""
        v = self._values
        if self._signed:
            t = np.minimum(np.abs(v), 1.0)[..., None]
            target = np.where((v > 0)[..., None], _rgb(FOR_COLOUR), _rgb(AGAINST_COLOUR))
        else:
            t = np.clip(v, 0.0, 1.0)[..., None]
            target = _rgb(high)
        rgb = np.rint(_rgb(base) + (target - _rgb(base)) * t).astype(np.uint32)  # (m, k, 3)
        packed = np.uint32(0xFF000000) | rgb[..., 0] << 16 | rgb[..., 1] << 8 | rgb[..., 2]
        return rgb_to_qimage(packed)

    def paintEvent(self, event: QPaintEvent) -> None:
        pal = self.palette()
        base, high = pal.color(QPalette.ColorRole.Base), pal.color(QPalette.ColorRole.Highlight)
        text = pal.color(QPalette.ColorRole.Text)
        m, k = self._values.shape
        head, w, h = self._geometry()
        painter = QPainter(self)
        painter.setPen(text)
        for j in range(k):
            painter.drawText(QRectF(j * w, 0, w, head), Qt.AlignmentFlag.AlignCenter, str(j))
        if m:
            # no smoothing: each cell stays one flat colour
            painter.drawImage(QRectF(0, head, k * w, m * h), self._cells_image(base, high))
        widest = self.fontMetrics().horizontalAdvance(format_short(-0.99)) + CELL_MARGIN
        if h >= self.fontMetrics().height() and w >= widest:
            for i in range(m):
                for j in range(k):
                    cell = QRectF(j * w, head + i * h, w, h)
                    painter.drawText(
                        cell, Qt.AlignmentFlag.AlignCenter, format_short(self._values[i, j])
                    )
        if 0 <= self._selected < m:
            # a thicker frame while the keyboard is on the matrix: where the arrows act
            painter.setPen(QPen(text, 3 if self.hasFocus() else 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(1, head + self._selected * h, self.width() - 2, h))
        painter.setPen(pal.color(QPalette.ColorRole.Mid))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(QRectF(0, head, self.width() - 1, self.height() - head - 1))
        painter.end()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            cell = self.cell_at(QPointF(event.pos()))
            if cell is None:
                QToolTip.hideText()
            else:
                i, j = cell
                QToolTip.showText(
                    event.globalPos(),
                    self.tr("example {i}, class {j}: {value}").format(
                        i=i, j=j, value=format_value(self._values[i, j])
                    ),
                    self,
                )
            return True
        return super().event(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        cell = self.cell_at(event.position())
        if event.button() == Qt.MouseButton.LeftButton and cell is not None:
            self.row_clicked.emit(cell[0])
            event.accept()
        else:
            super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        m = self._values.shape[0]
        moves = {
            Qt.Key.Key_Up: self._selected - 1,
            Qt.Key.Key_Down: self._selected + 1,
            Qt.Key.Key_Home: 0,
            Qt.Key.Key_End: m - 1,
        }
        key = Qt.Key(event.key())
        if m and key in moves:
            self.row_clicked.emit(min(max(moves[key], 0), m - 1))
            event.accept()
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()
