"""Classification metrics: error rate, confusion matrix, per-class accuracy."""

from __future__ import annotations

import numpy as np

from .constants import N_CLASSES


def error_rate(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Fraction of wrong predictions, in [0, 1]."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"y_true and y_pred must have the same shape, got {y_true.shape} and {y_pred.shape}"
        )
    if y_true.size == 0:
        raise ValueError("cannot compute an error rate on zero samples")
    return float(np.count_nonzero(y_true != y_pred) / y_true.size)


def confusion_matrix(
    y_true: np.ndarray, y_pred: np.ndarray, n_classes: int = N_CLASSES
) -> np.ndarray:
    """Counts (n_classes, n_classes): row = true class, column = predicted class.

    Raises
    ------
    ValueError
        If the label arrays differ in shape or hold labels outside ``[0, n_classes)``.
    """
    y_true, y_pred = np.asarray(y_true, dtype=np.int64), np.asarray(y_pred, dtype=np.int64)
    if y_true.shape != y_pred.shape or y_true.ndim != 1:
        raise ValueError(
            f"y_true and y_pred must be 1-D with the same shape, got "
            f"{y_true.shape} and {y_pred.shape}"
        )
    for name, labels in (("y_true", y_true), ("y_pred", y_pred)):
        if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
            raise ValueError(
                f"{name} holds labels out of range 0..{n_classes - 1}: "
                f"{int(labels.min())}..{int(labels.max())}"
            )
    flat = np.bincount(y_true * n_classes + y_pred, minlength=n_classes * n_classes)
    return flat.reshape(n_classes, n_classes)


def per_class_accuracy(confusion: np.ndarray) -> np.ndarray:
    """Accuracy of each true class (n_classes,); NaN for a class with no samples."""
    totals = confusion.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(totals > 0, np.diag(confusion) / np.maximum(totals, 1), np.nan)
