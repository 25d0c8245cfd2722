"""Preprocessing tweaks tried for issue 4 and dropped, for bench/experiments_issue4.py.

Each returns a context manager that swaps one function (or constant) of
engine.handwriting.preprocessing, and sometimes engine.handwriting.drawn, for the duration of
a recipe, so the engine keeps only what was kept.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator

import numpy as np
from scipy import ndimage

import engine.handwriting.drawn
import engine.handwriting.preprocessing as pp
from engine.handwriting.strokes import (
    INK_LEVEL,
    MAX_LIMIT,
    STROKE_TARGET,
    distance_to,
    normalise_stroke_batch,
)


@contextlib.contextmanager
def swapped(name: str, replacement: Callable, module=pp) -> Iterator[None]:
    """Replace ``module.<name>`` (engine.handwriting.preprocessing by default: canvas and
    dataset side) for the duration."""
    original = getattr(module, name)
    setattr(module, name, replacement(original))
    try:
        yield
    finally:
        setattr(module, name, original)


def no_rebox() -> contextlib.AbstractContextManager:
    """No rescaling after redrawing (the digit keeps the canvas box it had before)."""
    return swapped("_rebox", lambda original: lambda work: work)


def blur(sigma: float) -> Callable[[], contextlib.AbstractContextManager]:
    def render(original):
        def blurred(work):
            out = ndimage.gaussian_filter(original(work), (0, sigma, sigma), mode="constant")
            return out.astype(np.float32)

        return blurred

    return lambda: swapped("_render", render)


def smooth_dataset(
    sigma: float, restretch: bool
) -> Callable[[], contextlib.AbstractContextManager]:
    """Dataset side only (drawn copies included): Gaussian-smooth each upsampled MNIST digit
    (sigma in working px) before the renderer, so its outline is as smooth as a pen's; with
    ``restretch`` the peak is stretched back to 1 so thin strokes survive the ink threshold."""

    def upsample(original):
        def smoothed(images):
            out = ndimage.gaussian_filter(original(images), (0, sigma, sigma), mode="constant")
            if restretch:
                out /= np.maximum(out.max(axis=(1, 2), keepdims=True), 1e-6)
            return out.astype(np.float32)

        return smoothed

    @contextlib.contextmanager
    def both_sides() -> Iterator[None]:
        # drawn copies upsample with their own reference to the function
        with (
            swapped("to_working_frame", upsample),
            swapped("to_working_frame", upsample, module=engine.handwriting.drawn),
        ):
            yield

    return both_sides


def stroke_target(width: float) -> Callable[[], contextlib.AbstractContextManager]:
    return lambda: swapped(
        "normalise_stroke_batch",
        lambda original: functools.partial(normalise_stroke_batch, target=width),
    )


def box_rebox() -> contextlib.AbstractContextManager:
    """v3 as first built: rescale the ink *box* to 40 px after redrawing, not the ink spread."""

    def rebox(original):
        def by_box(work):
            ink = work > pp.INK_THRESHOLD
            r0, r1 = pp._span(ink.any(axis=2))
            c0, c1 = pp._span(ink.any(axis=1))
            step = (np.maximum(r1 - r0, c1 - c0) + 1) / (pp.DIGIT_BOX * pp.WORK_FACTOR)
            out = pp._sample_axis(work, (r0 + r1 + 1) / 2, step, axis=1)
            return pp._sample_axis(out, (c0 + c1 + 1) / 2, step, axis=2)

        return by_box

    return swapped("_rebox", rebox)


def spread(value: float) -> Callable[[], contextlib.AbstractContextManager]:
    return lambda: swapped("INK_SPREAD", lambda original: value)


def row_spread(value: float) -> Callable[[], contextlib.AbstractContextManager]:
    """Size by the rows' spread alone, sqrt(var_r), instead of sqrt(var_r + var_c)."""

    def rebox(original):
        def by_rows(work):
            at = np.arange(work.shape[1])
            profile = work.sum(axis=2)
            mass = np.maximum(profile.sum(axis=1), 1e-12)
            mean = (profile * at).sum(axis=1) / mass
            var_r = (profile * (at - mean[:, None]) ** 2).sum(axis=1) / mass
            ink = work > pp.INK_THRESHOLD
            r0, r1 = pp._span(ink.any(axis=2))
            c0, c1 = pp._span(ink.any(axis=1))
            longer = np.maximum(r1 - r0, c1 - c0) + 1
            step = np.maximum(
                np.sqrt(var_r) / value, longer / (work.shape[1] - 2 * pp.FRAME_MARGIN)
            )
            out = pp._sample_axis(work, (r0 + r1 + 1) / 2, step, axis=1)
            return pp._sample_axis(out, (c0 + c1 + 1) / 2, step, axis=2)

        return by_rows

    return lambda: swapped("_rebox", rebox)


def reopen_loops(depth: float) -> Callable[[], contextlib.AbstractContextManager]:
    """Remove ink deeper than ``depth`` stroke widths (a loop a thick pen filled in)."""

    def normalise(original):
        def reopened(images):
            out = original(images)
            deepest = depth * STROKE_TARGET
            far = distance_to(out < INK_LEVEL, True, min(MAX_LIMIT, int(np.ceil(deepest)) + 1))
            return np.minimum(out, np.clip(deepest + 0.5 - far, 0.0, 1.0))

        return reopened

    return lambda: swapped("normalise_stroke_batch", normalise)


def rotate_upright(share: float) -> Callable[[], contextlib.AbstractContextManager]:
    """Before deskewing, rotate ``share`` of the way to a vertical principal axis."""

    def rotate_then_deskew(original):
        def upright(images):
            a = np.asarray(images, np.float32)
            single = a.ndim == 2
            a = a[None] if single else a
            n, h, w = a.shape
            rows, cols = np.indices((h, w), dtype=np.float64)
            mass = np.maximum(a.sum(axis=(1, 2), dtype=np.float64), 1e-12)
            r_mean = (a * rows).sum(axis=(1, 2)) / mass
            c_mean = (a * cols).sum(axis=(1, 2)) / mass
            dr = rows[None] - r_mean[:, None, None]
            dc = cols[None] - c_mean[:, None, None]
            var_r, var_c = (
                (a * dr**2).sum(axis=(1, 2)) / mass,
                (a * dc**2).sum(axis=(1, 2)) / mass,
            )
            cov = (a * dr * dc).sum(axis=(1, 2)) / mass
            angle = share * np.clip(0.5 * np.arctan2(2 * cov, var_r - var_c), -0.52, 0.52)
            cos, sin = np.cos(angle)[:, None, None], np.sin(angle)[:, None, None]
            coords = np.stack(
                [
                    np.broadcast_to(np.arange(n)[:, None, None], (n, h, w)),
                    r_mean[:, None, None] + cos * dr - sin * dc,
                    c_mean[:, None, None] + sin * dr + cos * dc,
                ]
            )
            out = ndimage.map_coordinates(a, coords, order=1, mode="constant")
            out = original(out.astype(np.float32))
            return out[0] if single else out

        return upright

    return lambda: swapped("deskew", rotate_then_deskew)


def deskew_at_working_size() -> contextlib.AbstractContextManager:
    """Deskew the 56×56 working image before averaging down, instead of the 28×28 result."""

    def render(original):
        def sharper(work):
            n = work.shape[0]
            drawn = pp.deskew(pp._rebox(pp.normalise_stroke_batch(work)))
            small = drawn.reshape(n, 28, pp.WORK_FACTOR, 28, pp.WORK_FACTOR).mean(axis=(2, 4))
            peak = small.max(axis=(1, 2), keepdims=True)
            return pp._recentre(small / np.where(peak > 0, peak, 1.0))

        return sharper

    return swapped("_render", render)
