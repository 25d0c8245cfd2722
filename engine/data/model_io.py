"""Model files: a plain ``.npz`` (no pickle) saved atomically and validated on load.

Keys: ``W`` (n_features, n_classes) float32, ``b`` (n_classes,) float32, ``input_shape``
(2,) int, ``preprocessing_version`` () int, ``metadata`` () str holding JSON.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import numpy as np

from engine.constants import MNIST_SIDE
from engine.data.npz_io import read_npz_checked, write_npz_atomic
from engine.data.paths import RESOURCES_DIR
from engine.handwriting.versions import SUPPORTED_PREPROCESSING_VERSIONS
from engine.model import SoftmaxModel

#: The pretrained model shipped with the app (its training command is in its metadata).
DEFAULT_MODEL_PATH = RESOURCES_DIR / "model.npz"
REQUIRED_KEYS = ("W", "b", "input_shape", "preprocessing_version", "metadata")
#: A model file bigger than this is not a softmax regression over small images.
MAX_MODEL_BYTES = 64 * 1024 * 1024


#: Largest class count a model file may declare (bounds what a header can make us allocate).
MAX_CLASSES = 1000
MAX_METADATA_CHARS = 1_000_000


def save_model(model: SoftmaxModel, path: str | os.PathLike) -> Path:
    """Write ``model`` to ``path`` atomically: a temporary file in the same folder, then rename.

    An interrupted save leaves any previous file at ``path`` intact. A new file gets the
    permissions a plain ``open()`` would give it (the umask applies); an overwritten one
    keeps its own.

    Raises
    ------
    ValueError
        For a model that :func:`load_model` would refuse, or a folder that does not exist.
    """
    if model.W.shape != (MNIST_SIDE * MNIST_SIDE, model.n_classes):
        raise ValueError(f"W must be ({MNIST_SIDE * MNIST_SIDE}, n_classes), got {model.W.shape}")
    if not (np.isfinite(model.W).all() and np.isfinite(model.b).all()):
        raise ValueError("refusing to save a model whose weights contain NaN or infinity")
    arrays: dict[str, np.ndarray] = {
        "W": np.asarray(model.W, dtype=np.float32),
        "b": np.asarray(model.b, dtype=np.float32),
        "input_shape": np.array([MNIST_SIDE, MNIST_SIDE], dtype=np.int64),
        "preprocessing_version": np.array(model.preprocessing_version, dtype=np.int64),
        "metadata": np.array(json.dumps(model.metadata, sort_keys=True, default=str)),
    }
    return write_npz_atomic(path, arrays)


def load_model(path: str | os.PathLike) -> SoftmaxModel:
    """Load and validate a model file written by :func:`save_model`.

    Every array's header is checked (dtype, shape, size) before any data is read, so a
    file cannot make the loader allocate what it declares; pickled objects are never loaded.

    Raises
    ------
    ValueError
        Naming the file and the problem: not an npz archive, missing or extra keys, object
        arrays, wrong shapes or dtypes, non-finite weights, bad metadata, or a preprocessing
        version this program does not know.
    """
    path = Path(path)
    arrays = read_npz_checked(
        path, REQUIRED_KEYS, _check_header, max_bytes=MAX_MODEL_BYTES, kind="model file"
    )
    return _validate(path, arrays)


def _check_header(key: str, shape: tuple[int, ...], dtype: np.dtype) -> None:
    """Refuse, before reading data, anything that is not the small array ``key`` should be."""
    if key in ("W", "b") and dtype != np.float32:
        raise ValueError(f"{key} must be float32, got {dtype}")
    limits = {
        "W": MNIST_SIDE * MNIST_SIDE * MAX_CLASSES,
        "b": MAX_CLASSES,
        "input_shape": 2,
        "preprocessing_version": 1,
        "metadata": 1,
    }
    if math.prod(shape) > limits[key]:
        raise ValueError(f"{key} declares shape {shape}; too large")
    if key == "metadata" and dtype.itemsize > 4 * MAX_METADATA_CHARS:
        raise ValueError(f"metadata declares {dtype.itemsize} bytes; too large")


def _validate(path: Path, a: dict[str, np.ndarray]) -> SoftmaxModel:
    W, b = a["W"], a["b"]
    if W.dtype != np.float32 or b.dtype != np.float32:
        raise ValueError(f"{path}: W and b must be float32, got {W.dtype} and {b.dtype}")
    shape = a["input_shape"]
    if shape.shape != (2,) or shape.dtype.kind not in "iu":
        raise ValueError(f"{path}: input_shape must be two integers, got {shape!r}")
    n_features = int(shape[0]) * int(shape[1])
    if tuple(int(s) for s in shape) != (MNIST_SIDE, MNIST_SIDE):
        raise ValueError(
            f"{path}: input_shape must be ({MNIST_SIDE}, {MNIST_SIDE}), "
            f"got {tuple(int(s) for s in shape)}"
        )
    if W.ndim != 2 or W.shape[0] != n_features or W.shape[1] < 2:
        raise ValueError(f"{path}: W must be ({n_features}, n_classes), got {W.shape}")
    if b.shape != (W.shape[1],):
        raise ValueError(f"{path}: b must be ({W.shape[1]},), got {b.shape}")
    if not (np.isfinite(W).all() and np.isfinite(b).all()):
        raise ValueError(f"{path}: weights contain NaN or infinity")
    stored_version = a["preprocessing_version"]
    if stored_version.shape != () or stored_version.dtype.kind not in "iu":
        raise ValueError(
            f"{path}: preprocessing_version must be one integer, got {stored_version!r}"
        )
    version = int(stored_version)
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
    except RecursionError:  # "[[[[…": nested deeper than the parser goes
        raise ValueError(f"{path}: metadata is nested too deeply") from None
    if not isinstance(metadata, dict):
        raise ValueError(f"{path}: metadata must be a JSON object")
    return SoftmaxModel(W=W, b=b, preprocessing_version=version, metadata=metadata)
