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

A canvas with no ink gives ``None`` ("nothing drawn"), never a prediction.
"""

from __future__ import annotations

import numpy as np

from .constants import MNIST_SIDE

PREPROCESSING_VERSION = 1
SUPPORTED_PREPROCESSING_VERSIONS = frozenset({1})
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


def area_resample_matrix(n_in: int, n_out: int) -> np.ndarray:
    """(n_out, n_in) matrix averaging input pixels over each output pixel's footprint.

    Rows sum to 1; ``R @ signal`` resamples a 1-D signal with exact box anti-aliasing.
    """
    scale = n_out / n_in
    out_lo = np.arange(n_out)[:, None] / scale  # footprint of each output pixel, in input px
    out_hi = out_lo + 1 / scale
    in_lo = np.arange(n_in)[None, :]
    overlap = np.clip(np.minimum(out_hi, in_lo + 1) - np.maximum(out_lo, in_lo), 0, None)
    return (overlap * scale).astype(np.float32)


def _scale_to_box(crop: np.ndarray, box: int) -> np.ndarray:
    h, w = crop.shape
    longer = max(h, w)
    new_h = max(1, int(round(h * box / longer)))
    new_w = max(1, int(round(w * box / longer)))
    return area_resample_matrix(h, new_h) @ crop @ area_resample_matrix(w, new_w).T


def _centre_of_mass(image: np.ndarray) -> tuple[float, float]:
    total = float(image.sum())
    rows = float(image.sum(axis=1) @ np.arange(image.shape[0])) / total
    cols = float(image.sum(axis=0) @ np.arange(image.shape[1])) / total
    return rows, cols


def preprocess_canvas(canvas: np.ndarray, version: int = PREPROCESSING_VERSION) -> np.ndarray | None:
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
    if version not in SUPPORTED_PREPROCESSING_VERSIONS:
        raise ValueError(f"unknown preprocessing version {version}; "
                         f"known: {sorted(SUPPORTED_PREPROCESSING_VERSIONS)}")
    a = _as_unit_float(canvas)
    ink = a > INK_THRESHOLD
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if rows.size == 0:
        return None
    crop = a[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
    digit = _scale_to_box(crop, DIGIT_BOX)
    digit /= digit.max()
    cy, cx = _centre_of_mass(digit)
    h, w = digit.shape
    top = int(np.clip(round(MNIST_CENTRE_OF_MASS[0] - cy), 0, MNIST_SIDE - h))
    left = int(np.clip(round(MNIST_CENTRE_OF_MASS[1] - cx), 0, MNIST_SIDE - w))
    out = np.zeros((MNIST_SIDE, MNIST_SIDE), dtype=np.float32)
    out[top:top + h, left:left + w] = digit
    return out
