"""L-BFGS-B training: SciPy's minimiser on its own thread, handing each iteration to the
optimizer's generator at most one iteration ahead (so a consumer can stop it between
iterations, while its progress record is made during SciPy's next evaluation)."""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from threadpoolctl import ThreadpoolController

from engine.training.blas import (
    blas_single_threaded,
    lower_this_threads_priority,
    scipy_blas_controller,
    scipy_blas_single_threaded,
)
from engine.training.config import StopReason, TrainConfig
from engine.training.optimizer import Iterate, OptimizerRun, Outcome, diverged, plural, stopped
from engine.training.run_tracking import starting_cost
from engine.training.whitened import WHITEN_RIDGE, Diverged, WhitenedProblem

#: L-BFGS-B's projected-gradient tolerance; tiny, so that ``tol`` (ftol) decides convergence.
LBFGS_GTOL = 1e-9
#: Correction pairs L-BFGS-B keeps (SciPy's ``maxcor``, default 10). On full MNIST from 10
#: random starts, 40 converged in 62.5 evaluations on average instead of 68.2, to costs as
#: low or lower, for 5 MB of SciPy workspace and well under a millisecond per iteration.
LBFGS_MEMORY = 40


@dataclass
class Lockstep:
    """Hands L-BFGS-B iterations from SciPy's thread to the generator: SciPy goes on with
    the next iteration while the generator records one, and waits at the next iteration's
    end until the generator has taken that record (``resume``) and said whether to stop.

    ``limits`` is held from before the generator yields an iterate until it is resumed
    (while its consumer makes the progress record), and while SciPy's thread ends its BLAS
    limits: a record's own limits (ignored while SciPy's thread holds its, see
    engine.training.blas) could otherwise end after those and leave BLAS on one thread for good.
    """

    records: queue.Queue[tuple[str, Any]]
    resume: threading.Semaphore
    stop: threading.Event
    limits: threading.Lock


@contextlib.contextmanager
def _run_limits(blas: ThreadpoolController, records: threading.Lock) -> Iterator[None]:
    """Every BLAS on one thread while SciPy's thread runs, set from that thread (see
    engine.training.blas): the consumer's own limits are ignored meanwhile, and its records'
    products woke a second OpenBLAS thread that spun on a core, making each evaluation
    ~30% slower. The limits end while ``records`` is held, so that no record's end comes
    after theirs."""
    held = False
    try:
        with blas_single_threaded(blas), scipy_blas_single_threaded():
            try:
                yield
            finally:
                records.acquire()
                held = True
    finally:
        if held:
            records.release()


def import_solver() -> None:
    """Import SciPy's L-BFGS-B now rather than when the first L-BFGS-B run starts.

    The import is deferred to keep the app's startup fast, but it holds the GIL for tens of
    milliseconds at a time: the app calls this on a worker thread once the dataset is
    loaded, so its UI thread does not stall when the first run starts.
    """
    import scipy.optimize  # noqa: F401

    scipy_blas_controller()


def _ending(result: Any, max_iter: int) -> tuple[StopReason, str]:
    """Why SciPy's L-BFGS-B ended, from its OptimizeResult."""
    if result.status == 0:
        return StopReason.CONVERGED, "converged"
    if result.nit >= max_iter:
        return StopReason.MAX_ITERATIONS, f"reached {plural(max_iter, 'iteration')}"
    if result.status == 1:  # SciPy's limit on evaluations
        return StopReason.MAX_ITERATIONS, str(result.message)
    return StopReason.NO_PROGRESS, f"no further progress ({result.message})"


def train_lbfgs(
    X: np.ndarray,
    y: np.ndarray,
    config: TrainConfig,
    W0: np.ndarray,
    b0: np.ndarray,
    blas: ThreadpoolController,
    ink: np.ndarray | None = None,
    ridge: float = WHITEN_RIDGE,
) -> OptimizerRun:
    """L-BFGS-B on ``X`` (n, d) and ``y`` (n,) from ``(W0, b0)``, in whitened coordinates
    (``ink``: the images ``X`` was mapped from; ``ridge``: the whitening's, see
    :class:`WhitenedProblem`).

    Yields an :class:`Iterate` at the start and after each iteration (with the training
    error there when SciPy's last evaluation was at it); sent True, it stops there. Ends
    when SciPy does (converged, ``config.max_iter`` iterations, no progress) or when the
    cost stops being finite (the last iterate's weights are kept).
    """
    n_classes = W0.shape[1]
    first = Iterate(
        step=0,
        epoch=0.0,
        W=W0,
        b=b0,
        cost=starting_cost(W0, b0, X, y, config.l2, blas),
        evaluations=0,
        fraction=0.0,
    )
    if (yield first):
        return stopped(first)
    problem = WhitenedProblem(X, y, n_classes, config.l2, blas, ink, ridge)
    theta0 = problem.to_theta(*problem.prepare(W0, b0))
    sync = Lockstep(queue.Queue(), threading.Semaphore(1), threading.Event(), threading.Lock())
    iteration = 0
    last_good = theta0

    def callback(intermediate_result: Any) -> None:  # a scipy.optimize.OptimizeResult
        nonlocal iteration, last_good
        sync.resume.acquire()  # the previous iteration's record is made
        if sync.stop.is_set():
            raise StopIteration
        iteration += 1
        last_good = intermediate_result.x.copy()
        progress = (
            iteration,
            float(intermediate_result.fun),
            last_good,
            problem.train_error_at(intermediate_result.x),
            problem.evaluations,  # read here: SciPy's thread goes on evaluating
        )
        sync.records.put(("progress", progress))

    def run() -> None:
        import scipy.optimize  # deferred: a third of a second the app need not pay at startup

        lower_this_threads_priority()
        try:
            with _run_limits(blas, sync.limits):
                result = scipy.optimize.minimize(
                    problem,
                    theta0,
                    method="L-BFGS-B",
                    jac=True,
                    callback=callback,
                    options={
                        "maxiter": config.max_iter,
                        "ftol": config.tol,
                        "gtol": LBFGS_GTOL,
                        "maxcor": LBFGS_MEMORY,
                    },
                )
            sync.records.put(("done", result))
        except Diverged as exc:
            sync.records.put(("diverged", exc.args[0]))
        except BaseException as exc:  # handed to the consumer's thread and re-raised there
            sync.records.put(("error", exc))

    thread = threading.Thread(target=run, name="lbfgs", daemon=True)
    thread.start()
    shown: tuple[np.ndarray, Iterate] | None = None  # the last iterate yielded, and its theta
    stop = False
    outcome: Outcome | None = None
    try:
        while outcome is None:
            kind, payload = sync.records.get()
            if kind == "progress":
                it, cost, theta, train_err, evaluations = payload
                # Held until the consumer resumes this generator, i.e. has made its record.
                # SciPy's thread only waits for it at its very end, and a close() releases it.
                with sync.limits:
                    W, b = problem.to_raw(theta)
                    shown = (
                        theta,
                        Iterate(
                            step=it,
                            epoch=float(it),
                            W=W,
                            b=b,
                            cost=cost,
                            evaluations=evaluations,
                            fraction=it / config.max_iter,
                            train_error=train_err,
                        ),
                    )
                    stop = bool((yield shown[1]))
                if stop:
                    sync.stop.set()
                sync.resume.release()
            elif kind == "done":
                # the last iterate's weights, exactly, when SciPy stopped at that iterate
                if shown is not None and np.array_equal(payload.x, shown[0]):
                    W, b = shown[1].W, shown[1].b
                else:
                    W, b = problem.to_raw(payload.x)
                reason, message = _ending(payload, config.max_iter)
                outcome = Outcome(reason, message, W, b, iteration, problem.evaluations)
            elif kind == "diverged":
                W, b = problem.to_raw(last_good)
                outcome = diverged(
                    StopReason.NON_FINITE, payload, W, b, iteration, problem.evaluations
                )
            else:
                raise payload
    finally:
        if thread.is_alive():  # closed early by the consumer: let SciPy's thread finish
            sync.stop.set()
            sync.resume.release()
            thread.join()
        problem.close()
    if stop and shown is not None:  # SciPy may have gone on by an iteration: end at the one shown
        return stopped(shown[1])
    return outcome
