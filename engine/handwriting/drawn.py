"""Drawn copies: extra training images that look like digits drawn on the canvas.

A linear model reads a digit well only if it saw digits like it. Canvas drawings differ
from MNIST's scans in ways preprocessing cannot undo completely: a hard-edged pen instead of
grey anti-aliasing, a rotated hand, a thick pen that closes small loops. A drawn copy of a
training image is made the way such a drawing reaches the model (preprocessing version 3):
the raw MNIST digit is upsampled into the 56×56 working frame, rotated and slanted at
random, turned into hard-edged ink at a random level (a binary pen), made thicker or
thinner at random, and then sent through the same renderer as every canvas drawing.

This is offline augmentation, for L-BFGS-B: ``python -m engine train --drawn-copies N``
trains on the training set plus N drawn copies of it (the shipped model's recipe). The
distortions are independent of the drawn-digit yardstick (bench/yardstick.py): they work
on training images, with their own random streams.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from engine.constants import MNIST_SIDE
from engine.data.datasets import Dataset, as_features
from engine.greyscale import to_grey_levels
from engine.handwriting.preprocessing import render_working_frames, to_working_frame
from engine.handwriting.strokes import distance_to


@dataclass(frozen=True)
class DrawnStyle:
    """How drawn copies vary; angles and shears are uniform in ``[-max, max]``.

    Pen changes are in working-frame pixels (a digit is ~40 px tall there): a ``grow_p``
    share of copies get a pen thicker by ``pen_change`` px on each side, a ``shrink_p``
    share one thinner by as much (a stroke never vanishes: it keeps its old ink then).
    """

    max_rotate_deg: float = 20.0
    max_shear: float = 0.3
    ink_level: tuple[float, float] = (0.2, 0.6)
    pen_change: tuple[float, float] = (1.0, 2.5)
    grow_p: float = 0.5
    shrink_p: float = 0.2

    def __post_init__(self) -> None:
        if not (0 <= self.grow_p and 0 <= self.shrink_p and self.grow_p + self.shrink_p <= 1):
            raise ValueError(f"grow_p and shrink_p must be ≥ 0 with a sum ≤ 1, got {self}")
        if not 0 < self.ink_level[0] <= self.ink_level[1] < 1:
            raise ValueError(f"ink_level must be a range inside (0, 1), got {self.ink_level}")
        if not 0 <= self.pen_change[0] <= self.pen_change[1] <= MAX_PEN_CHANGE:
            raise ValueError(
                f"pen_change must be a range inside [0, {MAX_PEN_CHANGE}], got {self.pen_change}"
            )


#: The preprocessing version drawn copies are rendered for.
DRAWN_VERSION = 3
#: Largest pen change (working px) the bounded distance transform resolves exactly.
MAX_PEN_CHANGE = 4.0
DEFAULT_STYLE = DrawnStyle()
#: Images per resampling block (its coordinate arrays take ~75 MB).
BLOCK = 1024


def drawn_copies(
    X_raw: np.ndarray,
    copies: int,
    seed: int = 0,
    style: DrawnStyle = DEFAULT_STYLE,
    should_stop: Callable[[], bool] | None = None,
) -> np.ndarray:
    """``copies`` drawn copies of every image, prepared for preprocessing version 3.

    Parameters
    ----------
    X_raw : (n, 784) MNIST images as published (preprocessing version 1), float in [0, 1]
        or uint8.
    copies : how many copies of each image (copy ``k`` of image ``i`` is row ``k * n + i``).
    seed : random seed; the same seed gives the same copies.
    should_stop : checked between blocks; when it returns True the copies made so far are
        returned (fewer rows).

    Returns
    -------
    (copies * n, 784) float32 images in [0, 1], ready for a version-3 model; labels are the
    originals' labels repeated ``copies`` times.
    """
    if copies < 0:
        raise ValueError(f"copies must be ≥ 0, got {copies}")
    X = np.asarray(X_raw)
    if X.ndim != 2 or X.shape[1] != MNIST_SIDE * MNIST_SIDE:
        raise ValueError(f"X_raw must be (n, {MNIST_SIDE * MNIST_SIDE}), got {X.shape}")
    n = X.shape[0]
    out = np.empty((copies * n, MNIST_SIDE * MNIST_SIDE), dtype=np.float32)
    done = 0
    for k in range(copies):
        rng = np.random.default_rng([seed, k])
        for start in range(0, n, BLOCK):
            if should_stop is not None and should_stop():
                return out[:done]
            features = as_features(X[start : start + BLOCK]).astype(np.float32, copy=False)
            block = features.reshape(-1, MNIST_SIDE, MNIST_SIDE)
            work = draw(block, rng, style)
            rows = slice(k * n + start, k * n + start + block.shape[0])
            out[rows] = render_working_frames(work)
            done = rows.stop
    return out


def draw(images: np.ndarray, rng: np.random.Generator, style: DrawnStyle) -> np.ndarray:
    """Images (m, 28, 28) in [0, 1] as hard-edged drawings in working frames (m, 56, 56)."""
    from scipy import ndimage  # deferred: importing it costs the app ~0.3 s at startup

    work = to_working_frame(images)
    m, side = int(work.shape[0]), int(work.shape[1])
    centre = (side - 1) / 2
    angle = np.radians(rng.uniform(-style.max_rotate_deg, style.max_rotate_deg, m))
    shear = rng.uniform(-style.max_shear, style.max_shear, m)
    level = rng.uniform(*style.ink_level, m).astype(np.float32)
    pick = rng.uniform(size=m)
    change = rng.uniform(*style.pen_change, m).astype(np.float32)
    # inverse map, output (r, c) -> input: rotate, then shear columns by rows, about the centre
    r, c = np.meshgrid(np.arange(side) - centre, np.arange(side) - centre, indexing="ij")
    cos, sin = np.cos(angle)[:, None, None], np.sin(angle)[:, None, None]
    src_r = cos * r - sin * c + centre
    src_c = sin * r + cos * c + shear[:, None, None] * r + centre
    index = np.broadcast_to(np.arange(m, dtype=np.float64)[:, None, None], src_r.shape)
    turned = ndimage.map_coordinates(
        work, np.stack([index, src_r, src_c]), order=1, mode="constant"
    )
    ink = turned > level[:, None, None]
    grow = pick < style.grow_p
    shrink = (pick >= style.grow_p) & (pick < style.grow_p + style.shrink_p)
    limit = int(np.ceil(MAX_PEN_CHANGE))
    if grow.any():
        ink[grow] = distance_to(ink[grow], False, limit) <= change[grow, None, None]
    if shrink.any():
        thinned = distance_to(~ink[shrink], True, limit) > change[shrink, None, None]
        vanished = ~thinned.any(axis=(1, 2))
        thinned[vanished] = ink[shrink][vanished]
        ink[shrink] = thinned
    return ink.astype(np.float32)


def with_drawn_copies(
    data: Dataset, X_raw: np.ndarray, copies: int, seed: int = 0, style: DrawnStyle = DEFAULT_STYLE
) -> Dataset:
    """``data`` with ``copies`` drawn copies of its training images appended.

    Parameters
    ----------
    data : a dataset prepared for preprocessing version 3.
    X_raw : the same training images as published (version 1), row for row.

    Returns
    -------
    A Dataset whose training set is the original followed by the copies (same dtype as
    ``data.X_train``: uint8 images get the copies as grey levels), labels repeated.
    """
    if data.preprocessing_version != DRAWN_VERSION:
        raise ValueError(
            f"drawn copies are made for preprocessing version {DRAWN_VERSION}, "
            f"the dataset has version {data.preprocessing_version}"
        )
    if X_raw.shape != data.X_train.shape:
        raise ValueError(
            f"raw training images {X_raw.shape} do not match the dataset's {data.X_train.shape}"
        )
    extra = drawn_copies(X_raw, copies, seed, style)
    if data.X_train.dtype == np.uint8:
        extra = to_grey_levels(extra)
    return replace(
        data,
        X_train=np.concatenate([data.X_train, extra.astype(data.X_train.dtype, copy=False)]),
        y_train=np.tile(data.y_train, copies + 1),
        name=f"{data.name} + {copies} drawn copies",
    )
