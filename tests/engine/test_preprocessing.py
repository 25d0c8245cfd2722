"""From a drawing canvas to the model's 28×28 input: shape, placement, invariance, accuracy.

Drawings are made from real MNIST test digits: the digit is cut to its ink box, upscaled by
an integer factor with ``np.kron`` (each pixel becomes an s×s block, as a big brush would paint
it) and pasted onto a larger canvas.
"""

from __future__ import annotations

import numpy as np
import pytest

from engine import (
    MNIST_CENTRE_OF_MASS,
    PREPROCESSING_VERSION,
    SUPPORTED_PREPROCESSING_VERSIONS,
    Dataset,
    SoftmaxModel,
    TrainConfig,
    load_mnist,
    preprocess_canvas,
    train,
)

from .conftest import drain

SIDE = 28
DIGIT_BOX = 20
VERSIONS = sorted(SUPPORTED_PREPROCESSING_VERSIONS)
N_DIGITS = 12  # digits for the geometric checks
N_CLASSIFIED = 1_000
MIN_ACCURACY = 0.90
CANVAS = 280
BIG_CANVAS = 420
UINT8_MAX = 255

pytestmark = pytest.mark.usefixtures("single_blas_thread")


def ink_box(image: np.ndarray, level: float = 0.0) -> tuple[slice, slice]:
    rows = np.flatnonzero((image > level).any(axis=1))
    cols = np.flatnonzero((image > level).any(axis=0))
    return slice(rows[0], rows[-1] + 1), slice(cols[0], cols[-1] + 1)


def centre_of_mass(image: np.ndarray) -> np.ndarray:
    rows, cols = np.indices(image.shape)
    return np.array([(image * rows).sum(), (image * cols).sum()]) / image.sum()


def drawn(
    digit: np.ndarray, scale: int, at: tuple[int, int] = (30, 30), size: int = BIG_CANVAS
) -> np.ndarray:
    """A 28×28 digit cut to its ink, upscaled ``scale``× and pasted at ``at`` on a canvas."""
    ink = digit[ink_box(digit)]
    big = np.kron(ink, np.ones((scale, scale), dtype=np.float32))
    canvas = np.zeros((size, size), dtype=np.float32)
    canvas[at[0] : at[0] + big.shape[0], at[1] : at[1] + big.shape[1]] = big
    return canvas


@pytest.fixture(scope="module")
def digits(mnist_raw: Dataset) -> np.ndarray:
    """A few test digits as published (28×28, in [0, 1])."""
    return mnist_raw.X_test[:N_DIGITS].reshape(-1, SIDE, SIDE)


# --- what comes out ----------------------------------------------------------------------------


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize(
    "canvas",
    [
        np.zeros((CANVAS, CANVAS), np.uint8),
        np.zeros((CANVAS, CANVAS)),
        np.zeros((1, 1)),
        np.full((CANVAS, CANVAS), 0.05),
    ],
    ids=["blank_uint8", "blank_float", "blank_1x1", "faint_below_ink_level"],
)
def test_nothing_drawn_gives_none(canvas, version):
    assert preprocess_canvas(canvas, version) is None


@pytest.mark.parametrize("version", VERSIONS)
def test_output_is_a_28x28_image_in_unit_range(digits, version):
    for digit in digits:
        out = preprocess_canvas(drawn(digit, 10), version)
        assert out.shape == (SIDE, SIDE) and out.dtype == np.float32
        assert out.min() >= 0.0 and out.max() <= 1.0
        if version == 1:  # version 2 deskews after stretching, which may soften the peak
            assert out.max() == 1.0


@pytest.mark.parametrize("version", VERSIONS)
def test_centre_of_mass_is_where_mnist_puts_it(digits, version):
    # The digit is pasted with the whole-pixel shift nearest the target, so it is off by at
    # most half a pixel on each axis. Version 2's deskew shears rows about the centroid row
    # with linear interpolation, which keeps the centre of mass (up to round-off).
    for digit in digits:
        out = preprocess_canvas(drawn(digit, 10), version)
        offset = np.abs(centre_of_mass(out) - MNIST_CENTRE_OF_MASS)
        assert offset.max() <= 0.5 + 1e-3


def test_longer_side_of_the_ink_box_is_20_pixels(digits):
    # Version 1 only: version 2 deskews, which changes widths by design.
    for digit in digits:
        out = preprocess_canvas(drawn(digit, 10), 1)
        rows, cols = ink_box(out)
        assert max(rows.stop - rows.start, cols.stop - cols.start) == DIGIT_BOX


@pytest.mark.parametrize(("height", "width"), [(100, 50), (30, 240), (200, 200)])
def test_aspect_ratio_is_kept(height, width):
    canvas = np.zeros((BIG_CANVAS, BIG_CANVAS), dtype=np.float32)
    canvas[40 : 40 + height, 60 : 60 + width] = 1.0
    out = preprocess_canvas(canvas, 1)
    rows, cols = ink_box(out)
    longer = max(height, width)
    assert rows.stop - rows.start == round(DIGIT_BOX * height / longer)
    assert cols.stop - cols.start == round(DIGIT_BOX * width / longer)
    # Area averaging of a uniform block is exact: the block stays uniformly full ink.
    np.testing.assert_allclose(out[rows, cols], 1.0, rtol=1e-5)


@pytest.mark.parametrize("version", VERSIONS)
def test_single_dot_is_a_drawing(version):
    out = preprocess_canvas(np.ones((1, 1)), version)
    assert out is not None and out.shape == (SIDE, SIDE) and out.max() > 0


# --- invariance ---------------------------------------------------------------------------------


@pytest.mark.parametrize("version", VERSIONS)
def test_position_on_the_canvas_does_not_matter(digits, version):
    # The ink box of a shifted drawing is the very same array, so the result is identical.
    for digit in digits:
        results = [
            preprocess_canvas(drawn(digit, 10, at=at), version)
            for at in [(0, 0), (37, 91), (150, 12), (205, 190)]
        ]
        for other in results[1:]:
            np.testing.assert_array_equal(other, results[0])


#: Mean |difference| allowed between scales. Cropping an s×-upscaled digit gives s× the ink
#: box, and area-averaging a piecewise-constant image onto a fixed grid gives the same values
#: for every s: the outputs are equal in exact arithmetic. Version 1 differs only by float32
#: round-off (~1e-7). Version 2 also thresholds at its ink level while redrawing strokes, so
#: round-off could flip a working pixel sitting exactly at that level; each such flip moves
#: at most a few per cent of one output pixel, well inside 1e-3 on average.
SCALE_TOLERANCE = {1: 1e-5, 2: 1e-3}


@pytest.mark.parametrize("version", VERSIONS)
def test_drawing_size_does_not_matter(digits, version):
    tolerance = SCALE_TOLERANCE.get(version, max(SCALE_TOLERANCE.values()))
    for i, digit in enumerate(digits):
        small, medium, large = (preprocess_canvas(drawn(digit, s), version) for s in (6, 10, 14))
        for other in (small, large):
            assert np.abs(other - medium).mean() <= tolerance, f"digit {i}"


@pytest.mark.parametrize("version", VERSIONS)
def test_uint8_and_float_canvases_agree(digits, version):
    for digit in digits:
        canvas = np.rint(drawn(digit, 10) * UINT8_MAX).astype(np.uint8)
        as_uint8 = preprocess_canvas(canvas, version)
        for dtype in (np.float32, np.float64):
            as_float = preprocess_canvas(canvas.astype(dtype) / UINT8_MAX, version)
            np.testing.assert_allclose(as_float, as_uint8, atol=1e-5)


def test_integer_canvas_is_read_like_uint8_or_refused(digits):
    canvas = np.rint(drawn(digits[0], 10) * UINT8_MAX).astype(np.uint8)
    try:
        as_int32 = preprocess_canvas(canvas.astype(np.int32))
    except ValueError:
        return
    np.testing.assert_allclose(as_int32, preprocess_canvas(canvas), atol=1e-5)


def test_float_canvas_outside_unit_range_is_refused(digits):
    with pytest.raises(ValueError, match="0"):
        preprocess_canvas(drawn(digits[0], 10) * UINT8_MAX)


# --- bad input --------------------------------------------------------------------------------


def _with(value: float) -> np.ndarray:
    canvas = np.zeros((CANVAS, CANVAS))
    canvas[100:150, 100:150] = 1.0
    canvas[120, 120] = value
    return canvas


@pytest.mark.parametrize(
    "canvas",
    [
        _with(np.nan),
        _with(np.inf),
        _with(-np.inf),
        np.zeros((CANVAS, CANVAS, 3)),
        np.zeros(CANVAS),
        np.zeros((0, 0)),
        np.zeros((0, 5)),
        np.full((4, 4), "x"),
        np.ones((4, 4), dtype=complex),
    ],
    ids=["nan", "inf", "minus_inf", "rgb_3d", "1d", "0x0", "0x5", "strings", "complex"],
)
def test_bad_canvas_raises_value_error(canvas):
    with pytest.raises(ValueError, match="canvas"):
        preprocess_canvas(canvas)


@pytest.mark.parametrize("version", [0, max(VERSIONS) + 1, -1])
def test_unknown_version_raises_value_error(version):
    with pytest.raises(ValueError, match="version"):
        preprocess_canvas(np.ones((4, 4)), version)


# --- the model still reads its own digits after a trip through the canvas ----------------------


@pytest.fixture(scope="module")
def model_by_version(trained_model: SoftmaxModel) -> dict[int, SoftmaxModel]:
    """A trained model per preprocessing version: the session's L-BFGS model for the current
    version, a quick SGD model on the matching dataset for older ones."""
    models = {trained_model.preprocessing_version: trained_model}
    for version in VERSIONS:
        if version not in models:
            data = load_mnist(preprocessing_version=version)
            run = drain(train(data, TrainConfig(optimizer="sgd", epochs=2)))
            models[version] = run.result.model
    return models


@pytest.mark.slow
@pytest.mark.parametrize("version", VERSIONS)
def test_upscaled_test_digits_are_still_recognised(mnist_raw, model_by_version, version):
    model = model_by_version[version]
    assert model.preprocessing_version == version
    images = mnist_raw.X_test[:N_CLASSIFIED].reshape(-1, SIDE, SIDE)
    ones = np.ones((CANVAS // SIDE, CANVAS // SIDE), dtype=np.float32)
    X = np.stack([preprocess_canvas(np.kron(image, ones), version).ravel() for image in images])
    accuracy = np.mean(model.predict(X) == mnist_raw.y_test[:N_CLASSIFIED])
    assert accuracy >= MIN_ACCURACY


def test_current_version_is_supported():
    assert PREPROCESSING_VERSION in SUPPORTED_PREPROCESSING_VERSIONS
