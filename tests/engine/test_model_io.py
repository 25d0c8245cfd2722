"""Model files: a faithful round trip, atomic saves, and a clear ValueError for every bad file."""

from __future__ import annotations

import io
import json
import os
import stat
import zipfile
from collections.abc import Callable, Generator
from pathlib import Path

import numpy as np
import pytest
from numpy.lib import format as npy_format

from engine import (
    DEFAULT_MODEL_PATH,
    PREPROCESSING_VERSION,
    SoftmaxModel,
    error_rate,
    load_model,
    save_model,
)

N_FEATURES, N_CLASSES = 784, 10
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: With the usual umask, files a program writes are readable by group and others.
USUAL_UMASK = 0o022
#: The README promises the shipped model reads at least 97.5% of the MNIST test set.
SHIPPED_MAX_ERROR = 0.025
REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def model() -> SoftmaxModel:
    rng = np.random.default_rng(0)
    return SoftmaxModel(
        W=rng.normal(size=(N_FEATURES, N_CLASSES)).astype(np.float32),
        b=rng.normal(size=N_CLASSES).astype(np.float32),
        preprocessing_version=PREPROCESSING_VERSION,
        metadata={
            "optimizer": "lbfgs",
            "test_accuracy": 0.92,
            "note": "Zürich ✓",
            "config": {"l2": 1e-4, "seed": 0},
        },
    )


@pytest.fixture
def umask() -> Generator[Callable[[int], int], None, None]:
    """Lets a test set the process umask; restores the previous one afterwards."""
    previous = os.umask(USUAL_UMASK)
    yield os.umask
    os.umask(previous)


def valid_arrays(model: SoftmaxModel) -> dict[str, np.ndarray]:
    """The arrays of a valid model file, to be altered one at a time."""
    return {
        "W": model.W,
        "b": model.b,
        "input_shape": np.array([28, 28]),
        "preprocessing_version": np.array(PREPROCESSING_VERSION),
        "metadata": np.array(json.dumps(model.metadata)),
    }


def test_round_trip_preserves_everything(model, tmp_path):
    path = save_model(model, tmp_path / "model.npz")
    loaded = load_model(path)
    np.testing.assert_array_equal(loaded.W, model.W)
    np.testing.assert_array_equal(loaded.b, model.b)
    assert loaded.W.dtype == np.float32 and loaded.b.dtype == np.float32
    assert loaded.metadata == model.metadata
    assert loaded.preprocessing_version == model.preprocessing_version


def test_saved_file_is_readable_like_any_other_file(model, tmp_path, umask):
    umask(USUAL_UMASK)
    path = save_model(model, tmp_path / "model.npz")
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~USUAL_UMASK  # not mkstemp's 0600


def test_overwriting_keeps_the_files_mode(model, tmp_path):
    path = tmp_path / "model.npz"
    save_model(model, path)
    path.chmod(0o640)
    save_model(model, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_saved_file_respects_a_private_umask(model, tmp_path, umask):
    umask(0o077)
    path = save_model(model, tmp_path / "model.npz")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    "error", [OSError("disk full"), KeyboardInterrupt()], ids=["disk_full", "interrupted"]
)
def test_failed_save_keeps_the_previous_file_and_leaves_no_temp_file(
    model, tmp_path, monkeypatch, error
):
    path = save_model(model, tmp_path / "model.npz")
    before = path.read_bytes()
    real_savez = np.savez

    def savez_then_fail(file, **arrays):
        real_savez(file, W=arrays["W"])  # part of the archive reaches the disk first
        raise error

    monkeypatch.setattr(np, "savez", savez_then_fail)
    changed = SoftmaxModel(W=model.W + 1, b=model.b)
    with pytest.raises(type(error)):
        save_model(changed, path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.npz"]
    np.testing.assert_array_equal(load_model(path).W, model.W)


def test_shipped_model_reads_mnist_as_promised_and_says_how_it_was_made(mnist):
    model = load_model(DEFAULT_MODEL_PATH)
    assert model.n_inputs == N_FEATURES and model.W.shape == (model.n_features, N_CLASSES)
    assert model.preprocessing_version == mnist.preprocessing_version
    # the README promises the shipped model's accuracy on the MNIST test set
    assert error_rate(mnist.y_test, model.predict(mnist.X_test)) <= SHIPPED_MAX_ERROR
    # ... and shows the command that made it, which the file records
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert model.metadata["command"] in readme


# --- bad files -------------------------------------------------------------------------------


def write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    with open(path, "wb") as fh:
        np.savez(fh, **arrays)


def _altered(**changes):
    """A bad file: the valid arrays with some replaced (or removed, for None)."""

    def make(path: Path, model: SoftmaxModel) -> None:
        arrays = valid_arrays(model)
        for key, value in changes.items():
            if value is None:
                arrays.pop(key)
            else:
                arrays[key] = value
        write_npz(path, arrays)

    return make


def _raw(data: bytes):
    def make(path: Path, model: SoftmaxModel) -> None:
        path.write_bytes(data)

    return make


def _edited(old: bytes, new: bytes):
    """A saved model with ``old`` bytes (in an .npy header) replaced by ``new``."""

    def make(path: Path, model: SoftmaxModel) -> None:
        save_model(model, path)
        path.write_bytes(path.read_bytes().replace(old, new, 1))

    return make


def _flipped_in(member: str, offset: int):
    """A saved model with one bit flipped ``offset`` bytes into ``member``'s .npy data."""

    def make(path: Path, model: SoftmaxModel) -> None:
        save_model(model, path)
        raw = bytearray(path.read_bytes())
        raw[raw.index(b"\x93NUMPY", raw.index(member.encode())) + offset] ^= 0x10
        path.write_bytes(bytes(raw))

    return make


def _truncated_zip(path: Path, model: SoftmaxModel) -> None:
    save_model(model, path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _non_finite(shape: tuple[int, ...], value: float) -> np.ndarray:
    arr = np.zeros(shape, dtype=np.float32)
    arr.flat[3] = value
    return arr


#: kind -> (what the message must say, how to write the bad file)
BAD_FILES = {
    "zero_bytes": ("empty", _raw(b"")),
    "text_file": ("not a model file", _raw(b"W = [[0.1, 0.2]]\nthis is not an archive\n")),
    "png_bytes": ("not a model file", _raw(PNG_SIGNATURE + b"\0\0\0\rIHDR" + b"\0" * 64)),
    "truncated_zip": ("model file", _truncated_zip),
    "missing_key": ("missing", _altered(b=None)),
    "extra_key": ("unexpected", _altered(secret=np.arange(3))),
    "wrong_W_shape": ("W must be", _altered(W=np.zeros((N_FEATURES - 1, N_CLASSES), np.float32))),
    "W_one_class": ("W must be", _altered(W=np.zeros((N_FEATURES, 1), np.float32))),
    "wrong_b_shape": ("b must be", _altered(b=np.zeros(N_CLASSES + 1, np.float32))),
    "float64_W": ("float32", _altered(W=np.zeros((N_FEATURES, N_CLASSES)))),
    "nan_W": ("NaN", _altered(W=_non_finite((N_FEATURES, N_CLASSES), np.nan))),
    "inf_b": ("infinity", _altered(b=_non_finite((N_CLASSES,), -np.inf))),
    "metadata_not_json": ("JSON", _altered(metadata=np.array("{optimizer: lbfgs"))),
    "metadata_not_object": ("JSON object", _altered(metadata=np.array("[1, 2]"))),
    "metadata_bytes": ("JSON string", _altered(metadata=np.array(b"{}"))),
    "metadata_nested_too_deeply": ("nested", _altered(metadata=np.array("[" * 100_000))),
    "npy_header_left_open": ("header cannot be parsed", _edited(b"(784, 10)", b"(784, 10 ")),
    "flipped_weight_bit": ("CRC", _flipped_in("W.npy", 1000)),
    "size_disagrees_with_archive": ("declares shape", _edited(b"(784, 10)", b"(784, 9) ")),
    "unknown_preprocessing_version": (
        "preprocessing version",
        _altered(preprocessing_version=np.array(99)),
    ),
    "preprocessing_version_float": (
        "preprocessing_version",
        _altered(preprocessing_version=np.array(1.0)),
    ),
    "wrong_input_shape": ("input_shape", _altered(input_shape=np.array([32, 32]))),
}


@pytest.mark.parametrize("kind", BAD_FILES)
def test_bad_model_file_raises_value_error_naming_the_file(model, tmp_path, kind):
    says, make = BAD_FILES[kind]
    path = tmp_path / f"bad-{kind}.npz"
    make(path, model)
    with pytest.raises(ValueError, match=says) as info:
        load_model(path)
    assert path.name in str(info.value)


@pytest.mark.parametrize("target", ["missing.npz", "a-folder.npz"])
def test_path_that_is_not_a_file_is_refused(tmp_path, target):
    if target == "a-folder.npz":
        (tmp_path / target).mkdir()
    with pytest.raises(ValueError, match=target):
        load_model(tmp_path / target)


class _MakesMarker:
    """Unpickling this calls os.mkdir(marker): proof that code ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.mkdir, (str(self.marker),))


@pytest.mark.parametrize("key", ["W", "metadata"])
def test_object_array_is_refused_without_unpickling(model, tmp_path, key):
    marker = tmp_path / "code-ran"
    evil = np.empty((), dtype=object)
    evil[()] = _MakesMarker(marker)
    path = tmp_path / "evil.npz"
    write_npz(path, {**valid_arrays(model), key: evil})
    with pytest.raises(ValueError) as info:
        load_model(path)
    assert path.name in str(info.value)
    assert not marker.exists()
    # The file really is dangerous: loading it with pickle allowed runs the payload.
    with np.load(path, allow_pickle=True) as npz:
        npz[key]
    assert marker.exists()


def _npy_declaring(shape: tuple[int, ...]) -> bytes:
    """A .npy member whose header declares ``shape`` but which holds only a few bytes."""
    buf = io.BytesIO()
    npy_format.write_array_header_1_0(buf, {"descr": "<f4", "fortran_order": False, "shape": shape})
    return buf.getvalue() + b"\0" * 64


def test_array_header_declaring_a_huge_shape_is_refused_without_allocating(model, tmp_path):
    path = tmp_path / "huge.npz"
    save_model(model, path)
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["W.npy"] = _npy_declaring((N_FEATURES, 10**12))
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    with pytest.raises(ValueError, match="huge.npz"):
        load_model(path)
