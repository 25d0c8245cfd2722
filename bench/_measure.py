"""Measurements the benchmarks and tests make, kept out of the product.

:func:`stroke_widths` measures what :func:`engine.handwriting.strokes.normalise_stroke_batch`
redraws: the median over MNIST's training digits is :data:`MNIST_RIDGE_WIDTH`
(``python bench/experiments_issue4.py --measure``), and the tests check that redrawn strokes
reach their target width with it.
"""

from __future__ import annotations

import numpy as np

from engine.handwriting.strokes import (
    INK_LEVEL,
    MAX_DISTANCE,
    _local_max,
    _ridge_widths,
    _squared_distance_to,
)

#: Median stroke width of the 60,000 MNIST training digits measured by
#: :func:`stroke_widths` at ``WORK_FACTOR`` (``bench/experiments_issue4.py --measure``).
MNIST_RIDGE_WIDTH = 5.36


def stroke_widths(images: np.ndarray) -> np.ndarray:
    """Estimated stroke width (working pixels) of each image (n, h, w) in [0, 1]; 0 if blank.

    The same ridge measure :func:`engine.handwriting.strokes.normalise_stroke_batch` uses
    to decide how far to move each edge.
    """
    ink = images >= INK_LEVEL
    inside2 = _squared_distance_to(~ink, True, MAX_DISTANCE)
    return _ridge_widths(inside2, _local_max(inside2), ink)
