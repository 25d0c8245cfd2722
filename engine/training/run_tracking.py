"""The bookkeeping every training run shares, whatever its optimizer: timing, progress
records made from the optimizer's iterates, error rates measured a chunk at a time, and the
finished :class:`TrainResult` made from its outcome."""

from __future__ import annotations

import math
import time
from dataclasses import asdict, replace
from datetime import datetime, timezone

import numpy as np
from threadpoolctl import ThreadpoolController

from engine.data.datasets import Dataset, as_features
from engine.model import SoftmaxModel, add_l2, loss_gradient
from engine.training.blas import blas_controller, blas_single_threaded
from engine.training.config import Progress, TrainConfig, TrainResult
from engine.training.optimizer import Iterate, Outcome

#: Before the first step, the cost is measured on at most this many training images.
TRAIN_ERROR_SUBSET = 10_000
#: Images per chunk when predicting on or measuring the cost over many images: bounds the
#: float32 copy of a fancy-indexed subset or of uint8 images to a few MB.
PREDICT_CHUNK = 4096


class Tracker:
    """Times the run, evaluates test error for progress records and keeps the history."""

    def __init__(self, data: Dataset, seed: int, snapshot: bool) -> None:
        self.data = data
        self.seed = seed
        self.snapshot = snapshot
        self.start = time.perf_counter()
        self.history: list[Progress] = []
        self._subset: np.ndarray | None = None
        self.blas = blas_controller()

    def elapsed(self) -> float:
        return time.perf_counter() - self.start

    def subset_error(self, W: np.ndarray, b: np.ndarray) -> float:
        """Training error on a fixed random subset (when no cheaper figure is at hand)."""
        if self._subset is None:
            rng = np.random.default_rng(self.seed + 1)
            n = self.data.X_train.shape[0]
            self._subset = np.sort(rng.choice(n, size=min(n, TRAIN_ERROR_SUBSET), replace=False))
        return error_rate(self.data.X_train, self.data.y_train, W, b, self._subset)

    def record(self, iterate: Iterate) -> Progress:
        """The progress record of ``iterate``: its figures, the test error there (and the
        training error on a subset when the optimizer had none), the time so far."""
        W, b = iterate.W, iterate.b
        with blas_single_threaded(self.blas):
            train_error = iterate.train_error
            if train_error is None:
                train_error = self.subset_error(W, b)
            test_err = test_set_error(self.data, W, b)
        progress = Progress(
            step=iterate.step,
            epoch=float(iterate.epoch),
            cost=float(iterate.cost),
            train_error=float(train_error),
            test_error=test_err,
            elapsed=self.elapsed(),
            evaluations=iterate.evaluations,
            fraction=float(min(max(iterate.fraction, 0.0), 1.0)),
        )
        self.history.append(progress)
        if self.snapshot:
            progress = replace(progress, W=W.copy())
        return progress

    def finish(self, config: TrainConfig, outcome: Outcome) -> TrainResult:
        """The result of a run of ``config`` that ended with ``outcome``: its final errors
        on the whole training and test sets, and its model with the run's metadata."""
        data, W, b = self.data, outcome.W, outcome.b
        # One BLAS thread here too: a threaded (60000, 784) @ (784, 10) product makes
        # OpenBLAS touch ~30 MB of packing buffer per thread, which then stays resident.
        with blas_single_threaded(self.blas):
            train_err = error_rate(data.X_train, data.y_train, W, b)
            test_err = test_set_error(data, W, b)
        seconds = self.elapsed()
        metadata = {
            "optimizer": config.optimizer,
            "config": asdict(config),
            "dataset": data.name,
            "class_names": list(data.names),
            "subject": data.subject,
            "digits": data.digits,
            "n_train": int(data.X_train.shape[0]),
            "train_error": train_err,
            # None (JSON null), not NaN, for a dataset without a test set
            "test_error": None if math.isnan(test_err) else test_err,
            "test_accuracy": None if math.isnan(test_err) else 1.0 - test_err,
            "iterations": outcome.iterations,
            "seconds": round(seconds, 3),
            "reason": outcome.message,
            "stop_reason": outcome.reason.value,
            "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }
        model = SoftmaxModel(
            W=W.copy(),
            b=b.copy(),
            preprocessing_version=data.preprocessing_version,
            metadata=metadata,
        )
        return TrainResult(
            model=model,
            stop_reason=outcome.reason,
            reason=outcome.message,
            iterations=outcome.iterations,
            evaluations=outcome.evaluations,
            seconds=seconds,
            train_error=train_err,
            test_error=test_err,
            history=tuple(self.history),
        )


def error_rate(
    X: np.ndarray, y: np.ndarray, W: np.ndarray, b: np.ndarray, rows: np.ndarray | None = None
) -> float:
    """Error of ``(W, b)`` on ``X[rows]`` (all of ``X`` when None), a chunk at a time.

    A fancy-indexed subset kept for a whole run, or uint8 images converted at once, would
    be a second copy of the images (30 MB for 10,000); chunks bound it to a few MB.
    """
    n = X.shape[0] if rows is None else rows.size
    if n == 0:
        raise ValueError("cannot compute an error rate on zero samples")
    wrong = 0
    for start in range(0, n, PREDICT_CHUNK):
        part = (
            slice(start, start + PREDICT_CHUNK)
            if rows is None
            else rows[start : start + PREDICT_CHUNK]
        )
        wrong += int(np.count_nonzero((as_features(X[part]) @ W + b).argmax(axis=1) != y[part]))
    return wrong / n


def test_set_error(data: Dataset, W: np.ndarray, b: np.ndarray) -> float:
    """Error on the test set; NaN when the dataset has none."""
    if data.X_test.shape[0] == 0:
        return math.nan
    return error_rate(data.X_test, data.y_test, W, b)


def starting_cost(
    W: np.ndarray,
    b: np.ndarray,
    X: np.ndarray,
    y: np.ndarray,
    l2: float,
    blas: ThreadpoolController,
) -> float:
    """The cost of ``(W, b)`` on the first TRAIN_ERROR_SUBSET images, a chunk at a time."""
    n = min(X.shape[0], TRAIN_ERROR_SUBSET)
    loss = 0.0
    with blas_single_threaded(blas):
        for start in range(0, n, PREDICT_CHUNK):
            stop = min(start + PREDICT_CHUNK, n)
            part = loss_gradient(W, b, as_features(X[start:stop]), y[start:stop])[0]
            loss += part * (stop - start)
    return add_l2(loss / n, W, l2)
