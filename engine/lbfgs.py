"""L-BFGS-B training: SciPy's minimiser on its own thread, handing each iteration to the
training generator in lockstep (so a consumer can stop it between iterations)."""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass

import numpy as np

from .blas import scipy_blas_controller, scipy_blas_single_threaded
from .run_tracking import diverged_reason, finish, starting_cost
from .whitened import Diverged, WhitenedProblem

#: L-BFGS-B's projected-gradient tolerance; tiny, so that ``tol`` (ftol) decides convergence.
LBFGS_GTOL = 1e-9


@dataclass
class Lockstep:
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
    sync = Lockstep(queue.Queue(), threading.Semaphore(0), threading.Event())
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
            with scipy_blas_single_threaded():
                result = scipy.optimize.minimize(
                    problem,
                    theta0,
                    method="L-BFGS-B",
                    jac=True,
                    callback=callback,
                    options={"maxiter": config.max_iter, "ftol": config.tol, "gtol": LBFGS_GTOL},
                )
            sync.records.put(("done", result))
        except Diverged as exc:
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
        evaluations=problem.evaluations,
    )
