"""The 0–255 grey scale of MNIST-format images, and the conversions to and from features.

A uint8 grey level ``v`` is the feature ``v / GREY_MAX`` in [0, 1], ink bright (0 is the
background). Every conversion in the engine and the app goes through these two functions,
so a drawing, a cached prepared image and a figure all get the same levels.
"""

from __future__ import annotations

import numpy as np

#: The brightest grey level (full ink); level ``v`` is the feature ``v / GREY_MAX``.
GREY_MAX = 255
#: One grey step as a float32 feature. Multiplying by it (rather than dividing by
#: GREY_MAX) is what the prepared-image cache and every trained model were made with.
GREY_STEP = np.float32(1 / GREY_MAX)


def from_grey_levels(levels: np.ndarray) -> np.ndarray:
    """Grey levels 0–255 (any integer or float array) as float32 features in [0, 1].

    Parameters
    ----------
    levels : array of any shape holding grey levels 0–GREY_MAX.

    Returns
    -------
    A new float32 array of the same shape: ``levels * GREY_STEP``.
    """
    X = np.asarray(levels).astype(np.float32)
    X *= GREY_STEP
    return X


def to_grey_levels(X: np.ndarray) -> np.ndarray:
    """Features in [0, 1] as uint8 grey levels, the nearest level (ties to even).

    Values outside [0, 1] are clipped first, so a slight overshoot of the preprocessing
    reads as full ink rather than wrapping around.

    Parameters
    ----------
    X : float array of any shape.

    Returns
    -------
    A new uint8 array of the same shape: ``rint(clip(X, 0, 1) * GREY_MAX)``.
    """
    scaled = np.clip(X, 0.0, 1.0) * np.float32(GREY_MAX)
    return np.rint(scaled, out=scaled).astype(np.uint8)
