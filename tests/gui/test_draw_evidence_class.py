"""The Draw tab's evidence map for any class, and the probabilities on a log scale."""

from __future__ import annotations

import numpy as np
import pytest

import engine
from softmax_gui.draw.panel import DrawPanel
from softmax_gui.draw.probability_view import LOG_FLOOR_DECADES, format_probability, log_height

TEST_INDEX = 18


@pytest.fixture(scope="module")
def model() -> engine.SoftmaxModel:
    return engine.load_model(engine.DEFAULT_MODEL_PATH)


@pytest.fixture
def panel(qtbot, model, small_data) -> DrawPanel:
    widget = DrawPanel()
    qtbot.addWidget(widget)
    widget.set_model(model)
    widget.show_digit(small_data.X_test[TEST_INDEX])
    return widget


def shown_evidence(panel: DrawPanel) -> np.ndarray:
    return panel.probability_view.evidence_map._item.image


def test_the_evidence_map_shows_the_chosen_class_then_the_top_class_again(panel, model):
    x = panel.model_input()
    top = int(np.argmax(panel.prediction()))
    other = (top + 1) % engine.N_CLASSES
    view = panel.probability_view
    view.evidence_class.setCurrentIndex(other + 1)  # as the user picks it in the list
    np.testing.assert_allclose(shown_evidence(panel), model.evidence(x, other).reshape(28, 28))
    assert view.evidence_title.text() == f"Evidence for {other}"
    assert view.headline.text() == str(top)  # the verdict is still the top class
    view.set_evidence_class(None)
    np.testing.assert_allclose(shown_evidence(panel), model.evidence(x, top).reshape(28, 28))
    assert view.evidence_title.text() == f"Evidence for {top}"


def test_the_chosen_class_stays_for_the_next_drawing(panel, model, small_data):
    panel.probability_view.set_evidence_class(4)
    panel.show_digit(small_data.X_test[TEST_INDEX + 1])
    x = panel.model_input()
    np.testing.assert_allclose(shown_evidence(panel), model.evidence(x, 4).reshape(28, 28))


def test_the_log_scale_puts_small_probabilities_in_view(panel):
    bars = panel.probability_view.bars
    panel.probability_view.log_scale.setChecked(True)
    assert bars.log_scale()
    assert log_height(1.0) == 1.0 and log_height(0.0) == 0.0
    assert log_height(10.0**-LOG_FLOOR_DECADES) == pytest.approx(0.0)
    assert log_height(10.0 ** (-LOG_FLOOR_DECADES / 2)) == pytest.approx(0.5)
    assert log_height(1e-12) == 0.0
    assert format_probability(3e-5) == "3e-05" and format_probability(0.25) == "25%"
    assert not bars.grab().isNull()  # paints the decades without error
    panel.probability_view.log_scale.setChecked(False)
    assert not bars.log_scale()
