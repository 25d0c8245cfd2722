"""Other datasets shown as themselves in the window: class names wherever a class appears,
a plain word on what a model reads, the preprocessing choice, and a mismatched model."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

import engine
from engine.data.dataset_kinds import FASHION_MNIST
from softmax_gui.jobs import EVALUATE
from softmax_gui.main_window import MainWindow

from ..idx_files import dataset_arrays, write_idx_folder

TIMEOUT_MS = 60_000
NAMES = FASHION_MNIST.class_names


def fashion_model(model: engine.SoftmaxModel) -> engine.SoftmaxModel:
    """``model``'s weights, recorded as trained on Fashion-MNIST as published."""
    metadata = {
        "dataset": "Fashion-MNIST",
        "class_names": list(NAMES),
        "subject": "clothing images",
        "digits": False,
    }
    return replace(model, preprocessing_version=1, metadata=metadata)


def fashion_data(data: engine.Dataset) -> engine.Dataset:
    """``data`` as a Fashion-MNIST dataset prepared as published (its names, no digits)."""
    return replace(
        data,
        name="Fashion-MNIST",
        class_names=NAMES,
        subject="clothing images",
        digits=False,
        preprocessing_version=1,
    )


def wait_for_evaluation(qtbot, window: MainWindow):
    panel = window.evaluation_panel
    qtbot.waitUntil(
        lambda: (
            not window.jobs.is_running(EVALUATE)
            and not panel.filling
            and panel.evaluation is not None
        ),
        timeout=TIMEOUT_MS,
    )
    return panel


@pytest.fixture
def fashion_window(qtbot, small_data):
    window = MainWindow(dataset=fashion_data(small_data))
    qtbot.addWidget(window)
    window.set_model(fashion_model(window.model), "fashion.npz")
    return window


def test_a_fashion_model_names_its_classes_on_the_draw_tab(fashion_window, small_data):
    w = fashion_window
    view = w.draw_panel.probability_view
    assert view.bars._names == NAMES and "class" in view.bars_title.text()
    assert "reads clothing images" in w.draw_panel.status.text()
    w.draw_panel.show_digit(small_data.X_test[0].reshape(28, 28))
    proba = w.draw_panel.prediction()
    assert proba is not None
    assert view.headline.text() == NAMES[int(np.argmax(proba))]
    assert NAMES[int(np.argmax(proba))] in view.evidence_title.text()


def test_a_test_image_put_on_the_canvas_is_read_as_itself(fashion_window, small_data):
    w = fashion_window
    image = small_data.X_test[3].reshape(28, 28)
    w.draw_panel.show_digit(image)
    np.testing.assert_array_equal(w.draw_panel.model_input(), image)  # not re-prepared
    proba = w.draw_panel.prediction()
    np.testing.assert_allclose(proba, w.model.predict_proba(image.ravel())[0], rtol=1e-5)
    w.canvas.clear()  # once the user changes the canvas, it is read as a drawing again
    assert w.draw_panel.model_input() is None


def test_templates_confusion_matrix_and_gallery_use_the_names(qtbot, fashion_window):
    w = fashion_window
    axis_ticks = w.weights_view._digits._tickLevels[0]
    assert [label for _, label in axis_ticks] == list(NAMES)
    panel = wait_for_evaluation(qtbot, w)
    headers = [panel.table.verticalHeaderItem(k).text() for k in range(10)]
    assert headers == list(NAMES)
    assert panel.table.horizontalHeaderItem(1).text() == "→Trouser"
    item = panel.gallery.item(0)
    true, predicted = item.text().splitlines()[0].split("→")
    assert true in NAMES and predicted in NAMES and true != predicted


def test_an_mnist_model_on_other_data_says_so(qtbot, window, small_data):
    window.set_dataset(replace(fashion_data(small_data), preprocessing_version=3))
    panel = wait_for_evaluation(qtbot, window)
    assert "trained on MNIST + 3 drawn copies, not on Fashion-MNIST" in panel.summary.text()


def test_other_data_prepared_otherwise_than_the_model_expects_says_how_to_evaluate(
    qtbot, window, small_data
):
    window.set_dataset(fashion_data(small_data))  # as published; the shipped model wants 3
    qtbot.waitUntil(
        lambda: "choose that preprocessing" in window.evaluation_panel.summary.text(),
        timeout=TIMEOUT_MS,
    )
    assert "not on Fashion-MNIST" in window.evaluation_panel.summary.text()


def test_an_unknown_folder_loads_as_published_and_offers_the_digit_pipeline(
    qtbot, window, small_data, tmp_path, monkeypatch
):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = write_idx_folder(tmp_path / "shapes", dataset_arrays(small_data, 200, 30), gz=False)
    with qtbot.waitSignal(window.dataset_loaded, timeout=TIMEOUT_MS) as loaded:
        window.load_dataset(folder)
    assert loaded.args[0].preprocessing_version == 1  # not the shipped model's 3
    choice = window.training_panel.preprocessing
    qtbot.waitUntil(lambda: not window.jobs.is_running("load"), timeout=TIMEOUT_MS)
    assert "data: as published (1)" in choice.info.text()
    assert "model expects: digit pipeline (3)" in choice.info.text()
    digit_item = choice.menu.model().item(choice.menu.findData(engine.PREPROCESSING_VERSION))
    assert digit_item.isEnabled()
    with qtbot.waitSignal(window.dataset_loaded, timeout=TIMEOUT_MS) as reloaded:
        choice.menu.setCurrentIndex(choice.menu.findData(engine.PREPROCESSING_VERSION))
        choice.menu.activated.emit(choice.menu.currentIndex())
    assert reloaded.args[0].preprocessing_version == engine.PREPROCESSING_VERSION


def test_the_digit_pipeline_is_not_offered_for_fashion(fashion_window):
    choice = fashion_window.training_panel.preprocessing
    digit_item = choice.menu.model().item(choice.menu.findData(engine.PREPROCESSING_VERSION))
    assert not digit_item.isEnabled()
