"""The ten weight templates: each column of W as a 28×28 image in a diverging colormap.

Red pixels push towards the class, blue pixels against it; white is zero. All ten images
share symmetric levels ``(-m, m)`` so they are comparable. Updates are throttled.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QTimer
from PySide6.QtWidgets import QVBoxLayout, QWidget

from engine import MNIST_SIDE, N_CLASSES

from .plots import apply_palette

COLORMAP = "CET-D1"  # blue–white–red, perceptually uniform
COLUMNS = 10  # one row: the Train tab's weight strip is wide and short
REDRAW_INTERVAL_MS = 100  # weight maps change slowly; 10 Hz is plenty
#: Level from this percentile of |W|, so a few extreme pixels do not wash out the rest.
LEVEL_PERCENTILE = 99.5
MIN_LEVEL = 1e-6
LABEL_HEIGHT = 22


class WeightsView(QWidget):
    """The ten weight templates side by side, with a shared colour bar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = pg.GraphicsLayoutWidget()
        self.view.ci.setSpacing(2)
        self.images: list[pg.ImageItem] = []
        self._labels: list[pg.LabelItem] = []
        for k in range(N_CLASSES):
            row, col = divmod(k, COLUMNS)
            label = self.view.addLabel(str(k), row=2 * row, col=col)
            self.view.ci.layout.setRowMaximumHeight(2 * row, LABEL_HEIGHT)
            box = self.view.addViewBox(row=2 * row + 1, col=col, lockAspect=True,
                                       enableMouse=False, invertY=True)
            box.setDefaultPadding(0)
            image = pg.ImageItem(axisOrder="row-major")
            box.addItem(image)
            self._labels.append(label)
            self.images.append(image)
        rows = -(-N_CLASSES // COLUMNS)
        self.colorbar = pg.ColorBarItem(colorMap=pg.colormap.get(COLORMAP), interactive=False,
                                        width=12, label="weight")
        self.colorbar.setImageItem(self.images)
        self.view.addItem(self.colorbar, row=0, col=COLUMNS, rowspan=2 * rows)
        self._pending: np.ndarray | None = None
        self._timer = QTimer(self, singleShot=True, interval=REDRAW_INTERVAL_MS)
        self._timer.timeout.connect(self._render)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        apply_palette(self.view, self.palette())

    def set_weights(self, W: np.ndarray) -> None:
        """Show ``W`` (784, 10) soon (at most every :data:`REDRAW_INTERVAL_MS`)."""
        if W.shape != (MNIST_SIDE * MNIST_SIDE, N_CLASSES):
            raise ValueError(f"W must be ({MNIST_SIDE * MNIST_SIDE}, {N_CLASSES}), got {W.shape}")
        self._pending = W
        if not self._timer.isActive():
            self._timer.start()

    def flush(self) -> None:
        """Draw pending weights now."""
        self._timer.stop()
        self._render()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            apply_palette(self.view, self.palette())
        super().changeEvent(event)

    def _render(self) -> None:
        W, self._pending = self._pending, None
        if W is None:
            return
        level = max(float(np.percentile(np.abs(W), LEVEL_PERCENTILE)), MIN_LEVEL)
        for k, image in enumerate(self.images):
            image.setImage(W[:, k].reshape(MNIST_SIDE, MNIST_SIDE), autoLevels=False)
        self.colorbar.setLevels((-level, level))
