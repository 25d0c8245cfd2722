"""Damaged copies of every file the program reads, for the property-based tests and the bench.

Each reader in :data:`READERS` knows how to make a valid file of its kind, where the bytes that
matter most are (its "hot" ranges: zip and ``.npy`` headers, the start of compressed data) and
how to load a file of its kind. :func:`damage` turns a valid file into a damaged one, drawing
every choice from a :class:`Chooser`, so the same mutations serve hypothesis (``st.data()``)
and the bench (a seeded numpy generator).

Only the readers' public behaviour is used (``load_model``, ``load_samples``, ``load_idx``,
``load_cached``), so the bench also runs on older commits to measure them.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import struct
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from engine import DEFAULT_MODEL_PATH, PREPROCESSING_VERSION, PersonalSamples, load_model
from engine.data import idx
from engine.personal.samples import load_samples, save_samples

#: Bytes treated as a member's ``.npy`` header (the header is padded to 64 or 128 bytes).
NPY_HEADER_SPAN = 128
#: Bytes at the start of a gzip or deflate stream whose damage the tests want to see often.
STREAM_HEAD = 64
MAX_FLIPS = 8
MAX_SPLICE = 256


class Chooser(Protocol):
    """Where :func:`damage` gets its choices: an integer in [lo, hi], and n bytes."""

    def integer(self, lo: int, hi: int) -> int: ...

    def raw(self, n: int) -> bytes: ...


@dataclass(frozen=True)
class Reader:
    """One kind of file: how to make a valid one, its hot ranges, and how to load it."""

    name: str
    suffix: str
    make: Callable[[], bytes]
    load: Callable[[Path], object]


# --- valid files -----------------------------------------------------------------------------
def model_arrays() -> dict[str, np.ndarray]:
    """The shipped model's arrays, as ``save_model`` writes them."""
    with np.load(DEFAULT_MODEL_PATH, allow_pickle=False) as archive:
        return {key: archive[key] for key in archive.files}


def npz_bytes(arrays: dict[str, np.ndarray], *, compressed: bool = False) -> bytes:
    buf = io.BytesIO()
    (np.savez_compressed if compressed else np.savez)(buf, **arrays)
    return buf.getvalue()


def model_saved() -> bytes:
    return DEFAULT_MODEL_PATH.read_bytes()


def model_compressed() -> bytes:
    return npz_bytes(model_arrays(), compressed=True)


def small_samples(n: int = 3) -> PersonalSamples:
    """``n`` samples: a few strokes of ink on each page (compresses like real drawings)."""
    rng = np.random.default_rng(0)
    samples = PersonalSamples.empty(PREPROCESSING_VERSION)
    for k in range(n):
        page = np.zeros((280, 280), np.uint8)
        page[60 + 10 * k : 220, 130:150] = 255
        x = rng.random(784, dtype=np.float32)
        samples = samples.add(x, k % 10, page)
    return samples


def samples_bytes() -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        return save_samples(small_samples(), Path(folder) / "samples.npz").read_bytes()


def idx_images() -> np.ndarray:
    return (np.arange(5 * 28 * 28) % 251).astype(np.uint8).reshape(5, 28, 28)


def idx_gz_bytes() -> bytes:
    arr = idx_images()
    header = struct.pack(">HBB", 0, 0x08, 3) + struct.pack(">3I", *arr.shape)
    return gzip.compress(header + arr.tobytes(), mtime=0)


def cache_bytes() -> bytes:
    buf = io.BytesIO()
    np.save(buf, idx_images(), allow_pickle=False)
    return buf.getvalue()


# --- two damaged files the readers used to crash on --------------------------------------------
def damaged_samples() -> bytes:
    """A samples file whose compressed drawings start with a bad deflate block (zipfile let
    its ``zlib.error`` through)."""
    raw = samples_bytes()
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        start = archive.getinfo("drawings.npy").header_offset
    n_name, n_extra = struct.unpack("<HH", raw[start + 26 : start + 30])  # the local header's
    at = start + 30 + n_name + n_extra
    return raw[:at] + bytes([raw[at] ^ 0xFF]) + raw[at + 1 :]


def damaged_model() -> bytes:
    """The shipped model with W's ``.npy`` header left open (numpy's header parser let its
    ``tokenize.TokenError`` through). W is (n_features, 10), whatever its input map."""
    return re.sub(rb"\((\d+), 10\)", rb"(\1, 10 ", model_saved(), count=1)


# --- loading ---------------------------------------------------------------------------------
def load_cache(path: Path) -> np.ndarray:
    """The cache reader: an array, or ValueError standing for "rebuilt from its source"."""
    arr = idx.load_cached(path, 3)
    if arr is None:
        raise ValueError(f"{path}: sent back for rebuilding")
    return arr


READERS = {
    r.name: r
    for r in (
        Reader("model npz as saved", ".npz", model_saved, load_model),
        Reader("model npz compressed", ".npz", model_compressed, load_model),
        Reader("personal samples npz", ".npz", samples_bytes, load_samples),
        Reader("IDX gz", ".gz", idx_gz_bytes, lambda p: idx.load_idx(p, 3)),
        Reader("cache npy", ".npy", cache_bytes, load_cache),
    )
}


# --- where the bytes that matter are ---------------------------------------------------------
def hot_ranges(raw: bytes) -> list[tuple[int, int]]:
    """Byte ranges [start, end) worth damaging more often than the rest: each zip member's
    local header, the start of its data (its ``.npy`` header, or the head of its deflate
    stream), the central directory; a ``.npy``'s header; a gzip file's header, stream head
    and trailer."""
    if raw[:2] == b"PK":
        ranges = []
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            for info in archive.infolist():
                start = info.header_offset
                n_name, n_extra = struct.unpack("<HH", raw[start + 26 : start + 30])
                data = start + 30 + n_name + n_extra
                ranges += [(start, data), (data, data + min(info.compress_size, NPY_HEADER_SPAN))]
            directory = raw.rfind(b"PK\x01\x02", 0, len(raw))
            first = raw.find(b"PK\x01\x02")
            ranges.append((first if first >= 0 else directory, len(raw)))
        return ranges
    if raw[:2] == b"\x1f\x8b":
        return [(0, 10 + STREAM_HEAD), (len(raw) - 8, len(raw))]
    return [(0, NPY_HEADER_SPAN)]


# --- damage ----------------------------------------------------------------------------------
def _position(raw: bytes, hot: list[tuple[int, int]], choose: Chooser) -> int:
    """A byte offset: half the time inside a hot range."""
    if hot and choose.integer(0, 1):
        start, end = hot[choose.integer(0, len(hot) - 1)]
        return choose.integer(start, max(start, min(end, len(raw)) - 1))
    return choose.integer(0, len(raw) - 1)


def flip_bits(raw: bytes, hot: list[tuple[int, int]], choose: Chooser) -> bytes:
    out = bytearray(raw)
    for _ in range(choose.integer(1, MAX_FLIPS)):
        out[_position(raw, hot, choose)] ^= 1 << choose.integer(0, 7)
    return bytes(out)


def truncate(raw: bytes, hot: list[tuple[int, int]], choose: Chooser) -> bytes:
    return raw[: choose.integer(0, len(raw) - 1)]


def splice(raw: bytes, hot: list[tuple[int, int]], choose: Chooser) -> bytes:
    """Delete a range, copy one elsewhere, or put a foreign file's bytes in."""
    at = _position(raw, hot, choose)
    n = choose.integer(1, MAX_SPLICE)
    how = choose.integer(0, 2)
    if how == 0:
        return raw[:at] + raw[at + n :]
    if how == 1:
        src = choose.integer(0, len(raw) - 1)
        return raw[:at] + raw[src : src + n] + raw[at:]
    foreign = json.dumps({"format": "something else", "data": list(range(64))}).encode()
    return raw[:at] + foreign[:n] + raw[at + n :]


def random_bytes(raw: bytes, hot: list[tuple[int, int]], choose: Chooser) -> bytes:
    """Overwrite a range with random bytes, or replace the whole file by them."""
    if choose.integer(0, 3) == 0:
        return choose.raw(choose.integer(0, 2 * MAX_SPLICE))
    at = _position(raw, hot, choose)
    n = choose.integer(1, MAX_SPLICE)
    return raw[:at] + choose.raw(n) + raw[at + n :]


MUTATIONS: dict[str, Callable[[bytes, list[tuple[int, int]], Chooser], bytes]] = {
    "bit flips": flip_bits,
    "truncation": truncate,
    "splice": splice,
    "random bytes": random_bytes,
}


def damage(raw: bytes, choose: Chooser) -> tuple[str, bytes]:
    """``raw`` with one kind of damage (chosen by ``choose``); returns its name and the bytes."""
    name = list(MUTATIONS)[choose.integer(0, len(MUTATIONS) - 1)]
    return name, MUTATIONS[name](raw, hot_ranges(raw), choose)


class RandomChooser:
    """Choices from a seeded numpy generator (the bench)."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng

    def integer(self, lo: int, hi: int) -> int:
        return int(self.rng.integers(lo, hi + 1))

    def raw(self, n: int) -> bytes:
        return self.rng.bytes(n)
