"""L-BFGS-B's objective in whitened coordinates over a pixel-major copy of the training set.

L-BFGS-B copies the training set once into pixel-major order ``(d, n)``, leaving out pixels
that no training image inks (their data gradient is exactly zero). MNIST-format pixels are
whole multiples of 1/255, so the copy stores them as uint8 (a quarter of float32's memory);
a full-batch pass converts one chunk of images at a time to float32 and runs both
products, ``W.T @ XT`` and ``XT @ G``, on it while it is in cache. Data that is not on the
1/255 grid keep a float32 copy, processed the same way.
"""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from threadpoolctl import ThreadpoolController

from .blas import blas_single_threaded
from .datasets import PIXEL_LEVELS, as_features
from .model import add_l2, class_major_loss_gradient

#: Ridge added to the pixel covariance before whitening (see :class:`WhitenedProblem`).
WHITEN_RIDGE = 0.1
#: Training images sampled (evenly) to estimate the pixel covariance for whitening.
COVARIANCE_SAMPLE = 2_000
#: Images per block when copying the training set to pixel-major order (block fits in L2).
TRANSPOSE_BLOCK = 256
#: Images per chunk of L-BFGS-B's full-batch pass: a chunk converted to float32
#: (~720 inked pixels × 2048 × 4 B = 6 MB) is used by both products while in cache, and the
#: chunked uint8 pass measured as fast as one float32 pass over the whole set.
LBFGS_CHUNK = 2048
#: Threads sharing those chunks (each with one BLAS thread): the two cores this app targets.
#: Two OpenBLAS threads per product did the same for one float32 pass, but stall on
#: chunk-sized products; helper threads made afresh for each evaluation cost a third more.
LBFGS_THREADS = 2


class Diverged(Exception):
    """Raised inside the objective when the cost is not finite."""


def pixel_major(X: np.ndarray, columns: np.ndarray) -> tuple[np.ndarray, np.float32]:
    """``X[:, columns].T`` as a C-contiguous (len(columns), n) copy, made block by block.

    Returns ``(XT, scale)`` with features ``X[:, columns].T == XT * scale`` exactly: uint8
    levels and ``scale = 1/255`` when ``X`` holds uint8 levels or every value is a whole
    number of 1/255 steps in [0, 1] (as :func:`engine.datasets.to_features` makes them),
    else a float32 copy and ``scale = 1``.
    """
    n = X.shape[0]
    step = np.float32(1 / PIXEL_LEVELS)
    XT = np.empty((columns.size, n), dtype=np.uint8)
    for start in range(0, n, TRANSPOSE_BLOCK):
        stop = start + TRANSPOSE_BLOCK
        block = X[start:stop].T[columns]  # (d_active, block)
        if X.dtype != np.uint8:
            levels = np.rint(block * np.float32(PIXEL_LEVELS))
            # the same float32 operations as to_features, so a match is bit-exact
            if not (
                (levels >= 0).all()
                and (levels <= PIXEL_LEVELS).all()
                and (levels * step == block).all()
            ):
                return _pixel_major_float(X, columns), np.float32(1)
            block = levels
        XT[:, start:stop] = block
    return XT, step


def _pixel_major_float(X: np.ndarray, columns: np.ndarray) -> np.ndarray:
    XT = np.empty((columns.size, X.shape[0]), dtype=np.float32)
    for start in range(0, X.shape[0], TRANSPOSE_BLOCK):
        stop = start + TRANSPOSE_BLOCK
        XT[:, start:stop] = X[start:stop].T[columns]
    return XT


class WhitenedProblem:
    """The training objective in whitened coordinates, for L-BFGS-B.

    Raw pixels make a badly conditioned problem: their covariance ``Σ`` has eigenvalues
    from about 5 down to 0, and the mean image couples every weight with the bias.
    L-BFGS-B therefore optimises ``(V, c)`` with::

        W = P @ V,   b = c - mu @ W,   P = (Σ + λ I)^(-1/2)   (λ = WHITEN_RIDGE)

    over the pixels that some training image inks, ``mu`` their mean and ``Σ`` their
    covariance estimated on a sample. This is an exact change of variables: the
    objective (averaged cross-entropy + l2/2 ||W||², on raw [0, 1] pixels) and its minimum
    are unchanged, and the result maps back to the same model class. Pixels that no training
    image inks get no data gradient; they are left out of the products and keep
    ``W = V`` there.

    Before starting, two moves that can only lower the objective and never change a
    prediction on the training set are made when ``l2 > 0``: uninked pixels' weights are
    set to zero (their L2 minimum), and each pixel's weights are centred across classes
    (softmax ignores a shift shared by all classes; L2 prefers it zero). Both would
    otherwise be slow directions of curvature ``l2`` only.
    """

    def __init__(
        self, X: np.ndarray, y: np.ndarray, n_classes: int, l2: float, blas: ThreadpoolController
    ) -> None:
        n, d = X.shape
        self.n, self.d, self.k, self.l2 = n, d, n_classes, l2
        self.y = y
        self.rows = np.arange(min(n, LBFGS_CHUNK))
        self.active = np.flatnonzero((X.max(axis=0) > 0) | (X.min(axis=0) < 0))
        self.XT, self.scale = pixel_major(X, self.active)  # (d_active, n) uint8 or float32
        step = max(1, n // COVARIANCE_SAMPLE)
        sample = as_features(X[::step])[:, self.active]
        self.mu = sample.mean(axis=0)  # any vector keeps the change of variables exact
        sample -= self.mu
        self._blas = blas
        with blas_single_threaded(blas):
            cov = (sample.T @ sample) / np.float32(sample.shape[0])  # (d_active, d_active)
            eigval, eigvec = np.linalg.eigh(cov)
            scale = np.maximum(eigval, 0.0) + np.float32(WHITEN_RIDGE)
            self.P = (eigvec * scale**-0.5) @ eigvec.T
            self.P_inv = (eigvec * scale**0.5) @ eigvec.T
        self.evaluations = 0
        self.last_theta: np.ndarray | None = None
        self.last_wrong = 0
        self._pool: ThreadPoolExecutor | None = None
        self._buffers: list[np.ndarray] = []

    def prepare(self, W: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The class docstring's two free improvements of a starting point (when l2 > 0)."""
        W, b = W.copy(), b.copy()
        if self.l2 > 0:
            inactive = np.ones(self.d, dtype=bool)
            inactive[self.active] = False
            W[inactive] = 0
            W -= W.mean(axis=1, keepdims=True)
        return W, b

    def to_theta(self, W: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Raw ``(W, b)`` -> SciPy's float64 vector of ``(V, c)``."""
        V = W.copy()
        with blas_single_threaded(self._blas):
            V[self.active] = self.P_inv @ W[self.active]
        c = b + self.mu @ W[self.active]
        return np.concatenate([V.ravel(), c]).astype(np.float64)

    def to_raw(self, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """SciPy's vector of ``(V, c)`` -> raw float32 ``(W, b)``."""
        split = self.d * self.k
        V = theta[:split].reshape(self.d, self.k).astype(np.float32)
        c = theta[split:].astype(np.float32)
        W = V  # fresh float32 array; rows of uninked pixels stay as they are
        with blas_single_threaded(self._blas):
            W[self.active] = self.P @ V[self.active]
            b = c - self.mu @ W[self.active]
        return W, b

    def __call__(self, theta: np.ndarray) -> tuple[float, np.ndarray]:
        """Loss and gradient with respect to ``theta`` (for ``jac=True``)."""
        self.evaluations += 1
        W, b = self.to_raw(theta)
        W_active = W[self.active]
        with blas_single_threaded(self._blas):
            loss, dW_active, db, n_wrong = self._data_term(W_active, b)
        if not math.isfinite(loss):
            raise Diverged(loss)
        dW = np.zeros_like(W)  # uninked rows: only the penalty's gradient
        dW[self.active] = dW_active
        loss = add_l2(loss, W, self.l2, dW)
        dV = dW  # in V: uninked rows as they are, active rows through P
        with blas_single_threaded(self._blas):
            # b depends on W through mu: the total derivative in W picks up -mu ⊗ db
            dV[self.active] = self.P @ (dW[self.active] - np.outer(self.mu, db))
        self.last_theta, self.last_wrong = theta, n_wrong
        return loss, np.concatenate([dV.ravel(), db]).astype(np.float64)

    def _data_term(
        self, W_active: np.ndarray, b: np.ndarray
    ) -> tuple[float, np.ndarray, np.ndarray, int]:
        """``class_major_loss_gradient`` over the whole training set, a chunk at a time.

        The chunks are shared between this thread and LBFGS_THREADS - 1 helpers that live as
        long as the problem (each running BLAS on one thread); the parts are added in a fixed
        order, so results do not depend on timing. The stored levels are ``X / scale``, so
        the weights are scaled down instead of the data scaled up
        (``(W * s).T @ L == W.T @ (L * s)``); the data gradient picks up ``scale``.
        """
        W_scaled = W_active * self.scale
        starts = range(0, self.n, LBFGS_CHUNK)
        threads = max(1, min(LBFGS_THREADS, len(starts)))
        if len(self._buffers) < threads:
            width = min(self.n, LBFGS_CHUNK)
            self._buffers = [
                np.empty((self.XT.shape[0], width), dtype=np.float32) for _ in range(threads)
            ]
        share = math.ceil(len(starts) / threads)
        groups = [starts[i * share : (i + 1) * share] for i in range(threads)]
        if threads > 1 and self._pool is None:
            self._pool = ThreadPoolExecutor(
                max_workers=threads - 1, thread_name_prefix="lbfgs-chunks"
            )
        helpers = [
            self._pool.submit(self._chunk_sums, W_scaled, b, group, buffer)
            for group, buffer in zip(groups[1:], self._buffers[1:], strict=False)
        ]
        parts = [self._chunk_sums(W_scaled, b, groups[0], self._buffers[0])]
        parts += [helper.result() for helper in helpers]
        loss, dW, db, n_wrong = parts[0]
        for part in parts[1:]:
            loss, dW, db, n_wrong = (loss + part[0], dW + part[1], db + part[2], n_wrong + part[3])
        return (
            loss / self.n,
            (dW * (self.scale / self.n)).astype(np.float32),
            (db / self.n).astype(np.float32),
            n_wrong,
        )

    def _chunk_sums(
        self, W_scaled: np.ndarray, b: np.ndarray, starts: range, buffer: np.ndarray
    ) -> tuple[float, np.ndarray, np.ndarray, int]:
        """Summed (not averaged) loss, ``dW``, ``db`` and error count over some chunks.

        Each chunk is converted into ``buffer`` (d_active, LBFGS_CHUNK), reused so that no
        chunk costs a fresh allocation and its page faults.
        """
        loss, n_wrong = 0.0, 0
        # float64 sums: adding 30 chunk gradients in float32 would add rounding noise to what
        # one BLAS pass computes
        dW = np.zeros(W_scaled.shape)
        db = np.zeros(b.shape)
        for start in starts:
            stored = self.XT[:, start : start + LBFGS_CHUNK]
            m = stored.shape[1]
            chunk = buffer[:, :m]  # (d_active, m)
            np.copyto(chunk, stored)
            part_loss, part_dW, part_db, part_wrong = class_major_loss_gradient(
                W_scaled, b, chunk, self.y[start : start + m], self.rows[:m]
            )
            loss += part_loss * m
            dW += part_dW * m
            db += part_db * m
            n_wrong += part_wrong
        return loss, dW, db, n_wrong

    def close(self) -> None:
        """End the helper threads (a later evaluation starts them again)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None

    def train_error_at(self, theta: np.ndarray) -> float | None:
        """Training error at ``theta`` if the last evaluation was there (it usually is)."""
        if self.last_theta is not None and np.array_equal(theta, self.last_theta):
            return self.last_wrong / self.n
        return None
