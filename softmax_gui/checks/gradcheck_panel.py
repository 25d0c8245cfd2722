"""Gradient check: settings, verdict, and analytic vs numeric gradients (table and scatter)."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

import engine
from softmax_gui.train.controls import SciSpinBox
from softmax_gui.train.plot_style import GRID_ALPHA, apply_palette

DEFAULT_IMAGES = 200
DEFAULT_CHECKS = 300
#: Upper bounds keep a check to seconds: it cannot be interrupted, and closing waits for it.
MAX_IMAGES = 1000
MAX_CHECKS = 1000
PASS_STYLE = "background:#2e7d32; color:white; border-radius:4px; padding:4px 10px;"
FAIL_STYLE = "background:#c62828; color:white; border-radius:4px; padding:4px 10px;"
IDLE_STYLE = "padding:4px 10px;"
SETTINGS_WIDTH = 360
#: Initial heights of the scatter and the table (the splitter keeps the ratio).
PLOT_HEIGHT, TABLE_HEIGHT = 450, 350
POINT_SIZE = 6
POINT_BRUSH = (31, 119, 180, 170)
FAIL_COLOUR = "#c62828"
COLUMNS = ("parameter", "what it is", "analytic", "numeric", "relative error")
MEANING_COLUMN, REL_ERROR_COLUMN = 1, 4
#: Where the check can run: at a random point, or at the current model's W and b.
RANDOM_POINT, CURRENT_MODEL = "random", "model"
POINTS = {RANDOM_POINT: "a random point", CURRENT_MODEL: "the current model"}
EXPLANATION = (
    "Compares the analytic gradient of the cost with central differences "
    "(J(θ+ε) − J(θ−ε)) / 2ε, ε = 1e-4, at random coordinates of W and b, in float64, on the "
    "first test images, at a random point or at the current model's own W and b. The check "
    "passes when the largest relative error is at most the threshold.<br><br>"
    "<b>W[i,j]</b> is the weight from input i to class j: for a 28×28 image, pixel "
    "i = 28·row + column, so W[523,8] is the weight of pixel 523 (row 18, column 19) for "
    "class 8. <b>b[j]</b> is class j's bias."
)


def scientific(value: float) -> str:
    """``0.000112983`` -> ``"1.130e-04"``: the table's and the axes' one number format."""
    return f"{value:.3e}"


class ScientificAxis(pg.AxisItem):
    """An axis whose ticks are written like the table's numbers (``1.0e-04``), never scaled
    by an SI prefix such as "(x0.001)"."""

    def __init__(self, orientation: str) -> None:
        super().__init__(orientation)
        self.enableAutoSIPrefix(False)

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        return ["0" if v == 0 else f"{v:.1e}" for v in values]


class NumberItem(QTableWidgetItem):
    """A table cell that shows a number in scientific notation and sorts by its value."""

    def __init__(self, value: float) -> None:
        super().__init__(scientific(value))
        self.value = value
        self.setToolTip(repr(value))

    def __lt__(self, other: QTableWidgetItem) -> bool:
        if isinstance(other, NumberItem):
            return self.value < other.value
        return super().__lt__(other)


class GradCheckPanel(QWidget):
    """Settings and results of ``engine.gradient_check``."""

    #: (number of test images, number of coordinates, L2, at the current model) — the window
    #: runs the check.
    run_requested = Signal(int, int, float, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.run_action = QAction("Run &gradient check", self)
        self.run_action.setShortcut("Ctrl+G")
        self.run_action.triggered.connect(self._request)
        self.n_images = QSpinBox(minimum=1, maximum=MAX_IMAGES, value=DEFAULT_IMAGES)
        self.n_checks = QSpinBox(minimum=1, maximum=MAX_CHECKS, value=DEFAULT_CHECKS)
        self.l2 = SciSpinBox(0.0, 10.0)
        self.l2.setValue(0.0)
        self.point = QComboBox()
        for key, text in POINTS.items():
            self.point.addItem(text, key)
        self.point.setToolTip(
            "A random point checks the formula; the current model checks it where the model "
            "actually is (its gradients are smaller once it has learnt)"
        )
        run_button = QToolButton()
        run_button.setDefaultAction(self.run_action)
        settings = QGroupBox("Settings")
        form = QFormLayout(settings)
        form.addRow("Test images", self.n_images)
        form.addRow("Coordinates checked", self.n_checks)
        form.addRow("L2 penalty", self.l2)
        form.addRow("Check at", self.point)
        form.addRow(run_button)
        explanation = QLabel(EXPLANATION)
        explanation.setTextFormat(Qt.TextFormat.RichText)
        explanation.setWordWrap(True)
        form.addRow(explanation)
        self.verdict = QLabel("Not run yet")
        self.verdict.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.verdict.setStyleSheet(IDLE_STYLE)
        font = self.verdict.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.verdict.setFont(font)
        self.max_error = QLabel("–")
        self.mean_error = QLabel("–")
        self.threshold = QLabel(scientific(engine.DEFAULT_THRESHOLD))
        results = QGroupBox("Result")
        rform = QFormLayout(results)
        rform.addRow(self.verdict)
        rform.addRow("Max relative error", self.max_error)
        rform.addRow("Mean relative error", self.mean_error)
        rform.addRow("Threshold", self.threshold)
        left = QWidget()
        left.setMaximumWidth(SETTINGS_WIDTH)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(settings)
        left_layout.addWidget(results)
        left_layout.addStretch(1)
        self.scatter_plot = pg.PlotWidget(
            title="Analytic vs numeric gradient",
            axisItems={"bottom": ScientificAxis("bottom"), "left": ScientificAxis("left")},
        )
        self.scatter_plot.setLabel("bottom", "numeric (central difference)")
        self.scatter_plot.setLabel("left", "analytic")
        self.scatter_plot.showGrid(x=True, y=True, alpha=GRID_ALPHA)
        self.identity = pg.InfiniteLine(
            pos=(0, 0),
            angle=45,
            pen=pg.mkPen("#888", width=1, style=Qt.PenStyle.DashLine),
            label="y = x",
            labelOpts={"position": 0.9, "color": "#888"},
        )
        self.scatter_plot.addItem(self.identity)
        self.points = pg.ScatterPlotItem(size=POINT_SIZE, brush=pg.mkBrush(*POINT_BRUSH), pen=None)
        self.scatter_plot.addItem(self.points)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(MEANING_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        meaning_header = QTableWidgetItem(COLUMNS[MEANING_COLUMN])
        meaning_header.setToolTip(
            "W[i,j]: the weight of input i (pixel i = 28·row + column) for class j; "
            "b[j]: the bias of class j"
        )
        self.table.setHorizontalHeaderItem(MEANING_COLUMN, meaning_header)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.scatter_plot)
        right.addWidget(self.table)
        right.setSizes([PLOT_HEIGHT, TABLE_HEIGHT])
        layout = QHBoxLayout(self)
        layout.addWidget(left, 0)
        layout.addWidget(right, 1)
        apply_palette(self.scatter_plot, self.palette())

    def set_state(self, *, running: bool, ready: bool) -> None:
        """Allow a run only when data is ``ready`` and no check is ``running``."""
        self.run_action.setEnabled(ready and not running)
        if running:
            self.verdict.setText("Checking…")
            self.verdict.setStyleSheet(IDLE_STYLE)

    def show_result(self, result: engine.GradCheckResult) -> None:
        """Verdict, error summary, table rows and scatter points for ``result``."""
        where = POINTS[CURRENT_MODEL if result.at_model else RANDOM_POINT]
        self.verdict.setText(f"{'PASS' if result.passed else 'FAIL'} at {where}")
        self.verdict.setStyleSheet(PASS_STYLE if result.passed else FAIL_STYLE)
        self.max_error.setText(scientific(result.max_rel_error))
        self.mean_error.setText(scientific(result.mean_rel_error))
        self.threshold.setText(scientific(result.threshold))
        failed = pg.mkBrush(FAIL_COLOUR)
        passed = pg.mkBrush(*POINT_BRUSH)
        self.points.setData(
            x=result.numeric,
            y=result.analytic,
            brush=[failed if r > result.threshold else passed for r in result.rel_error],
        )
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(result.parameter))
        meaning = result.meaning or ("",) * len(result.parameter)
        columns = (result.parameter, meaning, result.analytic, result.numeric, result.rel_error)
        for row, values in enumerate(zip(*columns, strict=True)):
            name, what, *numbers = values
            for col, text in enumerate((name, what)):
                item = QTableWidgetItem(text)
                item.setToolTip(what)
                self.table.setItem(row, col, item)
            for col, value in enumerate(numbers, start=MEANING_COLUMN + 1):
                self.table.setItem(row, col, NumberItem(float(value)))
        self.table.setSortingEnabled(True)
        self.table.sortItems(REL_ERROR_COLUMN, Qt.SortOrder.DescendingOrder)  # worst first

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            apply_palette(self.scatter_plot, self.palette())
        super().changeEvent(event)

    def _request(self) -> None:
        at_model = self.point.currentData() == CURRENT_MODEL
        self.run_requested.emit(
            self.n_images.value(), self.n_checks.value(), self.l2.value(), at_model
        )
