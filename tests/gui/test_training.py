"""Training from the window: live plots and status, stop, pause, close mid-run, worker errors
(divergence has its own module, test_divergence.py). Every wait is on a GUI-thread signal of
the window."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication

import engine
from softmax_gui.jobs import EVALUATE
from softmax_gui.train.controls import RunState

from .conftest import ENDLESS_SGD, TIMEOUT_MS, start_then_stop


def curve_length(curve) -> int:
    x, _ = curve.getData()
    return 0 if x is None else len(x)


def test_short_run_updates_plots_status_and_model(qtbot, window):
    window.training_panel.set_values({"optimizer": "lbfgs", "max_iter": 8})
    previous = window.model
    panel = window.training_panel
    seen = []  # what the status line and progress bar said as each record arrived
    window.training_progress.connect(
        lambda _: seen.append((panel.status.text(), panel.progress.text()))
    )
    with qtbot.waitSignal(window.training_finished, timeout=TIMEOUT_MS) as finished:
        window.start_training()
        assert panel.state is RunState.RUNNING
        assert not panel.start_action.isEnabled()
    result = finished.args[0]
    n_records = len(result.history)
    assert len(seen) == n_records >= 2
    assert all(status.startswith("Iteration") for status, _ in seen)
    assert any("ETA" in progress for _, progress in seen[1:])
    for curve in (window.plots.cost_curve, window.plots.train_curve, window.plots.test_curve):
        qtbot.waitUntil(lambda c=curve: curve_length(c) == n_records, timeout=TIMEOUT_MS)
    _, test_y = window.plots.test_curve.getData()
    assert test_y[-1] < test_y[0]  # the test error fell while training
    assert f"test {result.test_error:.2%}" in window.training_panel.status.text()
    assert window.training_panel.progress.value() == window.training_panel.progress.maximum()
    assert window.model is result.model and window.model is not previous
    assert window.training_panel.state is RunState.IDLE
    assert window.training_panel.start_action.isEnabled()


def test_the_finished_run_is_evaluated_in_the_background(qtbot, window, small_data):
    window.training_panel.set_values({"optimizer": "lbfgs", "max_iter": 5})
    with qtbot.waitSignal(window.training_finished, timeout=TIMEOUT_MS) as finished:
        window.start_training()
    model = finished.args[0].model
    qtbot.waitUntil(lambda: not window.jobs.is_running(EVALUATE), timeout=TIMEOUT_MS)
    evaluation = window.evaluation_panel.evaluation
    np.testing.assert_array_equal(evaluation.y_pred, model.predict(small_data.X_test))
    assert "run 1" in window.evaluation_panel.summary.text()
    assert f"test error {evaluation.error:.2%}" in window.training_panel.model_info.text()
    window.weights_view.flush()
    shown = window.weights_view.image.image  # the strip shows the kept model's templates
    np.testing.assert_array_equal(
        shown[:, : engine.MNIST_SIDE], model.W[:, 0].reshape(engine.MNIST_SIDE, engine.MNIST_SIDE)
    )


def test_earlier_runs_stay_as_history_and_can_be_cleared(qtbot, window):
    for optimizer in ("sgd", "lbfgs"):
        window.training_panel.set_values({"optimizer": optimizer, "epochs": 1, "max_iter": 3})
        with qtbot.waitSignal(window.training_finished, timeout=TIMEOUT_MS):
            window.start_training()
    (label,) = window.plots.history_labels()
    assert label.startswith(f"run 1 · SGD lr {engine.TrainConfig().lr:g}")
    window.plots.clear_history()
    assert window.plots.history_labels() == []
    assert curve_length(window.plots.cost_curve) > 0  # the latest run stays


def test_sgd_with_augmentation_trains_and_records_it(qtbot, window):
    window.training_panel.set_values({"optimizer": "sgd", "epochs": 1, "augment": "light"})
    assert window.training_panel.augment.isEnabled()
    with qtbot.waitSignal(window.training_finished, timeout=TIMEOUT_MS) as finished:
        window.start_training()
    result = finished.args[0]
    assert not result.diverged
    assert result.model.metadata["config"]["augment"] == "light"
    window.training_panel.set_values({"optimizer": "lbfgs"})
    assert not window.training_panel.augment.isEnabled()  # full batch: nothing to augment


def test_stop_mid_run_keeps_the_model_so_far_and_reenables_controls(qtbot, window):
    window.training_panel.set_values(ENDLESS_SGD)
    start_then_stop(qtbot, window)
    panel = window.training_panel
    assert panel.start_action.isEnabled() and not panel.stop_action.isEnabled()
    assert panel.optimizer.isEnabled()


def test_pause_then_stop(qtbot, window):
    window.training_panel.set_values(ENDLESS_SGD)
    with qtbot.waitSignal(window.training_progress, timeout=TIMEOUT_MS):
        window.start_training()
    window.toggle_pause()
    qtbot.waitUntil(lambda: window.training_panel.state is RunState.PAUSED, timeout=TIMEOUT_MS)
    assert window.training_panel.pause_action.text() == "Res&ume"
    with qtbot.waitSignal(window.training_finished, timeout=TIMEOUT_MS) as finished:
        window.stop_training()
    assert finished.args[0].reason == "stopped"


@pytest.mark.parametrize("optimizer", ["sgd", "lbfgs"])
def test_closing_mid_run_stops_the_worker_cleanly(qtbot, window, optimizer):
    window.training_panel.set_values({**ENDLESS_SGD, "optimizer": optimizer, "max_iter": 100_000})
    with qtbot.waitSignal(window.training_progress, timeout=TIMEOUT_MS):
        window.start_training()
    window.close()
    assert window.jobs.active_threads() == 0
    QApplication.processEvents()  # late worker signals must not reach the closed window


def test_closing_while_the_dataset_loads_is_clean(qtbot):
    # With the session's warm cache; closing during a first-ever load, which prepares all
    # 70,000 images, is test_lifecycle's test_closing_during_a_cold_cache_load_...
    from softmax_gui import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    assert w.training_panel.state is RunState.LOADING
    w.close()
    assert w.jobs.active_threads() == 0


def test_a_failed_dataset_load_shows_one_error_and_leaves_the_app_usable(
    qtbot, window, tmp_path, shown_errors
):
    window.load_dataset(tmp_path)  # an empty folder
    qtbot.waitUntil(lambda: len(shown_errors) > 0, timeout=TIMEOUT_MS)
    assert len(shown_errors) == 1 and "not found" in shown_errors[0][1]
    assert window.training_panel.state is RunState.IDLE
    assert window.training_panel.bundled_button.isEnabled()
    assert window.dataset is not None  # the previous dataset is still there


def test_an_error_inside_training_shows_one_dialog_and_resets_the_controls(
    qtbot, window, monkeypatch, shown_errors
):
    def failing_train(data, config, **kwargs):
        raise ValueError("broken engine")
        yield  # a generator, like engine.train

    monkeypatch.setattr("softmax_gui.jobs.engine.train", failing_train)
    previous = window.model
    window.start_training()
    qtbot.waitUntil(lambda: len(shown_errors) > 0, timeout=TIMEOUT_MS)
    assert shown_errors == [("Training failed", "broken engine")]
    assert window.model is previous
    qtbot.waitUntil(lambda: window.training_panel.state is RunState.IDLE, timeout=TIMEOUT_MS)
    assert window.training_panel.start_action.isEnabled()
