"""The reference experiment's mini-batch SGD (shared/docs/REFERENCE.md), flaws included.

Only the tests run it (``reproduce-seed`` compares L-BFGS-B), so it lives beside them; the
rest of the port is :mod:`engine.reference`.
"""

from __future__ import annotations

import time

import numpy as np

from engine.reference import (
    ReferenceRun,
    reference_cost_gradient,
    reference_error_rate,
    reference_one_hot,
)

#: Hyper-parameters of the original script's SGD.
REFERENCE_SGD_ALPHA = 0.06
REFERENCE_SGD_BATCH = 200
REFERENCE_SGD_MAX_EPOCHS = 50
REFERENCE_SGD_THRESHOLD = 0.0005


def reference_sgd(
    X: np.ndarray,
    y: np.ndarray,
    X_test: np.ndarray,
    y_test: np.ndarray,
    theta0: np.ndarray,
    *,
    alpha: float = REFERENCE_SGD_ALPHA,
    batch_size: int = REFERENCE_SGD_BATCH,
    max_epochs: int = REFERENCE_SGD_MAX_EPOCHS,
    threshold: float = REFERENCE_SGD_THRESHOLD,
) -> ReferenceRun:
    """Mini-batch SGD in file order, with the original's last-batch early stop."""
    Y = reference_one_hot(y)
    theta = theta0.copy()
    previous = np.inf
    steps = epochs = 0
    message = f"reached {max_epochs} epoch{'s' if max_epochs != 1 else ''}"
    start = time.perf_counter()
    for epochs in range(1, max_epochs + 1):
        for lo in range(0, X.shape[0], batch_size):
            cost, grad = reference_cost_gradient(
                theta, X[lo : lo + batch_size], Y[lo : lo + batch_size]
            )
            theta -= alpha * grad / batch_size
            steps += 1
        if previous - cost <= threshold:  # cost of the epoch's last mini-batch
            message = f"last-batch cost dropped by <= {threshold} in epoch {epochs}"
            break
        previous = cost
    seconds = time.perf_counter() - start
    return ReferenceRun(
        theta=theta,
        train_error=reference_error_rate(theta, X, y),
        test_error=reference_error_rate(theta, X_test, y_test),
        seconds=seconds,
        evaluations=steps,
        iterations=epochs,
        message=message,
    )
