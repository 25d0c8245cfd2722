"""Training runs: accuracy, progress records, stopping, closing, divergence, configuration."""

from __future__ import annotations

import math
import threading

import numpy as np
import pytest

from engine import TrainConfig, error_rate, loss_gradient, train
from engine import training as training_module
from engine.model import class_major_loss_gradient, init_weights

from .conftest import Run, drain

MIN_ACCURACY = 0.91
#: Ten classes: a model that guesses is wrong 90% of the time.
CHANCE_ERROR = 0.9
STOP_AFTER = 3
#: Generous bound for closing a generator; a hang, not slowness, is what this catches.
CLOSE_TIMEOUT_S = 60
OPTIMIZERS = ["sgd", "lbfgs"]


def quick_config(optimizer: str, **overrides) -> TrainConfig:
    """A short run with frequent reports on the small dataset."""
    settings = {"optimizer": optimizer, "epochs": 1, "max_iter": 10, "report_every": 4}
    settings.update(overrides)
    return TrainConfig(**settings)


def new_threads(before: set[threading.Thread]) -> list[threading.Thread]:
    """Threads still running that were not running at ``before``."""
    return [t for t in threading.enumerate() if t not in before and t.is_alive()]


# --- accuracy ---------------------------------------------------------------------------------


@pytest.mark.parametrize("run_name", ["sgd_run", "lbfgs_run"])
def test_short_run_reaches_the_reference_accuracy(request, mnist, run_name):
    result = request.getfixturevalue(run_name).result
    assert 1 - result.test_error >= MIN_ACCURACY
    assert not result.diverged
    # The reported error is the model's real error on the test set.
    predictions = result.model.predict(mnist.X_test)
    assert error_rate(mnist.y_test, predictions) == pytest.approx(result.test_error)
    assert result.model.metadata["test_accuracy"] == pytest.approx(1 - result.test_error)
    assert result.model.preprocessing_version == mnist.preprocessing_version


def test_lbfgs_respects_its_iteration_budget(lbfgs_run):
    assert lbfgs_run.result.iterations <= 50


@pytest.mark.parametrize("run_name", ["sgd_run", "lbfgs_run"])
def test_progress_records_describe_the_run(request, run_name):
    run: Run = request.getfixturevalue(run_name)
    records = run.records
    assert len(records) >= 3
    steps = [p.step for p in records]
    elapsed = [p.elapsed for p in records]
    fractions = [p.fraction for p in records]
    assert all(a < b for a, b in zip(steps, steps[1:], strict=False))
    assert all(a <= b for a, b in zip(elapsed, elapsed[1:], strict=False))
    assert all(a <= b for a, b in zip(fractions, fractions[1:], strict=False))
    assert all(0.0 <= f <= 1.0 for f in fractions)
    assert all(math.isfinite(p.cost) for p in records)
    assert all(0.0 <= p.train_error <= 1.0 and 0.0 <= p.test_error <= 1.0 for p in records)
    assert all(p.W is None for p in records)  # no snapshots unless asked for
    assert records[-1].cost < records[0].cost
    assert records[-1].test_error < records[0].test_error
    assert run.result.history == records
    if not run.result.converged:  # ran its whole budget
        assert fractions[-1] == pytest.approx(1.0)


# --- stopping and closing ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("optimizer", "stop_after"),
    [("sgd", STOP_AFTER), ("lbfgs", STOP_AFTER), ("lbfgs", 1),
     ("sgd", 1)],
)
def test_should_stop_ends_the_run_with_a_usable_model(mnist_small, optimizer, stop_after):
    records = []
    gen = train(mnist_small, quick_config(optimizer, epochs=3, max_iter=50),
                should_stop=lambda: len(records) >= stop_after)
    while True:
        try:
            records.append(next(gen))
        except StopIteration as stop:
            result = stop.value
            break
    assert len(records) == stop_after
    assert result.reason == "stopped"
    assert not result.converged and not result.diverged
    model = result.model
    assert model.W.shape == (784, 10) and np.isfinite(model.W).all()
    assert np.isfinite(model.b).all()
    assert result.test_error == pytest.approx(
        error_rate(mnist_small.y_test, model.predict(mnist_small.X_test)))
    if stop_after > 1:  # it learned something before stopping
        assert result.test_error < CHANCE_ERROR - 0.2


@pytest.mark.parametrize("records_before_close", [0, 1, STOP_AFTER])
def test_closing_lbfgs_early_does_not_hang_or_leak_its_thread(mnist_small, records_before_close):
    before = set(threading.enumerate())
    gen = train(mnist_small, quick_config("lbfgs", max_iter=100))
    for _ in range(records_before_close):
        next(gen)
    # Close from a helper thread so that a hang fails this test instead of the whole run.
    closer = threading.Thread(target=gen.close, daemon=True)
    closer.start()
    closer.join(CLOSE_TIMEOUT_S)
    assert not closer.is_alive(), "gen.close() hung"
    assert not new_threads(before)


def test_errors_inside_lbfgs_reach_the_consumer(mnist_small, monkeypatch):
    calls = []

    def failing_loss_gradient(*args, **kwargs):
        calls.append(1)
        if len(calls) > 1:  # the first call may be the initial cost, before the optimiser
            raise RuntimeError("objective failed")
        return class_major_loss_gradient(*args, **kwargs)

    monkeypatch.setattr(training_module, "class_major_loss_gradient", failing_loss_gradient)
    before = set(threading.enumerate())
    with pytest.raises(RuntimeError, match="objective failed"):
        drain(train(mnist_small, quick_config("lbfgs")))
    assert not new_threads(before)


# --- divergence -------------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore:overflow:RuntimeWarning",
                            "ignore:invalid value:RuntimeWarning")
def test_non_finite_sgd_run_ends_as_diverged_with_finite_weights(mnist_small):
    run = drain(train(mnist_small, quick_config("sgd", lr=1e30)))
    result = run.result
    assert result.diverged and not result.converged
    assert "diverged" in result.reason and "learning rate" in result.reason
    assert np.isfinite(result.model.W).all() and np.isfinite(result.model.b).all()
    assert all(math.isfinite(p.cost) for p in run.records)


def test_diverging_run_emits_no_warnings(mnist_small):
    assert drain(train(mnist_small, quick_config("sgd", lr=1e30))).result.diverged


def test_huge_learning_rate_is_reported_as_diverged(mnist_small):
    result = drain(train(mnist_small, quick_config("sgd", lr=1e4))).result
    assert np.isfinite(result.model.W).all()
    assert result.diverged
    assert "diverged" in result.reason


# --- configuration ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [("lr", -0.1), ("lr", 0.0), ("lr", math.nan), ("lr", math.inf), ("momentum", 1.0),
     ("momentum", -0.5), ("momentum", math.nan), ("l2", math.nan), ("l2", -1e-4),
     ("optimizer", "adam"), ("schedule", "exponential"), ("batch_size", 0), ("epochs", 0),
     ("max_iter", -1), ("report_every", 0), ("tol", math.nan), ("tol", -1.0)],
)
def test_invalid_config_raises_value_error_naming_the_field(field, value):
    with pytest.raises(ValueError, match=field):
        TrainConfig(**{field: value})


@pytest.mark.parametrize(("field", "value"), [("epochs", 1.5), ("batch_size", 10.5),
                                              ("max_iter", 2.5)])
def test_non_integer_counts_are_refused(field, value):
    with pytest.raises(ValueError, match=field):
        TrainConfig(**{field: value})


def test_wrong_initial_weights_are_refused(mnist_small):
    W, b = init_weights(np.random.default_rng(0))
    with pytest.raises(ValueError, match="initial weights"):
        next(train(mnist_small, quick_config("sgd"), init=(W[:-1], b)))


# --- snapshots, warm start, augmentation, reproducibility -----------------------------------


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_snapshots_are_independent_copies(mnist_small, optimizer):
    W0, b0 = init_weights(np.random.default_rng(5))
    run = drain(train(mnist_small, quick_config(optimizer, snapshot_weights=True),
                      init=(W0, b0)))
    snapshots = [p.W for p in run.records]
    assert len(snapshots) >= 3
    assert all(W.shape == W0.shape for W in snapshots)
    # SGD updates its weights in place: a snapshot that were a view would have moved on.
    np.testing.assert_array_equal(snapshots[0], W0)
    assert not np.array_equal(snapshots[1], snapshots[0])
    np.testing.assert_array_equal(snapshots[-1], run.result.model.W)
    final = run.result.model.W.copy()
    before = snapshots[1].copy()
    snapshots[0][:] = 0.0  # a consumer scribbling on one snapshot
    np.testing.assert_array_equal(snapshots[1], before)
    np.testing.assert_array_equal(run.result.model.W, final)


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_warm_start_starts_from_the_given_model(mnist_small, trained_model, optimizer):
    W_before = trained_model.W.copy()
    expected = error_rate(mnist_small.y_test, trained_model.predict(mnist_small.X_test))
    config = quick_config(optimizer)
    cost = loss_gradient(trained_model.W, trained_model.b, mnist_small.X_train,
                         mnist_small.y_train, config.l2)[0]
    for init in (trained_model, (trained_model.W, trained_model.b)):
        run = drain(train(mnist_small, config, init=init))
        assert run.records[0].test_error == pytest.approx(expected)
        assert run.records[0].cost == pytest.approx(cost, rel=1e-5)
    np.testing.assert_array_equal(trained_model.W, W_before)  # the given model is untouched


def test_augment_is_applied_to_every_sgd_batch(mnist_small):
    batch_size = 100
    seen = []

    def augment(X, rng):
        seen.append((X.shape, X.dtype, isinstance(rng, np.random.Generator)))
        return np.zeros_like(X)  # erases the images: only the bias can learn

    n_features, n_classes = mnist_small.X_train.shape[1], 10
    zeros = (np.zeros((n_features, n_classes), np.float32), np.zeros(n_classes, np.float32))
    run = drain(train(mnist_small, quick_config("sgd", batch_size=batch_size), init=zeros,
                      augment=augment))
    assert len(seen) == math.ceil(len(mnist_small.y_train) / batch_size)
    assert all(s == ((batch_size, n_features), np.float32, True) for s in seen)
    # The training used the augmented (blank) batches: weights never moved from zero.
    np.testing.assert_array_equal(run.result.model.W, 0.0)
    assert len(np.unique(run.result.model.predict(mnist_small.X_test))) == 1


def test_lbfgs_ignores_augment(mnist_small):
    def augment(X, rng):
        raise AssertionError("augment must not be called for full-batch L-BFGS-B")

    assert not drain(train(mnist_small, quick_config("lbfgs", max_iter=3),
                           augment=augment)).result.diverged


def test_same_seed_gives_the_same_sgd_model(mnist_small):
    first, again, other = (drain(train(mnist_small, quick_config("sgd", seed=seed))).result
                           for seed in (1, 1, 2))
    np.testing.assert_array_equal(first.model.W, again.model.W)
    assert not np.array_equal(first.model.W, other.model.W)
