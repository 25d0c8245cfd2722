"""L-BFGS-B's threads run below the process's priority, so a thread the user waits on (the
app's UI) gets a core as soon as it wakes while a model trains."""

from __future__ import annotations

import os
import sys
import threading

import numpy as np
import pytest

import engine.training.blas as blas
from engine import Dataset, TrainConfig, run_to_end, train

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="per-thread nice values are Linux's"
)


def _nice(tid: int) -> int:
    return os.getpriority(os.PRIO_PROCESS, tid)


def test_lowering_a_threads_priority_leaves_the_others_alone() -> None:
    seen: dict[str, int] = {}

    def worker() -> None:
        blas.lower_this_threads_priority()
        seen["worker"] = _nice(threading.get_native_id())

    main = _nice(threading.get_native_id())
    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert seen["worker"] == min(19, main + blas.BACKGROUND_NICENESS)
    assert _nice(threading.get_native_id()) == main


def test_lbfgs_evaluates_on_lowered_threads(mnist_small: Dataset, monkeypatch) -> None:
    lowered: list[str] = []
    original = blas.lower_this_threads_priority

    def spy() -> None:
        lowered.append(threading.current_thread().name)
        original()

    # the names each module imported
    monkeypatch.setattr("engine.training.lbfgs.lower_this_threads_priority", spy)
    monkeypatch.setattr("engine.training.whitened.lower_this_threads_priority", spy)
    main = _nice(threading.get_native_id())
    result = run_to_end(train(mnist_small, TrainConfig(max_iter=3, seed=0)))
    assert np.isfinite(result.history[-1].cost)
    assert "lbfgs" in lowered  # SciPy's thread
    assert _nice(threading.get_native_id()) == main  # the caller's thread is not lowered
