"""The ten weight templates: each column of W as a 28×28 image in a diverging colormap.

Red pixels push towards the class, blue pixels against it; white is zero. All ten images
share symmetric levels ``(-m, m)`` so they are comparable. Updates are throttled, and one
frame is cheap: the templates are one image (a 28 × 280 mosaic, split by thin lines in the
background colour), the digits are the ticks of a fixed top axis, and the colour bar's
levels move only when the weights' scale changes noticeably.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QTimer
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QGraphicsItem, QVBoxLayout, QWidget

from engine import DIGIT_NAMES, MNIST_SIDE, N_CLASSES
from softmax_gui.train.plot_style import apply_palette

COLORMAP = "CET-D1"  # blue–white–red, perceptually uniform
REDRAW_INTERVAL_MS = 100  # weight maps change slowly; 10 Hz is plenty
#: Level from this percentile of |W|, so a few extreme pixels do not wash out the rest.
LEVEL_PERCENTILE = 99.5
MIN_LEVEL = 1e-6
#: The colour bar's level changes only when the new level differs by more than this
#: fraction: redrawing its axis on every frame would cost more than the templates.
LEVEL_TOLERANCE = 0.1
SEPARATOR_WIDTH = 4  # px, between neighbouring templates
COLORBAR_WIDTH = 12


def mosaic(W: np.ndarray) -> np.ndarray:
    """The columns of ``W`` (784, 10) as 28×28 images side by side: (28, 280), row-major."""
    images = W.T.reshape(N_CLASSES, MNIST_SIDE, MNIST_SIDE)  # (10, 28, 28)
    return images.transpose(1, 0, 2).reshape(MNIST_SIDE, N_CLASSES * MNIST_SIDE)


class WeightsView(QWidget):
    """The ten weight templates side by side, with a shared colour bar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
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
            colorMap=pg.colormap.get(COLORMAP),
            interactive=False,
            width=COLORBAR_WIDTH,
            label="weight",
        )
        self.colorbar.setImageItem(self.image)
        self.colorbar.axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.view.addItem(self.colorbar, row=0, col=1)
        self._pending: np.ndarray | None = None
        self._timer = QTimer(self, singleShot=True, interval=REDRAW_INTERVAL_MS)
        self._timer.timeout.connect(self._render)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self._restyle()

    @property
    def images(self) -> list[pg.ImageItem]:
        """The image items on show (one: the mosaic of the ten templates)."""
        return [self.image]

    def set_class_names(self, names: tuple[str, ...]) -> None:
        """Label the templates with ``names`` (N_CLASSES of them)."""
        ticks = [((k + 0.5) * MNIST_SIDE, name) for k, name in enumerate(names[:N_CLASSES])]
        self._digits.setTicks([ticks, []])

    def set_weights(self, W: np.ndarray) -> None:
        """Show ``W`` (784, 10) soon (at most every :data:`REDRAW_INTERVAL_MS`); of a mapped
        model's (n_features, 10), the first 784 rows, its pixel part."""
        if W.ndim != 2 or W.shape[0] < MNIST_SIDE * MNIST_SIDE or W.shape[1] != N_CLASSES:
            raise ValueError(f"W must be ({MNIST_SIDE * MNIST_SIDE}, {N_CLASSES}), got {W.shape}")
        self._pending = W[: MNIST_SIDE * MNIST_SIDE]
        if not self._timer.isActive():
            self._timer.start()

    def flush(self) -> None:
        """Draw pending weights now."""
        self._timer.stop()
        self._render()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._restyle()
        super().changeEvent(event)

    def _restyle(self) -> None:
        apply_palette(self.view, self.palette())
        self._digits.setPen(pg.mkPen(None))  # labels only: no axis line over the templates
        self._separators.setPen(
            pg.mkPen(self.palette().color(QPalette.ColorRole.Base), width=SEPARATOR_WIDTH)
        )

    def _render(self) -> None:
        W, self._pending = self._pending, None
        if W is None:
            return
        self.image.setImage(mosaic(W), autoLevels=False)
        level = max(float(np.percentile(np.abs(W), LEVEL_PERCENTILE)), MIN_LEVEL)
        current = self.colorbar.levels()[1]
        if abs(level - current) > LEVEL_TOLERANCE * current:
            self.colorbar.setLevels((-level, level))
