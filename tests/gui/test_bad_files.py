"""Broken dataset folders and model files opened from the window: each gives exactly one clear
error dialog naming the file, nothing from the file runs, and the app stays usable (the
previous model and dataset are kept, drawing still predicts, training still starts).

The engine's own tests (tests/engine/test_idx_broken_files.py, test_model_io.py) check the
messages in detail; these check what a user sees when the same files come in through the GUI.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from numpy.lib import format as npy_format

import engine
from engine.data import idx as idx_module
from softmax_gui.train.controls import RunState

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
    make_arrays,
    make_idx_folder,
    put,
)
from .conftest import TIMEOUT_MS

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: A header declaring billions of images must be refused without allocating anything like it.
MAX_PEAK_BYTES = 20_000_000
#: Decompression limit for the gzip-bomb case (the real one is 512 MiB).
SMALL_DECOMPRESSION_LIMIT = 100_000
#: Probabilities are float32: their sum is 1 to within a few float32 steps.
SUM_TOLERANCE = 1e-5


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    """Valid files in the broken folders must not be cached into the shared test cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


# --- dataset folders ---------------------------------------------------------------------------


def valid_folder(folder: Path) -> dict[str, bytes]:
    """Write a tiny valid gzipped MNIST-format folder; return its decompressed bytes by stem."""
    return {stem: idx_bytes(arr) for stem, arr in make_idx_folder(folder).items()}


FolderBreaker = Callable[[Path, dict[str, bytes]], str]  # breaks a folder, returns the file


def _put(
    stem: str, data: bytes | Callable[[bytes], bytes], *, gz: bool = False, raw: bool = False
) -> FolderBreaker:
    """Replace ``stem`` by ``data`` (or ``data(valid bytes)``); ``raw`` writes bytes as given."""

    def breaker(folder: Path, contents: dict[str, bytes]) -> str:
        new = data(contents[stem]) if callable(data) else data
        if raw:  # bytes written exactly as given, under the .gz name the loader looks for
            (folder / f"{stem}.gz").write_bytes(new)
            return f"{stem}.gz"
        return put(folder, stem, new, gz=gz).name

    return breaker


def _missing(stem: str) -> FolderBreaker:
    def breaker(folder: Path, contents: dict[str, bytes]) -> str:
        (folder / f"{stem}.gz").unlink()
        return stem

    return breaker


def _a_folder_named(stem: str) -> FolderBreaker:
    def breaker(folder: Path, contents: dict[str, bytes]) -> str:
        (folder / f"{stem}.gz").unlink()
        (folder / stem).mkdir()
        return stem

    return breaker


def _labels(values: list[int]) -> bytes:
    return idx_bytes(np.array(values, dtype=np.uint8))


def _gzip_bomb(data: bytes) -> bytes:
    return data + b"\0" * (4 * SMALL_DECOMPRESSION_LIMIT)  # compresses to a few hundred bytes


#: kind -> how to break a valid folder (the file the message must name is returned)
BROKEN_FOLDERS: dict[str, FolderBreaker] = {
    "missing_labels_file": _missing(TRAIN_LABELS),
    "images_file_is_a_folder": _a_folder_named(TEST_IMAGES),
    "zero_bytes": _put(TRAIN_IMAGES, b""),
    "zero_bytes_gz": _put(TRAIN_IMAGES, b"", raw=True),
    "truncated_raw": _put(TRAIN_IMAGES, lambda d: d[: len(d) // 2]),
    "truncated_gzip": _put(TRAIN_IMAGES, lambda d: gzip.compress(d)[:200], raw=True),
    "corrupt_gzip": _put(TEST_IMAGES, b"\x1f\x8b\x08\x00" + b"\xff" * 64, raw=True),
    "trailing_bytes": _put(TEST_LABELS, lambda d: d + b"\x01\x02", gz=True),
    "wrong_magic": _put(
        TRAIN_IMAGES, idx_bytes(make_arrays()[TRAIN_IMAGES], dtype_code=FLOAT32), gz=True
    ),
    "labels_have_images_dims": _put(TRAIN_LABELS, lambda d: idx_header((1, 1, 1)) + b"\x00"),
    "short_header": _put(TEST_LABELS, SHORTER_THAN_MAGIC),
    "billions_of_images": _put(TRAIN_IMAGES, idx_header((4_000_000_000, SIDE, SIDE))),
    "label_out_of_range": _put(TRAIN_LABELS, _labels([3] * (N_TRAIN - 1) + [10]), gz=True),
    "label_255": _put(TEST_LABELS, _labels([255] * N_TEST), gz=True),
    "fewer_labels_than_images": _put(TRAIN_LABELS, _labels([1] * (N_TRAIN - 1)), gz=True),
    "no_images": _put(TEST_IMAGES, idx_header((0, SIDE, SIDE)), gz=True),
    "text_renamed_gz": _put(
        TRAIN_IMAGES, b"these are not the images you are looking for\n", raw=True
    ),
    "png_renamed": _put(TEST_IMAGES, PNG_SIGNATURE + b"\0\0\0\rIHDR" + b"\0" * 64),
    "gzip_bomb": _put(TRAIN_LABELS, _gzip_bomb, gz=True),
}


@pytest.fixture
def bad_folder(tmp_path, request, monkeypatch) -> tuple[Path, str]:
    """A tiny dataset folder broken in the way named by the test parameter."""
    kind = request.param
    if kind == "gzip_bomb":
        monkeypatch.setattr(idx_module, "MAX_DECOMPRESSED_BYTES", SMALL_DECOMPRESSION_LIMIT)
    folder = tmp_path / f"digits-{kind}"
    contents = valid_folder(folder)
    return folder, BROKEN_FOLDERS[kind](folder, contents)


def wait_for_failed_load(qtbot, window, shown_errors) -> None:
    qtbot.waitUntil(lambda: len(shown_errors) > 0, timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: window.training_panel.state is RunState.IDLE, timeout=TIMEOUT_MS)


def assert_still_usable(qtbot, window, model, data) -> None:
    """The previous model and dataset are kept, a test digit is still read, Start is enabled."""
    assert window.model is model and window.dataset is data
    panel = window.training_panel
    assert panel.state is RunState.IDLE and panel.start_action.isEnabled()
    window.draw_panel.clear()
    qtbot.waitUntil(lambda: window.draw_panel.prediction() is None, timeout=TIMEOUT_MS)
    window.show_digit(data.X_test[0])
    qtbot.waitUntil(lambda: window.draw_panel.prediction() is not None, timeout=TIMEOUT_MS)
    proba = window.draw_panel.prediction()
    assert np.isfinite(proba).all() and abs(float(proba.sum()) - 1) < SUM_TOLERANCE


def test_the_valid_folder_these_cases_start_from_loads(qtbot, window, tmp_path, shown_errors):
    folder = tmp_path / "digits"
    valid_folder(folder)
    with qtbot.waitSignal(window.dataset_loaded, timeout=TIMEOUT_MS) as loaded:
        window.load_dataset(folder)
    assert loaded.args[0].X_train.shape == (N_TRAIN, SIDE * SIDE)
    assert shown_errors == []


@pytest.mark.parametrize("bad_folder", list(BROKEN_FOLDERS), indirect=True)
def test_a_broken_dataset_folder_shows_one_error_naming_the_file(
    qtbot, window, bad_folder, shown_errors
):
    folder, file_name = bad_folder
    model, data = window.model, window.dataset
    window.load_dataset(folder)
    wait_for_failed_load(qtbot, window, shown_errors)
    assert len(shown_errors) == 1
    title, message = shown_errors[0]
    assert title == "Could not load the dataset"
    assert file_name in message
    assert "Traceback" not in message
    assert_still_usable(qtbot, window, model, data)
    assert len(shown_errors) == 1  # nothing more came later


def test_a_header_declaring_billions_of_images_allocates_nothing_like_it(
    qtbot, window, tmp_path, shown_errors
):
    folder = tmp_path / "huge"
    valid_folder(folder)
    put(folder, TRAIN_IMAGES, idx_header((4_000_000_000, SIDE, SIDE)))
    tracemalloc.start()  # traces every thread, including the loader's
    try:
        window.load_dataset(folder)
        wait_for_failed_load(qtbot, window, shown_errors)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(shown_errors) == 1 and TRAIN_IMAGES in shown_errors[0][1]
    assert peak < MAX_PEAK_BYTES


# --- model files -------------------------------------------------------------------------------


class MakesMarker:
    """Unpickling this calls os.mkdir(marker): proof that code from the file ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.mkdir, (str(self.marker),))


def marker_path(path: Path) -> Path:
    return path.parent / "code-from-the-file-ran"


def shipped_arrays() -> dict[str, np.ndarray]:
    model = engine.load_model(engine.DEFAULT_MODEL_PATH)
    return {
        "W": model.W,
        "b": model.b,
        "input_shape": np.array([SIDE, SIDE]),
        "preprocessing_version": np.array(model.preprocessing_version),
        "metadata": np.array(json.dumps(model.metadata)),
    }


def _npz(**changes) -> Callable[[Path], None]:
    """The shipped model's arrays with some replaced (or removed, for None), as an .npz."""

    def make(path: Path) -> None:
        arrays = shipped_arrays()
        for key, value in changes.items():
            if value is None:
                arrays.pop(key)
            else:
                arrays[key] = value
        with open(path, "wb") as fh:
            np.savez(fh, **arrays)

    return make


def _bytes(data: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(data)


def _truncated(path: Path) -> None:
    data = engine.DEFAULT_MODEL_PATH.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _member(name: str, data: bytes) -> Callable[[Path], None]:
    """The shipped model with one archive member's bytes replaced."""

    def make(path: Path) -> None:
        with zipfile.ZipFile(engine.DEFAULT_MODEL_PATH) as archive:
            members = {n: archive.read(n) for n in archive.namelist()}
        members[name] = data
        with zipfile.ZipFile(path, "w") as archive:
            for n, d in members.items():
                archive.writestr(n, d)

    return make


def _npy_declaring(shape: tuple[int, ...]) -> bytes:
    buf = io.BytesIO()
    npy_format.write_array_header_1_0(buf, {"descr": "<f4", "fortran_order": False, "shape": shape})
    return buf.getvalue() + b"\0" * 64


def _npy_bytes(arr: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.save(buf, arr)
    return buf.getvalue()


def _pickled(key: str) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        evil = np.empty((), dtype=object)
        evil[()] = MakesMarker(marker_path(path))
        _npz(**{key: evil})(path)

    return make


def _nan_at(shape: tuple[int, ...], value: float) -> np.ndarray:
    arr = np.zeros(shape, dtype=np.float32)
    arr.flat[7] = value
    return arr


def _a_folder(path: Path) -> None:
    path.mkdir()


def _nothing(path: Path) -> None:
    pass


#: kind -> how to write the bad model file
BAD_MODELS: dict[str, Callable[[Path], None]] = {
    "missing": _nothing,
    "a_folder": _a_folder,
    "zero_bytes": _bytes(b""),
    "truncated": _truncated,
    "text_renamed_npz": _bytes(b"W = [[0.1, 0.2]]\nnot an archive\n"),
    "png_renamed_npz": _bytes(PNG_SIGNATURE + b"\0\0\0\rIHDR" + b"\0" * 64),
    "plain_npy_renamed_npz": lambda path: path.write_bytes(_npy_bytes(np.zeros(3))),
    "W_wrong_npy_magic": _member("W.npy", b"\x93NUMPX\x01\x00" + b"\0" * 64),
    "W_declares_a_huge_shape": _member("W.npy", _npy_declaring((784, 10**12))),
    "W_declares_too_many_classes": _member("W.npy", _npy_declaring((784, 10**6))),
    "nan_W": _npz(W=_nan_at((784, 10), np.nan)),
    "inf_b": _npz(b=_nan_at((10,), np.inf)),
    "W_wrong_shape": _npz(W=np.zeros((783, 10), np.float32)),
    "W_transposed": _npz(W=np.zeros((10, 784), np.float32)),
    "b_wrong_shape": _npz(b=np.zeros(11, np.float32)),
    "W_float64": _npz(W=np.zeros((784, 10))),
    "W_int": _npz(W=np.zeros((784, 10), np.int32)),
    "missing_key": _npz(b=None),
    "extra_key": _npz(extra=np.arange(3)),
    "pickled_W": _pickled("W"),
    "pickled_metadata": _pickled("metadata"),
    "unknown_preprocessing_version": _npz(preprocessing_version=np.array(99)),
    "metadata_not_json": _npz(metadata=np.array("{not json")),
    "input_shape_wrong": _npz(input_shape=np.array([32, 32])),
}


@pytest.mark.parametrize("kind", list(BAD_MODELS))
def test_a_bad_model_file_shows_one_error_naming_it_and_keeps_the_model(
    qtbot, window, tmp_path, shown_errors, kind
):
    path = tmp_path / f"bad-{kind}.npz"
    BAD_MODELS[kind](path)
    model, data = window.model, window.dataset
    assert model is not None
    assert window.open_model(path) is False
    assert len(shown_errors) == 1
    title, message = shown_errors[0]
    assert title == "Could not open the model"
    assert path.name in message and "Traceback" not in message
    assert not marker_path(path).exists()
    assert_still_usable(qtbot, window, model, data)
    assert len(shown_errors) == 1


def test_the_pickle_payload_is_real(tmp_path):
    """The pickled cases would run code if loaded carelessly: the GUI test proves something."""
    path = tmp_path / "evil.npz"
    BAD_MODELS["pickled_W"](path)
    with np.load(path, allow_pickle=True) as npz:
        npz["W"]
    assert marker_path(path).exists()


def test_after_every_kind_of_bad_file_training_still_runs(
    qtbot, window, tmp_path, shown_errors, monkeypatch
):
    monkeypatch.setattr(idx_module, "MAX_DECOMPRESSED_BYTES", SMALL_DECOMPRESSION_LIMIT)
    for kind, make in BAD_MODELS.items():
        path = tmp_path / f"bad-{kind}.npz"
        make(path)
        window.open_model(path)
    for kind, breaker in BROKEN_FOLDERS.items():
        folder = tmp_path / f"digits-{kind}"
        breaker(folder, valid_folder(folder))
        before = len(shown_errors)
        window.load_dataset(folder)
        qtbot.waitUntil(lambda n=before: len(shown_errors) > n, timeout=TIMEOUT_MS)
        qtbot.waitUntil(lambda: window.training_panel.state is RunState.IDLE, timeout=TIMEOUT_MS)
    assert len(shown_errors) == len(BAD_MODELS) + len(BROKEN_FOLDERS)
    assert not marker_path(tmp_path / "x").exists()
    previous = window.model
    window.training_panel.set_values({"optimizer": "lbfgs", "max_iter": 3})
    with qtbot.waitSignal(window.training_finished, timeout=TIMEOUT_MS) as finished:
        window.start_training()
    result = finished.args[0]
    assert not result.diverged
    assert window.model is result.model and window.model is not previous
    assert len(shown_errors) == len(BAD_MODELS) + len(BROKEN_FOLDERS)
