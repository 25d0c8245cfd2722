"""The Train tab's words: every engine text it shows can be translated, a run's ending is
worded from what the engine reports (older histories keep their stored words), and the
progress line says plainly where a run stands: before any run, paused, stopped part way."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QScrollArea

import engine
from softmax_gui.train.controls import RunState
from softmax_gui.train.engine_words import ENGINE_WORDS
from softmax_gui.train.plot_data import SERIES_KEYS
from softmax_gui.train.run_history import StoredRun, load_runs, save_runs
from softmax_gui.train.run_summary import RunOutcome, RunSummary
from softmax_gui.train.run_words import WORDING

from .conftest import ENDLESS_SGD, TIMEOUT_MS, start_then_stop

LONG_LBFGS = {"optimizer": "lbfgs", "max_iter": 200, "tol": 0.0}


def engine_texts() -> set[str]:
    """Every text of the engine's that the Train tab can show."""
    texts: set[str] = set()
    for option in engine.TrainConfig.options().values():
        texts |= {option.label, option.help}
        for key, choice in (option.choices or {}).items():
            texts |= {choice.text, choice.help}
            if option is engine.TrainConfig.options()["augment"]:
                texts.add(key)  # the settings column names the preset
    texts |= {choice.short for choice in engine.SCHEDULES.values()}
    for info in engine.INPUT_MAPS.values():
        texts |= {info.short, info.text}
    for version in engine.PREPROCESSING_VERSIONS.values():
        texts |= {version.name, version.description}
    return texts - {""}


def test_every_engine_text_the_tab_shows_has_a_translation_entry():
    assert engine_texts() <= set(ENGINE_WORDS)


def test_every_way_a_run_can_end_is_worded_by_the_gui():
    assert {reason.value for reason in engine.StopReason} <= set(WORDING)


def summary(**fields) -> RunSummary:
    base = {"number": 1, "config": engine.TrainConfig(), "dataset": "MNIST", "preprocessing": 3}
    return RunSummary(**{**base, **fields})


def test_an_ending_is_worded_from_the_engines_figures():
    stopped = summary(outcome=RunOutcome.STOPPED, stop_reason="stopped", iterations=63, planned=200)
    assert stopped.outcome_text() == "stopped at 63 of 200"
    sgd = engine.TrainConfig(optimizer="sgd", epochs=5, tol=0.01)
    early = summary(
        config=sgd,
        outcome=RunOutcome.FINISHED,
        stop_reason="no improvement",
        iterations=40,  # 20 steps an epoch: it stopped after the second
        planned=100,
    )
    assert early.outcome_text().startswith("stopped early in epoch 2:")
    assert "0.01" in early.outcome_text()
    by_hand = summary(by_hand=True, outcome=RunOutcome.FINISHED, stop_reason="by hand")
    assert by_hand.outcome_text() == "no step yet"
    assert (
        summary(by_hand=True, stop_reason="by hand", outcome=RunOutcome.FINISHED, iterations=3)
    ).outcome_text() == "3 steps by hand"


def test_a_history_written_before_the_stop_reasons_shows_its_stored_words(tmp_path):
    path = tmp_path / "history.json"
    series = {key: [0.0] for key in SERIES_KEYS}
    old = summary(outcome=RunOutcome.FINISHED, reason="reached 5 epochs (as an older app said)")
    new = summary(
        number=2,
        outcome=RunOutcome.STOPPED,
        reason="stopped",
        stop_reason="stopped",
        iterations=7,
        planned=200,
    )
    save_runs(path, [StoredRun(old, True, series), StoredRun(new, True, series)])
    first, second = load_runs(path)
    assert first.summary.outcome_text() == "reached 5 epochs (as an older app said)"
    assert second.summary == new
    assert second.summary.outcome_text() == "stopped at 7 of 200"


def test_before_any_run_the_progress_line_says_so_in_words(window):
    panel = window.training_panel
    assert panel.progress_words() == "No run yet"
    assert "%" not in panel.progress_words() and panel.progress.value() == 0


def test_a_run_stopped_part_way_says_how_far_it_got(qtbot, window):
    window.training_panel.set_values(LONG_LBFGS)
    result = start_then_stop(qtbot, window)
    panel = window.training_panel
    n = result.iterations
    assert 0 < n < 200
    words = panel.progress_words()
    assert words.startswith(f"stopped at {n} of 200 · ")
    assert panel.progress.value() == round(n / 200 * panel.progress.maximum())  # not full
    row = window.train_tab.runs.row_texts(window.plots.run_numbers()[-1])
    assert row["Result"] == f"stopped at {n} of 200"
    assert panel.status.text().startswith(f"Stopped at {n} of 200.")


def test_while_paused_the_words_are_beside_the_bar_not_under_its_fill(qtbot, window):
    window.show()
    panel = window.training_panel
    window.training_panel.set_values(ENDLESS_SGD)
    with qtbot.waitSignal(window.training_progress, timeout=TIMEOUT_MS):
        window.start_training()
    window.toggle_pause()
    qtbot.waitUntil(lambda: panel.state is RunState.PAUSED, timeout=TIMEOUT_MS)
    words = panel.progress_words()
    assert "elapsed" in words and panel.status.text().startswith("Paused.")
    label = panel.run_status.progress_text
    assert not panel.progress.isTextVisible()  # nothing is drawn on the bar itself
    assert label.isVisible() and label.text() == words
    assert not label.geometry().intersects(panel.progress.geometry())
    assert label.fontMetrics().horizontalAdvance(words) <= label.width()  # not cut off
    with qtbot.waitSignal(window.training_finished, timeout=TIMEOUT_MS):
        window.stop_training()


@pytest.mark.parametrize("optimizer", ["lbfgs", "sgd"])
def test_the_controls_column_fits_the_default_window_after_a_run(qtbot, window, optimizer):
    window.resize(1280, 800)
    window.show()
    window.tabs.setCurrentWidget(window.train_tab)
    window.training_panel.set_values(
        {"optimizer": optimizer, "max_iter": 3, "epochs": 1, "tol": 0.0}
    )
    with qtbot.waitSignal(window.training_finished, timeout=TIMEOUT_MS):
        window.start_training()
    qtbot.waitUntil(lambda: window.training_panel.state is RunState.IDLE, timeout=TIMEOUT_MS)
    assert (window.width(), window.height()) == (1280, 800)
    column = window.training_panel.parentWidget().parentWidget()
    assert isinstance(column, QScrollArea)
    assert column.verticalScrollBar().maximum() == 0  # no scroll bar: all of it is on show
