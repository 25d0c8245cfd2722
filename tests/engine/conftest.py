"""Fixtures for engine tests: the bundled MNIST, loaded once per session."""

from __future__ import annotations

import pytest

from engine import Dataset, load_mnist


@pytest.fixture(scope="session")
def mnist() -> Dataset:
    return load_mnist()
