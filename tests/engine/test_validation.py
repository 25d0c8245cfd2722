"""Bad training data is refused where it enters the engine, with an error naming the problem."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from engine import Dataset, TrainConfig, run_to_end, train
from engine.data.validation import (
    check_label,
    check_samples,
    check_test_set,
    is_integer,
    is_number,
)

N, D = 40, 6


def tiny(**changes) -> dict:
    """The fields of a small valid two-class dataset, with ``changes`` applied."""
    rng = np.random.default_rng(0)
    y = np.arange(N) % 2
    X = (rng.random((N, D)) * 0.5 + y[:, None] * 0.5).astype(np.float32)
    fields = {"X_train": X, "y_train": y, "X_test": X[:10].copy(), "y_test": y[:10].copy()}
    fields.update(changes)
    return fields


def with_nan() -> np.ndarray:
    X = tiny()["X_train"].copy()
    X[7, 3] = np.nan
    return X


BAD = {
    "negative label": ({"y_train": np.r_[-1, np.arange(1, N) % 2]}, r"y_train.*negative label"),
    "length mismatch": ({"y_train": np.arange(N - 1) % 2}, r"y_train has 39 labels for 40"),
    "NaN pixel": ({"X_train": with_nan()}, r"X_train contains NaN.*row 7"),
    "infinite test pixel": (
        {"X_test": np.full((10, D), np.inf, dtype=np.float32)},
        r"X_test contains NaN or infinity",
    ),
    "empty training set": (
        {"X_train": np.zeros((0, D), np.float32), "y_train": np.zeros(0, int)},
        r"X_train is empty",
    ),
    "no features": (
        {"X_train": np.zeros((N, 0), np.float32)},
        r"X_train has no features",
    ),
    "single class": ({"y_train": np.zeros(N, int)}, r"single class"),
    "float64 images": (
        {"X_train": tiny()["X_train"].astype(np.float64)},
        r"X_train must hold float32.*float64",
    ),
    "float labels": ({"y_train": (np.arange(N) % 2).astype(float)}, r"y_train.*integer"),
    "1-D images": ({"X_train": np.zeros(N, np.float32)}, r"X_train must be 2-D"),
    "2-D labels": ({"y_train": (np.arange(N) % 2)[:, None]}, r"y_train must be 1-D"),
    "a list, not an array": ({"y_train": list(np.arange(N) % 2)}, r"y_train must be a NumPy"),
    "test features differ": (
        {"X_test": np.zeros((10, D + 1), np.float32)},
        r"X_test has 7 features but X_train has 6",
    ),
    "validation half given": ({"X_val": np.zeros((3, D), np.float32)}, r"X_val and y_val"),
}


@pytest.mark.parametrize("changes, message", BAD.values(), ids=BAD.keys())
def test_bad_data_is_refused_with_a_message_naming_it(changes, message):
    with pytest.raises(ValueError, match=message):
        Dataset(**tiny(**changes))


def test_data_made_bad_by_replace_is_refused_too():
    data = Dataset(**tiny())
    with pytest.raises(ValueError, match="negative label"):
        replace(data, y_test=np.full(10, -1))


def test_train_refuses_what_is_not_a_dataset():
    with pytest.raises(ValueError, match="engine.Dataset"):
        next(train(tiny(), TrainConfig()))


@pytest.mark.parametrize("optimizer", ["lbfgs", "sgd"])
def test_a_two_class_problem_gives_a_two_class_model(optimizer):
    data = Dataset(**tiny(), name="two classes", image_shape=(2, 3))
    result = run_to_end(
        train(data, TrainConfig(optimizer=optimizer, max_iter=20, epochs=20, batch_size=10))
    )
    proba = result.model.predict_proba(data.X_test)
    assert proba.shape == (10, 2)
    assert result.test_error < 0.5


def test_a_dataset_without_a_test_set_trains_and_says_it_was_not_tested():
    fields = tiny(X_test=np.zeros((0, D), np.float32), y_test=np.zeros(0, int))
    result = run_to_end(train(Dataset(**fields), TrainConfig(max_iter=5)))
    assert np.isnan(result.test_error)
    assert result.model.metadata["test_error"] is None
    assert result.train_error < 0.5


# --- the shared scalar and sample checks (personal samples, adapt, the run history) -------
@pytest.mark.parametrize(
    ("value", "number", "integer"),
    [
        (3, True, True),
        (np.int64(3), True, True),
        (2.5, True, False),
        (np.float32(2.5), True, False),
        (True, False, False),
        (np.bool_(True), False, False),
        ("3", False, False),
        (None, False, False),
    ],
)
def test_numbers_and_integers_exclude_bools_and_strings(value, number, integer):
    assert is_number(value) is number
    assert is_integer(value) is integer


@pytest.mark.parametrize("label", [10, -1, True, 2.5, "3", None])
def test_a_label_outside_the_classes_quotes_the_range_and_the_value(label):
    with pytest.raises(ValueError, match=f"label must be an integer in 0-9, got {label!r}"):
        check_label(label)


def test_a_label_inside_the_classes_comes_back_as_an_int():
    assert check_label(np.int16(9)) == 9 and type(check_label(np.int16(9))) is int
    assert check_label(2, n_classes=3) == 2


@pytest.mark.parametrize(
    ("X", "y", "says"),
    [
        (np.zeros((2, 5)), [0, 1], r"X must be \(n, 4\), got shape \(2, 5\)"),
        (np.full((2, 4), 1.5), [0, 1], "X values must be in"),
        (np.zeros((2, 4)), [0, 10], "labels must be in 0-9, got 10"),
        (np.zeros((2, 4)), [0.0, 1.0], "y must hold integer labels, got dtype float64"),
        (np.zeros((3, 4)), [0, 1], "X has 3 rows but y has 2 labels"),
    ],
)
def test_bad_samples_are_refused_naming_expected_and_got(X, y, says):
    with pytest.raises(ValueError, match=says):
        check_samples(X, np.asarray(y), 4, what="samples")


def test_good_samples_come_back_as_float32_and_int64():
    X, y = check_samples(np.ones((2, 4), dtype=np.float64), np.array([3, 4], np.int8), 4)
    assert X.dtype == np.float32 and X.flags.c_contiguous and y.dtype == np.int64


def test_a_test_set_is_both_arrays_or_neither():
    assert check_test_set(None, None, 4) is None
    with pytest.raises(ValueError, match="give both X_test and y_test, or neither"):
        check_test_set(np.zeros((2, 4)), None, 4)
    with pytest.raises(ValueError, match=r"y_test must be \(2,\) to match X_test"):
        check_test_set(np.zeros((2, 4)), np.zeros(3), 4)
