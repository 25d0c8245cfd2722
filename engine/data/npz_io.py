"""Plain ``.npz`` and ``.npy`` files written atomically and read without trusting them.

The one reading path for the engine's NumPy files: model files (:mod:`engine.data.model_io`),
personal-samples files (:mod:`engine.personal.samples`) and the prepared-data cache
(:mod:`engine.data.idx`). Writing goes through :func:`engine.data.files.write_atomic`, so an
interrupted save leaves any previous file intact. Reading checks each ``.npy`` header (format
version, dtype, shape, and its size against the bytes present) before any data is read, never
unpickles, checks each zip member's CRC, and turns whatever the zip, zlib or header decoders
raise on damaged bytes into a ``ValueError`` naming the file.
"""

from __future__ import annotations

import lzma
import math
import os
import struct
import tokenize
import zipfile
import zlib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import IO

import numpy as np

from engine.data.files import write_atomic

#: Bytes read from an archive member at a time (bounds the reader's temporary buffer).
READ_CHUNK = 1 << 20

#: Checks one member's header before its data is read; raises ValueError saying what is wrong
#: (without the file name, which the reader puts in front).
HeaderCheck = Callable[[str, tuple[int, ...], np.dtype], None]


def write_npz_atomic(
    path: str | os.PathLike, arrays: Mapping[str, np.ndarray], *, compressed: bool = False
) -> Path:
    """Write ``arrays`` as an ``.npz`` at ``path`` with :func:`engine.data.files.write_atomic`
    (a temporary file in the same folder, synced, then renamed over ``path``).

    Parameters
    ----------
    arrays : name -> array; none may need pickle to be read back.
    compressed : ``np.savez_compressed`` instead of ``np.savez``.

    Raises
    ------
    ValueError
        When the folder does not exist.
    OSError
        When writing fails (the previous file is kept, the temporary one removed).
    """
    savez = np.savez_compressed if compressed else np.savez  # looked up now: tests patch them
    return write_atomic(path, lambda fh: savez(fh, **arrays))  # type: ignore[arg-type]


def write_npy_atomic(path: str | os.PathLike, array: np.ndarray) -> Path:
    """Write ``array`` as a ``.npy`` at ``path`` atomically (no pickle); as
    :func:`write_npz_atomic`."""
    return write_atomic(path, lambda fh: np.save(fh, array, allow_pickle=False))


def read_npz_checked(
    path: str | os.PathLike,
    keys: Sequence[str],
    check_header: HeaderCheck,
    *,
    max_bytes: int,
    kind: str,
) -> dict[str, np.ndarray]:
    """Read exactly the arrays ``keys`` from the ``.npz`` at ``path``.

    Whatever a damaged file makes the zip, zlib or ``.npy`` header decoders raise becomes a
    ``ValueError``; each member's declared size is checked against the archive's before
    anything is allocated, and its CRC is checked once it is read.

    Parameters
    ----------
    keys : the members the file must hold, no more and no fewer.
    check_header : called with each member's key, shape and dtype before its data is read;
        object dtypes are refused before it is called.
    max_bytes : largest file, and largest uncompressed member, accepted.
    kind : what the file should be, for messages ("model file").

    Returns
    -------
    key -> a fresh, writable array with the shape and dtype its header declares.

    Raises
    ------
    ValueError
        Starting with the file's path: not a file, empty, too large, not an npz archive,
        missing or extra keys, an object array, a header ``check_header`` refuses, a size
        that disagrees with the archive, a bad checksum, truncated or otherwise damaged data.
    OSError
        When the file exists but cannot be opened (permissions).
    """
    path = _checked_size(Path(path), max_bytes, kind)
    if not zipfile.is_zipfile(path):
        raise ValueError(f"{path}: not a {kind} (expected an .npz archive)")
    try:
        with zipfile.ZipFile(path) as archive:
            return _read_members(path, archive, keys, check_header, max_bytes, kind)
    except _Refused as exc:  # worded already; a plain ValueError outside
        raise ValueError(str(exc)) from None
    except DECODE_ERRORS as exc:
        raise ValueError(f"{path}: unreadable {kind}: damaged archive ({_describe(exc)})") from None


def read_npy_checked(
    path: str | os.PathLike, check_header: HeaderCheck, *, max_bytes: int, kind: str
) -> np.ndarray:
    """Read the one array in the ``.npy`` at ``path``, checked as :func:`read_npz_checked`
    checks a member: the header is parsed without trusting it, ``check_header`` sees it
    (called with the key ``"array"``), and its declared size must be the file's.

    Raises
    ------
    ValueError
        Starting with the file's path: missing, empty, too large, not a ``.npy``, a header
        that cannot be parsed or that ``check_header`` refuses, a size that disagrees with
        the file's, truncated data.
    OSError
        When the file exists but cannot be opened (permissions).
    """
    path = _checked_size(Path(path), max_bytes, kind)
    with open(path, "rb") as fh:
        try:
            return _read_npy(path, "array", fh, path.stat().st_size, check_header, kind)
        except _Refused as exc:  # worded already; a plain ValueError outside
            raise ValueError(str(exc)) from None
        except DECODE_ERRORS as exc:
            raise ValueError(f"{path}: unreadable {kind}: damaged ({_describe(exc)})") from None


class _Refused(ValueError):
    """A refusal already worded for the user (starts with the file's path)."""


#: What the decoders raise on damaged bytes, besides ValueError: the zip layer (BadZipFile;
#: RuntimeError for a member flagged as encrypted; NotImplementedError for a zip version or
#: compression method it does not know; EOFError for a stream that ends early; OSError from
#: bz2; struct.error), the decompressors (zlib.error, lzma.LZMAError), the ``.npy`` header's
#: Python-literal parser (tokenize.TokenError, SyntaxError) and sizes (OverflowError,
#: MemoryError). Our own refusals are :class:`_Refused` and pass through untouched.
DECODE_ERRORS: tuple[type[BaseException], ...] = (
    ValueError,
    OSError,
    EOFError,
    zipfile.BadZipFile,
    zlib.error,
    lzma.LZMAError,
    RuntimeError,
    NotImplementedError,
    struct.error,
    tokenize.TokenError,
    SyntaxError,
    OverflowError,
    MemoryError,
)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, (tokenize.TokenError, SyntaxError)):
        return "its .npy header cannot be parsed"
    return " ".join(str(exc).split()) or type(exc).__name__


def _checked_size(path: Path, max_bytes: int, kind: str) -> Path:
    if not path.is_file():
        raise ValueError(f"{path}: file not found")
    size = path.stat().st_size
    if size == 0:
        raise ValueError(f"{path}: file is empty (0 bytes)")
    if size > max_bytes:
        raise ValueError(f"{path}: {size} bytes is too large for a {kind}")
    return path


def _read_members(
    path: Path,
    archive: zipfile.ZipFile,
    keys: Sequence[str],
    check_header: HeaderCheck,
    max_bytes: int,
    kind: str,
) -> dict[str, np.ndarray]:
    members = {name.removesuffix(".npy"): name for name in archive.namelist()}
    missing = [k for k in keys if k not in members]
    if missing:
        raise _Refused(f"{path}: missing keys {missing} (has {sorted(members)})")
    extra = sorted(set(members) - set(keys))
    if extra:
        raise _Refused(f"{path}: unexpected keys {extra}")
    arrays = {}
    for key in keys:
        info = archive.getinfo(members[key])
        if info.file_size > max_bytes:
            raise _Refused(f"{path}: {key} declares {info.file_size} bytes; too large")
        try:
            with archive.open(info) as fh:
                arrays[key] = _read_npy(path, key, fh, info.file_size, check_header, kind)
        except _Refused:
            raise
        except DECODE_ERRORS as exc:
            detail = _describe(exc)
            raise _Refused(f"{path}: unreadable {kind}: {key} is damaged ({detail})") from None
    return arrays


def _read_npy(
    path: Path, key: str, fh: IO[bytes], size: int, check_header: HeaderCheck, kind: str
) -> np.ndarray:
    """One ``.npy`` stream of ``size`` bytes: header checked, then exactly its data."""
    version = np.lib.format.read_magic(fh)
    if version == (1, 0):
        shape, fortran, dtype = np.lib.format.read_array_header_1_0(fh)
    elif version == (2, 0):
        shape, fortran, dtype = np.lib.format.read_array_header_2_0(fh)
    else:
        raise _Refused(f"{path}: {key} uses unsupported .npy format {version}")
    if dtype.hasobject:
        raise _Refused(f"{path}: {key} is an object array (needs pickle; refused)")
    try:
        check_header(key, shape, dtype)
    except ValueError as exc:
        raise _Refused(f"{path}: {exc}") from None
    nbytes = math.prod(shape) * dtype.itemsize  # Python ints: a huge shape cannot wrap around
    if fh.tell() + nbytes != size:
        raise _Refused(
            f"{path}: unreadable {kind}: {key} declares shape {shape} {dtype} ({nbytes:,} bytes) "
            f"but holds {size - fh.tell():,} bytes of data"
        )
    return _read_data(path, key, fh, shape, fortran, dtype, nbytes)


def _read_data(
    path: Path,
    key: str,
    fh: IO[bytes],
    shape: tuple[int, ...],
    fortran: bool,
    dtype: np.dtype,
    nbytes: int,
) -> np.ndarray:
    """The array's bytes, read in chunks straight into its own buffer (no second copy); then
    the end of the stream, which is where a zip member's CRC is checked."""
    buf = np.empty(nbytes, dtype=np.uint8)
    filled = 0
    while filled < nbytes:
        chunk = fh.read(min(READ_CHUNK, nbytes - filled))
        if not chunk:
            raise _Refused(f"{path}: {key} is truncated ({filled} of {nbytes} bytes)")
        buf[filled : filled + len(chunk)] = np.frombuffer(chunk, dtype=np.uint8)
        filled += len(chunk)
    if fh.read(1):
        raise _Refused(f"{path}: {key} has data after its {nbytes} bytes")
    array = buf.view(dtype).reshape(shape, order="F" if fortran else "C")
    return np.ascontiguousarray(array) if fortran else array
