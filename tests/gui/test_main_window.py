"""The window's scriptable surface, models, evaluation, gradient check, settings, shortcuts."""

from __future__ import annotations

import threading
from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

import engine
from softmax_gui import MainWindow
from softmax_gui.checks import evaluation_panel
from softmax_gui.checks.gradcheck_panel import CURRENT_MODEL, MEANING_COLUMN, REL_ERROR_COLUMN
from softmax_gui.jobs import EVALUATE
from softmax_gui.settings import KEY_PEN_WIDTH, open_settings
from softmax_gui.train.controls import DEFAULTS

from ..idx_files import dataset_arrays, write_idx_folder
from .conftest import SMALL_TEST, TIMEOUT_MS

#: Gallery items a pass adds in the test of a click while it fills (fewer than the mistakes).
SMALL_CHUNK = 40


def shown_evaluation(qtbot, window):
    """The evaluation on show once the background evaluation (and its gallery) are done."""
    panel = window.evaluation_panel
    qtbot.waitUntil(
        lambda: not window.jobs.is_running(EVALUATE) and not panel.filling, timeout=TIMEOUT_MS
    )
    return panel.evaluation


def test_builds_with_no_arguments_and_loads_the_shipped_model(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    assert w.model is not None
    assert w.canvas is w.draw_panel.canvas
    assert w.dataset is None  # loading starts only once the window is shown


def test_prediction_changed_is_re_emitted(qtbot, window):
    proba = np.full(engine.N_CLASSES, 0.1)
    with qtbot.waitSignal(window.prediction_changed) as emitted:
        window.draw_panel.prediction_changed.emit(proba)
    assert emitted.args[0] is proba


@pytest.mark.slow  # decompresses and prepares all 70,000 MNIST images (an empty cache)
def test_dataset_loads_in_the_background_after_show(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    w = MainWindow()
    qtbot.addWidget(w)
    with qtbot.waitSignal(w.dataset_loaded, timeout=TIMEOUT_MS) as loaded:
        w.show()
        assert w.busy.isVisible()  # a busy indicator while the UI stays live
        assert not w.training_panel.start_action.isEnabled()
    assert loaded.args[0].X_test.shape[0] == 10_000
    assert not w.busy.isVisible()
    assert w.training_panel.start_action.isEnabled()
    assert shown_evaluation(qtbot, w).confusion.sum() == 10_000


def test_an_idx_folder_loads_in_the_background(qtbot, window, small_data, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = tmp_path / "my-digits"
    write_idx_folder(folder, dataset_arrays(small_data, 300, 40), gz=False)
    # an unknown folder is prepared as published unless the user chooses the digit pipeline
    window.training_panel.preprocessing.set_choice(window.model.preprocessing_version)
    with qtbot.waitSignal(window.dataset_loaded, timeout=TIMEOUT_MS) as loaded:
        window.load_dataset(folder)
    data = loaded.args[0]
    assert (data.name, data.X_train.shape[0], data.X_test.shape[0]) == ("my-digits", 300, 40)
    assert "my-digits: 300 training / 40 test" in window.training_panel.dataset_label.text()
    assert shown_evaluation(qtbot, window).confusion.sum() == 40


def other_version(version: int) -> int:
    return next(v for v in sorted(engine.SUPPORTED_PREPROCESSING_VERSIONS) if v != version)


def test_a_model_expecting_other_preprocessing_reloads_the_dataset(
    qtbot, window, small_data, tmp_path, monkeypatch
):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(engine.data.datasets, "recognise", lambda *_: engine.DatasetKind("digits"))
    folder = tmp_path / "digits"
    write_idx_folder(folder, dataset_arrays(small_data, 300, 40), gz=False)
    with qtbot.waitSignal(window.dataset_loaded, timeout=TIMEOUT_MS):
        window.load_dataset(folder)
    wanted = other_version(window.dataset.preprocessing_version)
    path = tmp_path / "other.npz"
    engine.save_model(replace(window.model, preprocessing_version=wanted), path)
    with qtbot.waitSignal(window.dataset_loaded, timeout=TIMEOUT_MS) as reloaded:
        assert window.open_model(path)
    assert reloaded.args[0].preprocessing_version == wanted
    assert reloaded.args[0].X_test.shape[0] == 40  # the same folder, prepared anew
    assert shown_evaluation(qtbot, window).confusion.sum() == 40


def test_a_model_expecting_other_preprocessing_is_not_evaluated_on_wrong_images(window, tmp_path):
    wanted = other_version(window.dataset.preprocessing_version)  # the injected subset
    path = tmp_path / "other.npz"
    engine.save_model(replace(window.model, preprocessing_version=wanted), path)
    assert window.open_model(path)
    assert window.evaluation_panel.evaluation is None
    assert "preprocessing version" in window.evaluation_panel.summary.text()


def test_save_and_open_model_round_trip(window, tmp_path):
    path = tmp_path / "model.npz"
    assert window.save_model(path)
    original = window.model
    assert window.open_model(path)
    assert window.model is not original
    np.testing.assert_array_equal(window.model.W, original.W)
    np.testing.assert_array_equal(window.model.b, original.b)
    assert "model.npz" in window.model_label.text()


def test_an_unreadable_image_on_the_draw_tab_shows_one_error(window, tmp_path, shown_errors):
    path = tmp_path / "digit.png"
    path.write_bytes(b"not an image")
    assert not window.draw_panel.open_image(path)
    assert len(shown_errors) == 1 and shown_errors[0][0] == "Drawing"


def test_evaluation_confusion_matrix_counts_every_test_image(qtbot, window, small_data):
    evaluation = shown_evaluation(qtbot, window)
    assert evaluation.confusion.sum() == SMALL_TEST
    table = window.evaluation_panel.table
    shown_total = sum(
        int(table.item(r, c).text().replace(",", ""))
        for r in range(engine.N_CLASSES)
        for c in range(engine.N_CLASSES)
    )
    assert shown_total == SMALL_TEST
    wrong = int(np.count_nonzero(evaluation.y_true != evaluation.y_pred))
    gallery = window.evaluation_panel.gallery
    assert gallery.count() == wrong  # the misclassified digits (fewer than the cap)
    true, predicted = np.unravel_index(
        np.argmax(evaluation.confusion * (1 - np.eye(10))), evaluation.confusion.shape
    )
    window.evaluation_panel.table.cellClicked.emit(int(true), int(predicted))
    shown_evaluation(qtbot, window)
    assert gallery.count() == evaluation.confusion[true, predicted]
    assert gallery.item(0).text().splitlines()[0] == f"{true}→{predicted}"


def test_clicking_a_gallery_digit_puts_it_on_the_canvas(qtbot, window):
    shown_evaluation(qtbot, window)
    gallery = window.evaluation_panel.gallery
    with qtbot.waitSignal(
        window.prediction_changed, timeout=TIMEOUT_MS, check_params_cb=lambda p: p is not None
    ):
        gallery.itemClicked.emit(gallery.item(0))
    assert window.tabs.currentWidget() is window.draw_panel


def test_the_evaluation_runs_off_the_gui_thread_and_then_shows(
    qtbot, window, small_data, monkeypatch
):
    import softmax_gui.window_jobs as window_jobs

    threads = []

    def recording_evaluate(model, data):
        threads.append(threading.current_thread())
        return evaluate(model, data)

    evaluate = window_jobs.evaluate
    monkeypatch.setattr(window_jobs, "evaluate", recording_evaluate)
    model = replace(window.model, W=-window.model.W)  # other predictions than the shipped one
    with qtbot.waitSignal(window.evaluation_shown, timeout=TIMEOUT_MS) as shown:
        window.set_model(model, "negated")
        assert "evaluating" in window.evaluation_panel.summary.text()
    assert threads and threading.main_thread() not in threads
    np.testing.assert_array_equal(shown.args[0].y_pred, model.predict(small_data.X_test))
    assert f"{shown.args[0].error:.2%}" in window.evaluation_panel.summary.text()
    assert f"test error {shown.args[0].error:.2%}" in window.training_panel.model_info.text()


def test_only_the_latest_model_is_evaluated_when_models_change_quickly(qtbot, window, small_data):
    first = replace(window.model, W=-window.model.W)
    second = replace(window.model, W=window.model.W[:, ::-1].copy())
    window.set_model(first, "first")
    window.set_model(second, "second")  # while the first evaluation still runs
    evaluation = shown_evaluation(qtbot, window)
    np.testing.assert_array_equal(evaluation.y_pred, second.predict(small_data.X_test))
    assert "second" in window.evaluation_panel.summary.text()


def test_a_cell_clicked_while_the_gallery_fills_shows_only_that_cell(
    qtbot, window, small_data, monkeypatch
):
    # a model that gets most digits wrong: more misclassified images than one pass adds
    window.set_model(replace(window.model, W=-window.model.W), "negated")
    shown_evaluation(qtbot, window)
    panel = window.evaluation_panel
    monkeypatch.setattr(evaluation_panel, "GALLERY_CHUNK", SMALL_CHUNK)
    panel.show_evaluation(panel.report, small_data.X_test, "again")
    assert panel.filling and panel.gallery.count() == SMALL_CHUNK  # the rest comes later
    evaluation = panel.evaluation
    true, predicted = 1, int(evaluation.y_pred[evaluation.y_true == 1][0])
    panel.table.cellClicked.emit(true, predicted)
    shown_evaluation(qtbot, window)
    expected = int(evaluation.confusion[true, predicted])
    assert panel.gallery.count() == expected
    labels = {panel.gallery.item(k).text().splitlines()[0] for k in range(expected)}
    assert labels == {f"{true}→{predicted}"}


def test_a_failing_evaluation_shows_one_error_and_the_next_model_is_evaluated(
    qtbot, window, small_data, monkeypatch, shown_errors
):
    import softmax_gui.window_jobs as window_jobs

    shown_evaluation(qtbot, window)
    evaluate = window_jobs.evaluate

    def failing(model, data):
        raise ValueError("broken evaluation")

    monkeypatch.setattr(window_jobs, "evaluate", failing)
    window.set_model(replace(window.model, W=-window.model.W), "negated")
    qtbot.waitUntil(lambda: len(shown_errors) > 0, timeout=TIMEOUT_MS)
    assert shown_errors == [("Evaluation failed", "broken evaluation")]
    assert window.evaluation_panel.evaluation is None
    assert "failed" in window.evaluation_panel.summary.text()
    monkeypatch.setattr(window_jobs, "evaluate", evaluate)
    window.set_model(window.model, "again")
    evaluation = shown_evaluation(qtbot, window)
    np.testing.assert_array_equal(evaluation.y_pred, window.model.predict(small_data.X_test))


def test_gradient_check_panel_shows_a_passing_verdict(qtbot, window):
    panel = window.gradcheck_panel
    panel.n_checks.setValue(40)
    with qtbot.waitSignal(window.gradcheck_finished, timeout=TIMEOUT_MS) as finished:
        panel.run_action.trigger()
    assert finished.args[0].passed and not finished.args[0].at_model
    assert panel.verdict.text() == "PASS at a random point"
    assert panel.table.rowCount() == 40
    assert float(panel.max_error.text()) <= engine.DEFAULT_THRESHOLD
    assert panel.run_action.isEnabled()


def test_gradient_check_at_the_current_model_uses_its_weights(qtbot, window, small_data):
    panel = window.gradcheck_panel
    panel.n_images.setValue(50)
    panel.n_checks.setValue(20)
    panel.point.setCurrentIndex(panel.point.findData(CURRENT_MODEL))
    with qtbot.waitSignal(window.gradcheck_finished, timeout=TIMEOUT_MS) as finished:
        panel.run_action.trigger()
    result = finished.args[0]
    assert result.at_model and panel.verdict.text() == "PASS at the current model"
    model = window.model
    W, b = model.W.astype(np.float64), model.b.astype(np.float64)
    X = small_data.X_test[:50].astype(np.float64)
    _, dW, db = engine.loss_gradient(W, b, X, small_data.y_test[:50], 0.0)
    np.testing.assert_allclose(result.analytic[: engine.N_CLASSES], db, rtol=1e-9)


def test_gradient_check_table_says_which_pixel_and_class_in_one_number_format(qtbot, window):
    panel = window.gradcheck_panel
    panel.n_checks.setValue(30)
    with qtbot.waitSignal(window.gradcheck_finished, timeout=TIMEOUT_MS) as finished:
        panel.run_action.trigger()
    result = finished.args[0]
    rows = {panel.table.item(r, 0).text(): r for r in range(panel.table.rowCount())}
    name = next(p for p in result.parameter if p.startswith("W["))
    i, j = (int(v) for v in name[2:-1].split(","))
    row = rows[name]
    assert panel.table.item(row, MEANING_COLUMN).text() == (
        f"pixel {i} = row {i // 28}, column {i % 28}; class {j}"
    )
    k = result.parameter.index(name)
    for column, value in ((2, result.analytic[k]), (3, result.numeric[k])):
        text = panel.table.item(row, column).text()
        assert "e" in text and float(text) == pytest.approx(value, rel=1e-3)
    # the scatter's axes write their ticks the same way, never scaled by "(x0.001)"
    axis = panel.scatter_plot.getAxis("bottom")
    assert axis.tickStrings([0.0, 1e-4, 2e-4], 1.0, 1e-4) == ["0", "1.0e-04", "2.0e-04"]
    assert not axis.autoSIPrefix
    # sorted by the relative error, worst first, by value rather than by text
    errors = [panel.table.item(r, REL_ERROR_COLUMN).value for r in range(len(rows))]
    assert errors == sorted(errors, reverse=True)


def test_hyper_parameters_and_pen_width_persist(qtbot, small_data, isolated_settings):
    first = MainWindow(dataset=small_data)
    qtbot.addWidget(first)
    first.training_panel.set_values({"optimizer": "sgd", "lr": 0.05, "seed": 7})
    first.draw_panel.set_pen_width(31)
    first.close()
    assert open_settings(isolated_settings).value(KEY_PEN_WIDTH, type=int) == 31
    second = MainWindow(dataset=small_data)
    qtbot.addWidget(second)
    values = second.training_panel.values()
    assert (values["optimizer"], values["lr"], values["seed"]) == ("sgd", 0.05, 7)
    assert second.draw_panel.pen_width() == 31


def test_reset_restores_default_hyper_parameters(window):
    window.training_panel.set_values({"optimizer": "sgd", "lr": 0.01, "epochs": 42})
    window.training_panel.reset_action.trigger()
    assert window.training_panel.values() == DEFAULTS


def test_export_plots_writes_a_png(qtbot, window, tmp_path):
    with qtbot.waitSignal(window.training_finished, timeout=TIMEOUT_MS):
        window.training_panel.set_values({"optimizer": "lbfgs", "max_iter": 2})
        window.start_training()
    path = tmp_path / "plots.png"
    assert window.export_plots(path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_keyboard_shortcuts_switch_tabs(qtbot, window):
    window.show()
    with qtbot.waitActive(window):
        window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.evaluation_panel
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentIndex() == 0


def test_the_title_does_not_repeat_the_apps_name(qtbot, window, qapp):
    name = qapp.applicationDisplayName()
    qapp.setApplicationDisplayName("Softmax GUI")
    try:
        assert "Softmax GUI" not in window.windowTitle()  # the platform appends it
        assert "MNIST" in window.windowTitle()
    finally:
        qapp.setApplicationDisplayName(name)


def test_window_level_shortcuts_follow_the_platform(window):
    from PySide6.QtGui import QKeySequence

    keys = {action.text(): action.shortcut() for action in window.menuBar().findChildren(QAction)}
    assert keys["&Open model…"] == QKeySequence(QKeySequence.StandardKey.Open)
    assert keys["&Save model…"] == QKeySequence(QKeySequence.StandardKey.Save)
    assert keys["&Quit"] == QKeySequence(QKeySequence.StandardKey.Quit)
    ctrl_p = QKeySequence("Ctrl+P")  # Print, everywhere
    assert [text for text, key in keys.items() if key == ctrl_p and "Print" not in text] == []


def test_the_window_follows_a_dark_palette(qtbot, window, qapp):
    from PySide6.QtGui import QColor, QPalette

    before = qapp.palette()
    dark = QPalette(QColor("#202020"))  # what a dark colour scheme hands the app
    try:
        qapp.setPalette(dark)
        qapp.processEvents()  # the palette change reaches the widgets as events
        for widget in (window, window.statusBar(), window.menuBar(), window.notice_label):
            assert widget.palette().color(QPalette.ColorRole.Window).lightness() < 60
            assert widget.styleSheet() == ""  # nothing pinned to a light colour
        assert window.model_label.palette().color(QPalette.ColorRole.WindowText).lightness() > 150
    finally:
        qapp.setPalette(before)
        qapp.processEvents()
