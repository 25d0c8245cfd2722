"""Stroke-width normalisation: make a thin-pen or thick-pen drawing look MNIST-bold.

Works on a digit already scaled so its longer side is :data:`WORK_SIDE` px. The stroke
width is estimated from the distance transform: across a stroke of width ``w`` the distance
to the background runs from 0 to ``w / 2`` and back, so its mean over the ink is ``w / 4``
(plus half a pixel for pixel centres). The ink is then redrawn at the target width from
its signed distance, with a one-pixel anti-aliased edge.
"""

from __future__ import annotations

import numpy as np

#: Working resolution: the digit's longer side, in pixels, while strokes are normalised
#: (4× the 20-px MNIST box, so widths have sub-pixel precision in the final image).
WORK_SIDE = 80
#: Median MNIST stroke width at WORK_SIDE, measured by :func:`stroke_width` on the
#: 60,000 training digits upscaled the same way (version 2's calibration; version 3's is
#: ``MNIST_RIDGE_WIDTH`` in ``bench/drawn_digits/pipeline.py``).
MNIST_STROKE_WIDTH = 11.0
#: A pixel at or above this level counts as ink when measuring.
INK_LEVEL = 0.5


def stroke_width(image: np.ndarray) -> float:
    """Estimated stroke width (pixels) of the ink in ``image``; 0 for a blank image."""
    from scipy import ndimage  # deferred: importing it costs the app ~0.3 s at startup

    ink = image >= INK_LEVEL
    if not ink.any():
        return 0.0
    inside = ndimage.distance_transform_edt(ink)
    return float(4.0 * (inside[ink].mean() - 0.5))


def normalise_strokes(image: np.ndarray, target: float = MNIST_STROKE_WIDTH) -> np.ndarray:
    """Redraw the ink of ``image`` (h, w) in [0, 1] with stroke width ``target``.

    A blank image comes back unchanged. Thinning never erases a stroke completely: each
    stroke keeps at least its centre line.
    """
    from scipy import ndimage  # deferred: importing it costs the app ~0.3 s at startup

    ink = image >= INK_LEVEL
    if not ink.any():
        return image
    change = (target - stroke_width(image)) / 2  # grow (>0) or shrink (<0) each side
    pad = max(0, int(np.ceil(change)) + 1)
    ink = np.pad(ink, pad)
    inside = ndimage.distance_transform_edt(ink)
    outside = ndimage.distance_transform_edt(~ink)
    signed = np.where(ink, inside - 0.5, 0.5 - outside)  # >0 inside, distance to the edge
    if change < 0:
        # never thinner than the centre line: clamp the shrink per pixel by the local ridge
        ridge = ndimage.maximum_filter(inside, size=3)
        change = np.maximum(change, 1.0 - ridge)
    out = np.clip(signed + change + 0.5, 0.0, 1.0).astype(np.float32)
    return out[pad : out.shape[0] - pad, pad : out.shape[1] - pad] if pad else out


# --- version 3: batched, BLAS-free, bounded distance transform -------------------------------

#: Version 3 works on MNIST's 28×28 frame upsampled this many times (the 20-px digit box
#: becomes 40 px), for both canvas drawings and dataset images, so both meet one renderer.
WORK_FACTOR = 2
#: Distances (working pixels) the bounded transform resolves exactly; larger ones read as
#: ``MAX_DISTANCE + 1``. Strokes are at most a few pixels from their edge at this size,
#: and redrawing never moves an edge further than this.
MAX_DISTANCE = 6
#: Largest ``limit`` :func:`distance_to` accepts: its sums of squares must fit in a uint8.
MAX_LIMIT = 10
_SQRT = np.sqrt(np.arange(256, dtype=np.float32))
#: Width every stroke is redrawn at, canvas and training images alike: bolder than MNIST's
#: median (5.36, ``MNIST_RIDGE_WIDTH`` in ``bench/drawn_digits/pipeline.py``), because
#: bolder strokes overlap more between writers, which a linear model needs (the widths
#: measured are in bench/README.md, ``bench/drawn_digits/experiments.py``).
STROKE_TARGET = 8.0


def distance_to(
    target: np.ndarray, border_is_target: bool, limit: int = MAX_DISTANCE
) -> np.ndarray:
    """Euclidean distance from every pixel to the nearest ``target`` pixel, batched.

    Exact up to ``limit`` pixels; anything further reads between ``limit`` and ``limit + 1``.
    Two separable passes: the distance along each row, then the minimum over nearby rows of
    ``row_distance² + row_offset²`` (exact, as in Meijster et al. 2000, because the nearest
    target pixel lies within ``limit`` rows). Each pass is a few whole-array minimums on
    small integers, so 70,000 images cost seconds and one canvas a fraction of a millisecond,
    with no BLAS and no Python loop over images.

    Parameters
    ----------
    target : (n, h, w) bool.
    border_is_target : whether the outside of the image counts as target (True when
        measuring how deep ink lies, False when measuring how far background is from ink).
    limit : largest distance resolved exactly, at most :data:`MAX_LIMIT`.

    Returns
    -------
    (n, h, w) float32 distances (0 on target pixels).
    """
    return _SQRT[_squared_distance_to(target, border_is_target, limit)]


def _squared_distance_to(target: np.ndarray, border_is_target: bool, limit: int) -> np.ndarray:
    """:func:`distance_to` squared, as uint8 (n, h, w): small integers keep the passes fast."""
    if not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit must be in [1, {MAX_LIMIT}], got {limit}")
    n, h, w = target.shape
    cap = limit + 1
    # along rows: min over |j| <= cap of (0 if target at c + j else cap) + |j|
    cost = np.full((n, h + 2 * cap, w + 2 * cap), 0 if border_is_target else cap, np.uint8)
    cost[:, cap : cap + h, cap : cap + w] = np.where(target, np.uint8(0), np.uint8(cap))
    along = cost[:, :, cap : cap + w].copy()
    for j in range(1, cap + 1):
        np.minimum(along, cost[:, :, cap - j : cap - j + w] + np.uint8(j), out=along)
        np.minimum(along, cost[:, :, cap + j : cap + j + w] + np.uint8(j), out=along)
    sq = along * along  # (n, h + 2 cap, w), at most cap²: every sum below stays < 256
    # across rows: min over |k| <= limit of row_distance(r + k)² + k²
    best = sq[:, cap : cap + h].copy()
    for k in range(1, limit + 1):
        np.minimum(best, sq[:, cap - k : cap - k + h] + np.uint8(k * k), out=best)
        np.minimum(best, sq[:, cap + k : cap + k + h] + np.uint8(k * k), out=best)
    return np.minimum(best, np.uint8(cap * cap), out=best)


def _local_max(a: np.ndarray) -> np.ndarray:
    """Maximum over each pixel's 3×3 neighbourhood, per image of a batch (n, h, w)."""
    rows = np.pad(a, ((0, 0), (1, 1), (0, 0)))
    rows = np.maximum(np.maximum(rows[:, :-2], rows[:, 1:-1]), rows[:, 2:])
    cols = np.pad(rows, ((0, 0), (0, 0), (1, 1)))
    return np.maximum(np.maximum(cols[:, :, :-2], cols[:, :, 1:-1]), cols[:, :, 2:])


def _ridge_widths(inside2: np.ndarray, deepest2: np.ndarray, ink: np.ndarray) -> np.ndarray:
    """Stroke width per image: twice the mean depth of the ridge (the strokes' centre line).

    Takes squared depths ``inside2`` and their 3×3 maximum ``deepest2``. Only ridge pixels
    (as deep as any neighbour) count, so a blob where strokes meet or a loop filled in by a
    thick pen adds a handful of pixels, not its whole area.
    """
    ridge = ink & (inside2 >= deepest2)
    count = ridge.sum(axis=(1, 2))
    depth = np.where(ridge, _SQRT[inside2], 0).sum(axis=(1, 2), dtype=np.float64)
    return np.where(count > 0, 2.0 * depth / np.maximum(count, 1), 0.0)


def normalise_stroke_batch(images: np.ndarray, target: float = STROKE_TARGET) -> np.ndarray:
    """Redraw the ink of each image (n, h, w) in [0, 1] with stroke width ``target``.

    The ink (pixels at or above :data:`INK_LEVEL`) is redrawn from its signed distance to
    the edge, moved in or out by half the width change, with a one-pixel anti-aliased edge.
    Thinning never erases a stroke: each keeps at least its centre line. Blank images come
    back blank. Float32 out.
    """
    ink = images >= INK_LEVEL
    inside2 = _squared_distance_to(~ink, True, MAX_DISTANCE)
    deepest2 = _local_max(inside2)
    widths = _ridge_widths(inside2, deepest2, ink)
    change = np.where(widths > 0, (target - widths) / 2, 0.0).astype(np.float32)
    change = np.clip(change, -MAX_DISTANCE, MAX_DISTANCE)[:, None, None]
    # growing reads the distance outside the ink only as far as the largest growth
    reach = int(np.clip(np.ceil(change.max()) + 1, 1, MAX_DISTANCE))
    outside = _SQRT[_squared_distance_to(ink, False, reach)]
    signed = np.where(ink, _SQRT[inside2] - 0.5, 0.5 - outside)  # >0 inside: depth from edge
    # never thinner than the centre line: clamp each pixel's shrink by its local ridge depth
    change = np.maximum(change, 1.0 - _SQRT[deepest2])
    out = signed + change + 0.5
    return np.clip(out, 0.0, 1.0, out=out)
