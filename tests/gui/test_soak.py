"""A one-minute soak: training runs back to back in one window with live plots, weight images
and the Draw tab in use. Nothing crashes, no Qt warning is printed (it would fail the test), and
memory stays flat once the first runs have warmed everything up.

The duration is a loop condition on the wall clock (no sleeps); set SOFTMAX_SOAK_SECONDS to
run it longer. Marked ``soak``, so the default ``python -m pytest`` skips it; run it with
``python -m pytest -m soak`` (with every other soak test), e.g.
``SOFTMAX_SOAK_SECONDS=600 python -m pytest -m soak tests/gui/test_soak.py``.
"""

from __future__ import annotations

import os
import time

import numpy as np
import pytest

from softmax_gui.draw.canvas import UNDO_LIMIT
from softmax_gui.train.controls import RunState
from softmax_gui.train.plots import MAX_HISTORY

from .conftest import TIMEOUT_MS, rss_bytes

SOAK_SECONDS = float(os.environ.get("SOFTMAX_SOAK_SECONDS", "60"))
#: Runs before the baseline is taken (first-use caches, pyqtgraph's lazy setup, thread pools).
WARM_UP_RUNS = 3
MIB = 1024 * 1024
MAX_GROWTH_BYTES = 50 * MIB

pytestmark = pytest.mark.soak
#: Run settings cycled through: SGD reports many times a run, L-BFGS once an iteration.
RUNS = (
    {"optimizer": "sgd", "epochs": 2, "lr": 0.1, "augment": "none"},
    {"optimizer": "lbfgs", "max_iter": 15},
    {"optimizer": "sgd", "epochs": 1, "lr": 0.05, "augment": "light"},
)


def one_run(qtbot, window, n_run: int) -> None:
    """Train once with live plots, then read a test digit with the new model."""
    window.tabs.setCurrentWidget(window.train_tab)
    window.training_panel.set_values(RUNS[n_run % len(RUNS)])
    records = []
    window.training_progress.connect(records.append)
    try:
        with qtbot.waitSignal(window.training_finished, timeout=TIMEOUT_MS) as finished:
            window.start_training()
    finally:
        window.training_progress.disconnect(records.append)
    result = finished.args[0]
    assert not result.diverged, result.reason
    assert window.model is result.model
    assert window.training_panel.state is RunState.IDLE
    assert len(records) == len(result.history) >= 2
    x, y = window.plots.cost_curve.getData()
    assert len(x) == len(records) and np.isfinite(y).all()
    assert len(window.plots.history_labels()) <= MAX_HISTORY  # old runs are dropped
    assert not window.grab().isNull()  # paint the plots and weight images as a user sees them
    data = window.dataset
    window.show_digit(data.X_test[n_run % data.X_test.shape[0]])
    qtbot.waitUntil(lambda: window.draw_panel.prediction() is not None, timeout=TIMEOUT_MS)
    proba = window.draw_panel.prediction()
    assert np.isfinite(proba).all() and abs(float(proba.sum()) - 1) < 1e-5
    assert not window.grab().isNull()  # and the Draw tab
    window.draw_panel.clear()
    qtbot.waitUntil(lambda: window.draw_panel.prediction() is None, timeout=TIMEOUT_MS)


def fill_the_undo_stack(window) -> None:
    """Fill the canvas's bounded undo stack (UNDO_LIMIT page snapshots), so the memory it
    rightly holds is part of the baseline rather than counted as growth."""
    images = window.dataset.X_test
    for i in range(UNDO_LIMIT + 1):
        window.show_digit(images[i % 2])
    assert window.canvas.undo_stack.count() == UNDO_LIMIT


def test_a_minute_of_training_runs_with_live_plots(qtbot, window, shown_errors):
    window.show()
    for n_run in range(WARM_UP_RUNS):
        one_run(qtbot, window, n_run)
    fill_the_undo_stack(window)
    start = rss_bytes()
    n_run = WARM_UP_RUNS
    deadline = time.monotonic() + SOAK_SECONDS
    while time.monotonic() < deadline:
        one_run(qtbot, window, n_run)
        n_run += 1
    growth = rss_bytes() - start
    assert shown_errors == []
    assert n_run > 2 * WARM_UP_RUNS  # the minute really was spent training
    assert growth <= MAX_GROWTH_BYTES, f"RSS grew {growth / MIB:.1f} MiB over {n_run} runs"
