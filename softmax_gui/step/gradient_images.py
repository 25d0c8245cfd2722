"""Ten 28×28 images of a (784, 10) array — the gradient ``∂J/∂W`` or the change ``ΔW`` —
in the weight templates' diverging colours and one symmetric scale, with the true and the
predicted class framed, and a click on a pixel naming the weight under it. For a model with
an input map, the images are the pixel part and a line names the parts not pictured.

From the keyboard, the images take focus: the arrow keys move a cursor over the pixels,
Page Up/Down change the class, Enter picks the weight under the cursor as a click would.
A screen reader reads each class's largest and smallest value and the weight under the cursor.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPalette
from PySide6.QtWidgets import QGraphicsRectItem, QWidget

from engine import MNIST_SIDE, N_CLASSES, InputMap
from softmax_gui.step.accessible import set_description, set_name, signed
from softmax_gui.step.formula_view import format_value
from softmax_gui.train.weights_view import WeightsView
from softmax_gui.widgets.colours import (
    AGAINST_COLOUR,
    FOR_COLOUR,
    PREDICTED_COLOUR,
    TRUE_COLOUR,
)

FRAME_WIDTH = 3
CURSOR_WIDTH = 2
#: Keys that move the keyboard cursor: (pixel rows down, mosaic columns right).
MOVES = {
    Qt.Key.Key_Left: (0, -1),
    Qt.Key.Key_Right: (0, 1),
    Qt.Key.Key_Up: (-1, 0),
    Qt.Key.Key_Down: (1, 0),
    Qt.Key.Key_PageUp: (0, -MNIST_SIDE),
    Qt.Key.Key_PageDown: (0, MNIST_SIDE),
}
PICK_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space)
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
    if name == str(j):
        text = QCoreApplication.translate(
            "gradient_images", "W[{i}, {j}]: pixel {i} = row {row}, column {column}; class {j}"
        )
    else:
        text = QCoreApplication.translate(
            "gradient_images",
            "W[{i}, {j}]: pixel {i} = row {row}, column {column}; class {j} ({name})",
        )
    return text.format(i=i, j=j, row=row, column=column, name=name)


def diverging(middle: QColor) -> pg.ColorMap:
    """Blue (against, negative) through ``middle`` (zero) to vermillion (for, positive)."""
    return pg.ColorMap(pos=[0.0, 0.5, 1.0], color=[AGAINST_COLOUR, middle, FOR_COLOUR])


def describe_classes(G: np.ndarray, what: str, names: Sequence[str]) -> list[str]:
    """One line a class of the (784, 10) array ``G`` called ``what``: its largest and its
    smallest value, and where they are."""
    lines = []
    for j in range(G.shape[1]):
        column = G[:, j]
        top, low = int(np.argmax(column)), int(np.argmin(column))
        lines.append(
            QCoreApplication.translate(
                "gradient_images",
                "{what} for class {name}: largest {top} at row {top_row}, column {top_column}; "
                "smallest {low} at row {low_row}, column {low_column}",
            ).format(
                what=what,
                name=names[j],
                top=signed(format_value(float(column[top]))),
                top_row=top // MNIST_SIDE,
                top_column=top % MNIST_SIDE,
                low=signed(format_value(float(column[low]))),
                low_row=low // MNIST_SIDE,
                low_column=low % MNIST_SIDE,
            )
        )
    return lines


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
        self._cursor_frame = self._frame(box, self.palette().color(QPalette.ColorRole.Text))
        self._cursor_frame.setZValue(11)
        self._names: tuple[str, ...] = tuple(str(k) for k in range(N_CLASSES))
        self._pixels = np.zeros((MNIST_SIDE * MNIST_SIDE, N_CLASSES))  # (784, 10) on show
        self._cursor: tuple[int, int] | None = None  # (row, mosaic column) under the cursor
        self._usage = ""
        self.view.scene().sigMouseClicked.connect(self._on_click)
        self.view.setCursor(Qt.CursorShape.CrossCursor)
        self.view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.view.installEventFilter(self)
        self._restyle()

    def set_accessible_name(self, name: str, usage: str) -> None:
        """What a screen reader calls the images, and how to use them from the keyboard."""
        self._usage = usage
        set_name(self.view, name)
        self.setAccessibleName(name)
        self._describe_gradients()

    @staticmethod
    def _frame(
        box: pg.ViewBox, colour: QColor, style: Qt.PenStyle = Qt.PenStyle.SolidLine
    ) -> QGraphicsRectItem:
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
        self._pixels = np.asarray(G[: MNIST_SIDE * MNIST_SIDE], dtype=np.float64)
        self.set_weights(G, input_map)
        self.flush()
        self._describe_gradients()

    def level(self) -> float:
        """The symmetric colour scale's bound: colours run from −level to +level."""
        return float(self.colorbar.levels()[1])

    def cursor_weight(self) -> tuple[int, int] | None:
        """The weight ``(i, j)`` under the keyboard cursor, or None before it was used."""
        if self._cursor is None:
            return None
        row, x = self._cursor
        return weight_at(x + 0.5, row + 0.5)

    def _on_click(self, event: object) -> None:
        pos = self.image.mapFromScene(event.scenePos())  # type: ignore[attr-defined]
        weight = weight_at(pos.x(), pos.y())
        if weight is not None:
            self._move_cursor_to(int(pos.y()), int(pos.x()))
            self.weight_clicked.emit(*weight)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The keyboard cursor on the images: arrows, Page Up/Down, Enter."""
        if watched is self.view:
            kind = event.type()
            if kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
                return self._on_key(event)
            if kind == QEvent.Type.FocusIn:
                if self._cursor is None:
                    self._start_cursor()
                self._cursor_frame.show()
            elif kind == QEvent.Type.FocusOut:
                self._cursor_frame.hide()
        return super().eventFilter(watched, event)

    def _on_key(self, event: QKeyEvent) -> bool:
        key = Qt.Key(event.key())
        if self._cursor is None:
            self._start_cursor()
        assert self._cursor is not None
        if key in MOVES:
            down, right = MOVES[key]
            row, x = self._cursor
            row = min(max(row + down, 0), MNIST_SIDE - 1)
            x = min(max(x + right, 0), N_CLASSES * MNIST_SIDE - 1)
            self._move_cursor_to(row, x)
            return True
        if key in PICK_KEYS:
            weight = self.cursor_weight()
            if weight is not None:
                self.weight_clicked.emit(*weight)
            return True
        return False

    def _start_cursor(self) -> None:
        """Put the cursor on the largest value in size: the first place worth a look."""
        i, j = np.unravel_index(int(np.argmax(np.abs(self._pixels))), self._pixels.shape)
        row, column = divmod(int(i), MNIST_SIDE)
        self._move_cursor_to(row, int(j) * MNIST_SIDE + column)

    def _move_cursor_to(self, row: int, x: int) -> None:
        self._cursor = (row, x)
        self._cursor_frame.setRect(x, row, 1, 1)
        self._describe_gradients()

    def _describe(self, level: float | None) -> None:
        """The weight templates' words do not fit gradients: say what these images show."""
        if getattr(self, "_pixels", None) is not None:  # not while the base class builds
            self._describe_gradients()

    def _describe_gradients(self) -> None:
        """The accessible description: each class's extremes, the weight under the cursor."""
        lines = describe_classes(self._pixels, self.subject, self._names)
        weight = self.cursor_weight()
        if weight is not None:
            i, j = weight
            lines.append(
                QCoreApplication.translate("gradient_images", "Cursor on {weight}: {value}").format(
                    weight=describe_weight(i, j, self._names),
                    value=signed(format_value(float(self._pixels[i, j]))),
                )
            )
        if self._usage:
            lines.append(self._usage)
        text = "\n".join(lines)
        set_description(self.view, text)
        set_description(self, text)

    def _restyle(self) -> None:
        """The palette changed: the colour map's neutral middle and the cursor follow it."""
        super()._restyle()
        self.colorbar.setColorMap(diverging(self.palette().color(QPalette.ColorRole.Base)))
        cursor = getattr(self, "_cursor_frame", None)  # None while the base class builds
        if cursor is not None:
            pen = pg.mkPen(self.palette().color(QPalette.ColorRole.Text), width=CURSOR_WIDTH)
            pen.setCosmetic(True)
            cursor.setPen(pen)

    def click_point(self, i: int, j: int) -> QPointF:
        """The scene point over weight ``W[i, j]`` (for tests and scripts)."""
        row, column = divmod(i, MNIST_SIDE)
        return self.image.mapToScene(QPointF(j * MNIST_SIDE + column + 0.5, row + 0.5))
