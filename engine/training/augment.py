"""On-the-fly training augmentation: small random distortions of each mini-batch.

Each image gets, with probability ``p``, a random affine map (rotation, scale, shear,
shift), an elastic distortion (a smoothed random displacement field, as in Simard et al.
2003) and a stroke-thickness change (grey dilation or erosion), all in one vectorised
resampling of the batch. Labels are unchanged. Afterwards the batch goes through the
preprocessing version's dataset-side steps again, so augmented images look like the
images the model sees at prediction time (e.g. deskewed).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from engine.constants import MNIST_SIDE
from engine.handwriting.preprocessing import prepare_images

Augmenter = Callable[[np.ndarray, np.random.Generator], np.ndarray]


@dataclass(frozen=True)
class AugmentConfig:
    """Strength of each distortion; every draw is uniform in ``[-max, max]``."""

    p: float = 0.5
    max_rotate_deg: float = 10.0
    max_scale: float = 0.1
    max_shear: float = 0.2
    max_shift: float = 1.0
    elastic_alpha: float = 1.5  # displacement, in pixels, of the smoothed field
    elastic_sigma: float = 3.0
    thickness_p: float = 0.3  # chance of a dilation, and the same of an erosion


#: Named presets offered in the CLI and the GUI.
PRESETS: dict[str, AugmentConfig | None] = {
    "none": None,
    "light": AugmentConfig(p=0.5),
    "strong": AugmentConfig(
        p=0.8,
        max_rotate_deg=15.0,
        max_scale=0.15,
        max_shear=0.3,
        elastic_alpha=2.5,
        thickness_p=0.4,
    ),
    # Pen width only, for preprocessing version 3: it undoes shifts, size and slant itself
    # and redraws every stroke at one width, so what is left of a thicker pen is what a
    # thick pen really does to a drawing: small loops closed, strokes merged. It helps
    # thick-pen drawings; rotations and wobble did not help a linear model (bench/README.md).
    "pen": AugmentConfig(
        p=0.5,
        max_rotate_deg=0.0,
        max_scale=0.0,
        max_shear=0.0,
        max_shift=0.0,
        elastic_alpha=0.0,
        thickness_p=0.5,
    ),
}


def distort(images: np.ndarray, config: AugmentConfig, rng: np.random.Generator) -> np.ndarray:
    """Randomly distort a batch of images (n, h, w) in [0, 1]; returns a new float32 array."""
    from scipy import ndimage  # deferred: importing it costs the app ~0.3 s at startup

    n, h, w = (int(side) for side in images.shape)
    if not (
        config.max_rotate_deg
        or config.max_scale
        or config.max_shear
        or config.max_shift
        or config.elastic_alpha
    ):
        return _thickness(images.astype(np.float32), config, rng)
    centre = np.array([(h - 1) / 2, (w - 1) / 2])
    angle = np.radians(rng.uniform(-config.max_rotate_deg, config.max_rotate_deg, n))
    scale = 1 + rng.uniform(-config.max_scale, config.max_scale, n)
    shear = rng.uniform(-config.max_shear, config.max_shear, n)
    shift = rng.uniform(-config.max_shift, config.max_shift, (n, 2))
    cos, sin = np.cos(angle) / scale, np.sin(angle) / scale
    # inverse map, output (r, c) -> input: rotate, then shear columns by rows, about the centre
    r, c = np.meshgrid(np.arange(h) - centre[0], np.arange(w) - centre[1], indexing="ij")
    r = r[None] - shift[:, 0, None, None]
    c = c[None] - shift[:, 1, None, None]
    src_r = cos[:, None, None] * r - sin[:, None, None] * c
    src_c = sin[:, None, None] * r + cos[:, None, None] * c + shear[:, None, None] * r
    if config.elastic_alpha:
        field = rng.uniform(-1, 1, (2, n, h, w))
        field = ndimage.gaussian_filter(
            field, sigma=(0, 0, config.elastic_sigma, config.elastic_sigma)
        )
        norm = np.abs(field).max(axis=(2, 3), keepdims=True) + 1e-12
        field *= config.elastic_alpha / norm
        src_r, src_c = src_r + field[0], src_c + field[1]
    coords = np.stack(
        [
            np.broadcast_to(np.arange(n)[:, None, None], (n, h, w)),
            src_r + centre[0],
            src_c + centre[1],
        ]
    )
    out = ndimage.map_coordinates(images, coords, order=1, mode="constant", cval=0.0)
    return _thickness(out.astype(np.float32), config, rng)


def _thickness(out: np.ndarray, config: AugmentConfig, rng: np.random.Generator) -> np.ndarray:
    """Dilate a ``thickness_p`` share of the images (n, h, w), erode as many; in place."""
    from scipy import ndimage  # deferred: importing it costs the app ~0.3 s at startup

    n = int(out.shape[0])
    pick = rng.uniform(size=n)
    thick = pick < config.thickness_p
    thin = (pick >= config.thickness_p) & (pick < 2 * config.thickness_p)
    if thick.any():
        out[thick] = ndimage.grey_dilation(out[thick], size=(1, 2, 2))
    if thin.any():
        out[thin] = ndimage.grey_erosion(out[thin], size=(1, 2, 2))
    return np.clip(out, 0.0, 1.0, out=out)


def make_augmenter(
    config: AugmentConfig | str | None, preprocessing_version: int
) -> Augmenter | None:
    """An ``augment`` callable for :func:`engine.train`, or None for no augmentation.

    Parameters
    ----------
    config : an :class:`AugmentConfig` or the name of a preset in :data:`PRESETS`.
    preprocessing_version : the dataset's version; augmented images are re-prepared with it.
    """
    if isinstance(config, str):
        if config not in PRESETS:
            raise ValueError(f"unknown augmentation {config!r}; choose from {sorted(PRESETS)}")
        config = PRESETS[config]
    if config is None:
        return None
    if not 0 <= config.p <= 1 or not 0 <= config.thickness_p <= 0.5:
        raise ValueError(f"augmentation probabilities out of range: {config}")
    chosen = config

    def augment(X: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        selected = np.flatnonzero(rng.uniform(size=X.shape[0]) < chosen.p)
        if selected.size == 0:
            return X
        side = int(math.isqrt(X.shape[1]))
        out = X.copy()
        images = X[selected].reshape(-1, side, side)
        distorted = distort(images, chosen, rng).reshape(selected.size, -1)
        if side == MNIST_SIDE:
            distorted = prepare_images(distorted, preprocessing_version)
        out[selected] = distorted
        return out

    return augment
