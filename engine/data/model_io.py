"""Model files: a plain ``.npz`` (no pickle) saved atomically and validated on load.

Keys: ``W`` (n_features, n_classes) float32, ``b`` (n_classes,) float32, ``input_shape``
(2,) int, ``preprocessing_version`` () int, ``metadata`` () str holding JSON.

A model with an input map other than the classic pixels (:mod:`engine.features`) adds
``input_map`` () str holding JSON (the map's parameters: name, and for random features their
seed, the matrix's shape and its checksum), ``feature_mean`` and ``feature_std``
(n_features,) float32, its standardisation. The random matrix is regenerated from its seed
and refused when its checksum differs. Pixel models are written exactly as before.
"""

from __future__ import annotations

import functools
import json
import math
import os
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from engine.constants import MNIST_SIDE
from engine.data.npz_io import read_npz_checked, write_npz_atomic
from engine.data.paths import RESOURCES_DIR
from engine.features.maps import MAX_RANDOM, InputMap, make_input_map
from engine.features.random_relu import matrix_checksum
from engine.handwriting.versions import SUPPORTED_PREPROCESSING_VERSIONS
from engine.model import SoftmaxModel

#: The pretrained model shipped with the app (its training command is in its metadata).
DEFAULT_MODEL_PATH = RESOURCES_DIR / "model.npz"
REQUIRED_KEYS = ("W", "b", "input_shape", "preprocessing_version", "metadata")
#: What a model with an input map other than pixels stores besides REQUIRED_KEYS.
MAP_KEYS = ("input_map", "feature_mean", "feature_std")
#: Largest feature count a model file may declare (the richest map this program makes).
MAX_MODEL_FEATURES = MNIST_SIDE * MNIST_SIDE * 2 + MAX_RANDOM
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
    # (a mapped model's W matches its map: SoftmaxModel checks that)
    if model.input_map.is_identity and model.W.shape != (MNIST_SIDE * MNIST_SIDE, model.n_classes):
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
    arrays.update(_map_arrays(model.input_map))
    return write_npz_atomic(path, arrays)


def _map_arrays(input_map: InputMap) -> dict[str, np.ndarray]:
    """The MAP_KEYS arrays of a fitted map other than pixels (none for pixels)."""
    if input_map.is_identity:
        return {}
    assert input_map.mean is not None and input_map.std is not None  # a model's map is fitted
    record: dict[str, Any] = dict(input_map.params)
    R = input_map.random_matrix
    if R is not None:
        record["random_shape"] = list(R.shape)
        record["random_checksum"] = matrix_checksum(R)
    return {
        "input_map": np.array(json.dumps(record, sort_keys=True)),
        "feature_mean": np.asarray(input_map.mean, dtype=np.float32),
        "feature_std": np.asarray(input_map.std, dtype=np.float32),
    }


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
    keys: tuple[str, ...]
    if _has_input_map(path):
        keys, max_features = REQUIRED_KEYS + MAP_KEYS, MAX_MODEL_FEATURES
    else:
        keys, max_features = REQUIRED_KEYS, MNIST_SIDE * MNIST_SIDE
    arrays = read_npz_checked(
        path,
        keys,
        functools.partial(_check_header, max_features=max_features),
        max_bytes=MAX_MODEL_BYTES,
        kind="model file",
    )
    input_map = _input_map(path, arrays) if "input_map" in arrays else None
    model = _validate(path, arrays)
    if input_map is None:
        return model
    if model.W.shape[0] != input_map.n_features:
        raise ValueError(
            f"{path}: W must be ({input_map.n_features}, n_classes) for the "
            f"{input_map.name!r} input map, got {model.W.shape}"
        )
    return SoftmaxModel(
        W=model.W,
        b=model.b,
        preprocessing_version=model.preprocessing_version,
        metadata=model.metadata,
        input_map=input_map,
    )


def _has_input_map(path: Path) -> bool:
    """Whether the archive at ``path`` names an input map (the reader checks the rest)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return "input_map.npy" in archive.namelist()
    except (OSError, zipfile.BadZipFile, ValueError):
        return False  # the reader says what is wrong


def _input_map(path: Path, a: dict[str, np.ndarray]) -> InputMap:
    """The fitted map recorded in a file's MAP_KEYS arrays; the random matrix regenerated and
    checked against the file's checksum."""
    text = a["input_map"]
    if text.shape != () or text.dtype.kind != "U":
        raise ValueError(f"{path}: input_map must be a JSON string")
    try:
        record = json.loads(str(text))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: input_map is not valid JSON ({exc})") from None
    if not isinstance(record, dict) or not isinstance(record.get("name"), str):
        raise ValueError(f"{path}: input_map must be a JSON object with a name")
    try:
        input_map = make_input_map(
            record["name"], n_random=record.get("n_random", 0), seed=record.get("seed", 0)
        )
        if input_map.is_identity:
            raise ValueError("a pixels map stores no input_map")
        if input_map.params != {k: v for k, v in record.items() if not k.startswith("random_")}:
            raise ValueError(f"unsupported input map parameters {record}")
        input_map = InputMap(
            name=input_map.name,
            n_random=input_map.n_random,
            seed=input_map.seed,
            mean=a["feature_mean"],
            std=a["feature_std"],
        )
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{path}: input_map: {exc}") from None
    R = input_map.random_matrix
    if R is not None:
        if record.get("random_shape") != list(R.shape):
            raise ValueError(
                f"{path}: input_map: random matrix shape {record.get('random_shape')} does not "
                f"match its parameters {list(R.shape)}"
            )
        checksum = matrix_checksum(R)
        if record.get("random_checksum") != checksum:
            raise ValueError(
                f"{path}: the random features regenerated from seed {input_map.seed} differ "
                f"from the ones the model was trained with (checksum {checksum}, file "
                f"{record.get('random_checksum')}): this NumPy draws another matrix; "
                "retrain the model on this machine"
            )
    return input_map


def _check_header(key: str, shape: tuple[int, ...], dtype: np.dtype, *, max_features: int) -> None:
    """Refuse, before reading data, anything that is not the small array ``key`` should be
    (``W`` of at most ``max_features`` rows)."""
    if key in ("W", "b", "feature_mean", "feature_std") and dtype != np.float32:
        raise ValueError(f"{key} must be float32, got {dtype}")
    limits = {
        "W": max_features * MAX_CLASSES,
        "b": MAX_CLASSES,
        "input_shape": 2,
        "preprocessing_version": 1,
        "metadata": 1,
        "input_map": 1,
        "feature_mean": MAX_MODEL_FEATURES,
        "feature_std": MAX_MODEL_FEATURES,
    }
    if math.prod(shape) > limits[key]:
        raise ValueError(f"{key} declares shape {shape}; too large")
    if key in ("metadata", "input_map") and dtype.itemsize > 4 * MAX_METADATA_CHARS:
        raise ValueError(f"metadata declares {dtype.itemsize} bytes; too large")


def _validate(path: Path, a: dict[str, np.ndarray]) -> SoftmaxModel:
    W, b = a["W"], a["b"]
    if W.dtype != np.float32 or b.dtype != np.float32:
        raise ValueError(f"{path}: W and b must be float32, got {W.dtype} and {b.dtype}")
    shape = a["input_shape"]
    if shape.shape != (2,) or shape.dtype.kind not in "iu":
        raise ValueError(f"{path}: input_shape must be two integers, got {shape!r}")
    n_features = int(shape[0]) * int(shape[1])
    if "input_map" in a:  # W's rows are the map's features, checked by the caller
        n_features = W.shape[0] if W.ndim == 2 else -1
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
