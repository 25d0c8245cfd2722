"""The edge-direction weights of a mapped model as glyphs: for each class a 7×7 grid of
4×4-pixel cells, each with 8 short rays from its centre, one per gradient direction, whose
length is that direction's positive weight (a direction that votes against the class has no
ray). They sit under the pixel templates, on the same 28-unit-per-class coordinates.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication

from engine import MNIST_SIDE, N_CLASSES
from engine.features import CELL, DIRECTIONS, N_EDGE_FEATURES
from softmax_gui.widgets import colours

CELLS = MNIST_SIDE // CELL  # cells along each side of the image
#: The longest ray reaches this fraction of the way from a cell's centre to its edge, so the
#: rays of neighbouring cells never touch.
RAY_REACH = 0.95
#: The longest ray is set by this percentile of the positive weights, so a few extreme
#: weights do not shrink all the others to dots.
RAY_PERCENTILE = 99.0
#: Rays shorter than this fraction of the longest are left out: dozens of dots of weights
#: near zero hid the long rays that make the shape.
MIN_RAY_FRACTION = 0.15
MIN_LEVEL = 1e-6
RAY_COLOUR = colours.FOR_COLOUR  # the "for" vermillion of the templates and the evidence
#: Ray width: this many image pixels (an eighth of a cell), within the screen-pixel bounds
#: below. A fixed 2-screen-pixel pen made blobs of the cells at a 1,024-pixel-wide window,
#: and a width that only scaled faded to hairlines there.
RAY_WIDTH = 0.6
RAY_WIDTH_PX = (1.4, 2.5)


def glyph_legend() -> str:
    """One line on how to read the glyphs (the direction convention of
    :func:`engine.features.gradient_histograms`)."""
    return QCoreApplication.translate(
        "edge_glyphs",
        "in each 4×4 cell a ray points the way the ink gets darker across an edge, and is "
        "longer the more that edge votes for the class (votes against, or near zero: no ray)",
    )


# (DIRECTIONS, 2) unit vectors: direction 0 along +x, turning towards +y (down the image)
_ANGLES = np.arange(DIRECTIONS) * (2 * np.pi / DIRECTIONS)
_UNIT = np.stack([np.cos(_ANGLES), np.sin(_ANGLES)], axis=1)


def ray_segments(W_edges: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Line segments of the glyphs of ``W_edges`` (392, 10) (cell row, cell column,
    direction; as :func:`engine.features.gradient_histograms` orders them).

    Returns ``(x, y)``, each (2 · n_rays,), in pairs (start, end) for ``connect="pairs"``:
    class ``j``'s glyphs span x in ``[28 j, 28 (j + 1))`` and y in ``[0, 28)``, as the
    pixel templates do. Only positive weights get a ray, and only those of at least
    :data:`MIN_RAY_FRACTION` of the longest.
    """
    if W_edges.shape != (N_EDGE_FEATURES, N_CLASSES):
        raise ValueError(
            f"edge weights must be ({N_EDGE_FEATURES}, {N_CLASSES}), got {W_edges.shape}"
        )
    positive = np.maximum(np.asarray(W_edges, dtype=np.float64), 0.0)
    shown = positive[positive > 0]
    level = max(float(np.percentile(shown, RAY_PERCENTILE)), MIN_LEVEL) if shown.size else 1.0
    fraction = np.minimum(positive / level, 1.0)  # (392, 10)
    fraction[fraction < MIN_RAY_FRACTION] = 0.0
    length = fraction * (RAY_REACH * CELL / 2)
    length = length.reshape(CELLS, CELLS, DIRECTIONS, N_CLASSES)
    row, column, direction, j = np.nonzero(length)
    centre_x = j * MNIST_SIDE + column * CELL + CELL / 2
    centre_y = row * CELL + CELL / 2
    reach = length[row, column, direction, j]
    x = np.empty(2 * row.size)
    y = np.empty(2 * row.size)
    x[0::2], y[0::2] = centre_x, centre_y
    x[1::2] = centre_x + reach * _UNIT[direction, 0]
    y[1::2] = centre_y + reach * _UNIT[direction, 1]
    return x, y


class EdgeGlyphs(pg.PlotCurveItem):
    """The glyph rays of all ten classes, as one curve item (updated in place)."""

    def __init__(self) -> None:
        super().__init__(np.zeros(0), np.zeros(0), connect="pairs")
        self.fit_to(1.0)

    def fit_to(self, screen_px_per_pixel: float) -> None:
        """Size the rays for glyphs drawn at ``screen_px_per_pixel`` (of the 28×28 image)."""
        low, high = RAY_WIDTH_PX
        width = min(max(RAY_WIDTH * screen_px_per_pixel, low), high)
        pen = pg.mkPen(RAY_COLOUR, width=width)
        pen.setCosmetic(True)
        self.setPen(pen)

    def set_weights(self, W_edges: np.ndarray) -> None:
        """Draw the glyphs of ``W_edges`` (392, 10)."""
        x, y = ray_segments(W_edges)
        self.setData(x, y, connect="pairs")

    def n_rays(self) -> int:
        """How many rays are drawn (for tests)."""
        x = self.getData()[0]
        return 0 if x is None else len(x) // 2
