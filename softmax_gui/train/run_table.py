"""The runs table: one row per run on the plots, newest first, with its optimizer, settings,
data, training time, final errors and outcome; its tick box shows or hides the run's curves."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from softmax_gui.train.plot_style import run_colour
from softmax_gui.train.run_summary import RunSummary, percent

#: The columns' titles (English: also the keys of :meth:`RunTable.row_texts`).
_COLUMNS = (
    QT_TRANSLATE_NOOP("RunTable", "Run"),
    QT_TRANSLATE_NOOP("RunTable", "Optimizer"),
    QT_TRANSLATE_NOOP("RunTable", "Settings"),
    QT_TRANSLATE_NOOP("RunTable", "Data"),
    QT_TRANSLATE_NOOP("RunTable", "Time"),
    QT_TRANSLATE_NOOP("RunTable", "Train error"),
    QT_TRANSLATE_NOOP("RunTable", "Test error"),
    QT_TRANSLATE_NOOP("RunTable", "Result"),
)
COLUMNS: tuple[str, ...] = tuple(str(title) for title in _COLUMNS)
SETTINGS_COLUMN = COLUMNS.index("Settings")
RESULT_COLUMN = COLUMNS.index("Result")
#: Columns whose figures line up on the right.
NUMERIC = {COLUMNS.index(name) for name in ("Time", "Train error", "Test error")}
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
NBSP = "\u00a0"
#: Text lines a row shows, and the space around them (px).
ROW_LINES, ROW_PADDING = 2, 6
#: The widest the Result column starts (px); the user can widen it.
RESULT_WIDTH = 220


def wrap_between(parts: list[str]) -> str:
    """``parts`` joined by " · ", which a wrapping cell breaks only between parts."""
    return " · ".join(part.replace(" ", NBSP) for part in parts)


class RunTable(QTableWidget):
    """Read-only rows describing runs; the first column's tick box is the run's visibility."""

    #: The user ticked (True) or unticked (False) run ``number``.
    visibility_toggled = Signal(int, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.setHorizontalHeaderLabels([self.tr(title) for title in COLUMNS])
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setAccessibleName(self.tr("Runs"))
        self.setAccessibleDescription(
            self.tr(
                "One row per run, newest first: its settings, data, training time, errors and "
                "how it ended; the first column's tick box shows or hides its curves"
            )
        )
        # the settings wrap (between " · " parts) onto ROW_LINES lines, the last one elided
        # when even that is too short; each cell's tooltip has its whole text. Rows of a fixed
        # height keep several runs in view in a short table.
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        rows = self.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(ROW_LINES * self.fontMetrics().lineSpacing() + ROW_PADDING)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(SETTINGS_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(RESULT_COLUMN, QHeaderView.ResizeMode.Interactive)
        self._filling = False
        self.itemChanged.connect(self._on_item_changed)

    def show_runs(self, runs: list[tuple[RunSummary, bool]]) -> None:
        """One row per ``(summary, shown)``, in the order given."""
        self._filling = True
        self.setRowCount(len(runs))
        for row, (summary, shown) in enumerate(runs):
            texts = (
                str(summary.number),
                summary.optimizer,
                wrap_between(summary.settings_parts()),
                summary.data_text(),
                summary.time_text(),
                percent(summary.train_error),
                percent(summary.test_error),
                summary.outcome_text(),
            )
            show_tip = self.tr("Tick to show this run's curves, untick to hide them")
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setToolTip(show_tip if column == 0 else text)
                if column in NUMERIC:
                    item.setTextAlignment(RIGHT)
                self.setItem(row, column, item)
            first = self._cell(row, 0)
            first.setData(Qt.ItemDataRole.UserRole, summary.number)
            first.setData(Qt.ItemDataRole.DecorationRole, run_colour(summary.number))
            first.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            first.setCheckState(Qt.CheckState.Checked if shown else Qt.CheckState.Unchecked)
        self._filling = False
        # as wide as the results, up to a cap: a long reason wraps and leaves the settings room
        self.resizeColumnToContents(RESULT_COLUMN)
        self.setColumnWidth(RESULT_COLUMN, min(self.columnWidth(RESULT_COLUMN), RESULT_WIDTH))

    def numbers(self) -> list[int]:
        """The run numbers of the rows, top to bottom."""
        return [self._cell(row, 0).data(Qt.ItemDataRole.UserRole) for row in range(self.rowCount())]

    def row_texts(self, number: int) -> dict[str, str]:
        """Run ``number``'s row, keyed by column title."""
        row = self.numbers().index(number)
        return {
            title: self._cell(row, column).text().replace(NBSP, " ")
            for column, title in enumerate(COLUMNS)
        }

    def is_ticked(self, number: int) -> bool:
        """Whether run ``number``'s tick box is ticked."""
        row = self.numbers().index(number)
        return self._cell(row, 0).checkState() == Qt.CheckState.Checked

    def set_ticked(self, number: int, ticked: bool) -> None:
        """Tick or untick run ``number`` without reporting it as the user's change."""
        if number not in self.numbers():
            return
        self._filling = True
        state = Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked
        self._cell(self.numbers().index(number), 0).setCheckState(state)
        self._filling = False

    def _cell(self, row: int, column: int) -> QTableWidgetItem:
        item = self.item(row, column)
        if item is None:  # show_runs fills every cell of every row
            raise LookupError(f"run table cell ({row}, {column}) is empty")
        return item

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() != 0:
            return
        number = item.data(Qt.ItemDataRole.UserRole)
        self.visibility_toggled.emit(number, item.checkState() == Qt.CheckState.Checked)
