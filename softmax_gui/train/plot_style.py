"""How the training plots look: run colours and pens, log-scale ticks, and the widget
palette applied to a pyqtgraph view (shared with the other tabs' plots)."""

from __future__ import annotations

import math
from collections.abc import Callable

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor, QPalette, QPen
from PySide6.QtWidgets import QGraphicsItem

from softmax_gui.train.plot_data import X_AXES
from softmax_gui.widgets.colours import OKABE_ITO

GRID_ALPHA = 0.15
#: The least height of each training plot: two plots, the runs and the templates still fit a
#: 1280×800 window.
PLOT_MIN_HEIGHT = 120
#: Labelled 1-2-5 ticks per decade, and unlabelled minor ones, for log-scale axes.
LOG_MAJOR = tuple(m * 10.0**e for e in range(-3, 3) for m in (1, 2, 5))
LOG_MINOR = tuple(m * 10.0**e for e in range(-3, 3) for m in (3, 4, 6, 7, 8, 9))
#: Run colours (Okabe–Ito, told apart with the common colour-vision deficiencies), cycled by
#: run number; a run's train curve is also dashed and its test curve solid, a second cue.
RUN_COLOURS = OKABE_ITO


def run_colour(number: int) -> QColor:
    """Run ``number``'s colour (they cycle through :data:`RUN_COLOURS`)."""
    return QColor(RUN_COLOURS[(number - 1) % len(RUN_COLOURS)])


def run_pens(colour: QColor, width: float, diverged: bool) -> tuple[QPen, QPen, QPen]:
    """Pens of a run's cost, train-error and test-error curves: train dashed, test solid;
    a diverged run dotted (train dash-dotted)."""
    solid, dashed = Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine
    if diverged:
        solid, dashed = Qt.PenStyle.DotLine, Qt.PenStyle.DashDotLine
    return (
        pg.mkPen(colour, width=width, style=solid),
        pg.mkPen(colour, width=width, style=dashed),
        pg.mkPen(colour, width=width, style=solid),
    )


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


def log_ticks() -> list[list[tuple[float, str]]]:
    """Major (labelled) and minor ticks for a log-scale axis, in pyqtgraph's ``setTicks`` form.

    pyqtgraph places log-axis ticks at log10(value); its own labels crowd together.
    """
    return [
        [(math.log10(v), f"{v:g}") for v in LOG_MAJOR],
        [(math.log10(v), "") for v in LOG_MINOR],
    ]


def make_plot(title: str, y_label: str, view_all: Callable[[], None]) -> pg.PlotWidget:
    """A training plot: ``title``, ``y_label``, iterations along x, a faint grid, cached
    axes; its menu's "View All" calls ``view_all`` (which keeps following new data)."""
    plot = pg.PlotWidget()
    plot.setTitle(title)
    plot.setLabel("left", y_label)
    plot.setLabel("bottom", QCoreApplication.translate("plot_data", X_AXES["step"]))
    plot.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # a screen reader reaches its summary
    plot.showGrid(x=True, y=True, alpha=GRID_ALPHA)
    plot.setMinimumHeight(PLOT_MIN_HEIGHT)
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        # the grid spans the plot, so every curve update would replay all ticks and labels
        axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        # unitless axes: no "(x0.001)" rescaling, and no relayout of the axis title on
        # every range change
        axis.enableAutoSIPrefix(False)
    # the tick labels' column only widens: a narrower label would re-lay out the plot
    plot.getAxis("left").setStyle(autoReduceTextSpace=False)
    # "View All" fits once and turns auto-range off; here it fits and keeps following
    menu = plot.getViewBox().menu
    menu.viewAll.triggered.disconnect(menu.autoRange)
    menu.viewAll.triggered.connect(view_all)
    return plot
