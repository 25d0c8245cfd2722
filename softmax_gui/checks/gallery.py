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
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QListWidgetItem

import engine
from engine import MNIST_SIDE
from softmax_gui.checks.engine_words import class_names
from softmax_gui.widgets.colours import PREDICTED_COLOUR, TRUE_COLOUR

THUMB_SCALE = 2
THUMB_SIDE = MNIST_SIDE * THUMB_SCALE
#: Height of the probability strip under each digit: one bar a class, height ∝ p.
STRIP_HEIGHT = 16
#: The true class's bar is solid blue, the predicted one hatched vermillion (a second cue
#: besides the colour), the others grey.
PREDICTED_PATTERN = Qt.BrushStyle.BDiagPattern
OTHER_COLOUR = QColor(140, 140, 140)
STRIP_BACKGROUND = QColor(235, 235, 235)
IMAGE_ROLE = Qt.ItemDataRole.UserRole
#: Thumbnails kept once drawn (~16 kB each): the list repaints the visible ones often (as it
#: fills, scrolls, hovers), and drawing one takes ~0.3 ms.
ICON_CACHE = 1000
#: How the gallery can be ordered: key -> the menu's text (translated when shown).
ORDERS = {
    "loss": str(QT_TRANSLATE_NOOP("gallery", "worst first (highest loss)")),
    "index": str(QT_TRANSLATE_NOOP("gallery", "test image number")),
    "class": str(QT_TRANSLATE_NOOP("gallery", "true class, then predicted")),
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

    def shown_names(self) -> tuple[str, ...]:
        """The class names as the user reads them."""
        return class_names(self.names)

    def label(self, i: int) -> str:
        """``"4→9"`` and the loss on a second line (3 digits: it fits under a thumbnail)."""
        names = self.shown_names()
        return QCoreApplication.translate("gallery", "{true}→{predicted}\nloss {loss}").format(
            true=names[self.y_true[i]], predicted=names[self.y_pred[i]], loss=f"{self.loss[i]:.3g}"
        )

    def accessible_name(self, i: int) -> str:
        """Image ``i`` as a screen reader names it: "test image 123: true 4, read as 9"."""
        names = self.shown_names()
        return QCoreApplication.translate(
            "gallery", "test image {i}: true {true}, read as {predicted}"
        ).format(i=i, true=names[self.y_true[i]], predicted=names[self.y_pred[i]])

    def tooltip(self, i: int) -> str:
        """Image ``i``'s number, classes, loss and every probability (largest first)."""
        true, predicted = int(self.y_true[i]), int(self.y_pred[i])
        names = self.shown_names()
        p = self.proba[i]
        lines = [
            QCoreApplication.translate(
                "gallery", "<b>test image #{i}</b>: true {true}, predicted {predicted}"
            ).format(i=f"{i:,}", true=names[true], predicted=names[predicted]),
            QCoreApplication.translate("gallery", "loss −log p({true}) = {loss}").format(
                true=names[true], loss=f"{self.loss[i]:.3f}"
            ),
        ]
        for k in np.argsort(-p, kind="stable"):
            if k == true:
                line = QCoreApplication.translate("gallery", "p({name}) = {p} ← true")
            elif k == predicted:
                line = QCoreApplication.translate("gallery", "p({name}) = {p} ← predicted")
            else:
                line = "p({name}) = {p}"
            lines.append(line.format(name=names[k], p=f"{p[k]:.3f}"))
        return "<br>".join(lines)

    def icon(self, i: int) -> QIcon:
        """Image ``i`` white on black, over a strip of its class probabilities (true class
        solid blue, the predicted one hatched vermillion); drawn once, then kept while
        recently used."""
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
            height = max(float(p) * STRIP_HEIGHT, 1.0)  # a hairline marks p ≈ 0
            bar = QRectF(k * width + 0.5, THUMB_SIDE + STRIP_HEIGHT - height, width - 1, height)
            if k == self.y_true[i]:
                painter.fillRect(bar, TRUE_COLOUR)
            elif k == self.y_pred[i]:
                painter.fillRect(bar, PREDICTED_COLOUR.lighter(160))
                painter.fillRect(bar, QBrush(PREDICTED_COLOUR, PREDICTED_PATTERN))
            else:
                painter.fillRect(bar, OTHER_COLOUR)
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
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._data.accessible_name(self._i)
        return super().data(role)
