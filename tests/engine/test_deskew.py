"""Moments-based deskewing: it measures a known shear, undoes it, and moves nothing else."""

from __future__ import annotations

import numpy as np
import pytest

from engine import Dataset
from engine.handwriting.deskew import MAX_SHEAR, deskew, skew

SIDE = 28
N_DIGITS = 50
SHEARS = (-0.4, -0.2, 0.25, 0.4)


def shear(images: np.ndarray, alpha: float) -> np.ndarray:
    """Slant images (n, h, w) by ``alpha`` columns per row about each centroid row.

    Row r moves right by ``alpha · (r - r̄)``, sampled with linear interpolation: the
    forward map whose inverse :func:`deskew` applies.
    """
    n, h, w = images.shape
    rows = np.arange(h)
    r_mean = (images.sum(axis=2) * rows).sum(axis=1) / images.sum(axis=(1, 2))
    out = np.zeros_like(images)
    cols = np.arange(w)
    for i in range(n):
        for r in rows:
            src = cols - alpha * (r - r_mean[i])
            out[i, r] = np.interp(src, cols, images[i, r], left=0.0, right=0.0)
    return out


@pytest.fixture(scope="module")
def upright(mnist_raw: Dataset) -> np.ndarray:
    """Test digits already deskewed, so their own slant is ~0."""
    return deskew(mnist_raw.X_test[:N_DIGITS].reshape(-1, SIDE, SIDE))


def test_upright_digits_have_no_slant(upright):
    np.testing.assert_allclose(skew(upright), 0.0, atol=0.02)


@pytest.mark.parametrize("alpha", SHEARS)
def test_skew_measures_a_known_shear(upright, alpha):
    np.testing.assert_allclose(skew(shear(upright, alpha)), alpha, atol=0.05)


@pytest.mark.parametrize("alpha", SHEARS)
def test_deskew_undoes_a_known_shear(upright, alpha):
    slanted = shear(upright, alpha)
    restored = deskew(slanted)
    before = np.abs(slanted - upright).mean(axis=(1, 2))
    after = np.abs(restored - upright).mean(axis=(1, 2))
    # Two linear resamplings blur a little, so not exact: but far closer than the slanted copy.
    assert (after < 0.35 * before).all()
    np.testing.assert_allclose(skew(restored), 0.0, atol=0.03)


def test_deskew_keeps_the_centre_of_mass(mnist_raw):
    images = mnist_raw.X_test[:N_DIGITS].reshape(-1, SIDE, SIDE)
    out = deskew(images)
    rows, cols = np.indices((SIDE, SIDE))

    def com(a: np.ndarray) -> np.ndarray:
        mass = a.sum(axis=(1, 2))
        centre = np.stack([(a * rows).sum(axis=(1, 2)), (a * cols).sum(axis=(1, 2))], axis=1)
        return centre / mass[:, None]

    # Ink sheared past the frame edge is lost, so allow a small drift.
    np.testing.assert_allclose(com(out), com(images), atol=0.15)


def test_extreme_slant_is_clipped():
    # A stroke two columns per row is a flat line, not a slanted digit: slant 2, clipped.
    image = np.zeros((1, SIDE, SIDE), np.float32)
    rows = np.arange(5, 16)
    image[0, rows, 2 * rows - 6] = 1.0
    assert skew(image)[0] == pytest.approx(MAX_SHEAR)
    assert skew(image[:, :, ::-1])[0] == pytest.approx(-MAX_SHEAR)


def test_blank_image_is_unchanged_and_single_image_matches_batch(upright):
    blank = np.zeros((SIDE, SIDE), np.float32)
    np.testing.assert_array_equal(deskew(blank), blank)
    slanted = shear(upright[:3], 0.3)
    singles = np.stack([deskew(image) for image in slanted])
    np.testing.assert_allclose(singles, deskew(slanted), atol=1e-6)
