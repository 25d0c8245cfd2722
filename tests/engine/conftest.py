"""Fixtures for engine tests: two trained runs, each made once per session, the base model and
a small replay for personal adaptation, and a tiny IDX folder with a private cache for the
dataset tests. The bundled MNIST fixtures are in ``tests/conftest.py``.

Training is the slow part of the engine suite, so the full-data runs that several tests need
(accuracy, progress records, a model to classify preprocessed drawings) are shared here; tests
using them are marked ``slow``.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from engine import (
    AdaptConfig,
    Dataset,
    Progress,
    ReplaySet,
    SoftmaxModel,
    TrainConfig,
    TrainResult,
    prepare_replay,
    run_to_end,
    train,
)

from ..idx_files import make_idx_folder

#: A small replay for the personal-adaptation tests of validation and bookkeeping (quick):
#: replayed and guard images drawn from ``mnist_small``.
SMALL_REPLAY = AdaptConfig(replay_size=500, guard_size=1000)


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


@pytest.fixture(scope="session")
def base(shipped_model: SoftmaxModel) -> SoftmaxModel:
    """The model personal adaptation starts from: the shipped one."""
    return shipped_model


@pytest.fixture(scope="session")
def replay(mnist_small: Dataset) -> ReplaySet:
    """A :data:`SMALL_REPLAY` replay set drawn from ``mnist_small``."""
    return prepare_replay(mnist_small.X_train, mnist_small.y_train, SMALL_REPLAY)


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
