"""Gradient check: settings, verdict, and analytic vs numeric gradients (table and scatter)."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, Qt, Signal
from PySide6.QtGui import QAction, QBrush, QColor
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
from softmax_gui.checks.coordinates import describe
from softmax_gui.train.controls import SciSpinBox
from softmax_gui.train.plot_style import GRID_ALPHA, apply_palette
from softmax_gui.widgets.colours import AGAINST_COLOUR, FOR_COLOUR

DEFAULT_IMAGES = 200
DEFAULT_CHECKS = 300
#: Upper bounds keep a check to seconds: it cannot be interrupted, and closing waits for it.
MAX_IMAGES = 1000
MAX_CHECKS = 1000
#: Pass in blue, fail in vermillion (safe for colour-blind eyes), each with its word; a
#: failure also gets a thick dashed frame, so the colour is never the only cue.
PASS_STYLE = (
    f"background:{AGAINST_COLOUR.name()}; color:white; border-radius:4px; padding:4px 10px;"
)
FAIL_STYLE = (
    f"background:{FOR_COLOUR.name()}; color:white; border:3px dashed white; "
    "border-radius:4px; padding:4px 10px;"
)
IDLE_STYLE = "padding:4px 10px;"
SETTINGS_WIDTH = 360
#: Initial heights of the scatter and the table (the splitter keeps the ratio).
PLOT_HEIGHT, TABLE_HEIGHT = 450, 350
POINT_SIZE = 6
POINT_ALPHA = 170
#: Points within the threshold are blue dots, failing ones vermillion crosses.
PASS_SYMBOL, FAIL_SYMBOL = "o", "x"
COLUMNS = (
    str(QT_TRANSLATE_NOOP("GradCheckPanel", "parameter")),
    str(QT_TRANSLATE_NOOP("GradCheckPanel", "what it is")),
    str(QT_TRANSLATE_NOOP("GradCheckPanel", "analytic")),
    str(QT_TRANSLATE_NOOP("GradCheckPanel", "numeric")),
    str(QT_TRANSLATE_NOOP("GradCheckPanel", "relative error")),
)
MEANING_COLUMN, REL_ERROR_COLUMN = 1, 4
#: Where the check can run: at a random point, or at the current model's W and b.
RANDOM_POINT, CURRENT_MODEL = "random", "model"
POINTS = {
    RANDOM_POINT: str(QT_TRANSLATE_NOOP("GradCheckPanel", "a random point")),
    CURRENT_MODEL: str(QT_TRANSLATE_NOOP("GradCheckPanel", "the current model")),
}


def scientific(value: float) -> str:
    """``0.000112983`` -> ``"1.130e-04"``: the table's and the axes' one number format."""
    return f"{value:.3e}"


def _brush(colour: QColor) -> QBrush:
    """A scatter point's fill: ``colour``, slightly see-through so overlaps show."""
    c = QColor(colour)
    c.setAlpha(POINT_ALPHA)
    return QBrush(c)


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
        self.run_action = QAction(self.tr("Run &gradient check"), self)
        self.run_action.setShortcut("Ctrl+G")
        self.run_action.triggered.connect(self._request)
        self.n_images = QSpinBox(minimum=1, maximum=MAX_IMAGES, value=DEFAULT_IMAGES)
        self.n_checks = QSpinBox(minimum=1, maximum=MAX_CHECKS, value=DEFAULT_CHECKS)
        self.l2 = SciSpinBox(0.0, 10.0)
        self.l2.setValue(0.0)
        self.point = QComboBox()
        for key, text in POINTS.items():
            self.point.addItem(QCoreApplication.translate("GradCheckPanel", text), key)
        self.point.setToolTip(
            self.tr(
                "A random point checks the formula; the current model checks it where the "
                "model actually is (its gradients are smaller once it has learnt)"
            )
        )
        run_button = QToolButton()
        run_button.setDefaultAction(self.run_action)
        settings = QGroupBox(self.tr("Settings"))
        form = QFormLayout(settings)
        form.addRow(self.tr("Test images"), self.n_images)
        form.addRow(self.tr("Coordinates checked"), self.n_checks)
        form.addRow(self.tr("L2 penalty"), self.l2)
        form.addRow(self.tr("Check at"), self.point)
        form.addRow(run_button)
        explanation = QLabel(
            self.tr(
                "Compares the analytic gradient of the cost with central differences "
                "(J(θ+ε) − J(θ−ε)) / 2ε, ε = 1e-4, at random coordinates of W and b, in "
                "float64, on the first test images, at a random point or at the current "
                "model's own W and b. The check passes when the largest relative error is at "
                "most the threshold.<br><br>"
                "<b>W[i,j]</b> is the weight from input i to class j: for a 28×28 image, "
                "pixel i = 28·row + column, so W[523,8] is the weight of pixel 523 (row 18, "
                "column 19) for class 8. <b>b[j]</b> is class j's bias."
            )
        )
        explanation.setTextFormat(Qt.TextFormat.RichText)
        explanation.setWordWrap(True)
        form.addRow(explanation)
        self.verdict = QLabel(self.tr("Not run yet"))
        self.verdict.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.verdict.setStyleSheet(IDLE_STYLE)
        font = self.verdict.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.verdict.setFont(font)
        self.max_error = QLabel("–")
        self.mean_error = QLabel("–")
        self.threshold = QLabel(scientific(engine.DEFAULT_THRESHOLD))
        results = QGroupBox(self.tr("Result"))
        rform = QFormLayout(results)
        rform.addRow(self.verdict)
        rform.addRow(self.tr("Max relative error"), self.max_error)
        rform.addRow(self.tr("Mean relative error"), self.mean_error)
        rform.addRow(self.tr("Threshold"), self.threshold)
        left = QWidget()
        left.setMaximumWidth(SETTINGS_WIDTH)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(settings)
        left_layout.addWidget(results)
        left_layout.addStretch(1)
        self.scatter_plot = pg.PlotWidget(
            title=self.tr("Analytic vs numeric gradient"),
            axisItems={"bottom": ScientificAxis("bottom"), "left": ScientificAxis("left")},
        )
        self.scatter_plot.setLabel("bottom", self.tr("numeric (central difference)"))
        self.scatter_plot.setLabel("left", self.tr("analytic"))
        self.scatter_plot.setAccessibleName(self.tr("Analytic vs numeric gradient"))
        self.scatter_plot.setAccessibleDescription(self.tr("Not run yet"))
        self.scatter_plot.showGrid(x=True, y=True, alpha=GRID_ALPHA)
        self.identity = pg.InfiniteLine(
            pos=(0, 0),
            angle=45,
            pen=pg.mkPen("#888", width=1, style=Qt.PenStyle.DashLine),
            label="y = x",
            labelOpts={"position": 0.9, "color": "#888"},
        )
        self.scatter_plot.addItem(self.identity)
        self.points = pg.ScatterPlotItem(size=POINT_SIZE, brush=_brush(AGAINST_COLOUR), pen=None)
        self.scatter_plot.addItem(self.points)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(
            [QCoreApplication.translate("GradCheckPanel", c) for c in COLUMNS]
        )
        self.table.setAccessibleName(self.tr("Checked coordinates"))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(MEANING_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        meaning_header = QTableWidgetItem(
            QCoreApplication.translate("GradCheckPanel", COLUMNS[MEANING_COLUMN])
        )
        meaning_header.setToolTip(
            self.tr(
                "W[i,j]: the weight of input i (pixel i = 28·row + column) for class j; "
                "b[j]: the bias of class j"
            )
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
            self.verdict.setText(self.tr("Checking…"))
            self.verdict.setStyleSheet(IDLE_STYLE)

    def show_result(self, result: engine.GradCheckResult) -> None:
        """Verdict, error summary, table rows and scatter points for ``result``."""
        where = QCoreApplication.translate(
            "GradCheckPanel", POINTS[CURRENT_MODEL if result.at_model else RANDOM_POINT]
        )
        verdict = (
            self.tr("PASS at {where}") if result.passed else self.tr("FAIL at {where}")
        ).format(where=where)
        self.verdict.setText(verdict)
        self.scatter_plot.setAccessibleDescription(
            self.tr(
                "{verdict}: {n} coordinates, largest relative error {max}, threshold {threshold}"
            ).format(
                verdict=verdict,
                n=len(result.parameter),
                max=scientific(result.max_rel_error),
                threshold=scientific(result.threshold),
            )
        )
        self.verdict.setStyleSheet(PASS_STYLE if result.passed else FAIL_STYLE)
        self.max_error.setText(scientific(result.max_rel_error))
        self.mean_error.setText(scientific(result.mean_rel_error))
        self.threshold.setText(scientific(result.threshold))
        failing = [bool(r > result.threshold) for r in result.rel_error]
        self.points.setData(
            x=result.numeric,
            y=result.analytic,
            brush=[_brush(FOR_COLOUR) if f else _brush(AGAINST_COLOUR) for f in failing],
            symbol=[FAIL_SYMBOL if f else PASS_SYMBOL for f in failing],
        )
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(result.parameter))
        if result.coordinates:
            meaning = tuple(describe(c) for c in result.coordinates)
        else:  # a result made without them: the engine's English
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
