"""Teaching that sticks, as the user sees it: each correction's outcome on the status line
(also for a writer's real pen digits replayed on the canvas), conflicting labels flagged,
undo of a delete, delete all asks first, the figures kept across a restart, which model reads
and learns, one click back to the shipped model, and the labelled wait for the dataset."""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

import engine
from softmax_gui import MainWindow
from softmax_gui.draw.canvas import CANVAS_SIZE
from softmax_gui.handwriting import tab as handwriting_tab
from softmax_gui.handwriting.kept_report import (
    REPORT_FILE_NAME,
    KeptReport,
    now,
    read_report,
    write_report,
)
from softmax_gui.handwriting.outcome import Taught, forgetting_text, taught_text
from softmax_gui.handwriting.tab import NO_FIGURES
from softmax_gui.window_files import TEACHING_WAIT

from .conftest import TIMEOUT_MS
from .test_canvas import draw_stroke
from .test_handwriting import (
    FAST_LBFGS,
    NARROW_ZERO,
    ZERO_KEY,
    draw_narrow_zero,
    is_adapted,
    open_window,
    teach_key,
    wait_saved,
)

BENCH = Path(__file__).resolve().parents[2] / "bench"
#: The pen writer replayed (the first of unipen-dev with this many digits, by name), and how
#: many of their digits, in the order they wrote them.
WRITER_MIN_DIGITS = 40
N_WRITER_DIGITS = 30


def digit_key(label: int) -> Qt.Key:
    return Qt.Key(Qt.Key.Key_0.value + label)


def said_after(label: int, before: int, now: int) -> str:
    """What the status must say once the correction's adaptation is shown."""
    if now == label:
        return f"Learnt: now reads {label} (it read {before})"
    return f"Taught {label}, but it still reads {now}: teach it a few more {label}s"


@pytest.fixture(scope="module")
def unipen() -> ModuleType:
    """bench/unipen.py: the loader and the replay on the canvas the benchmarks use."""
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    import unipen as module

    return module


def test_each_correction_of_a_pen_writer_reports_its_outcome(qtbot, shown_window, unipen):
    w = shown_window
    items = unipen.read_items()
    writers, counts = np.unique([it["writer"] for it in items], return_counts=True)
    writer = str(writers[counts >= WRITER_MIN_DIGITS][0])
    theirs = [it for it in items if it["writer"] == writer][:N_WRITER_DIGITS]
    outcomes: list[tuple[int, int, int]] = []  # (taught, read before, read after)
    for item in theirs:
        unipen.draw(w.canvas, unipen.page_strokes(item, CANVAS_SIZE))
        proba = w.draw_panel.prediction()
        assert proba is not None
        label, before = int(item["label"]), int(np.argmax(proba))
        if before == label:
            continue
        teach_key(qtbot, w, digit_key(label))
        now = int(np.argmax(w.draw_panel.prediction()))  # the same drawing, read again
        said = said_after(label, before, now)
        assert w.statusBar().currentMessage() == f"{said} · {forgetting_text(w.model)}"
        assert w.draw_panel.status.text() == said
        outcomes.append((label, before, now))
    assert len(outcomes) >= 2, "premise: the shipped model misreads some of this writer's digits"
    assert [now for _, _, now in outcomes] == [label for label, _, _ in outcomes]  # all stick
    assert len(w.personal.samples) == len(outcomes)


@pytest.fixture
def shown_window(qtbot, small_data) -> MainWindow:
    return open_window(qtbot, small_data)


def test_the_same_drawing_taught_as_two_digits_is_flagged(qtbot, shown_window):
    w = shown_window
    draw_narrow_zero(qtbot, w)
    teach_key(qtbot, w)
    teach_key(qtbot, w, Qt.Key.Key_6)  # the very same drawing
    now = int(np.argmax(w.draw_panel.prediction()))
    assert w.draw_panel.status.text() == (
        f"Taught 6, but this same drawing was also taught as 0, and it reads {now}: "
        "delete the wrong one in My handwriting"
    )
    view = w.handwriting_view
    w.tabs.setCurrentWidget(view)
    assert view.grid.conflicted(0) == [0] and view.grid.conflicted(6) == [1]
    assert "also taught as 6" in view.tiles[0].item(0).toolTip()
    assert view.conflicts.isVisible() and "same drawing taught as different" in (
        view.conflicts.text()
    )
    view.select([1])
    view.delete_button.click()  # resolved: nothing is flagged any more
    assert view.grid.conflicted(0) == [] and not view.conflicts.isVisible()


def teach_three(qtbot, w: MainWindow) -> None:
    """Three samples, 0, 6 and 8 (the narrow zero, then two more strokes of it)."""
    draw_narrow_zero(qtbot, w)
    teach_key(qtbot, w)
    for key in (Qt.Key.Key_6, Qt.Key.Key_8):
        with qtbot.waitSignal(w.prediction_changed, timeout=TIMEOUT_MS):
            draw_stroke(w.canvas, [(x + 30, y) for x, y in NARROW_ZERO])  # another input
        teach_key(qtbot, w, key)


def test_undo_puts_a_deleted_sample_back_where_it_was(qtbot, shown_window, isolated_data):
    w = shown_window
    teach_three(qtbot, w)
    before = w.personal.samples
    view = w.handwriting_view
    w.tabs.setCurrentWidget(view)
    assert not view.undo_button.isEnabled()
    view.select([1])
    view.delete_button.click()
    assert w.personal.samples.y.tolist() == [0, 8]
    assert view.undo_button.isEnabled()
    view.undo_button.click()
    after = w.personal.samples
    assert after.y.tolist() == [0, 6, 8]
    np.testing.assert_array_equal(after.X, before.X)
    np.testing.assert_array_equal(after.drawings, before.drawings)
    assert not view.undo_button.isEnabled()
    wait_saved(qtbot, w)
    assert engine.load_samples(isolated_data / "personal-samples.npz").y.tolist() == [0, 6, 8]
    view.select([0, 2])  # Ctrl+Z in the tab undoes too
    view.delete_button.click()
    assert w.personal.samples.y.tolist() == [6]
    undo_key = QKeySequence(QKeySequence.StandardKey.Undo)[0]
    qtbot.keyClick(view.delete_button, undo_key.key(), undo_key.keyboardModifiers())
    assert w.personal.samples.y.tolist() == [0, 6, 8]


def test_delete_all_asks_first(qtbot, shown_window, monkeypatch):
    w = shown_window
    teach_three(qtbot, w)
    asked: list[str] = []
    answer = [False]

    def confirm(parent, title, text):
        asked.append(text)
        return answer[0]

    monkeypatch.setattr(handwriting_tab, "confirm", confirm)
    view = w.handwriting_view
    view.delete_all_button.click()
    assert asked and "Delete all 3" in asked[0]
    assert len(w.personal.samples) == 3  # the user said no
    answer[0] = True
    with qtbot.waitSignal(w.model_changed, timeout=TIMEOUT_MS):
        view.delete_all_button.click()
    assert len(w.personal.samples) == 0 and not is_adapted(w.model)
    assert not view.delete_all_button.isEnabled()
    view.undo_button.click()
    assert w.personal.samples.y.tolist() == [0, 6, 8]


def test_the_figures_are_kept_across_a_restart(qtbot, small_data, isolated_data):
    w = open_window(qtbot, small_data)
    draw_narrow_zero(qtbot, w)
    qtbot.keyClick(w.canvas, ZERO_KEY)
    teach_key(qtbot, w)
    with qtbot.waitSignal(w.personal.report_ready, timeout=TIMEOUT_MS):
        w.handwriting_view.measure_button.click()
    shown = w.handwriting_view.figures.text()
    assert "0 of 2 right before teaching" in shown and "Measured" in shown
    w.close()
    again = open_window(qtbot, small_data)
    assert again.handwriting_view.figures.text() == shown  # the numbers and their date
    again.close()
    (isolated_data / REPORT_FILE_NAME).write_text('{"format": 1, "report": {"n_samples": -3}}')
    damaged = open_window(qtbot, small_data)  # a damaged file is ignored, not fatal
    assert damaged.handwriting_view.figures.text() == NO_FIGURES


def test_teaching_while_use_is_off_says_it_turned_it_on(qtbot, shown_window):
    w = shown_window
    w.handwriting_view.use_box.setChecked(False)
    draw_narrow_zero(qtbot, w)
    teach_key(qtbot, w)
    assert w.personal.use and w.handwriting_view.use_box.isChecked()
    assert "“Use my handwriting” was off: teaching turned it back on" in (
        w.draw_panel.status.text()
    )


def test_which_model_reads_is_shown_and_the_shipped_one_is_one_click_away(qtbot, small_data):
    w = open_window(qtbot, small_data, engine.DEFAULT_MODEL_PATH)
    shipped = w.personal.base
    lines = (w.draw_panel.reading, w.handwriting_view.reading)
    for line in lines:
        assert line.text.text() == "Reading with: the shipped model"
        assert line.shipped_button.isHidden()
    with qtbot.waitSignal(w.prediction_changed, timeout=TIMEOUT_MS):
        draw_stroke(w.canvas, NARROW_ZERO)  # whatever the shipped model reads it as
    teach_key(qtbot, w)
    assert w.draw_panel.reading.text.text() == "Reading with: the shipped model + your 1 digit"
    w.training_panel.set_values(FAST_LBFGS)
    with qtbot.waitSignal(w.training_finished, timeout=TIMEOUT_MS) as finished:
        w.start_training()
    run = w._run_label
    assert w.personal.base is finished.args[0].model
    qtbot.waitUntil(lambda: is_adapted(w.model), timeout=TIMEOUT_MS)
    for line in lines:
        assert line.text.text() == (f"Reading with: “{run}” (not the shipped model) + your 1 digit")
        assert not line.shipped_button.isHidden()
    w.draw_panel.reading.shipped_button.click()
    np.testing.assert_array_equal(w.personal.base.W, shipped.W)
    qtbot.waitUntil(lambda: is_adapted(w.model), timeout=TIMEOUT_MS)
    assert w.model.metadata["adapted"]["base_fingerprint"] == engine.model_fingerprint(shipped)
    for line in lines:
        assert line.text.text() == "Reading with: the shipped model + your 1 digit"
        assert line.shipped_button.isHidden()
    assert w.menus.use_shipped.isEnabled()


def test_the_wait_for_the_dataset_is_labelled_while_teaching_waits(qtbot, small_data):
    first = open_window(qtbot, small_data)
    draw_narrow_zero(qtbot, first)
    teach_key(qtbot, first)
    first.close()
    w = MainWindow()  # not shown: the bundled MNIST is not loading
    qtbot.addWidget(w)
    assert w.personal.waiting_for_data()
    w._on_load_progress(0.4, "preparing the images")  # as the loader reports it
    assert w.busy.isTextVisible() and w.busy.text() == f"{TEACHING_WAIT} 40%"
    with qtbot.waitSignal(w.model_changed, timeout=TIMEOUT_MS):
        w._on_dataset_loaded(small_data)
    assert not w.busy.isTextVisible()


@pytest.mark.parametrize(
    ("taught", "now", "says"),
    [
        (Taught(9, 3, False), 9, "Learnt: now reads 9 (it read 3)"),
        (Taught(9, 9, False), 9, "Learnt: it reads 9, as you taught"),
        (Taught(9, 3, False), 3, "Taught 9, but it still reads 3: teach it a few more 9s"),
        (
            Taught(9, 3, False, (4,)),
            9,
            "Taught 9, but this same drawing was also taught as 4, and it reads 9: "
            "delete the wrong one in My handwriting",
        ),
        (
            Taught(9, 3, True),
            9,
            "Learnt: now reads 9 (it read 3). “Use my handwriting” was off: teaching "
            "turned it back on",
        ),
    ],
)
def test_the_outcome_of_a_correction_in_words(taught, now, says):
    assert taught_text(taught, now) == says


@pytest.mark.parametrize(
    "contents",
    [
        "",
        "[]",
        '{"format": 2}',
        '{"format": 1, "measured_at": "2026-12-07T01:00:00+00:00", "report": '
        '{"n_samples": 4, "base_accuracy": 1.5, "adapted_cv_accuracy": null, '
        '"base_test_accuracy": null, "adapted_test_accuracy": null}}',
        '{"format": 1, "measured_at": "yesterday", "report": {"n_samples": 4, '
        '"base_accuracy": 0.5, "adapted_cv_accuracy": null, "base_test_accuracy": null, '
        '"adapted_test_accuracy": null}}',
    ],
)
def test_a_kept_report_that_cannot_be_trusted_is_ignored(tmp_path, contents):
    path = tmp_path / REPORT_FILE_NAME
    path.write_text(contents)
    assert read_report(path) is None


def test_a_kept_report_reads_back_as_written(tmp_path):
    report = engine.PersonalReport(4, 0.5, 0.75, 0.957, 0.951, n_alone=1)
    kept = KeptReport(report, now(), "MNIST", "the shipped model")
    path = tmp_path / "data" / REPORT_FILE_NAME
    assert write_report(path, kept) == ""
    assert read_report(path) == kept


def test_what_teaching_cost_is_said_in_numbers():
    W, b = np.zeros((engine.N_FEATURES, 10), np.float32), np.zeros(10, np.float32)
    facts = {"held_out_base_accuracy": 0.9541, "held_out_accuracy": 0.9512}
    adapted = engine.SoftmaxModel(W, b, metadata={"adapted": facts})
    assert forgetting_text(adapted) == "its training digits: 95.4% → 95.1%"
    assert forgetting_text(engine.SoftmaxModel(W, b)) == ""  # a model that was not adapted


def test_a_digit_read_less_surely_after_teaching_is_named():
    W, b = np.zeros((engine.N_FEATURES, 10), np.float32), np.zeros(10, np.float32)
    before = [0.97, 0.98, 0.95, 0.95, 0.96, 0.94, 0.97, 0.96, 0.93, 0.94]
    facts = {"held_out_base_accuracy": 0.9541, "held_out_accuracy": 0.9512}
    drifted = [*before[:3], 0.88, *before[4:]]  # the clean 3s: 95% → 88%
    facts |= {"held_out_base_confidence": before, "held_out_confidence": drifted}
    adapted = engine.SoftmaxModel(W, b, metadata={"adapted": facts})
    assert forgetting_text(adapted) == (
        "its training digits: 95.4% → 95.1%; 3s read less surely: 95% → 88%"
    )
    steady = [v - 0.005 for v in before]  # every digit a little less sure: not worth a word
    facts |= {"held_out_confidence": steady}
    assert forgetting_text(adapted) == "its training digits: 95.4% → 95.1%"
