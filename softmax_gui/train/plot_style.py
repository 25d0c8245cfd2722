"""How the training plots look: run colours and pens, log-scale ticks, and the widget
palette applied to a pyqtgraph view (shared with the other tabs' plots)."""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette, QPen

GRID_ALPHA = 0.15
#: Labelled 1-2-5 ticks per decade, and unlabelled minor ones, for log-scale axes.
LOG_MAJOR = tuple(m * 10.0**e for e in range(-3, 3) for m in (1, 2, 5))
LOG_MINOR = tuple(m * 10.0**e for e in range(-3, 3) for m in (3, 4, 6, 7, 8, 9))
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
