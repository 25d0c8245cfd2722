"""The "Inside one step" tab in the main window: the numbers of a drawing, a test image and a
mini-batch; taking, discarding and applying a step; a clicked gradient pixel."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

import engine
from softmax_gui.step.formula_view import format_scientific, format_value
from softmax_gui.step.gradient_images import describe_weight, weight_at
from softmax_gui.step.source import Source
from softmax_gui.step.tab import StepTab

from .test_canvas import draw_stroke
from .test_draw_panel import DIGIT_STROKES

TEST_INDEX = 8
BATCH = 5
#: One image moves its own logits by about lr · |x|² ≈ 100 lr per step: a small lr keeps
#: the loss well above zero after two steps.
LR = 0.01


@pytest.fixture
def shown(qtbot, window):
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    return window


def hardest(window) -> int:
    """The test image the model gives the lowest probability to its true class: its loss is
    far from zero, so a step visibly lowers it."""
    data = window.dataset
    proba = window.model.predict_proba(data.X_test)
    return int(np.argmin(proba[np.arange(len(data.y_test)), data.y_test]))


def look_at(window, source: Source, index: int = TEST_INDEX) -> StepTab:
    tab = window.step_tab
    window.tabs.setCurrentWidget(tab)
    tab.picker.index.setValue(index)
    tab.picker.set_source(source)
    return tab


def test_the_tab_shows_the_numbers_of_a_drawing(qtbot, shown):
    window = shown
    window.tabs.setCurrentWidget(window.draw_panel)
    with qtbot.waitSignal(window.draw_panel.prediction_changed):
        for stroke in DIGIT_STROKES[7]:
            draw_stroke(window.canvas, stroke)
    x = window.draw_panel.model_input()
    tab = look_at(window, Source.DRAWING)  # showing the tab reads the drawing
    step = tab.step
    assert step is not None
    np.testing.assert_allclose(step.inputs[0], x.ravel(), atol=1e-7)
    proba = window.model.predict_proba(x.ravel())[0]
    np.testing.assert_allclose(step.probabilities[0], proba, atol=1e-5)
    # the label starts as the class the model reads; the learner can change it
    assert step.labels[0] == int(np.argmax(proba)) == tab.picker.label.currentIndex()
    text = tab.view.stages.text()
    for j in range(engine.N_CLASSES):
        for stage in (step.logits, step.probabilities, step.one_hot):
            assert format_value(stage[0, j]) in text
        assert format_value(step.b[j]) in text
    assert format_value(float(step.per_example_loss[0])) in text


def test_another_label_for_the_drawing_changes_y_and_the_loss(qtbot, shown):
    window = shown
    window.show_digit(window.dataset.X_test[TEST_INDEX])
    tab = look_at(window, Source.DRAWING)
    before = tab.step
    other = (int(before.labels[0]) + 3) % engine.N_CLASSES
    tab.picker.label.setCurrentIndex(other)
    tab.picker.label.activated.emit(other)
    after = tab.step
    assert after.labels.tolist() == [other]
    np.testing.assert_array_equal(after.one_hot[0], np.eye(engine.N_CLASSES)[other])
    assert after.per_example_loss[0] == pytest.approx(-np.log(after.probabilities[0, other]))
    assert after.per_example_loss[0] > before.per_example_loss[0]  # it read something else


def test_a_test_image_is_explained_with_its_true_label(shown):
    tab = look_at(shown, Source.TEST_IMAGE)
    data = shown.dataset
    np.testing.assert_array_equal(tab.step.inputs[0], data.X_test[TEST_INDEX])
    assert tab.step.labels.tolist() == [int(data.y_test[TEST_INDEX])]
    assert f"#{TEST_INDEX}" in tab.caption.text()


def test_a_step_changes_the_probabilities_as_the_record_says(qtbot, shown):
    window = shown
    original = window.model
    index = hardest(window)
    tab = look_at(window, Source.TEST_IMAGE, index)
    tab.step_panel.lr.setValue(LR)
    x = window.dataset.X_test[index]
    qtbot.mouseClick(tab.step_panel.step_button, Qt.MouseButton.LeftButton)
    first = tab.last_step
    stepped = tab.pending_model()
    assert first is not None and stepped is not None
    np.testing.assert_allclose(stepped.predict_proba(x)[0], first.probabilities_after[0], atol=1e-5)
    assert first.loss_after < first.loss
    assert (
        format_value(first.probabilities_after[0, first.labels[0]]) in tab.step_panel.after.text()
    )
    # step again: it starts where the first step ended
    qtbot.mouseClick(tab.step_panel.step_button, Qt.MouseButton.LeftButton)
    second = tab.last_step
    np.testing.assert_allclose(second.probabilities, first.probabilities_after, atol=1e-5)
    assert second.loss_after < second.loss < first.loss
    assert tab.step_panel.apply_button.isEnabled()
    assert window.model is original  # nothing applied yet


def test_discard_restores_the_current_model(qtbot, shown):
    window = shown
    index = hardest(window)
    tab = look_at(window, Source.TEST_IMAGE, index)
    before = tab.step
    tab.step_panel.lr.setValue(LR)
    qtbot.mouseClick(tab.step_panel.step_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(tab.step_panel.step_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(tab.step_panel.discard_button, Qt.MouseButton.LeftButton)
    assert tab.pending_model() is None and tab.last_step is None
    np.testing.assert_array_equal(tab.step.W, window.model.W)
    np.testing.assert_array_equal(tab.step.probabilities, before.probabilities)
    assert not tab.step_panel.apply_button.isEnabled()


def test_apply_makes_the_stepped_model_current(qtbot, shown):
    window = shown
    index = hardest(window)
    tab = look_at(window, Source.TEST_IMAGE, index)
    tab.step_panel.lr.setValue(LR)
    qtbot.mouseClick(tab.step_panel.step_button, Qt.MouseButton.LeftButton)
    stepped, record = tab.pending_model(), tab.last_step
    with qtbot.waitSignal(window.model_changed):
        qtbot.mouseClick(tab.step_panel.apply_button, Qt.MouseButton.LeftButton)
    assert window.model is stepped
    assert "1 step by hand on test image" in window.model_label.text()
    x = window.dataset.X_test[index]
    np.testing.assert_allclose(
        window.model.predict_proba(x)[0], record.probabilities_after[0], atol=1e-5
    )
    # the tab now explains the applied model, with nothing pending
    assert tab.pending_model() is None
    np.testing.assert_allclose(tab.step.probabilities, record.probabilities_after, atol=1e-5)


def test_a_mini_batch_shows_P_Y_and_P_minus_Y_and_rows_pick_the_example(qtbot, shown):
    window = shown
    tab = look_at(window, Source.BATCH)
    tab.picker.batch_size.setValue(BATCH)
    step = tab.step
    assert step.n_examples == BATCH and tab.view.batch_section.isVisible()
    for view, expected in zip(
        tab.view.matrices, (step.probabilities, step.one_hot, step.error), strict=True
    ):
        np.testing.assert_array_equal(view.values(), expected)
    # the batch gradient is the mean of the examples' outer products
    np.testing.assert_allclose(step.grad_W, step.inputs.T @ step.error / BATCH, atol=1e-12)
    view = tab.view.matrices[0]
    _, _, row_height = view._geometry()
    head = view.fontMetrics().height()
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=QPoint(5, int(head + 3.5 * row_height)))
    assert tab.view.example.value() == 3
    assert format_value(step.logits[3, 0]) in tab.view.stages.text()


def test_clicking_a_gradient_pixel_shows_the_finite_difference_beside_it(qtbot, shown):
    tab = look_at(shown, Source.TEST_IMAGE)
    step = tab.step
    i, j = int(np.argmax(step.inputs[0])), int(step.labels[0])  # an inked pixel, the true class
    gradient = tab.view.gradient
    tab.scroll_area.ensureWidgetVisible(gradient)
    QApplication.processEvents()  # the images' final layout, before mapping a point
    point = gradient.view.mapFromScene(gradient.click_point(i, j))
    with qtbot.waitSignal(gradient.weight_clicked) as clicked:
        qtbot.mouseClick(gradient.view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert clicked.args == [i, j]
    text = tab.view.derivative.text()
    assert describe_weight(i, j, engine.DIGIT_NAMES) in text
    assert format_scientific(step.grad_W[i, j]) in text
    assert format_scientific(engine.finite_difference(step, "W", (i, j))) in text


def test_a_weight_is_named_by_its_pixel_row_column_and_class():
    assert weight_at(8 * 28 + 19.5, 18.5) == (523, 8)
    assert weight_at(-1, 3) is None and weight_at(10 * 28, 3) is None
    assert describe_weight(523, 8, engine.DIGIT_NAMES) == (
        "W[523, 8]: pixel 523 = row 18, column 19; class 8"
    )


def test_without_a_drawing_the_tab_says_what_to_do(qtbot):
    tab = StepTab(drawing=lambda: None)
    qtbot.addWidget(tab)
    tab.set_model(engine.load_model(engine.DEFAULT_MODEL_PATH))
    assert tab.step is None
    assert "draw a digit" in tab.caption.text()
    assert not any(section.isEnabled() for section in tab.sections)


def test_a_model_that_cannot_read_the_images_is_refused_in_words(qtbot):
    tab = StepTab(drawing=lambda: np.full((28, 28), 0.5, np.float32))
    qtbot.addWidget(tab)
    small = engine.SoftmaxModel(np.zeros((100, engine.N_CLASSES), np.float32), np.zeros(10))
    tab.set_model(small)
    assert tab.step is None
    assert "Cannot explain a step here" in tab.caption.text()
    assert "100 features" in tab.caption.text()


def test_the_step_effect_is_hidden_once_the_question_changes(qtbot, shown):
    tab = look_at(shown, Source.TEST_IMAGE, hardest(shown))
    tab.step_panel.lr.setValue(LR)
    qtbot.mouseClick(tab.step_panel.step_button, Qt.MouseButton.LeftButton)
    assert tab.step_panel.after.isVisible()
    tab.view.example.setValue(0)  # the same question: the effect stays
    assert tab.step_panel.after.isVisible()
    tab.l2.setValue(0.01)  # another loss: the effect on show was for the old one
    assert not tab.step_panel.after.isVisible()
    assert tab.pending_model() is not None  # the step itself is kept until applied


def test_clicking_a_bias_gradient_shows_its_finite_difference(qtbot, shown):
    tab = look_at(shown, Source.BATCH)
    step, grid = tab.step, tab.view.bias_gradient
    j = 6
    formula_w, code_w, number_w, _ = grid._widths
    x = int(formula_w + code_w + (j + 0.5) * number_w)
    qtbot.mouseClick(grid, Qt.MouseButton.LeftButton, pos=QPoint(x, grid.height() - 4))
    text = tab.view.derivative.text()
    assert f"b[{j}]: the bias of class {j}" in text
    assert format_scientific(step.grad_b[j]) in text
    assert format_scientific(engine.finite_difference(step, "b", j)) in text


def test_the_drawing_keeps_its_label_when_the_stepped_model_is_applied(qtbot, shown):
    window = shown
    window.show_digit(window.dataset.X_test[TEST_INDEX])
    tab = look_at(window, Source.DRAWING)
    other = (int(tab.step.predicted[0]) + 5) % engine.N_CLASSES
    tab.picker.label.setCurrentIndex(other)
    tab.picker.label.activated.emit(other)
    tab.step_panel.lr.setValue(LR)
    qtbot.mouseClick(tab.step_panel.step_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(window.model_changed):
        qtbot.mouseClick(tab.step_panel.apply_button, Qt.MouseButton.LeftButton)
    assert tab.step.labels.tolist() == [other]  # the learner's label, not the model's reading
