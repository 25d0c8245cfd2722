"""DrawingCanvas (strokes, pen width, eraser, undo/redo, clear, drop) and image loading."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QImage, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import QApplication

from softmax_gui.draw.canvas import CANVAS_SIZE, INK_SCALE, INK_SIDE, MAX_PEN_WIDTH, DrawingCanvas
from softmax_gui.widgets.image_io import (
    gray_to_qimage,
    load_ink_image,
    qimage_to_gray,
    to_ink_bright,
)

LEFT, RIGHT, NONE = Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton, Qt.MouseButton.NoButton
#: Page units between successive mouse-move events, like a hand moving a mouse.
MOVE_STEP = 4.0
INK_THRESHOLD = 128
MIDDLE = CANVAS_SIZE / 2
HORIZONTAL = [(40.0, MIDDLE), (240.0, MIDDLE)]


def send_mouse(widget, etype: QEvent.Type, pos: QPointF, button, buttons) -> None:
    """Deliver one mouse event (QTest would keep a pressed button across tests)."""
    event = QMouseEvent(
        etype,
        QPointF(pos),
        QPointF(widget.mapToGlobal(pos.toPoint())),
        button,
        buttons,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, event)


def page_to_widget(canvas: DrawingCanvas, x: float, y: float) -> QPointF:
    rect = canvas.page_rect()
    return rect.topLeft() + QPointF(x, y) * (rect.width() / CANVAS_SIZE)


def press_and_move(canvas: DrawingCanvas, points: Sequence[tuple[float, float]]) -> QPointF:
    """Press at the first point (page units) and move through the rest; returns the last."""
    pos = page_to_widget(canvas, *points[0])
    send_mouse(canvas, QEvent.Type.MouseButtonPress, pos, LEFT, LEFT)
    for (x0, y0), (x1, y1) in zip(points[:-1], points[1:], strict=True):
        n = max(1, int(np.hypot(x1 - x0, y1 - y0) / MOVE_STEP))
        for t in np.linspace(0.0, 1.0, n + 1)[1:]:
            pos = page_to_widget(canvas, x0 + (x1 - x0) * t, y0 + (y1 - y0) * t)
            send_mouse(canvas, QEvent.Type.MouseMove, pos, NONE, LEFT)
    return pos


def draw_stroke(canvas: DrawingCanvas, points: Sequence[tuple[float, float]]) -> None:
    """One stroke through ``points`` (page units): press, small moves, release."""
    pos = press_and_move(canvas, points)
    send_mouse(canvas, QEvent.Type.MouseButtonRelease, pos, LEFT, NONE)


def ink_at(canvas: DrawingCanvas, x: float, y: float) -> int:
    return int(canvas.ink_array()[int(y * INK_SCALE), int(x * INK_SCALE)])


def stroke_thickness(canvas: DrawingCanvas, x: float) -> float:
    """Thickness (page units) of the ink crossing column ``x``."""
    column = canvas.ink_array()[:, int(x * INK_SCALE)]
    return np.count_nonzero(column >= INK_THRESHOLD) / INK_SCALE


@pytest.fixture
def canvas(qtbot) -> DrawingCanvas:
    widget = DrawingCanvas()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_new_canvas_is_blank_and_ink_bright(canvas):
    ink = canvas.ink_array()
    assert ink.shape == (INK_SIDE, INK_SIDE) and ink.dtype == np.uint8
    assert canvas.is_blank()


def test_stroke_puts_ink_along_its_path_only(canvas, qtbot):
    with qtbot.waitSignal(canvas.edit_finished):
        draw_stroke(canvas, HORIZONTAL)
    assert ink_at(canvas, MIDDLE, MIDDLE) == 255
    assert ink_at(canvas, 40, MIDDLE) == 255  # round cap covers the ends
    assert ink_at(canvas, MIDDLE, 40) == 0
    assert ink_at(canvas, 270, MIDDLE) == 0


def test_strokes_report_changes_while_drawing(canvas, qtbot):
    changes = []
    canvas.changed.connect(lambda: changes.append(1))
    draw_stroke(canvas, HORIZONTAL)
    assert len(changes) > 10  # every mouse move, so the panel can predict live


@pytest.mark.parametrize("width", [8, 24])
def test_pen_width_sets_stroke_thickness(canvas, width):
    canvas.set_pen_width(width)
    draw_stroke(canvas, HORIZONTAL)
    assert stroke_thickness(canvas, MIDDLE) == pytest.approx(width, abs=1.5)


def test_pen_width_is_clamped(canvas):
    canvas.set_pen_width(10_000)
    assert canvas.pen_width() == MAX_PEN_WIDTH


def test_undo_restores_previous_drawing_and_redo_reapplies(canvas):
    draw_stroke(canvas, HORIZONTAL)
    after_first = canvas.ink_array()
    draw_stroke(canvas, [(MIDDLE, 40), (MIDDLE, 240)])
    after_second = canvas.ink_array()
    assert not np.array_equal(after_first, after_second)

    canvas.undo()
    np.testing.assert_array_equal(canvas.ink_array(), after_first)
    canvas.redo()
    np.testing.assert_array_equal(canvas.ink_array(), after_second)
    canvas.undo()
    canvas.undo()
    assert canvas.is_blank()


def test_eraser_removes_ink_and_is_undoable(canvas):
    draw_stroke(canvas, HORIZONTAL)
    drawn = canvas.ink_array()
    canvas.set_eraser(True)
    canvas.set_pen_width(MAX_PEN_WIDTH)
    draw_stroke(canvas, [(100, MIDDLE), (180, MIDDLE)])
    assert ink_at(canvas, MIDDLE, MIDDLE) == 0
    assert ink_at(canvas, 60, MIDDLE) == 255  # outside the erased part
    canvas.undo()
    np.testing.assert_array_equal(canvas.ink_array(), drawn)


def test_right_click_clears_and_undo_brings_the_drawing_back(canvas):
    draw_stroke(canvas, HORIZONTAL)
    drawn = canvas.ink_array()
    pos = page_to_widget(canvas, MIDDLE, MIDDLE)
    send_mouse(canvas, QEvent.Type.MouseButtonPress, pos, RIGHT, RIGHT)
    send_mouse(canvas, QEvent.Type.MouseButtonRelease, pos, RIGHT, NONE)
    assert canvas.is_blank()
    canvas.undo()
    np.testing.assert_array_equal(canvas.ink_array(), drawn)


def test_clearing_a_blank_page_adds_no_undo_step(canvas):
    canvas.clear()
    assert canvas.undo_stack.count() == 0


def test_set_image_fits_a_small_image_to_the_page_with_whole_blocks(canvas):
    gray = np.zeros((28, 28), np.uint8)
    gray[10:14, 4:8] = 200
    canvas.set_image(gray, smooth=False)
    block = INK_SIDE // 28
    ink = canvas.ink_array()
    np.testing.assert_array_equal(ink[10 * block : 14 * block, 4 * block : 8 * block], 200)
    assert ink.sum() == 200 * (4 * block) ** 2


def test_set_image_keeps_aspect_ratio_and_centres(canvas):
    canvas.set_image(np.full((20, 10), 255, np.uint8), smooth=False)
    cols = np.flatnonzero(canvas.ink_array().any(axis=0))
    assert (cols[0], cols[-1] + 1) == (INK_SIDE // 4, 3 * INK_SIDE // 4)


@pytest.mark.parametrize(
    "bad", [np.zeros((3, 3, 3), np.uint8), np.zeros((4, 4), np.float32), np.zeros((0, 5), np.uint8)]
)
def test_set_image_rejects_non_grey_images(canvas, bad):
    with pytest.raises(ValueError, match="2-D uint8"):
        canvas.set_image(bad)


def test_page_shows_palette_colours(canvas):
    draw_stroke(canvas, HORIZONTAL)
    shot = canvas.grab().toImage()  # also checks that grabbing works offscreen
    ink_pos = page_to_widget(canvas, MIDDLE, MIDDLE).toPoint()
    page_pos = page_to_widget(canvas, MIDDLE, 60).toPoint()
    ratio = shot.devicePixelRatio()
    ink_colour = shot.pixelColor(QPoint(int(ink_pos.x() * ratio), int(ink_pos.y() * ratio)))
    page_colour = shot.pixelColor(QPoint(int(page_pos.x() * ratio), int(page_pos.y() * ratio)))
    assert ink_colour == canvas.palette().text().color()
    assert page_colour == canvas.palette().base().color()


def test_dropping_a_file_reports_its_path(canvas, qtbot, tmp_path):
    path = tmp_path / "digit.png"
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    pos = page_to_widget(canvas, MIDDLE, MIDDLE)
    enter = QDragEnterEvent(
        pos.toPoint(), Qt.DropAction.CopyAction, mime, LEFT, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(canvas, enter)
    assert enter.isAccepted()
    drop = QDropEvent(pos, Qt.DropAction.CopyAction, mime, LEFT, Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(canvas.file_dropped) as blocker:
        QApplication.sendEvent(canvas, drop)
    assert blocker.args == [str(path)]


# --- image_io ------------------------------------------------------------------------------
def test_gray_qimage_round_trip_handles_padded_rows():
    gray = np.arange(7 * 5, dtype=np.uint8).reshape(5, 7)  # 7 bytes a row: Qt pads to 8
    np.testing.assert_array_equal(qimage_to_gray(gray_to_qimage(gray)), gray)


def test_dark_ink_on_paper_is_inverted_to_ink_bright():
    paper = np.full((20, 20), 230, np.uint8)  # grey paper: must become background, not ink
    paper[5:15, 9:11] = 20
    ink = to_ink_bright(paper)
    assert ink[10, 10] == 255
    assert ink[0, 0] == 0


def test_ink_bright_image_keeps_its_polarity():
    mnist_like = np.zeros((20, 20), np.uint8)
    mnist_like[5:15, 9:11] = 255
    np.testing.assert_array_equal(to_ink_bright(mnist_like), mnist_like)


def test_flat_image_has_no_ink():
    assert not to_ink_bright(np.full((8, 8), 90, np.uint8)).any()


def test_transparent_png_with_dark_ink_reads_as_ink(tmp_path):
    image = QImage(40, 40, QImage.Format.Format_ARGB32)
    image.fill(QColor(0, 0, 0, 0))  # transparent black background
    painter = QPainter(image)
    painter.setPen(QPen(QColor(0, 0, 0), 6))
    painter.drawLine(20, 5, 20, 35)
    painter.end()
    path = tmp_path / "transparent.png"
    assert image.save(str(path))
    ink = load_ink_image(path)
    assert ink[20, 20] == 255
    assert ink[20, 5] == 0


def test_unreadable_file_raises_a_clear_error(tmp_path):
    path = tmp_path / "notes.png"
    path.write_text("this is not an image")
    with pytest.raises(ValueError, match="notes.png: not a readable image"):
        load_ink_image(path)


def test_missing_file_raises_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="missing.png: file not found"):
        load_ink_image(tmp_path / "missing.png")
