"""Teach it your handwriting: digit keys and bar clicks teach, the model adapts on a worker
thread, samples persist in the data folder (an unreadable file is kept aside), reset, the
on/off toggle, delete and relabel, training with the samples, and the honest figures."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPointF, Qt

import engine
from engine.data.files import UNREADABLE_SUFFIX
from softmax_gui import MainWindow
from softmax_gui.handwriting import controller as personal
from softmax_gui.handwriting import samples_file
from softmax_gui.handwriting.controller import ADAPT, SAMPLES_FILE_NAME
from softmax_gui.handwriting.kept_report import KeptReport
from softmax_gui.handwriting.outcome import forgetting_text
from softmax_gui.handwriting.report import report_html
from softmax_gui.settings import KEY_USE_PERSONAL, open_settings

from ..conftest import PIXEL_MODEL_PATH
from .conftest import TIMEOUT_MS
from .test_canvas import LEFT, NONE, draw_stroke, send_mouse

#: The pixel model shipped before the edge one (same recipe, pixels only): these tests need a
#: base model that misreads the narrow zero below, which the shipped edge model reads right.
PIXEL_MODEL = PIXEL_MODEL_PATH
#: A narrow, tall zero: the pixel model reads it as an 8 (checked in every test using it).
RING = np.linspace(0.0, 2.0 * np.pi, 48)
NARROW_ZERO = [(140 + 22 * np.sin(a), 140 - 90 * np.cos(a)) for a in RING]
ZERO_KEY = Qt.Key.Key_0
FAST_LBFGS = {"optimizer": "lbfgs", "max_iter": 5}


@pytest.fixture
def shown(qtbot, small_data) -> MainWindow:
    """The small-data window, shown on its Draw tab with the canvas focused."""
    return open_window(qtbot, small_data)


def open_window(qtbot, small_data, model_path: Path = PIXEL_MODEL) -> MainWindow:
    """A window on ``small_data`` reading with ``model_path`` (by default a pixel model that
    misreads the narrow zero), shown on its Draw tab with the canvas focused."""
    w = MainWindow(dataset=small_data, model_path=model_path)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.tabs.setCurrentWidget(w.draw_panel)
    w.activateWindow()
    qtbot.waitActive(w)
    w.canvas.setFocus()
    return w


def draw_narrow_zero(qtbot, w: MainWindow) -> np.ndarray:
    """Draw the narrow zero; returns the prediction, asserting the premise (misread)."""
    with qtbot.waitSignal(w.prediction_changed, timeout=TIMEOUT_MS):
        draw_stroke(w.canvas, NARROW_ZERO)
    proba = w.draw_panel.prediction()
    assert int(np.argmax(proba)) != 0, "premise: the base model misreads the narrow zero"
    return proba


@contextmanager
def model_then_prediction(qtbot, w: MainWindow) -> Iterator[list[tuple[str, object]]]:
    """Record model_changed and prediction_changed while the block runs, then wait for both:
    exactly one model_changed, then the new prediction (the order the issue asks for)."""
    events: list[tuple[str, object]] = []

    def on_model(model: engine.SoftmaxModel) -> None:
        events.append(("model_changed", model))

    def on_prediction(proba: object) -> None:
        events.append(("prediction_changed", proba))

    w.model_changed.connect(on_model)
    w.prediction_changed.connect(on_prediction)
    try:
        yield events
        qtbot.waitUntil(lambda: len(events) >= 2, timeout=TIMEOUT_MS)
    finally:
        w.model_changed.disconnect(on_model)
        w.prediction_changed.disconnect(on_prediction)
    assert [name for name, _ in events] == ["model_changed", "prediction_changed"]


def teach_key(qtbot, w: MainWindow, key: Qt.Key = ZERO_KEY) -> engine.SoftmaxModel:
    """Type ``key`` on the canvas; wait for model_changed, then the new prediction."""
    with model_then_prediction(qtbot, w) as events:
        qtbot.keyClick(w.canvas, key)
    return events[0][1]


def wait_saved(qtbot, w: MainWindow) -> None:
    """Wait until the samples file holds the current samples."""
    qtbot.waitUntil(
        lambda: not w.personal.jobs.is_running(personal.SAVE) and w.personal._file.is_saved(),
        timeout=TIMEOUT_MS,
    )


def is_adapted(model: engine.SoftmaxModel) -> bool:
    return "adapted" in model.metadata


def test_a_correction_the_model_could_not_learn_is_not_reported_as_learnt(
    qtbot, shown, monkeypatch
):
    def learns_nothing(base, X, y, **options):  # as when the guard keeps the whole step back
        return replace(base, metadata={"adapted": {"n_personal_samples": len(y)}})

    monkeypatch.setattr(personal.engine, "adapt", learns_nothing)
    read_as = int(np.argmax(draw_narrow_zero(qtbot, shown)))
    teach_key(qtbot, shown)
    said = f"Taught 0, but it still reads {read_as}: teach it a few more 0s"
    assert shown.statusBar().currentMessage() == said
    assert shown.draw_panel.status.text() == said  # where the user is looking


def test_the_tiles_of_samples_taught_on_the_draw_tab_appear_when_the_view_is_shown(qtbot, shown):
    draw_narrow_zero(qtbot, shown)
    teach_key(qtbot, shown)
    teach_key(qtbot, shown, Qt.Key.Key_6)
    view = shown.handwriting_view
    shown.tabs.setCurrentWidget(view)
    assert [view.tiles[k].count() for k in (0, 6)] == [1, 1]
    assert view.tiles[6].item(0).data(Qt.ItemDataRole.UserRole) == 1


def test_typing_the_right_digit_teaches_a_misread_drawing(qtbot, shown, isolated_data):
    base = shown.model
    read_as = int(np.argmax(draw_narrow_zero(qtbot, shown)))
    adapted = teach_key(qtbot, shown)
    assert shown.model is adapted
    assert int(np.argmax(shown.draw_panel.prediction())) == 0  # the same drawing, read again
    facts = adapted.metadata["adapted"]
    assert facts["n_personal_samples"] == 1
    assert facts["base_fingerprint"] == engine.model_fingerprint(base)
    assert facts["base_source"] == PIXEL_MODEL.name
    assert shown.personal.base is base  # adaptation never replaces the base
    said = f"Learnt: now reads 0 (it read {read_as})"
    cost = forgetting_text(adapted)  # the engine measured what teaching cost
    assert cost.startswith("its training digits: ")
    assert shown.statusBar().currentMessage() == f"{said} · {cost}"
    assert shown.draw_panel.status.text() == said
    assert "your handwriting" in shown.model_label.text()
    samples = shown.personal.samples
    assert samples.y.tolist() == [0]
    np.testing.assert_array_equal(samples.X[0], shown.draw_panel.model_input().ravel())
    np.testing.assert_array_equal(samples.drawings[0], engine.as_drawing(shown.canvas.ink_array()))
    wait_saved(qtbot, shown)
    assert engine.load_samples(isolated_data / SAMPLES_FILE_NAME).y.tolist() == [0]


def test_clicking_a_probability_bar_teaches_that_digit(qtbot, shown):
    draw_narrow_zero(qtbot, shown)
    bars = shown.draw_panel.probability_view.bars
    centre = QPointF(bars.width() / engine.N_CLASSES / 2, bars.height() / 2)  # digit 0's slot
    assert bars.digit_at(centre.x()) == 0
    with qtbot.waitSignals(
        [shown.model_changed, shown.prediction_changed], order="strict", timeout=TIMEOUT_MS
    ):
        send_mouse(bars, QEvent.Type.MouseButtonPress, centre, LEFT, LEFT)
        send_mouse(bars, QEvent.Type.MouseButtonRelease, centre, LEFT, NONE)
    assert shown.personal.samples.y.tolist() == [0]
    assert int(np.argmax(shown.draw_panel.prediction())) == 0


def test_a_digit_key_on_an_empty_page_stores_nothing(qtbot, shown, isolated_data):
    model = shown.model
    qtbot.keyClick(shown.canvas, Qt.Key.Key_3)
    assert "Draw a 3 first" in shown.statusBar().currentMessage()
    assert len(shown.personal.samples) == 0
    assert not shown.personal.jobs.is_running(ADAPT)
    assert shown.model is model
    assert not (isolated_data / SAMPLES_FILE_NAME).exists()


@pytest.fixture
def gated_adaptation(monkeypatch) -> Iterator[tuple[list[int], threading.Event]]:
    """Adaptations on the worker wait for the returned event; records each run's sample count."""
    runs: list[int] = []
    gate = threading.Event()
    adapted_model = personal.adapted_model

    def gated(base, source, samples, replay):
        runs.append(len(samples))  # on the worker thread; list.append is atomic
        gate.wait(TIMEOUT_MS / 1000)
        return adapted_model(base, source, samples, replay)

    monkeypatch.setattr(personal, "adapted_model", gated)
    yield runs, gate
    gate.set()  # never leave a worker waiting, even when the test failed


def test_teaching_during_an_adaptation_coalesces_into_one_more_run(qtbot, shown, gated_adaptation):
    runs, gate = gated_adaptation
    models: list[engine.SoftmaxModel] = []
    shown.model_changed.connect(models.append)
    draw_narrow_zero(qtbot, shown)
    qtbot.keyClick(shown.canvas, ZERO_KEY)
    qtbot.waitUntil(lambda: runs == [1], timeout=TIMEOUT_MS)  # the first run is under way
    for _ in range(3):
        qtbot.keyClick(shown.canvas, ZERO_KEY)
    assert len(shown.personal.samples) == 4  # stored at once, none lost
    assert shown.handwriting_view.headers[0].text() == "4 samples"
    gate.set()
    qtbot.waitUntil(
        lambda: not shown.personal.is_busy() and is_adapted(shown.model), timeout=TIMEOUT_MS
    )
    assert runs == [1, 4]  # one more run for the three keys typed meanwhile
    # The first run's result (1 sample) was out of date when it arrived: never shown.
    assert [m.metadata["adapted"]["n_personal_samples"] for m in models] == [4]
    assert shown.statusBar().currentMessage().startswith("Learnt: now reads 0 (it read ")


def test_closing_mid_adaptation_ends_the_thread_and_keeps_the_samples(
    qtbot, small_data, isolated_data, shown_errors, gated_adaptation
):
    runs, gate = gated_adaptation
    w = open_window(qtbot, small_data)
    draw_narrow_zero(qtbot, w)
    qtbot.keyClick(w.canvas, ZERO_KEY)
    qtbot.waitUntil(lambda: runs == [1], timeout=TIMEOUT_MS)
    gate.set()  # the run goes on while the window closes: closing waits for it
    assert w.personal.jobs.is_running(ADAPT)  # its end is only noticed by the event loop
    assert w.close()
    assert w.personal.jobs.active_threads() == 0
    assert shown_errors == []
    assert engine.load_samples(isolated_data / SAMPLES_FILE_NAME).y.tolist() == [0]


def test_samples_survive_a_restart_and_the_model_is_adapted_again(qtbot, small_data, isolated_data):
    first = open_window(qtbot, small_data)
    draw_narrow_zero(qtbot, first)
    teach_key(qtbot, first)
    first.close()  # writes anything not saved yet
    assert engine.load_samples(isolated_data / SAMPLES_FILE_NAME).y.tolist() == [0]

    second = open_window(qtbot, small_data)
    assert second.personal.samples.y.tolist() == [0]
    assert second.handwriting_view.headers[0].text() == "1 sample"
    qtbot.waitUntil(lambda: is_adapted(second.model), timeout=TIMEOUT_MS)
    with qtbot.waitSignal(second.prediction_changed, timeout=TIMEOUT_MS):
        draw_stroke(second.canvas, NARROW_ZERO)
    assert int(np.argmax(second.draw_panel.prediction())) == 0


def corrupt_bytes(tmp_path) -> bytes:
    return b"PK\x03\x04 certainly not a complete zip archive"


def foreign_npz(tmp_path) -> bytes:
    """A valid .npz of something else: the shipped model file."""
    path = engine.save_model(engine.load_model(engine.DEFAULT_MODEL_PATH), tmp_path / "m.npz")
    return path.read_bytes()


def empty_file(tmp_path) -> bytes:
    return b""


@pytest.mark.parametrize("contents", [corrupt_bytes, foreign_npz, empty_file])
def test_an_unreadable_samples_file_is_kept_aside_and_the_app_starts_empty(
    qtbot, small_data, isolated_data, tmp_path, shown_errors, contents
):
    isolated_data.mkdir()
    bad = contents(tmp_path)
    (isolated_data / SAMPLES_FILE_NAME).write_bytes(bad)
    w = open_window(qtbot, small_data)
    assert len(w.personal.samples) == 0
    assert shown_errors == []  # no modal dialog at startup
    assert w.notice_label.isVisible()  # in the status bar, whichever tab is open
    view = w.handwriting_view
    w.tabs.setCurrentWidget(view)
    assert view.notice.isVisible() and "could not be read" in view.notice.text()
    w.tabs.setCurrentWidget(w.draw_panel)
    w.canvas.setFocus()
    aside = sorted(isolated_data.glob(f"{SAMPLES_FILE_NAME}{UNREADABLE_SUFFIX}*"))
    assert len(aside) == 1 and aside[0].name in view.notice.text()
    assert aside[0].read_bytes() == bad  # kept as it was
    draw_narrow_zero(qtbot, w)  # the app is usable: teaching works and saves a new file
    teach_key(qtbot, w)
    wait_saved(qtbot, w)
    assert engine.load_samples(isolated_data / SAMPLES_FILE_NAME).y.tolist() == [0]
    assert aside[0].read_bytes() == bad


def test_the_unreadable_file_notice_can_be_dismissed(qtbot, small_data, isolated_data, tmp_path):
    isolated_data.mkdir()
    (isolated_data / SAMPLES_FILE_NAME).write_bytes(corrupt_bytes(tmp_path))
    w = open_window(qtbot, small_data)
    view = w.handwriting_view
    w.tabs.setCurrentWidget(view)
    assert view.notice.isVisible() and w.notice_label.isVisible()
    qtbot.mouseClick(view.dismiss_button, Qt.MouseButton.LeftButton)
    assert not view.notice.isVisible() and not w.notice_label.isVisible()
    assert sorted(isolated_data.glob(f"{SAMPLES_FILE_NAME}{UNREADABLE_SUFFIX}*"))  # still kept


def test_saves_that_keep_failing_open_one_dialog_not_one_per_change(
    qtbot, shown, isolated_data, shown_errors, monkeypatch
):
    def refuse(samples, path):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(samples_file, "save", refuse)
    for _ in range(3):
        with qtbot.waitSignal(shown.prediction_changed, timeout=TIMEOUT_MS):
            draw_stroke(shown.canvas, NARROW_ZERO)  # read as 0 once taught: still stored
        teach_key(qtbot, shown)
        qtbot.waitUntil(
            lambda: not shown.personal.jobs.is_running(personal.SAVE), timeout=TIMEOUT_MS
        )
    assert len(shown.personal.samples) == 3  # nothing the user taught is lost
    assert [title for title, _ in shown_errors] == [personal.FAILED_TITLES[personal.SAVE]]
    assert "No space left" in shown_errors[0][1]
    monkeypatch.undo()  # the disk has room again: the next change saves everything
    with qtbot.waitSignal(shown.prediction_changed, timeout=TIMEOUT_MS):
        draw_stroke(shown.canvas, NARROW_ZERO)
    teach_key(qtbot, shown)
    wait_saved(qtbot, shown)
    assert len(engine.load_samples(isolated_data / SAMPLES_FILE_NAME)) == 4


def test_unticking_use_restores_the_base_model_and_keeps_the_samples(
    qtbot, shown, small_data, isolated_settings
):
    base = shown.model
    draw_narrow_zero(qtbot, shown)
    teach_key(qtbot, shown)
    with qtbot.waitSignals(
        [shown.model_changed, shown.prediction_changed], order="strict", timeout=TIMEOUT_MS
    ):
        shown.handwriting_view.use_box.setChecked(False)
    assert shown.model is base
    np.testing.assert_array_equal(shown.model.W, base.W)
    assert int(np.argmax(shown.draw_panel.prediction())) != 0  # misread again
    assert not shown.handwriting_view.use_box.isChecked()
    assert len(shown.personal.samples) == 1
    shown.close()
    assert open_settings(isolated_settings).value(KEY_USE_PERSONAL, type=bool) is False
    again = open_window(qtbot, small_data)  # remembered: samples there, adaptation off
    assert len(again.personal.samples) == 1
    assert not again.personal.use and not is_adapted(again.model)
    assert not again.personal.jobs.is_running(ADAPT)  # nothing is adapted


def test_the_use_toggle_switches_between_base_and_adapted(qtbot, shown, isolated_settings):
    base = shown.model
    draw_narrow_zero(qtbot, shown)
    adapted = teach_key(qtbot, shown)
    box = shown.handwriting_view.use_box
    with qtbot.waitSignal(shown.model_changed, timeout=TIMEOUT_MS):
        box.setChecked(False)
    assert shown.model is base
    assert open_settings(isolated_settings).value(KEY_USE_PERSONAL, type=bool) is False
    with qtbot.waitSignal(shown.model_changed, timeout=TIMEOUT_MS) as changed:
        box.setChecked(True)
    np.testing.assert_array_equal(changed.args[0].W, adapted.W)  # adaptation is deterministic
    assert int(np.argmax(shown.draw_panel.prediction())) == 0


def test_delete_and_relabel_update_the_counts_and_the_file(qtbot, shown, isolated_data):
    draw_narrow_zero(qtbot, shown)
    qtbot.keyClick(shown.canvas, ZERO_KEY)
    teach_key(qtbot, shown, Qt.Key.Key_6)  # the two keys share one or two adaptations
    qtbot.waitUntil(lambda: not shown.personal.is_busy(), timeout=TIMEOUT_MS)
    view, path = shown.handwriting_view, isolated_data / SAMPLES_FILE_NAME
    assert [view.headers[k].text() for k in (0, 6)] == ["1 sample", "1 sample"]
    shown.tabs.setCurrentWidget(view)  # its tiles are built when it is shown

    view.select([1])
    view.relabel_digit.setCurrentIndex(9)
    view.relabel_button.click()
    assert [view.headers[k].text() for k in (0, 6, 9)] == ["1 sample", "none yet", "1 sample"]
    wait_saved(qtbot, shown)
    assert engine.load_samples(path).y.tolist() == [0, 9]

    view.select([0])
    with qtbot.waitSignal(shown.model_changed, timeout=TIMEOUT_MS) as changed:
        view.delete_button.click()
    assert view.headers[0].text() == "none yet"
    wait_saved(qtbot, shown)
    assert engine.load_samples(path).y.tolist() == [9]
    assert changed.args[0].metadata["adapted"]["n_personal_samples"] == 1


def test_opening_another_model_makes_it_the_base_and_adapts_it(qtbot, shown, tmp_path):
    draw_narrow_zero(qtbot, shown)
    teach_key(qtbot, shown)
    other = engine.save_model(engine.load_model(engine.DEFAULT_MODEL_PATH), tmp_path / "other.npz")
    assert shown.open_model(other)
    assert not is_adapted(shown.model)  # the new base at once...
    qtbot.waitUntil(lambda: is_adapted(shown.model), timeout=TIMEOUT_MS)  # ...then adapted
    assert shown.model.metadata["adapted"]["base_source"] == "other.npz"
    saved = tmp_path / "mine.npz"
    assert shown.save_model(saved)  # saves the model in use: the adapted one
    facts = engine.load_model(saved).metadata["adapted"]
    assert facts["base_source"] == "other.npz" and facts["n_personal_samples"] == 1


def test_training_can_include_the_handwriting_samples(qtbot, shown, small_data):
    draw_narrow_zero(qtbot, shown)
    teach_key(qtbot, shown)
    panel = shown.training_panel
    assert panel.personal_box.text() == "Include my handwriting (1 sample)"
    panel.set_values(FAST_LBFGS)
    panel.personal_box.setChecked(True)
    with qtbot.waitSignal(shown.training_finished, timeout=TIMEOUT_MS) as finished:
        shown.start_training()
    trained = finished.args[0].model
    assert trained.metadata["n_train"] == small_data.X_train.shape[0] + 1
    assert trained.metadata["dataset"] == f"{small_data.name} + 1 of your digits"
    assert shown.personal.base is trained  # the new base, adapted to the samples next
    qtbot.waitUntil(lambda: is_adapted(shown.model), timeout=TIMEOUT_MS)
    assert shown.model.metadata["adapted"]["base_fingerprint"] == engine.model_fingerprint(trained)


def test_with_personal_samples_appends_grey_levels_to_uint8_training_images(small_data):
    grey_levels = np.rint(small_data.X_train[:10] * 255).astype(np.uint8)
    data = replace(small_data, X_train=grey_levels, y_train=small_data.y_train[:10])
    x = small_data.X_test[0]
    samples = engine.PersonalSamples.empty(data.preprocessing_version).add(
        x, 4, np.zeros((engine.DRAWING_SIDE, engine.DRAWING_SIDE), np.uint8)
    )
    out = personal.with_personal_samples(data, samples)
    assert out.X_train.dtype == np.uint8 and out.X_train.shape == (11, engine.N_FEATURES)
    np.testing.assert_array_equal(out.X_train[10], np.rint(x * 255).astype(np.uint8))
    assert out.y_train.tolist() == [*data.y_train.tolist(), 4]
    assert out.X_test is data.X_test


def test_measure_shows_base_and_adapted_accuracy(qtbot, shown):
    draw_narrow_zero(qtbot, shown)
    qtbot.keyClick(shown.canvas, ZERO_KEY)
    teach_key(qtbot, shown, ZERO_KEY)
    view = shown.handwriting_view
    with qtbot.waitSignal(shown.personal.report_ready, timeout=TIMEOUT_MS) as ready:
        view.measure_button.click()
        assert not view.measure_button.isEnabled()  # one measurement at a time
    report = ready.args[0].report
    assert report.n_samples == 2 and report.base_accuracy == 0.0
    assert report.base_test_accuracy is not None
    figures = view.figures.text()
    assert "On your digits it has not seen:</b> 0 of 2 right before teaching" in figures
    assert f"On {shown.dataset.name} (what it learnt first):</b>" in figures
    qtbot.waitUntil(lambda: view.measure_button.isEnabled(), timeout=TIMEOUT_MS)


def test_before_the_dataset_arrives_it_waits_for_it(qtbot, small_data):
    first = open_window(qtbot, small_data)
    draw_narrow_zero(qtbot, first)
    teach_key(qtbot, first)
    first.close()
    w = MainWindow()  # not shown: the bundled MNIST is not loading
    qtbot.addWidget(w)
    assert "waiting for the dataset" in w.statusBar().currentMessage()
    assert not is_adapted(w.model) and not w.personal.is_busy()
    with qtbot.waitSignal(w.model_changed, timeout=TIMEOUT_MS) as changed:
        w.set_dataset(small_data)
    assert is_adapted(changed.args[0])


def kept(report: engine.PersonalReport) -> KeptReport:
    return KeptReport(report, datetime(2026, 12, 7, 1, 30, tzinfo=timezone.utc), "MNIST", "")


@pytest.mark.parametrize(("adapted", "explained"), [(0.25, True), (0.75, False), (None, False)])
def test_figures_explain_fewer_right_after_teaching(adapted, explained):
    report = engine.PersonalReport(
        n_samples=4,
        base_accuracy=0.5,
        adapted_cv_accuracy=adapted,
        base_test_accuracy=0.957,
        adapted_test_accuracy=0.951,
    )
    html = report_html(kept(report), 4)
    assert ("Fewer right after" in html) is explained
    assert "On MNIST (what it learnt first):</b> 95.7% before, 95.1% after" in html
    if adapted is not None:
        assert f"2 of 4 right before teaching, {round(adapted * 4)} of 4 after" in html


@pytest.mark.parametrize(
    ("n_alone", "says"),
    [
        (4, "Too few to tell yet: every digit was taught only once"),
        (1, "1 digit was taught only once"),
        (3, "3 digits were taught only once"),
        (0, None),
    ],
)
def test_figures_say_when_there_are_too_few_samples_to_tell(n_alone, says):
    report = engine.PersonalReport(
        n_samples=4,
        base_accuracy=0.0,
        adapted_cv_accuracy=0.5,
        base_test_accuracy=None,
        adapted_test_accuracy=None,
        n_alone=n_alone,
    )
    html = report_html(kept(report), 6)
    assert "You have 6 now: measure again" in html
    if says is None:
        assert "only once" not in html
    else:
        assert says in html and "at least 2 times" in html
