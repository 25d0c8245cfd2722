"""The Evaluate tab's gallery: every mistake with its probabilities and loss, in the order the
user picks, drawn lazily so thousands of mistakes stay quick."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

import engine
from softmax_gui.checks.evaluation_panel import EvaluationPanel, evaluate
from softmax_gui.checks.gallery import GalleryData
from softmax_gui.jobs import EVALUATE

from .conftest import TIMEOUT_MS


def shown_panel(qtbot, window):
    panel = window.evaluation_panel
    qtbot.waitUntil(
        lambda: (
            not window.jobs.is_running(EVALUATE)
            and panel.evaluation is not None
            and not panel.filling
        ),
        timeout=TIMEOUT_MS,
    )
    return panel


def independent_losses(model, data):
    """-log p(true class) of every test image, from the model's probabilities."""
    proba = model.predict_proba(data.X_test).astype(np.float64)
    return -np.log(proba[np.arange(proba.shape[0]), data.y_test])


@pytest.fixture
def negated(qtbot, window):
    """The window with a model that gets most test digits wrong (far more than 300)."""
    window.set_model(replace(window.model, W=-window.model.W), "negated")
    qtbot.waitUntil(lambda: "negated" in window.evaluation_panel.summary.text(), timeout=TIMEOUT_MS)
    return window


def test_every_mistake_is_shown_worst_loss_first(qtbot, negated, small_data):
    panel = shown_panel(qtbot, negated)
    wrong = np.flatnonzero(small_data.y_test != negated.model.predict(small_data.X_test))
    assert wrong.size > 300  # more than the gallery used to show
    shown = panel.gallery_indices()
    assert sorted(shown) == wrong.tolist()
    losses = independent_losses(negated.model, small_data)
    assert np.all(np.diff(losses[shown]) <= 1e-6)  # worst first
    first = panel.gallery.item(0)
    assert first.text().splitlines()[1] == f"loss {losses[shown[0]]:.3g}"
    assert f"{wrong.size:,} images" in panel.gallery_caption.text()


def test_the_tooltip_gives_every_probability(qtbot, negated, small_data):
    panel = shown_panel(qtbot, negated)
    item = panel.gallery.item(3)
    i = panel.gallery_indices()[3]
    proba = negated.model.predict_proba(small_data.X_test[i])[0]
    tip = item.toolTip()
    for k in range(engine.N_CLASSES):
        assert f"p({k}) = {proba[k]:.3f}" in tip
    assert f"#{i:,}" in tip and "← predicted" in tip and "← true" in tip


@pytest.mark.parametrize("order", ["index", "class"])
def test_the_gallery_can_be_ordered_otherwise(qtbot, negated, small_data, order):
    panel = shown_panel(qtbot, negated)
    before = panel.gallery_indices()
    panel.order.setCurrentIndex(panel.order.findData(order))
    panel = shown_panel(qtbot, negated)
    shown = panel.gallery_indices()
    assert sorted(shown) == sorted(before)
    if order == "index":
        assert shown == sorted(shown)
    else:
        true = small_data.y_test[shown]
        assert np.all(np.diff(true) >= 0)


def test_a_cell_keeps_the_chosen_order(qtbot, negated, small_data):
    panel = shown_panel(qtbot, negated)
    ev = panel.evaluation
    true = 1
    predicted = int(np.argmax(ev.confusion[true] * (np.arange(10) != true)))
    panel.table.cellClicked.emit(true, predicted)
    shown = panel.gallery_indices()
    losses = independent_losses(negated.model, small_data)
    assert len(shown) == ev.confusion[true, predicted]
    assert np.all(np.diff(losses[shown]) <= 1e-6)


def test_thousands_of_mistakes_draw_only_the_thumbnails_on_screen(
    qtbot, mnist, shipped_model, monkeypatch
):
    model = replace(shipped_model, W=-shipped_model.W)
    report = evaluate(model, mnist)
    wrong = int(np.count_nonzero(report.evaluation.y_true != report.evaluation.y_pred))
    assert wrong > 5_000
    drawn = []
    icon = GalleryData.icon
    monkeypatch.setattr(GalleryData, "icon", lambda self, i: drawn.append(i) or icon(self, i))
    panel = EvaluationPanel()
    qtbot.addWidget(panel)
    panel.resize(1000, 700)
    panel.show()
    panel.show_evaluation(report, mnist.X_test, "negated")
    qtbot.waitUntil(lambda: not panel.filling, timeout=TIMEOUT_MS)
    panel.grab()  # paints what is on screen
    assert panel.gallery.count() == wrong
    assert 0 < len(set(drawn)) < 500  # the visible ones, not thousands
