"""Mapped inputs for training and teaching: a :class:`Dataset`'s images as an input map's
features, and a model given its map (the samples :func:`engine.adapt` fits on a map are in
:mod:`engine.personal.replay`).

:func:`engine.train` uses these itself when ``TrainConfig.inputs`` names a map other than
``pixels``; the result's model applies its map to 28×28 images.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from engine.data.datasets import Dataset
from engine.features.maps import MAP_CHUNK, InputMap
from engine.model import SoftmaxModel


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
    be standardised, so they are kept raw, as ``train_dtype``, and standardised in place).
    With float16 that rounds each feature twice (raw, then standardised): a relative
    difference of at most ~1e-3 from :meth:`InputMap.transform`'s. Features take a second
    or two per 60,000 images (bench/README.md).

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
    total = np.zeros(input_map.n_features)
    squares = np.zeros(input_map.n_features)
    for start in range(0, X.shape[0], MAP_CHUNK):
        part = input_map.raw_features(X[start : start + MAP_CHUNK])
        total += part.sum(axis=0, dtype=np.float64)
        squares += np.einsum("ij,ij->j", part, part, dtype=np.float64)
        features[start : start + part.shape[0]] = part
    fitted = input_map.with_moments(total, squares, X.shape[0])
    assert fitted.mean is not None and fitted.std is not None
    scale = (1 / fitted.std).astype(np.float32)
    for start in range(0, X.shape[0], MAP_CHUNK):
        part = features[start : start + MAP_CHUNK].astype(np.float32)
        if centred:
            part -= fitted.mean
        part *= scale
        features[start : start + part.shape[0]] = part
    return fitted, _with_training_features(data, fitted, features, centred)


def with_input_map(model: SoftmaxModel, input_map: InputMap) -> SoftmaxModel:
    """``model`` (trained on ``input_map``'s features) as a model of 28×28 images: it applies
    the map itself, and its metadata records the map's parameters under ``"inputs"``."""
    if input_map.is_identity:
        return model
    metadata = {**model.metadata, "inputs": input_map.params}
    return replace(model, input_map=input_map, metadata=metadata)
