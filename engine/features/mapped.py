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
from engine.features.maps import InputMap
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
    X_val = None if data.X_val is None else input_map.transform(data.X_val, centred=centred)
    return replace(
        data,
        X_train=input_map.transform(data.X_train, dtype=train_dtype, centred=centred),
        X_test=input_map.transform(data.X_test, centred=centred),
        X_val=X_val,
    )


def with_input_map(model: SoftmaxModel, input_map: InputMap) -> SoftmaxModel:
    """``model`` (trained on ``input_map``'s features) as a model of 28×28 images: it applies
    the map itself, and its metadata records the map's parameters under ``"inputs"``."""
    if input_map.is_identity:
        return model
    metadata = {**model.metadata, "inputs": input_map.params}
    return replace(model, input_map=input_map, metadata=metadata)
