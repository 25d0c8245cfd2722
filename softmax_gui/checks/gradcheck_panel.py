"""Gradient check: settings, verdict, and analytic vs numeric gradients (table and scatter)."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
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
POINT_SIZE = 6
POINT_BRUSH = (31, 119, 180, 170)
FAIL_COLOUR = "#c62828"
REL_ERROR_COLUMN = 3
EXPLANATION = (
    "Compares the analytic gradient of the cost with central differences "
    "(J(θ+ε) − J(θ−ε)) / 2ε, ε = 1e-4, at random coordinates of W and b, in float64, at a "
    "random point, on the first test images. The check passes when the largest relative "
    "error is at most the threshold."
)


class GradCheckPanel(QWidget):
    """Settings and results of ``engine.gradient_check``."""

    #: (number of test images, number of coordinates, L2) — the window runs the check.
    run_requested = Signal(int, int, float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.run_action = QAction("Run &gradient check", self)
        self.run_action.setShortcut("Ctrl+G")
        self.run_action.triggered.connect(self._request)
        self.n_images = QSpinBox(minimum=1, maximum=MAX_IMAGES, value=DEFAULT_IMAGES)
        self.n_checks = QSpinBox(minimum=1, maximum=MAX_CHECKS, value=DEFAULT_CHECKS)
        self.l2 = SciSpinBox(0.0, 10.0)
        self.l2.setValue(0.0)
        run_button = QToolButton()
        run_button.setDefaultAction(self.run_action)
        settings = QGroupBox("Settings")
        form = QFormLayout(settings)
        form.addRow("Test images", self.n_images)
        form.addRow("Coordinates checked", self.n_checks)
        form.addRow("L2 penalty", self.l2)
        form.addRow(run_button)
        explanation = QLabel(EXPLANATION)
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
        self.threshold = QLabel(f"{engine.DEFAULT_THRESHOLD:.0e}")
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
        self.scatter_plot = pg.PlotWidget(title="Analytic vs numeric gradient")
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
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["parameter", "analytic", "numeric", "relative error"])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.scatter_plot)
        right.addWidget(self.table)
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
        self.verdict.setText("PASS" if result.passed else "FAIL")
        self.verdict.setStyleSheet(PASS_STYLE if result.passed else FAIL_STYLE)
        self.max_error.setText(f"{result.max_rel_error:.3g}")
        self.mean_error.setText(f"{result.mean_rel_error:.3g}")
        self.threshold.setText(f"{result.threshold:.0e}")
        failed = pg.mkBrush(FAIL_COLOUR)
        passed = pg.mkBrush(*POINT_BRUSH)
        self.points.setData(
            x=result.numeric,
            y=result.analytic,
            brush=[failed if r > result.threshold else passed for r in result.rel_error],
        )
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(result.parameter))
        columns = (result.parameter, result.analytic, result.numeric, result.rel_error)
        for row, values in enumerate(zip(*columns, strict=True)):
            name, *numbers = values
            self.table.setItem(row, 0, QTableWidgetItem(name))
            for col, value in enumerate(numbers, start=1):
                item = QTableWidgetItem()
                item.setData(Qt.ItemDataRole.DisplayRole, float(value))
                self.table.setItem(row, col, item)
        self.table.setSortingEnabled(True)
        self.table.sortItems(REL_ERROR_COLUMN, Qt.SortOrder.DescendingOrder)  # worst first

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            apply_palette(self.scatter_plot, self.palette())
        super().changeEvent(event)

    def _request(self) -> None:
        self.run_requested.emit(self.n_images.value(), self.n_checks.value(), self.l2.value())
