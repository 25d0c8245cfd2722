"""Broken IDX files: every kind fails with a ValueError naming the file, and none allocates
what a lying header declares.

Each test builds a tiny valid IDX folder in ``tmp_path``, breaks one file and loads it.
"""

from __future__ import annotations

import hashlib
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from engine import N_CLASSES, load_idx, load_mnist, parse_idx
from engine.data import idx as idx_module

from ..idx_files import (
    FLOAT32,
    N_TEST,
    N_TRAIN,
    SHORTER_THAN_MAGIC,
    SIDE,
    TEST_IMAGES,
    TEST_LABELS,
    TRAIN_IMAGES,
    TRAIN_LABELS,
    idx_bytes,
    idx_header,
    load_folder,
    make_arrays,
    put,
)

#: A header-only file must be rejected without allocating anything like its declared size.
MAX_PEAK_BYTES = 1_000_000


def _replace(stem: str, make: Callable[[dict[str, np.ndarray]], bytes], *, gz: bool = False):
    """A corruption that rewrites one file of the folder with ``make(arrays)``."""

    def corrupt(folder: Path) -> str:
        put(folder, stem, make(make_arrays()), gz=gz)
        return stem

    return corrupt


def _missing(stem: str):
    def corrupt(folder: Path) -> str:
        for path in folder.glob(f"{stem}*"):
            path.unlink()
        return stem

    return corrupt


def _gz_bytes(stem: str, mangle: Callable[[bytes], bytes]):
    """Write ``stem.gz`` as the gzip of the valid data, then mangle the compressed bytes."""

    def corrupt(folder: Path) -> str:
        path = put(folder, stem, idx_bytes(make_arrays()[stem]), gz=True)
        path.write_bytes(mangle(path.read_bytes()))
        return stem

    return corrupt


def _flip_crc(gz: bytes) -> bytes:
    crc_at = len(gz) - 8  # gzip trailer: CRC-32 then size, 4 bytes each
    return gz[:crc_at] + bytes([gz[crc_at] ^ 0xFF]) + gz[crc_at + 1 :]


def _bad_labels(a):
    labels = a[TRAIN_LABELS].copy()
    labels[3] = N_CLASSES
    return idx_bytes(labels)


#: kind -> (what the message must say, how to break the folder)
CORRUPTIONS = {
    "missing_file": ("not found", _missing(TRAIN_IMAGES)),
    "missing_test_labels": ("not found", _missing(TEST_LABELS)),
    "zero_bytes": ("empty", _replace(TRAIN_IMAGES, lambda a: b"")),
    "zero_bytes_gz": ("empty", _gz_bytes(TRAIN_LABELS, lambda gz: b"")),
    "truncated_data": (
        "truncated",
        _replace(TRAIN_IMAGES, lambda a: idx_bytes(a[TRAIN_IMAGES])[:-100]),
    ),
    "trailing_bytes": (
        "trailing",
        _replace(TEST_LABELS, lambda a: idx_bytes(a[TEST_LABELS]) + b"\0\0"),
    ),
    "shorter_than_magic": ("short", _replace(TRAIN_LABELS, lambda a: SHORTER_THAN_MAGIC)),
    "truncated_header": (
        "truncated header",
        _replace(TRAIN_IMAGES, lambda a: idx_bytes(a[TRAIN_IMAGES])[:10]),
    ),
    "wrong_magic_dtype": (
        "magic",
        _replace(TRAIN_IMAGES, lambda a: idx_bytes(a[TRAIN_IMAGES], dtype_code=FLOAT32)),
    ),
    "wrong_magic_nonzero": (
        "magic",
        _replace(TEST_IMAGES, lambda a: idx_header(a[TEST_IMAGES].shape, zero=0x1F8C) + b"\0" * 10),
    ),
    "wrong_ndim_images": (
        "dimensions",
        _replace(TRAIN_IMAGES, lambda a: idx_bytes(a[TRAIN_IMAGES].reshape(N_TRAIN, -1))),
    ),
    "wrong_ndim_labels": (
        "dimensions",
        _replace(TRAIN_LABELS, lambda a: idx_bytes(a[TRAIN_LABELS][:, None])),
    ),
    "dims_disagree_with_size": (
        "declares",
        _replace(
            TRAIN_IMAGES, lambda a: idx_bytes(a[TRAIN_IMAGES], dims=(N_TRAIN, SIDE, SIDE - 1))
        ),
    ),
    "billions_of_images": (
        "truncated",
        _replace(TRAIN_IMAGES, lambda a: idx_header((2**32 - 1, SIDE, SIDE)) + b"\0" * 64),
    ),
    "count_mismatch": ("labels", _replace(TRAIN_LABELS, lambda a: idx_bytes(a[TRAIN_LABELS][:-1]))),
    "label_out_of_range": ("out of range", _replace(TRAIN_LABELS, _bad_labels)),
    "corrupt_gzip": ("gzip", _gz_bytes(TRAIN_IMAGES, lambda gz: gz[:10] + b"\xff" * 40 + gz[50:])),
    "truncated_gzip": ("truncated", _gz_bytes(TRAIN_IMAGES, lambda gz: gz[: len(gz) // 2])),
    "gzip_bad_crc": ("gzip", _gz_bytes(TEST_IMAGES, _flip_crc)),
    "no_images": ("no images", _replace(TRAIN_IMAGES, lambda a: idx_header((0, SIDE, SIDE)))),
}


@pytest.mark.parametrize("kind", CORRUPTIONS)
def test_broken_file_raises_value_error_naming_the_file(idx_folder, kind):
    says, corrupt = CORRUPTIONS[kind]
    stem = corrupt(idx_folder)
    if kind == "no_images":  # an empty image file needs an empty label file to get this far
        put(idx_folder, TRAIN_LABELS, idx_header((0,)))
    with pytest.raises(ValueError, match=says) as info:
        load_folder(idx_folder)
    assert stem in str(info.value)


def test_header_declaring_billions_of_images_is_refused_without_allocating(tmp_path):
    path = put(tmp_path, TRAIN_IMAGES, idx_header((2**32 - 1, SIDE, SIDE)) + b"\0" * 64)
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match=f"{TRAIN_IMAGES}.*truncated"):
            load_idx(path, 3)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < MAX_PEAK_BYTES


@pytest.mark.parametrize(
    "dims",
    [(2**22, 2**22, 2**20), (2**32 - 1, 2**16, 2**16)],
    ids=["wraps_to_zero", "wraps_negative"],
)
def test_dimensions_whose_product_overflows_are_refused_naming_the_file(tmp_path, dims):
    path = put(tmp_path, TRAIN_IMAGES, idx_header(dims))
    with pytest.raises(ValueError, match=f"{TRAIN_IMAGES}.*truncated"):
        load_idx(path, 3)


def test_parse_idx_names_the_source(tmp_path):
    with pytest.raises(ValueError, match="my-source"):
        parse_idx(SHORTER_THAN_MAGIC, "my-source", 1)
    np.testing.assert_array_equal(parse_idx(idx_bytes(np.arange(5)), "ok", 1), np.arange(5))


def test_gzip_bomb_is_refused(tmp_path, monkeypatch):
    limit = 10_000
    monkeypatch.setattr(idx_module, "MAX_DECOMPRESSED_BYTES", limit)
    arr = np.zeros(10 * limit, dtype=np.uint8)  # zeros compress ~1000:1
    path = put(tmp_path, TRAIN_LABELS, idx_bytes(arr), gz=True)
    assert path.stat().st_size < limit
    with pytest.raises(ValueError, match=TRAIN_LABELS):
        load_idx(path, 1)
    # Just under the limit still loads.
    small = put(tmp_path, TEST_LABELS, idx_bytes(arr[: limit - 100]), gz=True)
    assert load_idx(small, 1).shape == (limit - 100,)


def test_images_of_different_shapes_in_the_two_splits_are_refused(idx_folder):
    put(idx_folder, TEST_IMAGES, idx_bytes(np.zeros((N_TEST, 14, 14), dtype=np.uint8)))
    with pytest.raises(ValueError, match="test images"):
        load_folder(idx_folder)


@pytest.mark.parametrize("target", ["missing", "a_file"])
def test_path_that_is_not_a_folder_is_refused(tmp_path, target):
    path = tmp_path / target
    if target == "a_file":
        path.write_text("not a folder")
    with pytest.raises(ValueError, match="not a folder") as info:
        load_mnist(path)
    assert target in str(info.value)


def test_load_idx_checks_the_checksum_of_the_decompressed_bytes(tmp_path):
    data = idx_bytes(make_arrays()[TEST_LABELS])
    path = put(tmp_path, TEST_LABELS, data, gz=True)
    good = hashlib.sha256(data).hexdigest()
    np.testing.assert_array_equal(load_idx(path, 1, sha256=good), make_arrays()[TEST_LABELS])
    with pytest.raises(ValueError, match="checksum") as info:
        load_idx(path, 1, sha256="0" * 64)
    assert TEST_LABELS in str(info.value)


def test_load_mnist_checks_checksums(idx_folder):
    sums = {stem: hashlib.sha256(idx_bytes(arr)).hexdigest() for stem, arr in make_arrays().items()}
    assert load_folder(idx_folder, checksums=sums).X_train.shape == (N_TRAIN, SIDE * SIDE)
    sums[TEST_IMAGES] = "f" * 64
    with pytest.raises(ValueError, match="checksum") as info:
        load_folder(idx_folder, checksums=sums)
    assert TEST_IMAGES in str(info.value)
