"""Classification metrics: error rate, confusion matrix, per-class accuracy, and a model's
evaluation on labelled images (the one computation the CLI and the GUI both show)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from engine.constants import N_CLASSES

if TYPE_CHECKING:
    from engine.model import SoftmaxModel


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


@dataclass(frozen=True)
class Evaluation:
    """A model's predictions on labelled images and the metrics of them."""

    y_true: np.ndarray  # (n,)
    y_pred: np.ndarray  # (n,)
    confusion: np.ndarray  # (k, k), rows = true class
    per_class: np.ndarray  # (k,), NaN for a class with no images
    error: float

    @property
    def accuracy(self) -> float:
        return 1.0 - self.error

    def per_class_or_none(self) -> list[float | None]:
        """Per-class accuracy for JSON: None where a class has no images."""
        return [None if np.isnan(a) else float(a) for a in self.per_class]


def evaluate(model: SoftmaxModel, X: np.ndarray, y: np.ndarray) -> Evaluation:
    """Predict ``X`` (n, ``model.n_inputs``) with ``model`` and measure the predictions
    against labels ``y`` (n,). A model with an input map maps ``X`` itself, a chunk at a time.

    Raises
    ------
    ValueError
        For rows the model cannot read (for a mapped model: not 28×28 images), or labels
        outside the model's classes.
    """
    y_true = np.asarray(y)
    y_pred = model.predict(X)
    confusion = confusion_matrix(y_true, y_pred, n_classes=model.n_classes)
    return Evaluation(
        y_true=y_true,
        y_pred=y_pred,
        confusion=confusion,
        per_class=per_class_accuracy(confusion),
        error=error_rate(y_true, y_pred),
    )
