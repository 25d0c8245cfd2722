"""DrawPanel with the shipped model: drawn digits, empty page, test digits, image files."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QImage

import engine
from softmax_gui.draw.canvas import MAX_PEN_WIDTH
from softmax_gui.draw.panel import HINT, NO_MODEL_HEADLINE, UNSURE_BELOW, DrawPanel
from softmax_gui.draw.probability_view import EMPTY_HEADLINE
from softmax_gui.widgets.image_io import gray_to_qimage, qimage_to_gray

from .conftest import shown_draw_panel
from .test_canvas import LEFT, NONE, draw_stroke, press_and_move, send_mouse

#: Strokes in page units (the page is 280 wide), drawn with the default pen.
RING = np.linspace(0.0, 2.0 * np.pi, 48)
DIGIT_STROKES = {
    7: [[(80, 70), (200, 70), (120, 220)]],
    1: [[(145, 50), (135, 230)]],
    0: [[(140 + 55 * np.sin(a), 140 - 85 * np.cos(a)) for a in RING]],
}
N_TEST_DIGITS = 20
#: show_digit re-preprocesses the digit; it may shift a borderline digit by a pixel.
MIN_AGREEMENT = 0.9
UPSCALE = 4


@pytest.fixture(scope="module")
def test_digits(mnist: engine.Dataset) -> np.ndarray:
    return mnist.X_test[:N_TEST_DIGITS]  # (n, 784)


@pytest.fixture
def panel(qtbot, shipped_model) -> DrawPanel:
    return shown_draw_panel(qtbot, shipped_model)


def draw_digit(panel: DrawPanel, qtbot, digit: int) -> np.ndarray:
    """Draw ``digit``'s strokes and return the prediction emitted after the last one."""
    emitted = []
    panel.prediction_changed.connect(emitted.append)
    with qtbot.waitSignal(panel.prediction_changed):
        for stroke in DIGIT_STROKES[digit]:
            draw_stroke(panel.canvas, stroke)
    panel.prediction_changed.disconnect(emitted.append)
    return emitted[-1]


@pytest.mark.parametrize("digit", sorted(DIGIT_STROKES))
def test_drawn_digit_is_recognised(panel, qtbot, digit):
    proba = draw_digit(panel, qtbot, digit)
    assert proba.shape == (engine.N_CLASSES,)
    assert int(np.argmax(proba)) == digit
    assert proba.sum() == pytest.approx(1.0, abs=1e-5)
    assert panel.probability_view.headline.text() == str(digit)
    assert panel.model_input().shape == (engine.MNIST_SIDE, engine.MNIST_SIDE)


def test_prediction_updates_while_the_button_is_still_down(panel, qtbot):
    pos = press_and_move(panel.canvas, DIGIT_STROKES[7][0])
    try:
        with qtbot.waitSignal(panel.prediction_changed) as blocker:
            pass  # the throttle timer fires from the event loop, before any release
    finally:
        send_mouse(panel.canvas, QEvent.Type.MouseButtonRelease, pos, LEFT, NONE)
    assert blocker.args[0] is not None


def test_empty_page_gives_no_prediction(qtbot, shipped_model):
    widget = DrawPanel()
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.prediction_changed) as blocker:
        widget.set_model(shipped_model)
    assert blocker.args == [None]
    assert widget.prediction() is None
    assert widget.probability_view.headline.text() == EMPTY_HEADLINE


def test_clear_after_drawing_emits_none_and_undo_brings_the_prediction_back(panel, qtbot):
    draw_digit(panel, qtbot, 7)
    with qtbot.waitSignal(panel.prediction_changed) as blocker:
        panel.clear()
    assert blocker.args == [None]
    assert panel.probability_view.headline.text() == EMPTY_HEADLINE
    assert panel.probability_view.confidence.text() == ""
    with qtbot.waitSignal(panel.prediction_changed) as blocker:
        panel.canvas.undo()
    assert int(np.argmax(blocker.args[0])) == 7


def test_keyboard_shortcuts_clear_undo_and_redo(panel, qtbot):
    draw_digit(panel, qtbot, 1)
    drawn = panel.canvas.ink_array()
    panel.activateWindow()
    qtbot.waitActive(panel)
    panel.canvas.setFocus()
    qtbot.keyClick(panel.canvas, Qt.Key.Key_Delete)
    assert panel.canvas.is_blank()
    qtbot.keyClick(panel.canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    np.testing.assert_array_equal(panel.canvas.ink_array(), drawn)
    qtbot.keyClick(
        panel.canvas,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert panel.canvas.is_blank()
    qtbot.keyClick(panel.canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(panel.canvas, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert panel.canvas.is_blank()


def test_without_a_model_the_page_is_read_but_not_predicted(qtbot):
    widget = DrawPanel()
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    qtbot.waitExposed(widget)
    with qtbot.waitSignal(widget.prediction_changed) as blocker:
        draw_stroke(widget.canvas, DIGIT_STROKES[1][0])
    assert blocker.args == [None]
    assert widget.probability_view.headline.text() == NO_MODEL_HEADLINE
    assert widget.model_input() is not None  # the preview still shows what was drawn


def test_show_digit_predicts_like_the_model_on_the_raw_image(panel, shipped_model, test_digits):
    expected = shipped_model.predict(test_digits)
    got = []
    for image in test_digits:
        panel.show_digit(image.reshape(engine.MNIST_SIDE, engine.MNIST_SIDE))
        got.append(int(np.argmax(panel.prediction())))
    assert np.mean(np.array(got) == expected) >= MIN_AGREEMENT


def test_show_digit_is_undoable(panel, qtbot, test_digits):
    draw_digit(panel, qtbot, 7)
    drawn = panel.canvas.ink_array()
    panel.show_digit(test_digits[0])  # a flat (784,) row is accepted too
    assert not np.array_equal(panel.canvas.ink_array(), drawn)
    panel.canvas.undo()
    np.testing.assert_array_equal(panel.canvas.ink_array(), drawn)


@pytest.mark.parametrize("bad", [np.zeros((27, 28)), np.full((28, 28), np.nan)])
def test_show_digit_rejects_bad_images(panel, bad):
    with pytest.raises(ValueError, match="28×28|NaN"):
        panel.show_digit(bad)


def test_random_digit_button_asks_the_window(panel, qtbot):
    with qtbot.waitSignal(panel.random_digit_requested):
        panel.random_button.click()


def test_corrupt_image_file_reports_an_error_and_keeps_the_drawing(panel, qtbot, tmp_path):
    draw_digit(panel, qtbot, 7)
    drawn = panel.canvas.ink_array()
    path = tmp_path / "digit.png"
    path.write_text("not really a PNG")
    with qtbot.waitSignal(panel.error_occurred) as blocker:
        assert not panel.open_image(path)
    assert "digit.png" in blocker.args[0]
    assert "digit.png" in panel.status.text()
    np.testing.assert_array_equal(panel.canvas.ink_array(), drawn)
    assert int(np.argmax(panel.prediction())) == 7


def test_png_of_a_dark_digit_on_paper_is_predicted(
    panel, qtbot, shipped_model, test_digits, tmp_path
):
    image = test_digits[0].reshape(engine.MNIST_SIDE, engine.MNIST_SIDE)
    paper = np.rint(255 * (1.0 - image)).astype(np.uint8)  # dark ink on white, like a scan
    side = UPSCALE * engine.MNIST_SIDE
    qimage = gray_to_qimage(paper).scaled(
        side, side, mode=Qt.TransformationMode.SmoothTransformation
    )
    path = tmp_path / "scan.png"
    assert qimage.save(str(path))
    with qtbot.waitSignal(panel.prediction_changed) as blocker:
        assert panel.open_image(path)
    assert int(np.argmax(blocker.args[0])) == int(shipped_model.predict(image.ravel())[0])


def test_save_model_input_writes_the_28x28_image(panel, qtbot, tmp_path):
    draw_digit(panel, qtbot, 0)
    path = tmp_path / "input.png"
    assert panel.save_model_input(path)
    saved = qimage_to_gray(QImage(str(path)))
    np.testing.assert_allclose(saved / 255, panel.model_input(), atol=1 / 255)


def test_pen_width_accessors_drive_the_slider_and_the_canvas(panel, qtbot):
    with qtbot.waitSignal(panel.pen_width_changed) as blocker:
        panel.set_pen_width(30)
    assert blocker.args == [30]
    assert panel.pen_width() == panel.canvas.pen_width() == panel.pen_slider.value() == 30
    panel.set_pen_width(10_000)
    assert panel.pen_width() == MAX_PEN_WIDTH


def bias_only_model(top: int, p_top: float, **metadata) -> engine.SoftmaxModel:
    """A model that reads every drawing as ``top`` with probability ``p_top``."""
    proba = np.full(engine.N_CLASSES, (1 - p_top) / (engine.N_CLASSES - 1))
    proba[top] = p_top
    return engine.SoftmaxModel(
        W=np.zeros((engine.N_FEATURES, engine.N_CLASSES), dtype=np.float32),
        b=np.log(proba).astype(np.float32),
        metadata=metadata,
    )


def finish_a_drawing(panel: DrawPanel, qtbot) -> None:
    with qtbot.waitSignal(panel.canvas.edit_finished):
        draw_stroke(panel.canvas, DIGIT_STROKES[1][0])


def test_an_unsure_read_asks_to_be_confirmed_or_corrected(panel, qtbot):
    panel.set_model(bias_only_model(4, 0.6))
    finish_a_drawing(panel, qtbot)
    status = panel.status.text()
    assert "Not sure this is a 4 (60" in status and "type 4 if it is" in status
    with qtbot.waitSignal(panel.canvas.edit_finished):
        panel.clear()
    assert panel.status.text() == HINT  # an empty page asks nothing


@pytest.mark.parametrize(
    ("p_top", "metadata"),
    [(UNSURE_BELOW + 0.05, {}), (0.6, {"subject": "clothing images", "digits": False})],
    ids=["sure", "not-digits"],
)
def test_a_sure_read_or_a_model_of_other_things_asks_nothing(panel, qtbot, p_top, metadata):
    panel.set_model(bias_only_model(4, p_top, **metadata))
    finish_a_drawing(panel, qtbot)
    assert "Not sure" not in panel.status.text()
