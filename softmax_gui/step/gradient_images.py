"""Ten 28×28 images of a (784, 10) array — the gradient ``∂J/∂W`` or the change ``ΔW`` —
in the weight templates' diverging colours and one symmetric scale, with the true and the
predicted class framed, and a click on a pixel naming the weight under it. For a model with
an input map, the images are the pixel part and a line names the parts not pictured.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGraphicsRectItem, QWidget

from engine import MNIST_SIDE, N_CLASSES, InputMap
from softmax_gui.train.weights_view import WeightsView

TRUE_COLOUR = QColor(46, 125, 50)  # green: the class the example is
PREDICTED_COLOUR = QColor(230, 120, 0)  # orange: the class the model reads
FRAME_WIDTH = 3
#: Ten 28×28 images side by side are ten times wider than tall: this height (images plus
#: their labels) fits the tab's width without empty bands above and below.
HEIGHT = 160
AXIS_WIDTH = 70
#: The predicted frame sits this far inside the true one, so both show when they coincide.
PREDICTED_INSET = 1.0


def weight_at(x: float, y: float) -> tuple[int, int] | None:
    """The weight ``(i, j)`` (pixel, class) under mosaic point ``(x, y)``, or None outside.

    The mosaic is ten 28×28 images side by side: column ``x`` falls in class ``x // 28``,
    and the pixel is ``row * 28 + column`` within that image (``W``'s row order).
    """
    if not (0 <= x < N_CLASSES * MNIST_SIDE and 0 <= y < MNIST_SIDE):
        return None
    j, column = divmod(int(x), MNIST_SIDE)
    return int(y) * MNIST_SIDE + column, j


def describe_weight(i: int, j: int, names: Sequence[str]) -> str:
    """``"W[523, 8]: pixel 523 = row 18, column 19; class 8"`` (rows and columns from 0)."""
    row, column = divmod(i, MNIST_SIDE)
    name = names[j]
    label = f"class {j}" if name == str(j) else f"class {j} ({name})"
    return f"W[{i}, {j}]: pixel {i} = row {row}, column {column}; {label}"


class GradientImages(WeightsView):
    """A (784, 10) array as ten images on one symmetric scale; emits the clicked weight."""

    #: The user clicked weight ``W[i, j]``: pixel ``i``, class ``j``.
    weight_clicked = Signal(int, int)

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, glyphs=False)  # signed arrays: rays would hide the sign
        self.subject = label
        self.colorbar.getAxis("left").setLabel(label)  # where ColorBarItem puts its label
        # plain tick values (0.0003), not "300" under a "(x1e-06)" label a reader misses
        self.colorbar.axis.enableAutoSIPrefix(False)
        self.colorbar.axis.setWidth(AXIS_WIDTH)
        self.view.setFixedHeight(HEIGHT)
        box = self.image.getViewBox()
        self._true = self._frame(box, TRUE_COLOUR, Qt.PenStyle.SolidLine)
        self._predicted = self._frame(box, PREDICTED_COLOUR, Qt.PenStyle.DashLine)
        self._names: tuple[str, ...] = tuple(str(k) for k in range(N_CLASSES))
        self.view.scene().sigMouseClicked.connect(self._on_click)
        self.view.setCursor(Qt.CursorShape.CrossCursor)

    @staticmethod
    def _frame(box: pg.ViewBox, colour: QColor, style: Qt.PenStyle) -> QGraphicsRectItem:
        frame = QGraphicsRectItem()
        pen = pg.mkPen(colour, width=FRAME_WIDTH, style=style)
        pen.setCosmetic(True)
        frame.setPen(pen)
        frame.setZValue(10)
        frame.hide()
        box.addItem(frame)
        return frame

    def show_array(
        self,
        G: np.ndarray,
        names: Sequence[str],
        true: int | None = None,
        predicted: int | None = None,
        input_map: InputMap | None = None,
    ) -> None:
        """Show ``G`` (n_features, 10) now (its pixel part as images, the parts of
        ``input_map`` named); frame the ``true`` and ``predicted`` classes if given and mark
        them in the labels above the images."""
        self._names = tuple(names)
        labels = []
        for k, name in enumerate(names):
            marks = [m for m, c in (("y", true), ("ŷ", predicted)) if c == k]
            labels.append(f"{name}  ({' = '.join(marks)})" if marks else name)
        self.set_class_names(tuple(labels))
        for frame, marked, inset in (
            (self._true, true, 0.0),
            (self._predicted, predicted, PREDICTED_INSET),
        ):
            frame.setVisible(marked is not None)
            if marked is not None:
                side = MNIST_SIDE - 2 * inset
                frame.setRect(marked * MNIST_SIDE + inset, inset, side, side)
        self.set_weights(G, input_map)
        self.flush()

    def level(self) -> float:
        """The symmetric colour scale's bound: colours run from −level to +level."""
        return float(self.colorbar.levels()[1])

    def _on_click(self, event: object) -> None:
        pos = self.image.mapFromScene(event.scenePos())  # type: ignore[attr-defined]
        weight = weight_at(pos.x(), pos.y())
        if weight is not None:
            self.weight_clicked.emit(*weight)

    def click_point(self, i: int, j: int) -> QPointF:
        """The scene point over weight ``W[i, j]`` (for tests and scripts)."""
        row, column = divmod(i, MNIST_SIDE)
        return self.image.mapToScene(QPointF(j * MNIST_SIDE + column + 0.5, row + 0.5))
