"""The runs table: one row per run on the plots, newest first, with its optimizer, settings,
data, training time, final errors and outcome; its tick box shows or hides the run's curves."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from softmax_gui.train.plot_style import run_colour
from softmax_gui.train.run_summary import RunSummary, percent

COLUMNS = ("Run", "Optimizer", "Settings", "Data", "Time", "Train error", "Test error", "Result")
SETTINGS_COLUMN = COLUMNS.index("Settings")
#: Columns whose figures line up on the right.
NUMERIC = {COLUMNS.index(name) for name in ("Time", "Train error", "Test error")}
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
SHOW_TIP = "Tick to show this run's curves, untick to hide them"


class RunTable(QTableWidget):
    """Read-only rows describing runs; the first column's tick box is the run's visibility."""

    #: The user ticked (True) or unticked (False) run ``number``.
    visibility_toggled = Signal(int, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.setHorizontalHeaderLabels(COLUMNS)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(SETTINGS_COLUMN, QHeaderView.ResizeMode.Stretch)
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
                summary.settings_text(),
                summary.data_text(),
                summary.time_text(),
                percent(summary.train_error),
                percent(summary.test_error),
                summary.outcome_text(),
            )
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setToolTip(SHOW_TIP if column == 0 else text)
                if column in NUMERIC:
                    item.setTextAlignment(RIGHT)
                self.setItem(row, column, item)
            first = self._cell(row, 0)
            first.setData(Qt.ItemDataRole.UserRole, summary.number)
            first.setData(Qt.ItemDataRole.DecorationRole, run_colour(summary.number))
            first.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            first.setCheckState(Qt.CheckState.Checked if shown else Qt.CheckState.Unchecked)
        self._filling = False

    def numbers(self) -> list[int]:
        """The run numbers of the rows, top to bottom."""
        return [self._cell(row, 0).data(Qt.ItemDataRole.UserRole) for row in range(self.rowCount())]

    def row_texts(self, number: int) -> dict[str, str]:
        """Run ``number``'s row, keyed by column title."""
        row = self.numbers().index(number)
        return {title: self._cell(row, column).text() for column, title in enumerate(COLUMNS)}

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
