"""Stroke-width normalisation: thin-pen and thick-pen drawings of one digit end up alike.

Both implementations are checked: version 2's (one image at WORK_SIDE, SciPy's distance
transform) and version 3's (batched, its own bounded distance transform at WORK_FACTOR×).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest
from scipy import ndimage

from bench.drawn_digits.pipeline import stroke_widths
from engine import Dataset, prepare_images, preprocess_canvas
from engine.handwriting.strokes import (
    INK_LEVEL,
    MAX_DISTANCE,
    MNIST_STROKE_WIDTH,
    STROKE_TARGET,
    WORK_FACTOR,
    distance_to,
    normalise_stroke_batch,
    normalise_strokes,
    stroke_width,
)

SIDE = 28
N_DIGITS = 20
#: Pen radius change (working pixels per unit of working scale) for the thin/thick copies.
PEN_CHANGE = 0.75


@dataclass(frozen=True)
class Impl:
    """One stroke normaliser: its working scale, width measure, redraw, and target width."""

    name: str
    scale: float  # working pixels per MNIST pixel
    widths: Callable[[np.ndarray], np.ndarray]
    normalise: Callable[[np.ndarray], np.ndarray]
    target: float


IMPLS = [
    Impl(
        "v2",
        4.0,
        lambda b: np.array([stroke_width(i) for i in b]),
        lambda b: np.stack([normalise_strokes(i) for i in b]),
        MNIST_STROKE_WIDTH,
    ),
    Impl("v3", float(WORK_FACTOR), stroke_widths, normalise_stroke_batch, STROKE_TARGET),
]


def render(digits: np.ndarray, scale: float, pen: float) -> np.ndarray:
    """Digits (n, 28, 28) redrawn at ``scale``× as binary ink, the pen radius changed by
    ``pen`` working pixels (negative: thinner, never erasing a stroke entirely)."""
    out = []
    for digit in digits:
        ink = ndimage.zoom(digit, scale, order=1) >= INK_LEVEL
        ink = np.pad(ink, int(np.ceil(abs(pen))) + 1)
        if pen > 0:
            ink = ndimage.distance_transform_edt(~ink) <= pen
        elif pen < 0:
            thinned = ndimage.distance_transform_edt(ink) > -pen
            ink = thinned if thinned.any() else ink
        out.append(ink.astype(np.float32))
    return np.stack(out)


@pytest.fixture(scope="module")
def digits(mnist_raw: Dataset) -> np.ndarray:
    return mnist_raw.X_test[:N_DIGITS].reshape(-1, SIDE, SIDE)


@pytest.mark.parametrize("border_is_target", [True, False])
def test_distance_to_matches_scipy_within_its_limit(border_is_target):
    rng = np.random.default_rng(0)
    target = ndimage.gaussian_filter(rng.uniform(size=(30, 40, 33)), (0, 2, 2)) > 0.53
    got = distance_to(target, border_is_target)
    pad = MAX_DISTANCE + 2
    reference = np.stack(
        [
            ndimage.distance_transform_edt(~np.pad(t, pad, constant_values=border_is_target))[
                pad:-pad, pad:-pad
            ]
            for t in target
        ]
    )
    near = reference <= MAX_DISTANCE
    np.testing.assert_allclose(got[near], reference[near], atol=1e-5)
    assert (got[~near] >= MAX_DISTANCE).all() and (got <= MAX_DISTANCE + 1).all()


@pytest.mark.parametrize("impl", IMPLS, ids=lambda i: i.name)
def test_width_of_straight_bars_is_measured(impl):
    bars = np.zeros((3, 40, 60), np.float32)
    for i, width in enumerate((3, 5, 7)):
        bars[i, 10 : 10 + width, 5:55] = 1.0
    widths = impl.widths(bars)
    np.testing.assert_allclose(widths, [3, 5, 7], atol=1.0)
    assert (np.diff(widths) > 0).all()


@pytest.mark.parametrize("impl", IMPLS, ids=lambda i: i.name)
def test_thin_and_thick_pens_are_brought_together(digits, impl):
    pen = PEN_CHANGE * impl.scale
    thin, thick = render(digits, impl.scale, -pen), render(digits, impl.scale, pen)
    assert (impl.widths(thick) - impl.widths(thin) > pen).all()  # really different pens
    thin_n, thick_n = impl.normalise(thin), impl.normalise(thick)
    # both reach the target width, and the two drawings of each digit now look alike
    for out in (thin_n, thick_n):
        np.testing.assert_allclose(np.median(impl.widths(out)), impl.target, rtol=0.2)
    before = np.abs(thick - thin).mean(axis=(1, 2))
    after = np.abs(thick_n - thin_n).mean(axis=(1, 2))
    assert np.median(after / before) < 0.5


@pytest.mark.parametrize("impl", IMPLS, ids=lambda i: i.name)
def test_strokes_grow_and_shrink_without_vanishing(impl):
    line = np.zeros((1, 40, 120), np.float32)
    line[0, 20, 10:110] = 1.0  # one pixel wide: far thinner than the target, must grow
    block = np.zeros_like(line)
    width = round(2 * impl.target)
    block[0, 20 - width // 2 : 20 - width // 2 + width, 10:110] = 1.0  # twice the target width
    grown, shrunk = impl.normalise(line), impl.normalise(block)
    for image, out in ((line, grown), (block, shrunk)):
        assert out.shape == image.shape and out.min() >= 0.0 and out.max() <= 1.0
    assert (grown[line >= INK_LEVEL] >= INK_LEVEL).all()
    assert (grown >= INK_LEVEL).sum() > 2 * (line >= INK_LEVEL).sum()
    assert 0 < (shrunk >= INK_LEVEL).sum() < 0.7 * (block >= INK_LEVEL).sum()
    assert (shrunk[0, 20, 20:100] >= INK_LEVEL).all()  # the centre line survives


@pytest.mark.parametrize("impl", IMPLS, ids=lambda i: i.name)
def test_blank_stays_blank(impl):
    blank = np.zeros((2, 30, 30), np.float32)
    np.testing.assert_array_equal(impl.normalise(blank), blank)
    np.testing.assert_array_equal(impl.widths(blank), 0.0)


def test_distance_limit_is_checked():
    with pytest.raises(ValueError, match="limit"):
        distance_to(np.zeros((1, 4, 4), bool), True, limit=0)


# --- through the whole canvas pipeline (version 3) ---------------------------------------------

CANVAS = 280
PEN_RADII = (-3.0, 6.0)  # canvas pixels: thinner and thicker than drawn


def canvas_with_pen(digit: np.ndarray, radius: float) -> np.ndarray:
    """A test digit drawn 9× large on a canvas, its pen made ``radius`` px thinner/thicker."""
    ink = ndimage.zoom(digit, 9, order=1) >= INK_LEVEL
    canvas = np.zeros((CANVAS, CANVAS), dtype=bool)
    canvas[12 : 12 + ink.shape[0], 20 : 20 + ink.shape[1]] = ink
    if radius > 0:
        canvas = ndimage.distance_transform_edt(~canvas) <= radius
    elif radius < 0:
        canvas = ndimage.distance_transform_edt(canvas) > -radius
    return canvas.astype(np.uint8) * 255


def test_pen_width_hardly_changes_what_the_model_sees(digits):
    # Version 3 redraws strokes at one width, so thin and thick pens give nearly the same
    # 28×28 image; version 1 passes the pen's width straight through.
    def thin_thick_difference(version: int) -> float:
        diffs = []
        for digit in digits[:8]:
            thin, thick = (
                preprocess_canvas(canvas_with_pen(digit, r), version)
                for r in (PEN_RADII[0], PEN_RADII[-1])
            )
            diffs.append(np.abs(thick - thin).mean())
        return float(np.median(diffs))

    assert thin_thick_difference(3) < 0.5 * thin_thick_difference(1)


def test_canvas_and_dataset_side_agree(digits, mnist_raw):
    # One renderer for both: an MNIST digit prepared as training data and the same digit
    # drawn big on a canvas reach the model as nearly the same image, nearer to each other
    # than to any other digit of another class.
    prepared = prepare_images(digits.reshape(len(digits), -1), 3).reshape(digits.shape)
    drawn = np.stack(
        [preprocess_canvas(np.kron(d, np.ones((10, 10), np.float32)), 3) for d in digits]
    )
    distance = np.abs(drawn[:, None] - prepared[None]).mean(axis=(2, 3))  # (drawn, prepared)
    labels = mnist_raw.y_test[: len(digits)]
    np.testing.assert_array_equal(labels[distance.argmin(axis=1)], labels)
    assert np.median(np.diag(distance)) < 0.03
