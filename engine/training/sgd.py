"""Mini-batch SGD with momentum and a learning-rate schedule, as a generator of iterates."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from threadpoolctl import ThreadpoolController

from engine.data.datasets import as_features
from engine.model import add_l2, class_major_loss_gradient
from engine.training.blas import blas_single_threaded
from engine.training.config import StopReason, TrainConfig
from engine.training.optimizer import Iterate, OptimizerRun, Outcome, diverged, plural, stopped
from engine.training.run_tracking import starting_cost

Augment = Callable[[np.ndarray, np.random.Generator], np.ndarray]
#: An SGD cost this many times above the starting cost means the run has diverged.
DIVERGENCE_FACTOR = 100.0


def _learning_rate(config: TrainConfig, step: int, total: int) -> float:
    if config.schedule == "constant":
        return config.lr
    if config.schedule == "step":
        return config.lr * (0.1 ** int(step >= 0.5 * total)) * (0.1 ** int(step >= 0.75 * total))
    return config.lr * 0.5 * (1 + math.cos(math.pi * step / total))


def early_stop_message(epoch: int, before: float, after: float, tol: float) -> str:
    """What SGD's early stop did after ``epoch`` (1-based), whose mean cost went from
    ``before`` (the epoch before) to ``after``."""
    if after >= before:
        return (
            f"stopped early: the mean training cost rose from {before:.4f} to {after:.4f} "
            f"in epoch {epoch}"
        )
    return (
        f"stopped early: the mean training cost fell by {before - after:.2g} in epoch {epoch} "
        f"(from {before:.4f} to {after:.4f}), not more than tol={tol:g}"
    )


def train_sgd(
    X: np.ndarray,
    y: np.ndarray,
    config: TrainConfig,
    W: np.ndarray,
    b: np.ndarray,
    rng: np.random.Generator,
    blas: ThreadpoolController,
    augment: Augment | None,
) -> OptimizerRun:
    """Mini-batch SGD on ``X`` (n, d) and ``y`` (n,) from ``(W, b)``, updated in place.

    Yields an :class:`Iterate` every ``config.report_every`` steps and at each epoch's end
    (the weights are this generator's own arrays); sent True, it stops there. Ends after
    ``config.epochs`` epochs, after an epoch whose mean cost fell by no more than
    ``config.tol``, or when the cost leaves its bounds (the last good weights are kept).
    """
    n = X.shape[0]
    bs = min(config.batch_size, n)
    per_epoch = math.ceil(n / bs)
    total = per_epoch * config.epochs
    rows = np.arange(bs)
    vW, vb = np.zeros_like(W), np.zeros_like(b)
    step = 0
    cost0 = starting_cost(W, b, X, y, config.l2, blas)
    ceiling = DIVERGENCE_FACTOR * max(cost0, 1.0)
    last = Iterate(step=0, epoch=0.0, W=W, b=b, cost=cost0, evaluations=0, fraction=0.0)
    if (yield last):
        return stopped(last)
    best = (W.copy(), b.copy())
    previous_epoch_cost = math.inf
    for epoch in range(config.epochs):
        order = rng.permutation(n)
        epoch_cost, i = 0.0, 0
        while i < per_epoch:
            # Train until the next report with one BLAS thread and numpy's warnings off
            # (a diverging run is detected from its values); never hold either across a yield.
            window_cost, window_wrong, window_n = 0.0, 0, 0
            bad_cost: float | None = None
            with blas_single_threaded(blas), np.errstate(all="ignore"):
                while i < per_epoch:
                    idx = order[i * bs : (i + 1) * bs]
                    X_batch = as_features(X[idx])
                    if augment is not None:
                        X_batch = augment(X_batch, rng)
                    y_batch = y[idx]
                    m = y_batch.shape[0]
                    loss, dW, db, n_wrong = class_major_loss_gradient(
                        W, b, X_batch.T, y_batch, rows[:m]
                    )
                    loss = add_l2(loss, W, config.l2, dW)
                    if not loss <= ceiling:  # also catches NaN
                        bad_cost = loss
                        break
                    lr = _learning_rate(config, step, total)
                    vW *= config.momentum
                    vW -= lr * dW
                    vb *= config.momentum
                    vb -= lr * db
                    W += vW
                    b += vb
                    step += 1
                    i += 1
                    window_cost += loss * m
                    window_wrong += n_wrong
                    window_n += m
                    if step % config.report_every == 0:
                        break
                finite = bool(np.isfinite(W).all() and np.isfinite(b).all())
            if bad_cost is not None or not finite:
                cost = math.inf if bad_cost is None else bad_cost
                why = (
                    StopReason.DIVERGED if finite and math.isfinite(cost) else StopReason.NON_FINITE
                )
                return diverged(why, cost, *best, step=step, evaluations=step)
            best = (W.copy(), b.copy())
            epoch_cost += window_cost
            last = Iterate(
                step=step,
                epoch=epoch + i / per_epoch,
                W=W,
                b=b,
                cost=window_cost / window_n,
                evaluations=step,
                fraction=step / total,
                train_error=window_wrong / window_n,
            )
            if (yield last):
                return stopped(last)
        epoch_cost /= n
        last_epoch = epoch == config.epochs - 1  # then it ran its course either way
        if previous_epoch_cost - epoch_cost <= config.tol and not last_epoch:
            message = early_stop_message(epoch + 1, previous_epoch_cost, epoch_cost, config.tol)
            return Outcome(StopReason.NO_IMPROVEMENT, message, W, b, step, step)
        previous_epoch_cost = epoch_cost
    message = f"reached {plural(config.epochs, 'epoch')}"
    return Outcome(StopReason.MAX_ITERATIONS, message, W, b, step, step)
