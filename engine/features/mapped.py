"""Mapped inputs for training and teaching: a :class:`Dataset`'s images as an input map's
features, and a model given its map (the samples :func:`engine.adapt` fits on a map are in
:mod:`engine.personal.replay`).

:func:`engine.train` uses these itself when ``TrainConfig.inputs`` names a map other than
``pixels``; the result's model applies its map to 28×28 images.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import numpy as np

from engine.data.datasets import Dataset
from engine.features.maps import MAP_CHUNK, InputMap
from engine.model import SoftmaxModel
from engine.training.blas import lower_this_threads_priority
from engine.training.shared_tasks import run_shared

#: Threads that map a training set (this one and helpers at a lower priority, like
#: L-BFGS-B's): NumPy lets go of the GIL in the edge histograms' work, so two map the
#: 60,000 MNIST images in 1.4–1.5 s instead of 2.5–3.2 s.
MAP_THREADS = 2


def map_dataset(
    data: Dataset,
    input_map: InputMap,
    train_dtype: type[np.floating] = np.float32,
    *,
    centred: bool = True,
) -> Dataset:
    """``data`` with every split's images replaced by ``input_map``'s features.

    ``train_dtype`` is the training features' type: float32, or float16 to hold them in
    half the memory (the test and validation features are float32). ``centred=False`` maps
    every split without subtracting the mean (see :meth:`InputMap.transform`). The pixel map
    returns ``data`` as it is.

    Raises
    ------
    ValueError
        For images that are not 28×28, or an unfitted map.
    """
    if input_map.is_identity:
        return data
    X_train = input_map.transform(data.X_train, dtype=train_dtype, centred=centred)
    return _with_training_features(data, input_map, X_train, centred)


def _with_training_features(
    data: Dataset, input_map: InputMap, X_train: np.ndarray, centred: bool
) -> Dataset:
    """``data`` with training features ``X_train``, and its other splits mapped."""
    X_val = None if data.X_val is None else input_map.transform(data.X_val, centred=centred)
    X_test = input_map.transform(data.X_test, centred=centred)
    return replace(data, X_train=X_train, X_test=X_test, X_val=X_val)


def fit_and_map_dataset(
    data: Dataset,
    input_map: InputMap,
    train_dtype: type[np.floating] = np.float32,
    *,
    centred: bool = True,
) -> tuple[InputMap, Dataset]:
    """``input_map`` fitted on ``data``'s training images, and ``data`` mapped by it: what
    ``map_dataset(data, input_map.fit(data.X_train), ...)`` gives, with the training
    images' features computed once instead of twice (fitting needs them all before any can
    be standardised, so they are kept raw, as ``train_dtype``, and standardised in place),
    on MAP_THREADS threads. With float16 that rounds each feature twice (raw, then
    standardised): a relative difference of at most ~1e-3 from :meth:`InputMap.transform`'s.
    The results do not depend on the threads (each chunk's sums are added in order).

    Raises
    ------
    ValueError
        For images that are not 28×28, or no training images.
    """
    if input_map.is_identity:
        return input_map, data
    X = input_map.check_inputs(data.X_train)
    if X.shape[0] == 0:
        raise ValueError("cannot fit an input map on zero images")
    features = np.empty((X.shape[0], input_map.n_features), dtype=train_dtype)
    starts = range(0, X.shape[0], MAP_CHUNK)

    def raw(start: int) -> tuple[np.ndarray, np.ndarray]:
        part = input_map.raw_features(X[start : start + MAP_CHUNK])
        features[start : start + part.shape[0]] = part
        return part.sum(axis=0, dtype=np.float64), np.einsum(
            "ij,ij->j", part, part, dtype=np.float64
        )

    with ThreadPoolExecutor(
        max(1, MAP_THREADS - 1), initializer=lower_this_threads_priority
    ) as pool:
        sums = run_shared(pool, MAP_THREADS, lambda i, _: raw(starts[i]), len(starts))
        total = np.zeros(input_map.n_features)
        squares = np.zeros(input_map.n_features)
        for part_total, part_squares in sums:
            total += part_total
            squares += part_squares
        fitted = input_map.with_moments(total, squares, X.shape[0])
        assert fitted.mean is not None and fitted.std is not None
        mean, scale = fitted.mean, (1 / fitted.std).astype(np.float32)

        def standardise(start: int) -> None:
            part = features[start : start + MAP_CHUNK].astype(np.float32)
            if centred:
                part -= mean
            part *= scale
            features[start : start + part.shape[0]] = part

        run_shared(pool, MAP_THREADS, lambda i, _: standardise(starts[i]), len(starts))
    return fitted, _with_training_features(data, fitted, features, centred)


def with_input_map(model: SoftmaxModel, input_map: InputMap) -> SoftmaxModel:
    """``model`` (trained on ``input_map``'s features) as a model of 28×28 images: it applies
    the map itself, and its metadata records the map's parameters under ``"inputs"``."""
    if input_map.is_identity:
        return model
    metadata = {**model.metadata, "inputs": input_map.params}
    return replace(model, input_map=input_map, metadata=metadata)
