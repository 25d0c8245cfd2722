"""The Draw tab for a screen reader: the reading as text on the canvas and the probability
view, kept current, and an accessible name on everything a person operates."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QAbstractScrollArea, QAbstractSpinBox, QComboBox, QWidget

from softmax_gui.draw.panel import DrawPanel
from softmax_gui.draw.probability_bars import format_percent

from .conftest import shown_draw_panel
from .test_canvas import draw_stroke
from .test_draw_panel import DIGIT_STROKES, draw_digit


def spoken(widget: QWidget, text: QAccessible.Text) -> str:
    """What assistive technology gets for ``widget``'s ``text`` (name or description)."""
    interface = QAccessible.queryAccessibleInterface(widget)
    assert interface is not None
    return interface.text(text)


@pytest.fixture
def panel(qtbot, shipped_model) -> DrawPanel:
    return shown_draw_panel(qtbot, shipped_model)


def expected_reading(proba: np.ndarray) -> str:
    first, second = np.argsort(-proba, kind="stable")[:2]
    return (
        f"read as {first}, {format_percent(float(proba[first]))} sure; "
        f"then {second}, {format_percent(float(proba[second]))}"
    )


def test_the_reading_is_spoken_after_a_stroke_and_after_clearing(panel, qtbot):
    description = QAccessible.Text.Description
    empty = spoken(panel.canvas, description)
    assert "empty" in empty.lower()
    proba = draw_digit(panel, qtbot, 7)
    reading = spoken(panel.canvas, description)
    assert reading == expected_reading(proba)
    assert reading.startswith("read as 7, ")
    assert spoken(panel.probability_view, description) == reading
    panel.clear()
    assert spoken(panel.canvas, description) == empty
    assert spoken(panel.probability_view, description) != reading


def test_the_reading_follows_a_second_drawing(panel, qtbot):
    draw_digit(panel, qtbot, 7)
    first = panel.canvas.accessibleDescription()
    panel.clear()
    proba = draw_digit(panel, qtbot, 0)
    assert panel.canvas.accessibleDescription() == expected_reading(proba) != first


def test_the_bars_read_out_every_probability_largest_first(panel, qtbot):
    proba = draw_digit(panel, qtbot, 1)
    text = spoken(panel.probability_view.bars, QAccessible.Text.Description)
    names = [part.split(":")[0] for part in text.split("; ")]
    assert names == [str(k) for k in np.argsort(-proba, kind="stable")]
    assert f"1: {format_percent(float(proba[1]))}" in text


def test_no_model_is_said_in_words(qtbot):
    widget = DrawPanel()
    qtbot.addWidget(widget)
    for point in DIGIT_STROKES[1][0]:
        draw_stroke(widget.canvas, [point])
    assert "no model" in widget.canvas.accessibleDescription().lower()


def test_the_pen_width_slider_says_its_name_and_width(panel):
    panel.set_pen_width(20)
    assert spoken(panel.pen_slider, QAccessible.Text.Name) == "Pen width"
    assert "20" in spoken(panel.pen_slider, QAccessible.Text.Description)


def operable(root: QWidget) -> list[QWidget]:
    """The visible widgets under ``root`` that take the keyboard focus, without the parts
    Qt speaks for through their owner (a spin box's line edit, a view's viewport)."""

    def part_of_another(w: QWidget) -> bool:
        parent = w.parentWidget()
        if parent is None:
            return False
        if parent.focusProxy() is w or isinstance(parent, QAbstractSpinBox | QComboBox):
            return True
        return isinstance(parent, QAbstractScrollArea) and parent.viewport() is w

    return [
        w
        for w in root.findChildren(QWidget)
        if w.isVisibleTo(root)
        and w.focusPolicy() != Qt.FocusPolicy.NoFocus
        and not part_of_another(w)
    ]


def test_every_operable_widget_has_a_name(panel, qtbot):
    draw_digit(panel, qtbot, 7)
    view = panel.probability_view
    widgets = operable(panel) + [view.bars, view.evidence_map, view.input_view, panel.canvas]
    assert len(widgets) > 10
    unnamed = [type(w).__name__ for w in widgets if not spoken(w, QAccessible.Text.Name).strip()]
    assert unnamed == []


def test_tab_goes_from_the_page_through_its_tools(panel):
    order = [panel.canvas]
    while len(order) < 6:
        order.append(order[-1].nextInFocusChain())
    assert order[1] is panel.pen_slider
    assert order[2] is panel.eraser_button
