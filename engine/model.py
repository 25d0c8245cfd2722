"""Softmax (multinomial logistic) regression: the model, its loss and its gradient.

With inputs ``X`` (n, d), weights ``W`` (d, k) and bias ``b`` (k,), the model is::

    logits = X @ W + b                                   # (n, k)
    proba  = softmax(logits)                             # rows sum to 1
    loss   = -mean_i log proba[i, y_i] + l2 / 2 * ||W||^2
    dW     = X.T @ (proba - Y) / n + l2 * W              # Y: one-hot labels
    db     = sum_i (proba - Y)[i] / n

Softmax and its logarithm subtract the row maximum first (log-sum-exp), so logits of
any finite size neither overflow nor take ``log(0)``. The loss is averaged over the
batch, so step sizes and tolerances do not depend on the batch size. L2 acts on ``W``
only, never on the bias.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from engine.constants import N_CLASSES, N_FEATURES
from engine.features.maps import MAP_CHUNK, PIXELS, InputMap


def log_softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise log-softmax, stable for logits of any finite magnitude."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax, stable for logits of any finite magnitude."""
    exp = np.exp(logits - logits.max(axis=1, keepdims=True))
    return exp / exp.sum(axis=1, keepdims=True)


def one_hot(y: np.ndarray, n_classes: int = N_CLASSES, dtype: Any = np.float32) -> np.ndarray:
    """One-hot encode integer labels ``y`` (n,) into an (n, n_classes) array."""
    Y = np.zeros((y.shape[0], n_classes), dtype=dtype)
    Y[np.arange(y.shape[0]), y] = 1
    return Y


def class_major_loss_gradient(
    W: np.ndarray, b: np.ndarray, XT: Any, y: np.ndarray, rows: np.ndarray
) -> tuple[float, np.ndarray, np.ndarray, int]:
    """The data term of :func:`loss_gradient` on pixel-major inputs, plus the error count.

    The one implementation of the loss and its gradient: training calls it directly.
    ``XT`` is (d, n) in any memory order (``X.T`` of a batch, or a pixel-major copy), or any
    object with ``.shape``, ``W.T @ XT`` and ``XT @ G`` (L-BFGS-B's tiled chunks); the
    logits are laid out class-major, (k, n), so the softmax reductions run along
    contiguous rows. ``rows`` is ``np.arange(n)``. Returns the averaged loss, ``dW`` (d, k),
    ``db`` (k,) and how many samples the current weights misclassify (ties count as right).
    """
    n = XT.shape[1]
    logits = W.T @ XT  # (k, n)
    logits += b[:, None]
    logits -= logits.max(axis=0)
    true_logit = logits[y, rows]  # <= 0; exactly 0 where the true class wins
    n_wrong = int(np.count_nonzero(true_logit))
    np.exp(logits, out=logits)
    sum_exp = logits.sum(axis=0)
    # -log p[y] = log sum exp - (shifted) true logit
    loss = float((np.log(sum_exp) - true_logit).mean(dtype=np.float64))
    logits /= sum_exp  # proba
    logits[y, rows] -= 1  # proba - one-hot
    logits /= n
    dW = XT @ logits.T  # (d, k)
    db = logits.sum(axis=1)  # (k,)
    return loss, dW, db, n_wrong


def add_l2(loss: float, W: np.ndarray, l2: float, dW: np.ndarray | None = None) -> float:
    """``loss`` plus the L2 penalty ``l2 / 2 * ||W||^2``; adds its gradient ``l2 * W`` to
    ``dW`` in place when given. The one place the penalty is written."""
    if not l2:
        return loss
    if dW is not None:
        dW += l2 * W
    return loss + 0.5 * l2 * float(np.vdot(W, W))


def loss_gradient(
    W: np.ndarray, b: np.ndarray, X: np.ndarray, y: np.ndarray, l2: float = 0.0
) -> tuple[float, np.ndarray, np.ndarray]:
    """Averaged cross-entropy loss and its gradient, from one logits pass.

    Parameters
    ----------
    W : (d, k) weights.
    b : (k,) bias.
    X : (n, d) inputs, same dtype as ``W`` (float32 to train, float64 to check gradients).
    y : (n,) integer labels in ``[0, k)``.
    l2 : L2 penalty on ``W``.

    Returns
    -------
    loss : float, accumulated in float64.
    dW : (d, k) gradient with respect to ``W``.
    db : (k,) gradient with respect to ``b``.
    """
    loss, dW, db, _ = class_major_loss_gradient(W, b, X.T, y, np.arange(X.shape[0]))
    return add_l2(loss, W, l2, dW), dW, db


def init_weights(
    rng: np.random.Generator, n_features: int = N_FEATURES, n_classes: int = N_CLASSES
) -> tuple[np.ndarray, np.ndarray]:
    """Small uniform weights (Glorot, as in the reference) and a zero bias, float32."""
    scale = np.sqrt(6.0) / np.sqrt(n_features + n_classes)
    W = rng.uniform(-scale, scale, size=(n_features, n_classes)).astype(np.float32)
    return W, np.zeros(n_classes, dtype=np.float32)


@dataclass(frozen=True)
class SoftmaxModel:
    """Trained softmax regression: weights, bias, its input map and what produced them.

    The model takes 28×28 rows (n, 784) as ``preprocess_canvas`` / ``load_mnist`` make them
    and applies its :class:`engine.features.InputMap` itself; with the classic ``pixels``
    map (the default) the inputs are the features, of any width ``W`` has.

    Attributes
    ----------
    W : (n_features, n_classes) float32 weights on the map's features.
    b : (n_classes,) float32 bias.
    preprocessing_version : which canvas preprocessing the model expects.
    metadata : JSON-serialisable facts about training (optimizer, settings, accuracy, date).
    input_map : the fixed map from images to features (fitted), ``PIXELS`` by default.
    """

    W: np.ndarray
    b: np.ndarray
    preprocessing_version: int = 1
    metadata: dict[str, Any] = field(default_factory=dict)
    input_map: InputMap = PIXELS

    def __post_init__(self) -> None:
        if not isinstance(self.input_map, InputMap):
            raise ValueError(f"input_map must be an InputMap, got {type(self.input_map).__name__}")
        if not self.input_map.is_identity:
            if not self.input_map.fitted:
                raise ValueError(f"the {self.input_map.name!r} input map is not fitted")
            if self.W.shape[0] != self.input_map.n_features:
                raise ValueError(
                    f"W must have {self.input_map.n_features} rows for the "
                    f"{self.input_map.name!r} input map, got {self.W.shape}"
                )

    @property
    def n_features(self) -> int:
        """Inputs of the regression: the map's features (the pixels for the classic map)."""
        return int(self.W.shape[0])

    @property
    def n_inputs(self) -> int:
        """Values a row the model takes: 784 for 28×28 images (``n_features`` for pixels)."""
        return self.n_features if self.input_map.is_identity else self.input_map.n_inputs

    @property
    def n_classes(self) -> int:
        return int(self.W.shape[1])

    @property
    def class_names(self) -> tuple[str, ...]:
        """Each class's name, as recorded from the training data (``metadata
        ["class_names"]``); the class numbers when none (or no valid list) was recorded."""
        names = self.metadata.get("class_names")
        if (
            isinstance(names, list)
            and len(names) == self.n_classes
            and all(isinstance(n, str) and n.strip() for n in names)
        ):
            return tuple(names)
        return tuple(str(k) for k in range(self.n_classes))

    @property
    def subject(self) -> str:
        """What the model reads ("handwritten digits", "clothing images"), as recorded."""
        subject = self.metadata.get("subject")
        return subject if isinstance(subject, str) and subject.strip() else "handwritten digits"

    @property
    def reads_digits(self) -> bool:
        """Whether the model was trained on handwritten digits (what the canvas draws)."""
        return self.metadata.get("digits", True) is not False

    def inputs(self, X: np.ndarray) -> np.ndarray:
        """What the weights multiply, (n, n_features) float32, for inputs ``X`` (n, n_inputs)
        or (n_inputs,): the pixels themselves, or a mapped model's features of them.

        Raises
        ------
        ValueError
            For rows of the wrong width (for a mapped model: not 28×28 images).
        """
        if not self.input_map.is_identity:
            return self.input_map.transform(X)
        X = np.asarray(X, dtype=np.float32)
        if X.ndim == 1:
            X = X[None, :]
        if X.ndim != 2 or X.shape[1] != self.n_features:
            raise ValueError(
                f"expected inputs with {self.n_features} features, got shape {X.shape}"
            )
        return X

    def logits(self, X: np.ndarray) -> np.ndarray:
        """Raw scores (n, n_classes) for inputs ``X`` (n, n_inputs) or (n_inputs,).

        Raises
        ------
        ValueError
            For rows of the wrong width (for a mapped model: not 28×28 images).
        """
        if not self.input_map.is_identity:
            X = self.input_map.check_inputs(X)
            out = np.empty((X.shape[0], self.n_classes), dtype=np.float32)
            for start in range(0, X.shape[0], MAP_CHUNK):  # bounds the mapped copy
                out[start : start + MAP_CHUNK] = self.inputs(X[start : start + MAP_CHUNK]) @ self.W
            return out + self.b
        return self.inputs(X) @ self.W + self.b

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """Class probabilities (n, n_classes); each row sums to 1."""
        return softmax(self.logits(X))

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Most probable class (n,) for each input row."""
        return self.logits(X).argmax(axis=1)

    def evidence(self, x: np.ndarray, k: int) -> np.ndarray:
        """Each pixel's contribution (n_inputs,) to class ``k``'s logit: ``W[:, k] * x``.

        For a mapped model, the pixel part of :meth:`feature_evidence` (the pixels' own
        weights on the raw grey levels, so blank pixels give exactly 0); what the other
        parts add is in :meth:`evidence_by_part`.
        """
        if self.input_map.is_identity:
            return self.W[:, k] * np.asarray(x, dtype=np.float32).ravel()
        columns = dict(self.input_map.parts)["pixels"]
        return self.feature_evidence(x, k)[columns]

    def feature_evidence(self, x: np.ndarray, k: int) -> np.ndarray:
        """Each feature's contribution (n_features,) to class ``k``'s logit for one image.

        The standardisation is folded into the weights (``W / std`` on the raw features,
        its offset into :meth:`evidence_by_part`'s ``"offset"``), so a feature that is 0
        contributes 0. The contributions plus the offset make the logit (up to rounding).
        """
        x = np.asarray(x, dtype=np.float32).ravel()
        if self.input_map.is_identity:
            return self.evidence(x, k)
        raw = self.input_map.raw_features(x)[0]  # (n_features,)
        W_raw, _ = self.input_map.folded(self.W[:, k : k + 1], self.b[k : k + 1])
        return W_raw[:, 0] * raw

    def evidence_by_part(self, x: np.ndarray, k: int) -> dict[str, float]:
        """Class ``k``'s logit for one image split by where it comes from: each part of the
        input map (``"pixels"``, ``"edges"``, ``"random"``; sums of
        :meth:`feature_evidence`) and ``"offset"`` (the bias with the standardisation's
        shift). The values add up to the logit (up to rounding)."""
        contributions = self.feature_evidence(x, k)
        if self.input_map.is_identity:
            return {"pixels": float(contributions.sum()), "offset": float(self.b[k])}
        parts = {name: float(contributions[cols].sum()) for name, cols in self.input_map.parts}
        _, b_raw = self.input_map.folded(self.W[:, k : k + 1], self.b[k : k + 1])
        parts["offset"] = float(b_raw[0])
        return parts
