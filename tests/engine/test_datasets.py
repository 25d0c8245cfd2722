"""IDX loading: valid folders load right, in every preprocessing version, and the cache helps.

Broken files are in test_idx_broken_files.py; both use the tiny folders of tests/idx_files.py.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from engine import (
    BUNDLED_MNIST_DIR,
    MNIST_SHA256,
    N_CLASSES,
    PREPROCESSING_VERSION,
    SUPPORTED_PREPROCESSING_VERSIONS,
    LoadCancelled,
    load_idx,
    prepare_images,
)
from engine.data import datasets as datasets_module

from ..idx_files import (
    N_TEST,
    N_TRAIN,
    SIDE,
    STEMS,
    TEST_LABELS,
    TRAIN_IMAGES,
    TRAIN_LABELS,
    idx_bytes,
    load_folder,
    make_arrays,
    make_idx_folder,
    put,
)

#: Images per preparation chunk in the chunking and cancellation tests: N_TRAIN = 30 images
#: then take four chunks, the last one short.
SMALL_CHUNK = 8


# --- valid folders ---------------------------------------------------------------------------


@pytest.mark.parametrize("gz", [True, False], ids=["gzipped", "raw"])
def test_valid_folder_loads_as_float_features_and_int_labels(tmp_path, gz):
    arrays = make_idx_folder(tmp_path / "digits", gz=gz)
    data = load_folder(tmp_path / "digits")
    assert data.X_train.shape == (N_TRAIN, SIDE * SIDE) and data.X_test.shape == (N_TEST, SIDE**2)
    for X in (data.X_train, data.X_test):
        assert X.dtype == np.float32 and X.min() >= 0.0 and X.max() <= 1.0
    for y in (data.y_train, data.y_test):
        assert np.issubdtype(y.dtype, np.integer)
    np.testing.assert_allclose(
        data.X_train * 255, arrays[TRAIN_IMAGES].reshape(N_TRAIN, -1), atol=1e-3
    )
    np.testing.assert_array_equal(data.y_test, arrays[TEST_LABELS])
    assert data.image_shape == (SIDE, SIDE)
    assert data.name == "digits"
    assert data.X_val is None and data.y_val is None


def test_gzipped_and_raw_files_can_be_mixed(tmp_path):
    arrays = make_idx_folder(tmp_path, gz=True)
    put(tmp_path, TEST_LABELS, idx_bytes(arrays[TEST_LABELS]), gz=False)
    np.testing.assert_array_equal(load_folder(tmp_path).y_test, arrays[TEST_LABELS])


def test_validation_split_is_disjoint_and_complete(idx_folder):
    full = load_folder(idx_folder)
    split = load_folder(idx_folder, validation_size=7, seed=1)
    assert split.X_val.shape == (7, SIDE * SIDE) and split.y_val.shape == (7,)
    assert split.X_train.shape == (N_TRAIN - 7, SIDE * SIDE)
    # Images are random, hence distinct: identify each row by its bytes.
    rows = {r.tobytes(): label for r, label in zip(full.X_train, full.y_train, strict=True)}
    val = [r.tobytes() for r in split.X_val]
    kept = [r.tobytes() for r in split.X_train]
    assert not set(val) & set(kept)
    assert set(val) | set(kept) == set(rows)
    # Labels travel with their images.
    assert all(
        rows[r.tobytes()] == label for r, label in zip(split.X_val, split.y_val, strict=True)
    )
    assert all(
        rows[r.tobytes()] == label for r, label in zip(split.X_train, split.y_train, strict=True)
    )
    np.testing.assert_array_equal(split.X_test, full.X_test)
    # The split depends on the seed, and only on it.
    again = load_folder(idx_folder, validation_size=7, seed=1)
    other = load_folder(idx_folder, validation_size=7, seed=2)
    np.testing.assert_array_equal(again.y_val, split.y_val)
    np.testing.assert_array_equal(again.X_val, split.X_val)
    assert not np.array_equal(other.X_val, split.X_val)


@pytest.mark.parametrize("validation_size", [0, 7])
def test_uint8_training_images_are_the_grey_levels_of_the_float_features(
    idx_folder, validation_size
):
    floats = load_folder(idx_folder, validation_size=validation_size, seed=3)
    levels = load_folder(idx_folder, validation_size=validation_size, seed=3, train_dtype=np.uint8)
    pairs = [(levels.X_train, floats.X_train)]
    if validation_size:
        pairs.append((levels.X_val, floats.X_val))
    for X_levels, X_float in pairs:
        assert X_levels.dtype == np.uint8 and X_levels.shape == X_float.shape
        np.testing.assert_array_equal(datasets_module.to_features(X_levels), X_float)
    # The test images, which the app shows and evaluates, stay float32 features.
    assert levels.X_test.dtype == np.float32
    np.testing.assert_array_equal(levels.X_test, floats.X_test)
    np.testing.assert_array_equal(levels.y_train, floats.y_train)


@pytest.mark.parametrize("dtype", [np.float64, np.int64, np.float16, "not a dtype"])
def test_other_training_dtypes_are_refused(idx_folder, dtype):
    with pytest.raises(ValueError, match="train_dtype"):
        load_folder(idx_folder, train_dtype=dtype)


@pytest.mark.parametrize("size", [-1, N_TRAIN, N_TRAIN + 5])
def test_validation_size_out_of_range_is_refused(idx_folder, size):
    with pytest.raises(ValueError, match="validation_size"):
        load_folder(idx_folder, validation_size=size)


@pytest.mark.parametrize("fixture", ["mnist", "mnist_raw"])
def test_bundled_mnist(request, fixture):
    mnist = request.getfixturevalue(fixture)
    assert mnist.name == "MNIST" and mnist.image_shape == (28, 28)
    assert mnist.X_train.shape == (60_000, 784) and mnist.y_train.shape == (60_000,)
    assert mnist.X_test.shape == (10_000, 784) and mnist.y_test.shape == (10_000,)
    for X in (mnist.X_train, mnist.X_test):
        assert X.dtype == np.float32 and X.min() == 0.0 and X.max() <= 1.0
    for y in (mnist.y_train, mnist.y_test):
        assert np.issubdtype(y.dtype, np.integer)
        np.testing.assert_array_equal(np.unique(y), np.arange(N_CLASSES))


def test_bundled_mnist_raw_is_as_published(mnist_raw):
    assert mnist_raw.preprocessing_version == 1
    # MNIST's images were stretched so the brightest pixel is (within a grey level) full scale.
    assert mnist_raw.X_train.max(axis=1).min() >= 254 / 255 - 1e-6


def test_default_load_uses_the_current_preprocessing(mnist, mnist_raw):
    assert mnist.preprocessing_version == PREPROCESSING_VERSION
    np.testing.assert_array_equal(mnist.y_train, mnist_raw.y_train)
    # Dataset-side preprocessing, stored as uint8 like MNIST itself: within half a grey level.
    prepared = prepare_images(mnist_raw.X_test[:200], PREPROCESSING_VERSION)
    np.testing.assert_allclose(mnist.X_test[:200], prepared, atol=0.5 / 255 + 1e-6)


@pytest.mark.parametrize("version", sorted(SUPPORTED_PREPROCESSING_VERSIONS))
def test_folder_loads_with_each_preprocessing_version(idx_folder, cache_home, version):
    raw = load_folder(idx_folder)
    data = load_folder(idx_folder, preprocessing_version=version, use_cache=True)
    cached = load_folder(idx_folder, preprocessing_version=version, use_cache=True)
    assert data.preprocessing_version == version
    np.testing.assert_allclose(
        data.X_train, prepare_images(raw.X_train, version), atol=0.5 / 255 + 1e-6
    )
    assert_same_dataset(data, cached)


@pytest.mark.parametrize("version", [2, 3])
def test_preparing_in_chunks_gives_exactly_the_images_of_one_call(idx_folder, monkeypatch, version):
    raw = load_folder(idx_folder)
    monkeypatch.setattr(datasets_module, "PREPARE_CHUNK", SMALL_CHUNK)
    data = load_folder(idx_folder, preprocessing_version=version)
    for X_raw, X in ((raw.X_train, data.X_train), (raw.X_test, data.X_test)):
        whole = np.rint(prepare_images(X_raw, version) * 255).astype(np.uint8)
        np.testing.assert_array_equal(X, datasets_module.to_features(whole))


def prepared_cache_files(cache: Path, version: int) -> list[Path]:
    return sorted(cache.glob(f"*.v{version}.*.npy")) if cache.is_dir() else []


@pytest.mark.parametrize("stop_after", [0, 1, 2])
def test_should_stop_cancels_the_preparation_and_caches_nothing_half_made(
    idx_folder, cache_home, monkeypatch, stop_after
):
    monkeypatch.setattr(datasets_module, "PREPARE_CHUNK", SMALL_CHUNK)
    prepared_chunks = []

    def counting_prepare(X, version):
        prepared_chunks.append(X.shape[0])
        return prepare_images(X, version)

    monkeypatch.setattr(datasets_module, "prepare_images", counting_prepare)
    with pytest.raises(LoadCancelled):
        load_folder(
            idx_folder,
            preprocessing_version=3,
            use_cache=True,
            should_stop=lambda: len(prepared_chunks) >= stop_after,
        )
    assert len(prepared_chunks) == stop_after  # stopped at the first check after the request
    assert prepared_cache_files(cache_home, 3) == []
    # The next load prepares everything afresh and caches both splits.
    prepared_chunks.clear()
    data = load_folder(idx_folder, preprocessing_version=3, use_cache=True)
    assert sum(prepared_chunks) == N_TRAIN + N_TEST
    assert data.X_train.shape == (N_TRAIN, SIDE * SIDE)
    assert len(prepared_cache_files(cache_home, 3)) == 2


def test_should_stop_is_asked_before_anything_is_read(idx_folder, monkeypatch):
    def no_reading(*args, **kwargs):
        raise AssertionError("a cancelled load must not read files")

    monkeypatch.setattr(datasets_module, "_load_split", no_reading)
    with pytest.raises(LoadCancelled):
        load_folder(idx_folder, should_stop=lambda: True)


def test_unknown_preprocessing_version_is_refused(idx_folder):
    with pytest.raises(ValueError, match="preprocessing version"):
        load_folder(idx_folder, preprocessing_version=99)


@pytest.mark.parametrize("stem", STEMS)
def test_bundled_files_match_their_published_checksums(stem):
    ndim = 3 if "images" in stem else 1
    arr = load_idx(BUNDLED_MNIST_DIR / f"{stem}.gz", ndim, sha256=MNIST_SHA256[stem])
    assert arr.dtype == np.uint8 and arr.shape[0] in (60_000, 10_000)


# --- the decompression cache -----------------------------------------------------------------


def cached_files(cache: Path) -> list[Path]:
    return sorted(cache.glob("*.npy")) if cache.is_dir() else []


def assert_same_dataset(a, b):
    for name in ("X_train", "y_train", "X_test", "y_test"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))


def test_cache_returns_identical_arrays(idx_folder, cache_home):
    first = load_folder(idx_folder, use_cache=True)
    assert len(cached_files(cache_home)) == len(STEMS)
    second = load_folder(idx_folder, use_cache=True)
    assert_same_dataset(first, second)


def _write_bytes(data: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(data)


#: kind -> how to spoil one cache file
SPOILED_CACHES: dict[str, Callable[[Path], None]] = {
    "garbage": _write_bytes(b"not a numpy file"),
    "truncated_npy": _write_bytes(b"\x93NUMPY\x01\x00"),
    "empty": _write_bytes(b""),
    "wrong_kind": lambda path: np.save(path, np.zeros((2, 2), dtype=np.float64)),
}


@pytest.mark.parametrize("kind", SPOILED_CACHES)
def test_a_spoiled_cache_is_ignored(idx_folder, cache_home, kind):
    first = load_folder(idx_folder, use_cache=True)
    for path in cached_files(cache_home):
        SPOILED_CACHES[kind](path)
    assert_same_dataset(first, load_folder(idx_folder, use_cache=True))


def test_changed_source_is_not_served_from_the_cache(idx_folder, cache_home):
    load_folder(idx_folder, use_cache=True)
    new_labels = (make_arrays()[TRAIN_LABELS] + 1) % N_CLASSES
    path = put(idx_folder, TRAIN_LABELS, idx_bytes(new_labels), gz=True)
    # Move the modification time on explicitly: coarse file-system clocks may not tick.
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    np.testing.assert_array_equal(load_folder(idx_folder, use_cache=True).y_train, new_labels)


def test_same_size_rewrite_with_the_same_mtime_is_not_served_from_the_cache(idx_folder, cache_home):
    labels = make_arrays()[TRAIN_LABELS]
    path = put(idx_folder, TRAIN_LABELS, idx_bytes(labels))  # raw: same count, same size
    load_folder(idx_folder, use_cache=True)
    st = path.stat()
    new_labels = (labels + 1) % N_CLASSES
    path.write_bytes(idx_bytes(new_labels))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    np.testing.assert_array_equal(load_folder(idx_folder, use_cache=True).y_train, new_labels)


def test_cache_does_not_bypass_the_checksum(tmp_path, cache_home):
    path = put(tmp_path, TEST_LABELS, idx_bytes(make_arrays()[TEST_LABELS]), gz=True)
    load_idx(path, 1, use_cache=True)
    with pytest.raises(ValueError, match="checksum"):
        load_idx(path, 1, sha256="0" * 64, use_cache=True)


def test_unwritable_cache_only_costs_speed(idx_folder, tmp_path, monkeypatch):
    blocker = tmp_path / "cache-is-a-file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert_same_dataset(load_folder(idx_folder, use_cache=True), load_folder(idx_folder))
