"""The 0–255 grey scale: the one rounding rule and the conversions both ways."""

from __future__ import annotations

import numpy as np
import pytest

from engine import GREY_MAX, from_grey_levels, to_grey_levels

LEVELS = np.arange(GREY_MAX + 1)


def test_from_grey_levels_gives_float32_features_in_unit_range() -> None:
    X = from_grey_levels(LEVELS.astype(np.uint8))
    assert X.dtype == np.float32
    assert X[0] == 0.0 and X[-1] == 1.0
    assert (np.diff(X) > 0).all()
    # multiplying by one float32 step: what the prepared-image cache and trained models use
    assert np.array_equal(X, LEVELS.astype(np.float32) * np.float32(1 / GREY_MAX))


@pytest.mark.parametrize("dtype", [np.uint8, np.int16, np.int64, np.float32])
def test_every_level_survives_the_round_trip(dtype: type) -> None:
    back = to_grey_levels(from_grey_levels(LEVELS.astype(dtype)))
    assert back.dtype == np.uint8
    assert np.array_equal(back, LEVELS)


def test_to_grey_levels_takes_the_nearest_level() -> None:
    step = 1 / GREY_MAX
    X = np.array([0.4 * step, 0.6 * step, 10.4 * step, 10.6 * step], dtype=np.float32)
    assert to_grey_levels(X).tolist() == [0, 1, 10, 11]


def test_ties_go_to_the_even_level() -> None:
    # level + 0.5 steps, kept only where float32 arithmetic makes them exact ties
    halves = (np.arange(GREY_MAX) + 0.5).astype(np.float32)
    X = halves / np.float32(GREY_MAX)
    exact = X * np.float32(GREY_MAX) == halves
    assert exact.sum() > 10
    got = to_grey_levels(X[exact]).astype(np.int64)
    below = np.floor(halves[exact]).astype(np.int64)
    assert np.array_equal(got, np.where(below % 2 == 0, below, below + 1))


def test_values_outside_the_unit_range_are_clipped_not_wrapped() -> None:
    X = np.array([-0.3, 1.0000001, 1.01, 7.0], dtype=np.float32)
    assert to_grey_levels(X).tolist() == [0, GREY_MAX, GREY_MAX, GREY_MAX]


def test_shape_is_kept_and_inputs_are_not_modified() -> None:
    X = np.linspace(0, 1, 28 * 28, dtype=np.float32).reshape(28, 28)
    before = X.copy()
    levels = to_grey_levels(X)
    assert levels.shape == (28, 28)
    assert np.array_equal(X, before)
    assert from_grey_levels(levels).shape == (28, 28)
