"""The "Inside one step" tab for a screen reader and a keyboard: names on everything a person
operates, the numbers as text, a finite difference reached without a mouse, colours that
follow the palette; and a wording for every name the engine gives a stage or an input part."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QColor, QPalette
from PySide6.QtWidgets import QWidget

import engine
from engine.features.maps import INPUT_MAPS, PART_NAMES, make_input_map
from softmax_gui.step import engine_words
from softmax_gui.step.formula_view import format_scientific, format_value
from softmax_gui.step.gradient_images import describe_weight
from softmax_gui.step.source import Source
from softmax_gui.step.tab import StepTab
from softmax_gui.widgets.colours import AGAINST_COLOUR, FOR_COLOUR, PREDICTED_COLOUR, TRUE_COLOUR

TEST_INDEX = 8
BATCH = 5
LR = 0.01
#: The main window's least width less its margins: what the tab gets in the smallest window.
NARROW_WIDTH = 990


@pytest.fixture
def tab(qtbot, pixel_model, mnist_small) -> StepTab:
    tab = StepTab(drawing=lambda: None)
    qtbot.addWidget(tab)
    tab.resize(1280, 760)
    tab.set_model(pixel_model)
    tab.set_dataset(mnist_small)
    tab.picker.set_source(Source.TEST_IMAGE)
    tab.picker.index.setValue(TEST_INDEX)
    tab.show()
    qtbot.waitExposed(tab)
    return tab


def accessible_name(widget: QWidget) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name) if interface is not None else ""


def accessible_description(widget: QWidget) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Description) if interface is not None else ""


def operable(tab: StepTab) -> list[QWidget]:
    """The widgets on show that take keyboard focus (not a composite's inner editor)."""
    found = []
    for widget in tab.findChildren(QWidget):
        if widget.focusProxy() is not None or not widget.isVisibleTo(tab):
            continue
        if widget.parentWidget() is not None and widget.parentWidget().focusProxy() is widget:
            continue  # a spin box's line edit: the spin box carries the name
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            found.append(widget)
    return found


@pytest.mark.parametrize("source", [Source.TEST_IMAGE, Source.BATCH, Source.DRAWING])
def test_every_operable_widget_has_an_accessible_name(qtbot, tab, source):
    tab.picker.set_source(source)
    qtbot.mouseClick(tab.step_panel.step_button, Qt.MouseButton.LeftButton)
    widgets = operable(tab)
    assert tab.view.gradient.view in widgets or source is Source.DRAWING  # no drawing: disabled
    unnamed = [
        f"{type(w).__name__} {w.objectName()!r} {getattr(w, 'text', lambda: '')()!r}"
        for w in widgets
        if not accessible_name(w).strip()
    ]
    assert unnamed == []


def test_the_gradient_images_read_their_numbers_as_text(tab):
    step = tab.step
    j = int(step.labels[0])  # the true class: p_j − 1 < 0, so its gradient is x times it
    column = step.grad_W[:, j]
    low = int(np.argmin(column))
    row, col = divmod(low, engine.MNIST_SIDE)
    text = accessible_description(tab.view.gradient.view)
    assert f"∂J/∂W for class {j}: largest 0 at row 0, column 0; " in text  # a blank corner
    assert f"smallest {format_value(column[low])} at row {row}, column {col}" in text
    assert column[low] < 0 and text.count("for class") == engine.N_CLASSES


def test_the_keyboard_reaches_a_finite_difference(qtbot, tab):
    step, gradient = tab.step, tab.view.gradient
    # Tab from the learning-rate side of the page goes through the stages in reading order
    chain, widget = [], tab.picker.kind
    for _ in range(40):
        widget = widget.nextInFocusChain()
        chain.append(widget)
    assert chain.index(gradient.view) < chain.index(tab.view.bias_gradient)
    assert chain.index(tab.view.bias_gradient) < chain.index(tab.step_panel.step_button)

    qtbot.keyClick(gradient.view, Qt.Key.Key_Home)  # any key puts the cursor on the images
    start = gradient.cursor_weight()
    assert start is not None
    i0, j0 = start
    qtbot.keyClick(gradient.view, Qt.Key.Key_PageDown)
    qtbot.keyClick(gradient.view, Qt.Key.Key_Down)
    qtbot.keyClick(gradient.view, Qt.Key.Key_Right)
    # the cursor stops at the mosaic's edges: one class right, one pixel down and right
    side, width = engine.MNIST_SIDE, engine.N_CLASSES * engine.MNIST_SIDE
    row, column = divmod(i0, side)
    x = min(min(j0 * side + column + side, width - 1) + 1, width - 1)
    row = min(row + 1, side - 1)
    j, column = divmod(x, side)
    i = row * side + column
    assert gradient.cursor_weight() == (i, j)
    assert describe_weight(i, j, engine.DIGIT_NAMES) in accessible_description(gradient.view)
    with qtbot.waitSignal(gradient.weight_clicked) as picked:
        qtbot.keyClick(gradient.view, Qt.Key.Key_Return)
    assert picked.args == [i, j]
    text = tab.view.derivative.text()
    assert format_scientific(step.grad_W[i, j]) in text
    assert format_scientific(engine.finite_difference(step, "W", (i, j))) in text


def test_the_bias_gradient_is_checked_from_the_keyboard(qtbot, tab):
    grid = tab.view.bias_gradient
    for _ in range(3):
        qtbot.keyClick(grid, Qt.Key.Key_Right)
    assert "class 3" in accessible_description(grid)
    qtbot.keyClick(grid, Qt.Key.Key_Enter)
    text = tab.view.derivative.text()
    assert "b[3]: the bias of class 3" in text
    assert format_scientific(engine.finite_difference(tab.step, "b", 3)) in text


def test_the_arrow_keys_choose_the_example_of_a_batch(qtbot, tab):
    tab.picker.set_source(Source.BATCH)
    tab.picker.batch_size.setValue(BATCH)
    matrix = tab.view.matrices[0]
    qtbot.keyClick(matrix, Qt.Key.Key_Down)
    qtbot.keyClick(matrix, Qt.Key.Key_Down)
    assert tab.view.example.value() == 2
    cells = ", ".join(f"{j}: {format_value(v)}" for j, v in enumerate(tab.step.probabilities[2]))
    assert f"Example 2: {cells}." in accessible_description(matrix)
    qtbot.keyClick(matrix, Qt.Key.Key_End)
    assert tab.view.example.value() == BATCH - 1


def test_frames_and_maps_are_blue_and_vermillion_and_follow_the_palette(tab):
    gradient = tab.view.gradient
    assert gradient._true.pen().color() == TRUE_COLOUR
    assert gradient._true.pen().style() == Qt.PenStyle.SolidLine
    assert gradient._predicted.pen().color() == PREDICTED_COLOUR
    assert gradient._predicted.pen().style() == Qt.PenStyle.DashLine  # a cue besides colour
    dark = QPalette(gradient.palette())
    dark.setColor(QPalette.ColorRole.Base, QColor(30, 30, 30))
    gradient.setPalette(dark)
    colours = gradient.colorbar.colorMap().getColors()  # (n, 4) uint8, low to high
    ends = [QColor(*map(int, colours[k][:3])) for k in (0, len(colours) // 2, -1)]
    assert ends == [AGAINST_COLOUR, QColor(30, 30, 30), FOR_COLOUR]


def test_every_stage_and_input_part_the_engine_names_has_a_wording():
    assert set(engine_words.STAGE_NAMES) == set(engine.STEP_NUMPY_LINES)
    assert set(engine_words.PART_WORDS) == set(PART_NAMES)
    for name in INPUT_MAPS:  # every part of every map the engine makes is worded, with its size
        for part, columns in make_input_map(name).parts:
            size = columns.stop - columns.start
            assert f"{size:,}" in engine_words.part_words(part, size)


@pytest.mark.parametrize("source", [Source.TEST_IMAGE, Source.BATCH])
def test_a_narrow_window_needs_no_sideways_scrolling(qtbot, tab, source):
    """At the main window's least width the stage grids put each NumPy line under its
    formula, so all ten classes show without a horizontal scroll bar."""
    tab.picker.set_source(source)
    qtbot.mouseClick(tab.step_panel.step_button, Qt.MouseButton.LeftButton)
    tab.resize(NARROW_WIDTH, 640)
    qtbot.waitUntil(lambda: tab.scroll_area.viewport().width() < NARROW_WIDTH)
    grid = tab.view.stages.grid
    assert grid.compact()
    body = tab.scroll_area.widget()
    assert body.minimumSizeHint().width() <= tab.scroll_area.viewport().width()
    assert not tab.scroll_area.horizontalScrollBar().isVisible()
    tab.resize(1280, 760)
    qtbot.waitUntil(lambda: not grid.compact())
