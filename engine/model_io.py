"""Model files: a plain ``.npz`` (no pickle) saved atomically and validated on load.

Keys: ``W`` (n_features, n_classes) float32, ``b`` (n_classes,) float32, ``input_shape``
(2,) int, ``preprocessing_version`` () int, ``metadata`` () str holding JSON.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from pathlib import Path

import numpy as np

from .constants import MNIST_SIDE
from .model import SoftmaxModel
from .preprocessing import SUPPORTED_PREPROCESSING_VERSIONS

#: The pretrained model shipped with the app (its training command is in its metadata).
DEFAULT_MODEL_PATH = Path(__file__).resolve().parent.parent / "resources" / "model.npz"
DEFAULT_FILE_MODE = 0o644
REQUIRED_KEYS = ("W", "b", "input_shape", "preprocessing_version", "metadata")
#: A model file bigger than this is not a softmax regression over small images.
MAX_MODEL_BYTES = 64 * 1024 * 1024


def save_model(model: SoftmaxModel, path: str | os.PathLike) -> Path:
    """Write ``model`` to ``path`` atomically: a temporary file in the same folder, then rename.

    An interrupted save leaves any previous file at ``path`` intact.
    """
    path = Path(path)
    side = int(round(np.sqrt(model.n_features)))
    arrays = {
        "W": np.asarray(model.W, dtype=np.float32),
        "b": np.asarray(model.b, dtype=np.float32),
        "input_shape": np.array([side, side], dtype=np.int64),
        "preprocessing_version": np.array(model.preprocessing_version, dtype=np.int64),
        "metadata": np.array(json.dumps(model.metadata, sort_keys=True, default=str)),
    }
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            np.savez(fh, **arrays)
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp creates 0600; give the file the mode a plain open() would have
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else DEFAULT_FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def load_model(path: str | os.PathLike) -> SoftmaxModel:
    """Load and validate a model file written by :func:`save_model`.

    Raises
    ------
    ValueError
        Naming the file and the problem: not an npz archive, missing keys, object arrays
        (pickle is never allowed), wrong shapes or dtypes, non-finite weights, bad metadata,
        or a preprocessing version this program does not know.
    """
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"{path}: file not found")
    size = path.stat().st_size
    if size == 0:
        raise ValueError(f"{path}: file is empty (0 bytes)")
    if size > MAX_MODEL_BYTES:
        raise ValueError(f"{path}: {size} bytes is too large for a model file")
    if not zipfile.is_zipfile(path):
        raise ValueError(f"{path}: not a model file (expected an .npz archive)")
    try:
        with np.load(path, allow_pickle=False) as npz:
            missing = [k for k in REQUIRED_KEYS if k not in npz.files]
            if missing:
                raise ValueError(f"{path}: missing keys {missing} (has {sorted(npz.files)})")
            extra = sorted(set(npz.files) - set(REQUIRED_KEYS))
            if extra:
                raise ValueError(f"{path}: unexpected keys {extra}")
            arrays = {k: npz[k] for k in REQUIRED_KEYS}
    except ValueError as exc:
        if str(exc).startswith(str(path)):
            raise
        raise ValueError(f"{path}: unreadable model file ({exc})") from None
    except (OSError, zipfile.BadZipFile, EOFError) as exc:
        raise ValueError(f"{path}: unreadable model file ({exc})") from None
    return _validate(path, arrays)


def _validate(path: Path, a: dict[str, np.ndarray]) -> SoftmaxModel:
    W, b = a["W"], a["b"]
    if W.dtype != np.float32 or b.dtype != np.float32:
        raise ValueError(f"{path}: W and b must be float32, got {W.dtype} and {b.dtype}")
    shape = a["input_shape"]
    if shape.shape != (2,) or shape.dtype.kind not in "iu":
        raise ValueError(f"{path}: input_shape must be two integers, got {shape!r}")
    n_features = int(shape[0]) * int(shape[1])
    if tuple(int(s) for s in shape) != (MNIST_SIDE, MNIST_SIDE):
        raise ValueError(f"{path}: input_shape must be ({MNIST_SIDE}, {MNIST_SIDE}), "
                         f"got {tuple(shape)}")
    if W.ndim != 2 or W.shape[0] != n_features or W.shape[1] < 2:
        raise ValueError(f"{path}: W must be ({n_features}, n_classes), got {W.shape}")
    if b.shape != (W.shape[1],):
        raise ValueError(f"{path}: b must be ({W.shape[1]},), got {b.shape}")
    if not (np.isfinite(W).all() and np.isfinite(b).all()):
        raise ValueError(f"{path}: weights contain NaN or infinity")
    version = a["preprocessing_version"]
    if version.shape != () or version.dtype.kind not in "iu":
        raise ValueError(f"{path}: preprocessing_version must be one integer, got {version!r}")
    version = int(version)
    if version not in SUPPORTED_PREPROCESSING_VERSIONS:
        raise ValueError(
            f"{path}: expects preprocessing version {version}, but this program knows "
            f"{sorted(SUPPORTED_PREPROCESSING_VERSIONS)}"
        )
    meta = a["metadata"]
    if meta.shape != () or meta.dtype.kind != "U":
        raise ValueError(f"{path}: metadata must be a JSON string")
    try:
        metadata = json.loads(str(meta))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: metadata is not valid JSON ({exc})") from None
    if not isinstance(metadata, dict):
        raise ValueError(f"{path}: metadata must be a JSON object")
    return SoftmaxModel(W=W, b=b, preprocessing_version=version, metadata=metadata)
