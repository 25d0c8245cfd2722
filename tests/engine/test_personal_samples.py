"""Personal samples: adding, removing, relabelling, reducing drawings, and samples files that
round-trip, save atomically and give a ValueError naming the file for every bad one."""

from __future__ import annotations

import io
import os
import stat
import zipfile
from pathlib import Path

import numpy as np
import pytest
from numpy.lib import format as npy_format

from engine import (
    DEFAULT_MODEL_PATH,
    DRAWING_SIDE,
    N_FEATURES,
    PREPROCESSING_VERSION,
    SAMPLES_FORMAT,
    SUPPORTED_PREPROCESSING_VERSIONS,
    PersonalSamples,
    SoftmaxModel,
    as_drawing,
    load_model,
    load_samples,
    preprocess_canvas,
    save_model,
    save_samples,
)

from ..damage import damaged_samples
from ..personal_files import INK_SIDE

N = 3


def bar(side: int = INK_SIDE, col: float = 0.5) -> np.ndarray:
    """An ink-bright canvas with a thick vertical stroke (a "1") around column ``col``."""
    canvas = np.zeros((side, side), dtype=np.uint8)
    c = int(side * col)
    canvas[side // 6 : side - side // 6, c - side // 20 : c + side // 20] = 255
    return canvas


def ring(side: int = INK_SIDE) -> np.ndarray:
    """An ink-bright canvas with a thick ring (a "0")."""
    r = np.hypot(*np.mgrid[:side, :side] - side / 2) / side
    return np.where((r > 0.25) & (r < 0.35), 255, 0).astype(np.uint8)


def bend(side: int = INK_SIDE) -> np.ndarray:
    """An ink-bright canvas with a top bar and a slanted stem (a "7")."""
    canvas = np.zeros((side, side), dtype=np.uint8)
    canvas[side // 6 : side // 6 + side // 12, side // 5 : 4 * side // 5] = 255
    for row in range(side // 6, 5 * side // 6):
        col = int(4 * side // 5 - (row - side // 6) * 0.4)
        canvas[row, col - side // 24 : col + side // 24] = 255
    return canvas


DRAWINGS = {"1": bar, "0": ring, "7": bend}


def add(samples: PersonalSamples, canvas: np.ndarray, label: int) -> PersonalSamples:
    return samples.add(preprocess_canvas(canvas, samples.preprocessing_version), label, canvas)


@pytest.fixture(scope="module")
def samples() -> PersonalSamples:
    s = PersonalSamples.empty(PREPROCESSING_VERSION)
    for label, draw in DRAWINGS.items():
        s = add(s, draw(), int(label))
    return s


def assert_same(a: PersonalSamples, b: PersonalSamples) -> None:
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.y, b.y)
    np.testing.assert_array_equal(a.drawings, b.drawings)
    assert a.preprocessing_version == b.preprocessing_version
    assert (a.X.dtype, a.y.dtype, a.drawings.dtype) == (np.float32, np.int64, np.uint8)


# --- the value --------------------------------------------------------------------------------


def test_adding_stores_the_input_the_label_and_the_drawing(samples):
    assert len(samples) == N
    assert samples.y.tolist() == [1, 0, 7]
    assert samples.counts().tolist() == [1, 1, 0, 0, 0, 0, 0, 1, 0, 0]
    assert samples.X.shape == (N, N_FEATURES)
    assert samples.drawings.shape == (N, DRAWING_SIDE, DRAWING_SIDE)
    np.testing.assert_array_equal(samples.X[1], preprocess_canvas(ring()).ravel())
    np.testing.assert_array_equal(samples.drawings[1], as_drawing(ring()))


def test_an_empty_set_has_no_samples_and_zero_counts():
    empty = PersonalSamples.empty(PREPROCESSING_VERSION)
    assert len(empty) == 0
    assert empty.counts().tolist() == [0] * 10
    assert empty.counts(3).tolist() == [0, 0, 0]


def test_adding_accepts_a_28x28_input_and_leaves_the_original_unchanged(samples):
    grown = samples.add(preprocess_canvas(bar()), 4, bar())  # (28, 28), not flattened
    assert len(grown) == N + 1 and len(samples) == N
    assert grown.y.tolist() == [1, 0, 7, 4]
    np.testing.assert_array_equal(grown.X[:N], samples.X)


def test_the_arrays_are_read_only_copies(samples):
    with pytest.raises(ValueError, match="read-only"):
        samples.y[0] = 9
    X = np.zeros((1, N_FEATURES), np.float32)
    s = PersonalSamples(
        X, np.array([2]), np.zeros((1, DRAWING_SIDE, DRAWING_SIDE), np.uint8), PREPROCESSING_VERSION
    )
    X[0, 0] = 1.0  # the caller's array stays the caller's
    assert s.X[0, 0] == 0.0


def test_remove_drops_exactly_that_sample(samples):
    fewer = samples.remove(1)
    assert fewer.y.tolist() == [1, 7]
    np.testing.assert_array_equal(fewer.drawings, samples.drawings[[0, 2]])
    np.testing.assert_array_equal(fewer.X, samples.X[[0, 2]])
    assert len(samples) == N
    assert len(fewer.remove(0).remove(0)) == 0


def test_relabel_changes_only_that_label(samples):
    fixed = samples.relabel(2, 1)
    assert fixed.y.tolist() == [1, 0, 1] and samples.y.tolist() == [1, 0, 7]
    np.testing.assert_array_equal(fixed.X, samples.X)
    assert fixed.counts()[1] == 2


@pytest.mark.parametrize("label", [10, -1, True, 2.5, "3", None])
def test_a_bad_label_is_refused(samples, label):
    with pytest.raises(ValueError, match="label must be an integer in 0-9"):
        add(samples, bar(), label)
    with pytest.raises(ValueError, match="label must be an integer in 0-9"):
        samples.relabel(0, label)


@pytest.mark.parametrize(
    ("x", "says"),
    [
        (None, "nothing drawn"),
        (np.zeros(N_FEATURES - 1, np.float32), r"x must be \(784,\) or \(28, 28\)"),
        (np.zeros((2, N_FEATURES), np.float32), "x must be"),
        (np.full(N_FEATURES, np.nan, np.float32), "NaN"),
        (np.full(N_FEATURES, 2.0, np.float32), r"\[0, 1\]"),
    ],
)
def test_a_bad_input_is_refused(samples, x, says):
    with pytest.raises(ValueError, match=says):
        samples.add(x, 1, bar())


@pytest.mark.parametrize(
    ("drawing", "says"),
    [
        (np.zeros((2, 28, 28), np.uint8), "2-D"),
        (np.full((56, 56), 300, np.int64), "0–255"),
        (np.full((56, 56), 2.0), r"\[0, 1\]"),
    ],
)
def test_a_bad_drawing_is_refused(samples, drawing, says):
    with pytest.raises(ValueError, match=says):
        samples.add(preprocess_canvas(bar()), 1, drawing)


@pytest.mark.parametrize("index", [N, -1, True, 1.0])
def test_a_bad_index_is_refused(samples, index):
    with pytest.raises(ValueError, match="index must be an integer in 0-2"):
        samples.remove(index)
    with pytest.raises(ValueError, match="index must be an integer in 0-2"):
        samples.relabel(index, 3)


def test_counts_refuses_too_few_classes(samples):
    with pytest.raises(ValueError, match="label 7"):
        samples.counts(5)


OTHER_VERSIONS = sorted(SUPPORTED_PREPROCESSING_VERSIONS - {PREPROCESSING_VERSION})


@pytest.mark.parametrize("version", OTHER_VERSIONS)
def test_for_version_remakes_the_inputs_from_the_stored_drawings(samples, version):
    moved = samples.for_version(version)
    assert moved.preprocessing_version == version
    for i in range(N):
        expected = preprocess_canvas(samples.drawings[i], version).ravel()
        np.testing.assert_array_equal(moved.X[i], expected)
    np.testing.assert_array_equal(moved.y, samples.y)
    np.testing.assert_array_equal(moved.drawings, samples.drawings)
    back = moved.for_version(PREPROCESSING_VERSION)
    np.testing.assert_array_equal(back.X[0], preprocess_canvas(samples.drawings[0]).ravel())


def test_for_the_same_version_nothing_is_recomputed(samples):
    assert samples.for_version(samples.preprocessing_version) is samples


def test_for_an_unknown_version_is_refused(samples):
    with pytest.raises(ValueError, match="version must be one of"):
        samples.for_version(99)


# --- as_drawing -------------------------------------------------------------------------------


def test_as_drawing_averages_the_canvas_ink_2x2():
    canvas = np.zeros((INK_SIDE, INK_SIDE), dtype=np.uint8)
    canvas[100:102, 200:202] = 255  # one full 2x2 block
    canvas[300, 300] = 255  # a quarter of one
    drawing = as_drawing(canvas)
    assert drawing.shape == (DRAWING_SIDE, DRAWING_SIDE) and drawing.dtype == np.uint8
    assert drawing[50, 100] == 255
    assert drawing[150, 150] == 64  # 255 / 4, rounded
    assert np.count_nonzero(drawing) == 2


@pytest.mark.parametrize("label", DRAWINGS)
def test_the_stored_drawing_is_read_like_the_canvas(label):
    model = load_model(DEFAULT_MODEL_PATH)
    canvas = DRAWINGS[label]()
    on_canvas = model.predict_proba(preprocess_canvas(canvas).ravel())
    stored = model.predict_proba(preprocess_canvas(as_drawing(canvas)).ravel())
    assert on_canvas.argmax() == stored.argmax() == int(label)
    np.testing.assert_allclose(stored, on_canvas, atol=0.02)


def test_as_drawing_keeps_a_drawing_of_the_right_size_and_pads_a_wide_one():
    drawing = as_drawing(bar(DRAWING_SIDE))
    np.testing.assert_array_equal(drawing, bar(DRAWING_SIDE))
    wide = np.zeros((INK_SIDE // 2, INK_SIDE), dtype=np.uint8)
    wide[:, 100:140] = 255  # a full-height stroke
    rows = np.flatnonzero(as_drawing(wide).any(axis=1))
    assert (rows[0], rows[-1]) == (DRAWING_SIDE // 4, 3 * DRAWING_SIDE // 4 - 1)  # not stretched


def test_as_drawing_reads_float_canvases():
    np.testing.assert_array_equal(as_drawing(ring() / 255.0), as_drawing(ring()))


# --- files ------------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [0, N])
def test_round_trip_preserves_everything(samples, tmp_path, n):
    original = samples if n else PersonalSamples.empty(PREPROCESSING_VERSION)
    path = save_samples(original, tmp_path / "samples.npz")
    assert path == tmp_path / "samples.npz"
    assert_same(load_samples(path), original)


def test_saved_file_is_a_plain_npz_numpy_reads_without_pickle(samples, tmp_path):
    path = save_samples(samples, tmp_path / "samples.npz")
    with np.load(path, allow_pickle=False) as npz:
        assert sorted(npz.files) == ["X", "drawings", "format", "preprocessing_version", "y"]
        assert int(npz["format"]) == SAMPLES_FORMAT


def test_overwriting_keeps_the_files_mode(samples, tmp_path):
    path = save_samples(samples, tmp_path / "samples.npz")
    path.chmod(0o640)
    save_samples(samples.remove(0), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert len(load_samples(path)) == N - 1


@pytest.mark.parametrize(
    "error", [OSError("disk full"), KeyboardInterrupt()], ids=["disk_full", "interrupted"]
)
def test_failed_save_keeps_the_previous_file_and_leaves_no_temp_file(
    samples, tmp_path, monkeypatch, error
):
    path = save_samples(samples, tmp_path / "samples.npz")
    before = path.read_bytes()
    real = np.savez_compressed

    def save_then_fail(file, **arrays):
        real(file, X=arrays["X"])  # part of the archive reaches the disk first
        raise error

    monkeypatch.setattr(np, "savez_compressed", save_then_fail)
    with pytest.raises(type(error)):
        save_samples(samples.remove(0), path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["samples.npz"]
    assert_same(load_samples(path), samples)


@pytest.mark.parametrize(
    ("target", "says"),
    [
        ("no/such/folder/samples.npz", "folder does not exist"),
    ],
)
def test_saving_into_a_missing_folder_is_refused(samples, tmp_path, target, says):
    with pytest.raises(ValueError, match=says):
        save_samples(samples, tmp_path / target)


def test_saving_something_else_is_refused(tmp_path):
    with pytest.raises(ValueError, match="PersonalSamples"):
        save_samples({"X": np.zeros((1, N_FEATURES))}, tmp_path / "s.npz")


# --- bad files --------------------------------------------------------------------------------


def valid_arrays(samples: PersonalSamples) -> dict[str, np.ndarray]:
    return {
        "X": samples.X,
        "y": samples.y,
        "drawings": samples.drawings,
        "preprocessing_version": np.array(samples.preprocessing_version),
        "format": np.array(SAMPLES_FORMAT),
    }


def _altered(**changes):
    """A bad file: the valid arrays with some replaced (or removed, for None)."""

    def make(path: Path, samples: PersonalSamples) -> None:
        arrays = valid_arrays(samples)
        for key, value in changes.items():
            if value is None:
                arrays.pop(key)
            else:
                arrays[key] = value
        with open(path, "wb") as fh:
            np.savez_compressed(fh, **arrays)

    return make


def _raw(data: bytes):
    def make(path: Path, samples: PersonalSamples) -> None:
        path.write_bytes(data)

    return make


def _truncated(path: Path, samples: PersonalSamples) -> None:
    save_samples(samples, path)
    path.write_bytes(path.read_bytes()[:-200])


def _corrupted(path: Path, samples: PersonalSamples) -> None:
    save_samples(samples, path)
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 64] = bytes(64)  # the compressed drawings no longer decompress
    path.write_bytes(bytes(data))


def _bad_deflate_block(path: Path, samples: PersonalSamples) -> None:
    """The first byte of the compressed drawings inverted: zipfile raises zlib.error."""
    path.write_bytes(damaged_samples())


def _model_file(path: Path, samples: PersonalSamples) -> None:
    rng = np.random.default_rng(0)
    save_model(
        SoftmaxModel(
            W=rng.normal(size=(N_FEATURES, 10)).astype(np.float32), b=np.zeros(10, np.float32)
        ),
        path,
    )


def _x_with(value: float):
    def change(samples: PersonalSamples) -> np.ndarray:
        X = samples.X.copy()
        X[1, 400] = value
        return X

    return change


def _lazy(**changes):
    """Like _altered, but each change is computed from the valid samples."""

    def make(path: Path, samples: PersonalSamples) -> None:
        _altered(**{k: f(samples) for k, f in changes.items()})(path, samples)

    return make


def _header_declaring(key: str, shape: tuple[int, ...], descr: str):
    """A member whose header declares ``shape`` but which holds only a few bytes."""

    def make(path: Path, samples: PersonalSamples) -> None:
        save_samples(samples, path)
        with zipfile.ZipFile(path) as archive:
            members = {name: archive.read(name) for name in archive.namelist()}
        buf = io.BytesIO()
        npy_format.write_array_header_1_0(
            buf, {"descr": descr, "fortran_order": False, "shape": shape}
        )
        members[f"{key}.npy"] = buf.getvalue() + b"\0" * 64
        with zipfile.ZipFile(path, "w") as archive:
            for name, data in members.items():
                archive.writestr(name, data)

    return make


DRAWINGS_SHAPE = (N, DRAWING_SIDE, DRAWING_SIDE)
#: kind -> (what the message must say, how to write the bad file)
BAD_FILES = {
    "zero_bytes": ("empty", _raw(b"")),
    "text_file": ("not a samples file", _raw(b"X = [[0.1]]\nnot an archive\n")),
    "truncated": ("samples file", _truncated),
    "corrupted": ("unreadable samples file", _corrupted),
    "bad_deflate_block": ("drawings is damaged", _bad_deflate_block),
    "a_model_file": ("missing keys", _model_file),
    "missing_key": ("missing keys", _altered(drawings=None)),
    "extra_key": ("unexpected keys", _altered(note=np.arange(3))),
    "X_wrong_width": ("X must be", _altered(X=np.zeros((N, N_FEATURES - 1), np.float32))),
    "X_1d": ("X must be", _altered(X=np.zeros(N_FEATURES, np.float32))),
    "X_float64": ("X must be", _altered(X=np.zeros((N, N_FEATURES)))),
    "X_nan": ("NaN", _lazy(X=_x_with(np.nan))),
    "X_inf": ("infinite", _lazy(X=_x_with(np.inf))),
    "X_above_1": (r"\[0, 1\]", _lazy(X=_x_with(1.5))),
    "y_float": ("y must be", _altered(y=np.array([1.0, 0.0, 7.0]))),
    "y_too_long": ("3 rows but y has 4", _altered(y=np.array([1, 0, 7, 2]))),
    "y_label_10": ("labels must be in 0-9", _altered(y=np.array([1, 10, 7]))),
    "y_label_negative": ("labels must be in 0-9", _altered(y=np.array([1, -1, 7]))),
    "drawings_short": (
        "drawings must be",
        _altered(drawings=np.zeros((N - 1, 280, 280), np.uint8)),
    ),
    "drawings_wrong_side": ("drawings must be", _altered(drawings=np.zeros((N, 28, 28), np.uint8))),
    "drawings_float": ("drawings must be", _altered(drawings=np.zeros(DRAWINGS_SHAPE))),
    "unknown_preprocessing_version": (
        "preprocessing version 99",
        _altered(preprocessing_version=np.array(99)),
    ),
    "preprocessing_version_float": (
        "preprocessing_version must be one integer",
        _altered(preprocessing_version=np.array(3.0)),
    ),
    "newer_format": ("samples format 2", _altered(format=np.array(2))),
    "huge_declared_X": ("declares", _header_declaring("X", (10**9, N_FEATURES), "<f4")),
    "X_big_endian": ("X must be", _header_declaring("X", (N, N_FEATURES), ">f4")),
}


@pytest.mark.parametrize("kind", BAD_FILES)
def test_bad_samples_file_raises_value_error_naming_the_file(samples, tmp_path, kind):
    says, make = BAD_FILES[kind]
    path = tmp_path / f"bad-{kind}.npz"
    make(path, samples)
    with pytest.raises(ValueError, match=says) as info:
        load_samples(path)
    assert str(info.value).startswith(str(path))


@pytest.mark.parametrize("target", ["missing.npz", "a-folder.npz"])
def test_a_path_that_is_not_a_file_is_refused(tmp_path, target):
    if target == "a-folder.npz":
        (tmp_path / target).mkdir()
    with pytest.raises(ValueError, match="file not found") as info:
        load_samples(tmp_path / target)
    assert target in str(info.value)


class _MakesMarker:
    """Unpickling this calls os.mkdir(marker): proof that code ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.mkdir, (str(self.marker),))


@pytest.mark.parametrize("key", ["X", "y", "format"])
def test_a_pickled_object_array_is_refused_without_unpickling(samples, tmp_path, key):
    marker = tmp_path / "code-ran"
    evil = np.empty((), dtype=object)
    evil[()] = _MakesMarker(marker)
    path = tmp_path / "evil.npz"
    _altered(**{key: evil})(path, samples)
    with pytest.raises(ValueError, match="object array") as info:
        load_samples(path)
    assert str(info.value).startswith(str(path))
    assert not marker.exists()


def test_conflicts_name_each_drawing_taught_different_digits():
    rng = np.random.default_rng(0)
    drawing = rng.integers(0, 255, (DRAWING_SIDE, DRAWING_SIDE), dtype=np.uint8)
    a, b = rng.random((2, N_FEATURES), dtype=np.float32)
    samples = PersonalSamples.empty(PREPROCESSING_VERSION)
    for x, label in ((a, 3), (b, 5), (a, 3), (a, 9)):
        samples = samples.add(x, label, drawing)
    assert samples.conflicts() == [(0, 2, 3)]
    assert samples.remove(3).conflicts() == []  # the same digit twice is no conflict
