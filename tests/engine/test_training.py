"""Training runs: accuracy, progress records, stopping, closing, divergence, configuration."""

from __future__ import annotations

import math
import re
import threading
import tracemalloc
from dataclasses import replace

import numpy as np
import pytest
from threadpoolctl import ThreadpoolController

import engine
from engine import (
    Dataset,
    StopReason,
    TrainConfig,
    error_rate,
    loss_gradient,
    run_to_end,
    train,
)
from engine.data.datasets import to_features
from engine.model import class_major_loss_gradient, init_weights
from engine.training import whitened

from .conftest import Run, drain

MIN_ACCURACY = 0.91
#: Ten classes: a model that guesses is wrong 90% of the time.
CHANCE_ERROR = 0.9
STOP_AFTER = 3
#: Generous bound for closing a generator; a hang, not slowness, is what this catches.
CLOSE_TIMEOUT_S = 60
OPTIMIZERS = list(engine.OPTIMIZERS)
#: L-BFGS-B may add at most this share of the float32 training set's size while it runs: its
#: uint8 pixel-major copy is a quarter of it, a float32 copy alone would be nine tenths.
MAX_LBFGS_EXTRA_SHARE = 0.5


def as_levels(data: Dataset) -> Dataset:
    """``data`` with its training images as uint8 grey levels, as the app keeps them."""
    return replace(data, X_train=np.rint(data.X_train * 255).astype(np.uint8))


def quick_config(optimizer: str, **overrides) -> TrainConfig:
    """A short run with frequent reports on the small dataset."""
    settings = {"optimizer": optimizer, "epochs": 1, "max_iter": 10, "report_every": 4}
    settings.update(overrides)
    return TrainConfig(**settings)


def new_threads(before: set[threading.Thread]) -> list[threading.Thread]:
    """Threads still running that were not running at ``before``."""
    return [t for t in threading.enumerate() if t not in before and t.is_alive()]


# --- accuracy ---------------------------------------------------------------------------------


@pytest.mark.slow
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


@pytest.mark.slow
def test_lbfgs_respects_its_iteration_budget(lbfgs_run):
    assert lbfgs_run.result.iterations <= 50


def test_a_failing_progress_callback_ends_the_run_and_its_threads(mnist_small):
    # e.g. Ctrl-C while the CLI draws its progress bar: nothing may keep running
    before = threading.active_count()
    gen = train(mnist_small, TrainConfig(optimizer="lbfgs", max_iter=50))

    def fail(progress) -> None:
        if progress.step >= 2:  # the solver thread is running by then
            raise RuntimeError("callback failed")

    with pytest.raises(RuntimeError, match="callback failed"):
        run_to_end(gen, fail)
    assert gen.gi_frame is None  # the generator was closed
    assert threading.active_count() == before  # L-BFGS-B's solver thread has ended


@pytest.mark.slow
def test_a_full_sgd_run_takes_its_planned_steps(mnist, sgd_run):
    # the GUI sizes the plots' x axis from this before the run starts
    config = TrainConfig(optimizer="sgd", epochs=2, seed=0)
    assert sgd_run.result.iterations == config.planned_steps(mnist.X_train.shape[0])
    assert sgd_run.records[-1].fraction == 1.0
    assert TrainConfig(optimizer="lbfgs").planned_steps(1000) is None


@pytest.mark.slow
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
    if run.result.stop_reason is StopReason.MAX_ITERATIONS:  # ran its whole budget
        assert fractions[-1] == pytest.approx(1.0)


# --- stopping and closing ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("optimizer", "stop_after"),
    [("sgd", STOP_AFTER), ("lbfgs", STOP_AFTER), ("lbfgs", 1), ("sgd", 1)],
)
def test_should_stop_ends_the_run_with_a_usable_model(mnist_small, optimizer, stop_after):
    records = []
    gen = train(
        mnist_small,
        quick_config(optimizer, epochs=3, max_iter=50),
        should_stop=lambda: len(records) >= stop_after,
    )
    result = run_to_end(gen, records.append)
    assert len(records) == stop_after
    assert result.stop_reason is StopReason.STOPPED and result.reason == "stopped"
    assert not result.converged and not result.diverged
    assert result.iterations == records[-1].step  # it ends at the iterate it showed last
    model = result.model
    assert model.W.shape == (784, 10) and np.isfinite(model.W).all()
    assert np.isfinite(model.b).all()
    assert result.test_error == pytest.approx(
        error_rate(mnist_small.y_test, model.predict(mnist_small.X_test))
    )
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

    monkeypatch.setattr(whitened, "class_major_loss_gradient", failing_loss_gradient)
    before = set(threading.enumerate())
    with pytest.raises(RuntimeError, match="objective failed"):
        drain(train(mnist_small, quick_config("lbfgs")))
    assert not new_threads(before)


# --- divergence -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lr", "why"),
    [(1e4, StopReason.DIVERGED), (1e30, StopReason.NON_FINITE)],
    ids=["huge", "overflowing"],
)
def test_diverging_sgd_run_ends_as_diverged_with_finite_weights_and_no_warnings(
    mnist_small, lr, why
):
    # the suite turns warnings into errors: a run that overflowed would fail here
    run = drain(train(mnist_small, quick_config("sgd", lr=lr)))
    result = run.result
    assert result.stop_reason is why
    assert result.diverged and not result.converged
    assert "diverged" in result.reason and "learning rate" in result.reason
    assert np.isfinite(result.model.W).all() and np.isfinite(result.model.b).all()
    assert all(math.isfinite(p.cost) for p in run.records)


def test_a_non_finite_lbfgs_cost_ends_the_run_with_the_last_iterates_weights(
    mnist_small, monkeypatch
):
    calls = []

    def poisoned_loss_gradient(*args, **kwargs):
        loss, dW, db, wrong = class_major_loss_gradient(*args, **kwargs)
        calls.append(1)
        return (math.nan if len(calls) > 20 else loss), dW, db, wrong

    monkeypatch.setattr(whitened, "class_major_loss_gradient", poisoned_loss_gradient)
    run = drain(train(mnist_small, quick_config("lbfgs", max_iter=50, snapshot_weights=True)))
    result = run.result
    assert result.stop_reason is StopReason.NON_FINITE and result.diverged
    assert "diverged" in result.reason and 1 <= result.iterations < 50
    assert np.isfinite(result.model.W).all() and np.isfinite(result.model.b).all()
    assert result.iterations == run.records[-1].step
    np.testing.assert_array_equal(result.model.W, run.records[-1].W)


# --- why a run ended ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("optimizer", "budget", "message"),
    [("lbfgs", {"max_iter": 3}, "reached 3 iterations"), ("sgd", {"epochs": 1}, "reached 1 epoch")],
)
def test_a_run_that_uses_its_budget_ends_at_max_iterations(mnist_small, optimizer, budget, message):
    result = drain(train(mnist_small, quick_config(optimizer, **budget))).result
    assert result.stop_reason is StopReason.MAX_ITERATIONS and result.reason == message
    assert not result.converged and not result.diverged
    assert result.model.metadata["stop_reason"] == "max iterations"


def test_lbfgs_converges_within_its_budget_with_a_loose_tolerance(mnist_small):
    result = drain(train(mnist_small, quick_config("lbfgs", max_iter=200, tol=1e-3))).result
    assert result.stop_reason is StopReason.CONVERGED and result.converged
    assert result.iterations < 200


def test_sgds_early_stop_says_by_how_little_the_cost_fell(mnist_small):
    # every epoch after the first falls by less than this tolerance
    result = drain(train(mnist_small, quick_config("sgd", epochs=5, tol=10.0))).result
    assert result.stop_reason is StopReason.NO_IMPROVEMENT and not result.converged
    per_epoch = math.ceil(len(mnist_small.y_train) / TrainConfig().batch_size)
    assert result.iterations == 2 * per_epoch  # stopped after epoch 2 of 5
    assert result.reason.startswith("stopped early: the mean training cost fell by ")
    assert "in epoch 2" in result.reason and "tol=10" in result.reason


def test_sgds_early_stop_says_when_the_cost_rose(mnist_small):
    # blank images from the second epoch on: the cost goes back up to where it started
    batches = []
    per_epoch = math.ceil(len(mnist_small.y_train) / TrainConfig().batch_size)

    def blank_after_one_epoch(X, rng):
        batches.append(1)
        return X if len(batches) <= per_epoch else np.zeros_like(X)

    result = drain(
        train(mnist_small, quick_config("sgd", epochs=5), augment=blank_after_one_epoch)
    ).result
    assert result.stop_reason is StopReason.NO_IMPROVEMENT
    before, after = (float(x) for x in re.findall(r"from (\S+) to (\S+) in", result.reason)[0])
    assert result.reason.startswith("stopped early: the mean training cost rose from ")
    assert after > before and "in epoch 2" in result.reason


def test_sgds_last_epoch_ends_at_its_budget_whatever_its_cost(mnist_small):
    result = drain(train(mnist_small, quick_config("sgd", epochs=2, tol=10.0))).result
    assert result.stop_reason is StopReason.MAX_ITERATIONS and result.reason == "reached 2 epochs"


# --- configuration ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("lr", -0.1),
        ("lr", 0.0),
        ("lr", math.nan),
        ("lr", math.inf),
        ("momentum", 1.0),
        ("momentum", -0.5),
        ("momentum", math.nan),
        ("l2", math.nan),
        ("l2", -1e-4),
        ("optimizer", "adam"),
        ("schedule", "exponential"),
        ("batch_size", 0),
        ("epochs", 0),
        ("max_iter", -1),
        ("report_every", 0),
        ("tol", math.nan),
        ("tol", -1.0),
    ],
)
def test_invalid_config_raises_value_error_naming_the_field(field, value):
    with pytest.raises(ValueError, match=field):
        TrainConfig(**{field: value})


@pytest.mark.parametrize(
    ("field", "value"), [("epochs", 1.5), ("batch_size", 10.5), ("max_iter", 2.5)]
)
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
    run = drain(train(mnist_small, quick_config(optimizer, snapshot_weights=True), init=(W0, b0)))
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


@pytest.mark.slow
@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_warm_start_starts_from_the_given_model(mnist_small, trained_model, optimizer):
    W_before = trained_model.W.copy()
    expected = error_rate(mnist_small.y_test, trained_model.predict(mnist_small.X_test))
    config = quick_config(optimizer)
    cost = loss_gradient(
        trained_model.W, trained_model.b, mnist_small.X_train, mnist_small.y_train, config.l2
    )[0]
    for init in (trained_model, (trained_model.W, trained_model.b)):
        run = drain(train(mnist_small, config, init=init))
        assert run.records[0].test_error == pytest.approx(expected)
        assert run.records[0].cost == pytest.approx(cost, rel=1e-5)
    np.testing.assert_array_equal(trained_model.W, W_before)  # the given model is untouched


@pytest.mark.parametrize("levels", [False, True], ids=["float32", "uint8"])
def test_augment_is_applied_to_every_sgd_batch(mnist_small, levels):
    data = as_levels(mnist_small) if levels else mnist_small
    batch_size = 100
    seen = []

    def augment(X, rng):
        seen.append((X.shape, X.dtype, isinstance(rng, np.random.Generator)))
        return np.zeros_like(X)  # erases the images: only the bias can learn

    n_features, n_classes = data.X_train.shape[1], 10
    zeros = (np.zeros((n_features, n_classes), np.float32), np.zeros(n_classes, np.float32))
    run = drain(
        train(data, quick_config("sgd", batch_size=batch_size), init=zeros, augment=augment)
    )
    assert len(seen) == math.ceil(len(data.y_train) / batch_size)
    assert all(s == ((batch_size, n_features), np.float32, True) for s in seen)
    # The training used the augmented (blank) batches: weights never moved from zero.
    np.testing.assert_array_equal(run.result.model.W, 0.0)
    assert len(np.unique(run.result.model.predict(mnist_small.X_test))) == 1


def test_lbfgs_ignores_augment(mnist_small):
    def augment(X, rng):
        raise AssertionError("augment must not be called for full-batch L-BFGS-B")

    assert not drain(
        train(mnist_small, quick_config("lbfgs", max_iter=3), augment=augment)
    ).result.diverged


def test_same_seed_gives_the_same_sgd_model(mnist_small):
    first, again, other = (
        drain(train(mnist_small, quick_config("sgd", seed=seed))).result for seed in (1, 1, 2)
    )
    np.testing.assert_array_equal(first.model.W, again.model.W)
    assert not np.array_equal(first.model.W, other.model.W)


# --- memory: uint8 training images, L-BFGS-B's chunked full-batch pass ------------------------


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_uint8_training_images_train_exactly_like_their_float_features(mnist_small, optimizer):
    config = quick_config(optimizer)
    floats = drain(train(mnist_small, config))
    levels = drain(train(as_levels(mnist_small), config))
    np.testing.assert_array_equal(levels.result.model.W, floats.result.model.W)
    np.testing.assert_array_equal(levels.result.model.b, floats.result.model.b)
    assert [p.cost for p in levels.records] == [p.cost for p in floats.records]
    assert levels.result.train_error == floats.result.train_error


def off_grid(data: Dataset) -> Dataset:
    """Training images that are not whole 1/255 steps (as after a user's own scaling)."""
    return replace(data, X_train=data.X_train * np.float32(0.7))


@pytest.mark.parametrize("chunk", [whitened.LBFGS_CHUNK, 384])
@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize(
    "make", [lambda d: d, as_levels, off_grid], ids=["float32", "uint8", "float32_off_grid"]
)
def test_lbfgs_full_batch_pass_equals_one_loss_gradient(
    mnist_small, monkeypatch, chunk, threads, make
):
    monkeypatch.setattr(whitened, "LBFGS_CHUNK", chunk)
    monkeypatch.setattr(whitened, "LBFGS_THREADS", threads)
    data = make(mnist_small)
    X = to_features(data.X_train) if data.X_train.dtype == np.uint8 else data.X_train
    problem = whitened.WhitenedProblem(data.X_train, data.y_train, 10, 1e-4, ThreadpoolController())
    W, b = init_weights(np.random.default_rng(3))
    W_active = W[problem.active]
    try:
        loss, dW, db, n_wrong = problem._data_term(W_active, b)
    finally:
        problem.close()
    n = X.shape[0]
    expected = class_major_loss_gradient(
        W_active, b, X[:, problem.active].T, data.y_train, np.arange(n)
    )
    assert loss == pytest.approx(expected[0], rel=1e-6)
    np.testing.assert_allclose(dW, expected[1], rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(db, expected[2], rtol=1e-4, atol=1e-6)
    assert n_wrong == expected[3]
    assert dW.dtype == db.dtype == np.float32


@pytest.mark.slow
def test_lbfgs_adds_far_less_memory_than_a_copy_of_the_training_set(mnist):
    import scipy.optimize  # noqa: F401  (its first import would count ~20 MB of objects)

    tracemalloc.start()
    try:
        drain(train(mnist, TrainConfig(optimizer="lbfgs", max_iter=2)))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak <= MAX_LBFGS_EXTRA_SHARE * mnist.X_train.nbytes, (
        f"L-BFGS-B peaked at {peak / 2**20:.0f} MiB above the data "
        f"({mnist.X_train.nbytes / 2**20:.0f} MiB of float32 training images)"
    )


def blas_threads() -> dict[str, int]:
    return {lib["filepath"]: lib["num_threads"] for lib in ThreadpoolController().info()}


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_training_leaves_blas_thread_counts_as_they_were(mnist_small, optimizer):
    # a limit ended in the wrong order once left NumPy on one BLAS thread for good
    import scipy.optimize  # noqa: F401  (its own BLAS, loaded by the first L-BFGS-B run)

    before = blas_threads()
    drain(train(mnist_small, quick_config(optimizer)))
    assert blas_threads() == before
