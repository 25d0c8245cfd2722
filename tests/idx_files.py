"""Tiny MNIST-format (IDX) files and folders for the engine and GUI dataset tests."""

from __future__ import annotations

import gzip
import struct
from pathlib import Path

import numpy as np

from engine import N_CLASSES
from engine.datasets import SPLIT_FILES

SIDE = 28
N_TRAIN, N_TEST = 30, 12
TRAIN_IMAGES, TRAIN_LABELS = SPLIT_FILES["train"]
TEST_IMAGES, TEST_LABELS = SPLIT_FILES["test"]
STEMS = (TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS)
UBYTE = 0x08


def idx_header(dims: tuple[int, ...], *, dtype_code: int = UBYTE, zero: int = 0) -> bytes:
    """An IDX header: two ``zero`` bytes, the dtype code, the rank, then each dimension."""
    return struct.pack(">HBB", zero, dtype_code, len(dims)) + struct.pack(f">{len(dims)}I", *dims)


def idx_bytes(arr: np.ndarray) -> bytes:
    """A whole uint8 IDX file holding ``arr``."""
    return idx_header(arr.shape) + np.ascontiguousarray(arr, dtype=np.uint8).tobytes()


def put(folder: Path, stem: str, data: bytes, *, gz: bool = False) -> Path:
    """Write ``stem`` (raw) or ``stem.gz``, removing the other form so the loader finds this one."""
    for old in (folder / stem, folder / f"{stem}.gz"):
        old.unlink(missing_ok=True)
    path = folder / (f"{stem}.gz" if gz else stem)
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def make_arrays(seed: int = 0) -> dict[str, np.ndarray]:
    """Random (hence distinct) images and labels covering every class, by file stem."""
    rng = np.random.default_rng(seed)
    return {
        TRAIN_IMAGES: rng.integers(0, 256, size=(N_TRAIN, SIDE, SIDE), dtype=np.uint8),
        TRAIN_LABELS: (np.arange(N_TRAIN) % N_CLASSES).astype(np.uint8),
        TEST_IMAGES: rng.integers(0, 256, size=(N_TEST, SIDE, SIDE), dtype=np.uint8),
        TEST_LABELS: (np.arange(N_TEST) % N_CLASSES).astype(np.uint8),
    }


def make_idx_folder(folder: Path, *, gz: bool = True, seed: int = 0) -> dict[str, np.ndarray]:
    """Write a tiny valid MNIST-format folder; return the arrays written, by file stem."""
    folder.mkdir(parents=True, exist_ok=True)
    arrays = make_arrays(seed)
    for stem, arr in arrays.items():
        put(folder, stem, idx_bytes(arr), gz=gz)
    return arrays
