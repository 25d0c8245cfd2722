"""Checks made once, where data enters the engine, so that the hot loops can trust it.

Every input check of the engine lives here: datasets' splits, personal samples and their
labels, the replay and test sets of personal adaptation, the estimator's array-likes, and
single numbers and labels. Each raises a ``ValueError`` naming the input and quoting what
was expected and what it got (shape, element type, non-finite values, labels) before any
work starts.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from engine.constants import N_CLASSES

#: Element types training images may have: float32 features, uint8 grey levels, or float16
#: features (the compact mapped training set engine.train makes for an input map).
IMAGE_DTYPES = (np.dtype(np.float32), np.dtype(np.uint8), np.dtype(np.float16))
#: Rows checked for finiteness at a time: bounds the boolean temporary to a few MB.
FINITE_CHUNK = 4096
#: Personal samples above which adapt refuses (the fit is sized for one person's corrections).
MAX_SAMPLES = 10_000


def check_images(X: object, name: str, *, allow_empty: bool = False) -> np.ndarray:
    """``X`` must be a 2-D float32 or uint8 array (or float16: the compact mapped features
    engine.train makes) with finite values and at least one feature (and one row unless
    ``allow_empty``); returns it."""
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


# --- scalars ------------------------------------------------------------------------------
def is_number(value: Any) -> bool:
    """A real number (Python or NumPy), not a bool."""
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
        value, (bool, np.bool_)
    )


def is_integer(value: Any) -> bool:
    """An integer (Python or NumPy), not a bool."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def check_label(label: Any, n_classes: int = N_CLASSES) -> int:
    """One class label: an integer in ``[0, n_classes)``; returned as an int."""
    if not is_integer(label) or not 0 <= label < n_classes:
        raise ValueError(f"label must be an integer in 0-{n_classes - 1}, got {label!r}")
    return int(label)


# --- samples: personal corrections, replay and test images ------------------------------
def check_samples(
    X: Any,
    y: Any,
    n_features: int,
    n_classes: int = N_CLASSES,
    *,
    what: str = "personal samples",
    max_samples: int | None = MAX_SAMPLES,
) -> tuple[np.ndarray, np.ndarray]:
    """Validate samples for a model with ``n_features`` inputs and ``n_classes`` classes.

    Returns ``X`` as C-contiguous float32 (n, n_features) and ``y`` as int64 (n,).

    Raises
    ------
    ValueError
        Naming what is wrong: no samples, wrong shapes, non-numeric or non-finite values,
        pixels outside [0, 1], non-integer labels or labels outside ``[0, n_classes)``,
        or a length mismatch.
    """
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim != 2 or X.shape[1] != n_features:
        raise ValueError(f"{what}: X must be (n, {n_features}), got shape {X.shape}")
    if X.shape[0] == 0:
        raise ValueError(f"{what}: no samples (X has 0 rows)")
    if max_samples is not None and X.shape[0] > max_samples:
        raise ValueError(f"{what}: {X.shape[0]} samples; at most {max_samples} are supported")
    if X.dtype.kind not in "fiu" or X.dtype == np.bool_:
        raise ValueError(f"{what}: X must be numeric, got dtype {X.dtype}")
    X = np.ascontiguousarray(X, dtype=np.float32)
    if not np.isfinite(X).all():
        raise ValueError(f"{what}: X contains NaN or infinite values")
    lo, hi = float(X.min()), float(X.max())
    if lo < 0.0 or hi > 1.0:
        raise ValueError(
            f"{what}: X values must be in [0, 1] (as preprocess_canvas makes "
            f"them), got {lo:g}-{hi:g}"
        )
    y = check_class_labels(y, X.shape[0], n_classes, what)
    return X, y


def check_class_labels(y: np.ndarray, n: int, n_classes: int, what: str) -> np.ndarray:
    """``y`` must be ``n`` integer labels in ``[0, n_classes)``; returned as int64."""
    if y.ndim != 1:
        raise ValueError(f"{what}: y must be 1-D, got shape {y.shape}")
    if y.shape[0] != n:
        raise ValueError(f"{what}: X has {n} rows but y has {y.shape[0]} labels")
    if y.dtype.kind not in "iu" or y.dtype == np.bool_:
        raise ValueError(f"{what}: y must hold integer labels, got dtype {y.dtype}")
    y = y.astype(np.int64)
    bad = (y < 0) | (y >= n_classes)
    if bad.any():
        raise ValueError(f"{what}: labels must be in 0-{n_classes - 1}, got {int(y[bad][0])}")
    return y


def check_test_set(
    X_test: Any, y_test: Any, n_features: int
) -> tuple[np.ndarray, np.ndarray] | None:
    """An optional test set: both None (returns None), or ``(m, n_features)`` images with
    ``m >= 1`` and ``(m,)`` labels."""
    if X_test is None and y_test is None:
        return None
    if X_test is None or y_test is None:
        raise ValueError("give both X_test and y_test, or neither")
    X_test, y_test = np.asarray(X_test), np.asarray(y_test)
    if X_test.ndim != 2 or X_test.shape[1] != n_features or X_test.shape[0] == 0:
        raise ValueError(f"X_test must be (m, {n_features}) with m >= 1, got shape {X_test.shape}")
    if y_test.shape != (X_test.shape[0],):
        raise ValueError(
            f"y_test must be ({X_test.shape[0]},) to match X_test, got shape {y_test.shape}"
        )
    return X_test, y_test


# --- the estimator's array-likes, with scikit-learn's messages ----------------------------
def as_estimator_labels(
    y: Any, n_samples: int, column_warning: type[Warning] = UserWarning
) -> np.ndarray:
    """Array-like labels of any discrete type as a 1-D array of ``n_samples`` labels.

    A column vector (n, 1) is raveled with ``column_warning`` (scikit-learn's
    ``DataConversionWarning`` in the estimator), as scikit-learn does.
    """
    if y is None:
        raise ValueError("SoftmaxRegression requires y to be passed, but the target y is None")
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        warnings.warn(
            "A column-vector y was passed when a 1d array was expected. Please change the "
            "shape of y to (n_samples,), for example using ravel().",
            column_warning,
            stacklevel=4,
        )
        y = y.ravel()
    if y.ndim != 1:
        raise ValueError(f"y must be 1-D (one label per sample), got shape {y.shape}")
    if y.shape[0] != n_samples:
        raise ValueError(
            f"Found input variables with inconsistent numbers of samples: "
            f"X has {n_samples}, y has {y.shape[0]}"
        )
    if y.dtype.kind == "f":
        if not np.isfinite(y).all():
            raise ValueError("Input y contains NaN or infinity")
        if (y != np.round(y)).any():
            raise ValueError("Unknown label type: continuous (labels must be classes)")
    elif y.dtype.kind not in "iubUSO":
        raise ValueError(f"Unknown label type: {y.dtype}")
    return y
