"""Checks made once, where data enters the engine, so that the hot loops can trust it.

Each check raises a ``ValueError`` naming the array and what is wrong with it (shape,
element type, non-finite values, labels) before any work starts.
"""

from __future__ import annotations

import numpy as np

#: Element types training images may have: float32 features, or uint8 grey levels.
IMAGE_DTYPES = (np.dtype(np.float32), np.dtype(np.uint8))
#: Rows checked for finiteness at a time: bounds the boolean temporary to a few MB.
FINITE_CHUNK = 4096


def check_images(X: object, name: str, *, allow_empty: bool = False) -> np.ndarray:
    """``X`` must be a 2-D float32 or uint8 array with finite values and at least one
    feature (and one row unless ``allow_empty``); returns it."""
    if not isinstance(X, np.ndarray):
        raise ValueError(f"{name} must be a NumPy array, got {type(X).__name__}")
    if X.ndim != 2:
        raise ValueError(f"{name} must be 2-D (samples, features), got shape {X.shape}")
    if X.dtype not in IMAGE_DTYPES:
        raise ValueError(
            f"{name} must hold float32 features or uint8 grey levels, got {X.dtype} "
            "(convert with X.astype(np.float32))"
        )
    if X.shape[1] == 0:
        raise ValueError(f"{name} has no features (shape {X.shape})")
    if X.shape[0] == 0 and not allow_empty:
        raise ValueError(f"{name} is empty (shape {X.shape})")
    if X.dtype.kind == "f":
        check_finite(X, name)
    return X


def check_finite(X: np.ndarray, name: str) -> None:
    """2-D ``X`` must hold no NaN or infinity; checked a block of rows at a time."""
    for start in range(0, X.shape[0], FINITE_CHUNK):
        block = X[start : start + FINITE_CHUNK]
        if not np.isfinite(block).all():
            bad = start + int(np.flatnonzero(~np.isfinite(block).all(axis=1))[0])
            raise ValueError(f"{name} contains NaN or infinity (first in row {bad})")


def check_labels(y: object, name: str, n_samples: int) -> None:
    """``y`` must be a 1-D array of ``n_samples`` non-negative integer labels."""
    if not isinstance(y, np.ndarray):
        raise ValueError(f"{name} must be a NumPy array, got {type(y).__name__}")
    if y.ndim != 1:
        raise ValueError(f"{name} must be 1-D (one label per sample), got shape {y.shape}")
    if not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"{name} must hold integer class labels 0, 1, …, got {y.dtype}")
    if y.shape[0] != n_samples:
        raise ValueError(f"{name} has {y.shape[0]} labels for {n_samples} samples")
    if y.size and int(y.min()) < 0:
        raise ValueError(
            f"{name} holds a negative label ({int(y.min())}); classes are numbered 0, 1, …"
        )


def check_split(X: object, y: object, split: str, *, allow_empty: bool = False) -> None:
    """Images ``X`` and labels ``y`` of one split (``"train"``, ``"test"``, ``"val"``)."""
    images = check_images(X, f"X_{split}", allow_empty=allow_empty)
    check_labels(y, f"y_{split}", images.shape[0])
