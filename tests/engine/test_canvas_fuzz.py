"""Canvas fuzzing: whatever a person draws (or a caller passes), the shipped model gives finite
probabilities that sum to 1, or None for an empty page; never NaN, never an exception.

hypothesis is not a dependency, so the cases come from seeded NumPy randomness.
"""

from __future__ import annotations

import numpy as np
import pytest

from engine import (
    N_CLASSES,
    SUPPORTED_PREPROCESSING_VERSIONS,
    preprocess_canvas,
)

#: The app's drawing page is this many pixels on a side.
PAGE = 280
N_RANDOM_DRAWINGS = 300
SEED = 20_251_125
#: Faintest stroke drawn (0-255): clearly above the preprocessing's ink threshold (~26).
MIN_INK = 40
#: Probabilities are float32: their sum is 1 to within a few float32 steps.
SUM_TOLERANCE = 1e-5


def predict(model, canvas: np.ndarray, version: int | None = None) -> np.ndarray | None:
    """What the app does with a canvas: preprocess, then predict (None for an empty page)."""
    version = model.preprocessing_version if version is None else version
    x = preprocess_canvas(canvas, version=version)
    if x is None:
        return None
    assert x.shape == (28, 28) and x.dtype == np.float32
    assert np.isfinite(x).all() and x.min() >= 0 and x.max() <= 1
    return model.predict_proba(x.ravel())[0]


def assert_valid_proba(proba: np.ndarray | None) -> None:
    assert proba is not None
    assert proba.shape == (N_CLASSES,)
    assert np.isfinite(proba).all()
    assert (proba >= 0).all()
    assert abs(float(proba.sum()) - 1.0) < SUM_TOLERANCE


def random_strokes(rng: np.random.Generator, side: int) -> np.ndarray:
    """A uint8 canvas with a few random polyline strokes of random width and intensity."""
    canvas = np.zeros((side, side), dtype=np.uint8)
    rows, cols = np.mgrid[0:side, 0:side]
    for _ in range(int(rng.integers(1, 5))):
        points = rng.uniform(0, side, size=(int(rng.integers(2, 7)), 2))
        radius = rng.uniform(0.5, side / 8)
        ink = int(rng.integers(MIN_INK, 256))
        for (r0, c0), (r1, c1) in zip(points[:-1], points[1:], strict=True):
            for t in np.linspace(0.0, 1.0, 12):
                r, c = r0 + t * (r1 - r0), c0 + t * (c1 - c0)
                disc = (rows - r) ** 2 + (cols - c) ** 2 <= radius**2
                canvas[disc] = np.maximum(canvas[disc], ink)
    return canvas


def test_random_strokes_give_probabilities(shipped_model):
    rng = np.random.default_rng(SEED)
    for _ in range(N_RANDOM_DRAWINGS):
        side = int(rng.choice([28, 64, PAGE]))
        canvas = random_strokes(rng, side)
        if rng.random() < 0.5:  # the same drawing as a float canvas in [0, 1]
            canvas = canvas.astype(np.float64) / 255
        # every stroke is at least MIN_INK bright, above the ink threshold: never "empty"
        assert_valid_proba(predict(shipped_model, canvas))


def test_random_noise_canvases_of_every_dtype(shipped_model):
    rng = np.random.default_rng(SEED + 1)
    for dtype in (np.uint8, np.uint16, np.int32, np.int64, np.float16, np.float32, np.float64):
        for _ in range(20):
            shape = tuple(int(s) for s in rng.integers(1, 120, size=2))
            if np.dtype(dtype).kind == "f":
                canvas = (rng.random(shape) * rng.random()).astype(dtype)
            else:
                canvas = rng.integers(0, 256, size=shape).astype(dtype)
            proba = predict(shipped_model, canvas)
            if proba is not None:
                assert_valid_proba(proba)


@pytest.mark.parametrize("version", sorted(SUPPORTED_PREPROCESSING_VERSIONS))
def test_random_strokes_under_every_preprocessing_version(shipped_model, version):
    rng = np.random.default_rng(SEED + version)
    for _ in range(30):
        proba = predict(shipped_model, random_strokes(rng, 96), version)
        if proba is not None:
            assert_valid_proba(proba)


@pytest.mark.parametrize("dtype", [np.uint8, np.float32, np.float64])
@pytest.mark.parametrize("side", [1, 2, 3, 28, PAGE])
def test_a_single_dot_gives_probabilities(shipped_model, side, dtype):
    canvas = np.zeros((side, side), dtype=dtype)
    canvas[side // 2, side // 2] = 255 if dtype == np.uint8 else 1.0
    assert_valid_proba(predict(shipped_model, canvas))


@pytest.mark.parametrize("dtype", [np.uint8, np.float32, np.float64])
@pytest.mark.parametrize("shape", [(1, 1), (1, PAGE), (PAGE, 1), (PAGE, PAGE), (4000, 4000)])
def test_an_all_black_canvas_is_nothing_drawn(shipped_model, shape, dtype):
    assert predict(shipped_model, np.zeros(shape, dtype=dtype)) is None


@pytest.mark.parametrize("dtype", [np.uint8, np.float32, np.float64])
@pytest.mark.parametrize("shape", [(1, 1), (1, PAGE), (PAGE, 1), (PAGE, PAGE)])
def test_an_all_white_canvas_gives_probabilities(shipped_model, shape, dtype):
    canvas = np.full(shape, 255 if dtype == np.uint8 else 1.0, dtype=dtype)
    assert_valid_proba(predict(shipped_model, canvas))


def test_a_huge_canvas_with_a_digit_gives_probabilities(shipped_model):
    canvas = np.zeros((4000, 4000), dtype=np.uint8)
    canvas[800:3200, 1900:2200] = 255  # a "1"
    proba = predict(shipped_model, canvas)
    assert_valid_proba(proba)
    # and the same stroke on the app's page is read alike: size does not change the answer
    page = np.zeros((PAGE, PAGE), dtype=np.uint8)
    page[56:224, 133:154] = 255
    assert int(np.argmax(proba)) == int(np.argmax(predict(shipped_model, page)))


def test_tiny_faint_ink_just_above_the_threshold_is_a_drawing(shipped_model):
    canvas = np.zeros((PAGE, PAGE), dtype=np.uint8)
    canvas[140, 100:180] = 26  # about 0.102 of full scale: barely ink
    assert_valid_proba(predict(shipped_model, canvas))


def test_ink_below_the_threshold_is_nothing_drawn(shipped_model):
    canvas = np.full((PAGE, PAGE), 20, dtype=np.uint8)  # a faint grey page, no stroke
    assert predict(shipped_model, canvas) is None


@pytest.mark.parametrize(
    "bad",
    [
        np.full((5, 5), np.nan),
        np.full((5, 5), np.inf),
        np.full((5, 5), 2.0),
        np.full((5, 5), -1, dtype=np.int16),
        np.zeros((0, 5)),
        np.zeros(5),
        np.zeros((2, 2, 2)),
        np.full((5, 5), "x"),
    ],
    ids=["nan", "inf", "float-above-1", "negative-int", "empty", "1-D", "3-D", "strings"],
)
def test_invalid_canvases_are_refused_with_value_error(shipped_model, bad):
    with pytest.raises(ValueError, match="canvas"):
        preprocess_canvas(bad, version=shipped_model.preprocessing_version)
