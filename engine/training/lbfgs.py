"""L-BFGS-B training: SciPy's minimiser on its own thread, handing each iteration to the
training generator at most one iteration ahead (so a consumer can stop it between
iterations, while its progress record is made during SciPy's next evaluation)."""

from __future__ import annotations

import contextlib
import queue
import threading
from dataclasses import dataclass

import numpy as np
from threadpoolctl import ThreadpoolController

from engine.training.blas import (
    blas_single_threaded,
    scipy_blas_controller,
    scipy_blas_single_threaded,
)
from engine.training.run_tracking import diverged_reason, finish, starting_cost
from engine.training.whitened import Diverged, WhitenedProblem

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

    ``limits`` is held while the generator makes a record and while SciPy's thread ends its
    BLAS limits: a record's own limits (ignored while SciPy's thread holds its, see
    engine.training.blas) could otherwise end after those and leave BLAS on one thread for good.
    """

    records: queue.Queue
    resume: threading.Semaphore
    stop: threading.Event
    limits: threading.Lock


@contextlib.contextmanager
def _run_limits(blas: ThreadpoolController, records: threading.Lock):
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


def train_lbfgs(data, config, W0, b0, tracker, should_stop):
    X, y = data.X_train, data.y_train
    n_classes = W0.shape[1]
    yield tracker.record(
        W0,
        b0,
        step=0,
        epoch=0.0,
        cost=starting_cost(W0, b0, X, y, config, tracker.blas),
        evaluations=0,
        fraction=0.0,
    )
    if should_stop():
        return finish(
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
    problem = WhitenedProblem(X, y, n_classes, config.l2, tracker.blas)
    theta0 = problem.to_theta(*problem.prepare(W0, b0))
    sync = Lockstep(queue.Queue(), threading.Semaphore(1), threading.Event(), threading.Lock())
    iteration = 0
    last_good = theta0

    def callback(intermediate_result) -> None:  # a scipy.optimize.OptimizeResult
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

        try:
            with _run_limits(tracker.blas, sync.limits):
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
    W, b = W0, b0
    shown = None  # (theta, W, b, iteration, evaluations) of the last record yielded
    stopped, reason, converged, diverged = False, "", False, False
    try:
        while True:
            kind, payload = sync.records.get()
            if kind == "progress":
                it, cost, theta, train_err, evaluations = payload
                with sync.limits:
                    W, b = problem.to_raw(theta)
                    progress = tracker.record(
                        W,
                        b,
                        step=it,
                        epoch=it,
                        cost=cost,
                        evaluations=evaluations,
                        fraction=it / config.max_iter,
                        train_error=train_err,
                    )
                shown = (theta, W, b, it, evaluations)
                yield progress
                if should_stop():
                    sync.stop.set()
                    stopped = True
                sync.resume.release()
            elif kind == "done":
                # the last record's weights, exactly, when SciPy stopped at that iterate
                W, b = (
                    shown[1:3]
                    if shown is not None and np.array_equal(payload.x, shown[0])
                    else problem.to_raw(payload.x)
                )
                converged = payload.status == 0
                reason = (
                    "converged"
                    if converged
                    else f"reached {config.max_iter} iteration{'s' if config.max_iter != 1 else ''}"
                    if payload.nit >= config.max_iter
                    else str(payload.message)
                )
                break
            elif kind == "diverged":
                W, b = problem.to_raw(last_good)
                reason, diverged = diverged_reason(iteration, payload), True
                break
            else:
                raise payload
    finally:
        if thread.is_alive():  # closed early by the consumer: let SciPy's thread finish
            sync.stop.set()
            sync.resume.release()
            thread.join()
        problem.close()
    evaluations = problem.evaluations
    if stopped:  # SciPy may have gone on by an iteration: the run ends at the one shown
        _, W, b, iteration, evaluations = shown
        reason, converged, diverged = "stopped", False, False
    return finish(
        data,
        config,
        W,
        b,
        tracker,
        reason=reason,
        converged=converged,
        diverged=diverged,
        iterations=iteration,
        evaluations=evaluations,
    )
