"""Fixtures for engine tests: the bundled MNIST and two trained runs, each made once per session,
and a tiny IDX folder with a private cache for the dataset tests.

Training is the slow part of the engine suite, so the full-data runs that several tests need
(accuracy, progress records, a model to classify preprocessed drawings) are shared here.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from engine import (
    Dataset,
    Progress,
    SoftmaxModel,
    TrainConfig,
    TrainResult,
    load_mnist,
    run_to_end,
    train,
)

from ..idx_files import make_idx_folder

#: Subset sizes for tests that need real digits but not the whole set.
SMALL_TRAIN = 2_000
SMALL_TEST = 1_000


@dataclass(frozen=True)
class Run:
    """Everything a training generator produced: its records and its result."""

    records: tuple[Progress, ...]
    result: TrainResult


def drain(gen: Generator[Progress, None, TrainResult]) -> Run:
    """Run a training generator to the end, keeping every record and the returned result."""
    records: list[Progress] = []
    result = run_to_end(gen, records.append)
    return Run(tuple(records), result)


@pytest.fixture(scope="module")
def single_blas_thread() -> Generator[None, None, None]:
    """One BLAS thread for modules doing many tiny matrix products.

    On a busy 2-core machine OpenBLAS threads thrash on small GEMMs: a loss on 200 images
    took 23 ms with the default pool against 1.3 ms with one thread.
    """
    with threadpool_limits(limits=1, user_api="blas"):
        yield


@pytest.fixture(scope="session")
def mnist() -> Dataset:
    """The bundled MNIST as the app loads it (default preprocessing version)."""
    return load_mnist()


@pytest.fixture(scope="session")
def mnist_raw() -> Dataset:
    """The bundled MNIST exactly as published (preprocessing version 1: no changes)."""
    return load_mnist(preprocessing_version=1)


@pytest.fixture(scope="session")
def mnist_small(mnist: Dataset) -> Dataset:
    """The first 2,000 training and 1,000 test images: enough to learn, fast to train on."""
    return replace(
        mnist,
        X_train=mnist.X_train[:SMALL_TRAIN],
        y_train=mnist.y_train[:SMALL_TRAIN],
        X_test=mnist.X_test[:SMALL_TEST],
        y_test=mnist.y_test[:SMALL_TEST],
        name="MNIST-small",
    )


@pytest.fixture(scope="session")
def sgd_run(mnist: Dataset) -> Run:
    """Two epochs of fixed-seed mini-batch SGD on the full training set."""
    return drain(train(mnist, TrainConfig(optimizer="sgd", epochs=2, seed=0)))


@pytest.fixture(scope="session")
def lbfgs_run(mnist: Dataset) -> Run:
    """Fifty L-BFGS-B iterations on the full training set (the reference's budget)."""
    return drain(train(mnist, TrainConfig(optimizer="lbfgs", max_iter=50, seed=0)))


@pytest.fixture(scope="session")
def trained_model(lbfgs_run: Run) -> SoftmaxModel:
    """A model trained in this session, so tests do not depend on the shipped file."""
    model = lbfgs_run.result.model
    assert np.isfinite(model.W).all()
    return model


@pytest.fixture
def idx_folder(tmp_path: Path) -> Path:
    """A tiny valid IDX folder (tests/idx_files.py), made afresh for each test."""
    folder = tmp_path / "digits"
    make_idx_folder(folder)
    return folder


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private, empty cache directory for this test."""
    home = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home / "softmax-gui"
