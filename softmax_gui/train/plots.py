"""Live training curves: cost, and train/test error, with earlier runs overlaid faintly.

Each run can be hidden and shown again (its legend sample or the runs table); a diverged
run is drawn dotted. While a run of known length trains, the x axis spans its planned end;
when it ends the axes fit the data of the runs on show, and "View All" does the same and
keeps following new data.

Curves are created once and updated in place with ``setData``; a frame timer redraws them
every :data:`REDRAW_INTERVAL_MS` while new data keep arriving (a steady cadence: the time a
frame takes is not added to the interval), and stops when nothing new came. A frame costs
little because the axes stay still: auto-range follows an invisible extent snapped to
"nice" numbers (it moves only when the data outgrow it, a few times a decade), and each
axis, whose grid lies under the curves, is painted from a cached pixmap.

Colours, pens and ticks are in :mod:`~softmax_gui.train.plot_style`, the legend's rows in
:mod:`~softmax_gui.train.plot_legend`.
"""

from __future__ import annotations

import os

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QAccessible, QAccessibleEvent, QAction, QKeySequence, QPalette
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
from softmax_gui.train.plot_data import COST_KEYS, ERROR_KEYS, X_AXES, Extent, RunData, snapped
from softmax_gui.train.plot_describe import describe_plots
from softmax_gui.train.plot_legend import sync_legend
from softmax_gui.train.plot_style import apply_palette, log_ticks, make_plot, run_colour, run_pens

REDRAW_INTERVAL_MS = 33  # ≤ 30 Hz
#: Earlier runs kept on show (their curves are created once, then reused).
MAX_HISTORY = 8
CURRENT_WIDTH = 2.5
#: Earlier runs are thin lines drawn without antialiasing: every frame repaints them under
#: the current curves, and eight antialiased runs cost more than the rest of the frame.
HISTORY_WIDTH = 1
HISTORY_ALPHA = 110
EDGE_MARGIN = 6
PERCENT = 100.0


class TrainingPlots(QWidget):
    """Cost and error-rate plots of the current run, over faint curves of earlier runs."""

    #: The user hid (False) or showed (True) run ``number`` by clicking its legend sample.
    run_visibility_changed = Signal(int, bool)
    #: The earlier runs were removed (Clear history).
    history_cleared = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.x_axis = QComboBox()
        for key, text in X_AXES.items():
            self.x_axis.addItem(QCoreApplication.translate("plot_data", text), key)
        self.x_axis.currentIndexChanged.connect(self._redraw_all)
        self.x_axis.setToolTip(self.tr("What the plots' horizontal axis counts"))
        self.log_y = QCheckBox(self.tr("log scale"))
        self.log_y.setToolTip(
            self.tr("Vertical axes in powers of ten (falling costs stay visible)")
        )
        self.log_y.setChecked(True)
        self.log_y.toggled.connect(self._set_log)
        self._header = QHBoxLayout()
        x_label = QLabel(self.tr("&x axis:"))
        x_label.setBuddy(self.x_axis)
        self._header.addWidget(x_label)
        self._header.addWidget(self.x_axis)
        self._header.addWidget(self.log_y)
        self._header.addStretch(1)
        self.cost_plot = make_plot(
            self.tr("Cost (cross-entropy + L2)"), self.tr("cost"), self.view_all
        )
        self.error_plot = make_plot(
            self.tr("Error rate (%) — dashed: train, solid: test"),
            self.tr("error (%)"),
            self.view_all,
        )
        self.cost_plot.setAccessibleName(self.tr("Cost plot"))
        self.error_plot.setAccessibleName(self.tr("Error rate plot"))
        self.error_plot.setXLink(self.cost_plot)
        self._legend = self.cost_plot.addLegend(offset=(-10, 10))
        self._legend.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self._legend.sigSampleClicked.connect(self._on_sample_clicked)
        self.cost_curve, self.train_curve, self.test_curve = self._add_curves(antialias=True)
        self._extents = {COST_KEYS: Extent(), ERROR_KEYS: Extent()}
        self.cost_plot.addItem(self._extents[COST_KEYS])
        self.error_plot.addItem(self._extents[ERROR_KEYS])
        # Earlier runs' curves are reused: once MAX_HISTORY sets exist, archiving a run only
        # sets data and pens (three new curves and a legend row cost ~35 ms at a run's start)
        self._free: list[list[pg.PlotDataItem]] = []
        self._history: list[tuple[RunData, list[pg.PlotDataItem]]] = []
        self._current: RunData | None = None
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
        self._hint = pg.TextItem(
            self.tr("No run yet: press Start ({keys}) to watch the cost and errors fall").format(
                keys=QKeySequence("Ctrl+R").toString(QKeySequence.SequenceFormat.NativeText)
            ),
            anchor=(0.5, 0.5),
        )
        self.cost_plot.addItem(self._hint, ignoreBounds=True)
        self._set_log(True)
        self._restyle()
        self._describe()

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
        """The highest run number so far, restored runs included (numbers the next run)."""
        return self._runs_started

    def history_labels(self) -> list[str]:
        """Labels of the earlier runs on show, oldest first."""
        return [run.label for run, _ in self._history]

    def run_numbers(self) -> list[int]:
        """Numbers of the runs on the plots, oldest first (the current run last)."""
        return [run.number for run in self._runs()]

    def series(self, number: int) -> dict[str, list[float]]:
        """Run ``number``'s recorded values, keyed by :data:`SERIES_KEYS` (not a copy)."""
        return self._run(number).data

    def is_visible(self, number: int) -> bool:
        """Whether run ``number``'s curves are shown."""
        return self._run(number).visible

    def set_run_visible(self, number: int, visible: bool) -> None:
        """Show or hide run ``number``; the axes then fit the runs on show."""
        run = self._run(number)
        run.visible = visible
        for curve in self._curves_of(run):
            curve.setVisible(visible)
        for sample, _ in self._legend.items:
            sample.update()  # an eye icon stands in for a hidden run's line
        self._update_extents()

    def add_earlier_runs(self, runs: list[RunData]) -> None:
        """Show runs recorded earlier (e.g. before a restart) faintly, oldest first."""
        if not runs:
            return
        self._remove_hint()
        for run in runs:
            self._runs_started = max(self._runs_started, run.number)
            self._archive(run)
        self._sync_legend()
        self._update_extents()

    def legend_labels(self) -> list[str]:
        """The legend's entries in order: the current run, then earlier runs newest first."""
        return [label.text for _, label in self._legend.items]

    def start_run(self, label: str, planned: dict[str, float] | None = None) -> int:
        """Fade the previous run into the history and start empty current curves; returns
        the new run's number.

        ``planned`` gives, per x axis key, where the run will end if it runs its course: the
        x axis then spans the whole run from the start instead of growing with it (each
        change of range redraws both plots' axes).
        """
        if self._current is not None and self._current.data["cost"]:
            self._archive(self._current)
        self._remove_hint()
        self._runs_started += 1
        self._current = RunData(self._runs_started, label, planned=dict(planned or {}))
        self._style_current()
        self._sync_legend()
        self._redraw()
        return self._runs_started

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

    def flush(self) -> None:
        """Draw the reports so far now rather than at the next frame."""
        self._redraw()

    def finish_run(self, label: str | None = None, diverged: bool = False) -> None:
        """The current run ended (relabelled ``label``, drawn dotted if it ``diverged``): it
        stays bright until the next one starts, and the axes fit the data of the runs on
        show instead of the run's planned length."""
        run = self._current
        if run is not None:
            run.planned.clear()
            run.label = label or run.label
            run.diverged = run.diverged or diverged
            self._style_current()
            self._sync_legend()
        self._redraw()
        self.view_all()
        for plot in (self.cost_plot, self.error_plot):  # a screen reader says how it ended
            QAccessible.updateAccessibility(
                QAccessibleEvent(plot, QAccessible.Event.DescriptionChanged)
            )

    def view_all(self) -> None:
        """Fit both plots to the data of the runs on show, and follow new data again."""
        # the error plot's x axis follows the cost plot's (a linked axis has no auto-range)
        for plot, axes in ((self.cost_plot, (0, 1)), (self.error_plot, (1,))):
            enabled = plot.getViewBox().autoRangeEnabled()
            for axis in axes:
                if not enabled[axis]:  # else it follows the data already
                    plot.enableAutoRange(axis=axis)

    def clear_history(self) -> None:
        """Remove the faint curves of earlier runs."""
        for _, curves in self._history:
            self._release(curves)
        self._history.clear()
        self._sync_legend()
        self._update_extents()
        self.history_cleared.emit()

    def export_png(self, path: str | os.PathLike) -> bool:
        """Save both plots as one PNG image; False if it could not be written."""
        return self._area.grab().save(os.fspath(path), "PNG")

    def changeEvent(self, event: QEvent) -> None:
        # a dark/light switch of the system or the app: the plots follow the new palette
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._restyle()
        super().changeEvent(event)

    def _runs(self) -> list[RunData]:
        runs = [run for run, _ in self._history]
        return runs if self._current is None else [*runs, self._current]

    def _run(self, number: int) -> RunData:
        for run in self._runs():
            if run.number == number:
                return run
        raise KeyError(f"no run {number} on the plots")

    def _curves_of(self, run: RunData) -> list[pg.PlotDataItem]:
        if run is self._current:
            return [self.cost_curve, self.train_curve, self.test_curve]
        return next(curves for r, curves in self._history if r is run)

    def _on_sample_clicked(self, item: pg.PlotDataItem) -> None:
        # pyqtgraph has just toggled the sample's curve (the cost): the run follows it
        run = next(run for run in self._runs() if self._curves_of(run)[0] is item)
        self.set_run_visible(run.number, item.isVisible())
        self.run_visibility_changed.emit(run.number, run.visible)

    def _remove_hint(self) -> None:
        if self._hint is not None:
            self.cost_plot.removeItem(self._hint)
            self._hint = None

    def _archive(self, run: RunData) -> None:
        if len(self._history) == MAX_HISTORY:  # the oldest run makes way
            self._release(self._history.pop(0)[1])
        curves = self._free.pop() if self._free else self._add_curves(antialias=False)
        colour = run_colour(run.number)
        colour.setAlpha(HISTORY_ALPHA)
        for curve, pen in zip(curves, run_pens(colour, HISTORY_WIDTH, run.diverged), strict=True):
            curve.setPen(pen)
        self._set_curves(run, curves)
        for curve in curves:
            curve.setZValue(-1)  # behind the current run
            curve.setVisible(run.visible)
        self._history.append((run, curves))

    def _release(self, curves: list[pg.PlotDataItem]) -> None:
        for curve in curves:
            curve.hide()
            curve.setData([], [])  # frees the run's points
        self._free.append(curves)

    def _sync_legend(self) -> None:
        """Legend rows: the current run first, then earlier runs, newest first."""
        entries = [(curves[0], run.label) for run, curves in reversed(self._history)]
        if self._current is not None:
            entries.insert(0, (self.cost_curve, self._current.label))
        sync_legend(self._legend, entries)

    def _style_current(self) -> None:
        run = self._current
        if run is None:
            return
        pens = run_pens(run_colour(run.number), CURRENT_WIDTH, run.diverged)
        for curve, pen in zip(self._curves_of(run), pens, strict=True):
            curve.setPen(pen)
            curve.setVisible(run.visible)

    def _set_curves(self, run: RunData, curves: list[pg.PlotDataItem]) -> None:
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
        self._describe()

    def _update_extents(self) -> None:
        runs = [run for run in self._runs() if run.visible]
        x = snapped(runs, (self.x_axis.currentData(),), log=False)
        for keys, extent in self._extents.items():
            extent.set_ranges(x, snapped(runs, keys, log=self.log_y.isChecked()))

    def _redraw_all(self) -> None:
        label = self.x_axis.currentText()
        for plot in (self.cost_plot, self.error_plot):
            plot.setLabel("bottom", label)
        for run, curves in self._history:
            self._set_curves(run, curves)
        self._redraw()

    def _set_log(self, on: bool) -> None:
        ticks = log_ticks() if on else None
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

    def _describe(self) -> None:
        """The plots' accessible descriptions: what they show now, in words."""
        current = self._current
        visible = [run for run in self._runs() if run.visible and run is not current]
        cost, error = describe_plots(
            None if current is None else current.number,
            None if current is None else current.data,
            len(visible),
            self.x_axis.currentText(),
        )
        self.cost_plot.setAccessibleDescription(cost)
        self.error_plot.setAccessibleDescription(error)
