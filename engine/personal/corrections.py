"""Which of a writer's samples adaptation learns: the same drawing taught twice counts once,
with its latest label.

A user may teach one drawing twice (the same input row, byte for byte): with the same digit
that is a repeat, with another digit a *conflict*, which no model can read both ways. The
latest label wins, and the conflict is reported so the app can show it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from engine.data.validation import check_samples
from engine.model import SoftmaxModel


def _groups(X: np.ndarray) -> list[np.ndarray]:
    """Indices of each set of identical rows of ``X`` (n, d), in order, one array a set."""
    if X.shape[0] == 0:
        return []
    rows = np.ascontiguousarray(X).view(np.dtype((np.void, X.dtype.itemsize * X.shape[1])))
    _, first, inverse = np.unique(rows.ravel(), return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")  # sets in order of their first sample
    return [np.flatnonzero(inverse == g) for g in order]


def latest_samples(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, list[tuple[int, ...]]]:
    """The samples adaptation learns and the conflicts among ``(X, y)`` (already validated).

    Returns
    -------
    keep : (m,) sorted indices: of each set of identical drawings, the latest one.
    conflicts : per drawing taught more than one digit, the indices of its samples in order
        (the last one is the label kept).
    """
    keep, conflicts = [], []
    for members in _groups(X):
        keep.append(int(members[-1]))
        if np.unique(y[members]).size > 1:
            conflicts.append(tuple(int(i) for i in members))
    return np.sort(np.asarray(keep, dtype=np.int64)), conflicts


def teaching_conflicts(model: SoftmaxModel, X: Any, y: Any) -> list[tuple[int, ...]]:
    """The samples that teach the same drawing different digits.

    Parameters
    ----------
    model : the model the samples are for (gives their width and classes).
    X : (n, n_features) float32 in [0, 1], the samples as ``preprocess_canvas`` made them.
    y : (n,) integer labels.

    Returns
    -------
    One tuple of sample indices (in the order given) per drawing taught more than one digit;
    :func:`engine.adapt` learns the last label of each. Empty when there is no conflict.

    Raises
    ------
    ValueError
        For samples of the wrong shape, non-finite values or labels outside the model's classes.
    """
    if np.asarray(y).size == 0 and np.asarray(X).size == 0:
        return []  # no samples, no conflict (adapt itself needs at least one)
    X, y = check_samples(X, y, model.n_inputs, model.n_classes)
    return latest_samples(X, y)[1]
