"""Moments-based deskewing: shear each digit so its principal axis is vertical.

For an image with centre of mass ``(r̄, c̄)``, the slant is ``α = cov(r, c) / var(r)``
(how far the ink's column drifts per row). Deskewing samples the input at
``(r, c + α (r - r̄))``, a horizontal shear about the centroid row, which removes the slant
and keeps the centre of mass where it was. Training images and canvas input go through
the same function.
"""

from __future__ import annotations

import numpy as np

#: Shears beyond this are clipped: a stroke lying almost flat is not a slanted digit.
MAX_SHEAR = 1.0
#: Images per map_coordinates call when deskewing a whole dataset (bounds temporary memory).
CHUNK = 4096


def skew(images: np.ndarray) -> np.ndarray:
    """Slant ``α = cov(r, c) / var(r)`` of each image (n,) for images (n, h, w)."""
    n, h, w = images.shape
    rows = np.arange(h, dtype=np.float64)[None, :, None]
    cols = np.arange(w, dtype=np.float64)[None, None, :]
    mass = images.sum(axis=(1, 2), dtype=np.float64)
    safe = np.where(mass > 0, mass, 1.0)
    r_mean = (images * rows).sum(axis=(1, 2)) / safe
    c_mean = (images * cols).sum(axis=(1, 2)) / safe
    dr = rows - r_mean[:, None, None]
    dc = cols - c_mean[:, None, None]
    var_r = (images * dr**2).sum(axis=(1, 2)) / safe
    cov = (images * dr * dc).sum(axis=(1, 2)) / safe
    alpha = np.where(var_r > 0, cov / np.where(var_r > 0, var_r, 1.0), 0.0)
    return np.clip(alpha, -MAX_SHEAR, MAX_SHEAR)


def deskew(images: np.ndarray) -> np.ndarray:
    """Deskew a batch of images (n, h, w) or one image (h, w); float32 in, float32 out.

    Blank images come back unchanged. Linear interpolation along rows, zero outside the image.
    """
    single = images.ndim == 2
    batch = np.asarray(images, dtype=np.float32)[None] if single else np.asarray(images, np.float32)
    out = np.empty_like(batch)
    for start in range(0, batch.shape[0], CHUNK):
        out[start : start + CHUNK] = _deskew_chunk(batch[start : start + CHUNK])
    return out[0] if single else out


def _deskew_chunk(images: np.ndarray) -> np.ndarray:
    # A horizontal shear moves each row by a constant: linear interpolation along rows.
    n, h, w = images.shape
    alpha = skew(images)
    mass = images.sum(axis=(1, 2), dtype=np.float64)
    # elementwise, not `@`: this also runs on the UI thread, where a BLAS call can stall
    r_mean = (images.sum(axis=2) * np.arange(h)).sum(axis=1) / np.where(mass > 0, mass, 1.0)
    shift = alpha[:, None] * (np.arange(h)[None, :] - r_mean[:, None])  # (n, h), in columns
    whole = np.floor(shift)
    frac = (shift - whole).astype(np.float32)[:, :, None]
    padded = np.pad(images, ((0, 0), (0, 0), (w + 1, w + 1)))  # zeros outside the image
    idx = np.arange(w)[None, None, :] + whole.astype(np.int64)[:, :, None] + (w + 1)
    np.clip(idx, 0, 3 * w + 1, out=idx)
    left = np.take_along_axis(padded, idx, axis=2)
    right = np.take_along_axis(padded, idx + 1, axis=2)
    return left * (1 - frac) + right * frac
