"""Datasets: loading a folder of IDX files as a :class:`~engine.data.dataset.Dataset` (the
bundled MNIST or any other), recognised, prepared for a preprocessing version and cached.

One IDX file's reading and checks are in :mod:`engine.data.idx`.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np

from engine import greyscale
from engine.constants import MNIST_SIDE, N_CLASSES
from engine.data.dataset import Dataset
from engine.data.dataset_kinds import (
    CLASSES_FILE,
    MNIST,
    DatasetKind,
    default_kind,
    read_class_names,
    recognise,
)
from engine.data.idx import (
    cache_dir,
    decompress,
    find_idx,
    load_cached,
    load_idx_keyed,
    parse_idx,
    read_raw,
    store_cached,
)
from engine.data.paths import RESOURCES_DIR
from engine.greyscale import from_grey_levels, to_grey_levels
from engine.handwriting import deskew, preprocessing, strokes
from engine.handwriting.preprocessing import prepare_images
from engine.handwriting.versions import preprocessing_for

BUNDLED_MNIST_DIR = RESOURCES_DIR / "mnist"

#: SHA-256 of the decompressed canonical MNIST files (resources/mnist/README.md).
MNIST_SHA256 = {
    "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}
SPLIT_FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}
#: Modules whose code shapes prepared images (part of the prepared-image cache key).
PREPARATION_MODULES = (preprocessing, deskew, strokes, greyscale)
#: Images prepared per step; ``should_stop`` is asked between steps (a quarter to half a
#: second each for version 3). Every image is prepared on its own, so chunks give exactly
#: the images of one call; a multiple of the preprocessing's cache-sized batch of 256, and
#: the float32 working copies stay a few MB.
PREPARE_CHUNK = 1024
#: Share of a load's progress given to reading and checking the files (the rest: preparing).
READ_SHARE = 0.05
#: Element types ``load_mnist`` can keep the training images in.
TRAIN_DTYPES = (np.dtype(np.float32), np.dtype(np.uint8))


class LoadCancelled(Exception):
    """:func:`load_mnist` stopped because its ``should_stop`` returned True.

    Nothing half-made is cached: the next load starts the preparation afresh.
    """


def _code_fingerprint() -> str:
    """Hash of the preprocessing code, so a changed algorithm never serves stale images."""
    digest = hashlib.blake2b(digest_size=8)
    for module in PREPARATION_MODULES:
        digest.update(Path(str(module.__file__)).read_bytes())
    return digest.hexdigest()


def _prepared(
    images: np.ndarray,
    version: int,
    key: str | None,
    should_stop: Callable[[], bool],
    report: Callable[[int], None] = lambda done: None,
) -> np.ndarray:
    """uint8 images after ``version``'s dataset-side steps, cached when ``key`` is given.

    Prepared images are stored as uint8 (MNIST's own 1/255 steps), so the cache is as small
    as the raw data. They are made PREPARE_CHUNK at a time, asking ``should_stop`` between
    chunks (:class:`LoadCancelled`, nothing cached), and only one chunk is ever float32.
    """
    if version == 1:
        return images
    if images.shape[1:] != (MNIST_SIDE, MNIST_SIDE):
        raise ValueError(
            f"images are {images.shape[1]}×{images.shape[2]}; "
            f"preprocessing version {version} needs {MNIST_SIDE}×{MNIST_SIDE}"
        )
    cache = (cache_dir() / f"{key}.v{version}.{_code_fingerprint()}.npy") if key else None
    if cache is not None and cache.is_file():
        arr = load_cached(cache, 3)
        if arr is not None and arr.shape == images.shape:
            return arr
    arr = np.empty(images.shape, dtype=np.uint8)
    flat = arr.reshape(images.shape[0], -1)
    for start in range(0, images.shape[0], PREPARE_CHUNK):
        if should_stop():
            raise LoadCancelled(f"stopped after preparing {start} of {images.shape[0]} images")
        X = prepare_images(to_features(images[start : start + PREPARE_CHUNK]), version)
        flat[start : start + PREPARE_CHUNK] = to_grey_levels(X)
        report(min(start + PREPARE_CHUNK, images.shape[0]))
    if cache is not None:
        store_cached(cache, arr)
    return arr


def folder_text(directory: str | os.PathLike | None) -> str:
    """How a folder is named in messages before it is read."""
    return "the bundled MNIST" if directory is None else str(directory)


def identify(directory: str | os.PathLike | None = None) -> tuple[DatasetKind, tuple[str, ...]]:
    """What the IDX folder holds (the bundled MNIST when None): its :class:`DatasetKind`
    and the problems met reading its ``classes.txt``, if any.

    Reads only the two label files (a few tens of KB). A recognised dataset keeps its own
    names; ``classes.txt`` overrides them; a malformed one is reported and ignored.
    """
    folder = Path(directory) if directory is not None else BUNDLED_MNIST_DIR
    if folder.resolve() == BUNDLED_MNIST_DIR:
        kind: DatasetKind | None = MNIST
    else:
        counts = []
        for split in ("train", "test"):
            path = find_idx(folder, SPLIT_FILES[split][1])
            raw = read_raw(path)
            data = decompress(raw, path)
            counts.append(parse_idx(data, str(path), 1).shape[0])
        kind = recognise(raw, data, *counts)
    kind = kind or default_kind(folder.name)
    notes: tuple[str, ...] = ()
    names_file = folder / CLASSES_FILE
    if names_file.is_file():
        try:
            kind = replace(kind, class_names=read_class_names(names_file))
        except ValueError as exc:
            notes = (f"{exc}; showing the classes as {', '.join(kind.class_names[:3])}, …",)
    return kind, notes


def _load_split(
    directory: Path, split: str, checksums: dict[str, str] | None, use_cache: bool
) -> tuple[np.ndarray, np.ndarray, str | None]:
    images_stem, labels_stem = SPLIT_FILES[split]
    images_path, labels_path = find_idx(directory, images_stem), find_idx(directory, labels_stem)
    checksums = checksums or {}
    images, key = load_idx_keyed(images_path, 3, checksums.get(images_stem), use_cache)
    labels, _ = load_idx_keyed(labels_path, 1, checksums.get(labels_stem), use_cache)
    if images.shape[0] != labels.shape[0]:
        raise ValueError(
            f"{images_path} holds {images.shape[0]} images but {labels_path} holds "
            f"{labels.shape[0]} labels"
        )
    if images.shape[0] == 0:
        raise ValueError(f"{images_path}: holds no images")
    if labels.max() >= N_CLASSES:
        bad = int(labels.max())
        raise ValueError(f"{labels_path}: label {bad} out of range 0..{N_CLASSES - 1}")
    return images, labels, key


def to_features(images: np.ndarray) -> np.ndarray:
    """uint8 images (n, rows, cols) -> float32 features (n, rows * cols) in [0, 1]."""
    return from_grey_levels(images.reshape(images.shape[0], -1))


def as_features(X: np.ndarray) -> np.ndarray:
    """Training images as float features: uint8 grey levels (n, d) become float32 in [0, 1]
    (:func:`to_features`), float16 features (a mapped training set kept compact) float32;
    other float images are returned as they are."""
    if X.dtype == np.uint8:
        return to_features(X)
    return X.astype(np.float32) if X.dtype == np.float16 else X


def load_mnist(
    data_dir: str | os.PathLike | None = None,
    *,
    preprocessing_version: int | None = None,
    digit_preprocessing: int | None = None,
    validation_size: int = 0,
    seed: int = 0,
    checksums: dict[str, str] | None = None,
    use_cache: bool = True,
    train_dtype: type | np.dtype = np.float32,
    should_stop: Callable[[], bool] | None = None,
    progress: Callable[[float, str], None] | None = None,
) -> Dataset:
    """Load an MNIST-format dataset: the bundled MNIST, or any IDX folder.

    Parameters
    ----------
    data_dir : folder with ``train-images-idx3-ubyte[.gz]``, ``train-labels-idx1-ubyte[.gz]``,
        ``t10k-images-idx3-ubyte[.gz]`` and ``t10k-labels-idx1-ubyte[.gz]``; the bundled
        MNIST when None.
    preprocessing_version : dataset-side preprocessing to apply (see
        :func:`engine.handwriting.preprocessing.prepare_images`); models trained on the result
        record it. None: decided by :func:`engine.handwriting.versions.preprocessing_for`
        from what the folder holds: for handwritten digits (the bundled MNIST, a recognised
        digit set) ``digit_preprocessing``, for anything else (Fashion-MNIST, KMNIST, an
        unknown folder) the images as published (1).
    digit_preprocessing : the version handwritten digits get when ``preprocessing_version``
        is None, e.g. what the caller's model expects; None: the digit pipeline,
        ``PREPROCESSING_VERSION``.
    checksums : SHA-256 of the decompressed files by name (``MNIST_SHA256`` by default for
        the bundled MNIST, none for other folders).
    validation_size : how many training images to hold out, chosen at random with ``seed``.
    use_cache : keep validated decompressed copies in the user's cache directory.
    train_dtype : ``np.float32`` (features in [0, 1]) or ``np.uint8`` (grey levels 0–255,
        a quarter of the memory) for ``X_train`` and ``X_val``.
    should_stop : asked between files and between chunks of the preprocessing; when it
        returns True the load ends with :class:`LoadCancelled`.
    progress : called with the share done, in [0, 1], and what is happening ("preparing
        12,288 of 70,000 images"), after each file and each chunk of the preprocessing
        (the slow part of a first load: later loads read the prepared images from the cache).

    Returns
    -------
    Dataset with ``X`` (n, rows * cols) (``X_test`` float32 in [0, 1], the training images
    as ``train_dtype`` asks) and int64 labels.

    Raises
    ------
    ValueError
        Naming the file and the problem (see :func:`load_idx`), for image/label count
        mismatches, labels out of range, or images of different shapes between the splits;
        for a ``train_dtype`` other than float32 or uint8.
    LoadCancelled
        When ``should_stop`` returned True; no partial preparation is cached.
    """
    try:
        train_dtype = np.dtype(train_dtype)
    except TypeError:
        raise ValueError(f"train_dtype must be float32 or uint8, got {train_dtype!r}") from None
    if train_dtype not in TRAIN_DTYPES:
        raise ValueError(f"train_dtype must be float32 or uint8, got {train_dtype}")
    directory = Path(data_dir) if data_dir is not None else BUNDLED_MNIST_DIR
    if not directory.is_dir():
        raise ValueError(f"{directory}: not a folder")
    should_stop = should_stop or (lambda: False)
    bundled = directory.resolve() == BUNDLED_MNIST_DIR
    if checksums is None and bundled:
        checksums = MNIST_SHA256
    report = progress or (lambda share, text: None)
    report(0.0, f"reading {folder_text(data_dir)}")
    kind, notes = identify(directory)
    preprocessing_version = preprocessing_for(
        kind.digits, preprocessing_version, digit_preprocessing
    )
    loaded = []
    for split in ("train", "test"):
        if should_stop():
            raise LoadCancelled(f"stopped before reading the {split} split")
        loaded.append(_load_split(directory, split, checksums, use_cache))
    (train_images, train_labels, train_key), (test_images, test_labels, test_key) = loaded
    if kind.transposed:  # stored column by column: turn upright
        train_images = np.ascontiguousarray(train_images.transpose(0, 2, 1))
        test_images = np.ascontiguousarray(test_images.transpose(0, 2, 1))
    total = train_images.shape[0] + test_images.shape[0]
    report(READ_SHARE, f"read {total:,} {kind.name} images")

    def preparing(offset: int) -> Callable[[int], None]:
        def done(n: int) -> None:
            share = READ_SHARE + (1 - READ_SHARE) * (offset + n) / total
            report(
                share,
                f"preparing images (preprocessing {preprocessing_version}): "
                f"{offset + n:,} of {total:,}",
            )

        return done

    try:
        train_images = _prepared(
            train_images, preprocessing_version, train_key, should_stop, preparing(0)
        )
        test_images = _prepared(
            test_images,
            preprocessing_version,
            test_key,
            should_stop,
            preparing(train_images.shape[0]),
        )
    except ValueError as exc:
        raise ValueError(f"{directory}: {exc}") from None
    if train_images.shape[1:] != test_images.shape[1:]:
        raise ValueError(
            f"{directory}: training images are {train_images.shape[1:]} but test images are "
            f"{test_images.shape[1:]}"
        )
    if not 0 <= validation_size < train_images.shape[0]:
        raise ValueError(
            f"validation_size must be in [0, {train_images.shape[0]}), got {validation_size}"
        )
    if train_dtype == np.uint8:
        X_train = train_images.reshape(train_images.shape[0], -1)
    else:
        X_train = to_features(train_images)
    y_train = train_labels.astype(np.int64)
    X_val = y_val = None
    if validation_size:
        order = np.random.default_rng(seed).permutation(X_train.shape[0])
        val, keep = order[:validation_size], np.sort(order[validation_size:])
        X_val, y_val = X_train[val], y_train[val]
        X_train, y_train = X_train[keep], y_train[keep]
    report(1.0, f"loaded {kind.name}")
    return Dataset(
        X_train=X_train,
        y_train=y_train,
        X_test=to_features(test_images),
        y_test=test_labels.astype(np.int64),
        X_val=X_val,
        y_val=y_val,
        name=kind.name,
        image_shape=(int(train_images.shape[1]), int(train_images.shape[2])),
        preprocessing_version=preprocessing_version,
        class_names=kind.class_names,
        subject=kind.subject,
        digits=kind.digits,
        notes=notes,
    )
