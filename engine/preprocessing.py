"""From a drawing canvas to the 28×28 input the model expects, the way MNIST was made.

Polarity: the canvas is **ink-bright**, like MNIST: 0 is background, larger values are ink
(uint8 0–255 or floats 0–1). A GUI that shows dark ink on a light page inverts before calling.

Steps (version 1):
1. crop to the bounding box of the ink (pixels above :data:`INK_THRESHOLD`);
2. scale so the longer side is :data:`DIGIT_BOX` = 20 px, keeping the aspect ratio, by
   exact area averaging (anti-aliased whatever the scale);
3. stretch intensities so the brightest pixel is 1.0, as in MNIST (99.96% of its images
   reach 1.0);
4. paste into 28×28 with an integer shift that puts the centre of mass nearest to
   :data:`MNIST_CENTRE_OF_MASS` = (14.0, 14.0) (row, col; measured on the 60k training
   images: mean 13.996, 14.007; std 0.29 = the spread of rounding to whole pixels).

Version 2 adds, for drawings made with any pen:
- between steps 1 and 2, stroke-width normalisation at 4× resolution
  (:mod:`engine.strokes`), so thin- and thick-pen drawings reach MNIST's stroke width;
- after step 4, moments-based deskewing (:mod:`engine.deskew`), which
  :func:`prepare_images` applies identically to the training and test images.

A canvas with no ink gives ``None`` ("nothing drawn"), never a prediction.
"""

from __future__ import annotations

import numpy as np

from .constants import MNIST_SIDE
from .deskew import deskew
from .strokes import WORK_SIDE, normalise_strokes

PREPROCESSING_VERSION = 1
SUPPORTED_PREPROCESSING_VERSIONS = frozenset({1, 2})
DIGIT_BOX = 20
MNIST_CENTRE_OF_MASS = (14.0, 14.0)
#: Fraction of full scale above which a pixel counts as ink when finding the bounding box.
INK_THRESHOLD = 0.1


def _as_unit_float(canvas: np.ndarray) -> np.ndarray:
    a = np.asarray(canvas)
    if a.ndim != 2 or a.shape[0] < 1 or a.shape[1] < 1:
        raise ValueError(f"canvas must be a 2-D array of at least 1×1, got shape {a.shape}")
    if a.dtype == np.uint8:
        return a.astype(np.float32) * np.float32(1 / 255)
    if a.dtype.kind not in "fiu":
        raise ValueError(f"canvas must be numeric, got dtype {a.dtype}")
    a = a.astype(np.float32)
    if not np.isfinite(a).all():
        raise ValueError("canvas contains NaN or infinite values")
    return np.clip(a, 0.0, 1.0)


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
    canvas : (H, W) array, uint8 0–255 or float 0–1, ink bright on a dark background.
    version : preprocessing version the model expects (see ``SoftmaxModel``).

    Returns
    -------
    (28, 28) float32 image in [0, 1], or None when nothing is drawn.

    Raises
    ------
    ValueError
        For a canvas that is not 2-D, is empty, holds non-finite values, or an unknown version.
    """
    _check_version(version)
    a = _as_unit_float(canvas)
    ink = a > INK_THRESHOLD
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if rows.size == 0:
        return None
    crop = a[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
    if version >= 2:
        crop = normalise_strokes(_scale_to_box(crop, WORK_SIDE))
    digit = _scale_to_box(crop, DIGIT_BOX)
    digit /= digit.max()
    cy, cx = _centre_of_mass(digit)
    h, w = digit.shape
    top = int(np.clip(round(MNIST_CENTRE_OF_MASS[0] - cy), 0, MNIST_SIDE - h))
    left = int(np.clip(round(MNIST_CENTRE_OF_MASS[1] - cx), 0, MNIST_SIDE - w))
    out = np.zeros((MNIST_SIDE, MNIST_SIDE), dtype=np.float32)
    out[top:top + h, left:left + w] = digit
    return deskew(out) if version >= 2 else out


def prepare_images(X: np.ndarray, version: int = PREPROCESSING_VERSION) -> np.ndarray:
    """Apply a preprocessing version's dataset-side steps to MNIST-format images.

    Version 1 uses MNIST images as they are (they were made by steps 1–4 above); version 2
    deskews them, exactly as :func:`preprocess_canvas` deskews a canvas.

    Parameters
    ----------
    X : (n, 784) float32 images in [0, 1].

    Returns
    -------
    (n, 784) float32 images, ready for a model of that preprocessing version.
    """
    _check_version(version)
    if version == 1:
        return X
    return deskew(X.reshape(-1, MNIST_SIDE, MNIST_SIDE)).reshape(X.shape[0], -1)


def _check_version(version: int) -> None:
    if version not in SUPPORTED_PREPROCESSING_VERSIONS:
        raise ValueError(f"unknown preprocessing version {version}; "
                         f"known: {sorted(SUPPORTED_PREPROCESSING_VERSIONS)}")
