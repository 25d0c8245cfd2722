"""Training as a generator: every step yields a small progress record, the end returns a result.

One API drives the CLI, the tests and the GUI::

    run = train(data, TrainConfig(optimizer="sgd"))
    for progress in run:          # Progress records, one per report
        ...                       # plot, print, or ask to stop via `should_stop`
    # the generator's return value (StopIteration.value) is a TrainResult

Stopping is cooperative: ``should_stop`` is asked after every yield, and a stopped run
still returns a valid model. Non-finite costs or weights, or an SGD cost that grows far
above where it started, stop training with a reason and the last good weights; results
never contain NaN.

Speed (measured figures in bench/README.md):

- Both optimisers evaluate the loss with the logits laid out class-major, ``(k, n)``, so the
  softmax reductions run along contiguous rows, and take each sample's training error for
  free from the same pass (its true class has the largest logit).
- L-BFGS-B copies the training set once into pixel-major order ``(d, n)``, leaving out
  pixels that no training image inks (their data gradient is exactly zero). MNIST-format
  pixels are whole multiples of 1/255, so the copy stores them as uint8 (a quarter of
  float32's memory); a full-batch pass converts one chunk of images at a time to float32
  and runs both products, ``W.T @ XT`` and ``XT @ G``, on it while it is in cache. Data that
  is not on the 1/255 grid keep a float32 copy, processed the same way.
- L-BFGS-B works in whitened coordinates, an exact change of variables (same objective,
  same model on raw [0, 1] pixels) that roughly halves the iterations it needs; see
  :class:`_WhitenedProblem`.
- Both run BLAS on one thread: their products (a mini-batch, a chunk) are small, and a
  second OpenBLAS thread costs more in synchronisation than it gains (and stalls badly when
  the other core is busy).
"""

from __future__ import annotations

import contextlib
import functools
import math
import queue
import threading
import time
from collections.abc import Callable, Generator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timezone
from typing import Literal

import numpy as np
from threadpoolctl import ThreadpoolController

from .augment import PRESETS as AUGMENT_PRESETS
from .augment import make_augmenter
from .datasets import PIXEL_LEVELS, Dataset, as_features
from .model import SoftmaxModel, class_major_loss_gradient, init_weights, loss_gradient

Optimizer = Literal["lbfgs", "sgd"]
Augment = Callable[[np.ndarray, np.random.Generator], np.ndarray]
Schedule = Literal["constant", "cosine", "step"]
#: Before the first step, the cost is measured on at most this many training images.
TRAIN_ERROR_SUBSET = 10_000
#: An SGD cost this many times above the starting cost means the run has diverged.
DIVERGENCE_FACTOR = 100.0
#: Ridge added to the pixel covariance before whitening (see :class:`_WhitenedProblem`).
WHITEN_RIDGE = 0.1
#: Training images sampled (evenly) to estimate the pixel covariance for whitening.
COVARIANCE_SAMPLE = 2_000
#: Images per block when copying the training set to pixel-major order (block fits in L2).
TRANSPOSE_BLOCK = 256
#: Images per chunk of L-BFGS-B's full-batch pass: a chunk converted to float32
#: (~720 inked pixels × 2048 × 4 B = 6 MB) is used by both products while in cache, and the
#: chunked uint8 pass measured as fast as one float32 pass over the whole set.
LBFGS_CHUNK = 2048
#: Threads sharing those chunks (each with one BLAS thread): the two cores this app targets.
#: Two OpenBLAS threads per product did the same for one float32 pass, but stall on
#: chunk-sized products; helper threads made afresh for each evaluation cost a third more.
LBFGS_THREADS = 2
#: Images per chunk when predicting on or measuring the cost over many images: bounds the
#: float32 copy of a fancy-indexed subset or of uint8 images to a few MB.
PREDICT_CHUNK = 4096
#: L-BFGS-B's projected-gradient tolerance; tiny, so that ``tol`` (ftol) decides convergence.
LBFGS_GTOL = 1e-9


@dataclass(frozen=True)
class TrainConfig:
    """Hyper-parameters of one training run.

    ``max_iter`` bounds L-BFGS-B iterations; ``epochs`` bounds SGD. ``tol`` is the
    cost-improvement threshold (the reference's ``threhold``): L-BFGS-B's relative
    ``ftol``, and for SGD the smallest drop in mean epoch cost that keeps it going.
    ``report_every`` is in SGD batches (L-BFGS-B reports every iteration). ``augment``
    names a preset of :data:`engine.augment.PRESETS` applied to SGD mini-batches (L-BFGS-B
    trains on the data as it is).
    """

    optimizer: Optimizer = "lbfgs"
    max_iter: int = 200
    epochs: int = 5
    lr: float = 0.1
    momentum: float = 0.9
    batch_size: int = 100
    schedule: Schedule = "cosine"
    l2: float = 1e-4
    seed: int = 0
    tol: float = 1e-6
    report_every: int = 50
    augment: str = "none"
    snapshot_weights: bool = False

    def __post_init__(self) -> None:
        if self.augment not in AUGMENT_PRESETS:
            raise ValueError(
                f"augment must be one of {sorted(AUGMENT_PRESETS)}, got {self.augment!r}"
            )
        if self.optimizer not in ("lbfgs", "sgd"):
            raise ValueError(f"optimizer must be 'lbfgs' or 'sgd', got {self.optimizer!r}")
        if self.schedule not in ("constant", "cosine", "step"):
            raise ValueError(f"schedule must be constant, cosine or step, got {self.schedule!r}")
        counts = {
            "max_iter": self.max_iter,
            "epochs": self.epochs,
            "batch_size": self.batch_size,
            "report_every": self.report_every,
        }
        for name, value in counts.items():
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(f"{name} must be a positive integer, got {value!r}")
        if not (isinstance(self.lr, (int, float)) and math.isfinite(self.lr) and self.lr > 0):
            raise ValueError(f"lr must be a positive number, got {self.lr!r}")
        if not (math.isfinite(self.momentum) and 0 <= self.momentum < 1):
            raise ValueError(f"momentum must be in [0, 1), got {self.momentum!r}")
        if not (math.isfinite(self.l2) and self.l2 >= 0):
            raise ValueError(f"l2 must be a finite number >= 0, got {self.l2!r}")
        if not (math.isfinite(self.tol) and self.tol >= 0):
            raise ValueError(f"tol must be a finite number >= 0, got {self.tol!r}")

    def planned_steps(self, n_train: int) -> int | None:
        """SGD steps (mini-batches) in all ``epochs`` over ``n_train`` images; None for
        L-BFGS-B, whose length depends on when it converges."""
        if self.optimizer != "sgd":
            return None
        return math.ceil(n_train / max(1, min(self.batch_size, n_train))) * self.epochs


@dataclass(frozen=True)
class Progress:
    """One report during training (plain data, safe to send across threads).

    ``train_error`` is measured on the whole training set at that point for L-BFGS-B, and
    for SGD on the batches trained since the previous report (before each batch's step).
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
    """Times the run, evaluates test error for progress records and keeps the history."""

    def __init__(self, data: Dataset, seed: int, snapshot: bool) -> None:
        self.data = data
        self.seed = seed
        self.snapshot = snapshot
        self.start = time.perf_counter()
        self.history: list[Progress] = []
        self._subset: np.ndarray | None = None
        self.blas = _blas_controller()

    def elapsed(self) -> float:
        return time.perf_counter() - self.start

    def subset_error(self, W: np.ndarray, b: np.ndarray) -> float:
        """Training error on a fixed random subset (when no cheaper figure is at hand)."""
        if self._subset is None:
            rng = np.random.default_rng(self.seed + 1)
            n = self.data.X_train.shape[0]
            self._subset = np.sort(rng.choice(n, size=min(n, TRAIN_ERROR_SUBSET), replace=False))
        return _error_rate(self.data.X_train, self.data.y_train, W, b, self._subset)

    def record(
        self, W, b, *, step, epoch, cost, evaluations, fraction, train_error=None
    ) -> Progress:
        with _blas_single_threaded(self.blas):
            if train_error is None:
                train_error = self.subset_error(W, b)
            test_err = _error_rate(self.data.X_test, self.data.y_test, W, b)
        progress = Progress(
            step=step,
            epoch=float(epoch),
            cost=float(cost),
            train_error=float(train_error),
            test_error=test_err,
            elapsed=self.elapsed(),
            evaluations=evaluations,
            fraction=float(min(max(fraction, 0.0), 1.0)),
        )
        self.history.append(progress)
        if self.snapshot:
            progress = replace(progress, W=W.copy())
        return progress


def _error_rate(
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


def _finish(data, config, W, b, tracker, *, reason, converged, diverged, iterations, evaluations):
    # One BLAS thread here too: a threaded (60000, 784) @ (784, 10) product makes OpenBLAS
    # touch ~30 MB of packing buffer per thread, which then stays resident for good.
    with _blas_single_threaded(tracker.blas):
        train_err = _error_rate(data.X_train, data.y_train, W, b)
        test_err = _error_rate(data.X_test, data.y_test, W, b)
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
    model = SoftmaxModel(
        W=W.copy(), b=b.copy(), preprocessing_version=data.preprocessing_version, metadata=metadata
    )
    return TrainResult(
        model=model,
        reason=reason,
        converged=converged,
        diverged=diverged,
        iterations=iterations,
        evaluations=evaluations,
        seconds=seconds,
        train_error=train_err,
        test_error=test_err,
        history=tuple(tracker.history),
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
    data : training and test sets: float32 ``X`` in [0, 1], or uint8 grey levels (see
        :class:`engine.Dataset`), converted a batch or chunk at a time.
    config : hyper-parameters; defaults to :class:`TrainConfig()`.
    should_stop : asked after every yield; when it returns True the run ends with
        reason ``"stopped"`` and returns the weights so far.
    init : starting weights (a model or ``(W, b)``); small random weights when None.
    augment : SGD only: maps each mini-batch ``X`` (n, d) to new images (n, d) of the same
        labels, given the run's random generator; L-BFGS-B (full batch) ignores it. When
        None, ``config.augment`` names the augmentation.

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
    if augment is None:
        augment = make_augmenter(config.augment, data.preprocessing_version)
    return (yield from _train_sgd(data, config, W, b, rng, tracker, should_stop, augment))


def run_to_end(
    run: Generator[Progress, None, TrainResult],
    on_progress: Callable[[Progress], object] | None = None,
) -> TrainResult:
    """Drive a training generator (from :func:`train`) to its end; returns its result.

    ``on_progress`` is called with each record as it comes. The generator is closed even
    when ``on_progress`` raises.
    """
    try:
        while True:
            try:
                progress = next(run)
            except StopIteration as stop:
                return stop.value
            if on_progress is not None:
                on_progress(progress)
    finally:
        run.close()


def _learning_rate(config: TrainConfig, step: int, total: int) -> float:
    if config.schedule == "constant":
        return config.lr
    if config.schedule == "step":
        return config.lr * (0.1 ** int(step >= 0.5 * total)) * (0.1 ** int(step >= 0.75 * total))
    return config.lr * 0.5 * (1 + math.cos(math.pi * step / total))


def _blas_single_threaded(controller: ThreadpoolController):
    """Context that runs NumPy's BLAS (every BLAS loaded when ``controller`` was made) on
    one thread.

    Small products (a mini-batch, a 784×784 by 784×10 product, an eigendecomposition)
    are 1.5–10× slower on two OpenBLAS threads than on one when another process keeps
    a core busy (measured on this project's 2-core machines), and barely faster when not.
    """
    return controller.limit(limits=1, user_api="blas")


def _train_sgd(data, config, W, b, rng, tracker, should_stop, augment):
    X, y = data.X_train, data.y_train
    n = X.shape[0]
    bs = min(config.batch_size, n)
    per_epoch = math.ceil(n / bs)
    total = config.planned_steps(n)
    rows = np.arange(bs)
    vW, vb = np.zeros_like(W), np.zeros_like(b)
    step = 0
    cost0 = _cost0(W, b, X, y, config, tracker.blas)
    ceiling = DIVERGENCE_FACTOR * max(cost0, 1.0)
    reason, converged, diverged, stopped = f"reached {config.epochs} epochs", False, False, False
    yield tracker.record(W, b, step=0, epoch=0.0, cost=cost0, evaluations=0, fraction=0.0)
    if should_stop():
        return _finish(
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
            with _blas_single_threaded(tracker.blas), np.errstate(all="ignore"):
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
                    if config.l2:
                        loss += 0.5 * config.l2 * float(np.dot(W.ravel(), W.ravel()))
                        dW += config.l2 * W
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
                reason, diverged = _diverged_reason(step, bad_cost or math.inf), True
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
    return _finish(
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


def _cost0(W, b, X, y, config, blas):
    """The starting cost on the first TRAIN_ERROR_SUBSET images, a chunk at a time."""
    n = min(X.shape[0], TRAIN_ERROR_SUBSET)
    loss = 0.0
    with _blas_single_threaded(blas):
        for start in range(0, n, PREDICT_CHUNK):
            stop = min(start + PREDICT_CHUNK, n)
            part = loss_gradient(W, b, as_features(X[start:stop]), y[start:stop])[0]
            loss += part * (stop - start)
    return loss / n + 0.5 * config.l2 * float(np.dot(W.ravel(), W.ravel()))


def _diverged_reason(step: int, cost: float) -> str:
    return (
        f"diverged: the cost became {cost:.4g} at step {step}; kept the last good weights "
        "(try a smaller learning rate)"
    )


class _Diverged(Exception):
    """Raised inside the objective when the cost is not finite."""


@dataclass
class _Lockstep:
    """Hands L-BFGS-B iterations from SciPy's thread to the generator, one at a time."""

    records: queue.Queue
    resume: threading.Semaphore
    stop: threading.Event


def import_solver() -> None:
    """Import SciPy's L-BFGS-B now rather than when the first L-BFGS-B run starts.

    The import is deferred to keep the app's startup fast, but it holds the GIL for tens of
    milliseconds at a time: the app calls this on a worker thread once the dataset is
    loaded, so its UI thread does not stall when the first run starts.
    """
    import scipy.optimize  # noqa: F401

    _scipy_blas_controller()


@functools.cache
def _blas_controller() -> ThreadpoolController:
    """One scan of the loaded BLAS libraries (a scan holds the GIL ~15 ms)."""
    return ThreadpoolController()


@functools.cache
def _scipy_blas_controller() -> ThreadpoolController | None:
    """SciPy's own OpenBLAS pool, if it has one; call after importing scipy.optimize."""
    controller = ThreadpoolController()
    scipy_pools = [
        lib
        for lib in controller.lib_controllers
        if "scipy.libs" in lib.filepath or "scipy/.libs" in lib.filepath
    ]
    if not scipy_pools:
        return None
    return controller.select(filepath=scipy_pools[0].filepath)


def _scipy_blas_single_threaded():
    """Limit only SciPy's own BLAS pool to one thread during L-BFGS-B.

    SciPy ships its own OpenBLAS; its thread pool contends with NumPy's for the two cores
    and roughly halves GEMM speed.
    """
    controller = _scipy_blas_controller()
    return contextlib.nullcontext() if controller is None else controller.limit(limits=1)


def _pixel_major(X: np.ndarray, columns: np.ndarray) -> tuple[np.ndarray, np.float32]:
    """``X[:, columns].T`` as a C-contiguous (len(columns), n) copy, made block by block.

    Returns ``(XT, scale)`` with features ``X[:, columns].T == XT * scale`` exactly: uint8
    levels and ``scale = 1/255`` when ``X`` holds uint8 levels or every value is a whole
    number of 1/255 steps in [0, 1] (as :func:`engine.datasets.to_features` makes them),
    else a float32 copy and ``scale = 1``.
    """
    n = X.shape[0]
    step = np.float32(1 / PIXEL_LEVELS)
    XT = np.empty((columns.size, n), dtype=np.uint8)
    for start in range(0, n, TRANSPOSE_BLOCK):
        stop = start + TRANSPOSE_BLOCK
        block = X[start:stop].T[columns]  # (d_active, block)
        if X.dtype != np.uint8:
            levels = np.rint(block * np.float32(PIXEL_LEVELS))
            # the same float32 operations as to_features, so a match is bit-exact
            if not (
                (levels >= 0).all()
                and (levels <= PIXEL_LEVELS).all()
                and (levels * step == block).all()
            ):
                return _pixel_major_float(X, columns), np.float32(1)
            block = levels
        XT[:, start:stop] = block
    return XT, step


def _pixel_major_float(X: np.ndarray, columns: np.ndarray) -> np.ndarray:
    XT = np.empty((columns.size, X.shape[0]), dtype=np.float32)
    for start in range(0, X.shape[0], TRANSPOSE_BLOCK):
        stop = start + TRANSPOSE_BLOCK
        XT[:, start:stop] = X[start:stop].T[columns]
    return XT


class _WhitenedProblem:
    """The training objective in whitened coordinates, for L-BFGS-B.

    Raw pixels make a badly conditioned problem: their covariance ``Σ`` has eigenvalues
    from about 5 down to 0, and the mean image couples every weight with the bias.
    L-BFGS-B therefore optimises ``(V, c)`` with::

        W = P @ V,   b = c - mu @ W,   P = (Σ + λ I)^(-1/2)   (λ = WHITEN_RIDGE)

    over the pixels that some training image inks, ``mu`` their mean and ``Σ`` their
    covariance estimated on a sample. This is an exact change of variables: the
    objective (averaged cross-entropy + l2/2 ||W||², on raw [0, 1] pixels) and its minimum
    are unchanged, and the result maps back to the same model class. Pixels that no training
    image inks get no data gradient; they are left out of the products and keep
    ``W = V`` there.

    Before starting, two moves that can only lower the objective and never change a
    prediction on the training set are made when ``l2 > 0``: uninked pixels' weights are
    set to zero (their L2 minimum), and each pixel's weights are centred across classes
    (softmax ignores a shift shared by all classes; L2 prefers it zero). Both would
    otherwise be slow directions of curvature ``l2`` only.
    """

    def __init__(
        self, X: np.ndarray, y: np.ndarray, n_classes: int, l2: float, blas: ThreadpoolController
    ) -> None:
        n, d = X.shape
        self.n, self.d, self.k, self.l2 = n, d, n_classes, l2
        self.y = y
        self.rows = np.arange(min(n, LBFGS_CHUNK))
        self.active = np.flatnonzero((X.max(axis=0) > 0) | (X.min(axis=0) < 0))
        self.XT, self.scale = _pixel_major(X, self.active)  # (d_active, n) uint8 or float32
        step = max(1, n // COVARIANCE_SAMPLE)
        sample = as_features(X[::step])[:, self.active]
        self.mu = sample.mean(axis=0)  # any vector keeps the change of variables exact
        sample -= self.mu
        self._blas = blas
        with _blas_single_threaded(blas):
            cov = (sample.T @ sample) / np.float32(sample.shape[0])  # (d_active, d_active)
            eigval, eigvec = np.linalg.eigh(cov)
            scale = np.maximum(eigval, 0.0) + np.float32(WHITEN_RIDGE)
            self.P = (eigvec * scale**-0.5) @ eigvec.T
            self.P_inv = (eigvec * scale**0.5) @ eigvec.T
        self.evaluations = 0
        self.last_theta: np.ndarray | None = None
        self.last_wrong = 0
        self._pool: ThreadPoolExecutor | None = None
        self._buffers: list[np.ndarray] = []

    def prepare(self, W: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The class docstring's two free improvements of a starting point (when l2 > 0)."""
        W, b = W.copy(), b.copy()
        if self.l2 > 0:
            inactive = np.ones(self.d, dtype=bool)
            inactive[self.active] = False
            W[inactive] = 0
            W -= W.mean(axis=1, keepdims=True)
        return W, b

    def to_theta(self, W: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Raw ``(W, b)`` -> SciPy's float64 vector of ``(V, c)``."""
        V = W.copy()
        with _blas_single_threaded(self._blas):
            V[self.active] = self.P_inv @ W[self.active]
        c = b + self.mu @ W[self.active]
        return np.concatenate([V.ravel(), c]).astype(np.float64)

    def to_raw(self, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """SciPy's vector of ``(V, c)`` -> raw float32 ``(W, b)``."""
        split = self.d * self.k
        V = theta[:split].reshape(self.d, self.k).astype(np.float32)
        c = theta[split:].astype(np.float32)
        W = V  # fresh float32 array; rows of uninked pixels stay as they are
        with _blas_single_threaded(self._blas):
            W[self.active] = self.P @ V[self.active]
            b = c - self.mu @ W[self.active]
        return W, b

    def __call__(self, theta: np.ndarray) -> tuple[float, np.ndarray]:
        """Loss and gradient with respect to ``theta`` (for ``jac=True``)."""
        self.evaluations += 1
        W, b = self.to_raw(theta)
        W_active = W[self.active]
        with _blas_single_threaded(self._blas):
            loss, dW_active, db, n_wrong = self._data_term(W_active, b)
        if not math.isfinite(loss):
            raise _Diverged(loss)
        dV = self.l2 * W  # uninked rows: only the penalty; active rows overwritten below
        if self.l2:
            loss += 0.5 * self.l2 * float(np.dot(W.ravel(), W.ravel()))
            dW_active += self.l2 * W_active
        with _blas_single_threaded(self._blas):
            # b depends on W through mu: the total derivative in W picks up -mu ⊗ db
            dV[self.active] = self.P @ (dW_active - np.outer(self.mu, db))
        self.last_theta, self.last_wrong = theta, n_wrong
        return loss, np.concatenate([dV.ravel(), db]).astype(np.float64)

    def _data_term(
        self, W_active: np.ndarray, b: np.ndarray
    ) -> tuple[float, np.ndarray, np.ndarray, int]:
        """``class_major_loss_gradient`` over the whole training set, a chunk at a time.

        The chunks are shared between this thread and LBFGS_THREADS - 1 helpers that live as
        long as the problem (each running BLAS on one thread); the parts are added in a fixed
        order, so results do not depend on timing. The stored levels are ``X / scale``, so
        the weights are scaled down instead of the data scaled up
        (``(W * s).T @ L == W.T @ (L * s)``); the data gradient picks up ``scale``.
        """
        W_scaled = W_active * self.scale
        starts = range(0, self.n, LBFGS_CHUNK)
        threads = max(1, min(LBFGS_THREADS, len(starts)))
        if len(self._buffers) < threads:
            width = min(self.n, LBFGS_CHUNK)
            self._buffers = [
                np.empty((self.XT.shape[0], width), dtype=np.float32) for _ in range(threads)
            ]
        share = math.ceil(len(starts) / threads)
        groups = [starts[i * share : (i + 1) * share] for i in range(threads)]
        if threads > 1 and self._pool is None:
            self._pool = ThreadPoolExecutor(
                max_workers=threads - 1, thread_name_prefix="lbfgs-chunks"
            )
        helpers = [
            self._pool.submit(self._chunk_sums, W_scaled, b, group, buffer)
            for group, buffer in zip(groups[1:], self._buffers[1:], strict=False)
        ]
        parts = [self._chunk_sums(W_scaled, b, groups[0], self._buffers[0])]
        parts += [helper.result() for helper in helpers]
        loss, dW, db, n_wrong = parts[0]
        for part in parts[1:]:
            loss, dW, db, n_wrong = (loss + part[0], dW + part[1], db + part[2], n_wrong + part[3])
        return (
            loss / self.n,
            (dW * (self.scale / self.n)).astype(np.float32),
            (db / self.n).astype(np.float32),
            n_wrong,
        )

    def _chunk_sums(
        self, W_scaled: np.ndarray, b: np.ndarray, starts: range, buffer: np.ndarray
    ) -> tuple[float, np.ndarray, np.ndarray, int]:
        """Summed (not averaged) loss, ``dW``, ``db`` and error count over some chunks.

        Each chunk is converted into ``buffer`` (d_active, LBFGS_CHUNK), reused so that no
        chunk costs a fresh allocation and its page faults.
        """
        loss, n_wrong = 0.0, 0
        # float64 sums: adding 30 chunk gradients in float32 would add rounding noise to what
        # one BLAS pass computes
        dW = np.zeros(W_scaled.shape)
        db = np.zeros(b.shape)
        for start in starts:
            stored = self.XT[:, start : start + LBFGS_CHUNK]
            m = stored.shape[1]
            chunk = buffer[:, :m]  # (d_active, m)
            np.copyto(chunk, stored)
            part_loss, part_dW, part_db, part_wrong = class_major_loss_gradient(
                W_scaled, b, chunk, self.y[start : start + m], self.rows[:m]
            )
            loss += part_loss * m
            dW += part_dW * m
            db += part_db * m
            n_wrong += part_wrong
        return loss, dW, db, n_wrong

    def close(self) -> None:
        """End the helper threads (a later evaluation starts them again)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None

    def train_error_at(self, theta: np.ndarray) -> float | None:
        """Training error at ``theta`` if the last evaluation was there (it usually is)."""
        if self.last_theta is not None and np.array_equal(theta, self.last_theta):
            return self.last_wrong / self.n
        return None


def _train_lbfgs(data, config, W0, b0, tracker, should_stop):
    X, y = data.X_train, data.y_train
    n_classes = W0.shape[1]
    yield tracker.record(
        W0,
        b0,
        step=0,
        epoch=0.0,
        cost=_cost0(W0, b0, X, y, config, tracker.blas),
        evaluations=0,
        fraction=0.0,
    )
    if should_stop():
        return _finish(
            data,
            config,
            W0,
            b0,
            tracker,
            reason="stopped",
            converged=False,
            diverged=False,
            iterations=0,
            evaluations=0,
        )
    problem = _WhitenedProblem(X, y, n_classes, config.l2, tracker.blas)
    theta0 = problem.to_theta(*problem.prepare(W0, b0))
    sync = _Lockstep(queue.Queue(), threading.Semaphore(0), threading.Event())
    iteration = 0
    last_good = theta0

    def callback(intermediate_result) -> None:  # a scipy.optimize.OptimizeResult
        nonlocal iteration, last_good
        iteration += 1
        last_good = intermediate_result.x.copy()
        sync.records.put(
            (
                "progress",
                (
                    iteration,
                    float(intermediate_result.fun),
                    last_good,
                    problem.train_error_at(intermediate_result.x),
                ),
            )
        )
        sync.resume.acquire()
        if sync.stop.is_set():
            raise StopIteration

    def run() -> None:
        import scipy.optimize  # deferred: a third of a second the app need not pay at startup

        try:
            with _scipy_blas_single_threaded():
                result = scipy.optimize.minimize(
                    problem,
                    theta0,
                    method="L-BFGS-B",
                    jac=True,
                    callback=callback,
                    options={"maxiter": config.max_iter, "ftol": config.tol, "gtol": LBFGS_GTOL},
                )
            sync.records.put(("done", result))
        except _Diverged as exc:
            sync.records.put(("diverged", exc.args[0]))
        except BaseException as exc:  # handed to the consumer's thread and re-raised there
            sync.records.put(("error", exc))

    thread = threading.Thread(target=run, name="lbfgs", daemon=True)
    thread.start()
    W, b = W0, b0
    shown = None  # (theta, W, b) of the last record yielded
    reason, converged, diverged = "", False, False
    try:
        while True:
            kind, payload = sync.records.get()
            if kind == "progress":
                it, cost, theta, train_err = payload
                W, b = problem.to_raw(theta)
                shown = (theta, W, b)
                yield tracker.record(
                    W,
                    b,
                    step=it,
                    epoch=it,
                    cost=cost,
                    evaluations=problem.evaluations,
                    fraction=it / config.max_iter,
                    train_error=train_err,
                )
                if should_stop():
                    sync.stop.set()
                    reason = "stopped"
                sync.resume.release()
            elif kind == "done":
                # the last record's weights, exactly, when SciPy stopped at that iterate
                W, b = (
                    shown[1:]
                    if shown is not None and np.array_equal(payload.x, shown[0])
                    else problem.to_raw(payload.x)
                )
                if not reason:
                    converged = payload.status == 0
                    reason = (
                        "converged"
                        if converged
                        else f"reached {config.max_iter} iterations"
                        if payload.nit >= config.max_iter
                        else str(payload.message)
                    )
                break
            elif kind == "diverged":
                W, b = problem.to_raw(last_good)
                reason, diverged = _diverged_reason(iteration, payload), True
                break
            else:
                raise payload
    finally:
        if thread.is_alive():  # closed early by the consumer: let SciPy's thread finish
            sync.stop.set()
            sync.resume.release()
            thread.join()
        problem.close()
    return _finish(
        data,
        config,
        W,
        b,
        tracker,
        reason=reason,
        converged=converged,
        diverged=diverged,
        iterations=iteration,
        evaluations=problem.evaluations,
    )
