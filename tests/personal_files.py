"""Personal samples for tests: MNIST digits drawn on a canvas-sized page, and bad samples files."""

from __future__ import annotations

import numpy as np

from engine import MNIST_SIDE, PREPROCESSING_VERSION, PersonalSamples, preprocess_canvas

#: The canvas's ink buffer side (the page is 280 units at 2x resolution).
INK_SIDE = 560


def page_of(image: np.ndarray, side: int = INK_SIDE) -> np.ndarray:
    """A 28x28 image in [0, 1] (or 784 values) blown up to an ink-bright (side, side) uint8
    canvas, as if drawn on the app's page."""
    grey = np.rint(np.asarray(image, dtype=np.float32).reshape(MNIST_SIDE, MNIST_SIDE) * 255)
    scale = side // MNIST_SIDE
    return np.kron(grey.astype(np.uint8), np.ones((scale, scale), dtype=np.uint8))


def samples_of(images: np.ndarray, labels, version: int = PREPROCESSING_VERSION) -> PersonalSamples:
    """PersonalSamples of MNIST-format images (n, 784) drawn with :func:`page_of`, the model
    inputs made by ``preprocess_canvas`` as the app makes them."""
    samples = PersonalSamples.empty(version)
    for image, label in zip(images, labels, strict=True):
        page = page_of(image)
        samples = samples.add(preprocess_canvas(page, version), int(label), page)
    return samples
