"""One gradient step of softmax regression, with every intermediate quantity kept.

For inputs ``X`` (m, d) — what the weights multiply, :meth:`SoftmaxModel.inputs` — labels
``y`` (m,), weights ``W`` (d, k) and bias ``b`` (k,)::

    logits  z = X @ W + b                          # (m, k)
    shifted   = z - z.max(axis=1)                  # the stable form: exp never overflows
    exp       = exp(shifted);  sum_exp = exp.sum(axis=1)
    proba   P = exp / sum_exp                      # = softmax(z), rows sum to 1
    one-hot Y = 1{y == j}                          # (m, k)
    loss_i    = -log P[i, y_i]                     # per example
    loss      = mean_i loss_i + l2 / 2 * ||W||^2
    dW        = X.T @ (P - Y) / m + l2 * W         # (d, k); one example: outer(x, p - y)
    db        = (P - Y).sum(axis=0) / m            # (k,)
    W_after   = W - lr * dW;  b_after = b - lr * db

Everything is computed in float64 from the model's own functions (:func:`softmax`,
:func:`log_softmax`, :func:`one_hot`, :func:`loss_gradient`), so what a learner reads is what
training does. The record is for showing the arithmetic; training itself never uses it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
from threadpoolctl import threadpool_limits

from engine.data.datasets import Dataset, as_features
from engine.gradcheck import DEFAULT_EPS
from engine.model import SoftmaxModel, add_l2, log_softmax, loss_gradient, one_hot, softmax

Parameter = Literal["W", "b"]

#: The NumPy line that computes each stage of a step, in the tutorial's style, for showing
#: beside its formula: written here, beside the code that computes the stages.
STEP_NUMPY_LINES: dict[str, str] = {
    "weighted": "x @ W",
    "bias": "b",
    "logits": "z = x @ W + b",
    "shifted": "s = z - z.max()",
    "exp": "e = np.exp(s)",
    "probabilities": "p = e / e.sum()",
    "one_hot": "y = np.eye(10)[label]",
    "error": "p - y",
    "loss": "loss = -np.log(p[label])",
    "batch_loss": "-np.log(P[np.arange(m), y]).mean()",
    "l2_loss": "l2 / 2 * np.sum(W**2)",
}


@dataclass(frozen=True)
class StepExplanation:
    """Every stage of one gradient step on ``m`` examples, float64 arrays.

    Attributes
    ----------
    inputs : (m, d) what the weights multiply (the pixels in [0, 1]).
    labels : (m,) the true classes ``y``.
    W, b : (d, k), (k,) the parameters before the step.
    lr, l2 : the step size and the L2 penalty the step used.
    weighted : (m, k) ``inputs @ W``, the scores before the bias is added.
    logits : (m, k) ``z = inputs @ W + b``.
    shifted : (m, k) ``z - max z`` per row (the largest entry of each row is 0).
    exp : (m, k) ``exp(shifted)``.
    sum_exp : (m,) the row sums of ``exp``.
    probabilities : (m, k) ``exp / sum_exp``.
    predicted : (m,) the most probable class of each example.
    one_hot : (m, k) ``Y[i, j] = 1 if y_i == j``.
    error : (m, k) ``probabilities - one_hot``.
    per_example_loss : (m,) ``-log p[i, y_i]``.
    data_loss, l2_loss, loss : the mean cross-entropy, ``l2 / 2 * ||W||^2`` and their sum.
    grad_W : (d, k) ``inputs.T @ error / m + l2 * W``.
    grad_b : (k,) ``error.sum(axis=0) / m``.
    W_after, b_after : the parameters after the step ``- lr * grad``.
    probabilities_after : (m, k) the same inputs' probabilities after the step.
    per_example_loss_after : (m,) and ``loss_after``: the loss after the step (same ``l2``).
    model_after : the model after the step, in the model's own dtype.
    """

    inputs: np.ndarray
    labels: np.ndarray
    W: np.ndarray
    b: np.ndarray
    lr: float
    l2: float
    weighted: np.ndarray
    logits: np.ndarray
    shifted: np.ndarray
    exp: np.ndarray
    sum_exp: np.ndarray
    probabilities: np.ndarray
    predicted: np.ndarray
    one_hot: np.ndarray
    error: np.ndarray
    per_example_loss: np.ndarray
    data_loss: float
    l2_loss: float
    loss: float
    grad_W: np.ndarray
    grad_b: np.ndarray
    W_after: np.ndarray
    b_after: np.ndarray
    probabilities_after: np.ndarray
    per_example_loss_after: np.ndarray
    loss_after: float
    model_after: SoftmaxModel

    @property
    def n_examples(self) -> int:
        """How many examples ``m`` the step averages over."""
        return int(self.inputs.shape[0])

    @property
    def weight_change(self) -> np.ndarray:
        """(d, k) ``W_after - W`` (= ``-lr * grad_W``)."""
        return self.W_after - self.W


def _check_rate(name: str, value: float, *, positive: bool) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
        raise ValueError(f"{name} must be a number, got {value!r}")
    value = float(value)
    bad = not math.isfinite(value) or (value <= 0 if positive else value < 0)
    if bad:
        bound = "> 0" if positive else ">= 0"
        raise ValueError(f"{name} must be a finite number {bound}, got {value!r}")
    return value


def _check_labels(y: object, m: int, k: int) -> np.ndarray:
    labels = np.asarray(y)
    if labels.ndim == 0:
        labels = labels.reshape(1)
    if labels.ndim != 1 or labels.shape[0] != m:
        raise ValueError(f"y must hold one label per example: expected ({m},), got {labels.shape}")
    if not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"y must hold integer class labels 0..{k - 1}, got {labels.dtype}")
    if int(labels.min()) < 0 or int(labels.max()) >= k:
        raise ValueError(
            f"y holds labels out of range 0..{k - 1}: {int(labels.min())}..{int(labels.max())}"
        )
    return labels.astype(np.int64)


def _losses(W: np.ndarray, b: np.ndarray, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """(m,) ``-log p[i, y_i]`` of the inputs ``X`` under ``(W, b)``."""
    return -log_softmax(X @ W + b)[np.arange(X.shape[0]), y]


def explain_step(
    model: SoftmaxModel, X: np.ndarray, y: np.ndarray, *, lr: float, l2: float = 0.0
) -> StepExplanation:
    """Take one gradient step of size ``lr`` on ``(X, y)`` and keep every stage of it.

    Parameters
    ----------
    model : the model at the start of the step.
    X : (m, n_features) inputs as :meth:`SoftmaxModel.predict` takes them, or one input
        (n_features,).
    y : (m,) integer labels in ``[0, n_classes)`` (an int for one input).
    lr : the step size, a finite number > 0.
    l2 : the L2 penalty on ``W`` (finite, >= 0), in the loss and the gradient.

    Returns
    -------
    StepExplanation, float64 throughout; ``model_after`` holds the stepped parameters in the
    model's dtype and its other fields unchanged.

    Raises
    ------
    TypeError
        If ``model`` is not a :class:`SoftmaxModel`.
    ValueError
        For inputs of the wrong shape, empty or non-finite inputs, labels of the wrong shape,
        type or range, or an ``lr`` or ``l2`` out of range.
    """
    if not isinstance(model, SoftmaxModel):
        raise TypeError(f"expected an engine.SoftmaxModel, got {type(model).__name__}")
    lr = _check_rate("lr", lr, positive=True)
    l2 = _check_rate("l2", l2, positive=False)
    # Small products (m <= 100 rows): BLAS threads only add synchronisation, 20 ms instead
    # of 1 ms for m = 100 on a busy 2-core machine (measured), as in the gradient check.
    with threadpool_limits(limits=1, user_api="blas"):
        return _explain_step(model, X, y, lr, l2)


def _explain_step(
    model: SoftmaxModel, X: np.ndarray, y: np.ndarray, lr: float, l2: float
) -> StepExplanation:
    inputs = np.asarray(model.inputs(X), dtype=np.float64)  # (m, d)
    m, k = inputs.shape[0], model.n_classes
    if m == 0:
        raise ValueError("X holds no examples (shape (0, d)): give at least one")
    if not np.isfinite(inputs).all():
        raise ValueError("X contains NaN or infinite values")
    labels = _check_labels(y, m, k)
    W = np.array(model.W, dtype=np.float64)  # (d, k), a copy the record owns
    b = np.array(model.b, dtype=np.float64)  # (k,)

    weighted = inputs @ W  # (m, k)
    logits = weighted + b
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    sum_exp = exp.sum(axis=1)  # (m,)
    probabilities = softmax(logits)
    Y = one_hot(labels, k, dtype=np.float64)
    per_example = -log_softmax(logits)[np.arange(m), labels]  # (m,)
    # The gradient (and the loss it reports) from the one implementation training uses.
    loss, grad_W, grad_b = loss_gradient(W, b, inputs, labels, l2)
    data_loss = float(per_example.mean())
    l2_loss = add_l2(0.0, W, l2)

    W_after = W - lr * grad_W
    b_after = b - lr * grad_b
    per_example_after = _losses(W_after, b_after, inputs, labels)
    model_after = replace(model, W=W_after.astype(model.W.dtype), b=b_after.astype(model.b.dtype))
    return StepExplanation(
        inputs=inputs,
        labels=labels,
        W=W,
        b=b,
        lr=lr,
        l2=l2,
        weighted=weighted,
        logits=logits,
        shifted=shifted,
        exp=exp,
        sum_exp=sum_exp,
        probabilities=probabilities,
        predicted=probabilities.argmax(axis=1),
        one_hot=Y,
        error=probabilities - Y,
        per_example_loss=per_example,
        data_loss=data_loss,
        l2_loss=l2_loss,
        loss=float(loss),
        grad_W=grad_W,
        grad_b=grad_b,
        W_after=W_after,
        b_after=b_after,
        probabilities_after=softmax(inputs @ W_after + b_after),
        per_example_loss_after=per_example_after,
        loss_after=add_l2(float(per_example_after.mean()), W_after, l2),
        model_after=model_after,
    )


def finite_difference(
    step: StepExplanation,
    parameter: Parameter,
    index: int | tuple[int, int],
    *,
    eps: float = DEFAULT_EPS,
) -> float:
    """The central difference ``(J(θ + ε) - J(θ - ε)) / 2ε`` of the loss for one parameter.

    The gradient check of :mod:`engine.gradcheck` for a single coordinate, at the record's
    parameters before the step (the model being explained), on its inputs, with its ``l2``;
    compare it with ``step.grad_W[i, j]`` or ``step.grad_b[j]``.

    Parameters
    ----------
    step : the record whose model and inputs define the loss ``J``.
    parameter : ``"W"`` or ``"b"``.
    index : ``(i, j)`` for ``W[i, j]`` (input i, class j), ``j`` for ``b[j]``.
    eps : the step ``ε`` (float64: 1e-4 agrees with a correct gradient to ~1e-10).

    Raises
    ------
    ValueError
        For an unknown parameter, an index of the wrong form or out of range, or an ``eps``
        that is not a finite number > 0.
    """
    eps = _check_rate("eps", eps, positive=True)
    W, b = step.W.copy(), step.b.copy()
    if parameter == "W":
        if not (isinstance(index, tuple) and len(index) == 2):
            raise ValueError(f"W takes an index (i, j), got {index!r}")
        target = W
    elif parameter == "b":
        if isinstance(index, tuple):
            raise ValueError(f"b takes one index j, got {index!r}")
        target = b
    else:
        raise ValueError(f"parameter must be 'W' or 'b', got {parameter!r}")
    coords = index if isinstance(index, tuple) else (index,)
    for axis, (c, n) in enumerate(zip(coords, target.shape, strict=True)):
        if not (isinstance(c, (int, np.integer)) and 0 <= c < n):
            raise ValueError(f"{parameter} index {axis} must be in 0..{n - 1}, got {c!r}")
    original = float(target[coords])
    target[coords] = original + eps
    plus = loss_gradient(W, b, step.inputs, step.labels, step.l2)[0]
    target[coords] = original - eps
    minus = loss_gradient(W, b, step.inputs, step.labels, step.l2)[0]
    return (plus - minus) / (2 * eps)


def training_batch(
    data: Dataset, m: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``m`` distinct random training examples: float features (m, d), labels (m,), and
    their indices in the training set (m,).

    Raises
    ------
    ValueError
        If ``m`` is not between 1 and the number of training images.
    """
    n = data.X_train.shape[0]
    if isinstance(m, bool) or not isinstance(m, (int, np.integer)) or not 1 <= m <= n:
        raise ValueError(f"m must be an integer in 1..{n}, got {m!r}")
    index = np.sort(rng.choice(n, size=int(m), replace=False))
    X = np.asarray(as_features(data.X_train[index]), dtype=np.float32)
    return X, data.y_train[index].copy(), index
