"""Work shared between the calling thread and a pool's helpers, item by item."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

R = TypeVar("R")


def run_shared(
    pool: ThreadPoolExecutor | None, threads: int, task: Callable[[int, int], R], count: int
) -> list[R]:
    """``[task(i, thread) for i in range(count)]``, the items taken in turn by whichever of
    this thread (``thread`` 0) and ``threads - 1`` helpers of ``pool`` (None: this thread
    alone) is free. The results are in item order, whichever thread made them."""
    results: list = [None] * count
    claim = itertools.count()  # next(claim) is atomic: each item goes to one thread

    def work(thread: int) -> None:
        while (i := next(claim)) < count:
            results[i] = task(i, thread)

    helpers = [] if pool is None else [pool.submit(work, t) for t in range(1, threads)]
    try:
        work(0)
    finally:
        for helper in helpers:
            helper.result()
    return results
