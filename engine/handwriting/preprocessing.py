"""From a drawing canvas to the 28×28 input the model expects, the way MNIST was made.

Polarity: the canvas is **ink-bright**, like MNIST: 0 is background, larger values are ink.
Integer canvases (any integer dtype) are read as 0–255, float canvases as 0–1; values outside
those ranges are refused with a ValueError, never clipped. A GUI that shows dark ink on a
light page inverts before calling.

Steps (version 1):
1. crop to the bounding box of the ink (pixels above :data:`INK_THRESHOLD`);
2. scale so the longer side is :data:`DIGIT_BOX` = 20 px, keeping the aspect ratio, by
   exact area averaging (anti-aliased whatever the scale);
3. stretch intensities so the brightest pixel is 1.0, as in MNIST (every one of its
   training images peaks at 254 or 255);
4. paste into 28×28 with an integer shift that puts the centre of mass nearest to
   :data:`MNIST_CENTRE_OF_MASS` = (14.0, 14.0) (row, col; measured on the 60k training
   images: mean 13.996, 14.007; std 0.29 = the spread of rounding to whole pixels).

Version 2 adds, for drawings made with any pen:
- between steps 1 and 2, stroke-width normalisation at 4× resolution
  (:mod:`engine.handwriting.strokes`), so thin- and thick-pen drawings reach MNIST's stroke width;
- after step 4, moments-based deskewing (:mod:`engine.handwriting.deskew`), which
  :func:`prepare_images` applies identically to the training and test images.

Version 3 sends canvas drawings and dataset images through one batched renderer, so both
reach the model alike:
- the canvas is cropped and scaled (step 2) to a 40-px box in a 56×56 working frame
  (:data:`WORK_FRAME`, MNIST's frame at ``WORK_FACTOR`` = 2×); an MNIST image is simply
  upsampled 2× (its digit already fills a 20-px box);
- every stroke is redrawn at one bold width
  (:func:`engine.handwriting.strokes.normalise_stroke_batch`),
  the digit is scaled so the spread of its ink matches MNIST's median (:func:`_rebox`; a
  size measure that rotation and pen width hardly move), 2×2 blocks are averaged down to
  28×28 (MNIST-like anti-aliasing), the peak is stretched to 1, the centre of mass is moved
  to the nearest whole pixel of (14, 14), and the digit is deskewed.
Everything is whole-array NumPy without BLAS: a canvas takes about a millisecond, the 70,000
MNIST images tens of seconds (then cached by :func:`engine.data.datasets.load_mnist`).

A canvas with no ink gives ``None`` ("nothing drawn"), never a prediction.
"""

from __future__ import annotations

import numpy as np

from engine.constants import MNIST_SIDE
from engine.greyscale import GREY_MAX, from_grey_levels
from engine.handwriting.deskew import deskew
from engine.handwriting.strokes import (
    WORK_FACTOR,
    WORK_SIDE,
    normalise_stroke_batch,
    normalise_strokes,
)
from engine.handwriting.versions import PREPROCESSING_VERSION, check_version

DIGIT_BOX = 20
MNIST_CENTRE_OF_MASS = (14.0, 14.0)
#: Fraction of full scale above which a pixel counts as ink when finding the bounding box.
INK_THRESHOLD = 0.1


def _as_unit_float(canvas: np.ndarray) -> np.ndarray:
    a = np.asarray(canvas)
    if a.ndim != 2 or a.shape[0] < 1 or a.shape[1] < 1:
        raise ValueError(f"canvas must be a 2-D array of at least 1×1, got shape {a.shape}")
    if a.dtype == np.uint8:
        return from_grey_levels(a)
    if a.dtype.kind not in "fiu":
        raise ValueError(f"canvas must be numeric, got dtype {a.dtype}")
    if a.dtype.kind in "iu":  # any integer dtype is read as grey levels, like uint8
        low, high = int(a.min()), int(a.max())
        if low < 0 or high > GREY_MAX:
            raise ValueError(f"integer canvas values must be in 0–{GREY_MAX}, got {low}–{high}")
        return from_grey_levels(a)
    a = a.astype(np.float32)
    if not np.isfinite(a).all():
        raise ValueError("canvas contains NaN or infinite values")
    lo, hi = float(a.min()), float(a.max())
    if lo < 0.0 or hi > 1.0:
        # refused rather than guessed: a float image in 0–255 and one in 0–1 that overshoots
        # slightly cannot be told apart reliably
        raise ValueError(
            f"float canvas values must be in [0, 1] (divide 0–{GREY_MAX} data by "
            f"{GREY_MAX}), got {lo:g}–{hi:g}"
        )
    return a


def _area_resample_axis0(a: np.ndarray, n_out: int) -> np.ndarray:
    """Resample rows of ``a`` (n_in, m) to (n_out, m) by exact area averaging.

    Uses the running integral along the axis, so it costs O(n_in · m) and no BLAS call:
    multithreaded BLAS on small products stalls for tens of milliseconds when another
    thread (training) keeps the cores busy, and this runs on the UI thread while drawing.
    """
    n_in = a.shape[0]
    integral = np.zeros((n_in + 1,) + a.shape[1:], dtype=np.float64)
    np.cumsum(a, axis=0, out=integral[1:])
    edges = np.arange(n_out + 1) * (n_in / n_out)  # output pixel edges, in input pixels
    whole = np.minimum(np.floor(edges).astype(np.int64), n_in - 1)
    frac = (edges - whole)[:, None]
    at_edges = integral[whole] + frac * a[whole]  # integral up to each (fractional) edge
    return ((at_edges[1:] - at_edges[:-1]) * (n_out / n_in)).astype(np.float32)


def _linear_resample_axis0(a: np.ndarray, n_out: int) -> np.ndarray:
    """Resample rows of ``a`` (n_in, m) to (n_out, m) by linear interpolation (for growing)."""
    n_in = a.shape[0]
    centres = np.clip((np.arange(n_out) + 0.5) * (n_in / n_out) - 0.5, 0, n_in - 1)
    lo = np.floor(centres).astype(np.int64)
    hi = np.minimum(lo + 1, n_in - 1)
    frac = (centres - lo).astype(np.float32)[:, None]
    return a[lo] * (1 - frac) + a[hi] * frac


def resample_axis0(a: np.ndarray, n_out: int) -> np.ndarray:
    """Area averaging when shrinking (anti-aliased), linear interpolation when growing."""
    if n_out <= a.shape[0]:
        return _area_resample_axis0(a, n_out)
    return _linear_resample_axis0(a, n_out)


def _scale_to_box(crop: np.ndarray, box: int) -> np.ndarray:
    h, w = crop.shape
    longer = max(h, w)
    new_h = max(1, int(round(h * box / longer)))
    new_w = max(1, int(round(w * box / longer)))
    return resample_axis0(resample_axis0(crop, new_h).T, new_w).T


def _centre_of_mass(image: np.ndarray) -> tuple[float, float]:
    total = float(image.sum())
    rows = float(image.sum(axis=1) @ np.arange(image.shape[0])) / total
    cols = float(image.sum(axis=0) @ np.arange(image.shape[1])) / total
    return rows, cols


def preprocess_canvas(
    canvas: np.ndarray, version: int = PREPROCESSING_VERSION
) -> np.ndarray | None:
    """Reduce an ink-bright canvas of any size to a 28×28 MNIST-style image.

    Parameters
    ----------
    canvas : (H, W) array, integer 0–255 or float 0–1, ink bright on a dark background.
    version : preprocessing version the model expects (see ``SoftmaxModel``).

    Returns
    -------
    (28, 28) float32 image in [0, 1], or None when nothing is drawn.

    Raises
    ------
    ValueError
        For a canvas that is not 2-D, is empty, is not numeric, holds non-finite values or
        values outside its dtype's range (0–255 integer, 0–1 float), or an unknown version.
    """
    check_version(version)
    a = _as_unit_float(canvas)
    ink = a > INK_THRESHOLD
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if rows.size == 0:
        return None
    crop = a[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    if version == 3:
        digit = _scale_to_box(crop, DIGIT_BOX * WORK_FACTOR)
        h, w = digit.shape
        work = np.zeros((1, WORK_FRAME, WORK_FRAME), dtype=np.float32)
        top, left = (WORK_FRAME - h) // 2, (WORK_FRAME - w) // 2
        work[0, top : top + h, left : left + w] = digit
        return _render(work)[0]
    if version == 2:
        crop = normalise_strokes(_scale_to_box(crop, WORK_SIDE))
    digit = _scale_to_box(crop, DIGIT_BOX)
    digit /= digit.max()
    cy, cx = _centre_of_mass(digit)
    h, w = digit.shape
    top = int(np.clip(round(MNIST_CENTRE_OF_MASS[0] - cy), 0, MNIST_SIDE - h))
    left = int(np.clip(round(MNIST_CENTRE_OF_MASS[1] - cx), 0, MNIST_SIDE - w))
    out = np.zeros((MNIST_SIDE, MNIST_SIDE), dtype=np.float32)
    out[top : top + h, left : left + w] = digit
    return deskew(out) if version >= 2 else out


def prepare_images(X: np.ndarray, version: int = PREPROCESSING_VERSION) -> np.ndarray:
    """Apply a preprocessing version's dataset-side steps to MNIST-format images.

    Version 1 uses MNIST images as they are (they were made by steps 1–4 above); version 2
    deskews them, exactly as :func:`preprocess_canvas` deskews a canvas; version 3 upsamples
    them into the working frame and runs the renderer canvases go through.

    Parameters
    ----------
    X : (n, 784) float32 images in [0, 1].

    Returns
    -------
    (n, 784) float32 images, ready for a model of that preprocessing version.
    """
    check_version(version)
    if version == 1:
        return X
    images = X.reshape(-1, MNIST_SIDE, MNIST_SIDE)
    if version == 2:
        return deskew(images).reshape(X.shape[0], -1)
    out = np.empty((X.shape[0], MNIST_SIDE, MNIST_SIDE), dtype=np.float32)
    for start in range(0, X.shape[0], CHUNK):
        work = to_working_frame(images[start : start + CHUNK].astype(np.float32, copy=False))
        out[start : start + CHUNK] = _render(work)
    return out.reshape(X.shape[0], -1)


def render_working_frames(work: np.ndarray) -> np.ndarray:
    """Version 3's renderer on digits already in working frames, :data:`CHUNK` at a time.

    Parameters
    ----------
    work : (n, WORK_FRAME, WORK_FRAME) float32 in [0, 1], e.g. from :func:`to_working_frame`.

    Returns
    -------
    (n, 784) float32 images, as :func:`prepare_images` and :func:`preprocess_canvas` make them.
    """
    out = np.empty((work.shape[0], MNIST_SIDE, MNIST_SIDE), dtype=np.float32)
    for start in range(0, work.shape[0], CHUNK):
        out[start : start + CHUNK] = _render(work[start : start + CHUNK])
    return out.reshape(work.shape[0], -1)


# --- version 3: one renderer for canvas drawings and dataset images ----------------------------

#: Side of version 3's working frame: MNIST's 28×28 frame at WORK_FACTOR× resolution.
WORK_FRAME = MNIST_SIDE * WORK_FACTOR
#: Images per batch when preparing a dataset: small enough that each working array
#: (256 × 56 × 56 float32 = 3 MB) stays in cache.
CHUNK = 256
#: Spread of the ink, sqrt(var_r + var_c) in working pixels, every digit is scaled to:
#: the median of the MNIST training digits after redrawing at width 7
#: (``bench/drawn_digits/experiments.py --measure``), so digits keep MNIST's size on average.
INK_SPREAD = 12.95
#: Working pixels kept free on each side of the frame when a digit is scaled up.
FRAME_MARGIN = 2


def to_working_frame(images: np.ndarray) -> np.ndarray:
    """(n, 28, 28) -> (n, WORK_FRAME, WORK_FRAME) by linear interpolation, pixel centres aligned."""
    side = images.shape[1]
    centres = np.clip((np.arange(WORK_FRAME) + 0.5) / WORK_FACTOR - 0.5, 0, side - 1)
    lo = np.floor(centres).astype(np.int64)
    hi = np.minimum(lo + 1, side - 1)
    frac = (centres - lo).astype(np.float32)
    # np.take keeps the results C-contiguous, which the distance passes need to be fast
    rows = (
        np.take(images, lo, axis=1) * (1 - frac)[:, None]
        + np.take(images, hi, axis=1) * frac[:, None]
    )
    return np.take(rows, lo, axis=2) * (1 - frac) + np.take(rows, hi, axis=2) * frac


def _render(work: np.ndarray) -> np.ndarray:
    """Version 3's shared steps on digits in working frames (n, WORK_FRAME, WORK_FRAME).

    Redraw every stroke at MNIST's width, average WORK_FACTOR² blocks down to 28×28 (MNIST's
    anti-aliasing), stretch to a peak of 1, move the centre of mass to the nearest whole
    pixel of (14, 14), deskew. Returns (n, 28, 28) float32.
    """
    n = work.shape[0]
    drawn = _rebox(normalise_stroke_batch(work))
    small = drawn.reshape(n, MNIST_SIDE, WORK_FACTOR, MNIST_SIDE, WORK_FACTOR).mean(axis=(2, 4))
    peak = small.max(axis=(1, 2), keepdims=True)
    small /= np.where(peak > 0, peak, 1.0)
    return deskew(_recentre(small))


def _rebox(work: np.ndarray) -> np.ndarray:
    """Scale each digit (n, S, S) so the spread of its ink is :data:`INK_SPREAD`.

    The size is measured after redrawing, by the root-mean-square distance of the ink from
    its centre of mass, ``sqrt(var_r + var_c)``, not by the ink box: a rotation leaves it
    unchanged (a 15° turn grows a box by up to 12%), a thicker or thinner pen hardly moves
    it, and one stray end of a stroke cannot shrink the whole digit. The ink box must still
    fit the frame less :data:`FRAME_MARGIN` on each side. The map is an axis-aligned scaling
    about the box centre (to the frame centre), sampled bilinearly one axis at a time.
    """
    n, side, _ = work.shape
    ink = work > INK_THRESHOLD
    r0, r1 = _span(np.any(ink, axis=2))
    c0, c1 = _span(np.any(ink, axis=1))
    longer = np.maximum(r1 - r0, c1 - c0) + 1
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
    # source pixels per output pixel, (n,); never so large a digit that it leaves the frame
    step = np.maximum(spread / INK_SPREAD, longer / (side - 2 * FRAME_MARGIN))
    step = np.where(mass > 0, step, 1.0)
    out = _sample_axis(work, (r0 + r1 + 1) / 2, step, axis=1)
    return _sample_axis(out, (c0 + c1 + 1) / 2, step, axis=2)


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
    src = centre[:, None] + t[None, :] * step[:, None] - 0.5  # (n, S), in pixel indices
    lo = np.floor(src)
    frac = (src - lo).astype(np.float32)[:, :, None]
    lo = np.clip(lo.astype(np.int64) + 1, 0, side + 1)  # +1: index into the zero-padded copy
    hi = np.minimum(lo + 1, side + 1)
    padded = np.pad(a, ((0, 0), (1, 1), (0, 0)))
    image = np.arange(n)[:, None]
    # whole rows are gathered at once, which is far cheaper than element-wise gathers
    return padded[image, lo] * (1 - frac) + padded[image, hi] * frac


def _recentre(images: np.ndarray) -> np.ndarray:
    """Shift each image (n, h, w) by whole pixels so its centre of mass is nearest (14, 14).

    The shift is limited so that no ink leaves the frame; blank images stay blank.
    """
    n, h, w = images.shape
    rows_profile, cols_profile = images.sum(axis=2), images.sum(axis=1)  # (n, h), (n, w)
    mass = np.maximum(rows_profile.sum(axis=1), 1e-12)
    cy = (rows_profile * np.arange(h)).sum(axis=1) / mass
    cx = (cols_profile * np.arange(w)).sum(axis=1) / mass
    dy = _limited_shift(np.rint(MNIST_CENTRE_OF_MASS[0] - cy), rows_profile > 0)
    dx = _limited_shift(np.rint(MNIST_CENTRE_OF_MASS[1] - cx), cols_profile > 0)
    src_r = np.arange(h)[None, :] - dy[:, None]  # (n, h): source row of each output row
    src_c = np.arange(w)[None, :] - dx[:, None]
    valid = ((src_r >= 0) & (src_r < h))[:, :, None] & ((src_c >= 0) & (src_c < w))[:, None, :]
    picked = images[
        np.arange(n)[:, None, None],
        np.clip(src_r, 0, h - 1)[:, :, None],
        np.clip(src_c, 0, w - 1)[:, None, :],
    ]
    return np.where(valid, picked, 0.0).astype(np.float32)


def _limited_shift(shift: np.ndarray, inked: np.ndarray) -> np.ndarray:
    """Clip whole-pixel shifts (n,) so the inked span of each profile (n, m) stays inside."""
    m = inked.shape[1]
    first = np.where(inked.any(axis=1), inked.argmax(axis=1), 0)
    last = np.where(inked.any(axis=1), m - 1 - inked[:, ::-1].argmax(axis=1), m - 1)
    return np.clip(shift, -first, m - 1 - last).astype(np.int64)
