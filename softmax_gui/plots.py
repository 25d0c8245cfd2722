"""Live training curves: cost, and train/test error, with earlier runs overlaid faintly.

Curves are created once and updated in place with ``setData``; a frame timer redraws them
every :data:`REDRAW_INTERVAL_MS` while new data keep arriving (a steady cadence: the time a
frame takes is not added to the interval), and stops when nothing new came. A frame costs
little because the axes stay still: auto-range follows an invisible extent snapped to
"nice" numbers (it moves only when the data outgrow it, a few times a decade), and each
axis, whose grid lies under the curves, is painted from a cached pixmap.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QRectF, Qt, QTimer
from PySide6.QtGui import QAction, QColor, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGraphicsItem,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

import engine

#: x-axis choices: Progress attribute -> axis label.
X_AXES = {"step": "iteration", "epoch": "epoch (passes over the data)", "elapsed": "time (s)"}
REDRAW_INTERVAL_MS = 33  # ≤ 30 Hz
#: Earlier runs kept on show (their curves are created once, then reused).
MAX_HISTORY = 8
#: Legend entries that fit one column; more take two.
LEGEND_ROWS = 5
CURRENT_WIDTH = 2.5
#: Earlier runs are thin lines drawn without antialiasing: every frame repaints them under
#: the current curves, and eight antialiased runs cost more than the rest of the frame.
HISTORY_WIDTH = 1
HISTORY_ALPHA = 110
GRID_ALPHA = 0.15
EDGE_MARGIN = 6
EMPTY_HINT = "No run yet: press Start (Ctrl+R) to watch the cost and errors fall"
PERCENT = 100.0
#: Labelled 1-2-5 ticks per decade, and unlabelled minor ones, for log-scale axes.
LOG_MAJOR = tuple(m * 10.0**e for e in range(-3, 3) for m in (1, 2, 5))
LOG_MINOR = tuple(m * 10.0**e for e in range(-3, 3) for m in (3, 4, 6, 7, 8, 9))
#: Mantissas of the extent's ends: the view grows in these steps (at most by 1.5×).
NICE_STEPS = (1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)
#: On a log axis the same headroom looks smaller, and falling costs and errors cross fine
#: steps many times in a run's first second (each crossing re-ranges and redraws the axes).
LOG_NICE_STEPS = (1.0, 2.0, 5.0, 10.0)
#: Keys of the series drawn in each plot.
COST_KEYS, ERROR_KEYS = ("cost",), ("train", "test")
#: Run colours (Tableau 10), cycled by run number.
RUN_COLOURS = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)


def run_label(number: int, config: engine.TrainConfig) -> str:
    """Legend text such as ``"run 2 · SGD lr 0.5"``."""
    setting = f"lr {config.lr:g}" if config.optimizer == "sgd" else f"l2 {config.l2:g}"
    return f"run {number} · {engine.OPTIMIZERS[config.optimizer].short} {setting}"


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


def nice_ceil(value: float, steps: tuple[float, ...] = NICE_STEPS) -> float:
    """The smallest ``m * 10**e`` (``m`` in ``steps``) at or above ``value``."""
    if value <= 0:
        return -nice_floor(-value, steps) if value < 0 else 0.0
    base = 10.0 ** math.floor(math.log10(value))
    return next(m * base for m in steps if m * base >= value * (1 - 1e-12))


def nice_floor(value: float, steps: tuple[float, ...] = NICE_STEPS) -> float:
    """The largest ``m * 10**e`` (``m`` in ``steps``) at or below ``value``."""
    if value <= 0:
        return -nice_ceil(-value, steps) if value < 0 else 0.0
    base = 10.0 ** math.floor(math.log10(value))
    return next(m * base for m in reversed(steps) if m * base <= value * (1 + 1e-12))


@dataclass
class _Run:
    label: str
    colour: QColor
    data: dict[str, list[float]] = field(
        default_factory=lambda: {key: [] for key in (*X_AXES, "cost", "train", "test")}
    )
    #: Per key: [min, max, smallest positive value] of the data so far (for the extent).
    bounds: dict[str, list[float]] = field(default_factory=dict)
    #: Per x key: where the run will end if it runs its course (SGD's steps and epochs).
    planned: dict[str, float] = field(default_factory=dict)

    def span(self, key: str) -> list[float] | None:
        """The data's bounds for ``key``, reaching out to the planned end once data came."""
        bounds, end = self.bounds.get(key), self.planned.get(key)
        if bounds is None or end is None:
            return bounds
        return [bounds[0], max(bounds[1], end), bounds[2]]

    def append(self, key: str, value: float) -> None:
        self.data[key].append(value)
        if math.isfinite(value):  # pyqtgraph leaves non-finite points out; so does the extent
            lo, hi, pos = self.bounds.get(key, (math.inf, -math.inf, math.inf))
            self.bounds[key] = [
                min(lo, value),
                max(hi, value),
                min(pos, value) if value > 0 else pos,
            ]


class _Extent(pg.GraphicsObject):
    """An invisible item whose data bounds are a snapped, "nice" range around the curves.

    Auto-range takes in these bounds, so the view, the ticks and the axes change only when
    the data pass a nice number rather than on every record; panning, zooming and
    pyqtgraph's auto-range button work as usual.
    """

    def __init__(self) -> None:
        super().__init__()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents)
        self._ranges: list[tuple[float, float] | None] = [None, None]  # view units (x, y)

    def set_ranges(self, x: tuple[float, float] | None, y: tuple[float, float] | None) -> None:
        """New bounds in view units (log10 for a log axis); the view updates if they moved."""
        if [x, y] != self._ranges:
            self._ranges = [x, y]
            self.informViewBoundsChanged()

    def dataBounds(self, ax: int, frac: float = 1.0, orthoRange=None):
        return self._ranges[ax]

    def boundingRect(self) -> QRectF:
        return QRectF()

    def paint(self, *args) -> None:
        pass


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
        self.error_plot = self._make_plot(
            "Error rate (%) — dashed: train, solid: test", "error (%)"
        )
        self.error_plot.setXLink(self.cost_plot)
        self._legend = self.cost_plot.addLegend(offset=(-10, 10))
        self._legend.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.cost_curve, self.train_curve, self.test_curve = self._add_curves(antialias=True)
        self._extents = {COST_KEYS: _Extent(), ERROR_KEYS: _Extent()}
        self.cost_plot.addItem(self._extents[COST_KEYS])
        self.error_plot.addItem(self._extents[ERROR_KEYS])
        # Earlier runs' curves are reused: once MAX_HISTORY sets exist, archiving a run only
        # sets data and pens (three new curves and a legend row cost ~35 ms at a run's start)
        self._free: list[list[pg.PlotDataItem]] = []
        self._history: list[tuple[_Run, list[pg.PlotDataItem]]] = []
        self._current: _Run | None = None
        self._runs_started = 0
        self._dirty = False  # records arrived since the last frame
        self._timer = QTimer(self, interval=REDRAW_INTERVAL_MS)
        self._timer.timeout.connect(self._on_frame)
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
        for name in ("left", "bottom"):
            axis = plot.getAxis(name)
            # the grid spans the plot, so every curve update would replay all ticks and labels
            axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            # unitless axes: no "(x0.001)" rescaling, and no relayout of the axis title on
            # every range change
            axis.enableAutoSIPrefix(False)
        # the tick labels' column only widens: a narrower label would re-lay out the plot
        plot.getAxis("left").setStyle(autoReduceTextSpace=False)
        return plot

    def _add_curves(self, antialias: bool) -> list[pg.PlotDataItem]:
        """A cost, a train-error and a test-error curve, added to their plots."""
        curves = []
        for plot in (self.cost_plot, self.error_plot, self.error_plot):
            # no dynamic range limit: values are bounded (errors in %, a cost that diverging
            # runs cap), and the limit re-fits every curve whenever the y range moves;
            # bounds are ignored since the snapped extent already contains every curve
            curve = pg.PlotDataItem(antialias=antialias, dynamicRangeLimit=None)
            plot.addItem(curve, ignoreBounds=True)
            curves.append(curve)
        return curves

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
        """Labels of the earlier runs on show, oldest first."""
        return [run.label for run, _ in self._history]

    def legend_labels(self) -> list[str]:
        """The legend's entries in order: the current run, then earlier runs newest first."""
        return [label.text for _, label in self._legend.items]

    def start_run(self, label: str, planned: dict[str, float] | None = None) -> None:
        """Fade the previous run into the history and start empty current curves.

        ``planned`` gives, per x axis key, where the run will end if it runs its course: the
        x axis then spans the whole run from the start instead of growing with it (each
        change of range redraws both plots' axes).
        """
        if self._current is not None and self._current.data["cost"]:
            self._archive(self._current)
        if self._hint is not None:
            self.cost_plot.removeItem(self._hint)
            self._hint = None
        self._runs_started += 1
        colour = QColor(RUN_COLOURS[(self._runs_started - 1) % len(RUN_COLOURS)])
        self._current = _Run(label, colour, planned=dict(planned or {}))
        self._style_current()
        self._sync_legend()
        self._redraw()

    def add_progress(self, progress: engine.Progress) -> None:
        """Append one report; the curves redraw within :data:`REDRAW_INTERVAL_MS`."""
        if self._current is None:
            return
        run = self._current
        for key in X_AXES:
            run.append(key, float(getattr(progress, key)))
        run.append("cost", progress.cost)
        run.append("train", progress.train_error * PERCENT)
        run.append("test", progress.test_error * PERCENT)
        self._dirty = True
        if not self._timer.isActive():
            self._timer.start()

    def finish_run(self) -> None:
        """Draw the last reports now (the run stays bright until the next one starts)."""
        self._redraw()

    def clear_history(self) -> None:
        """Remove the faint curves of earlier runs."""
        for _, curves in self._history:
            self._release(curves)
        self._history.clear()
        self._sync_legend()
        self._update_extents()

    def export_png(self, path: str | os.PathLike) -> bool:
        """Save both plots as one PNG image; False if it could not be written."""
        return self._area.grab().save(os.fspath(path), "PNG")

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._restyle()
        super().changeEvent(event)

    def _archive(self, run: _Run) -> None:
        if len(self._history) == MAX_HISTORY:  # the oldest run makes way
            self._release(self._history.pop(0)[1])
        curves = self._free.pop() if self._free else self._add_curves(antialias=False)
        colour = QColor(run.colour)
        colour.setAlpha(HISTORY_ALPHA)
        solid = pg.mkPen(colour, width=HISTORY_WIDTH)
        dashed = pg.mkPen(colour, width=HISTORY_WIDTH, style=Qt.PenStyle.DashLine)
        for curve, pen in zip(curves, (solid, dashed, solid), strict=True):
            curve.setPen(pen)
        self._set_curves(run, curves)
        for curve in curves:
            curve.setZValue(-1)  # behind the current run
            curve.show()
        self._history.append((run, curves))

    def _release(self, curves: list[pg.PlotDataItem]) -> None:
        for curve in curves:
            curve.hide()
            curve.setData([], [])  # frees the run's points
        self._free.append(curves)

    def _sync_legend(self) -> None:
        """Legend rows: the current run first, then earlier runs, newest first.

        Rows are added or removed only when their number changes; otherwise each row is
        pointed at its run's curve and relabelled (a new row re-lays out the whole legend).
        Past :data:`LEGEND_ROWS` entries the legend takes two columns, so a full history
        still fits a short plot.
        """
        entries = [(curves[0], run.label) for run, curves in reversed(self._history)]
        if self._current is not None:
            entries.insert(0, (self.cost_curve, self._current.label))
        columns = 1 if len(entries) <= LEGEND_ROWS else 2
        if self._legend.columnCount != columns:
            self._legend.setColumnCount(columns)
        rows = self._legend.items
        while len(rows) > len(entries):
            self._legend.removeItem(rows[-1][0].item)
        for (sample, label), (curve, text) in zip(rows, entries, strict=False):
            sample.item = curve
            sample.update()  # the curve's pen may be new
            if label.text != text:
                label.setText(text)
        for curve, text in entries[len(rows) :]:
            self._legend.addItem(curve, text)
        self._legend.updateSize()

    def _style_current(self) -> None:
        run = self._current
        if run is None:
            return
        self.cost_curve.setPen(pg.mkPen(run.colour, width=CURRENT_WIDTH))
        self.train_curve.setPen(
            pg.mkPen(run.colour, width=CURRENT_WIDTH, style=Qt.PenStyle.DashLine)
        )
        self.test_curve.setPen(pg.mkPen(run.colour, width=CURRENT_WIDTH))

    def _set_curves(self, run: _Run, curves: list[pg.PlotDataItem]) -> None:
        x = run.data[self.x_axis.currentData()]
        for curve, key in zip(curves, ("cost", "train", "test"), strict=True):
            curve.setData(x, run.data[key])

    def _on_frame(self) -> None:
        if not self._dirty:
            self._timer.stop()  # idle until the next record
            return
        self._redraw()

    def _redraw(self) -> None:
        self._dirty = False
        if self._current is not None:
            self._set_curves(self._current, [self.cost_curve, self.train_curve, self.test_curve])
        self._update_extents()

    def _update_extents(self) -> None:
        runs = [run for run, _ in self._history]
        if self._current is not None:
            runs.append(self._current)
        x = self._snapped(runs, (self.x_axis.currentData(),), log=False)
        for keys, extent in self._extents.items():
            extent.set_ranges(x, self._snapped(runs, keys, log=self.log_y.isChecked()))

    @staticmethod
    def _snapped(runs: list[_Run], keys: tuple[str, ...], log: bool) -> tuple[float, float] | None:
        """Nice bounds around ``keys`` of ``runs``, in view units (log10 when ``log``)."""
        bounds = [span for run in runs for key in keys if (span := run.span(key)) is not None]
        if log:
            positive = [b[2] for b in bounds if math.isfinite(b[2])]
            if not positive:
                return None
            lo = nice_floor(min(positive), LOG_NICE_STEPS)
            hi = nice_ceil(max(b[1] for b in bounds), LOG_NICE_STEPS)
            return math.log10(lo), math.log10(hi)
        if not bounds:
            return None
        return nice_floor(min(b[0] for b in bounds)), nice_ceil(max(b[1] for b in bounds))

    def _redraw_all(self) -> None:
        label = self.x_axis.currentText()
        for plot in (self.cost_plot, self.error_plot):
            plot.setLabel("bottom", label)
        for run, curves in self._history:
            self._set_curves(run, curves)
        self._redraw()

    def _set_log(self, on: bool) -> None:
        # pyqtgraph places log-axis ticks at log10(value); its own labels crowd together
        ticks = (
            [
                [(math.log10(v), f"{v:g}") for v in LOG_MAJOR],
                [(math.log10(v), "") for v in LOG_MINOR],
            ]
            if on
            else None
        )
        for plot in (self.cost_plot, self.error_plot):
            plot.setLogMode(x=False, y=on)
            plot.getAxis("left").setTicks(ticks)
        self._update_extents()

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
