"""The drawing canvas: an ink-bright grey image the user paints on with the mouse.

The ink is stored the way MNIST and :func:`engine.preprocess_canvas` want it (0 background,
255 ink) at a fixed resolution, whatever the widget's size or the screen's pixel ratio; it is
only coloured for display, with the palette's page (Base) and ink (Text) colours, so a light
theme shows dark ink on paper and a dark theme shows the MNIST look.

Every edit (stroke, clear, new image) is one entry on a snapshot undo stack.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDropEvent,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QUndoCommand,
    QUndoStack,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from engine import GREY_MAX
from softmax_gui.widgets.image_io import (
    gray_to_qimage,
    ink_colour_table,
    ink_to_display,
    qimage_to_gray,
)

#: Side of the page in logical pixels at the widget's minimum size; pen widths are in these
#: units, so a stroke keeps its proportion to the page when the widget grows.
CANVAS_SIZE = 280
#: Ink pixels per page unit: twice the page keeps strokes crisp on 2× (high-DPI) screens.
INK_SCALE = 2
INK_SIDE = CANVAS_SIZE * INK_SCALE
INK_LEVEL = GREY_MAX
BACKGROUND_LEVEL = 0
DEFAULT_PEN_WIDTH = 14
MIN_PEN_WIDTH = 4
MAX_PEN_WIDTH = 48
#: Each entry holds two INK_SIDE² snapshots (~0.6 MB), so the history stays bounded.
UNDO_LIMIT = 50
PAGE_BORDER_WIDTH = 1.0


class _SnapshotCommand(QUndoCommand):
    """One edit as before/after snapshots of the ink; the edit is already applied when pushed."""

    def __init__(self, canvas: DrawingCanvas, before: QImage, after: QImage, text: str) -> None:
        super().__init__(text)
        self._canvas, self._before, self._after = canvas, before, after
        self._applied = True  # QUndoStack.push calls redo() at once; the canvas already shows it

    def redo(self) -> None:
        if self._applied:
            self._applied = False
            return
        self._canvas._restore(self._after)

    def undo(self) -> None:
        self._canvas._restore(self._before)


class DrawingCanvas(QWidget):
    """A square page to draw a digit on: round pen, eraser, undo/redo, clear, image drop."""

    #: The ink changed during a stroke (many times a second while the mouse moves).
    changed = Signal()
    #: An edit is complete: stroke released, cleared, undone/redone or an image was put.
    edit_finished = Signal()
    #: A local file was dropped on the canvas (its path); the owner decides how to load it.
    file_dropped = Signal(str)
    #: A digit key 0-9 was typed (no Ctrl/Alt/Meta) while the canvas has the focus.
    digit_typed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ink = QImage(INK_SIDE, INK_SIDE, QImage.Format.Format_Grayscale8)
        self._ink.fill(BACKGROUND_LEVEL)
        self._display: QImage | None = None  # coloured copy of the ink, rebuilt when stale
        self._colours = self._palette_colours()
        self._pen_width = DEFAULT_PEN_WIDTH
        self._eraser = False
        self._stroke_before: QImage | None = None  # ink at the start of the current stroke
        self._last: QPointF | None = None  # last stroke point, page units
        self._hover: QPointF | None = None  # mouse position for the pen-size ring, page units
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setUndoLimit(UNDO_LIMIT)
        self.setMinimumSize(CANVAS_SIZE, CANVAS_SIZE)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAcceptDrops(True)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setToolTip(
            self.tr("Draw with the left button; right-click clears. Drop an image to read it.")
        )
        self.setAccessibleName(self.tr("Drawing canvas"))
        # the reading itself becomes the description (DrawPanel keeps it current)
        self.setAccessibleDescription(self.tr("Empty page: draw a digit"))

    # --- state -------------------------------------------------------------------------
    def ink_array(self) -> np.ndarray:
        """The ink as a (INK_SIDE, INK_SIDE) uint8 copy: 0 background, 255 ink."""
        return qimage_to_gray(self._ink)

    def is_blank(self) -> bool:
        """True when no pixel holds any ink."""
        return not self.ink_array().any()

    def pen_width(self) -> int:
        """Pen diameter in page units (the page is CANVAS_SIZE units wide)."""
        return self._pen_width

    def set_pen_width(self, width: int) -> None:
        """Set the pen diameter, clamped to [MIN_PEN_WIDTH, MAX_PEN_WIDTH]."""
        self._pen_width = int(min(max(int(width), MIN_PEN_WIDTH), MAX_PEN_WIDTH))
        self.update()

    def set_eraser(self, on: bool) -> None:
        """Make strokes erase (True) or draw (False)."""
        self._eraser = bool(on)
        self.update()

    # --- edits -------------------------------------------------------------------------
    def clear(self) -> None:
        """Erase everything (one undoable step; nothing happens on a blank page)."""
        self._finish_stroke()
        if self.is_blank():
            return
        before = self._ink.copy()
        self._ink.fill(BACKGROUND_LEVEL)
        self._push(before, self.tr("Clear"))

    def set_image(self, gray: np.ndarray, smooth: bool = True, text: str = "") -> None:
        """Replace the drawing with an ink-bright (H, W) uint8 image fitted to the page.

        The aspect ratio is kept and the image centred. ``smooth=False`` upscales with whole
        blocks, so a 28×28 MNIST digit comes back unchanged after preprocessing.
        """
        a = np.asarray(gray)
        if a.ndim != 2 or a.size == 0 or a.dtype != np.uint8:
            raise ValueError(
                f"expected a non-empty 2-D uint8 image, got shape {a.shape} and dtype {a.dtype}"
            )
        self._finish_stroke()
        mode = (
            Qt.TransformationMode.SmoothTransformation
            if smooth
            else Qt.TransformationMode.FastTransformation
        )
        scaled = gray_to_qimage(a).scaled(
            INK_SIDE, INK_SIDE, Qt.AspectRatioMode.KeepAspectRatio, mode
        )
        before = self._ink.copy()
        self._ink.fill(BACKGROUND_LEVEL)
        painter = QPainter(self._ink)
        painter.drawImage(
            (INK_SIDE - scaled.width()) // 2, (INK_SIDE - scaled.height()) // 2, scaled
        )
        painter.end()
        self._push(before, text or self.tr("Image"))

    def undo(self) -> None:
        """Undo the last edit."""
        self._finish_stroke()
        self.undo_stack.undo()

    def redo(self) -> None:
        """Redo the last undone edit."""
        self._finish_stroke()
        self.undo_stack.redo()

    def _push(self, before: QImage, text: str) -> None:
        self._ink_changed()
        self.undo_stack.push(_SnapshotCommand(self, before, self._ink.copy(), text))
        self.edit_finished.emit()

    def _restore(self, image: QImage) -> None:
        """Show a snapshot (called by undo commands)."""
        self._ink = image.copy()
        self._ink_changed()
        self.edit_finished.emit()

    def _ink_changed(self) -> None:
        self._display = None
        self.update()

    # --- strokes -----------------------------------------------------------------------
    def page_rect(self) -> QRectF:
        """Where the page is shown: the largest centred square of the widget (widget px)."""
        side = float(min(self.width(), self.height()))
        return QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)

    def _to_page(self, pos: QPointF) -> QPointF:
        rect = self.page_rect()
        return (pos - rect.topLeft()) * (CANVAS_SIZE / rect.width())

    def _paint_segment(self, a: QPointF, b: QPointF) -> None:
        level = BACKGROUND_LEVEL if self._eraser else INK_LEVEL
        painter = QPainter(self._ink)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.scale(INK_SCALE, INK_SCALE)
        # round caps and joins make consecutive segments read as one smooth stroke
        painter.setPen(
            QPen(
                QColor(level, level, level),
                self._pen_width,
                Qt.PenStyle.SolidLine,
                Qt.PenCapStyle.RoundCap,
                Qt.PenJoinStyle.RoundJoin,
            )
        )
        if a == b:
            painter.drawPoint(a)
        else:
            painter.drawLine(a, b)
        painter.end()
        self._ink_changed()
        self.changed.emit()

    def _finish_stroke(self) -> None:
        if self._stroke_before is None:
            return
        before, self._stroke_before, self._last = self._stroke_before, None, None
        self._push(before, self.tr("Erase") if self._eraser else self.tr("Stroke"))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.setFocus(Qt.FocusReason.MouseFocusReason)
            self._finish_stroke()
            self._stroke_before = self._ink.copy()
            self._last = self._to_page(event.position())
            self._paint_segment(self._last, self._last)
        elif event.button() == Qt.MouseButton.RightButton and self._stroke_before is None:
            self.clear()
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = self._to_page(event.position())
        self._hover = pos
        if self._last is not None and event.buttons() & Qt.MouseButton.LeftButton:
            self._paint_segment(self._last, pos)
            self._last = pos
        else:
            self.update()  # move the pen-size ring
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._finish_stroke()
        event.accept()

    def leaveEvent(self, event: QEvent) -> None:
        self._hover = None
        self.update()
        super().leaveEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        command = (
            Qt.KeyboardModifier.ControlModifier
            | Qt.KeyboardModifier.AltModifier
            | Qt.KeyboardModifier.MetaModifier
        )
        digit = event.key() - Qt.Key.Key_0
        if 0 <= digit <= 9 and not event.modifiers() & command:
            self.digit_typed.emit(digit)
            event.accept()
            return
        super().keyPressEvent(event)

    # --- drag and drop -----------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.file_dropped.emit(paths[0])

    # --- display -----------------------------------------------------------------------
    def _palette_colours(self) -> np.ndarray:
        pal = self.palette()
        return ink_colour_table(
            pal.color(QPalette.ColorRole.Base), pal.color(QPalette.ColorRole.Text)
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._colours = self._palette_colours()
            self._ink_changed()
        super().changeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._display is None:
            self._display = ink_to_display(self.ink_array(), self._colours)
        rect = self.page_rect()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(rect, self._display)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        border = pal.color(
            QPalette.ColorRole.Highlight if self.hasFocus() else QPalette.ColorRole.Mid
        )
        painter.setPen(QPen(border, PAGE_BORDER_WIDTH))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        half = PAGE_BORDER_WIDTH / 2
        painter.drawRect(rect.adjusted(half, half, -half, -half))
        if self._hover is not None and self._stroke_before is None:
            self._paint_pen_ring(painter, rect, self._hover)
        painter.end()

    def _paint_pen_ring(self, painter: QPainter, rect: QRectF, hover: QPointF) -> None:
        """Outline of the pen at the mouse (``hover``), so its size is visible before drawing."""
        scale = rect.width() / CANVAS_SIZE
        centre = rect.topLeft() + hover * scale
        radius = self._pen_width * scale / 2
        pen = QPen(self.palette().color(QPalette.ColorRole.Highlight), 1.0)
        if self._eraser:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawEllipse(centre, radius, radius)
