"""IDX (MNIST-format) files: reading, validating and caching one file.

IDX layout (big-endian): a 4-byte magic ``0x0000 08 NDIM`` (``08`` = unsigned byte), then
``NDIM`` 32-bit sizes, then the data. Images are ``NDIM = 3`` (count, rows, cols), labels
``NDIM = 1`` (count). Files may be gzipped. Every size is checked against the bytes actually
present before anything is allocated from it.
"""

from __future__ import annotations

import hashlib
import math
import os
import struct
import zlib
from pathlib import Path

import numpy as np

from engine.data.npz_io import read_npy_checked, write_npy_atomic

UBYTE = 0x08
#: Refuse to decompress more than this (a gzip bomb must not fill memory).
MAX_DECOMPRESSED_BYTES = 512 * 1024 * 1024
CACHE_FORMAT = 2


def read_raw(path: Path) -> bytes:
    """Whole file contents as stored, with errors that name the file."""
    if not path.is_file():
        raise ValueError(f"{path}: file not found")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ValueError(f"{path}: cannot be read ({exc.strerror})") from None
    if not raw:
        raise ValueError(f"{path}: file is empty (0 bytes)")
    return raw


def decompress(raw: bytes, path: Path) -> bytes:
    """``raw`` decompressed if gzipped (bounded by MAX_DECOMPRESSED_BYTES), else as is."""
    if raw[:2] != b"\x1f\x8b":
        return raw
    decomp = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        data = decomp.decompress(raw, MAX_DECOMPRESSED_BYTES + 1)
    except zlib.error as exc:
        raise ValueError(f"{path}: corrupt gzip data ({exc})") from None
    if len(data) > MAX_DECOMPRESSED_BYTES:
        raise ValueError(
            f"{path}: decompresses to more than {MAX_DECOMPRESSED_BYTES // 2**20} MiB; refusing"
        )
    if not decomp.eof:
        raise ValueError(f"{path}: truncated gzip file")
    return data


def parse_idx(data: bytes, name: str, expected_ndim: int) -> np.ndarray:
    """Parse IDX bytes into a uint8 array, validating magic and sizes against the bytes.

    Raises
    ------
    ValueError
        Naming ``name`` and what is wrong: short header, wrong magic, wrong number of
        dimensions, or a size that disagrees with the data present.
    """
    if len(data) < 4:
        raise ValueError(f"{name}: too short for an IDX header ({len(data)} bytes)")
    zero, dtype_code, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype_code != UBYTE:
        raise ValueError(
            f"{name}: wrong magic number 0x{data[:4].hex()} "
            f"(expected 0x0000080{expected_ndim} for unsigned-byte IDX)"
        )
    if ndim != expected_ndim:
        raise ValueError(f"{name}: has {ndim} dimensions, expected {expected_ndim}")
    header = 4 + 4 * ndim
    if len(data) < header:
        raise ValueError(f"{name}: truncated header ({len(data)} bytes, need {header})")
    dims = struct.unpack(f">{ndim}I", data[4:header])
    expected = math.prod(dims)  # Python ints: a huge declared size cannot wrap around
    present = len(data) - header
    if present != expected:
        kind = "truncated" if present < expected else "has trailing bytes"
        raise ValueError(
            f"{name}: {kind}: header declares dimensions {dims} = {expected} bytes of data, "
            f"file holds {present}"
        )
    return np.frombuffer(data, dtype=np.uint8, offset=header).reshape(dims)


def find_idx(directory: Path, stem: str) -> Path:
    for candidate in (directory / stem, directory / f"{stem}.gz"):
        if candidate.is_file():
            return candidate
    raise ValueError(f"{directory / stem}[.gz]: file not found")


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "softmax-gui"


def content_key(raw: bytes, *extra: object) -> str:
    """Cache key from the file's bytes (never stale) and whatever else shaped the result."""
    digest = hashlib.blake2b(raw, digest_size=16)
    digest.update(repr((CACHE_FORMAT, *extra)).encode())
    return digest.hexdigest()


def load_cached(path: Path, expected_ndim: int) -> np.ndarray | None:
    """The uint8 array of ``expected_ndim`` dimensions cached at ``path``; None when it is
    missing, unreadable, damaged or of another kind, so it is rebuilt from its source."""

    def check_header(key: str, shape: tuple[int, ...], dtype: np.dtype) -> None:
        if dtype != np.uint8 or len(shape) != expected_ndim:
            raise ValueError(f"expected {expected_ndim}-D uint8, got {shape} {dtype}")

    try:
        return read_npy_checked(
            path, check_header, max_bytes=MAX_DECOMPRESSED_BYTES, kind="data cache file"
        )
    except (OSError, ValueError):
        return None  # unreadable, damaged or half-written: rebuild it from the source


def store_cached(path: Path, arr: np.ndarray) -> None:
    """Keep ``arr`` at ``path`` for later loads (atomically); a cache that cannot be written
    only costs speed."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_npy_atomic(path, arr)
    except (OSError, ValueError):
        pass


def load_idx(
    path: str | os.PathLike,
    expected_ndim: int,
    *,
    sha256: str | None = None,
    use_cache: bool = False,
) -> np.ndarray:
    """Load one IDX file (raw or gzipped) as a uint8 array.

    With ``sha256``, the decompressed bytes must have that digest. With ``use_cache``, a
    validated copy is kept in the user's cache directory, keyed by a hash of the file's
    bytes and the expected digest, so later loads skip decompression and parsing.

    Raises
    ------
    ValueError
        For a missing, empty, truncated, corrupt or mis-declared file, or a checksum mismatch.
    """
    return load_idx_keyed(Path(path), expected_ndim, sha256, use_cache)[0]


def load_idx_keyed(
    path: Path, expected_ndim: int, sha256: str | None, use_cache: bool
) -> tuple[np.ndarray, str | None]:
    raw = read_raw(path)
    key = content_key(raw, path.name, expected_ndim, sha256) if use_cache else None
    cache = cache_dir() / f"{path.name}.{key}.npy" if key else None
    if cache is not None and cache.is_file():
        arr = load_cached(cache, expected_ndim)
        if arr is not None:
            return arr, key
    data = decompress(raw, path)
    if sha256 is not None:
        got = hashlib.sha256(data).hexdigest()
        if got != sha256:
            raise ValueError(f"{path}: checksum mismatch (SHA-256 {got}, expected {sha256})")
    arr = parse_idx(data, str(path), expected_ndim)
    if cache is not None:
        store_cached(cache, arr)
    return arr, key
