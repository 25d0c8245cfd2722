"""Comparing runs on the Train tab: axes that fit the data once a run ends, times without
pauses, an honest ETA and early-stop tolerance, legend entries and a table that tell runs
apart, runs hidden and shown, diverged runs marked, the runs and the plot choices kept
across a restart, and an unreadable history set aside. Every wait is on a GUI-thread signal
or condition of the window."""

from __future__ import annotations

import json
import math
import time

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QGraphicsView

import engine
from softmax_gui import MainWindow
from softmax_gui.train.controls import RunState, format_seconds
from softmax_gui.train.run_history import (
    HISTORY_FILE_NAME,
    MAX_STORED_POINTS,
    SET_ASIDE_SUFFIX,
    thin,
)
from softmax_gui.train.run_summary import percent

from .conftest import ENDLESS_SGD, TIMEOUT_MS, start_then_stop

#: A pause long enough to tell apart from the time between two reports on a busy machine.
PAUSE_S = 2.0
SHORT_SGD = {"optimizer": "sgd", "epochs": 1, "lr": 0.1, "batch_size": 100}
SHORT_LBFGS = {"optimizer": "lbfgs", "max_iter": 5}
DIVERGING_SGD = {"optimizer": "sgd", "lr": 1e4, "l2": 0.0, "epochs": 3, "schedule": "constant"}


def train(qtbot, window: MainWindow, values: dict) -> engine.TrainResult:
    window.training_panel.set_values(values)
    with qtbot.waitSignal(window.training_finished, timeout=TIMEOUT_MS) as finished:
        window.start_training()
    return finished.args[0]


def x_view(window: MainWindow) -> list[float]:
    window.plots.grab()  # paint, which settles auto-range
    return window.plots.cost_plot.getViewBox().viewRange()[0]


def curves_of(window: MainWindow, number: int):
    """The three curves (cost, train, test) that draw run ``number``."""
    plots = window.plots
    if number == plots.run_numbers()[-1]:
        return [plots.cost_curve, plots.train_curve, plots.test_curve]
    return next(curves for run, curves in plots._history if run.number == number)


def as_seconds(text: str) -> int:
    """``"1:15"`` -> 75."""
    minutes, seconds = text.split(":")
    return 60 * int(minutes) + int(seconds)


def open_window(qtbot, data) -> MainWindow:
    w = MainWindow(dataset=data)
    qtbot.addWidget(w)
    return w


# --- 2. axes after a run --------------------------------------------------------------------
def test_a_stopped_run_fits_the_x_axis_to_its_data_not_its_planned_length(qtbot, window):
    window.training_panel.set_values(ENDLESS_SGD)
    start_then_stop(qtbot, window)
    steps = window.plots.series(window.plots.run_numbers()[-1])["step"]
    planned = engine.TrainConfig(**ENDLESS_SGD).planned_steps(window.dataset.X_train.shape[0])
    low, high = x_view(window)
    assert low <= 0 and high >= steps[-1]  # all the data
    assert high < 3 * max(steps[-1], 1) + 10 < planned  # not millions of empty iterations


def test_view_all_shows_every_visible_run_and_turns_auto_range_back_on(qtbot, window):
    long_run = train(qtbot, window, {**SHORT_SGD, "epochs": 2})
    train(qtbot, window, SHORT_LBFGS)
    longest = long_run.iterations
    window.plots.cost_plot.setXRange(0, 2)  # the user zooms in: auto-range is off
    assert x_view(window)[1] < longest
    window.plots.cost_plot.getViewBox().menu.viewAll.trigger()
    assert x_view(window)[1] >= longest  # both runs' data
    assert all(window.plots.cost_plot.getViewBox().autoRangeEnabled())
    window.train_tab.runs.item(window.train_tab.runs.numbers().index(1), 0).setCheckState(
        Qt.CheckState.Unchecked
    )
    assert x_view(window)[1] < longest  # fits the run left on show


# --- 3. time and ETA ------------------------------------------------------------------------
def test_time_spent_paused_is_left_out_of_the_elapsed_times(qtbot, window):
    raw = []  # the engine's records, whose elapsed keeps counting while paused
    window.training_progress.connect(raw.append)
    window.training_panel.set_values(ENDLESS_SGD)
    with qtbot.waitSignal(window.training_progress, timeout=TIMEOUT_MS):
        window.start_training()
    window.toggle_pause()
    qtbot.waitUntil(lambda: window.training_panel.state is RunState.PAUSED, timeout=TIMEOUT_MS)
    before = len(raw)  # every record made before the pause has arrived
    paused_at = time.monotonic()
    qtbot.waitUntil(lambda: time.monotonic() - paused_at >= PAUSE_S, timeout=TIMEOUT_MS)
    window.toggle_pause()
    qtbot.waitUntil(lambda: len(raw) >= before + 3, timeout=TIMEOUT_MS)
    with qtbot.waitSignal(window.training_finished, timeout=TIMEOUT_MS) as finished:
        window.stop_training()
    result = finished.args[0]
    plotted = window.plots.series(window.plots.run_numbers()[-1])["elapsed"]
    assert raw[before].elapsed - raw[before - 1].elapsed >= PAUSE_S  # the engine counted it
    assert plotted[before] - plotted[before - 1] < PAUSE_S / 4  # the time axis does not
    assert plotted == sorted(plotted)
    assert result.seconds - plotted[-1] >= PAUSE_S - 0.5
    words = window.training_panel.progress_words()  # "stopped at 46 of 200,000 · 0:01"
    assert words.startswith(f"stopped at {result.iterations:,} of ")
    shown = words.rsplit(" · ", 1)[-1]
    assert as_seconds(shown) <= result.seconds - PAUSE_S + 1  # 1: rounding to seconds
    assert window.train_tab.runs.row_texts(window.plots.run_numbers()[-1])["Time"] == shown


@pytest.mark.parametrize(
    ("values", "bound"), [(SHORT_LBFGS, True), (SHORT_SGD, False)], ids=["lbfgs", "sgd"]
)
def test_the_eta_of_a_run_that_stops_when_it_converges_is_an_upper_bound(
    qtbot, window, values, bound
):
    seen = []
    window.training_progress.connect(lambda _: seen.append(window.training_panel.progress.text()))
    train(qtbot, window, values)
    etas = [text for text in seen if "ETA" in text and "ETA –" not in text]
    assert etas
    assert all(("ETA ≤ " in text) == bound for text in etas)


def test_the_tolerance_is_set_in_the_form_and_a_converged_run_names_it(qtbot, window):
    panel = window.training_panel
    assert panel.values()["tol"] == engine.TrainConfig().tol
    result = train(qtbot, window, {"optimizer": "lbfgs", "max_iter": 200, "tol": 1e-3})
    assert result.converged and result.iterations < 200
    assert result.model.metadata["config"]["tol"] == 1e-3
    assert panel.status.text().startswith("Converged (tolerance 0.001).")
    row = window.train_tab.runs.row_texts(window.plots.run_numbers()[-1])
    assert row["Result"] == "converged (tolerance 0.001)"


# --- 4. comparing runs ----------------------------------------------------------------------
def test_legend_and_table_tell_the_runs_apart(qtbot, window, small_data):
    sgd = train(qtbot, window, SHORT_SGD)
    lbfgs = train(qtbot, window, SHORT_LBFGS)
    version = small_data.preprocessing_version
    newest, oldest = window.plots.legend_labels()
    assert newest.startswith("run 2 · L-BFGS-B l2 0.0001, tol 1e-06 · ")
    assert oldest.startswith("run 1 · SGD lr 0.1, 1 ep, cosine · ")
    for label in (newest, oldest):
        assert label.endswith(f"MNIST subset, prep. {version}")
    table = window.train_tab.runs
    assert table.numbers() == [2, 1]  # newest first, like the legend
    for number, result, optimizer in ((1, sgd, "sgd"), (2, lbfgs, "lbfgs")):
        row = table.row_texts(number)
        assert row["Optimizer"] == engine.OPTIMIZERS[optimizer].short
        assert row["Train error"] == percent(result.train_error)
        assert row["Test error"] == percent(result.test_error)
        assert row["Data"] == f"MNIST subset, prep. {version}"
        assert row["Time"] == format_seconds(result.seconds)  # no pause in these runs
    assert "batch 100" in table.row_texts(1)["Settings"]
    assert table.row_texts(1)["Result"] == "reached 1 epoch"
    assert table.row_texts(2)["Result"] == "reached 5 iterations"


def click_legend_sample(qtbot, window: MainWindow, row: int) -> None:
    """Click the line sample of legend row ``row`` as a user would."""
    window.show()
    qtbot.waitExposed(window)
    window.tabs.setCurrentWidget(window.train_tab)
    view: QGraphicsView = window.plots.cost_plot
    sample = window.plots._legend.items[row][0]
    point = view.mapFromScene(sample.mapToScene(QPointF(10, 10)))
    QTest.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point
    )


def test_a_run_is_hidden_and_shown_from_the_table_or_its_legend_sample(qtbot, window):
    train(qtbot, window, SHORT_SGD)
    train(qtbot, window, SHORT_LBFGS)
    table = window.train_tab.runs
    row = table.numbers().index(1)
    table.item(row, 0).setCheckState(Qt.CheckState.Unchecked)  # as a click on the tick box
    assert not any(curve.isVisible() for curve in curves_of(window, 1))
    assert all(curve.isVisible() for curve in curves_of(window, 2))
    assert not window.plots.is_visible(1)
    table.item(row, 0).setCheckState(Qt.CheckState.Checked)
    assert all(curve.isVisible() for curve in curves_of(window, 1))
    # the legend: its second row is run 1; a click hides the run and unticks its row
    click_legend_sample(qtbot, window, 1)
    qtbot.waitUntil(lambda: not window.plots.is_visible(1), timeout=TIMEOUT_MS)
    assert not any(curve.isVisible() for curve in curves_of(window, 1))
    assert not table.is_ticked(1) and table.is_ticked(2)


def test_a_diverged_run_is_marked_in_the_legend_the_table_and_its_pen(qtbot, window):
    result = train(qtbot, window, DIVERGING_SGD)
    assert result.diverged
    (label,) = window.plots.legend_labels()
    assert label.endswith(" · diverged")
    assert window.plots.cost_curve.opts["pen"].style() == Qt.PenStyle.DotLine
    assert window.train_tab.runs.row_texts(1)["Result"] == "diverged"
    train(qtbot, window, SHORT_LBFGS)  # the diverged run becomes an earlier, faint one
    faint = curves_of(window, 1)
    assert faint[0].opts["pen"].style() == Qt.PenStyle.DotLine
    assert window.plots.cost_curve.opts["pen"].style() == Qt.PenStyle.SolidLine
    assert window.plots.legend_labels()[1] == label


def test_runs_and_plot_choices_are_back_after_a_restart(qtbot, small_data, isolated_data):
    first = open_window(qtbot, small_data)
    train(qtbot, first, SHORT_SGD)
    train(qtbot, first, SHORT_LBFGS)
    first.train_tab.runs.item(1, 0).setCheckState(Qt.CheckState.Unchecked)  # hide run 1
    first.plots.x_axis.setCurrentIndex(first.plots.x_axis.findData("elapsed"))
    first.plots.log_y.setChecked(False)
    labels = first.plots.legend_labels()
    rows = {n: first.train_tab.runs.row_texts(n) for n in (1, 2)}
    series = {n: first.plots.series(n) for n in (1, 2)}
    first.close()
    assert (isolated_data / HISTORY_FILE_NAME).exists()

    second = open_window(qtbot, small_data)
    assert second.plots.legend_labels() == labels
    assert second.plots.history_labels() == labels[::-1]  # both faint now
    assert {n: second.train_tab.runs.row_texts(n) for n in (1, 2)} == rows
    assert {n: second.plots.series(n) for n in (1, 2)} == series
    assert not second.plots.is_visible(1) and second.plots.is_visible(2)
    assert not second.train_tab.runs.is_ticked(1)
    assert second.plots.x_axis.currentData() == "elapsed"
    assert not second.plots.log_y.isChecked()
    # the next run is numbered after the restored ones
    train(qtbot, second, SHORT_LBFGS)
    assert second.plots.legend_labels()[0].startswith("run 3 ")


def test_long_runs_are_stored_thinned_keeping_their_ends():
    n = 10 * MAX_STORED_POINTS + 7
    series = {"step": list(range(n)), "cost": [1.0 / (k + 1) for k in range(n)]}
    stored = thin(series)
    assert len(stored["step"]) == MAX_STORED_POINTS
    assert stored["step"][0] == 0 and stored["step"][-1] == n - 1
    assert stored["step"] == sorted(stored["step"])
    assert stored["cost"] == [1.0 / (k + 1) for k in stored["step"]]


UNREADABLE = {
    "not JSON": b"\x00\xffnot json at all",
    "another program's JSON": json.dumps({"recent": ["a.txt"]}).encode(),
    "a newer format": json.dumps(
        {"format": "softmax-gui run history", "version": 99, "runs": []}
    ).encode(),
    "a run without curves": json.dumps(
        {"format": "softmax-gui run history", "version": 1, "runs": [{"summary": {}}]}
    ).encode(),
}


@pytest.mark.parametrize("content", list(UNREADABLE.values()), ids=list(UNREADABLE))
def test_an_unreadable_history_is_set_aside_and_the_app_starts(
    qtbot, small_data, isolated_data, shown_errors, content
):
    isolated_data.mkdir(parents=True, exist_ok=True)
    path = isolated_data / HISTORY_FILE_NAME
    path.write_bytes(content)
    w = open_window(qtbot, small_data)
    [aside] = isolated_data.glob(HISTORY_FILE_NAME + SET_ASIDE_SUFFIX + "*")
    assert aside.read_bytes() == content and not path.exists()
    note = w.train_tab.runs_note
    assert not note.isHidden() and "not restored" in note.text() and aside.name in note.text()
    assert w.plots.legend_labels() == [] and shown_errors == []
    train(qtbot, w, SHORT_LBFGS)  # the app works, and a fresh history is written
    assert json.loads(path.read_text())["runs"][0]["summary"]["number"] == 1
    assert aside.read_bytes() == content
    assert math.isfinite(json.loads(path.read_text())["runs"][0]["summary"]["seconds"])
