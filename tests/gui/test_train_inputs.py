"""The Inputs choice of the Train tab: choosing "pixels + edge directions" trains a model that
reads its images through the edge map, and that model then reads what is drawn on the canvas."""

from __future__ import annotations

import numpy as np
import pytest

from softmax_gui import MainWindow

from ..conftest import PIXEL_MODEL_PATH
from .conftest import TIMEOUT_MS
from .test_mapped_models import draw_seven

#: Enough L-BFGS-B iterations for a model that reads a clear 7, few enough to be quick.
ITERATIONS = 30


@pytest.fixture
def small_window(qtbot, mnist_small) -> MainWindow:
    """A window on the first 2,000 / 1,000 MNIST images, reading with a pixel model."""
    window = MainWindow(dataset=mnist_small, model_path=PIXEL_MODEL_PATH)
    qtbot.addWidget(window)
    return window


def test_choosing_edges_trains_a_model_that_reads_the_canvas(qtbot, small_window):
    window = small_window
    assert window.model.input_map.name == "pixels"
    menu = window.training_panel.inputs
    menu.setCurrentIndex(menu.findData("edges"))  # what picking it in the menu does
    window.training_panel.set_values({"optimizer": "lbfgs", "max_iter": ITERATIONS})
    with qtbot.waitSignal(window.training_finished, timeout=TIMEOUT_MS) as finished:
        window.start_training()
    model = finished.args[0].model
    assert model.input_map.name == "edges"
    assert model.n_features > 784  # the pixels and the edge directions
    assert window.model is model

    x = draw_seven(qtbot, window)
    shown = window.draw_panel.prediction()
    np.testing.assert_allclose(shown, model.predict_proba(x.ravel())[0], rtol=1e-5)
    assert int(np.argmax(shown)) == 7
