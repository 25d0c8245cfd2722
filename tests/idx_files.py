"""Tiny MNIST-format (IDX) files and folders for the engine, CLI and GUI dataset tests.

The one place tests write IDX bytes: valid files, folders, and headers that lie on purpose.
"""

from __future__ import annotations

import gzip
import struct
from pathlib import Path

import numpy as np

from engine import MNIST_SIDE, N_CLASSES, Dataset, load_mnist
from engine.data.datasets import SPLIT_FILES

SIDE = MNIST_SIDE
N_TRAIN, N_TEST = 30, 12
TRAIN_IMAGES, TRAIN_LABELS = SPLIT_FILES["train"]
TEST_IMAGES, TEST_LABELS = SPLIT_FILES["test"]
STEMS = (TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS)
#: IDX dtype codes: the loader reads only unsigned bytes; float32 is a valid code it refuses.
UBYTE = 0x08
FLOAT32 = 0x0D


def idx_header(dims: tuple[int, ...], *, dtype_code: int = UBYTE, zero: int = 0) -> bytes:
    """An IDX header: two ``zero`` bytes, the dtype code, the rank, then each dimension."""
    return struct.pack(">HBB", zero, dtype_code, len(dims)) + struct.pack(f">{len(dims)}I", *dims)


#: A file cut short inside its 4-byte magic (two zero bytes, the uint8 code, no rank).
SHORTER_THAN_MAGIC = idx_header((0,))[:3]


def idx_bytes(
    arr: np.ndarray,
    *,
    dims: tuple[int, ...] | None = None,
    dtype_code: int = UBYTE,
    zero: int = 0,
) -> bytes:
    """A whole IDX file holding ``arr`` as uint8 (values cast as by ``astype``).

    ``dims``, ``dtype_code`` and ``zero`` override the header so that it lies about the data.
    """
    header = idx_header(arr.shape if dims is None else dims, dtype_code=dtype_code, zero=zero)
    return header + np.ascontiguousarray(arr, dtype=np.uint8).tobytes()


def put(folder: Path, stem: str, data: bytes, *, gz: bool = False) -> Path:
    """Write ``stem`` (raw) or ``stem.gz``, removing the other form so the loader finds this one."""
    for old in (folder / stem, folder / f"{stem}.gz"):
        old.unlink(missing_ok=True)
    path = folder / (f"{stem}.gz" if gz else stem)
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def write_idx_folder(folder: Path, arrays: dict[str, np.ndarray], *, gz: bool = True) -> Path:
    """Write each array of ``arrays`` (by file stem) as an IDX file in ``folder``; return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for stem, arr in arrays.items():
        put(folder, stem, idx_bytes(arr), gz=gz)
    return folder


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
    arrays = make_arrays(seed)
    write_idx_folder(folder, arrays, gz=gz)
    return arrays


def dataset_arrays(data: Dataset, n_train: int, n_test: int) -> dict[str, np.ndarray]:
    """The first ``n_train`` training and ``n_test`` test images of ``data`` as IDX arrays
    (grey levels 0-255, (n, 28, 28)) and their labels, by file stem."""

    def levels(X: np.ndarray, n: int) -> np.ndarray:
        return np.rint(X[:n] * 255).reshape(n, SIDE, SIDE)

    return {
        TRAIN_IMAGES: levels(data.X_train, n_train),
        TRAIN_LABELS: data.y_train[:n_train],
        TEST_IMAGES: levels(data.X_test, n_test),
        TEST_LABELS: data.y_test[:n_test],
    }


def load_folder(
    folder: Path, *, use_cache: bool = False, preprocessing_version: int = 1, **kwargs
) -> Dataset:
    """Load a test folder; version 1 (no dataset-side preprocessing) and no cache unless asked."""
    return load_mnist(
        folder, use_cache=use_cache, preprocessing_version=preprocessing_version, **kwargs
    )
