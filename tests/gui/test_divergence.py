"""A diverging run (SGD at learning rate 1e4) stops with one clear message; no NaN or infinity
reaches the plots, the weight images or the probability bars; the previous model is kept and
the next, sensible run trains normally.
"""

from __future__ import annotations

import numpy as np
import pytest

from softmax_gui.train.controls import RunState

from .conftest import TIMEOUT_MS

#: Probabilities are float32: their sum is 1 to within a few float32 steps.
SUM_TOLERANCE = 1e-5

#: l2 = 0: the cost explodes but stays finite (the engine flags it as diverged);
#: l2 = 1e-3: lr × l2 > 2 grows the weights geometrically until they overflow to inf/NaN.
DIVERGING = {
    "finite_explosion": {
        "optimizer": "sgd",
        "lr": 1e4,
        "l2": 0.0,
        "epochs": 3,
        "schedule": "constant",
    },
    "overflow": {"optimizer": "sgd", "lr": 1e4, "l2": 1e-3, "epochs": 3, "schedule": "constant"},
}


def curve_values(curve) -> np.ndarray:
    x, y = curve.getData()
    if x is None:
        return np.zeros(0)
    return np.concatenate([np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)])


def shown_probabilities(window) -> np.ndarray | None:
    """What the Draw tab's bars display (None: empty bars)."""
    return window.draw_panel.probability_view.bars._proba


def assert_valid_proba(proba) -> None:
    assert proba is not None
    assert np.isfinite(proba).all()
    assert abs(float(np.sum(proba)) - 1.0) < SUM_TOLERANCE


@pytest.mark.parametrize("kind", list(DIVERGING))
def test_divergence_stops_with_one_message_and_shows_no_nan(qtbot, window, shown_errors, kind):
    window.show_digit(window.dataset.X_test[0])
    qtbot.waitUntil(lambda: window.draw_panel.prediction() is not None, timeout=TIMEOUT_MS)
    before = window.draw_panel.prediction()
    previous = window.model
    records = []
    window.training_progress.connect(records.append)
    window.training_panel.set_values(DIVERGING[kind])

    with qtbot.waitSignal(window.training_finished, timeout=TIMEOUT_MS) as finished:
        window.start_training()
    result = finished.args[0]

    assert result.diverged
    assert len(shown_errors) == 1
    title, message = shown_errors[0]
    assert title == "Training diverged"
    assert "diverged" in message.lower() and "learning rate" in message
    assert "previous model is kept" in message
    # the previous model stays everywhere
    assert window.model is previous
    assert np.isfinite(result.model.W).all() and np.isfinite(result.model.b).all()
    # no record, curve point, weight image or probability is NaN or infinite
    assert records, "the run reported at least its starting point"
    for record in records:
        assert np.isfinite([record.cost, record.train_error, record.test_error]).all()
    window.plots.finish_run()
    for curve in (window.plots.cost_curve, window.plots.train_curve, window.plots.test_curve):
        assert np.isfinite(curve_values(curve)).all()
    window.weights_view.flush()
    for image in window.weights_view.images:
        assert np.isfinite(image.image).all()
    np.testing.assert_array_equal(window.draw_panel.prediction(), before)
    assert_valid_proba(shown_probabilities(window))
    assert "nan" not in window.draw_panel.probability_view.confidence.text().lower()
    # the app carries on: controls are back, and a sensible run trains and is kept
    assert window.training_panel.state is RunState.IDLE
    assert window.training_panel.start_action.isEnabled()
    window.training_panel.set_values({"optimizer": "sgd", "lr": 0.1, "l2": 1e-4, "epochs": 1})
    with qtbot.waitSignal(window.training_finished, timeout=TIMEOUT_MS) as finished:
        window.start_training()
    assert not finished.args[0].diverged
    assert window.model is finished.args[0].model
    assert len(shown_errors) == 1
    qtbot.waitUntil(lambda: shown_probabilities(window) is not None, timeout=TIMEOUT_MS)
    assert_valid_proba(shown_probabilities(window))


def test_a_digit_drawn_while_a_run_diverges_is_read_by_the_kept_model(qtbot, window, shown_errors):
    window.training_panel.set_values(DIVERGING["overflow"])
    previous = window.model
    with qtbot.waitSignal(window.training_finished, timeout=TIMEOUT_MS):
        window.start_training()
        window.show_digit(window.dataset.X_test[1])  # while the worker runs
    qtbot.waitUntil(lambda: window.draw_panel.prediction() is not None, timeout=TIMEOUT_MS)
    expected = previous.predict_proba(window.draw_panel.model_input().ravel())[0]
    np.testing.assert_allclose(window.draw_panel.prediction(), expected, rtol=1e-6)
    assert_valid_proba(shown_probabilities(window))
    assert len(shown_errors) == 1
