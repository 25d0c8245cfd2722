"""Fixed random ReLU features: ``x -> max(0, R x)`` with a Gaussian ``R`` that is never trained.

``R`` is drawn from ``np.random.default_rng(seed)`` (PCG64 and NumPy's ziggurat normals), so
one seed gives the same matrix on every machine with the same NumPy stream; a model file
stores the seed and shape, not ``R``, plus :func:`matrix_checksum` of it, so a NumPy that
ever drew a different matrix is caught instead of silently reading with other features.
"""

from __future__ import annotations

import functools
import hashlib

import numpy as np


@functools.lru_cache(maxsize=2)
def random_matrix(seed: int, n_random: int, n_inputs: int) -> np.ndarray:
    """The fixed matrix ``R`` (n_random, n_inputs) float32: standard normal / sqrt(n_inputs),
    so that ``R x`` stays of order one for images in [0, 1]. Read-only (cached and shared)."""
    rng = np.random.default_rng(seed)
    R = rng.standard_normal((n_random, n_inputs), dtype=np.float32)
    R *= np.float32(1 / np.sqrt(n_inputs))
    R.flags.writeable = False
    return R


def matrix_checksum(R: np.ndarray) -> str:
    """SHA-256 (first 16 hex digits) of ``R``'s little-endian float32 bytes."""
    return hashlib.sha256(np.ascontiguousarray(R, dtype="<f4").tobytes()).hexdigest()[:16]


def random_relu(images: np.ndarray, R: np.ndarray) -> np.ndarray:
    """``max(0, images @ R.T)``: (n, n_inputs) float32 -> (n, n_random) float32."""
    features = images @ R.T  # (n, n_random)
    np.maximum(features, 0, out=features)
    return features
