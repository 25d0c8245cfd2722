"""Evaluating a model on the test set for the Evaluate tab (on a worker thread), and why a
model cannot be evaluated on a dataset. The numbers are the engine's."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QCoreApplication

import engine
from engine import Evaluation


@dataclass(frozen=True)
class EvaluationReport:
    """A model's evaluation on the test set, with every image's probabilities (n, k) and
    loss ``-log p[true]`` (n,)."""

    evaluation: Evaluation
    proba: np.ndarray
    loss: np.ndarray


def evaluate(model: engine.SoftmaxModel, data: engine.Dataset) -> EvaluationReport:
    """The engine's evaluation of ``model`` on the test set of ``data``, with each test
    image's probabilities and loss (run on a worker thread)."""
    evaluation = engine.evaluate(model, data.X_test, data.y_test)  # checks the labels
    logits = model.logits(data.X_test)  # (n, k)
    rows = np.arange(logits.shape[0])
    loss = -engine.log_softmax(logits.astype(np.float64))[rows, evaluation.y_true]
    return EvaluationReport(evaluation, engine.softmax(logits), loss)


def trained_elsewhere(model: engine.SoftmaxModel, data: engine.Dataset) -> str | None:
    """A plain note when ``model`` was trained on another dataset than ``data`` (as its
    metadata records), e.g. "trained on MNIST, not on Fashion-MNIST"; None otherwise."""
    base = model.metadata.get("base")
    trained_on = model.metadata.get("dataset") or (
        base.get("dataset") if isinstance(base, dict) else None
    )
    if not isinstance(trained_on, str) or _same_dataset(trained_on, data.name):
        return None
    return QCoreApplication.translate(
        "evaluation", "trained on {trained_on}, not on {dataset}"
    ).format(trained_on=trained_on, dataset=data.name)


def _same_dataset(a: str, b: str) -> bool:
    """Whether names ``a`` and ``b`` are the same dataset, or one part of or added to the
    other ("MNIST", "MNIST subset", "MNIST + 3 drawn copies")."""
    a, b = a.split(" + ")[0], b.split(" + ")[0]
    return a == b or a.startswith(b + " ") or b.startswith(a + " ")


def unavailable_reason(
    model: engine.SoftmaxModel | None, data: engine.Dataset | None, source: str
) -> str | None:
    """Why ``model`` (from ``source``) cannot be evaluated on ``data``; None if it can."""
    if model is None:
        return QCoreApplication.translate("evaluation", "No evaluation yet: waiting for a model.")
    if data is None:
        return QCoreApplication.translate(
            "evaluation", "No evaluation yet: waiting for the dataset."
        )
    if not engine.same_preprocessing(model, data):
        note = trained_elsewhere(model, data)
        if note:
            source = QCoreApplication.translate("evaluation", "{source} ({note})").format(
                source=source, note=note
            )
        return QCoreApplication.translate(
            "evaluation",
            "{source} expects images prepared with preprocessing version {model_version}; "
            "{dataset} was prepared with version {data_version}. To evaluate it, choose that "
            "preprocessing next to the dataset (Train tab).",
        ).format(
            source=source,
            model_version=model.preprocessing_version,
            dataset=data.name,
            data_version=data.preprocessing_version,
        )
    return None
