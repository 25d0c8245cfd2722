"""Variants of the version-3 digit pipeline, for measuring what each piece is worth.

The engine keeps only the pipeline that was chosen (``engine.handwriting.preprocessing``,
version 3). To measure the alternatives again, this module holds its own copy of that
renderer with every piece that was varied as a setting of :class:`Pipeline`: the stroke width
strokes are redrawn at, how the digit is sized (spread of the ink, ink box, rows' spread, not
at all), loops reopened, turning upright before deskewing, deskewing the working frame,
blurring the result, smoothing the dataset's digits. ``Pipeline()`` is the engine's version 3
(:func:`check_against_engine` compares them), so a row of the table that uses no variant can
be trusted to measure the engine itself. Nothing of the engine is replaced at run time: a
variant prepares the dataset, the canvas drawings and the drawn copies through this copy.

It builds on the engine's public building blocks (stroke redrawing, distance transform,
deskewing, resampling); ``stroke_widths`` and ``MNIST_RIDGE_WIDTH`` (the measurement the
first version 3 was calibrated to) live here, as only the benchmarks use them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy import ndimage

from engine import AUGMENT_PRESETS, MNIST_CENTRE_OF_MASS, MNIST_SIDE, AugmentConfig, Dataset
from engine.handwriting.deskew import deskew
from engine.handwriting.drawn import DEFAULT_STYLE, MAX_PEN_CHANGE, DrawnStyle
from engine.handwriting.preprocessing import (
    CHUNK,
    DIGIT_BOX,
    FRAME_MARGIN,
    INK_SPREAD,
    INK_THRESHOLD,
    WORK_FRAME,
    resample_axis0,
    to_working_frame,
)
from engine.handwriting.strokes import (
    INK_LEVEL,
    MAX_DISTANCE,
    MAX_LIMIT,
    STROKE_TARGET,
    WORK_FACTOR,
    distance_to,
    normalise_stroke_batch,
)
from engine.training.augment import distort

#: Median stroke width of the 60,000 MNIST training digits in the working frame, measured by
#: :func:`stroke_widths` (``experiments.py --measure``): the width the first version 3
#: redrew strokes at, before the bolder ``STROKE_TARGET`` read drawn digits better.
MNIST_RIDGE_WIDTH = 5.36
#: Images per block when making drawn copies (as the engine's).
DRAWN_BLOCK = 1024

Sizing = Literal["spread", "box", "rows", "none"]


@dataclass(frozen=True)
class Pipeline:
    """One variant of version 3's renderer; the defaults are the engine's.

    Attributes
    ----------
    stroke_width : width every stroke is redrawn at (working px).
    sizing : "spread" scales the digit so ``sqrt(var_r + var_c)`` of its ink is ``spread``
        (the engine's); "box" scales its ink box to 40 px (the first version 3); "rows" uses
        the rows' spread ``sqrt(var_r)`` alone; "none" keeps the size the digit came with.
    spread : the target of "spread" and "rows".
    reopen_depth : when > 0, ink deeper than this many ``STROKE_TARGET`` widths is removed (a
        loop a thick pen filled in). The depth is in units of the engine's target even when
        ``stroke_width`` differs, as it was measured.
    upright : share of the way each digit is turned towards a vertical principal axis
        before deskewing (0: not turned).
    deskew_working : deskew the 56×56 working image before averaging down, instead of the
        28×28 result.
    blur : Gaussian blur (28×28 px) of the result, both sides; 0 for none.
    smooth_dataset : Gaussian smoothing (working px) of each dataset digit after upsampling,
        before the renderer (drawn copies included; canvas drawings untouched); 0 for none.
    restretch : with ``smooth_dataset``, stretch each smoothed digit's peak back to 1.
    """

    stroke_width: float = STROKE_TARGET
    sizing: Sizing = "spread"
    spread: float = INK_SPREAD
    reopen_depth: float = 0.0
    upright: float = 0.0
    deskew_working: bool = False
    blur: float = 0.0
    smooth_dataset: float = 0.0
    restretch: bool = False

    # --- the two sides ------------------------------------------------------------------------

    def prepare_images(self, X: np.ndarray) -> np.ndarray:
        """Dataset side: (n, 784) MNIST images as published -> (n, 784) model inputs."""
        images = X.reshape(-1, MNIST_SIDE, MNIST_SIDE)
        out = np.empty((X.shape[0], MNIST_SIDE, MNIST_SIDE), dtype=np.float32)
        for start in range(0, X.shape[0], CHUNK):
            block = images[start : start + CHUNK].astype(np.float32, copy=False)
            out[start : start + CHUNK] = self.render(self.upsample(block))
        return out.reshape(X.shape[0], -1)

    def preprocess_canvas(self, canvas: np.ndarray) -> np.ndarray | None:
        """Canvas side: an ink-bright uint8 (or 0–1 float) canvas -> (28, 28), or None if blank."""
        a = np.asarray(canvas)
        a = a.astype(np.float32) * np.float32(1 / 255) if a.dtype == np.uint8 else a
        ink = a > INK_THRESHOLD
        rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
        if rows.size == 0:
            return None
        digit = _scale_to_box(a[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1])
        h, w = digit.shape
        work = np.zeros((1, WORK_FRAME, WORK_FRAME), dtype=np.float32)
        top, left = (WORK_FRAME - h) // 2, (WORK_FRAME - w) // 2
        work[0, top : top + h, left : left + w] = digit
        return self.render(work)[0]

    def with_drawn_copies(
        self,
        data: Dataset,
        X_raw: np.ndarray,
        copies: int,
        seed: int = 0,
        style: DrawnStyle = DEFAULT_STYLE,
    ) -> Dataset:
        """``data`` with drawn copies made through this pipeline (as the engine's function)."""
        extra = self.drawn_copies(X_raw, copies, seed, style)
        if data.X_train.dtype == np.uint8:
            extra = np.rint(extra * np.float32(255)).astype(np.uint8)
        return dataclasses.replace(
            data,
            X_train=np.concatenate([data.X_train, extra.astype(data.X_train.dtype, copy=False)]),
            y_train=np.tile(data.y_train, copies + 1),
            name=f"{data.name} + {copies} drawn copies",
        )

    def drawn_copies(
        self, X_raw: np.ndarray, copies: int, seed: int = 0, style: DrawnStyle = DEFAULT_STYLE
    ) -> np.ndarray:
        """The engine's drawn copies (same random streams), upsampled and rendered here."""
        n = X_raw.shape[0]
        out = np.empty((copies * n, MNIST_SIDE * MNIST_SIDE), dtype=np.float32)
        for k in range(copies):
            rng = np.random.default_rng([seed, k])
            for start in range(0, n, DRAWN_BLOCK):
                block = X_raw[start : start + DRAWN_BLOCK].astype(np.float32, copy=False)
                work = draw(self.upsample(block.reshape(-1, MNIST_SIDE, MNIST_SIDE)), rng, style)
                for at in range(0, work.shape[0], CHUNK):
                    rows = slice(k * n + start + at, k * n + start + at + CHUNK)
                    out[rows] = self.render(work[at : at + CHUNK]).reshape(-1, MNIST_SIDE**2)
        return out

    def augmenter(self, config: AugmentConfig | str) -> Callable:
        """An ``augment`` for ``engine.train``, as ``engine.make_augmenter`` makes it, whose
        distorted images are re-prepared through this pipeline rather than the engine's."""
        chosen = AUGMENT_PRESETS[config] if isinstance(config, str) else config

        def augment(X: np.ndarray, rng: np.random.Generator) -> np.ndarray:
            selected = np.flatnonzero(rng.uniform(size=X.shape[0]) < chosen.p)
            if selected.size == 0:
                return X
            out = X.copy()
            images = X[selected].reshape(-1, MNIST_SIDE, MNIST_SIDE)
            out[selected] = self.prepare_images(
                distort(images, chosen, rng).reshape(selected.size, -1)
            )
            return out

        return augment

    # --- the pieces ---------------------------------------------------------------------------

    def upsample(self, images: np.ndarray) -> np.ndarray:
        """(n, 28, 28) dataset digits -> working frames, smoothed if this variant says so."""
        work = to_working_frame(images)
        if self.smooth_dataset <= 0:
            return work
        s = self.smooth_dataset
        out = ndimage.gaussian_filter(work, (0, s, s), mode="constant")
        if self.restretch:
            out /= np.maximum(out.max(axis=(1, 2), keepdims=True), 1e-6)
        return out.astype(np.float32)

    def render(self, work: np.ndarray) -> np.ndarray:
        """Digits in working frames (n, 56, 56) -> (n, 28, 28), as the engine's renderer."""
        n = work.shape[0]
        drawn = self.rebox(self.redraw(work))
        if self.deskew_working:
            drawn = self.deskew(drawn)
        small = drawn.reshape(n, MNIST_SIDE, WORK_FACTOR, MNIST_SIDE, WORK_FACTOR).mean(axis=(2, 4))
        peak = small.max(axis=(1, 2), keepdims=True)
        small /= np.where(peak > 0, peak, 1.0)
        out = _recentre(small) if self.deskew_working else self.deskew(_recentre(small))
        if self.blur > 0:
            out = ndimage.gaussian_filter(out, (0, self.blur, self.blur), mode="constant")
        return out.astype(np.float32)

    def redraw(self, work: np.ndarray) -> np.ndarray:
        """Every stroke at ``stroke_width``; loops reopened when asked."""
        out = normalise_stroke_batch(work, target=self.stroke_width)
        if self.reopen_depth <= 0:
            return out
        deepest = self.reopen_depth * STROKE_TARGET
        far = distance_to(out < INK_LEVEL, True, min(MAX_LIMIT, int(np.ceil(deepest)) + 1))
        return np.minimum(out, np.clip(deepest + 0.5 - far, 0.0, 1.0))

    def rebox(self, work: np.ndarray) -> np.ndarray:
        """Scale each digit (n, S, S) about its ink box's centre, as ``sizing`` says."""
        if self.sizing == "none":
            return work
        side = work.shape[1]
        ink = work > INK_THRESHOLD
        r0, r1 = _span(ink.any(axis=2))
        c0, c1 = _span(ink.any(axis=1))
        longer = np.maximum(r1 - r0, c1 - c0) + 1
        if self.sizing == "box":
            step = longer / (DIGIT_BOX * WORK_FACTOR)
        elif self.sizing == "rows":
            at = np.arange(side)
            profile = work.sum(axis=2)
            mass = np.maximum(profile.sum(axis=1), 1e-12)
            mean = (profile * at).sum(axis=1) / mass
            var_r = (profile * (at - mean[:, None]) ** 2).sum(axis=1) / mass
            step = np.maximum(np.sqrt(var_r) / self.spread, longer / (side - 2 * FRAME_MARGIN))
        else:
            mass, spread = ink_spread(work)
            step = np.maximum(spread / self.spread, longer / (side - 2 * FRAME_MARGIN))
            step = np.where(mass > 0, step, 1.0)
        out = _sample_axis(work, (r0 + r1 + 1) / 2, step, axis=1)
        return _sample_axis(out, (c0 + c1 + 1) / 2, step, axis=2)

    def deskew(self, images: np.ndarray) -> np.ndarray:
        """The engine's deskewing, after turning towards upright when ``upright`` > 0."""
        if self.upright > 0:
            images = _turn_upright(images, self.upright)
        return deskew(images)


def ink_spread(work: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Ink mass (n,) and spread ``sqrt(var_r + var_c)`` (n,) of digits (n, S, S); 0 if blank."""
    side = work.shape[1]
    rows_profile, cols_profile = work.sum(axis=2), work.sum(axis=1)  # (n, S) each
    mass = rows_profile.sum(axis=1)
    safe = np.where(mass > 0, mass, 1.0)
    at = np.arange(side)
    r_mean = (rows_profile * at).sum(axis=1) / safe
    c_mean = (cols_profile * at).sum(axis=1) / safe
    spread = np.sqrt(
        (
            (rows_profile * (at - r_mean[:, None]) ** 2).sum(axis=1)
            + (cols_profile * (at - c_mean[:, None]) ** 2).sum(axis=1)
        )
        / safe
    )
    return mass, spread


def stroke_widths(images: np.ndarray) -> np.ndarray:
    """Stroke width (working px) of each image (n, h, w) in [0, 1]: twice the mean depth of
    its ridge (the pixels as deep inside the ink as any neighbour); 0 if blank."""
    ink = images >= INK_LEVEL
    depth = distance_to(~ink, True, MAX_DISTANCE)
    padded = np.pad(depth, ((0, 0), (1, 1), (1, 1)))
    h, w = depth.shape[1:]
    deepest = np.max([padded[:, i : i + h, j : j + w] for i in range(3) for j in range(3)], axis=0)
    ridge = ink & (depth >= deepest)
    count = ridge.sum(axis=(1, 2))
    total = np.where(ridge, depth, 0).sum(axis=(1, 2), dtype=np.float64)
    return np.where(count > 0, 2.0 * total / np.maximum(count, 1), 0.0)


def draw(work: np.ndarray, rng: np.random.Generator, style: DrawnStyle) -> np.ndarray:
    """Working frames (m, 56, 56) as hard-edged drawings: the engine's drawn-copy recipe
    (rotate and slant, ink at a random edge level, a thicker or thinner pen), same draws."""
    m, side = int(work.shape[0]), int(work.shape[1])
    centre = (side - 1) / 2
    angle = np.radians(rng.uniform(-style.max_rotate_deg, style.max_rotate_deg, m))
    shear = rng.uniform(-style.max_shear, style.max_shear, m)
    level = rng.uniform(*style.ink_level, m).astype(np.float32)
    pick = rng.uniform(size=m)
    change = rng.uniform(*style.pen_change, m).astype(np.float32)
    r, c = np.meshgrid(np.arange(side) - centre, np.arange(side) - centre, indexing="ij")
    cos, sin = np.cos(angle)[:, None, None], np.sin(angle)[:, None, None]
    src_r = cos * r - sin * c + centre
    src_c = sin * r + cos * c + shear[:, None, None] * r + centre
    index = np.broadcast_to(np.arange(m, dtype=np.float64)[:, None, None], src_r.shape)
    turned = ndimage.map_coordinates(
        work, np.stack([index, src_r, src_c]), order=1, mode="constant"
    )
    ink = turned > level[:, None, None]
    grow = pick < style.grow_p
    shrink = (pick >= style.grow_p) & (pick < style.grow_p + style.shrink_p)
    limit = int(np.ceil(MAX_PEN_CHANGE))
    if grow.any():
        ink[grow] = distance_to(ink[grow], False, limit) <= change[grow, None, None]
    if shrink.any():
        thinned = distance_to(~ink[shrink], True, limit) > change[shrink, None, None]
        vanished = ~thinned.any(axis=(1, 2))
        thinned[vanished] = ink[shrink][vanished]
        ink[shrink] = thinned
    return ink.astype(np.float32)


def check_against_engine(X_raw: np.ndarray, canvases: list[np.ndarray]) -> list[str]:
    """Differences between ``Pipeline()`` and the engine's version 3 (empty when none).

    Compares the dataset side on ``X_raw`` (n, 784), the canvas side on ``canvases`` and one
    drawn copy of the first 300 images.
    """
    from engine import prepare_images, preprocess_canvas
    from engine.handwriting.drawn import drawn_copies

    copy = Pipeline()
    problems = []
    if not np.array_equal(copy.prepare_images(X_raw), prepare_images(X_raw, 3)):
        problems.append("dataset side differs")
    for i, canvas in enumerate(canvases):
        ours, theirs = copy.preprocess_canvas(canvas), preprocess_canvas(canvas, version=3)
        if (ours is None) != (theirs is None) or (
            ours is not None and not np.array_equal(ours, theirs)
        ):
            problems.append(f"canvas {i} differs")
    few = X_raw[:300]
    if not np.array_equal(copy.drawn_copies(few, 1), drawn_copies(few, 1)):
        problems.append("drawn copies differ")
    return problems


def _scale_to_box(crop: np.ndarray) -> np.ndarray:
    """The canvas crop scaled so its longer side is version 3's 40-px box, aspect kept."""
    box = DIGIT_BOX * WORK_FACTOR
    h, w = crop.shape
    longer = max(h, w)
    new_h = max(1, int(round(h * box / longer)))
    new_w = max(1, int(round(w * box / longer)))
    return resample_axis0(resample_axis0(crop, new_h).T, new_w).T


def _span(inked: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First and last inked index of each profile (n, m); (0, m - 1) for a blank one."""
    m = inked.shape[1]
    blank = ~inked.any(axis=1)
    first = np.where(blank, 0, inked.argmax(axis=1))
    last = np.where(blank, m - 1, m - 1 - inked[:, ::-1].argmax(axis=1))
    return first, last


def _sample_axis(a: np.ndarray, centre: np.ndarray, step: np.ndarray, axis: int) -> np.ndarray:
    """Resample ``a`` (n, S, S) along ``axis``: output pixel centre ``S/2 + t`` reads the
    input at ``centre + t · step`` (pixel-edge coordinates), linear, zero outside."""
    if axis == 2:
        return _sample_axis(a.transpose(0, 2, 1), centre, step, 1).transpose(0, 2, 1)
    n, side, _ = a.shape
    t = np.arange(side) + 0.5 - side / 2
    src = centre[:, None] + t[None, :] * step[:, None] - 0.5
    lo = np.floor(src)
    frac = (src - lo).astype(np.float32)[:, :, None]
    lo = np.clip(lo.astype(np.int64) + 1, 0, side + 1)  # +1: index into the zero-padded copy
    hi = np.minimum(lo + 1, side + 1)
    padded = np.pad(a, ((0, 0), (1, 1), (0, 0)))
    image = np.arange(n)[:, None]
    return padded[image, lo] * (1 - frac) + padded[image, hi] * frac


def _recentre(images: np.ndarray) -> np.ndarray:
    """Shift each image (n, h, w) by whole pixels so its centre of mass is nearest (14, 14),
    never pushing ink out of the frame."""
    n, h, w = images.shape
    rows_profile, cols_profile = images.sum(axis=2), images.sum(axis=1)
    mass = np.maximum(rows_profile.sum(axis=1), 1e-12)
    cy = (rows_profile * np.arange(h)).sum(axis=1) / mass
    cx = (cols_profile * np.arange(w)).sum(axis=1) / mass
    dy = _limited_shift(np.rint(MNIST_CENTRE_OF_MASS[0] - cy), rows_profile > 0)
    dx = _limited_shift(np.rint(MNIST_CENTRE_OF_MASS[1] - cx), cols_profile > 0)
    src_r = np.arange(h)[None, :] - dy[:, None]
    src_c = np.arange(w)[None, :] - dx[:, None]
    valid = ((src_r >= 0) & (src_r < h))[:, :, None] & ((src_c >= 0) & (src_c < w))[:, None, :]
    picked = images[
        np.arange(n)[:, None, None],
        np.clip(src_r, 0, h - 1)[:, :, None],
        np.clip(src_c, 0, w - 1)[:, None, :],
    ]
    return np.where(valid, picked, 0.0).astype(np.float32)


def _limited_shift(shift: np.ndarray, inked: np.ndarray) -> np.ndarray:
    m = inked.shape[1]
    first = np.where(inked.any(axis=1), inked.argmax(axis=1), 0)
    last = np.where(inked.any(axis=1), m - 1 - inked[:, ::-1].argmax(axis=1), m - 1)
    return np.clip(shift, -first, m - 1 - last).astype(np.int64)


def _turn_upright(images: np.ndarray, share: float) -> np.ndarray:
    """Rotate each image (n, h, w) ``share`` of the way to a vertical principal axis."""
    a = np.asarray(images, np.float32)
    n, h, w = a.shape
    rows, cols = np.indices((h, w), dtype=np.float64)
    mass = np.maximum(a.sum(axis=(1, 2), dtype=np.float64), 1e-12)
    r_mean = (a * rows).sum(axis=(1, 2)) / mass
    c_mean = (a * cols).sum(axis=(1, 2)) / mass
    dr = rows[None] - r_mean[:, None, None]
    dc = cols[None] - c_mean[:, None, None]
    var_r, var_c = (a * dr**2).sum(axis=(1, 2)) / mass, (a * dc**2).sum(axis=(1, 2)) / mass
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
    return ndimage.map_coordinates(a, coords, order=1, mode="constant").astype(np.float32)
