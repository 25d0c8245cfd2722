"""The user's files on disk: written atomically, and set aside (never deleted) when unreadable.

Every file the program writes (models, personal samples, the data cache, the GUI's run history)
goes through :func:`write_atomic`; every file it gives up on reading goes through
:func:`set_aside`.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

#: An unreadable file is renamed to ``<name><suffix><timestamp>`` (then ``-2``, ``-3``, …).
UNREADABLE_SUFFIX = ".unreadable-"


def write_atomic(path: str | os.PathLike, write: Callable[[BinaryIO], object]) -> Path:
    """Call ``write`` on a fresh temporary file in ``path``'s folder, sync it, then rename it
    over ``path``.

    An interrupted or failed write leaves any previous file at ``path`` intact and removes the
    temporary file (a killed process may leave its ``.NAME.*.tmp`` behind; nothing else
    touches it). A new file gets the permissions a plain ``open()`` would give it (the umask
    applies); an overwritten one keeps its own.

    Parameters
    ----------
    path : the file to write.
    write : writes the whole contents to the binary file handle it is given.

    Returns
    -------
    ``path`` as a :class:`~pathlib.Path`.

    Raises
    ------
    ValueError
        When the folder does not exist.
    OSError
        When writing fails (the previous file is kept, the temporary one removed); also
        whatever ``write`` raises, after the same clean-up.
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise ValueError(f"{path.parent}: folder does not exist")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with open(tmp, "xb") as fh:  # a fresh name, created with the user's umask
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())  # looked up now: tests patch it
        if path.exists():  # overwriting keeps the file's permissions
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def set_aside(path: str | os.PathLike, suffix: str = UNREADABLE_SUFFIX) -> Path:
    """Rename ``path`` to ``<name><suffix><YYYYmmdd-HHMMSS>`` beside it (``-2``, ``-3``, …
    when that is taken), so the program can start without it and the user keeps it.

    The new name is claimed with an exclusive create before the rename, so an earlier file
    set aside is never replaced, even by another process doing the same.

    Returns
    -------
    The path the file now has.

    Raises
    ------
    OSError
        When it cannot be renamed (then it is where it was, and no placeholder is left).
    """
    path = Path(path)
    stem = f"{path.name}{suffix}{time.strftime('%Y%m%d-%H%M%S')}"
    for n in range(1, 10_000):
        target = path.with_name(stem if n == 1 else f"{stem}-{n}")
        try:
            open(target, "xb").close()  # claim the name: never replace an earlier one
        except FileExistsError:
            continue
        try:
            os.replace(path, target)
        except BaseException:
            target.unlink(missing_ok=True)
            raise
        return target
    raise FileExistsError(f"{path}: no free name to set it aside as {stem}-N")
