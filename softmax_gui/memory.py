"""How the app's process hands memory back to the system (glibc only; elsewhere nothing).

glibc serves an allocation above a threshold with a mapping of its own, returned to the
system when freed, and keeps smaller ones in heaps it reuses. By default it raises that
threshold (up to 32 MiB) each time such a block is freed, so after a while the app's many
mid-sized NumPy arrays (feature chunks, mapped replay images, batches) come from heaps, many
of them on worker threads, and their memory stays with the process after they are freed: a
training run then adds its peak on top. Fixing the threshold at 4 MiB, with heaps trimmed
only past 256 MiB so the small arrays of each iteration are not given back and asked for
again, took the app's peak while training edge features from 853 to 774 MiB at the same
training speed (docs/figures.md).
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable

M_TRIM_THRESHOLD = -1  # glibc's mallopt parameters (malloc.h)
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD_BYTES = 4 * 1024 * 1024
TRIM_THRESHOLD_BYTES = 256 * 1024 * 1024


def _glibc(name: str) -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return getattr(ctypes.CDLL(None), name)  # absent from musl and other C libraries
    except (OSError, AttributeError):
        return None


def hand_large_arrays_back() -> bool:
    """Give every array above 4 MiB its own mapping, returned when freed; False if not glibc."""
    mallopt = _glibc("mallopt")
    if mallopt is None:
        return False
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)) and bool(
        mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES)
    )


def return_freed_memory() -> bool:
    """Return the heaps' free pages to the system now; False where the C library cannot."""
    trim = _glibc("malloc_trim")
    return False if trim is None else bool(trim(ctypes.c_size_t(0)))
