"""The replay images adaptation reads are prepared in the background as soon as a base model
and the dataset are there, so the first correction of a session only adapts; a new base or
dataset prepares them again, and a preparation made for one that has since been replaced
is dropped."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import numpy as np
import pytest

import engine
from softmax_gui import MainWindow
from softmax_gui.handwriting import replay_job
from softmax_gui.handwriting.controller import ADAPT, REPLAY
from softmax_gui.handwriting.worker_tasks import prepared_replay
from softmax_gui.jobs import TRAIN

from ..conftest import PIXEL_MODEL_PATH
from .conftest import TIMEOUT_MS
from .test_handwriting import draw_narrow_zero, open_window, teach_key


def prepared(w: MainWindow) -> engine.ReplaySet | None:
    base = w.personal.base
    return None if base is None else w.personal.replays.replay_for(base)


def record_jobs(w: MainWindow, monkeypatch) -> list[str]:
    """The names of the jobs the controller starts from now on, in order."""
    started: list[str] = []
    run = w.personal.jobs.run

    def recording(name, *args, **kwargs):
        started.append(name)
        return run(name, *args, **kwargs)

    monkeypatch.setattr(w.personal.jobs, "run", recording)
    return started


def test_the_replay_is_ready_before_the_first_teach_which_only_adapts(
    qtbot, small_data, monkeypatch
):
    w = open_window(qtbot, small_data)
    qtbot.waitUntil(lambda: prepared(w) is not None, timeout=TIMEOUT_MS)
    assert not w.personal.jobs.is_running(ADAPT) and not len(w.personal.samples)  # no teaching
    started = record_jobs(w, monkeypatch)
    draw_narrow_zero(qtbot, w)
    adapted = teach_key(qtbot, w)
    assert int(np.argmax(w.draw_panel.prediction())) == 0  # learnt
    assert adapted.metadata["adapted"]["n_personal_samples"] == 1
    assert ADAPT in started and REPLAY not in started


def test_the_shipped_model_gets_its_mapped_replay_before_any_teaching(qtbot, small_data):
    w = open_window(qtbot, small_data, engine.DEFAULT_MODEL_PATH)
    qtbot.waitUntil(lambda: prepared(w) is not None, timeout=TIMEOUT_MS)
    assert not w.personal.base.input_map.is_identity
    # what adaptation of this base computes once is already in the prepared replay
    assert prepared(w)._per_base


@pytest.fixture
def gated_preparation(monkeypatch) -> Iterator[tuple[list[object], threading.Event]]:
    """Preparations wait for the returned event; records the base each one was for."""
    bases: list[object] = []
    release = threading.Event()

    def gated(data, drawn, base):
        bases.append(base)
        release.wait(TIMEOUT_MS / 1000)
        return prepared_replay(data, drawn, base)

    monkeypatch.setattr(replay_job, "prepared_replay", gated)
    yield bases, release
    release.set()


def test_a_base_replaced_during_its_preparation_is_dropped_and_the_new_one_prepared(
    qtbot, small_data, gated_preparation
):
    bases, release = gated_preparation
    w = MainWindow(dataset=small_data, model_path=PIXEL_MODEL_PATH)
    qtbot.addWidget(w)
    first = w.personal.base
    qtbot.waitUntil(lambda: len(bases) == 1, timeout=TIMEOUT_MS)
    assert bases[0] is first and w.personal.replays.is_preparing()
    assert not w.personal.is_busy()  # nobody waits for it: no busy indicator
    assert w.open_model(engine.DEFAULT_MODEL_PATH)  # replaced while its replay is prepared
    second = w.personal.base
    assert second is not first
    release.set()
    qtbot.waitUntil(lambda: prepared(w) is not None, timeout=TIMEOUT_MS)
    assert bases == [first, second]  # one more preparation, for the base that is current
    assert w.personal.replays.replay_for(first) is None  # the old one was not kept
    qtbot.waitUntil(lambda: not w.personal.replays.is_preparing(), timeout=TIMEOUT_MS)


def test_while_training_runs_the_replay_is_let_go_and_a_teach_prepares_it(
    qtbot, small_data, monkeypatch
):
    w = open_window(qtbot, small_data)
    qtbot.waitUntil(lambda: prepared(w) is not None, timeout=TIMEOUT_MS)
    running = w.jobs.is_running
    monkeypatch.setattr(w.jobs, "is_running", lambda name: name == TRAIN or running(name))
    w.jobs.busy_changed.emit()  # as when a training run starts
    assert prepared(w) is None and not w.personal.replays.is_preparing()  # the run's memory
    draw_narrow_zero(qtbot, w)
    teach_key(qtbot, w)  # prepared on demand, then adapted
    assert int(np.argmax(w.draw_panel.prediction())) == 0
    monkeypatch.undo()
    w.jobs.busy_changed.emit()  # the run ended
    assert prepared(w) is not None  # kept: it was asked for


def test_after_a_run_the_replay_waits_for_a_quiet_moment_and_not_for_the_next_run(
    qtbot, small_data, monkeypatch
):
    monkeypatch.setattr(replay_job, "AFTER_RUN_MS", 300)
    w = open_window(qtbot, small_data)
    qtbot.waitUntil(lambda: prepared(w) is not None, timeout=TIMEOUT_MS)
    training = [True]
    running = w.jobs.is_running
    monkeypatch.setattr(
        w.jobs, "is_running", lambda name: (name == TRAIN and training[0]) or running(name)
    )
    w.jobs.busy_changed.emit()  # a run starts: the prepared replay goes
    training[0] = False
    w.jobs.busy_changed.emit()  # it ends, and another starts at once
    training[0] = True
    w.jobs.busy_changed.emit()
    qtbot.wait(600)  # twice the quiet time: nothing may start while the next run runs
    assert prepared(w) is None and not w.personal.replays.is_preparing()
    training[0] = False
    w.jobs.busy_changed.emit()  # that run ends and nothing follows
    assert not w.personal.replays.is_preparing()  # not at once: a run may follow
    qtbot.waitUntil(lambda: prepared(w) is not None, timeout=TIMEOUT_MS)  # then ahead again
