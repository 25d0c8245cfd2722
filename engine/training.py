"""Training as a generator: every step yields a small progress record, the end returns a result.

One API drives the CLI, the tests and the GUI::

    run = train(data, TrainConfig(optimizer="sgd"))
    for progress in run:          # Progress records, one per report
        ...                       # plot, print, or ask to stop via `should_stop`
    # the generator's return value (StopIteration.value) is a TrainResult

Stopping is cooperative: ``should_stop`` is asked after every yield, and a stopped run
still returns a valid model. Non-finite costs or weights stop training with a reason and
the last finite weights; results never contain NaN.
"""

from __future__ import annotations

import math
import queue
import threading
import time
from collections.abc import Callable, Generator
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timezone
from typing import Literal

import numpy as np
import scipy.optimize
from threadpoolctl import ThreadpoolController

from .datasets import Dataset
from .metrics import error_rate
from .model import SoftmaxModel, init_weights, loss_gradient, pack, unpack

Optimizer = Literal["lbfgs", "sgd"]
Augment = Callable[[np.ndarray, np.random.Generator], np.ndarray]
Schedule = Literal["constant", "cosine", "step"]
#: Training error is tracked on a fixed random subset of this many training images.
TRAIN_ERROR_SUBSET = 10_000


@dataclass(frozen=True)
class TrainConfig:
    """Hyper-parameters of one training run.

    ``max_iter`` bounds L-BFGS-B iterations; ``epochs`` bounds SGD. ``tol`` is the
    cost-improvement threshold (the reference's ``threhold``): L-BFGS-B's relative
    ``ftol``, and for SGD the smallest drop in mean epoch cost that keeps it going.
    """

    optimizer: Optimizer = "lbfgs"
    max_iter: int = 200
    epochs: int = 5
    lr: float = 0.5
    momentum: float = 0.9
    batch_size: int = 100
    schedule: Schedule = "cosine"
    l2: float = 1e-4
    seed: int = 0
    tol: float = 1e-7
    report_every: int = 50
    snapshot_weights: bool = False

    def __post_init__(self) -> None:
        if self.optimizer not in ("lbfgs", "sgd"):
            raise ValueError(f"optimizer must be 'lbfgs' or 'sgd', got {self.optimizer!r}")
        if self.schedule not in ("constant", "cosine", "step"):
            raise ValueError(f"schedule must be constant, cosine or step, got {self.schedule!r}")
        positive = {"max_iter": self.max_iter, "epochs": self.epochs, "lr": self.lr,
                    "batch_size": self.batch_size, "report_every": self.report_every}
        for name, value in positive.items():
            if not (isinstance(value, (int, float)) and math.isfinite(value) and value > 0):
                raise ValueError(f"{name} must be a positive number, got {value!r}")
        if not (math.isfinite(self.momentum) and 0 <= self.momentum < 1):
            raise ValueError(f"momentum must be in [0, 1), got {self.momentum!r}")
        if not (math.isfinite(self.l2) and self.l2 >= 0):
            raise ValueError(f"l2 must be a finite number >= 0, got {self.l2!r}")
        if not (math.isfinite(self.tol) and self.tol >= 0):
            raise ValueError(f"tol must be a finite number >= 0, got {self.tol!r}")


@dataclass(frozen=True)
class Progress:
    """One report during training (plain data, safe to send across threads).

    ``fraction`` is the share of the planned work done, in [0, 1], for progress bars.
    ``W`` is a copy of the weights (n_features, n_classes) when snapshots were asked for.
    """

    step: int
    epoch: float
    cost: float
    train_error: float
    test_error: float
    elapsed: float
    evaluations: int
    fraction: float
    W: np.ndarray | None = None


@dataclass(frozen=True)
class TrainResult:
    """What a finished (or stopped) run produced."""

    model: SoftmaxModel
    reason: str
    converged: bool
    diverged: bool
    iterations: int
    evaluations: int
    seconds: float
    train_error: float
    test_error: float
    history: tuple[Progress, ...]


class _Tracker:
    """Evaluates train/test error for progress records on fixed subsets."""

    def __init__(self, data: Dataset, seed: int, snapshot: bool) -> None:
        rng = np.random.default_rng(seed + 1)
        n = data.X_train.shape[0]
        idx = np.sort(rng.choice(n, size=min(n, TRAIN_ERROR_SUBSET), replace=False))
        self.X_sub, self.y_sub = data.X_train[idx], data.y_train[idx]
        self.X_test, self.y_test = data.X_test, data.y_test
        self.snapshot = snapshot
        self.start = time.perf_counter()
        self.history: list[Progress] = []

    def elapsed(self) -> float:
        return time.perf_counter() - self.start

    def record(self, W, b, *, step, epoch, cost, evaluations, fraction) -> Progress:
        train_err = error_rate(self.y_sub, (self.X_sub @ W + b).argmax(axis=1))
        test_err = error_rate(self.y_test, (self.X_test @ W + b).argmax(axis=1))
        progress = Progress(
            step=step, epoch=float(epoch), cost=float(cost), train_error=train_err,
            test_error=test_err, elapsed=self.elapsed(), evaluations=evaluations,
            fraction=float(min(max(fraction, 0.0), 1.0)),
        )
        self.history.append(progress)
        if self.snapshot:
            progress = replace(progress, W=W.copy())
        return progress


def _finish(data, config, W, b, tracker, *, reason, converged, diverged, iterations, evaluations):
    train_err = error_rate(data.y_train, (data.X_train @ W + b).argmax(axis=1))
    test_err = error_rate(data.y_test, (data.X_test @ W + b).argmax(axis=1))
    seconds = tracker.elapsed()
    metadata = {
        "optimizer": config.optimizer,
        "config": asdict(config),
        "dataset": data.name,
        "n_train": int(data.X_train.shape[0]),
        "train_error": train_err,
        "test_error": test_err,
        "test_accuracy": 1.0 - test_err,
        "iterations": iterations,
        "seconds": round(seconds, 3),
        "reason": reason,
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    model = SoftmaxModel(W=W.copy(), b=b.copy(), preprocessing_version=data.preprocessing_version,
                         metadata=metadata)
    return TrainResult(
        model=model, reason=reason, converged=converged, diverged=diverged,
        iterations=iterations, evaluations=evaluations, seconds=seconds,
        train_error=train_err, test_error=test_err, history=tuple(tracker.history),
    )


def _initial(init, rng, n_features, n_classes):
    if init is None:
        return init_weights(rng, n_features, n_classes)
    W, b = (init.W, init.b) if isinstance(init, SoftmaxModel) else init
    if W.shape != (n_features, n_classes) or b.shape != (n_classes,):
        raise ValueError(
            f"initial weights must be ({n_features}, {n_classes}) and ({n_classes},), "
            f"got {W.shape} and {b.shape}"
        )
    return np.array(W, dtype=np.float32), np.array(b, dtype=np.float32)


def train(
    data: Dataset,
    config: TrainConfig | None = None,
    *,
    should_stop: Callable[[], bool] | None = None,
    init: SoftmaxModel | tuple[np.ndarray, np.ndarray] | None = None,
    augment: Augment | None = None,
) -> Generator[Progress, None, TrainResult]:
    """Train a softmax regression on ``data``, yielding :class:`Progress` as it goes.

    Parameters
    ----------
    data : training and test sets (float32 ``X``).
    config : hyper-parameters; defaults to :class:`TrainConfig()`.
    should_stop : asked after every yield; when it returns True the run ends with
        reason ``"stopped"`` and returns the weights so far.
    init : starting weights (a model or ``(W, b)``); small random weights when None.
    augment : SGD only: maps each mini-batch ``X`` (n, d) to new images (n, d) of the same
        labels, given the run's random generator; L-BFGS-B (full batch) ignores it.

    Returns
    -------
    TrainResult (the generator's return value).
    """
    config = config or TrainConfig()
    should_stop = should_stop or (lambda: False)
    n_classes = int(max(data.y_train.max(), data.y_test.max())) + 1
    n_classes = max(n_classes, 10)
    rng = np.random.default_rng(config.seed)
    W, b = _initial(init, rng, data.X_train.shape[1], n_classes)
    tracker = _Tracker(data, config.seed, config.snapshot_weights)
    if config.optimizer == "lbfgs":
        return (yield from _train_lbfgs(data, config, W, b, tracker, should_stop))
    return (yield from _train_sgd(data, config, W, b, rng, tracker, should_stop, augment))


def _learning_rate(config: TrainConfig, step: int, total: int) -> float:
    if config.schedule == "constant":
        return config.lr
    if config.schedule == "step":
        return config.lr * (0.1 ** int(step >= 0.5 * total)) * (0.1 ** int(step >= 0.75 * total))
    return config.lr * 0.5 * (1 + math.cos(math.pi * step / total))


def _train_sgd(data, config, W, b, rng, tracker, should_stop, augment):
    X, y = data.X_train, data.y_train
    n = X.shape[0]
    bs = min(config.batch_size, n)
    per_epoch = math.ceil(n / bs)
    total = per_epoch * config.epochs
    vW, vb = np.zeros_like(W), np.zeros_like(b)
    step = 0
    window: list[float] = []
    previous_epoch_cost = math.inf
    reason, converged, diverged = f"reached {config.epochs} epochs", False, False
    best = (W.copy(), b.copy())
    yield tracker.record(W, b, step=0, epoch=0.0, cost=_cost0(W, b, X, y, config), evaluations=0, fraction=0.0)
    stopped = should_stop()
    for epoch in range(config.epochs):
        if stopped or diverged:
            break
        order = rng.permutation(n)
        epoch_costs = []
        for i in range(per_epoch):
            idx = order[i * bs:(i + 1) * bs]
            X_batch = X[idx] if augment is None else augment(X[idx], rng)
            loss, dW, db = loss_gradient(W, b, X_batch, y[idx], config.l2)
            if not math.isfinite(loss):
                reason, diverged = _diverged_reason(step, loss), True
                W, b = best
                break
            lr = _learning_rate(config, step, total)
            vW *= config.momentum
            vW -= lr * dW
            vb *= config.momentum
            vb -= lr * db
            W += vW
            b += vb
            step += 1
            window.append(loss)
            epoch_costs.append(loss)
            end_of_epoch = i == per_epoch - 1
            if step % config.report_every == 0 or end_of_epoch:
                if not (np.isfinite(W).all() and np.isfinite(b).all()):
                    reason, diverged = _diverged_reason(step, math.inf), True
                    W, b = best
                    break
                best = (W.copy(), b.copy())
                progress = tracker.record(
                    W, b, step=step, epoch=epoch + (i + 1) / per_epoch,
                    cost=float(np.mean(window)), evaluations=step, fraction=step / total,
                )
                window = []
                yield progress
                if should_stop():
                    reason, stopped = "stopped", True
                    break
        else:
            epoch_cost = float(np.mean(epoch_costs))
            if previous_epoch_cost - epoch_cost <= config.tol:
                reason, converged = (
                    f"cost improved by less than tol={config.tol:g} in epoch {epoch + 1}", True)
                break
            previous_epoch_cost = epoch_cost
    return _finish(data, config, W, b, tracker, reason=reason, converged=converged,
                   diverged=diverged, iterations=step, evaluations=step)


def _cost0(W, b, X, y, config):
    n = min(X.shape[0], TRAIN_ERROR_SUBSET)
    return loss_gradient(W, b, X[:n], y[:n], config.l2)[0]


def _diverged_reason(step: int, cost: float) -> str:
    return (f"diverged: the cost became {cost} at step {step}; kept the last finite weights "
            "(try a smaller learning rate)")


class _Diverged(Exception):
    """Raised inside the objective when the cost is not finite."""


@dataclass
class _Lockstep:
    """Hands L-BFGS-B iterations from SciPy's thread to the generator, one at a time."""

    records: queue.Queue
    resume: threading.Semaphore
    stop: threading.Event


def _scipy_blas_single_threaded():
    """Limit only SciPy's own BLAS pool to one thread during L-BFGS-B.

    SciPy ships its own OpenBLAS; its thread pool contends with NumPy's for the two cores
    and roughly halves GEMM speed.
    """
    controller = ThreadpoolController()
    scipy_pools = [lib for lib in controller.lib_controllers if "scipy.libs" in lib.filepath
                   or "scipy/.libs" in lib.filepath]
    if not scipy_pools:
        return _NullContext()
    return controller.select(filepath=scipy_pools[0].filepath).limit(limits=1)


class _NullContext:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _train_lbfgs(data, config, W0, b0, tracker, should_stop):
    X, y = data.X_train, data.y_train
    d, k = W0.shape
    evaluations = 0
    last_finite = pack(W0, b0)

    def objective(theta: np.ndarray) -> tuple[float, np.ndarray]:
        nonlocal evaluations, last_finite
        evaluations += 1
        W, b = unpack(theta, d, k, np.float32)
        loss, dW, db = loss_gradient(W, b, X, y, config.l2)
        if not math.isfinite(loss):
            raise _Diverged(loss)
        return loss, pack(dW, db)

    sync = _Lockstep(queue.Queue(), threading.Semaphore(0), threading.Event())
    iteration = 0

    def callback(intermediate_result: scipy.optimize.OptimizeResult) -> None:
        nonlocal iteration, last_finite
        iteration += 1
        last_finite = intermediate_result.x.copy()
        sync.records.put(("progress", (iteration, float(intermediate_result.fun), last_finite)))
        sync.resume.acquire()
        if sync.stop.is_set():
            raise StopIteration

    def run() -> None:
        try:
            with _scipy_blas_single_threaded():
                result = scipy.optimize.minimize(
                    objective, last_finite, method="L-BFGS-B", jac=True, callback=callback,
                    options={"maxiter": config.max_iter, "ftol": config.tol, "gtol": 1e-9},
                )
            sync.records.put(("done", result))
        except _Diverged as exc:
            sync.records.put(("diverged", exc.args[0]))
        except BaseException as exc:  # handed to the consumer's thread and re-raised there
            sync.records.put(("error", exc))

    W, b = W0, b0
    yield tracker.record(W, b, step=0, epoch=0.0, cost=_cost0(W, b, X, y, config),
                         evaluations=0, fraction=0.0)
    if should_stop():
        return _finish(data, config, W, b, tracker, reason="stopped", converged=False,
                       diverged=False, iterations=0, evaluations=0)
    thread = threading.Thread(target=run, name="lbfgs", daemon=True)
    thread.start()
    reason, converged, diverged = "", False, False
    try:
        while True:
            kind, payload = sync.records.get()
            if kind == "progress":
                it, cost, theta = payload
                W, b = unpack(theta, d, k, np.float32)
                yield tracker.record(W, b, step=it, epoch=it, cost=cost, evaluations=evaluations,
                                     fraction=it / config.max_iter)
                if should_stop():
                    sync.stop.set()
                    reason = "stopped"
                sync.resume.release()
            elif kind == "done":
                W, b = unpack(payload.x, d, k, np.float32)
                if not reason:
                    converged = payload.status == 0
                    reason = ("converged" if converged
                              else f"reached {config.max_iter} iterations"
                              if payload.nit >= config.max_iter else str(payload.message))
                break
            elif kind == "diverged":
                W, b = unpack(last_finite, d, k, np.float32)
                reason, diverged = _diverged_reason(iteration, payload), True
                break
            else:
                raise payload
    finally:
        if thread.is_alive():  # closed early by the consumer: let SciPy's thread finish
            sync.stop.set()
            sync.resume.release()
            thread.join()
    return _finish(data, config, W, b, tracker, reason=reason, converged=converged,
                   diverged=diverged, iterations=iteration, evaluations=evaluations)
