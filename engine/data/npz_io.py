"""Plain ``.npz`` files written atomically and read without trusting their headers.

Shared by model files (:mod:`engine.data.model_io`) and personal-samples files
(:mod:`engine.personal.samples`). Writing goes to a fresh temporary file in the target's
folder, is synced, then renamed over the target, so an interrupted save leaves any previous
file intact. Reading checks each ``.npy`` header (format version, dtype, shape) before any data
is read, never unpickles, and bounds what a file can make the reader allocate.
"""

from __future__ import annotations

import math
import os
import uuid
import zipfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import numpy as np

#: Bytes read from an archive member at a time (bounds the reader's temporary buffer).
READ_CHUNK = 1 << 20

#: Checks one member's header before its data is read; raises ValueError saying what is wrong
#: (without the file name, which the reader puts in front).
HeaderCheck = Callable[[str, tuple[int, ...], np.dtype], None]


def write_npz_atomic(
    path: str | os.PathLike, arrays: Mapping[str, np.ndarray], *, compressed: bool = False
) -> Path:
    """Write ``arrays`` as an ``.npz`` at ``path``: a temporary file in the same folder, synced,
    then renamed over ``path``.

    An interrupted save leaves any previous file at ``path`` intact (a killed process may
    leave its ``.NAME.*.tmp`` behind; nothing else touches it). A new file gets the
    permissions a plain ``open()`` would give it (the umask applies); an overwritten one keeps
    its own.

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
    path = Path(path)
    if not path.parent.is_dir():
        raise ValueError(f"{path.parent}: folder does not exist")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    savez = np.savez_compressed if compressed else np.savez  # looked up now: tests patch them
    try:
        with open(tmp, "xb") as fh:  # a fresh name, created with the user's umask
            savez(fh, **arrays)  # type: ignore[arg-type]  # numpy's stubs: **kwds vs allow_pickle
            fh.flush()
            os.fsync(fh.fileno())
        if path.exists():  # overwriting keeps the file's permissions
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def read_npz_checked(
    path: str | os.PathLike,
    keys: Sequence[str],
    check_header: HeaderCheck,
    *,
    max_bytes: int,
    kind: str,
) -> dict[str, np.ndarray]:
    """Read exactly the arrays ``keys`` from the ``.npz`` at ``path``.

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
        missing or extra keys, an object array, a header ``check_header`` refuses, truncated
        or otherwise unreadable data.
    """
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"{path}: file not found")
    size = path.stat().st_size
    if size == 0:
        raise ValueError(f"{path}: file is empty (0 bytes)")
    if size > max_bytes:
        raise ValueError(f"{path}: {size} bytes is too large for a {kind}")
    if not zipfile.is_zipfile(path):
        raise ValueError(f"{path}: not a {kind} (expected an .npz archive)")
    try:
        with zipfile.ZipFile(path) as archive:
            return _read_members(path, archive, keys, check_header, max_bytes)
    except (OSError, zipfile.BadZipFile, EOFError, ValueError) as exc:
        if isinstance(exc, ValueError) and str(exc).startswith(str(path)):
            raise
        raise ValueError(f"{path}: unreadable {kind} ({exc})") from None


def _read_members(
    path: Path,
    archive: zipfile.ZipFile,
    keys: Sequence[str],
    check_header: HeaderCheck,
    max_bytes: int,
) -> dict[str, np.ndarray]:
    members = {name.removesuffix(".npy"): name for name in archive.namelist()}
    missing = [k for k in keys if k not in members]
    if missing:
        raise ValueError(f"{path}: missing keys {missing} (has {sorted(members)})")
    extra = sorted(set(members) - set(keys))
    if extra:
        raise ValueError(f"{path}: unexpected keys {extra}")
    arrays = {}
    for key in keys:
        info = archive.getinfo(members[key])
        if info.file_size > max_bytes:
            raise ValueError(f"{path}: {key} declares {info.file_size} bytes; too large")
        with archive.open(info) as fh:
            version = np.lib.format.read_magic(fh)
            if version == (1, 0):
                shape, fortran, dtype = np.lib.format.read_array_header_1_0(fh)
            elif version == (2, 0):
                shape, fortran, dtype = np.lib.format.read_array_header_2_0(fh)
            else:
                raise ValueError(f"{path}: {key} uses unsupported .npy format {version}")
            if dtype.hasobject:
                raise ValueError(f"{path}: {key} is an object array (needs pickle; refused)")
            try:
                check_header(key, shape, dtype)
            except ValueError as exc:
                raise ValueError(f"{path}: {exc}") from None
            arrays[key] = _read_data(path, key, fh, shape, fortran, dtype)
    return arrays


def _read_data(
    path: Path, key: str, fh, shape: tuple[int, ...], fortran: bool, dtype: np.dtype
) -> np.ndarray:
    """The array's bytes, read in chunks straight into its own buffer (no second copy)."""
    nbytes = math.prod(shape) * dtype.itemsize
    buf = np.empty(nbytes, dtype=np.uint8)
    filled = 0
    while filled < nbytes:
        chunk = fh.read(min(READ_CHUNK, nbytes - filled))
        if not chunk:
            raise ValueError(f"{path}: {key} is truncated ({filled} of {nbytes} bytes)")
        buf[filled : filled + len(chunk)] = np.frombuffer(chunk, dtype=np.uint8)
        filled += len(chunk)
    array = buf.view(dtype).reshape(shape, order="F" if fortran else "C")
    return np.ascontiguousarray(array) if fortran else array
