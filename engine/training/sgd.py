"""Mini-batch SGD with momentum and a learning-rate schedule, as a generator of progress."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from engine.data.datasets import as_features
from engine.model import add_l2, class_major_loss_gradient
from engine.training.blas import blas_single_threaded
from engine.training.config import TrainConfig
from engine.training.run_tracking import diverged_reason, finish, starting_cost

Augment = Callable[[np.ndarray, np.random.Generator], np.ndarray]
#: An SGD cost this many times above the starting cost means the run has diverged.
DIVERGENCE_FACTOR = 100.0


def _learning_rate(config: TrainConfig, step: int, total: int) -> float:
    if config.schedule == "constant":
        return config.lr
    if config.schedule == "step":
        return config.lr * (0.1 ** int(step >= 0.5 * total)) * (0.1 ** int(step >= 0.75 * total))
    return config.lr * 0.5 * (1 + math.cos(math.pi * step / total))


def train_sgd(data, config, W, b, rng, tracker, should_stop, augment):
    X, y = data.X_train, data.y_train
    n = X.shape[0]
    bs = min(config.batch_size, n)
    per_epoch = math.ceil(n / bs)
    total = config.planned_steps(n)
    rows = np.arange(bs)
    vW, vb = np.zeros_like(W), np.zeros_like(b)
    step = 0
    cost0 = starting_cost(W, b, X, y, config, tracker.blas)
    ceiling = DIVERGENCE_FACTOR * max(cost0, 1.0)
    epochs_text = f"{config.epochs} epoch{'s' if config.epochs != 1 else ''}"
    reason, converged, diverged, stopped = f"reached {epochs_text}", False, False, False
    yield tracker.record(W, b, step=0, epoch=0.0, cost=cost0, evaluations=0, fraction=0.0)
    if should_stop():
        return finish(
            data,
            config,
            W,
            b,
            tracker,
            reason="stopped",
            converged=False,
            diverged=False,
            iterations=0,
            evaluations=0,
        )
    best = (W.copy(), b.copy())
    previous_epoch_cost = math.inf
    for epoch in range(config.epochs):
        order = rng.permutation(n)
        epoch_cost, i = 0.0, 0
        while i < per_epoch:
            # Train until the next report with one BLAS thread and numpy's warnings off
            # (a diverging run is detected from its values); never hold either across a yield.
            window_cost, window_wrong, window_n, bad_cost = 0.0, 0, 0, None
            with blas_single_threaded(tracker.blas), np.errstate(all="ignore"):
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
                finite = bad_cost is None and np.isfinite(W).all() and np.isfinite(b).all()
            if not finite:
                reason, diverged = diverged_reason(step, bad_cost or math.inf), True
                W, b = best
                break
            best = (W.copy(), b.copy())
            epoch_cost += window_cost
            yield tracker.record(
                W,
                b,
                step=step,
                epoch=epoch + i / per_epoch,
                cost=window_cost / window_n,
                evaluations=step,
                fraction=step / total,
                train_error=window_wrong / window_n,
            )
            if should_stop():
                reason, stopped = "stopped", True
                break
        if stopped or diverged:
            break
        epoch_cost /= n
        if previous_epoch_cost - epoch_cost <= config.tol:
            reason, converged = (
                f"cost improved by less than tol={config.tol:g} in epoch {epoch + 1}",
                True,
            )
            break
        previous_epoch_cost = epoch_cost
    return finish(
        data,
        config,
        W,
        b,
        tracker,
        reason=reason,
        converged=converged,
        diverged=diverged,
        iterations=step,
        evaluations=step,
    )
