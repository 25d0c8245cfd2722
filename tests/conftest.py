"""Shared test setup: Qt runs offscreen; the dataset cache stays inside the checkout; and the
fixtures both suites use (the bundled MNIST, loaded once per session, and the shipped model).

Suite-specific fixtures are in ``tests/engine/conftest.py`` (trained runs, IDX folders, the
personal-adaptation replay) and ``tests/gui/conftest.py`` (isolated settings, a window).
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from engine import DEFAULT_MODEL_PATH, Dataset, SoftmaxModel, load_mnist, load_model

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Tests never write to the user's ~/.cache; the cache survives between runs in the
# (git-ignored) pytest cache folder, so only the first run pays for decompression.
os.environ.setdefault(
    "XDG_CACHE_HOME", str(Path(__file__).resolve().parent.parent / ".pytest_cache" / "xdg")
)

#: Subset sizes for tests that need real digits but not the whole set.
SMALL_TRAIN = 2_000
SMALL_TEST = 1_000


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


#: The classic pixel model (what the app shipped before its edges model): tests of what a
#: pixel model shows, or that need its misreads, read with it.
PIXEL_MODEL_PATH = Path(__file__).with_name("pixel_model.npz")


@pytest.fixture(scope="session")
def pixel_model() -> SoftmaxModel:
    """A pixel model (read-only: tests must not modify it)."""
    return load_model(PIXEL_MODEL_PATH)


@pytest.fixture(scope="session")
def shipped_model() -> SoftmaxModel:
    """The model the app ships and opens by default (read-only: tests must not modify it)."""
    return load_model(DEFAULT_MODEL_PATH)
