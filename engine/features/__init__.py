"""Fixed input maps in front of the softmax regression (pixels, edge directions, random
ReLU features), their standardisation, and training on the mapped inputs.

:mod:`engine.features.mapped` (training helpers) imports the model; import it directly.
"""

from __future__ import annotations

from engine.features.gradients import CELL, DIRECTIONS, N_EDGE_FEATURES, gradient_histograms
from engine.features.maps import (
    INPUT_MAPS,
    PIXELS,
    InputMap,
    MapInfo,
    fit_input_map,
    make_input_map,
)
from engine.features.random_relu import matrix_checksum, random_matrix, random_relu

__all__ = [
    "CELL",
    "DIRECTIONS",
    "INPUT_MAPS",
    "N_EDGE_FEATURES",
    "PIXELS",
    "InputMap",
    "MapInfo",
    "fit_input_map",
    "gradient_histograms",
    "make_input_map",
    "matrix_checksum",
    "random_matrix",
    "random_relu",
]
