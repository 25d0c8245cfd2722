"""Honest figures for personal adaptation: cross-validated on the person's own samples.

Accuracy on the samples a model was adapted on says little (it fitted them), so the adapted
model is judged by k-fold cross-validation: adapt on the other folds, read the held-out one.
Folds are stratified by class and assigned with a fixed seed, so the figures are reproducible.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from engine.data.validation import check_samples, check_test_set, is_integer
from engine.model import SoftmaxModel
from engine.personal.adapt import ReplaySet, adapt, as_replay, resolve_config

#: Seed of the fold assignment (fixed: the same samples always give the same folds).
FOLD_SEED = 0
DEFAULT_FOLDS = 5


@dataclass(frozen=True)
class PersonalReport:
    """How a base model and its personal adaptation read the person's digits and the test set.

    Attributes
    ----------
    n_samples : personal samples evaluated.
    base_accuracy : the base model on all personal samples.
    adapted_cv_accuracy : k-fold cross-validated accuracy of adaptation on the personal
        samples (adapt on the other folds, read the held-out fold); None with fewer than 2.
    base_test_accuracy : the base model on the test set, when one was given.
    adapted_test_accuracy : the model adapted on all samples, on the test set, when given.
    n_alone : samples that are the only one of their class; held out, they leave the fold's
        adaptation nothing of their class to learn from, so cross-validation cannot credit it.
    """

    n_samples: int
    base_accuracy: float
    adapted_cv_accuracy: float | None
    base_test_accuracy: float | None
    adapted_test_accuracy: float | None
    n_alone: int = 0


def fold_ids(y: np.ndarray, folds: int, seed: int = FOLD_SEED) -> np.ndarray:
    """Fold of each sample (n,) in ``0..folds-1``: each class shuffled with ``seed``, then
    dealt round-robin, so classes spread over the folds and, with n >= folds, none is empty."""
    rng = np.random.default_rng(seed)
    order = np.concatenate([rng.permutation(np.flatnonzero(y == c)) for c in np.unique(y)])
    ids = np.empty(y.shape[0], dtype=np.int64)
    ids[order] = np.arange(y.shape[0]) % folds
    return ids


def evaluate_personal(
    base: SoftmaxModel,
    samples_X: Any,
    samples_y: Any,
    *,
    replay: ReplaySet | tuple[np.ndarray, np.ndarray] | None,
    X_test: np.ndarray | None,
    y_test: np.ndarray | None,
    folds: int = DEFAULT_FOLDS,
    **adapt_options: Any,
) -> PersonalReport:
    """Evaluate ``base`` and its adaptation to the samples ``(samples_X, samples_y)``.

    Parameters
    ----------
    base : the base model.
    samples_X : (n, n_features) float32 in [0, 1], as ``preprocess_canvas`` made them for
        ``base.preprocessing_version``; samples_y : (n,) labels.
    replay : passed to :func:`engine.adapt` (None: the bundled MNIST training set); a
        pair ``(X_train, y_train)`` is prepared once here, not once per fold.
    X_test, y_test : (m, n_features) and (m,) test set, or both None to skip test figures.
    folds : cross-validation folds, at least 2; ``min(folds, n)`` are used.
    **adapt_options : passed to every :func:`engine.adapt` call (``config=`` or its fields).

    Returns
    -------
    PersonalReport. Costs ``min(folds, n)`` adaptations, plus one when a test set is given.

    Raises
    ------
    ValueError
        For bad samples (see :func:`engine.data.validation.check_samples`; n = 0 included), a
        test set of the wrong shape or only half given, folds < 2, or what
        :func:`engine.adapt` refuses.
    """
    if not isinstance(base, SoftmaxModel):
        raise ValueError(f"base must be an engine.SoftmaxModel, got {type(base).__name__}")
    X, y = check_samples(samples_X, samples_y, base.n_inputs, base.n_classes)
    if not is_integer(folds) or folds < 2:
        raise ValueError(f"folds must be an integer >= 2, got {folds!r}")
    test = check_test_set(X_test, y_test, base.n_inputs)
    config = resolve_config(adapt_options.pop("config", None), adapt_options)
    replay = as_replay(replay, base, config)
    n = y.shape[0]
    cv_accuracy = None
    if n >= 2:
        k = min(int(folds), n)
        ids = fold_ids(y, k)
        correct = 0
        for fold in range(k):
            held = ids == fold
            model = adapt(base, X[~held], y[~held], replay=replay, config=config)
            correct += int(np.count_nonzero(model.predict(X[held]) == y[held]))
        cv_accuracy = correct / n
    base_test = adapted_test = None
    if test is not None:
        base_test = _accuracy(base, *test)
        adapted_test = _accuracy(adapt(base, X, y, replay=replay, config=config), *test)
    return PersonalReport(
        n_samples=n,
        base_accuracy=_accuracy(base, X, y),
        adapted_cv_accuracy=cv_accuracy,
        base_test_accuracy=base_test,
        adapted_test_accuracy=adapted_test,
        n_alone=int(np.count_nonzero(np.bincount(y)[y] == 1)),
    )


def _accuracy(model: SoftmaxModel, X: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean(model.predict(X) == y))
