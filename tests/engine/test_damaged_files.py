"""Every reader turns a damaged file into a load or a ValueError naming the file, never another
exception: bit flips (also inside compressed members and ``.npy`` headers), truncation,
spliced and random bytes (tests/damage.py), and valid archives holding the wrong members,
dtypes, shapes or values.

The default suite runs a fixed, derandomized sample of each property; ``-m fuzz`` runs
thousands per reader with fresh random choices.
"""

from __future__ import annotations

import io
import struct
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import engine
from engine.cli import EXIT_BAD_INPUT
from engine.cli import main as cli_main
from engine.data import datasets, idx
from engine.data.files import UNREADABLE_SUFFIX, set_aside, write_atomic
from engine.data.model_io import REQUIRED_KEYS as MODEL_KEYS
from engine.personal.samples import KEYS as SAMPLES_KEYS

from ..damage import (
    READERS,
    Chooser,
    damage,
    damaged_model,
    damaged_samples,
    idx_images,
    model_arrays,
    npz_bytes,
    small_samples,
)

#: Examples per property: a fixed sample in the default suite, thousands behind -m fuzz.
DEFAULT_EXAMPLES, FUZZ_EXAMPLES = 40, 3000
BUDGETS = [
    pytest.param(DEFAULT_EXAMPLES, id="sample"),
    pytest.param(FUZZ_EXAMPLES, id="fuzz", marks=pytest.mark.fuzz),
]


def budget(examples: int) -> settings:
    """The default suite's sample is derandomized (the same files on every run and in CI)."""
    return settings(
        max_examples=examples,
        derandomize=examples == DEFAULT_EXAMPLES,
        deadline=None,
        database=None,  # nothing written into the checkout
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


class DrawChooser(Chooser):
    """:func:`tests.damage.damage`'s choices drawn by hypothesis (so failures shrink)."""

    def __init__(self, data: st.DataObject) -> None:
        self.data = data

    def integer(self, lo: int, hi: int) -> int:
        return self.data.draw(st.integers(lo, hi))

    def raw(self, n: int) -> bytes:
        return self.data.draw(st.binary(min_size=n, max_size=n))


def loads_or_refuses(reader_name: str, path: Path) -> object | None:
    """What the reader makes of ``path``: its result, or None for a ValueError naming the file.
    Any other exception fails the test."""
    try:
        return READERS[reader_name].load(path)
    except ValueError as exc:
        assert path.name in str(exc), f"the message does not name the file: {exc}"
        return None


@pytest.fixture(scope="module")
def valid_files() -> dict[str, bytes]:
    return {name: reader.make() for name, reader in READERS.items()}


def test_the_two_files_that_used_to_crash_the_app_give_value_errors(tmp_path):
    for name, raw, load in (
        ("samples.npz", damaged_samples(), engine.load_samples),
        ("model.npz", damaged_model(), engine.load_model),
    ):
        path = tmp_path / name
        path.write_bytes(raw)
        with pytest.raises(ValueError, match=f"{name}: unreadable"):
            load(path)


def test_the_valid_files_load(tmp_path, valid_files):
    for name, raw in valid_files.items():
        path = tmp_path / f"valid{READERS[name].suffix}"
        path.write_bytes(raw)
        assert loads_or_refuses(name, path) is not None, name


# --- damaged bytes -----------------------------------------------------------------------------
@pytest.mark.parametrize("examples", BUDGETS)
@pytest.mark.parametrize("reader", list(READERS))
def test_a_damaged_file_loads_or_raises_value_error(tmp_path, valid_files, reader, examples):
    raw = valid_files[reader]
    path = tmp_path / f"damaged{READERS[reader].suffix}"

    @budget(examples)
    @given(st.data())
    def check(data: st.DataObject) -> None:
        _, damaged = damage(raw, DrawChooser(data))
        path.write_bytes(damaged)
        loads_or_refuses(reader, path)

    check()


# --- valid archives with the wrong contents ----------------------------------------------------
DTYPES = st.sampled_from(
    ["float32", "float64", "float16", "int64", "int32", "int8", "uint8", "bool", "<U8", "S4"]
)


def odd_floats(dtype: np.dtype) -> st.SearchStrategy[float]:
    """Any float ``dtype`` holds, NaN and infinities included."""
    return st.floats(allow_nan=True, allow_infinity=True, width=8 * dtype.itemsize)


def cast(arr: np.ndarray, dtype: str) -> np.ndarray:
    """``arr.astype(dtype)``, overflow and NaN-to-int included (that is the point)."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return arr.astype(dtype)


@st.composite
def odd_array(draw) -> np.ndarray:
    """A small array of any dtype and shape, with NaN, infinities and extreme values."""
    dtype = np.dtype(draw(DTYPES))
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4))
    elements = odd_floats(dtype) if dtype.kind == "f" else None
    return draw(hnp.arrays(dtype, shape, elements=elements))


@st.composite
def wrong_contents(draw, valid: dict[str, np.ndarray]) -> dict[str, object]:
    """``valid``'s arrays with one to three changes: a member dropped, added, replaced by an
    odd array, cast to another dtype, reshaped, given odd values, or made an object array."""
    arrays: dict[str, object] = dict(valid)
    for _ in range(draw(st.integers(1, 3))):
        key = draw(st.sampled_from(sorted(valid)))
        how = draw(
            st.sampled_from(["drop", "add", "replace", "cast", "reshape", "values", "object"])
        )
        current = np.asarray(arrays.get(key, valid[key]))
        if how == "drop":
            arrays.pop(key, None)
        elif how == "add":
            arrays[draw(st.sampled_from(["extra", "W_old", "labels"]))] = draw(odd_array())
        elif how == "replace":
            arrays[key] = draw(odd_array())
        elif how == "cast":
            try:
                arrays[key] = cast(current, draw(DTYPES))
            except (ValueError, TypeError):  # text that is not a number, an object array
                arrays[key] = draw(odd_array())
        elif how == "reshape":
            arrays[key] = current.reshape(-1) if current.ndim != 1 else current[None]
        elif how == "values" and current.dtype.kind in "fiu" and current.size:
            flat = current.astype(current.dtype, copy=True).reshape(-1)
            at = draw(st.integers(0, flat.size - 1))
            odd = draw(
                odd_floats(current.dtype)
                if current.dtype.kind == "f"
                else st.integers(np.iinfo(current.dtype).min, np.iinfo(current.dtype).max)
            )
            flat[at] = odd
            arrays[key] = flat.reshape(current.shape)
        elif how == "object":
            arrays[key] = np.array([{"W": 1}, None], dtype=object)
    return arrays


def samples_arrays() -> dict[str, np.ndarray]:
    s = small_samples(2)
    return {
        "format": np.array(1, np.int64),
        "preprocessing_version": np.array(s.preprocessing_version, np.int64),
        "X": s.X,
        "y": s.y,
        "drawings": s.drawings,
    }


ARCHIVES = {
    "model": (model_arrays, "model npz as saved", MODEL_KEYS),
    "samples": (samples_arrays, "personal samples npz", SAMPLES_KEYS),
}


@pytest.mark.parametrize("examples", BUDGETS)
@pytest.mark.parametrize("kind", list(ARCHIVES))
def test_an_archive_with_wrong_contents_loads_or_raises_value_error(tmp_path, kind, examples):
    make, reader, keys = ARCHIVES[kind]
    valid = make()
    assert set(keys) <= set(valid)  # a mapped model (the shipped one) adds its map's arrays
    path = tmp_path / "wrong.npz"

    @budget(examples)
    @given(wrong_contents(valid), st.booleans())
    def check(arrays: dict[str, np.ndarray], compressed: bool) -> None:
        path.write_bytes(npz_bytes(arrays, compressed=compressed))  # pickles object arrays
        loaded = loads_or_refuses(reader, path)
        if isinstance(loaded, engine.SoftmaxModel):
            assert loaded.W.dtype == np.float32 and np.isfinite(loaded.W).all()
        elif loaded is not None:
            assert len(loaded.X) == len(loaded.y) == len(loaded.drawings)

    check()


@pytest.mark.parametrize("examples", BUDGETS)
def test_a_cache_npy_of_the_wrong_kind_is_sent_back(tmp_path, examples):
    path = tmp_path / "cache.npy"

    @budget(examples)
    @given(odd_array() | st.just(np.array([None, {"a": 1}], dtype=object)))
    def check(arr: np.ndarray) -> None:
        buf = io.BytesIO()
        np.save(buf, arr, allow_pickle=True)  # an object array is pickled: must not load
        path.write_bytes(buf.getvalue())
        got = idx.load_cached(path, 3)
        assert got is None or (got.dtype == np.uint8 and got.ndim == 3)
        assert got is None or np.array_equal(got, arr)

    check()


@pytest.mark.parametrize("examples", BUDGETS)
def test_an_idx_file_with_a_lying_header_loads_or_raises_value_error(tmp_path, examples):
    path = tmp_path / "images-idx3-ubyte"

    @budget(examples)
    @given(
        st.integers(0, 0xFFFF),
        st.integers(0, 255),
        st.integers(0, 255),
        st.lists(st.integers(0, 2**32 - 1), max_size=4),
        st.integers(0, 3000),
    )
    def check(zero: int, code: int, ndim: int, dims: list[int], n_data: int) -> None:
        header = struct.pack(">HBB", zero, code, ndim) + struct.pack(f">{len(dims)}I", *dims)
        path.write_bytes(header + bytes(n_data))
        try:
            arr = idx.load_idx(path, 3)
        except ValueError as exc:
            assert path.name in str(exc)
        else:
            assert arr.dtype == np.uint8 and arr.ndim == 3

    check()


# --- the prepared-data cache is rebuilt -------------------------------------------------------
def test_a_damaged_prepared_cache_is_rebuilt_from_its_source(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    images = np.repeat(idx_images(), 2, axis=0)
    version = engine.PREPROCESSING_VERSION
    fresh = datasets._prepared(images, version, "key", lambda: False)
    [cache] = (tmp_path / "softmax-gui").glob("key.*.npy")
    good = cache.read_bytes()
    for damaged in (good[:50], good[:9] + b"\x00" + good[10:], b"(" * 200):  # cut; header
        cache.write_bytes(damaged)
        again = datasets._prepared(images, version, "key", lambda: False)
        np.testing.assert_array_equal(again, fresh)
        assert cache.read_bytes() == good  # rewritten


# --- the command line --------------------------------------------------------------------------
def test_evaluate_on_a_damaged_model_prints_one_error_and_exits_2(tmp_path, capsys):
    path = tmp_path / "damaged.npz"
    path.write_bytes(damaged_model())
    assert cli_main(["evaluate", str(path)]) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert err.startswith("error: ") and path.name in err and err.count("\n") == 1


# --- writing and setting aside -----------------------------------------------------------------
def test_a_failed_atomic_write_keeps_the_old_file_and_leaves_no_temp(tmp_path):
    path = tmp_path / "file.bin"
    path.write_bytes(b"old")

    def fail(fh):
        fh.write(b"half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_atomic(path, fail)
    assert path.read_bytes() == b"old" and sorted(tmp_path.iterdir()) == [path]
    write_atomic(path, lambda fh: fh.write(b"new"))
    assert path.read_bytes() == b"new" and sorted(tmp_path.iterdir()) == [path]


def test_set_aside_never_replaces_an_earlier_file_set_aside(tmp_path):
    path = tmp_path / "samples.npz"
    kept = []
    for k in range(3):
        path.write_bytes(f"version {k}".encode())
        kept.append(set_aside(path))
        assert not path.exists()
    assert len(set(kept)) == 3
    assert [p.read_bytes() for p in kept] == [b"version 0", b"version 1", b"version 2"]
    assert all(p.name.startswith(f"samples.npz{UNREADABLE_SUFFIX}") for p in kept)


def test_set_aside_of_a_missing_file_raises_and_leaves_nothing(tmp_path):
    with pytest.raises(OSError):
        set_aside(tmp_path / "gone.npz")
    assert list(tmp_path.iterdir()) == []
