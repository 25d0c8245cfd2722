"""The work the personal-handwriting controller hands to its worker threads: adapt the base
model, prepare the replay images, measure, save the samples, and add the samples to a training
set. Plain data in, plain data out; none of these knows a widget.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
from PySide6.QtCore import QCoreApplication

import engine
from engine.data.files import UNREADABLE_SUFFIX, set_aside
from softmax_gui.errors import describe


def adapted_model(
    base: engine.SoftmaxModel,
    base_source: str,
    samples: engine.PersonalSamples,
    replay: engine.ReplaySet,
) -> tuple[engine.SoftmaxModel, int]:
    """``engine.adapt`` of ``base`` to every sample (the metadata also names the base's
    source), and the digit the adapted model reads the newest sample as."""
    samples = samples.for_version(base.preprocessing_version)
    model = engine.adapt(base, samples.X, samples.y, replay=replay)
    adapted = {**model.metadata["adapted"], "base_source": base_source}
    model = replace(model, metadata={**model.metadata, "adapted": adapted})
    return model, int(model.predict(samples.X[-1:])[0])


def prepared_replay(
    data: engine.Dataset, drawn: engine.ReplaySet | None, base: engine.SoftmaxModel
) -> list[object]:
    """The replay for adapting ``base``: ``drawn`` from ``data``'s training set (drawn here
    when None), wrapped for ``base`` alone and made ready. Returns ``[data, drawn replay,
    base, replay to adapt it with]``: a list, which the receiver empties, so that the job
    object (kept until the next job of its kind) does not keep ~100 MB alive.

    One adaptation to one of the replay's own images fills what the engine caches in the
    replay for this base (the replay and guard images mapped through its input map, and its
    terms on them), so the user's first correction does not wait for it.
    """
    if drawn is None:
        drawn = engine.prepare_replay(data.X_train, data.y_train)
    # a ReplaySet of its own (the arrays are shared): its cache goes when the base does
    replay = engine.ReplaySet(XT=drawn.XT, y=drawn.y, X_guard=drawn.X_guard, y_guard=drawn.y_guard)
    engine.adapt(base, drawn.XT[:, :1].T, drawn.y[:1], replay=replay)
    return [data, drawn, base, replay]


def measure(
    base: engine.SoftmaxModel,
    samples: engine.PersonalSamples,
    replay: engine.ReplaySet,
    test: tuple[np.ndarray, np.ndarray] | None,
) -> engine.PersonalReport:
    """``engine.evaluate_personal`` of ``base`` on the samples (and ``test`` when given)."""
    samples = samples.for_version(base.preprocessing_version)
    X_test, y_test = test if test is not None else (None, None)
    return engine.evaluate_personal(
        base, samples.X, samples.y, replay=replay, X_test=X_test, y_test=y_test
    )


def save(samples: engine.PersonalSamples, path: Path) -> Path:
    """Write ``samples`` to ``path`` (creating its folder) with ``engine.save_samples``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return engine.save_samples(samples, path)


def with_personal_samples(data: engine.Dataset, samples: engine.PersonalSamples) -> engine.Dataset:
    """``data`` with ``samples`` appended to its training set (data plumbing, no maths).

    The samples are remade for the dataset's preprocessing version if needed; uint8 training
    images (grey levels) get the samples as grey levels too.
    """
    samples = samples.for_version(data.preprocessing_version)
    X = samples.X  # (n, 784) float32 in [0, 1]
    if data.X_train.dtype == np.uint8:
        X = engine.to_grey_levels(X)
    return replace(
        data,
        X_train=np.concatenate([data.X_train, X.astype(data.X_train.dtype)]),
        y_train=np.concatenate([data.y_train, samples.y.astype(data.y_train.dtype)]),
        # a dataset name, recorded in the metadata of the models trained on it: stays English
        # as the engine's dataset names do
        name=f"{data.name} + {len(samples)} of your digits",
    )


def set_samples_aside(path: Path, exc: BaseException) -> tuple[str, bool]:
    """Move the unreadable samples file ``path`` aside (``exc``: why it could not be read).
    Returns the notice for the user, and whether new samples may be saved at ``path``."""
    try:
        aside = set_aside(path, UNREADABLE_SUFFIX)
    except OSError as move_error:
        notice = QCoreApplication.translate(
            "worker_tasks",
            "Your handwriting samples could not be read: {problem}. The file could not be moved "
            "aside ({why}), so new samples will not be saved this session.",
        ).format(problem=describe(exc), why=describe(move_error))
        return notice, False
    notice = QCoreApplication.translate(
        "worker_tasks",
        "Your handwriting samples could not be read: {problem}. The file was kept as {name}; "
        "starting with no samples.",
    ).format(problem=describe(exc), name=aside.name)
    return notice, True
