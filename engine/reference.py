"""A faithful port of the reference experiment (shared/docs/REFERENCE.md), flaws included.

The product grew from a short tutorial script; ``python -m engine reproduce-seed`` runs its
experiment with this port and then with the engine, side by side. The port keeps what the
original did, on purpose:

- parameters: one flat float64 vector ``theta`` reshaped to (d, k); **no bias**;
  initialised uniformly in ``[-s, s]``, ``s = sqrt(6) / sqrt(d + k)`` (Glorot);
- softmax: ``exp(z) / sum(exp(z))`` with **no max-subtraction** (overflows for large logits);
- cost: ``-sum(Y * log(P))``, **summed** over the batch, no regularisation;
  gradient ``X.T @ (P - Y)``, also summed;
- L-BFGS-B: ``scipy.optimize.minimize(J, theta0, method="L-BFGS-B", jac=True,
  options={"maxiter": 50})`` on the whole training set;
- SGD: batches of 200 in file order, ``theta -= 0.06 * grad / 200``, up to 50 epochs,
  stopping when the last mini-batch's cost dropped by at most 0.0005 since the last epoch
  (ported in ``tests/reference_sgd.py``: nothing in the product runs it);
- gradient check: 300 trials, each at a fresh random ``theta``, on one random coordinate
  ``j >= 1`` (the original's ``randint(1, len)`` never picks 0), central difference with
  ``eps = 1e-4``; reports the mean (and max) absolute error.

The data split is this project's canonical 60k/10k (the original used the 50k/10k/10k
pickle). Randomness comes from an explicit ``np.random.default_rng(seed)``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import scipy.optimize
from threadpoolctl import threadpool_limits

from engine.constants import N_CLASSES

#: Hyper-parameters of the original script.
REFERENCE_LBFGS_MAX_ITER = 50
REFERENCE_GRADCHECK_TRIALS = 300
REFERENCE_GRADCHECK_EPS = 1e-4
#: The original checked its gradient on the first 200 test images.
REFERENCE_GRADCHECK_IMAGES = 200


@dataclass(frozen=True)
class ReferenceRun:
    """Outcome of one reference optimisation.

    ``theta`` is the flat (d * k,) float64 parameter vector; error rates are fractions.
    """

    theta: np.ndarray
    train_error: float
    test_error: float
    seconds: float
    evaluations: int
    iterations: int
    message: str


@dataclass(frozen=True)
class ReferenceGradCheck:
    """The reference's gradient check: absolute errors over its random trials."""

    mean_abs_error: float
    max_abs_error: float
    n_trials: int


def reference_softmax(logits: np.ndarray) -> np.ndarray:
    """``exp(z) / sum(exp(z))`` per row, without the max-subtraction (the original's flaw)."""
    e = np.exp(logits)
    return e / e.sum(axis=1, keepdims=True)


def reference_one_hot(y: np.ndarray, n_classes: int = N_CLASSES) -> np.ndarray:
    """Float64 one-hot labels (n, n_classes)."""
    Y = np.zeros((y.shape[0], n_classes))
    Y[np.arange(y.shape[0]), y] = 1.0
    return Y


def reference_cost_gradient(
    theta: np.ndarray, X: np.ndarray, Y: np.ndarray
) -> tuple[float, np.ndarray]:
    """Summed cross-entropy and its gradient, as the original computes them.

    Parameters
    ----------
    theta : (d * k,) flat weights, no bias.
    X : (n, d) float64 inputs.
    Y : (n, k) one-hot labels.

    Returns
    -------
    cost : ``-sum(Y * log(softmax(X @ theta)))``.
    grad : (d * k,) ``X.T @ (P - Y)``, flattened.
    """
    W = theta.reshape(X.shape[1], Y.shape[1])
    P = reference_softmax(X @ W)
    cost = -float(np.sum(Y * np.log(P)))
    grad = X.T @ (P - Y)
    return cost, grad.ravel()


def reference_init(
    rng: np.random.Generator, n_features: int, n_classes: int = N_CLASSES
) -> np.ndarray:
    """Flat Glorot-uniform weights in ``[-s, s]``, ``s = sqrt(6) / sqrt(d + k)``."""
    s = np.sqrt(6.0) / np.sqrt(n_features + n_classes)
    return rng.uniform(-s, s, size=n_features * n_classes)


def reference_error_rate(
    theta: np.ndarray, X: np.ndarray, y: np.ndarray, n_classes: int = N_CLASSES
) -> float:
    """Fraction of wrong argmax predictions."""
    predictions = (X @ theta.reshape(X.shape[1], n_classes)).argmax(axis=1)
    return float(np.mean(predictions != y))


def reference_lbfgs(
    X: np.ndarray,
    y: np.ndarray,
    X_test: np.ndarray,
    y_test: np.ndarray,
    theta0: np.ndarray,
    max_iter: int = REFERENCE_LBFGS_MAX_ITER,
) -> ReferenceRun:
    """L-BFGS-B on the whole training set with SciPy's defaults apart from ``maxiter``."""
    Y = reference_one_hot(y)
    evaluations = 0

    def J(theta: np.ndarray) -> tuple[float, np.ndarray]:
        nonlocal evaluations
        evaluations += 1
        return reference_cost_gradient(theta, X, Y)

    start = time.perf_counter()
    result = scipy.optimize.minimize(
        J, theta0, method="L-BFGS-B", jac=True, options={"maxiter": max_iter}
    )
    seconds = time.perf_counter() - start
    return ReferenceRun(
        theta=result.x,
        train_error=reference_error_rate(result.x, X, y),
        test_error=reference_error_rate(result.x, X_test, y_test),
        seconds=seconds,
        evaluations=evaluations,
        iterations=int(result.nit),
        message=str(result.message),
    )


def reference_gradient_check(
    X: np.ndarray,
    y: np.ndarray,
    rng: np.random.Generator,
    *,
    n_trials: int = REFERENCE_GRADCHECK_TRIALS,
    eps: float = REFERENCE_GRADCHECK_EPS,
) -> ReferenceGradCheck:
    """The original's check: one random coordinate per trial, each at a fresh ``theta``.

    Raises
    ------
    ValueError
        If ``n_trials`` < 1.
    """
    if n_trials < 1:
        raise ValueError(f"n_trials must be >= 1, got {n_trials}")
    Y = reference_one_hot(y)
    d = X.shape[1]
    errors = np.empty(n_trials)
    # Hundreds of small products: a second BLAS thread only adds synchronisation.
    with threadpool_limits(limits=1, user_api="blas"):
        for t in range(n_trials):
            errors[t] = _one_trial(X, Y, reference_init(rng, d, Y.shape[1]), rng, eps)
    return ReferenceGradCheck(
        mean_abs_error=float(errors.mean()), max_abs_error=float(errors.max()), n_trials=n_trials
    )


def _one_trial(
    X: np.ndarray, Y: np.ndarray, theta: np.ndarray, rng: np.random.Generator, eps: float
) -> float:
    """One trial's absolute error at ``theta`` on a random coordinate j >= 1."""
    _, grad = reference_cost_gradient(theta, X, Y)
    j = int(rng.integers(1, theta.size))  # like randint(1, len): never coordinate 0
    original = theta[j]
    theta[j] = original + eps
    plus, _ = reference_cost_gradient(theta, X, Y)
    theta[j] = original - eps
    minus, _ = reference_cost_gradient(theta, X, Y)
    theta[j] = original
    return abs(grad[j] - (plus - minus) / (2 * eps))
