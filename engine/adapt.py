"""Personal adaptation: a model that has learnt one person's handwriting from their corrections.

Given a base model ``(W0, b0)``, the writer's corrected drawings ``(X, y)`` and a replay set
``(X_r, y_r)`` of the data the base model was trained on, the adapted model minimises::

    J(W, b) = alpha * mean_i CE(x_i, y_i) + mean_j CE(x_r_j, y_r_j) + pull / 2 * ||W - W0||^2

from ``(W0, b0)`` with L-BFGS-B. The replay term keeps the model reading the dataset (without
it, a handful of corrections costs MNIST 6-20 points); the pull keeps the change small where
neither term says anything.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from .constants import N_CLASSES
from .model import SoftmaxModel, class_major_loss_gradient

#: Replay images drawn from the training set when the caller gives none.
DEFAULT_REPLAY_SIZE = 5000
#: Personal samples above which adapt refuses (the fit is sized for one person's corrections).
MAX_SAMPLES = 10_000


@dataclass(frozen=True)
class AdaptConfig:
    """Settings of :func:`adapt` (the defaults are what ``bench/personal.py`` measured)."""

    alpha: float = 1.0
    pull: float = 0.01
    max_iter: int = 30
    replay_size: int = DEFAULT_REPLAY_SIZE
    seed: int = 0

    def __post_init__(self) -> None:
        for name in ("alpha", "pull"):
            value = getattr(self, name)
            if not (isinstance(value, (int, float)) and np.isfinite(value) and value >= 0):
                raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
        for name in ("max_iter", "replay_size"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(f"{name} must be a positive integer, got {value!r}")


def check_samples(X: Any, y: Any, n_features: int, n_classes: int = N_CLASSES,
                  *, what: str = "personal samples") -> tuple[np.ndarray, np.ndarray]:
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
    if X.shape[0] > MAX_SAMPLES:
        raise ValueError(f"{what}: {X.shape[0]} samples; at most {MAX_SAMPLES} are supported")
    if X.dtype.kind not in "fiu" or X.dtype == np.bool_:
        raise ValueError(f"{what}: X must be numeric, got dtype {X.dtype}")
    X = np.ascontiguousarray(X, dtype=np.float32)
    if not np.isfinite(X).all():
        raise ValueError(f"{what}: X contains NaN or infinite values")
    lo, hi = float(X.min()), float(X.max())
    if lo < 0.0 or hi > 1.0:
        raise ValueError(f"{what}: X values must be in [0, 1] (as preprocess_canvas makes "
                         f"them), got {lo:g}-{hi:g}")
    if y.ndim != 1:
        raise ValueError(f"{what}: y must be 1-D, got shape {y.shape}")
    if y.shape[0] != X.shape[0]:
        raise ValueError(f"{what}: X has {X.shape[0]} rows but y has {y.shape[0]} labels")
    if y.dtype.kind not in "iu" or y.dtype == np.bool_:
        raise ValueError(f"{what}: y must hold integer labels, got dtype {y.dtype}")
    y = y.astype(np.int64)
    bad = (y < 0) | (y >= n_classes)
    if bad.any():
        raise ValueError(f"{what}: labels must be in 0-{n_classes - 1}, got {int(y[bad][0])}")
    return X, y


def model_fingerprint(model: SoftmaxModel) -> str:
    """A short SHA-256 of a model's weights and bias: names the base of an adapted model."""
    h = hashlib.sha256(np.ascontiguousarray(model.W, dtype=np.float32).tobytes())
    h.update(np.ascontiguousarray(model.b, dtype=np.float32).tobytes())
    return h.hexdigest()[:16]


@functools.lru_cache(maxsize=2)
def default_replay(preprocessing_version: int, size: int = DEFAULT_REPLAY_SIZE,
                   seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A fixed class-balanced sample of the bundled MNIST training set (cached per process)."""
    from .datasets import load_mnist

    data = load_mnist(preprocessing_version=preprocessing_version, train_dtype=np.uint8)
    return replay_sample(data.X_train, data.y_train, size, seed)


def replay_sample(X_train: np.ndarray, y_train: np.ndarray, size: int = DEFAULT_REPLAY_SIZE,
                  seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``size`` training images, the same number of each class where possible, chosen with
    ``seed``; uint8 grey levels become float32 in [0, 1]. Returns (X (size, d), y (size,))."""
    y_train = np.asarray(y_train)
    rng = np.random.default_rng(seed)
    classes = np.unique(y_train)
    per_class = -(-size // classes.size)
    picks = [rng.permutation(np.flatnonzero(y_train == c))[:per_class] for c in classes]
    idx = np.sort(np.concatenate(picks))
    if idx.size > size:
        idx = np.sort(rng.choice(idx, size, replace=False))
    X = X_train[idx]
    X = X.astype(np.float32) / np.float32(255) if X.dtype == np.uint8 else X.astype(np.float32)
    return np.ascontiguousarray(X), np.asarray(y_train[idx], dtype=np.int64)


def adapt(model: SoftmaxModel, X: Any, y: Any, *,
          replay: tuple[np.ndarray, np.ndarray] | None = None,
          config: AdaptConfig | None = None, **options: Any) -> SoftmaxModel:
    """Adapt ``model`` to one person's handwriting from their labelled drawings.

    Parameters
    ----------
    model : the base model; it is not modified.
    X : (n, n_features) float32 in [0, 1], rows exactly as ``preprocess_canvas`` makes them
        for ``model.preprocessing_version`` (flattened).
    y : (n,) integer labels in ``[0, n_classes)``.
    replay : (X_r, y_r) images of the base model's training data to keep reading well
        (float32 in [0, 1] or uint8 grey levels); by default a fixed class-balanced sample of
        the bundled MNIST training set prepared for the model's preprocessing version.
    config, **options : an :class:`AdaptConfig`, or its fields as keywords.

    Returns
    -------
    A new :class:`SoftmaxModel` with the same preprocessing version, whose metadata records
    the base (``base_fingerprint``, the base's own metadata) and the number of samples.
    Deterministic: the same inputs give the same model.

    Raises
    ------
    ValueError
        For a model that is not a softmax model, samples of the wrong shape, non-finite
        values, labels outside the model's classes, no samples, or bad options.
    """
    if not isinstance(model, SoftmaxModel):
        raise ValueError(f"model must be an engine.SoftmaxModel, got {type(model).__name__}")
    config = replace(config or AdaptConfig(), **options) if options else (config or AdaptConfig())
    X, y = check_samples(X, y, model.n_features, model.n_classes)
    if replay is None:
        replay = default_replay(model.preprocessing_version, config.replay_size, config.seed)
    X_r, y_r = _check_replay(replay, model)
    W, b = _fit(model, X, y, X_r, y_r, config)
    metadata = {
        "adapted": {
            "base_fingerprint": model_fingerprint(model),
            "n_personal_samples": int(X.shape[0]),
            "per_class": np.bincount(y, minlength=model.n_classes).tolist(),
            "settings": {"alpha": config.alpha, "pull": config.pull,
                         "max_iter": config.max_iter, "replay_size": int(X_r.shape[0])},
        },
        "base": model.metadata.get("base", model.metadata),
    }
    return SoftmaxModel(W=W, b=b, preprocessing_version=model.preprocessing_version,
                        metadata=metadata)


def _check_replay(replay: Any, model: SoftmaxModel) -> tuple[np.ndarray, np.ndarray]:
    try:
        X_r, y_r = replay
    except (TypeError, ValueError):
        raise ValueError("replay must be a pair (X, y)") from None
    X_r = np.asarray(X_r)
    if X_r.dtype == np.uint8:
        X_r = X_r.astype(np.float32) / np.float32(255)
    return check_samples(X_r, y_r, model.n_features, model.n_classes, what="replay")


def _fit(model: SoftmaxModel, X: np.ndarray, y: np.ndarray, X_r: np.ndarray, y_r: np.ndarray,
         config: AdaptConfig) -> tuple[np.ndarray, np.ndarray]:
    from scipy.optimize import minimize

    W0 = np.asarray(model.W, dtype=np.float32)
    b0 = np.asarray(model.b, dtype=np.float32)
    d, k = W0.shape
    XT, XT_r = np.ascontiguousarray(X.T), np.ascontiguousarray(X_r.T)
    rows, rows_r = np.arange(X.shape[0]), np.arange(X_r.shape[0])

    def objective(theta: np.ndarray) -> tuple[float, np.ndarray]:
        W = theta[:d * k].reshape(d, k).astype(np.float32)
        b = theta[d * k:].astype(np.float32)
        loss_p, dW_p, db_p, _ = class_major_loss_gradient(W, b, XT, y, rows)
        loss_r, dW_r, db_r, _ = class_major_loss_gradient(W, b, XT_r, y_r, rows_r)
        delta = W - W0
        loss = config.alpha * loss_p + loss_r + 0.5 * config.pull * float(
            np.dot(delta.ravel(), delta.ravel()))
        dW = config.alpha * dW_p + dW_r + config.pull * delta
        db = config.alpha * db_p + db_r
        return loss, np.concatenate([dW.ravel(), db]).astype(np.float64)

    theta0 = np.concatenate([W0.ravel(), b0]).astype(np.float64)
    result = minimize(objective, theta0, jac=True, method="L-BFGS-B",
                      options={"maxiter": config.max_iter})
    W = result.x[:d * k].reshape(d, k).astype(np.float32)
    b = result.x[d * k:].astype(np.float32)
    return W, b
