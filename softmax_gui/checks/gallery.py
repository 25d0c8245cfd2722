"""The Evaluate tab's gallery items: a test image with its probabilities and loss.

Every item is cheap to add (a label and a test index); its thumbnail (the digit over a strip
of the ten probabilities) is drawn only when the list paints it, so thousands of mistakes
fill in milliseconds and only the visible ones are ever drawn. The probabilities and losses
come from the engine through :func:`softmax_gui.checks.evaluation_panel.evaluate`; this
module only orders and draws them.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QListWidgetItem

import engine
from engine import MNIST_SIDE

THUMB_SCALE = 2
THUMB_SIDE = MNIST_SIDE * THUMB_SCALE
#: Height of the probability strip under each digit: one bar a class, height ∝ p.
STRIP_HEIGHT = 16
TRUE_COLOUR = QColor(46, 125, 50)
PREDICTED_COLOUR = QColor(198, 40, 40)
OTHER_COLOUR = QColor(140, 140, 140)
STRIP_BACKGROUND = QColor(235, 235, 235)
IMAGE_ROLE = Qt.ItemDataRole.UserRole
#: Thumbnails kept once drawn (~16 kB each): the list repaints the visible ones often (as it
#: fills, scrolls, hovers), and drawing one takes ~0.3 ms.
ICON_CACHE = 1000
#: How the gallery can be ordered: key -> the menu's text.
ORDERS = {
    "loss": "worst first (highest loss)",
    "index": "test image number",
    "class": "true class, then predicted",
}


@dataclass(frozen=True)
class GalleryData:
    """What the gallery draws from: the test images (n, 784) in [0, 1], their labels and
    predictions (n,), the model's probabilities (n, k) and each image's loss
    ``-log p[true]`` (n,), and the class names."""

    images: np.ndarray
    y_true: np.ndarray
    y_pred: np.ndarray
    proba: np.ndarray
    loss: np.ndarray
    names: tuple[str, ...]
    #: The latest thumbnails drawn, by test index (least recently used first).
    _icons: OrderedDict[int, QIcon] = field(default_factory=OrderedDict, compare=False)

    def ordered(self, indices: np.ndarray, order: str) -> np.ndarray:
        """``indices`` (test image numbers) in ``order`` (a key of :data:`ORDERS`)."""
        if order == "loss":
            return indices[np.argsort(-self.loss[indices], kind="stable")]
        if order == "class":
            # lexsort's last key sorts first: true class, then predicted, worst loss first
            keys = (-self.loss[indices], self.y_pred[indices], self.y_true[indices])
            return indices[np.lexsort(keys)]
        if order == "index":
            return np.sort(indices)
        raise ValueError(f"order must be one of {', '.join(ORDERS)}, got {order!r}")

    def label(self, i: int) -> str:
        """``"4→9"`` and the loss on a second line (3 digits: it fits under a thumbnail)."""
        true, predicted = self.names[self.y_true[i]], self.names[self.y_pred[i]]
        return f"{true}→{predicted}\nloss {self.loss[i]:.3g}"

    def tooltip(self, i: int) -> str:
        """Image ``i``'s number, classes, loss and every probability (largest first)."""
        true, predicted = int(self.y_true[i]), int(self.y_pred[i])
        p = self.proba[i]
        lines = [
            f"<b>test image #{i:,}</b>: true {self.names[true]}, predicted {self.names[predicted]}",
            f"loss −log p({self.names[true]}) = {self.loss[i]:.3f}",
        ]
        for k in np.argsort(-p, kind="stable"):
            mark = " ← true" if k == true else " ← predicted" if k == predicted else ""
            lines.append(f"p({self.names[k]}) = {p[k]:.3f}{mark}")
        return "<br>".join(lines)

    def icon(self, i: int) -> QIcon:
        """Image ``i`` white on black, over a strip of its class probabilities (true class
        green, the predicted one red); drawn once, then kept while recently used."""
        icon = self._icons.get(i)
        if icon is None:
            icon = self._icons[i] = self._draw(i)
            if len(self._icons) > ICON_CACHE:
                self._icons.popitem(last=False)
        else:
            self._icons.move_to_end(i)
        return icon

    def _draw(self, i: int) -> QIcon:
        pixels = engine.to_grey_levels(self.images[i])
        digit = QImage(
            np.ascontiguousarray(pixels).data,
            MNIST_SIDE,
            MNIST_SIDE,
            MNIST_SIDE,
            QImage.Format.Format_Grayscale8,
        ).scaled(THUMB_SIDE, THUMB_SIDE)  # scaled: a copy, pixels may be temporary
        pixmap = QPixmap(THUMB_SIDE, THUMB_SIDE + STRIP_HEIGHT)
        pixmap.fill(STRIP_BACKGROUND)
        painter = QPainter(pixmap)
        painter.drawImage(0, 0, digit)
        proba = self.proba[i]
        width = THUMB_SIDE / proba.size
        for k, p in enumerate(proba):
            colour = (
                TRUE_COLOUR
                if k == self.y_true[i]
                else PREDICTED_COLOUR
                if k == self.y_pred[i]
                else OTHER_COLOUR
            )
            height = max(float(p) * STRIP_HEIGHT, 1.0)  # a hairline marks p ≈ 0
            bar = QRectF(k * width + 0.5, THUMB_SIDE + STRIP_HEIGHT - height, width - 1, height)
            painter.fillRect(bar, colour)
        painter.end()
        return QIcon(pixmap)


class GalleryItem(QListWidgetItem):
    """One test image in the gallery; its thumbnail is drawn whenever the list paints it."""

    def __init__(self, data: GalleryData, i: int) -> None:
        super().__init__(data.label(i))
        self._data, self._i = data, i
        self.setData(IMAGE_ROLE, i)

    def data(self, role: int) -> object:
        if role == Qt.ItemDataRole.DecorationRole:
            return self._data.icon(self._i)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._data.tooltip(self._i)
        return super().data(role)
