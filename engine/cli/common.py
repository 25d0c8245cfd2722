"""What the subcommands share: exit codes, loading data, output paths, JSON and percentages."""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from engine.data.datasets import Dataset, load_mnist
from engine.model import SoftmaxModel
from engine.personal.samples import PersonalSamples, load_samples

PROG = "python -m engine"
EXIT_OK, EXIT_CHECK_FAILED, EXIT_BAD_INPUT = 0, 1, 2
EXIT_INTERRUPTED = 130


def load_data(
    args: argparse.Namespace,
    preprocessing: int | None = None,
    err: TextIO | None = None,
    **kwargs: Any,
) -> Dataset:
    """``--data`` (the bundled MNIST by default), cut to ``--train-size``/``--test-size``;
    problems that did not stop the load (a malformed classes.txt) are written to ``err``."""
    if preprocessing is not None:
        kwargs["preprocessing_version"] = preprocessing
    data = load_mnist(args.data, **kwargs)
    if err is not None:
        for note in data.notes:
            err.write(f"warning: {note}\n")
    if args.train_size or args.test_size:
        n_train = args.train_size or data.X_train.shape[0]
        n_test = args.test_size or data.X_test.shape[0]
        data = replace(
            data,
            X_train=data.X_train[:n_train],
            y_train=data.y_train[:n_train],
            X_test=data.X_test[:n_test],
            y_test=data.y_test[:n_test],
        )
    return data


def check_out(path: Path | None) -> None:
    """Refuse, before any work, an output path that cannot be saved to."""
    if path is not None and not path.parent.is_dir():
        raise ValueError(f"{path}: folder {path.parent} does not exist")
    if path is not None and path.is_dir():
        raise ValueError(f"{path}: is a folder, expected a model file name")


def samples_for(path: Path, model: SoftmaxModel) -> PersonalSamples:
    """The samples file at ``path``, made for ``model``'s preprocessing; refuses 0 samples."""
    samples = load_samples(path)
    if len(samples) == 0:
        raise ValueError(f"{path}: the samples file holds 0 samples")
    try:
        return samples.for_version(model.preprocessing_version)
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from None


def emit_json(obj: dict[str, Any], out: TextIO) -> None:
    out.write(json.dumps(obj, default=_jsonable) + "\n")


def _jsonable(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def pct(x: float) -> str:
    return f"{100 * x:.2f}%"
