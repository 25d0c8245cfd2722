"""Training on mapped inputs through the existing API: map a :class:`Dataset`'s images,
train on the features with :func:`engine.train`, and give the model its map.

Until :class:`engine.TrainConfig` names an input map, this is how to train one::

    input_map = fit_input_map("edges", data.X_train)
    result = run_to_end(train(map_dataset(data, input_map), config))
    model = with_input_map(result.model, input_map)

or, in one generator, ``train_mapped(data, "edges", config)``.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import replace
from typing import Any

import numpy as np

from engine.data.datasets import Dataset
from engine.features.maps import InputMap, fit_input_map
from engine.model import SoftmaxModel
from engine.personal.adapt import ReplaySet
from engine.training.train import Progress, TrainConfig, TrainResult, train


def map_dataset(data: Dataset, input_map: InputMap) -> Dataset:
    """``data`` with every split's images replaced by ``input_map``'s features (float32).

    Raises
    ------
    ValueError
        For images that are not 28×28, or an unfitted map.
    """
    if input_map.is_identity:
        return data
    X_val = None if data.X_val is None else input_map.transform(data.X_val)
    return replace(
        data,
        X_train=input_map.transform(data.X_train),
        X_test=input_map.transform(data.X_test),
        X_val=X_val,
    )


def with_input_map(model: SoftmaxModel, input_map: InputMap) -> SoftmaxModel:
    """``model`` (trained on ``input_map``'s features) as a model of 28×28 images: it applies
    the map itself, and its metadata records the map's parameters under ``"inputs"``."""
    metadata = {**model.metadata, "inputs": input_map.params}
    return replace(model, input_map=input_map, metadata=metadata)


def train_mapped(
    data: Dataset, map_spec: str | InputMap, config: TrainConfig | None = None, **options: Any
) -> Generator[Progress, None, TrainResult]:
    """:func:`engine.train` on ``map_spec``'s features of ``data``, fitted on its training
    images; the result's model applies the map itself. ``options`` go to :func:`engine.train`
    (``init`` weights are on the map's features).

    Raises
    ------
    ValueError
        As :func:`fit_input_map` and :func:`engine.train` do.
    """
    input_map = fit_input_map(map_spec, data.X_train)
    result = yield from train(map_dataset(data, input_map), config, **options)
    return replace(result, model=with_input_map(result.model, input_map))


def mapped_samples(
    input_map: InputMap, X: np.ndarray, replay: ReplaySet
) -> tuple[np.ndarray, ReplaySet]:
    """What :func:`engine.adapt` fits a mapped model on: the writer's images ``X`` (n, 784)
    as features, and ``replay`` with its replayed and guard images as features.

    The mapped replay is cached in ``replay`` per map (mapping the guard images takes about
    a second; every later adaptation of a model with the same map reuses it). Its guard
    images are float32 features, (guard_size, n_features): 4 bytes a feature and image.
    """
    key = ("input map", input_map.fingerprint)
    mapped = replay._per_base.get(key)
    if mapped is None:
        mapped = ReplaySet(
            XT=np.ascontiguousarray(input_map.transform(replay.XT.T).T),
            y=replay.y,
            X_guard=input_map.transform(replay.X_guard),
            y_guard=replay.y_guard,
        )
        if len(replay._per_base) >= 4:  # as adapt's own cache: a few entries at most
            replay._per_base.clear()
        replay._per_base[key] = mapped
    return input_map.transform(X), mapped
