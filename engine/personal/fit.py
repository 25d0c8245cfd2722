"""The fit behind :func:`engine.adapt`, and the step from the base that keeps every correction.

The objective (see :mod:`engine.personal.adapt`) gains one term when a correction did not
stick: ``boost * mean_{i in boosted} CE(x_i, y_i)``, the corrections the previous fit did not
read as taught, weighted harder.
"""

from __future__ import annotations

import numpy as np

from engine.model import class_major_loss_gradient
from engine.personal.replay import GUARD_STEPS, ReplaySet, _BaseTerms

#: How far a taught sample's logit must beat every other class for it to count as read: a
#: hair above float32 rounding, so the saved model reads it the same.
STICK_MARGIN = 1e-3


def fit(
    W0: np.ndarray,
    b0: np.ndarray,
    X: np.ndarray,
    y: np.ndarray,
    replay: ReplaySet,
    base: _BaseTerms,
    *,
    alpha: float,
    pull: float,
    max_iter: int,
    boosted: np.ndarray | None = None,
    boost: float = 0.0,
    smoothing: float = 0.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Minimise the adaptation objective from the base with L-BFGS-B; ``boosted`` are row
    indices of ``X`` whose loss also counts ``boost`` times (their mean).

    ``smoothing`` (ε) smooths the corrections' labels: their target is ``1 - ε`` on the
    taught digit and ``ε / k`` on every digit, so a correction alone is best read at about
    ``1 - ε`` rather than certainty. Its loss is the plain one plus ``ε * mean_i (z_iy -
    mean_c z_ic)`` (``z`` the logits), a term linear in ``(W, b)``: a constant gradient.
    """
    from scipy.optimize import minimize

    d, k = W0.shape
    XT = np.ascontiguousarray(X.T)  # (d, n)
    # the smoothing term's gradient: eps * X.T @ (one-hot - 1/k) / n, and its mean for b
    off_target = np.full((X.shape[0], k), -1.0 / k, dtype=np.float32)
    off_target[np.arange(X.shape[0]), y] += 1.0
    eps = np.float32(alpha * smoothing)
    gW_s = eps * (XT @ off_target) / np.float32(X.shape[0])  # (d, k)
    gb_s = eps * off_target.mean(axis=0)  # (k,)
    rows, rows_r = np.arange(X.shape[0]), np.arange(replay.y.size)
    use_boost = boosted is not None and boosted.size > 0 and boost > 0
    if use_boost:
        XT_boost = np.ascontiguousarray(X[boosted].T)
        y_boost, rows_boost = y[boosted], np.arange(boosted.size)  # type: ignore[union-attr]
    gW_r0, gb_r0 = base.gW, base.gb
    alpha32, pull32, boost32 = np.float32(alpha), np.float32(pull), np.float32(boost)

    def objective(theta: np.ndarray) -> tuple[float, np.ndarray]:
        W = theta[: d * k].reshape(d, k).astype(np.float32)
        b = theta[d * k :].astype(np.float32)
        loss_p, dW_p, db_p, _ = class_major_loss_gradient(W, b, XT, y, rows)
        loss_r, dW_r, db_r, _ = class_major_loss_gradient(W, b, replay.XT, replay.y, rows_r)
        dW_delta, db_delta = W - W0, b - b0
        loss = (
            alpha * loss_p
            + loss_r
            - float(np.vdot(gW_r0, dW_delta))
            - float(np.vdot(gb_r0, db_delta))
            + 0.5 * pull * float(np.vdot(dW_delta, dW_delta))
        )
        dW = alpha32 * dW_p + (dW_r - gW_r0) + pull32 * dW_delta
        db = alpha32 * db_p + (db_r - gb_r0)
        if smoothing:
            loss += float(np.vdot(gW_s, W)) + float(np.vdot(gb_s, b))
            dW += gW_s
            db += gb_s
        if use_boost:
            loss_b, dW_b, db_b, _ = class_major_loss_gradient(W, b, XT_boost, y_boost, rows_boost)
            loss += boost * loss_b
            dW += boost32 * dW_b
            db += boost32 * db_b
        return loss, np.concatenate([dW.ravel(), db]).astype(np.float64)

    theta0 = np.concatenate([W0.ravel(), b0]).astype(np.float64)
    result = minimize(objective, theta0, jac=True, method="L-BFGS-B", options={"maxiter": max_iter})
    return result.x[: d * k].reshape(d, k).astype(np.float32), result.x[d * k :].astype(np.float32)


def step_model(
    W0: np.ndarray, b0: np.ndarray, W: np.ndarray, b: np.ndarray, step: float
) -> tuple[np.ndarray, np.ndarray]:
    """``(W0, b0) + step * ((W, b) - (W0, b0))`` in float32: the one place a step is taken."""
    t = np.float32(step)
    return (W0 + t * (W - W0)).astype(np.float32), (b0 + t * (b - b0)).astype(np.float32)


def unread(X: np.ndarray, y: np.ndarray, W: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Boolean (n,): which samples ``(W, b)`` does not read as their label by STICK_MARGIN."""
    logits = X @ W + b  # (n, k)
    true = logits[np.arange(y.size), y].copy()
    logits[np.arange(y.size), y] = -np.inf
    return true - logits.max(axis=1) <= STICK_MARGIN


def stick_step(
    W0: np.ndarray, b0: np.ndarray, W: np.ndarray, b: np.ndarray, X: np.ndarray, y: np.ndarray
) -> float | None:
    """The smallest of GUARD_STEPS at which every sample of ``(X, y)`` is read as its label,
    or None when even the full step misses one."""
    for step in sorted(GUARD_STEPS):
        if not unread(X, y, *step_model(W0, b0, W, b, step)).any():
            return step
    return None
