"""Shapes and sizes shared by every part of the engine."""

from __future__ import annotations

MNIST_SIDE = 28
N_FEATURES = MNIST_SIDE * MNIST_SIDE  # 784
N_CLASSES = 10
