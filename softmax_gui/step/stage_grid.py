"""A painted table of stages: a formula, the NumPy line, then one number per class.

Painted rather than a rich-text table: Qt lays out an HTML table of 120 cells in 15–60 ms
(measured on a loaded 2-core machine), this grid in well under 1 ms, so the tab keeps up.
Columns have minimum widths in characters, so grids above one another line up. Too narrow
for that (a small window, or Chinese names), a grid writes each NumPy line and note under its
formula instead, so the ten numbers still fit without a horizontal scroll bar.
A grid whose numbers can be clicked takes focus: Left/Right move a column cursor, Enter picks
it. A screen reader reads the whole grid as text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QFont,
    QFontDatabase,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from softmax_gui.step.accessible import set_description

#: How strongly the true class's column is tinted with the highlight colour.
TRUE_TINT = 0.22
PADDING = 6  # px between columns
COMPACT_GAP = 4  # px more between the two-line rows of a narrow grid
#: Minimum column widths in characters, shared by every grid so their columns line up.
FORMULA_CHARS = 26
CODE_CHARS = 24
NUMBER_REFERENCE = "−7.8e−04"  # the widest usual number; a wider one widens its grid
#: The notes after the numbers are at least this wide, so new numbers keep the size hint.
NOTE_REFERENCE = "max z = −000.000"


def mix(a: QColor, b: QColor, t: float) -> QColor:
    """``a`` moved a fraction ``t`` towards ``b``."""
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * t,
        a.greenF() + (b.greenF() - a.greenF()) * t,
        a.blueF() + (b.blueF() - a.blueF()) * t,
    )


@dataclass(frozen=True)
class Row:
    """One stage: its formula (plain text with Unicode symbols), the NumPy line, the numbers
    already formatted, and a note after them (``Σe = 1.03``)."""

    formula: str
    code: str
    cells: tuple[str, ...]
    note: str = ""
    bold: bool = False


class StageGrid(QWidget):
    """Rows of stages under a header of class names, the true class's column tinted."""

    #: The user clicked a number in the column of this class.
    column_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None, *, keyboard: bool = False) -> None:
        super().__init__(parent)
        self._keyboard = keyboard
        self._cursor = 0  # the column Enter picks, for a keyboard grid
        if keyboard:
            self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._names: tuple[str, ...] = ()
        self._marks: dict[int, str] = {}
        self._rows: tuple[Row, ...] = ()
        self._tinted: int | None = None
        self._mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self._bold = QFont(self.font())
        self._bold.setBold(True)
        self._widths = (0, 0, 0, 0)
        self._compact_left = 0  # the formula column when code and note go under the formula
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def set_rows(
        self,
        names: Sequence[str],
        rows: Sequence[Row],
        *,
        tinted: int | None = None,
        marks: dict[int, str] | None = None,
    ) -> None:
        """Show ``rows`` under ``names``; tint column ``tinted``; ``marks`` go under names."""
        old = (self.sizeHint(), self.minimumSizeHint())
        self._names, self._rows = tuple(names), tuple(rows)
        self._tinted, self._marks = tinted, dict(marks or {})
        self._widths = self._measure()
        if (self.sizeHint(), self.minimumSizeHint()) != old:
            # only then: a new size hint relayouts the whole scrolling page (~30 ms)
            self.updateGeometry()
        self.update()
        set_description(self, self.describe())

    def describe(self) -> str:
        """The grid in words for a screen reader: a line a row, each number with its class."""
        lines = []
        for r in self._rows:
            cells = ", ".join(f"{n}: {c}" for n, c in zip(self._names, r.cells, strict=False))
            lines.append(f"{r.formula}: {cells}" + (f"; {r.note}" if r.note else ""))
        if self._keyboard and self._names:
            name = self._names[min(self._cursor, len(self._names) - 1)]
            lines.append(
                self.tr(
                    "Cursor on class {name}. Left and Right arrow keys move it, Enter checks the "
                    "number by finite differences."
                ).format(name=name)
            )
        return "\n".join(lines)

    def text(self) -> str:
        """The grid as plain text, a line a row, cells separated by tabs."""
        lines = ["\t".join(("", "", *self._names))]
        lines += ["\t".join((r.formula, r.code, *r.cells, r.note)) for r in self._rows]
        return "\n".join(lines)

    def _measure(self) -> tuple[int, int, int, int]:
        fm, bold, mono = self.fontMetrics(), QFontMetrics(self._bold), QFontMetrics(self._mono)
        formula = max(
            [fm.horizontalAdvance("x") * FORMULA_CHARS]
            + [(bold if r.bold else fm).horizontalAdvance(r.formula) for r in self._rows]
        )
        code = max(
            [mono.horizontalAdvance("x") * CODE_CHARS]
            + [mono.horizontalAdvance(r.code) for r in self._rows]
        )
        cells = (c for r in self._rows for c in r.cells)
        number = max(
            max(bold.horizontalAdvance(t) for t in self._names),
            max(fm.horizontalAdvance(t) for t in (*cells, NUMBER_REFERENCE)),
        )
        note = max(fm.horizontalAdvance(t) for t in (*(r.note for r in self._rows), NOTE_REFERENCE))
        under = [
            mono.horizontalAdvance(r.code) + (2 * PADDING + fm.horizontalAdvance(r.note))
            for r in self._rows
        ]
        self._compact_left = max([formula, *under]) + PADDING
        return formula + PADDING, code + PADDING, number + PADDING, note

    def _wide_width(self) -> int:
        formula, code, number, note = self._widths
        return formula + code + number * len(self._names) + PADDING + note

    def compact(self) -> bool:
        """Whether the NumPy lines and notes are written under the formulas (a narrow grid)."""
        return self.width() < self._wide_width()

    def _left(self) -> int:
        """Where the numbers start."""
        formula_w, code_w, _, _ = self._widths
        return self._compact_left if self.compact() else formula_w + code_w

    def column_at(self, x: float) -> int | None:
        """The class whose column holds widget x-coordinate ``x``, or None."""
        number_w, left = self._widths[2], self._left()
        j = int((x - left) // max(number_w, 1))
        return j if x >= left and j < len(self._names) else None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        j = self.column_at(event.position().x())
        if event.button() == Qt.MouseButton.LeftButton and j is not None:
            self._cursor = j
            self.update()
            self.column_clicked.emit(j)
            event.accept()
        else:
            super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, n = Qt.Key(event.key()), len(self._names)
        if not (self._keyboard and n):
            super().keyPressEvent(event)
            return
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            step = 1 if key == Qt.Key.Key_Right else -1
            self._cursor = min(max(self._cursor + step, 0), n - 1)
            self.update()
            set_description(self, self.describe())
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.column_clicked.emit(min(self._cursor, n - 1))
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()

    def _row_height(self) -> int:
        return self.fontMetrics().height() + 4

    def _height(self, compact: bool) -> int:
        header = 2 * self.fontMetrics().height() + 4
        row = self._row_height() + (self.fontMetrics().height() + COMPACT_GAP if compact else 0)
        return header + row * len(self._rows)

    def sizeHint(self) -> QSize:
        return QSize(self._wide_width(), self._height(False))

    def minimumSizeHint(self) -> QSize:
        width = self._compact_left + self._widths[2] * len(self._names)
        return QSize(width, self._height(True))

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._height(width < self._wide_width())

    def paintEvent(self, event: QPaintEvent) -> None:
        pal = self.palette()
        formula_w, code_w, number_w, _ = self._widths
        line = self.fontMetrics().height()
        compact = self.compact()
        header, row_h = 2 * line + 4, self._row_height() + (line + COMPACT_GAP if compact else 0)
        left = self._left()
        painter = QPainter(self)
        if self._tinted is not None:
            tint = mix(
                pal.color(QPalette.ColorRole.Base),
                pal.color(QPalette.ColorRole.Highlight),
                TRUE_TINT,
            )
            x = left + self._tinted * number_w
            painter.fillRect(QRectF(x, 0, number_w, self.height()), tint)
        painter.setPen(pal.color(QPalette.ColorRole.Text))
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        painter.setFont(self._bold)
        for j, name in enumerate(self._names):
            header_cell = QRectF(left + j * number_w, 0, number_w - PADDING / 2, line)
            painter.drawText(header_cell, right, name)
            if j in self._marks:
                painter.drawText(header_cell.translated(0, line), right, self._marks[j])
        for k, r in enumerate(self._rows):
            top = header + k * row_h
            left_cell = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
            painter.setFont(self._bold if r.bold else self.font())
            if compact:  # formula above, NumPy line and note beneath
                half = row_h / 2
                painter.drawText(QRectF(0, top, left, half), left_cell, r.formula)
                painter.setFont(self._mono)
                code_rect = QRectF(0, top + half, left, half)
                painter.drawText(code_rect, left_cell, r.code)
                x = QFontMetrics(self._mono).horizontalAdvance(r.code) + 2 * PADDING
                painter.setFont(self.font())
                painter.drawText(QRectF(x, top + half, left - x, half), left_cell, r.note)
            else:
                painter.drawText(QRectF(0, top, formula_w, row_h), left_cell, r.formula)
                painter.setFont(self._mono)
                painter.drawText(QRectF(formula_w, top, code_w, row_h), left_cell, r.code)
            painter.setFont(self.font())
            for j, cell in enumerate(r.cells):
                rect = QRectF(left + j * number_w, top, number_w - PADDING / 2, row_h)
                painter.drawText(rect, right, cell)
            if r.note and not compact:
                x = left + len(r.cells) * number_w + PADDING
                painter.drawText(QRectF(x, top, self.width() - x, row_h), left_cell, r.note)
        if self._keyboard and self.hasFocus() and self._names:
            # the keyboard cursor: the column Enter checks
            x = left + min(self._cursor, len(self._names) - 1) * number_w
            painter.setPen(QPen(pal.color(QPalette.ColorRole.Text), 1, Qt.PenStyle.DotLine))
            painter.drawRect(QRectF(x + 1, 1, number_w - 2, self.height() - 2))
        painter.end()


def formatted(values: np.ndarray, fmt: Callable[[float], str]) -> tuple[str, ...]:
    """``values`` through the formatter ``fmt``."""
    return tuple(fmt(float(v)) for v in values)
