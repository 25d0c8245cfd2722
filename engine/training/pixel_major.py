"""L-BFGS-B's copy of the training set: pixel-major, in chunks of images that ink similar
pixels, each cut into tiles whose products run in cache.

The copy is made once per run, in chunks of ~1000 images of one digit and similar width:
each chunk keeps only the pixels that one of its images inks (about 60% of them; the others
add exactly nothing to its products), cut into tiles of ~100 images. MNIST-format pixels
are whole multiples of 1/255, so the copy stores them as uint8 (a quarter of float32's
memory); a full-batch pass converts one chunk at a time to float32 into a
:class:`Workspace` and runs both products, ``W.T @ XT`` and ``XT @ G``, tile by tile while
it is in cache (:class:`TiledChunk`). Data that is not on the 1/255 grid keep a float32
copy, processed the same way.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from engine.constants import MNIST_SIDE, N_FEATURES
from engine.greyscale import GREY_MAX, GREY_STEP

#: OpenBLAS multiplies matrices with M·N·K at most this without packing them first (its
#: small-matrix kernels, on x86-64 with AVX-512): a chunk is cut into tiles whose products
#: stay within it (112 images for MNIST), which runs them 1.5× as fast as on whole chunks.
#: Other BLAS libraries just see more, smaller products.
SMALL_PRODUCT = 100**3
#: Tiles hold a whole number of SIMD widths of images.
TILE_STEP = 16
#: Images per block when finding where each image's ink starts and ends (bounds the
#: temporary arrays to a few MB).
EXTENT_BLOCK = 4096

#: ``map(f, starts)``-like: runs ``f`` on each block start, in order, and returns the results.
MapBlocks = Callable[
    [Callable[[int], tuple[np.ndarray, np.ndarray]], Iterable[int]],
    Iterable[tuple[np.ndarray, np.ndarray]],
]


def tile_width(n_pixels: int, n_classes: int) -> int:
    """Images per tile: the widest multiple of TILE_STEP whose products over up to
    ``n_pixels`` pixels stay within SMALL_PRODUCT (at least TILE_STEP)."""
    widest = SMALL_PRODUCT // (n_classes * max(1, n_pixels))
    return max(TILE_STEP, widest // TILE_STEP * TILE_STEP)


def similar_ink_order(X: np.ndarray, y: np.ndarray, map_blocks: MapBlocks = map) -> np.ndarray:
    """An order of the training images (n,): by label, then by the first and then the last
    image column they ink (28×28 images; other shapes by label only). ``map_blocks(f,
    starts)`` runs ``f`` on the blocks of EXTENT_BLOCK images (by default one after another).

    The order of the terms leaves the objective's sums as they are; chunks of images ordered
    so leave ~38% of their pixels blank throughout (27% by label alone, 16% as stored), and
    the products skip those.
    """
    if X.shape[1] != N_FEATURES:
        return np.argsort(y, kind="stable")

    def extents(start: int) -> tuple[np.ndarray, np.ndarray]:
        block = X[start : start + EXTENT_BLOCK]
        ink = block if X.dtype == np.uint8 else block != 0
        columns = _column_maxima(ink.reshape(-1, MNIST_SIDE, MNIST_SIDE)) > 0  # (block, side)
        return columns.argmax(axis=1), MNIST_SIDE - 1 - columns[:, ::-1].argmax(axis=1)

    first, last = zip(*map_blocks(extents, range(0, X.shape[0], EXTENT_BLOCK)), strict=True)
    return np.lexsort((np.concatenate(last), np.concatenate(first), y))


def _column_maxima(images: np.ndarray) -> np.ndarray:
    """``images.max(axis=1)`` for (m, rows, cols) images, by halving the rows: NumPy reduces
    that middle axis 4× slower."""
    while images.shape[1] % 2 == 0:
        half = images.shape[1] // 2
        images = np.maximum(images[:, :half], images[:, half:])
    maxima = images[:, 0].copy()
    for row in range(1, images.shape[1]):
        np.maximum(maxima, images[:, row], out=maxima)
    return maxima


@dataclass(frozen=True)
class Chunk:
    """Images ``start:stop`` of :func:`similar_ink_order`, pixel-major, only the pixels
    that one of them inks."""

    start: int
    stop: int
    pixels: np.ndarray  # (r,) indices into the active pixels
    tiles: np.ndarray  # (tiles, r, width) levels (features / scale); blank padding images


def pixel_major_chunk(
    X: np.ndarray, images: np.ndarray, width: int, dtype: type[Any], rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray] | None:
    """Images ``X[images]`` pixel-major: ``(inked, tiles)`` with ``inked`` the columns of
    ``X`` that one of them inks and ``tiles`` (tiles, len(inked), width) their values in
    tiles of ``width`` images (blank padding images), as uint8 levels ``X * 255`` or as
    float32 (``dtype``). With uint8 for float ``X``, None unless every value is a whole
    number of 1/255 steps in [0, 1] (as :func:`engine.data.datasets.to_features` makes them).
    ``rows`` is scratch space for ``X[images]``, reused so that it costs no page faults.
    """
    block = np.take(X, images, axis=0, out=rows[: images.size])  # (m, d)
    inked = np.flatnonzero(block.any(axis=0))
    values = block[:, inked]  # (m, r)
    if X.dtype != np.uint8 and dtype == np.uint8:
        if values.size and not (values.min() >= 0 and values.max() <= 1):
            return None
        levels = np.rint(values * np.float32(GREY_MAX))  # in [0, 255]
        # the same float32 operations as to_features, so a match is bit-exact
        if not (levels * GREY_STEP == values).all():
            return None
        values = levels
    tiles = np.empty((math.ceil(images.size / width), inked.size, width), dtype=dtype)
    tiles[-1] = 0  # blank padding images
    for t, first in enumerate(range(0, images.size, width)):
        part = values[first : first + width]
        tiles[t, :, : part.shape[0]] = part.T
    return inked, tiles


@dataclass
class Workspace:
    """One thread's buffers for the chunks it processes (a chunk is ``tiles`` tiles), reused
    so that no chunk costs a fresh allocation and its page faults."""

    X: np.ndarray  # (tiles, d_active, width) float32: the chunk's levels (features / scale)
    logits: np.ndarray  # (k, tiles * width): class-major, as class_major_loss_gradient wants
    residual: np.ndarray  # (tiles, width, k): proba - one-hot, tile by tile
    parts: np.ndarray  # (tiles, d_active, k): each tile's share of dW


class TiledChunk:
    """A chunk of the pixel-major copy as :func:`engine.model.class_major_loss_gradient`
    sees it, (d_active, m), converted into a workspace: its two products run tile by tile
    over the chunk's inked pixels only.

    NumPy hands ``W.T @ chunk`` to ``__rmatmul__`` because ``__array_ufunc__`` is None.
    """

    __array_ufunc__ = None

    def __init__(self, work: Workspace, chunk: Chunk) -> None:
        self.work, self.pixels = work, chunk.pixels
        count, r, width = chunk.tiles.shape
        self.X = work.X[:count, :r]  # (count, r, width)
        np.copyto(self.X, chunk.tiles)
        self.shape = (work.X.shape[1], chunk.stop - chunk.start)

    def __rmatmul__(self, W_T: np.ndarray) -> np.ndarray:
        """(k, d_active) @ chunk -> logits (k, m), a view of the workspace's buffer."""
        count, width = self.X.shape[0], self.X.shape[2]
        logits = self.work.logits[:, : count * width]
        tiles = logits.reshape(W_T.shape[0], count, width, copy=False).transpose(1, 0, 2)
        np.matmul(W_T[:, self.pixels], self.X, out=tiles)  # (count, k, width)
        return logits[:, : self.shape[1]]

    def __matmul__(self, G_T: np.ndarray) -> np.ndarray:
        """chunk @ (m, k) -> (d_active, k)."""
        m, count, k = self.shape[1], self.X.shape[0], G_T.shape[1]
        residual = self.work.residual[:count]
        flat = residual.reshape(-1, k)  # (count * width, k)
        np.copyto(flat[:m], G_T)
        flat[m:] = 0  # padding images (blank, but NaN * 0 would not be 0)
        parts = self.work.parts[:count, : self.pixels.size]
        np.matmul(self.X, residual, out=parts)  # (count, r, k)
        dW = np.zeros((self.shape[0], k), dtype=np.float32)
        dW[self.pixels] = parts.sum(axis=0)
        return dW
