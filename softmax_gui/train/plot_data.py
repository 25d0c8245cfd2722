"""What the plots draw, as data: each run's recorded series with their bounds, and the
invisible, snapped extent that auto-range follows.

The extent's ends are "nice" numbers (:func:`nice_floor`, :func:`nice_ceil`), so the view
and its axes move only when the data outgrow them, a few times a decade.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QRectF
from PySide6.QtWidgets import QGraphicsItem

#: x-axis choices: Progress attribute -> axis label (English; shown through
#: ``QCoreApplication.translate("plot_data", label)``).
_X_AXES = {
    "step": QT_TRANSLATE_NOOP("plot_data", "iteration"),
    "epoch": QT_TRANSLATE_NOOP("plot_data", "epoch (passes over the data)"),
    "elapsed": QT_TRANSLATE_NOOP("plot_data", "time (s)"),
}
X_AXES: dict[str, str] = {key: str(label) for key, label in _X_AXES.items()}
#: Keys of the series drawn in each plot.
COST_KEYS, ERROR_KEYS = ("cost",), ("train", "test")
#: Every series a run records: the x choices, then the cost and the two error rates (%).
SERIES_KEYS = (*X_AXES, *COST_KEYS, *ERROR_KEYS)
#: Mantissas of the extent's ends: the view grows in these steps (at most by 1.5×).
NICE_STEPS = (1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)
#: On a log axis the same headroom looks smaller, and falling costs and errors cross fine
#: steps many times in a run's first second (each crossing re-ranges and redraws the axes).
LOG_NICE_STEPS = (1.0, 2.0, 5.0, 10.0)


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
class RunData:
    """One run on the plots: its number (which sets its colour), legend label, series and
    their bounds, its planned end while it trains, and whether it is shown or diverged."""

    number: int
    label: str
    data: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in SERIES_KEYS})
    #: Per key: [min, max, smallest positive value] of the data so far (for the extent).
    bounds: dict[str, list[float]] = field(default_factory=dict)
    #: Per x key: where the run will end if it runs its course (SGD's steps and epochs).
    planned: dict[str, float] = field(default_factory=dict)
    visible: bool = True
    diverged: bool = False

    @classmethod
    def recorded(
        cls,
        number: int,
        label: str,
        series: dict[str, list[float]],
        visible: bool = True,
        diverged: bool = False,
    ) -> RunData:
        """A run recorded earlier, from its series (keys :data:`SERIES_KEYS`)."""
        run = cls(number, label, visible=visible, diverged=diverged)
        for key in SERIES_KEYS:
            run.extend(key, series[key])
        return run

    def span(self, key: str) -> list[float] | None:
        """The data's bounds for ``key``, reaching out to the planned end once data came."""
        bounds, end = self.bounds.get(key), self.planned.get(key)
        if bounds is None or end is None:
            return bounds
        return [bounds[0], max(bounds[1], end), bounds[2]]

    def append(self, key: str, value: float) -> None:
        """Record one value of series ``key``."""
        self.data[key].append(value)
        if math.isfinite(value):  # pyqtgraph leaves non-finite points out; so does the extent
            lo, hi, pos = self.bounds.get(key, (math.inf, -math.inf, math.inf))
            self.bounds[key] = [
                min(lo, value),
                max(hi, value),
                min(pos, value) if value > 0 else pos,
            ]

    def extend(self, key: str, values: list[float]) -> None:
        """Record many values of series ``key`` at once (a restored run)."""
        self.data[key].extend(values)
        finite = [v for v in values if math.isfinite(v)]
        if finite:
            positive = [v for v in finite if v > 0]
            self.bounds[key] = [min(finite), max(finite), min(positive, default=math.inf)]


class Extent(pg.GraphicsObject):
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


def snapped(runs: list[RunData], keys: tuple[str, ...], log: bool) -> tuple[float, float] | None:
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
