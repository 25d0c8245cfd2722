"""The Train tab's Step: one SGD mini-batch step from the current model, as the engine's
explain_step takes it, with a point on the cost curve, new templates and a runs-table row."""

from __future__ import annotations

import numpy as np

import engine
from softmax_gui.jobs import STEP
from softmax_gui.train.weights_view import mosaic

from .conftest import ENDLESS_SGD, TIMEOUT_MS

STEP_SETTINGS = {"lr": 0.5, "batch_size": 32, "l2": 0.001, "seed": 3}


def take_step(qtbot, window):
    """Press Step and return what the step took, once the window shows it."""
    with qtbot.waitSignal(window.step_taken, timeout=TIMEOUT_MS) as taken:
        window.training_panel.step_action.trigger()
    return taken.args[0]


def test_step_takes_one_sgd_step_as_explain_step_says(qtbot, window, small_data):
    window.training_panel.set_values(STEP_SETTINGS)
    assert window.training_panel.step_action.isEnabled()
    before = window.model
    n_runs = window.plots.n_runs
    taken = take_step(qtbot, window)
    # the same batch the seed draws, and the step the engine explains on it
    rng = np.random.default_rng(STEP_SETTINGS["seed"])
    X, y, batch = engine.training_batch(small_data, STEP_SETTINGS["batch_size"], rng)
    np.testing.assert_array_equal(taken.batch, batch)
    expected = engine.explain_step(before, X, y, lr=0.5, l2=0.001)
    assert window.model is taken.model and window.model is not before
    np.testing.assert_array_equal(window.model.W, expected.model_after.W)
    np.testing.assert_array_equal(window.model.b, expected.model_after.b)
    # one point on the cost curve of a new run: the batch's cost before the step
    number = window.plots.n_runs
    assert number == n_runs + 1
    series = window.plots.series(number)
    assert series["cost"] == [expected.loss] and series["step"] == [1.0]
    # the templates show the weights after the step
    window.weights_view.flush()
    np.testing.assert_allclose(window.weights_view.image.image, mosaic(expected.model_after.W))
    row = window.train_tab.runs.row_texts(number)
    assert "by hand" in " ".join(row.values()) and "1 step by hand" in row.values()

    # the next press continues the same run from the stepped model
    second = take_step(qtbot, window)
    X2, y2, _ = engine.training_batch(small_data, STEP_SETTINGS["batch_size"], rng)
    expected2 = engine.explain_step(expected.model_after, X2, y2, lr=0.5, l2=0.001)
    np.testing.assert_array_equal(second.model.W, expected2.model_after.W)
    assert window.plots.n_runs == number
    assert window.plots.series(number)["cost"] == [expected.loss, expected2.loss]
    assert "2 steps by hand" in window.train_tab.runs.row_texts(number).values()


def test_a_new_learning_rate_starts_a_new_stepping_run(qtbot, window):
    window.training_panel.set_values(STEP_SETTINGS)
    take_step(qtbot, window)
    first = window.plots.n_runs
    window.training_panel.set_values({"lr": 0.1})
    take_step(qtbot, window)
    assert window.plots.n_runs == first + 1
    assert len(window.plots.series(first + 1)["cost"]) == 1


def test_no_step_while_training_runs(qtbot, window):
    window.training_panel.set_values(ENDLESS_SGD)
    with qtbot.waitSignal(window.training_progress, timeout=TIMEOUT_MS):
        window.start_training()
    assert not window.training_panel.step_action.isEnabled()
    training_model, run = window.model, window.plots.n_runs
    window.take_step()  # e.g. the key pressed anyway
    assert not window.jobs.is_running(STEP)
    assert window.plots.n_runs == run and window.model is training_model
    with qtbot.waitSignal(window.training_finished, timeout=TIMEOUT_MS):
        window.stop_training()
    qtbot.waitUntil(window.training_panel.step_action.isEnabled, timeout=TIMEOUT_MS)
