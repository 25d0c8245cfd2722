"""engine.adapt: a drawing the model misread is read as the user's label afterwards, MNIST is
still read about as well, the base model is untouched, the result is reproducible, and every
bad input is a ValueError naming the problem."""

from __future__ import annotations

import copy
from dataclasses import replace

import numpy as np
import pytest

from engine import (
    N_FEATURES,
    AdaptConfig,
    Dataset,
    ReplaySet,
    SoftmaxModel,
    adapt,
    from_grey_levels,
    model_fingerprint,
    prepare_replay,
    preprocess_canvas,
    to_grey_levels,
)

from ..personal_files import page_of
from .conftest import SMALL_REPLAY

#: Test digits searched for ones the shipped model misreads once drawn on the canvas.
SEARCHED = 400
#: Held-out MNIST test digits (the last ones: no sample comes from there).
HELD_OUT = 2000
#: How much held-out MNIST accuracy one adaptation may cost or gain, at most.
MNIST_MOVE = 0.02


#: Adaptation is many small products: one BLAS thread is ~10x faster on a busy machine.
pytestmark = pytest.mark.usefixtures("single_blas_thread")


@pytest.fixture(scope="module")
def app_replay(mnist: Dataset) -> ReplaySet:
    """The replay the app uses: engine.adapt's default, drawn from the whole training set."""
    return prepare_replay(mnist.X_train, mnist.y_train)


@pytest.fixture(scope="module")
def misread(base: SoftmaxModel, mnist_raw: Dataset) -> tuple[np.ndarray, np.ndarray]:
    """Test digits drawn on the canvas page (X as preprocess_canvas makes them, their true
    labels) that the shipped model reads as something else."""
    X = np.stack(
        [
            preprocess_canvas(page_of(image), base.preprocessing_version).ravel()
            for image in mnist_raw.X_test[:SEARCHED]
        ]
    )
    y = mnist_raw.y_test[:SEARCHED]
    wrong = np.flatnonzero(base.predict(X) != y)
    assert wrong.size >= 5, "the shipped model should misread a few of these"
    return X[wrong], y[wrong]


@pytest.fixture(scope="module")
def held_out(mnist: Dataset) -> tuple[np.ndarray, np.ndarray]:
    return mnist.X_test[-HELD_OUT:], mnist.y_test[-HELD_OUT:]


def accuracy(model: SoftmaxModel, X: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean(model.predict(X) == y))


# --- what the user gets -----------------------------------------------------------------------


@pytest.mark.slow
def test_a_misread_drawing_is_read_as_its_correction(base, app_replay, misread, held_out):
    x, label = misread[0][:1], misread[1][:1]
    assert base.predict(x)[0] != label[0]
    adapted = adapt(base, x, label, replay=app_replay)
    assert adapted.predict(x)[0] == label[0]
    assert abs(accuracy(adapted, *held_out) - accuracy(base, *held_out)) < MNIST_MOVE


@pytest.mark.slow
def test_several_corrections_are_all_learnt_and_mnist_barely_moves(
    base, app_replay, misread, held_out
):
    X, y = misread[0][:5], misread[1][:5]
    adapted = adapt(base, X, y, replay=app_replay)
    np.testing.assert_array_equal(adapted.predict(X), y)
    assert adapted.metadata["adapted"]["not_learnt"] == []
    assert abs(accuracy(adapted, *held_out) - accuracy(base, *held_out)) < MNIST_MOVE


def test_the_result_is_a_new_model_that_says_what_it_was_adapted_from(base, replay, misread):
    X, y = misread[0][:3], misread[1][:3]
    adapted = adapt(base, X, y, replay=replay)
    assert adapted.preprocessing_version == base.preprocessing_version
    assert adapted.W.shape == base.W.shape and adapted.W.dtype == np.float32
    assert adapted.b.dtype == np.float32
    info = adapted.metadata["adapted"]
    assert info["n_personal_samples"] == 3
    assert info["base_fingerprint"] == model_fingerprint(base)
    assert info["per_class"] == np.bincount(y, minlength=10).tolist()
    assert adapted.metadata["base"] == base.metadata
    # adapting the adapted model again still names the original base's metadata
    again = adapt(adapted, X, y, replay=replay)
    assert again.metadata["base"] == base.metadata


def test_the_base_model_is_unchanged(base, replay, misread):
    W, b, metadata = base.W.copy(), base.b.copy(), copy.deepcopy(base.metadata)
    adapted = adapt(base, misread[0][:3], misread[1][:3], replay=replay)
    np.testing.assert_array_equal(base.W, W)
    np.testing.assert_array_equal(base.b, b)
    assert base.metadata == metadata
    assert not np.shares_memory(adapted.W, base.W) and not np.shares_memory(adapted.b, base.b)
    assert adapted.metadata is not base.metadata
    assert not np.array_equal(adapted.W, base.W)


def test_the_same_inputs_give_bit_identical_models(base, replay, misread):
    X, y = misread[0][:4], misread[1][:4]
    first, second = adapt(base, X, y, replay=replay), adapt(base, X, y, replay=replay)
    assert first.W.tobytes() == second.W.tobytes()
    assert first.b.tobytes() == second.b.tobytes()
    assert first.metadata == second.metadata


def test_uint8_training_images_are_read_as_grey_levels(base, mnist_small, misread):
    X, y = misread[0][:2], misread[1][:2]
    as_uint8 = to_grey_levels(mnist_small.X_train)
    from_float = adapt(
        base, X, y, replay=(from_grey_levels(as_uint8), mnist_small.y_train), config=SMALL_REPLAY
    )
    from_uint8 = adapt(base, X, y, replay=(as_uint8, mnist_small.y_train), config=SMALL_REPLAY)
    np.testing.assert_allclose(from_uint8.W, from_float.W, atol=1e-6)


def test_a_prepared_replay_gives_the_model_its_pair_gives(base, mnist_small, replay, misread):
    X, y = misread[0][:2], misread[1][:2]
    from_pair = adapt(
        base, X, y, replay=(mnist_small.X_train, mnist_small.y_train), config=SMALL_REPLAY
    )
    assert from_pair.W.tobytes() == adapt(base, X, y, replay=replay).W.tobytes()


def test_replayed_and_guard_images_are_distinct_and_balanced(mnist_small):
    pool = mnist_small.X_train[:600]
    replay = prepare_replay(pool, mnist_small.y_train[:600], SMALL_REPLAY)
    assert replay.y.size == 300 and replay.y_guard.size == 300  # a small set is split
    replayed = {row.tobytes() for row in replay.XT.T}
    assert not replayed & {row.tobytes() for row in replay.X_guard}
    counts = np.bincount(replay.y, minlength=10)
    available = np.bincount(mnist_small.y_train[:600], minlength=10)
    assert counts.max() - counts.min() <= 1 + max(0, 30 - available.min())


def test_the_guard_keeps_held_aside_training_images_unless_a_correction_needs_the_step(
    base, replay, misread
):
    """With no accuracy to spare on the guard images, the adapted model reads at least as many
    of them right as the base, unless a shorter step would drop a correction; the metadata
    says how much of the fitted step was kept and what the guard images lost."""
    X, y = misread[0][:5], misread[1][:5]
    free = adapt(base, X, y, replay=replay, max_drop=1.0)
    strict = adapt(base, X, y, replay=replay, max_drop=0.0)
    guard_right = [
        int(np.sum(m.predict(replay.X_guard) == replay.y_guard)) for m in (base, free, strict)
    ]
    info = strict.metadata["adapted"]
    assert free.metadata["adapted"]["guard_step"] == 1.0
    assert info["guard_step"] == max(info["mnist_guard_step"], info["stick_step"])
    if info["stick_step"] <= info["mnist_guard_step"]:
        assert guard_right[2] >= guard_right[0]
    if guard_right[1] < guard_right[0]:  # the unguarded fit lost some: the guard shortened it
        assert info["mnist_guard_step"] < 1.0
    np.testing.assert_array_equal(strict.predict(X), y)  # shortened, corrections still kept
    n = replay.y_guard.size
    assert info["held_out_images"] == n
    assert info["held_out_base_accuracy"] == pytest.approx(guard_right[0] / n)
    assert info["held_out_accuracy"] == pytest.approx(guard_right[2] / n)


@pytest.mark.parametrize("max_drop", [0.0, 0.002, 0.01])
def test_the_guard_keeps_the_largest_step_within_the_allowed_drop(
    base, mnist_small, misread, max_drop
):
    """Checked by brute force: every step of GUARD_STEPS tried on every guard image."""
    from engine.personal.replay import GUARD_STEPS

    pool = np.rint(mnist_small.X_train * 255).astype(np.uint8)  # as the app keeps it
    replay = prepare_replay(pool, mnist_small.y_train, SMALL_REPLAY)
    assert replay.X_guard.dtype == np.uint8
    X, y = misread[0][:5], misread[1][:5]
    free = adapt(base, X, y, replay=replay, max_drop=1.0)
    guarded = adapt(base, X, y, replay=replay, max_drop=max_drop)
    images = replay.X_guard / np.float32(255)

    def right(step: float) -> int:
        model = replace(  # keeps the base's input map (the shipped model reads edges too)
            base,
            W=base.W + np.float32(step) * (free.W - base.W),
            b=base.b + np.float32(step) * (free.b - base.b),
        )
        return int(np.sum(model.predict(images) == replay.y_guard))

    floor = right(0.0) - int(np.floor(max_drop * replay.y_guard.size + 1e-9))
    expected = next(step for step in GUARD_STEPS if right(step) >= floor)
    assert guarded.metadata["adapted"]["mnist_guard_step"] == expected
    assert right(expected) >= floor


def test_options_and_a_config_give_the_same_model(base, replay, misread):
    X, y = misread[0][:2], misread[1][:2]
    by_options = adapt(base, X, y, replay=replay, pull=0.1, max_iter=5)
    by_config = adapt(base, X, y, replay=replay, config=AdaptConfig(pull=0.1, max_iter=5))
    assert by_options.W.tobytes() == by_config.W.tobytes()
    assert by_options.metadata["adapted"]["settings"]["pull"] == 0.1


def test_a_mapped_models_guard_keeps_only_the_extra_features_and_reads_alike(base, mnist_small):
    # the shipped model reads edges: its guard keeps the replay's images (not a copy) and
    # their edge histograms, never the standardised features (three times the memory),
    # and gives the logits of the standardised features
    from engine.personal.replay import MappedGuard, _guard_logits, mapped_samples

    pool = np.rint(mnist_small.X_train * 255).astype(np.uint8)
    replay = prepare_replay(pool, mnist_small.y_train, SMALL_REPLAY)
    _, mapped = mapped_samples(base.input_map, mnist_small.X_test[:2], replay)
    guard = mapped.X_guard
    assert isinstance(guard, MappedGuard)
    assert np.shares_memory(guard.images, replay.X_guard)
    assert guard.extra.nbytes == replay.y_guard.size * (base.input_map.n_features - 784) * 4
    exact = base.input_map.transform(replay.X_guard) @ base.W + base.b
    logits = _guard_logits(guard, base.W, base.b)
    np.testing.assert_allclose(logits, exact, rtol=1e-4, atol=1e-3)
    assert np.mean(logits.argmax(axis=1) == exact.argmax(axis=1)) >= 0.999


# --- bad input --------------------------------------------------------------------------------


def _x(n: int = 2, value: float = 0.5, width: int = N_FEATURES) -> np.ndarray:
    return np.full((n, width), value, dtype=np.float32)


def _x_with(value: float) -> np.ndarray:
    X = _x()
    X[1, 300] = value
    return X


GOOD_Y = np.array([3, 8])

#: case -> (X, y, keyword arguments, what the message must say)
BAD_INPUTS = {
    "X_wrong_width": (_x(width=N_FEATURES - 1), GOOD_Y, {}, r"X must be \(n, 784\)"),
    "X_1d": (_x()[0], GOOD_Y[:1], {}, r"X must be \(n, 784\), got shape \(784,\)"),
    "X_28x28": (_x(1).reshape(1, 28, 28), GOOD_Y[:1], {}, r"X must be \(n, 784\)"),
    "no_samples": (_x(0), GOOD_Y[:0], {}, "no samples"),
    "X_nan": (_x_with(np.nan), GOOD_Y, {}, "NaN"),
    "X_inf": (_x_with(np.inf), GOOD_Y, {}, "infinite"),
    "X_above_1": (_x_with(1.5), GOOD_Y, {}, r"\[0, 1\]"),
    "X_negative": (_x_with(-0.1), GOOD_Y, {}, r"\[0, 1\]"),
    "X_text": (np.full((2, N_FEATURES), "a"), GOOD_Y, {}, "numeric"),
    "label_minus_1": (_x(), np.array([3, -1]), {}, "labels must be in 0-9, got -1"),
    "label_10": (_x(), np.array([10, 3]), {}, "labels must be in 0-9, got 10"),
    "float_labels": (_x(), np.array([3.0, 8.0]), {}, "integer labels"),
    "y_2d": (_x(), GOOD_Y[:, None], {}, "y must be 1-D"),
    "length_mismatch": (_x(3), GOOD_Y, {}, "X has 3 rows but y has 2 labels"),
    "replay_not_a_pair": (
        _x(),
        GOOD_Y,
        {"replay": np.zeros((4, N_FEATURES))},
        "replay must be a ReplaySet or a pair",
    ),
    "replay_wrong_width": (
        _x(),
        GOOD_Y,
        {"replay": (_x(4, width=100), np.arange(4))},
        "replay: images have 100 pixels but the model reads 784",
    ),
    "replay_bad_label": (
        _x(),
        GOOD_Y,
        {"replay": (_x(2), np.array([0, 10]))},
        "replay: labels must be in 0-9, got 10",
    ),
    "replay_empty": (
        _x(),
        GOOD_Y,
        {"replay": (_x(0), np.zeros(0, np.int64))},
        r"replay: training images must be \(n >= 2, d\), got shape \(0, 784\)",
    ),
    "replay_length_mismatch": (
        _x(),
        GOOD_Y,
        {"replay": (_x(4), np.arange(3))},
        "replay: X has 4 rows but y has 3 labels",
    ),
    "replay_nan": (_x(), GOOD_Y, {"replay": (_x_with(np.nan), GOOD_Y)}, "replay: X contains NaN"),
    "pull_negative": (_x(), GOOD_Y, {"pull": -1}, "pull must be a finite number >= 0"),
    "alpha_nan": (_x(), GOOD_Y, {"alpha": float("nan")}, "alpha must be a finite number"),
    "max_iter_0": (_x(), GOOD_Y, {"max_iter": 0}, "max_iter must be an integer >= 1"),
    "max_iter_float": (_x(), GOOD_Y, {"max_iter": 2.5}, "max_iter must be an integer >= 1"),
    "replay_size_0": (_x(), GOOD_Y, {"replay_size": 0}, "replay_size must be an integer >= 1"),
    "guard_size_negative": (_x(), GOOD_Y, {"guard_size": -1}, "guard_size must be an integer"),
    "max_drop_above_1": (_x(), GOOD_Y, {"max_drop": 2.0}, r"max_drop must be a number in \[0, 1\]"),
    "smoothing_1": (_x(), GOOD_Y, {"smoothing": 1.0}, r"smoothing must be a number in \[0, 1\)"),
    "unknown_option": (_x(), GOOD_Y, {"lr": 0.1}, "unknown adapt option"),
    "config_not_a_config": (
        _x(),
        GOOD_Y,
        {"config": {"alpha": 1}},
        "config must be an AdaptConfig",
    ),
}


@pytest.mark.parametrize("case", BAD_INPUTS)
def test_bad_input_is_a_value_error_naming_the_problem(base, replay, case):
    X, y, kwargs, says = BAD_INPUTS[case]
    kwargs = {"replay": replay, **kwargs}
    with pytest.raises(ValueError, match=says):
        adapt(base, X, y, **kwargs)


@pytest.mark.parametrize("model", ["model.npz", None, {"W": np.zeros((N_FEATURES, 10))}])
def test_something_other_than_a_model_is_refused(replay, model):
    with pytest.raises(ValueError, match="model must be an engine.SoftmaxModel"):
        adapt(model, _x(), GOOD_Y, replay=replay)


def test_labels_beyond_a_smaller_models_classes_are_refused(replay):
    three = SoftmaxModel(W=np.zeros((N_FEATURES, 3), np.float32), b=np.zeros(3, np.float32))
    with pytest.raises(ValueError, match="labels must be in 0-2, got 3"):
        adapt(three, _x(), GOOD_Y, replay=(replay.XT.T, replay.y % 3))


def test_a_replay_for_other_classes_is_refused(replay):
    three = SoftmaxModel(W=np.zeros((N_FEATURES, 3), np.float32), b=np.zeros(3, np.float32))
    with pytest.raises(ValueError, match="replay: labels must be in 0-2"):
        adapt(three, _x(), np.array([0, 2]), replay=replay)
