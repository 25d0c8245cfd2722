"""The ten weight templates: each column of W as a 28×28 image in a diverging colormap.

For a model with an input map (:mod:`engine.features`), the pixel part of W is shown so,
the edge-direction part as glyphs under it (:mod:`.edge_glyphs`), and a sentence says what
cannot be pictured (random features).

Vermillion pixels push towards the class, blue pixels against it; white is zero. All ten images
share symmetric levels ``(-m, m)`` so they are comparable. Updates are throttled, and one
frame is cheap: the templates are one image (a 28 × 280 mosaic, split by thin lines in the
background colour), the digits are the ticks of a fixed top axis, and the colour bar's
levels move only when the weights' scale changes noticeably.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QGraphicsItem, QLabel, QVBoxLayout, QWidget

from engine import DIGIT_NAMES, MNIST_SIDE, N_CLASSES, N_FEATURES, InputMap
from softmax_gui.train.edge_glyphs import EdgeGlyphs, glyph_legend
from softmax_gui.train.plot_style import apply_palette
from softmax_gui.widgets import colours

#: Diverging map of the templates: blue (against) through a near-white zero to vermillion
#: (for), the app's pair for the common colour-vision deficiencies (never red against green).
NEUTRAL = QColor(247, 247, 247)
REDRAW_INTERVAL_MS = 100  # weight maps change slowly; 10 Hz is plenty
#: Level from this percentile of |W|, so a few extreme pixels do not wash out the rest.
LEVEL_PERCENTILE = 99.5
MIN_LEVEL = 1e-6
#: The colour bar's level changes only when the new level differs by more than this
#: fraction: redrawing its axis on every frame would cost more than the templates.
LEVEL_TOLERANCE = 0.1
SEPARATOR_WIDTH = 4  # px, between neighbouring templates
#: The strip's least height with the edge glyphs: two rows of ten, each cell's eight rays
#: a few screen pixels long (at 200 px they were dots), and the Train tab still fits a
#: 1280×800 window.
GLYPHS_MIN_HEIGHT = 250
COLORBAR_WIDTH = 12


def describe_parts(
    input_map: InputMap | None, n_features: int, *, glyphs: bool = True, what: str = ""
) -> str:
    """The sentence under the templates (``what``: of the weights, the default, or e.g. of a
    gradient) of a model reading ``n_features`` inputs through ``input_map`` (None: not
    known): which parts are pictured and which cannot be; "" for the classic pixel model."""
    if n_features == N_FEATURES and (input_map is None or input_map.is_identity):
        return ""
    what = what or QCoreApplication.translate("weights_view", "weights")
    pixels = f"{N_FEATURES:,}"
    if glyphs:
        lines = [
            QCoreApplication.translate(
                "weights_view", "Top: the {what} of the {n} pixels (standardised inputs)."
            )
        ]
    else:
        lines = [
            QCoreApplication.translate(
                "weights_view", "Pictured: the {what} of the {n} pixels (standardised inputs)."
            )
        ]
    lines[0] = lines[0].format(what=what, n=pixels)
    if input_map is None or input_map.n_features != n_features:
        extra = f"{n_features - N_FEATURES:,}"
        lines.append(
            QCoreApplication.translate(
                "weights_view", "Plus {n} other features: not pictured."
            ).format(n=extra)
        )
        return _sentences(lines)
    for name, columns in input_map.parts[1:]:
        size = f"{columns.stop - columns.start:,}"
        if name == "edges" and glyphs:
            line = QCoreApplication.translate(
                "weights_view", "Bottom: the {n} edge-direction weights: {legend}."
            ).format(n=size, legend=glyph_legend())
        elif name == "edges":
            line = QCoreApplication.translate(
                "weights_view", "Plus {n} edge-direction features: not pictured here."
            ).format(n=size)
        else:
            line = QCoreApplication.translate(
                "weights_view",
                "Plus {n} random features: their weights cannot be pictured as an image.",
            ).format(n=size)
        lines.append(line)
    return _sentences(lines)


def _sentences(lines: list[str]) -> str:
    text = lines[0]
    for line in lines[1:]:
        text = QCoreApplication.translate("weights_view", "{first} {second}").format(
            first=text, second=line
        )
    return text


def diverging_map() -> pg.ColorMap:
    """Blue (against) through near-white (zero) to vermillion (for), with half-way tints so
    the lightness changes evenly on both sides."""
    ends = (colours.AGAINST_COLOUR, colours.FOR_COLOUR)
    tints = [_mix(end, NEUTRAL, 0.5) for end in ends]
    stops = [ends[0], tints[0], NEUTRAL, tints[1], ends[1]]
    rgb = [(c.red(), c.green(), c.blue()) for c in stops]
    return pg.ColorMap(np.linspace(0.0, 1.0, len(stops)), rgb)


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    """``a`` moved a fraction ``t`` of the way to ``b`` (in sRGB)."""
    return QColor(
        round((1 - t) * a.red() + t * b.red()),
        round((1 - t) * a.green() + t * b.green()),
        round((1 - t) * a.blue() + t * b.blue()),
    )


def mosaic(W: np.ndarray) -> np.ndarray:
    """The columns of ``W`` (784, 10) as 28×28 images side by side: (28, 280), row-major."""
    images = W.T.reshape(N_CLASSES, MNIST_SIDE, MNIST_SIDE)  # (10, 28, 28)
    return images.transpose(1, 0, 2).reshape(MNIST_SIDE, N_CLASSES * MNIST_SIDE)


class WeightsView(QWidget):
    """The ten weight templates side by side, with a shared colour bar; a mapped model's
    edge weights as glyphs beneath and a note on its other parts."""

    def __init__(self, parent: QWidget | None = None, *, glyphs: bool = True) -> None:
        super().__init__(parent)
        self._show_glyphs = glyphs
        self.subject = ""  # what the note calls the pictured array ("": the weights)
        self.view = pg.GraphicsLayoutWidget()
        self.view.ci.setSpacing(2)
        plot = self.view.addPlot(row=0, col=0)
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.setMouseEnabled(False, False)
        for name in ("left", "bottom"):
            plot.hideAxis(name)
        plot.showAxis("top")
        self._digits = plot.getAxis("top")
        self.set_class_names(DIGIT_NAMES)
        self._digits.setStyle(tickLength=0)
        self._digits.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        box = plot.getViewBox()
        box.setAspectLocked(True)
        box.invertY(True)
        box.setDefaultPadding(0)
        width = N_CLASSES * MNIST_SIDE
        box.setRange(xRange=(0, width), yRange=(0, MNIST_SIDE), padding=0)
        self.image = pg.ImageItem(np.zeros((MNIST_SIDE, width), np.float32), axisOrder="row-major")
        plot.addItem(self.image)
        edges = np.repeat(np.arange(1, N_CLASSES) * MNIST_SIDE, 2).astype(float)
        self._separators = pg.PlotCurveItem(
            edges, np.tile([0.0, MNIST_SIDE], N_CLASSES - 1), connect="pairs"
        )
        plot.addItem(self._separators)
        self.colorbar = pg.ColorBarItem(
            colorMap=diverging_map(),
            interactive=False,
            width=COLORBAR_WIDTH,
            label=QCoreApplication.translate("WeightsView", "weight"),
        )
        self.colorbar.setImageItem(self.image)
        self.colorbar.axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.view.addItem(self.colorbar, row=0, col=1)
        self._glyph_plot = self._make_glyph_plot(width)
        self.glyphs = EdgeGlyphs()
        self._glyph_plot.addItem(self.glyphs)
        self.note = QLabel()  # what the pictures show of a mapped model, and what they cannot
        self.note.setWordWrap(True)
        self.note.hide()
        self._input_map: InputMap | None = None
        self._pending: np.ndarray | None = None
        self._timer = QTimer(self, singleShot=True, interval=REDRAW_INTERVAL_MS)
        self._timer.timeout.connect(self._render)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.note)
        self.view.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # a screen reader reaches its summary
        self.view.setAccessibleName(QCoreApplication.translate("WeightsView", "Weight templates"))
        self._describe(None)
        self._restyle()

    def _describe(self, level: float | None) -> None:
        """The templates in words for a screen reader (with the colour scale once shown)."""
        what = QCoreApplication.translate(
            "WeightsView",
            "Ten 28×28 images, one per class: orange pixels push the score of that class up, "
            "blue pixels push it down, white is zero",
        )
        if level is not None:
            what = QCoreApplication.translate(
                "WeightsView", "{what}; the colours span −{level} to {level}"
            ).format(what=what, level=f"{level:.3g}")
        self.view.setAccessibleDescription(what)

    def _make_glyph_plot(self, width: int) -> pg.PlotItem:
        """The row under the templates for the edge glyphs (removed until a model has them)."""
        plot = pg.PlotItem()
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.setMouseEnabled(False, False)
        for name in ("left", "bottom"):
            plot.hideAxis(name)
        box = plot.getViewBox()
        box.setAspectLocked(True)
        box.invertY(True)
        box.setDefaultPadding(0)
        box.setRange(xRange=(0, width), yRange=(0, MNIST_SIDE), padding=0)
        edges = np.repeat(np.arange(1, N_CLASSES) * MNIST_SIDE, 2).astype(float)
        self._glyph_separators = pg.PlotCurveItem(
            edges, np.tile([0.0, MNIST_SIDE], N_CLASSES - 1), connect="pairs"
        )
        plot.addItem(self._glyph_separators)
        box.sigResized.connect(self._fit_glyphs)
        return plot

    def _fit_glyphs(self) -> None:
        box = self._glyph_plot.getViewBox()
        span = box.viewRect().width()  # image pixels across the box
        if span > 0 and box.width() > 0:
            self.glyphs.fit_to(box.width() / span)

    @property
    def images(self) -> list[pg.ImageItem]:
        """The image items on show (one: the mosaic of the ten templates)."""
        return [self.image]

    def set_class_names(self, names: tuple[str, ...]) -> None:
        """Label the templates with ``names`` (N_CLASSES of them)."""
        ticks = [((k + 0.5) * MNIST_SIDE, name) for k, name in enumerate(names[:N_CLASSES])]
        self._digits.setTicks([ticks, []])

    def set_weights(self, W: np.ndarray, input_map: InputMap | None = None) -> None:
        """Show ``W`` (n_features, 10) soon (at most every :data:`REDRAW_INTERVAL_MS`): the
        first 784 rows as templates; the rest as ``input_map``'s parts (the last map given
        when None and its width fits, else only named by their number)."""
        if W.ndim != 2 or W.shape[0] < N_FEATURES or W.shape[1] != N_CLASSES:
            raise ValueError(
                f"W must be ({N_FEATURES}, {N_CLASSES}), or (n_features, {N_CLASSES}) with more "
                f"rows for a model with an input map; got {W.shape}"
            )
        if input_map is not None:
            if input_map.n_features != W.shape[0]:  # the pixel map: 784 pixels, no more
                raise ValueError(
                    f"W has {W.shape[0]} rows, the {input_map.name!r} map gives "
                    f"{input_map.n_features} features"
                )
            self._input_map = input_map
        self._pending = W
        if not self._timer.isActive():
            self._timer.start()

    def flush(self) -> None:
        """Draw pending weights now."""
        self._timer.stop()
        self._render()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._restyle()
        super().changeEvent(event)

    def _restyle(self) -> None:
        apply_palette(self.view, self.palette())
        self._digits.setPen(pg.mkPen(None))  # labels only: no axis line over the templates
        separator = pg.mkPen(self.palette().color(QPalette.ColorRole.Base), width=SEPARATOR_WIDTH)
        self._separators.setPen(separator)
        self._glyph_separators.setPen(pg.mkPen(self.palette().color(QPalette.ColorRole.Mid)))

    def showing_glyphs(self) -> bool:
        """Whether the edge glyphs are on show (a model with edge-direction inputs)."""
        return self._glyph_plot.scene() is not None

    def _known_map(self, n_features: int) -> InputMap | None:
        known = self._input_map
        return known if known is not None and known.n_features == n_features else None

    def _render(self) -> None:
        W, self._pending = self._pending, None
        if W is None:
            return
        input_map = self._known_map(W.shape[0])
        pixels = W[:N_FEATURES]  # every map's first part: the pixels
        self.image.setImage(mosaic(pixels), autoLevels=False)
        self._render_parts(W, input_map)
        level = max(float(np.percentile(np.abs(pixels), LEVEL_PERCENTILE)), MIN_LEVEL)
        current = self.colorbar.levels()[1]
        if abs(level - current) > LEVEL_TOLERANCE * current:
            self.colorbar.setLevels((-level, level))
            self._describe(level)

    def _render_parts(self, W: np.ndarray, input_map: InputMap | None) -> None:
        """The glyphs of the edge part (if any) and the note on the parts."""
        columns = None if input_map is None else dict(input_map.parts).get("edges")
        show = self._show_glyphs and columns is not None
        if show and columns is not None:
            self.glyphs.set_weights(W[columns])
        if show != self.showing_glyphs():
            if show:
                self.view.addItem(self._glyph_plot, row=1, col=0)
            else:
                self.view.removeItem(self._glyph_plot)
            self.setMinimumHeight(GLYPHS_MIN_HEIGHT if show else 0)
        text = describe_parts(input_map, W.shape[0], glyphs=self._show_glyphs, what=self.subject)
        self.note.setText(text)
        self.note.setVisible(bool(text))
