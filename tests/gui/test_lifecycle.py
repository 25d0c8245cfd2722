"""Window lifecycle under repetition: closing windows mid-training and starting/stopping runs
many times neither crashes, nor prints Qt warnings (they fail the test), nor leaks memory.
Closing during a first-ever dataset load cancels the preparation instead of waiting for it.

Memory is the process's resident set (VmRSS) after garbage collection and pending deletes,
measured after a few warm-up cycles (first-use caches, pyqtgraph's lazy setup, thread pools).

Opening and closing 55 windows mid-training takes about half a minute: that test is marked
``soak`` and skipped by the default ``python -m pytest``; run it with ``python -m pytest -m soak``.
A single close mid-run stays in the default suite (test_training.py).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import numpy as np
import pytest

from engine.data import datasets as datasets_module
from softmax_gui import MainWindow
from softmax_gui.jobs import TRAIN
from softmax_gui.train.controls import RunState

from .conftest import ENDLESS_SGD, TIMEOUT_MS, rss_bytes, settle, start_then_stop

N_CYCLES = 50
WARM_UP_CYCLES = 5
MIB = 1024 * 1024
MAX_GROWTH_BYTES = 20 * MIB


def close_mid_training(qtbot, data) -> None:
    """Open a window, start an endless run, close the window once the run reports."""
    w = MainWindow(dataset=data)
    try:
        w.show()
        w.training_panel.set_values(ENDLESS_SGD)
        with qtbot.waitSignal(w.training_progress, timeout=TIMEOUT_MS):
            w.start_training()
        assert w.training_panel.state is RunState.RUNNING
        assert w.close()
        assert w.jobs.active_threads() == 0  # the worker thread ended inside closeEvent
    finally:
        w.close()
        w.deleteLater()
    settle()  # late worker signals must not reach the closed window


def rss_growth(cycle: Callable[[], None]) -> int:
    """RSS growth over N_CYCLES runs of ``cycle``, after WARM_UP_CYCLES unmeasured ones."""
    for _ in range(WARM_UP_CYCLES):
        cycle()
    start = rss_bytes()
    for _ in range(N_CYCLES):
        cycle()
    return rss_bytes() - start


@pytest.mark.soak
def test_closing_windows_mid_training_does_not_crash_or_leak(qtbot, small_data, shown_errors):
    growth = rss_growth(lambda: close_mid_training(qtbot, small_data))
    assert shown_errors == []
    assert growth <= MAX_GROWTH_BYTES, f"RSS grew {growth / MIB:.1f} MiB over {N_CYCLES} windows"


def start_and_stop(qtbot, window) -> None:
    start_then_stop(qtbot, window)
    assert window.training_panel.state is RunState.IDLE


def test_starting_and_stopping_runs_does_not_crash_or_leak(qtbot, window, shown_errors):
    window.show()
    window.training_panel.set_values(ENDLESS_SGD)
    growth = rss_growth(lambda: start_and_stop(qtbot, window))
    assert shown_errors == []
    assert not window.jobs.is_running(TRAIN)
    # the last stopped run's model still reads a digit
    window.show_digit(window.dataset.X_test[0])
    qtbot.waitUntil(lambda: window.draw_panel.prediction() is not None, timeout=TIMEOUT_MS)
    assert np.isfinite(window.draw_panel.prediction()).all()
    assert growth <= MAX_GROWTH_BYTES, f"RSS grew {growth / MIB:.1f} MiB over {N_CYCLES} runs"


def test_closing_during_a_cold_cache_load_cancels_the_preparation(
    qtbot, tmp_path, monkeypatch, shown_errors
):
    # An empty cache: the window must prepare all 70,000 images (about 70 chunks of
    # PREPARE_CHUNK) for the shipped model's preprocessing; closing must not wait for them.
    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    preparing = threading.Event()
    prepared_chunks: list[int] = []
    real_prepare = datasets_module.prepare_images

    def watched_prepare(X, version):
        preparing.set()
        prepared_chunks.append(X.shape[0])
        return real_prepare(X, version)

    monkeypatch.setattr(datasets_module, "prepare_images", watched_prepare)
    w = MainWindow()
    qtbot.addWidget(w)
    loaded = []
    w.dataset_loaded.connect(loaded.append)
    w.show()
    assert w.training_panel.state is RunState.LOADING
    qtbot.waitUntil(preparing.is_set, timeout=TIMEOUT_MS)
    assert w.close()
    assert w.jobs.active_threads() == 0  # the load job ended inside closeEvent
    settle()
    # Cancelled between chunks: most images were never prepared, nothing half-made was cached.
    assert sum(prepared_chunks) < 60_000
    assert not list(cache.rglob(f"*.v{w.model.preprocessing_version}.*.npy"))
    assert loaded == [] and shown_errors == []
