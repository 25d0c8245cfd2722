"""Live training curves: cost, and train/test error, with earlier runs overlaid faintly.

Curves are created once and updated in place with ``setData``; redraws are throttled to
at most one per :data:`REDRAW_INTERVAL_MS`, and only when new data arrived.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field

import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QAction, QColor, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

import engine

#: x-axis choices: Progress attribute -> axis label.
X_AXES = {"step": "iteration", "epoch": "epoch (passes over the data)",
          "elapsed": "time (s)"}
REDRAW_INTERVAL_MS = 33  # ≤ 30 Hz
MAX_HISTORY = 8
CURRENT_WIDTH = 2.5
HISTORY_WIDTH = 1.2
HISTORY_ALPHA = 110
GRID_ALPHA = 0.15
EDGE_MARGIN = 6
EMPTY_HINT = "No run yet: press Start (Ctrl+R) to watch the cost and errors fall"
PERCENT = 100.0
#: Labelled 1-2-5 ticks per decade, and unlabelled minor ones, for log-scale axes.
LOG_MAJOR = tuple(m * 10.0**e for e in range(-3, 3) for m in (1, 2, 5))
LOG_MINOR = tuple(m * 10.0**e for e in range(-3, 3) for m in (3, 4, 6, 7, 8, 9))
#: Run colours (Tableau 10), cycled by run number.
RUN_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
               "#7f7f7f", "#bcbd22", "#17becf")


def run_label(number: int, config: engine.TrainConfig) -> str:
    """Legend text such as ``"run 2 · SGD lr 0.5"``."""
    if config.optimizer == "sgd":
        return f"run {number} · SGD lr {config.lr:g}"
    return f"run {number} · L-BFGS-B l2 {config.l2:g}"


def apply_palette(view: pg.GraphicsView, palette: QPalette) -> None:
    """Give a pyqtgraph view the widget palette's background, text and axis colours."""
    fg = palette.color(QPalette.ColorRole.Text)
    view.setBackground(palette.color(QPalette.ColorRole.Base))
    for item in view.scene().items():
        if isinstance(item, pg.AxisItem):
            item.setPen(fg)
            item.setTextPen(fg)
        elif isinstance(item, pg.LabelItem):
            item.setText(item.text, color=fg)


@dataclass
class _Run:
    label: str
    colour: QColor
    data: dict[str, list[float]] = field(default_factory=lambda: {
        key: [] for key in (*X_AXES, "cost", "train", "test")})


class TrainingPlots(QWidget):
    """Cost and error-rate plots of the current run, over faint curves of earlier runs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.x_axis = QComboBox()
        for key, text in X_AXES.items():
            self.x_axis.addItem(text, key)
        self.x_axis.currentIndexChanged.connect(self._redraw_all)
        self.log_y = QCheckBox("log scale")
        self.log_y.setChecked(True)
        self.log_y.toggled.connect(self._set_log)
        self._header = QHBoxLayout()
        self._header.addWidget(QLabel("x axis:"))
        self._header.addWidget(self.x_axis)
        self._header.addWidget(self.log_y)
        self._header.addStretch(1)
        self.cost_plot = self._make_plot("Cost (cross-entropy + L2)", "cost")
        self.error_plot = self._make_plot("Error rate (%) — dashed: train, solid: test",
                                          "error (%)")
        self.error_plot.setXLink(self.cost_plot)
        self._legend = self.cost_plot.addLegend(offset=(-10, 10))
        self.cost_curve = self.cost_plot.plot(antialias=True)
        self.train_curve = self.error_plot.plot(antialias=True)
        self.test_curve = self.error_plot.plot(antialias=True)
        self._history: list[tuple[_Run, list[pg.PlotDataItem]]] = []
        self._current: _Run | None = None
        self._runs_started = 0
        self._timer = QTimer(self, singleShot=True, interval=REDRAW_INTERVAL_MS)
        self._timer.timeout.connect(self._redraw)
        self._area = QSplitter(Qt.Orientation.Vertical)
        self._area.addWidget(self.cost_plot)
        self._area.addWidget(self.error_plot)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, EDGE_MARGIN, 0)  # keep the last tick label clear
        layout.addLayout(self._header)
        layout.addWidget(self._area, 1)
        self._hint = pg.TextItem(EMPTY_HINT, anchor=(0.5, 0.5))
        self.cost_plot.addItem(self._hint, ignoreBounds=True)
        self._set_log(True)
        self._restyle()

    def _make_plot(self, title: str, y_label: str) -> pg.PlotWidget:
        plot = pg.PlotWidget()
        plot.setTitle(title)
        plot.setLabel("left", y_label)
        plot.setLabel("bottom", X_AXES["step"])
        plot.showGrid(x=True, y=True, alpha=GRID_ALPHA)
        plot.setMinimumHeight(150)
        return plot

    def add_header_actions(self, actions: list[QAction]) -> None:
        """Show ``actions`` as buttons in the plot header."""
        for action in actions:
            button = QToolButton()
            button.setDefaultAction(action)
            self._header.addWidget(button)

    @property
    def n_runs(self) -> int:
        """Runs started since the window opened (numbers the legend labels)."""
        return self._runs_started

    def history_labels(self) -> list[str]:
        """Legend labels of the earlier runs on show, oldest first."""
        return [run.label for run, _ in self._history]

    def start_run(self, label: str) -> None:
        """Fade the previous run into the history and start empty current curves."""
        if self._current is not None and self._current.data["cost"]:
            self._archive(self._current)
        if self._hint is not None:
            self.cost_plot.removeItem(self._hint)
            self._hint = None
        self._runs_started += 1
        colour = QColor(RUN_COLOURS[(self._runs_started - 1) % len(RUN_COLOURS)])
        self._current = _Run(label, colour)
        self._style_current()
        self._redraw()

    def add_progress(self, progress: engine.Progress) -> None:
        """Append one report; the curves redraw within :data:`REDRAW_INTERVAL_MS`."""
        if self._current is None:
            return
        data = self._current.data
        for key in X_AXES:
            data[key].append(float(getattr(progress, key)))
        data["cost"].append(progress.cost)
        data["train"].append(progress.train_error * PERCENT)
        data["test"].append(progress.test_error * PERCENT)
        if not self._timer.isActive():
            self._timer.start()

    def finish_run(self) -> None:
        """Draw the last reports now (the run stays bright until the next one starts)."""
        self._redraw()

    def clear_history(self) -> None:
        """Remove the faint curves of earlier runs."""
        for _, curves in self._history:
            self._remove(curves)
        self._history.clear()

    def export_png(self, path: str | os.PathLike) -> bool:
        """Save both plots as one PNG image; False if it could not be written."""
        return self._area.grab().save(os.fspath(path), "PNG")

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._restyle()
        super().changeEvent(event)

    def _archive(self, run: _Run) -> None:
        colour = QColor(run.colour)
        colour.setAlpha(HISTORY_ALPHA)
        solid = pg.mkPen(colour, width=HISTORY_WIDTH)
        dashed = pg.mkPen(colour, width=HISTORY_WIDTH, style=Qt.PenStyle.DashLine)
        curves = [self.cost_plot.plot(pen=solid, name=run.label, antialias=True),
                  self.error_plot.plot(pen=dashed, antialias=True),
                  self.error_plot.plot(pen=solid, antialias=True)]
        for curve in curves:
            curve.setZValue(-1)  # behind the current run
        self._history.append((run, curves))
        self._set_curves(run, curves)
        if len(self._history) > MAX_HISTORY:
            self._remove(self._history.pop(0)[1])

    def _remove(self, curves: list[pg.PlotDataItem]) -> None:
        cost, train, test = curves
        self.cost_plot.removeItem(cost)  # also drops its legend entry
        self.error_plot.removeItem(train)
        self.error_plot.removeItem(test)

    def _style_current(self) -> None:
        run = self._current
        if run is None:
            return
        self.cost_curve.setPen(pg.mkPen(run.colour, width=CURRENT_WIDTH))
        self.train_curve.setPen(pg.mkPen(run.colour, width=CURRENT_WIDTH,
                                         style=Qt.PenStyle.DashLine))
        self.test_curve.setPen(pg.mkPen(run.colour, width=CURRENT_WIDTH))
        self._legend.removeItem(self.cost_curve)
        self._legend.addItem(self.cost_curve, run.label)

    def _set_curves(self, run: _Run, curves: list[pg.PlotDataItem]) -> None:
        x = run.data[self.x_axis.currentData()]
        for curve, key in zip(curves, ("cost", "train", "test"), strict=True):
            curve.setData(x, run.data[key])

    def _redraw(self) -> None:
        if self._current is not None:
            self._set_curves(self._current, [self.cost_curve, self.train_curve,
                                             self.test_curve])

    def _redraw_all(self) -> None:
        label = self.x_axis.currentText()
        for plot in (self.cost_plot, self.error_plot):
            plot.setLabel("bottom", label)
        for run, curves in self._history:
            self._set_curves(run, curves)
        self._redraw()

    def _set_log(self, on: bool) -> None:
        # pyqtgraph places log-axis ticks at log10(value); its own labels crowd together
        ticks = [[(math.log10(v), f"{v:g}") for v in LOG_MAJOR],
                 [(math.log10(v), "") for v in LOG_MINOR]] if on else None
        for plot in (self.cost_plot, self.error_plot):
            plot.setLogMode(x=False, y=on)
            plot.getAxis("left").setTicks(ticks)

    def _restyle(self) -> None:
        for plot in (self.cost_plot, self.error_plot):
            apply_palette(plot, self.palette())
        text = self.palette().color(QPalette.ColorRole.Text)
        self._legend.setLabelTextColor(text)
        if self._hint is not None:
            self._hint.setColor(text)
            # centre the hint in the empty view (log-scale y: view units are decades)
            view = self.cost_plot.getViewBox().viewRange()
            self._hint.setPos(sum(view[0]) / 2, sum(view[1]) / 2)
