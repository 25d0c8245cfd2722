"""Models with an input map in the app: they open, read the canvas, show their templates with
edge glyphs and say what cannot be pictured, split the Draw tab's evidence by the kind of
input, evaluate, adapt and explain a step; a pixel model looks as before."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

import engine
from engine.features import CELL, DIRECTIONS, N_EDGE_FEATURES
from softmax_gui import MainWindow
from softmax_gui.step.source import Source
from softmax_gui.train.edge_glyphs import CELLS, ray_segments
from softmax_gui.train.weights_view import WeightsView, mosaic

from .conftest import TIMEOUT_MS
from .test_canvas import draw_stroke
from .test_draw_panel import DIGIT_STROKES

#: A short L-BFGS-B run: enough for a model that reads digits, fast on 2,000 images.
QUICK = engine.TrainConfig(optimizer="lbfgs", max_iter=40)
#: Few random features: the map's parts, not its accuracy, are what these tests look at.
N_RANDOM = 50


def quick_model(data: engine.Dataset, input_map: str | engine.InputMap) -> engine.SoftmaxModel:
    """A model of ``input_map``: a map a run offers by its name, any other map (random
    features) trained on its features and wrapped."""
    if isinstance(input_map, str):
        return engine.run_to_end(engine.train(data, replace(QUICK, inputs=input_map))).model
    fitted = engine.fit_input_map(input_map, data.X_train)
    result = engine.run_to_end(engine.train(engine.map_dataset(data, fitted), QUICK))
    return engine.with_input_map(result.model, fitted)


@pytest.fixture(scope="module")
def edges_model(small_data) -> engine.SoftmaxModel:
    return quick_model(small_data, "edges")


@pytest.fixture(scope="module")
def richest_model(small_data) -> engine.SoftmaxModel:
    return quick_model(small_data, engine.make_input_map("edges+random", n_random=N_RANDOM))


def use(qtbot, window: MainWindow, model: engine.SoftmaxModel) -> MainWindow:
    """Make ``model`` the window's model and wait for its evaluation."""
    with qtbot.waitSignal(window.evaluation_shown, timeout=TIMEOUT_MS):
        window.set_model(model, "mapped")
    return window


def draw_seven(qtbot, window: MainWindow) -> np.ndarray:
    """Draw a 7 on the canvas; the 28×28 input the model read."""
    window.tabs.setCurrentWidget(window.draw_panel)
    with qtbot.waitSignal(window.draw_panel.prediction_changed, timeout=TIMEOUT_MS):
        for stroke in DIGIT_STROKES[7]:
            draw_stroke(window.canvas, stroke)
    x = window.draw_panel.model_input()
    assert x is not None
    return x


def test_a_mapped_model_opens_from_a_file_and_reads_the_canvas(
    qtbot, window, edges_model, small_data, tmp_path
):
    path = tmp_path / "edges.npz"
    engine.save_model(edges_model, path)
    with qtbot.waitSignal(window.evaluation_shown, timeout=TIMEOUT_MS) as shown:
        assert window.open_model(path)
    assert window.model.input_map.name == "edges"
    # evaluated on the test images through its own map
    np.testing.assert_array_equal(shown.args[0].y_pred, edges_model.predict(small_data.X_test))
    x = draw_seven(qtbot, window)
    np.testing.assert_allclose(
        window.draw_panel.prediction(), edges_model.predict_proba(x.ravel())[0], rtol=1e-5
    )
    assert int(np.argmax(window.draw_panel.prediction())) == 7


def test_the_draw_tab_splits_the_score_by_kind_of_input(qtbot, window, richest_model):
    use(qtbot, window, richest_model)
    x = draw_seven(qtbot, window)
    view = window.draw_panel.probability_view
    view.set_evidence_class(3)  # any class, not only the top one
    assert view.evidence_parts.isVisibleTo(view) and view.parts_title.isVisibleTo(view)
    rows = dict(view.evidence_parts.rows())
    assert list(rows) == [
        "pixels",
        "edge directions",
        "random features",
        "offset (bias)",
        "= score",
    ]
    parts = richest_model.evidence_by_part(x.ravel(), 3)
    assert rows["random features"] == pytest.approx(parts["random"])
    # the parts add up to the class's score: its logit
    logit = float(richest_model.logits(x.ravel())[0, 3])
    assert rows["= score"] == pytest.approx(logit, abs=1e-3)
    assert "Evidence for 3" in view.evidence_title.text()


def test_templates_show_the_pixels_the_edge_glyphs_and_what_cannot_be_pictured(
    qtbot, window, richest_model
):
    use(qtbot, window, richest_model)
    window.show()
    weights = window.weights_view
    weights.flush()
    pixels = richest_model.W[: engine.N_FEATURES]
    np.testing.assert_array_equal(weights.image.image, mosaic(pixels))
    assert weights.showing_glyphs() and weights.glyphs.n_rays() > 0
    assert weights.note.isVisible()
    note = weights.note.text()
    assert f"{N_EDGE_FEATURES} edge-direction" in note
    assert f"{N_RANDOM} random features: their weights cannot be pictured" in note


def test_live_weights_of_a_known_map_keep_their_glyphs_and_unknown_parts_are_named(
    qtbot, edges_model
):
    view = WeightsView()
    qtbot.addWidget(view)
    W = edges_model.W
    view.set_weights(W)  # a run's weights before any model of its map was shown
    view.flush()
    assert not view.showing_glyphs()
    assert f"Plus {N_EDGE_FEATURES} other features: not pictured" in view.note.text()
    view.set_weights(W, edges_model.input_map)
    view.flush()
    assert view.showing_glyphs()
    view.set_weights(-W)  # live weights of the same map: the glyphs follow them
    view.flush()
    assert view.showing_glyphs()
    edges = dict(edges_model.input_map.parts)["edges"]
    np.testing.assert_array_equal(view.glyphs.getData()[0], ray_segments(-W[edges])[0])
    with pytest.raises(ValueError, match="1176 rows"):
        view.set_weights(W, engine.InputMap())  # the pixel map has 784 features


def test_an_edge_glyph_ray_starts_at_its_cell_and_points_its_direction():
    W = np.zeros((N_EDGE_FEATURES, engine.N_CLASSES))
    W[:, 5] = -1.0  # votes against: no rays
    row, column, right, down = 2, 3, 0, DIRECTIONS // 4
    W[(row * CELLS + column) * DIRECTIONS + right, 4] = 1.0
    W[(row * CELLS + column) * DIRECTIONS + down, 4] = 0.5
    x, y = ray_segments(W)
    assert len(x) == 4  # two rays, (start, end) each
    centre = (4 * engine.MNIST_SIDE + column * CELL + CELL / 2, row * CELL + CELL / 2)
    starts = set(zip(x[0::2], y[0::2], strict=True))
    assert starts == {centre}
    ends = np.stack([x[1::2] - centre[0], y[1::2] - centre[1]], axis=1)
    lengths = np.hypot(*ends.T)
    assert lengths.max() <= CELL / 2  # inside its own cell
    directions = {
        (round(dx / n, 6), round(dy / n, 6)): n for (dx, dy), n in zip(ends, lengths, strict=True)
    }
    assert set(directions) == {(1.0, 0.0), (0.0, 1.0)}  # right, and down the image
    assert directions[(1.0, 0.0)] > directions[(0.0, 1.0)]  # the stronger vote, the longer


def test_the_step_tab_explains_a_mapped_model_on_its_features(qtbot, window, edges_model):
    use(qtbot, window, edges_model)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    tab = window.step_tab
    window.tabs.setCurrentWidget(tab)
    tab.picker.set_source(Source.TEST_IMAGE)
    step = tab.step
    assert step is not None
    assert step.inputs.shape == (1, edges_model.n_features)  # x is the map's features
    assert "1,176 features" in tab.view.input_text.text()
    note = tab.view.gradient.note.text()
    assert tab.view.gradient.note.isVisible() and "392 edge-direction features" in note
    tab.take_step()
    assert step.loss_after < step.loss
    with qtbot.waitSignal(window.model_changed, timeout=TIMEOUT_MS):
        tab.apply()
    assert window.model.input_map is edges_model.input_map
    assert window.model.W.shape == edges_model.W.shape


def test_teaching_adapts_a_mapped_model(qtbot, window, edges_model):
    use(qtbot, window, edges_model)
    window.show()
    draw_seven(qtbot, window)
    with qtbot.waitSignal(window.model_changed, timeout=TIMEOUT_MS) as changed:
        window.draw_panel.teach_requested.emit(1)
    adapted = changed.args[0]
    assert "adapted" in adapted.metadata
    assert adapted.input_map.name == "edges"


def test_a_pixel_model_looks_as_before(qtbot, window):
    window.show()
    assert window.model.input_map.is_identity
    weights = window.weights_view
    weights.flush()
    np.testing.assert_array_equal(weights.image.image, mosaic(window.model.W))
    assert not weights.showing_glyphs() and not weights.note.isVisible()
    draw_seven(qtbot, window)
    view = window.draw_panel.probability_view
    assert not view.evidence_parts.isVisibleTo(view) and not view.parts_title.isVisibleTo(view)
    window.tabs.setCurrentWidget(window.step_tab)
    window.step_tab.picker.set_source(Source.TEST_IMAGE)
    assert "784 numbers" in window.step_tab.view.input_text.text()
    assert not window.step_tab.view.gradient.note.isVisible()
