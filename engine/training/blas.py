"""BLAS thread control for training.

Both optimisers run BLAS on one thread: their products (a mini-batch, a chunk) are small,
and a second OpenBLAS thread costs more in synchronisation than it gains (and stalls badly
when the other core is busy). After any product run on two threads, OpenBLAS's second
thread spins on a core for ~0.1 s.

OpenBLAS's limit is process-wide, and threadpoolctl (3.8 here) lets one Python thread at a
time change it: while a thread is inside a limit, the limits of other threads are ignored,
silently. A run with a thread of its own (L-BFGS-B's) therefore sets the limits it needs
from that thread, for its whole length.
"""

from __future__ import annotations

import contextlib
import functools

from threadpoolctl import ThreadpoolController


def blas_single_threaded(
    controller: ThreadpoolController,
) -> contextlib.AbstractContextManager[object]:
    """Context that runs NumPy's BLAS (every BLAS loaded when ``controller`` was made) on
    one thread.

    Small products (a mini-batch, a 784×784 by 784×10 product, an eigendecomposition)
    are several times slower on two OpenBLAS threads than on one when another process keeps
    a core busy, and barely faster when not (bench/README.md).
    """
    return controller.limit(limits=1, user_api="blas")


@functools.cache
def blas_controller() -> ThreadpoolController:
    """One scan of the loaded BLAS libraries (a scan holds the GIL ~15 ms)."""
    return ThreadpoolController()


@functools.cache
def scipy_blas_controller() -> ThreadpoolController | None:
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


def scipy_blas_single_threaded() -> contextlib.AbstractContextManager[object]:
    """Limit only SciPy's own BLAS pool to one thread during L-BFGS-B.

    SciPy ships its own OpenBLAS; its thread pool contends with NumPy's for the two cores
    and roughly halves GEMM speed.
    """
    controller = scipy_blas_controller()
    return contextlib.nullcontext() if controller is None else controller.limit(limits=1)


#: How much lower than the process the training threads run (``nice``): a thread the user
#: waits on (the app's UI thread drawing, reading the canvas) then gets a core as soon as it
#: wakes, while training keeps both cores when nothing else wants them.
BACKGROUND_NICENESS = 10


def lower_this_threads_priority() -> None:
    """Run the calling thread at BACKGROUND_NICENESS below the process (Linux: each thread
    has its own nice value; elsewhere, or when not permitted, nothing changes)."""
    import os
    import threading

    setpriority = getattr(os, "setpriority", None)
    if setpriority is None:
        return
    try:
        tid = threading.get_native_id()
        setpriority(
            os.PRIO_PROCESS, tid, os.getpriority(os.PRIO_PROCESS, tid) + BACKGROUND_NICENESS
        )
    except OSError:
        pass  # not permitted here: the thread keeps the process's priority
