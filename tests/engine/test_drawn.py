"""Drawn copies: canvas-like training images that keep their digit, reproducible per seed."""

from __future__ import annotations

import numpy as np
import pytest

from engine import Dataset, prepare_images
from engine.handwriting.drawn import DrawnStyle, draw, drawn_copies

pytestmark = pytest.mark.usefixtures("single_blas_thread")

N_IMAGES = 40
N_CLASSIFIED = 500
#: Drawn copies are harder than the originals, but a model must still read most of them;
#: scrambled labels would cost ~85 points.
MAX_ACCURACY_DROP = 0.15
PLAIN = DrawnStyle(max_rotate_deg=0.0, max_shear=0.0, grow_p=0.0, shrink_p=0.0)


@pytest.fixture(scope="module")
def raw_images(mnist_raw: Dataset) -> np.ndarray:
    return mnist_raw.X_test[:N_IMAGES]


def test_copies_are_prepared_images_in_order_of_copy(raw_images):
    out = drawn_copies(raw_images, copies=2, seed=0)
    assert out.shape == (2 * N_IMAGES, 784) and out.dtype == np.float32
    assert out.min() >= 0.0 and out.max() <= 1.0
    # every copy is a whole digit: prepared images peak at 1 and are centred
    assert np.allclose(out.max(axis=1), 1.0)
    # the two copies of an image differ (fresh random draws per copy)
    assert np.abs(out[:N_IMAGES] - out[N_IMAGES:]).mean() > 0.01


def test_same_seed_same_copies_other_seed_other_copies(raw_images):
    first = drawn_copies(raw_images, copies=1, seed=3)
    np.testing.assert_array_equal(first, drawn_copies(raw_images, copies=1, seed=3))
    assert np.abs(first - drawn_copies(raw_images, copies=1, seed=4)).mean() > 0.01


def test_uint8_and_float_inputs_give_the_same_copies(raw_images):
    as_bytes = np.rint(raw_images * 255).astype(np.uint8)
    np.testing.assert_allclose(
        drawn_copies(as_bytes, 1, seed=1),
        drawn_copies(as_bytes.astype(np.float32) / 255, 1, seed=1),
        atol=1e-5,
    )


def test_an_undistorted_copy_is_close_to_the_prepared_image(raw_images):
    # With no rotation, slant or pen change, a drawn copy differs from the dataset image
    # only by its hard pen edge: both go through the same renderer.
    copy = drawn_copies(raw_images, 1, seed=0, style=PLAIN)
    prepared = prepare_images(raw_images, 3)
    other_digit = np.abs(prepared - np.roll(prepared, 1, axis=0)).mean()
    assert np.abs(copy - prepared).mean() < 0.25 * other_digit


def test_thicker_pen_draws_more_ink_than_thinner_pen(raw_images):
    rng = np.random.default_rng(0)
    images = raw_images.reshape(-1, 28, 28)
    thick = draw(
        images,
        rng,
        DrawnStyle(max_rotate_deg=0, max_shear=0, grow_p=1.0, shrink_p=0.0, pen_change=(2.0, 2.0)),
    )
    thin = draw(
        images,
        rng,
        DrawnStyle(max_rotate_deg=0, max_shear=0, grow_p=0.0, shrink_p=1.0, pen_change=(1.0, 1.0)),
    )
    assert thick.shape == thin.shape == (N_IMAGES, 56, 56)
    assert (thick.sum(axis=(1, 2)) > thin.sum(axis=(1, 2))).all()
    assert (thin.sum(axis=(1, 2)) > 0).all()  # thinning never erases a digit


@pytest.mark.slow
def test_each_copy_stays_the_same_digit(mnist_raw, trained_model):
    X = mnist_raw.X_test[:N_CLASSIFIED]
    y = mnist_raw.y_test[:N_CLASSIFIED]
    original = np.mean(trained_model.predict(prepare_images(X, 3)) == y)
    copied = np.mean(trained_model.predict(drawn_copies(X, 1, seed=0)) == y)
    assert copied >= original - MAX_ACCURACY_DROP


def test_should_stop_returns_the_copies_made_so_far(raw_images):
    calls = []

    def stop_on_second_check() -> bool:
        calls.append(True)
        return len(calls) > 1

    out = drawn_copies(raw_images, copies=3, seed=0, should_stop=stop_on_second_check)
    assert out.shape == (N_IMAGES, 784)  # one block of one copy was made


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(grow_p=0.8, shrink_p=0.5),
        dict(grow_p=-0.1),
        dict(ink_level=(0.0, 0.5)),
        dict(ink_level=(0.6, 0.4)),
        dict(pen_change=(1.0, 9.0)),
    ],
)
def test_impossible_styles_are_refused(kwargs):
    with pytest.raises(ValueError):
        DrawnStyle(**kwargs)


@pytest.mark.parametrize("shape", [(10, 100), (784,), (2, 28, 28)])
def test_wrong_image_shapes_are_refused(shape):
    with pytest.raises(ValueError, match="784"):
        drawn_copies(np.zeros(shape, np.float32), 1)
