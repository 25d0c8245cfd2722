"""The Train tab's views: the weight strip shows the ten templates, the live plots keep
every curve in view while their axes stay still between "nice" ranges, and the form fits
its column."""

from __future__ import annotations

import math
from itertools import pairwise

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QScrollArea

import engine
from engine import MNIST_SIDE, N_CLASSES
from softmax_gui import MainWindow
from softmax_gui.train.plot_data import NICE_STEPS, nice_ceil, nice_floor
from softmax_gui.train.plot_style import RUN_COLOURS
from softmax_gui.train.plots import MAX_HISTORY, TrainingPlots
from softmax_gui.train.weights_view import LEVEL_PERCENTILE, LEVEL_TOLERANCE, WeightsView


@pytest.fixture
def weights(qtbot) -> WeightsView:
    view = WeightsView()
    qtbot.addWidget(view)
    return view


def random_weights(seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=(MNIST_SIDE * MNIST_SIDE, N_CLASSES))


def test_the_weight_strip_shows_the_ten_templates_in_order(weights):
    W = random_weights()
    weights.set_weights(W)
    weights.flush()
    shown = weights.image.image
    assert shown.shape == (MNIST_SIDE, N_CLASSES * MNIST_SIDE)
    for k in range(N_CLASSES):
        template = shown[:, k * MNIST_SIDE : (k + 1) * MNIST_SIDE]
        np.testing.assert_array_equal(template, W[:, k].reshape(MNIST_SIDE, MNIST_SIDE))


def test_the_colour_bar_is_symmetric_and_moves_only_when_the_scale_changes(weights):
    W = random_weights()
    weights.set_weights(W)
    weights.flush()
    low, high = weights.colorbar.levels()
    assert low == -high
    assert high == pytest.approx(np.percentile(np.abs(W), LEVEL_PERCENTILE))
    assert tuple(weights.image.getLevels()) == (low, high)  # the image uses the bar's levels
    weights.set_weights(W * (1 + LEVEL_TOLERANCE / 2))  # a small drift: the bar stays
    weights.flush()
    assert weights.colorbar.levels() == (low, high)
    weights.set_weights(W * 3)
    weights.flush()
    assert weights.colorbar.levels()[1] == pytest.approx(3 * high)


def test_weights_of_the_wrong_shape_are_refused(weights):
    with pytest.raises(ValueError, match=r"\(784, 10\)"):
        weights.set_weights(np.zeros((10, 784)))


@pytest.mark.parametrize("value", [1e-4, 0.0123, 0.27, 1.0, 2.3, 7.99, 101.0, 599.0, 6e4])
def test_nice_bounds_bracket_the_value_closely(value):
    low, high = nice_floor(value), nice_ceil(value)
    assert low <= value <= high
    assert high <= value * max(b / a for a, b in pairwise(NICE_STEPS))
    for bound in (low, high):
        mantissa = bound / 10.0 ** math.floor(math.log10(bound) + 1e-9)
        assert any(math.isclose(mantissa, m) for m in NICE_STEPS)


def record(k: int) -> engine.Progress:
    return engine.Progress(
        step=k,
        epoch=k / 10,
        cost=2.0 / (1 + 0.1 * k),
        train_error=0.9 / (1 + 0.2 * k),
        test_error=0.9 / (1 + 0.15 * k),
        elapsed=k / 5,
        evaluations=k,
        fraction=k / 100,
    )


def view_ranges(plots: TrainingPlots) -> list[list[list[float]]]:
    plots.grab()  # paint, which settles auto-range
    return [plot.getViewBox().viewRange() for plot in (plots.cost_plot, plots.error_plot)]


def assert_inside(values, view_range, log: bool) -> None:
    values = np.log10(values) if log else np.asarray(values)
    assert view_range[0] <= values.min() and values.max() <= view_range[1]


@pytest.mark.parametrize("log", [True, False])
def test_curves_stay_in_view_and_axes_stay_still_between_nice_ranges(qtbot, log):
    plots = TrainingPlots()
    qtbot.addWidget(plots)
    plots.resize(800, 600)
    plots.log_y.setChecked(log)
    plots.start_run("run")
    records = [record(k) for k in range(1, 26)]
    for r in records:
        plots.add_progress(r)
    plots.finish_run()
    (cost_x, cost_y), (error_x, error_y) = view_ranges(plots)
    steps = [r.step for r in records]
    assert_inside(steps, cost_x, log=False)
    assert_inside(steps, error_x, log=False)
    assert_inside([r.cost for r in records], cost_y, log)
    assert_inside([100 * e for r in records for e in (r.train_error, r.test_error)], error_y, log)
    # one more record inside the nice extent of the data so far changes no axis
    last = records[-1]
    inside = engine.Progress(
        step=last.step + 1,
        epoch=last.epoch,
        cost=last.cost,
        train_error=last.train_error,
        test_error=last.test_error,
        elapsed=last.elapsed,
        evaluations=last.evaluations,
        fraction=last.fraction,
    )
    assert inside.step <= nice_ceil(last.step)
    before = view_ranges(plots)
    plots.add_progress(inside)
    plots.finish_run()
    assert view_ranges(plots) == before


def test_a_run_of_known_length_spans_the_x_axis_from_its_first_record(qtbot):
    # SGD knows its length: the x axis shows the whole run at once and never re-ranges
    plots = TrainingPlots()
    qtbot.addWidget(plots)
    plots.resize(800, 600)
    planned = 200
    plots.start_run("sgd", planned={"step": planned, "epoch": planned / 10})
    plots.add_progress(record(1))
    plots.flush()
    first = view_ranges(plots)
    assert first[0][0][1] >= planned and first[1][0][1] >= planned
    for k in range(2, planned + 1, 7):
        plots.add_progress(record(k))
        plots.flush()
        assert [x for x, _ in view_ranges(plots)] == [x for x, _ in first]
    plots.x_axis.setCurrentIndex(plots.x_axis.findData("epoch"))
    (x, _), _ = view_ranges(plots)
    assert x[1] >= planned / 10


def visible_history_costs(plots: TrainingPlots) -> list[list[float]]:
    """The cost values of the faint (earlier-run) curves on show."""
    current = {plots.cost_curve, plots.train_curve, plots.test_curve}
    return sorted(
        list(item.getOriginalDataset()[1])
        for item in plots.cost_plot.listDataItems()
        if item not in current and item.isVisible()
    )


def test_the_legend_lists_the_current_run_after_at_most_max_history_earlier_ones(qtbot):
    plots = TrainingPlots()
    qtbot.addWidget(plots)
    n_runs = MAX_HISTORY + 2
    costs = {}  # label -> the run's cost values
    for number in range(1, n_runs + 1):
        label = f"run {number}"
        plots.start_run(label)
        costs[label] = []
        for k in range(1, 4):
            r = record(k + number)
            plots.add_progress(r)
            costs[label].append(r.cost)
        plots.finish_run()
    labels = [f"run {k}" for k in range(1, n_runs + 1)]
    earlier = labels[-MAX_HISTORY - 1 : -1]  # the most recent earlier runs, oldest first
    assert plots.history_labels() == earlier
    assert plots.legend_labels() == [labels[-1], *reversed(earlier)]
    assert visible_history_costs(plots) == sorted(costs[label] for label in earlier)
    # each legend row shows its own run's curve: the faint colour of that run
    rows = plots._legend.items
    for (sample, _), label in zip(rows[1:], reversed(earlier), strict=True):
        number = int(label.split()[1])
        colour = sample.item.opts["pen"].color()
        assert colour.name() == RUN_COLOURS[(number - 1) % len(RUN_COLOURS)].lower()
        assert colour.alpha() < 255
        assert list(sample.item.getOriginalDataset()[1]) == costs[label]
    assert rows[0][0].item is plots.cost_curve
    plots.clear_history()
    assert plots.history_labels() == []
    assert plots.legend_labels() == [labels[-1]]
    assert visible_history_costs(plots) == []
    plots.start_run("after clearing")  # the last run is history again, alone
    assert plots.legend_labels() == ["after clearing", labels[-1]]
    assert visible_history_costs(plots) == [costs[labels[-1]]]


def test_earlier_runs_draw_dashed_train_and_solid_test_errors(qtbot):
    plots = TrainingPlots()
    qtbot.addWidget(plots)
    for label in ("first", "second"):
        plots.start_run(label)
        plots.add_progress(record(1))
        plots.finish_run()
    current = {plots.train_curve, plots.test_curve}
    faint = [
        item
        for item in plots.error_plot.listDataItems()
        if item not in current and item.isVisible()
    ]
    styles = {item.opts["pen"].style() for item in faint}
    assert len(faint) == 2 and styles == {Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine}
    assert plots.train_curve.opts["pen"].style() == Qt.PenStyle.DashLine


def test_the_training_form_fits_its_column_without_a_horizontal_scroll_bar(qtbot):
    """At the window's default size, and as short as it goes (the form may then scroll up
    and down), with either optimizer's fields, every control of the form is in view across:
    nothing to scroll sideways to."""
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    column = next(
        area for area in window.findChildren(QScrollArea) if area.widget() is window.training_panel
    )
    qtbot.waitUntil(lambda: column.viewport().width() > 0)
    assert not column.horizontalScrollBar().isVisible()
    window.resize(window.minimumSizeHint().width(), 300)  # below its minimum: as small as it goes
    qtbot.waitUntil(lambda: window.height() < window.sizeHint().height())
    for optimizer in engine.OPTIMIZERS:
        window.training_panel.set_values({"optimizer": optimizer})
        QApplication.processEvents()
        assert not column.horizontalScrollBar().isVisible()
        assert column.viewport().width() >= window.training_panel.minimumSizeHint().width()
