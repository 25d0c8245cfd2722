"""L-BFGS-B's objective in whitened coordinates (:class:`WhitenedProblem`), evaluated over
the pixel-major copy of the training set (:mod:`engine.training.pixel_major`) on two
threads that share its chunks.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import numpy as np
from threadpoolctl import ThreadpoolController

from engine.data.datasets import as_features
from engine.greyscale import GREY_STEP
from engine.model import add_l2, class_major_loss_gradient
from engine.training.blas import (
    blas_single_threaded,
    lower_this_threads_priority,
    scipy_blas_single_threaded,
)
from engine.training.pixel_major import (
    Chunk,
    TiledChunk,
    Workspace,
    pixel_major_chunk,
    similar_ink_order,
    tile_width,
)
from engine.training.shared_tasks import run_shared

#: Ridge added to the pixel covariance before whitening (see :class:`WhitenedProblem`).
WHITEN_RIDGE = 0.1
#: The ridge for an input map's standardised features (each of variance 1): whitening only
#: the directions of variance well above 10 converges edges in ~100 iterations, where 0.1
#: (the pixels' ridge) takes ~400 and 0.01 more still; 3–30 do about as well as 10. The
#: L2 penalty, whose curvature is ``l2`` in raw coordinates, becomes ``l2 / (σ² + ridge)``
#: in whitened ones, so a small ridge makes the penalty's directions the slow ones
#: (bench/README.md, "L-BFGS-B on edge directions").
STANDARDISED_WHITEN_RIDGE = 10.0
#: Training images sampled (evenly) to estimate the pixel covariance for whitening.
COVARIANCE_SAMPLE = 2_000
#: Images per chunk of L-BFGS-B's full-batch pass (~450 of its pixels inked: 1.8 MB as
#: float32, within a core's 2 MB L2 cache here). Each chunk costs ~30 NumPy calls under the
#: GIL that the two threads share, so smaller chunks cost more calls and larger ones miss
#: the cache (bench/README.md).
LBFGS_CHUNK = 1024
#: Images per task: the pass is cut into tasks of fixed extent, taken by whichever thread is
#: free and added in task order, so a thread slowed by other work does fewer of them and the
#: sums never depend on which thread did what.
LBFGS_TASK = 4096
#: Threads sharing the tasks (each with one BLAS thread): the two cores this app targets.
#: Two OpenBLAS threads per product stall on chunk-sized products; helper threads made
#: afresh for each evaluation cost a third more.
LBFGS_THREADS = 2


T = TypeVar("T")
R = TypeVar("R")


class Diverged(Exception):
    """Raised inside the objective when the cost is not finite."""


class WhitenedProblem:
    """The training objective in whitened coordinates, for L-BFGS-B.

    Raw pixels make a badly conditioned problem: their covariance ``Σ`` has eigenvalues
    from about 5 down to 0, and the mean image couples every weight with the bias.
    L-BFGS-B therefore optimises ``(V, c)`` with::

        W = P @ V,   b = c - mu @ W,   P = L^-T,   L @ L.T = Σ + λ I   (λ = ``ridge``)

    over the pixels that some training image inks, ``mu`` their mean and ``Σ`` their
    covariance estimated on a sample (``L`` is its Cholesky factor). This is an exact change
    of variables: the objective (averaged cross-entropy + l2/2 ||W||², on raw [0, 1] pixels)
    and its minimum are unchanged, and the result maps back to the same model class. Every
    ``P`` with ``P @ P.T = (Σ + λ I)^-1`` gives the same problem up to a rotation of ``V``,
    which L-BFGS does not see; the Cholesky one costs a fraction of the symmetric square
    root's eigendecomposition. Pixels that no training image inks get no data gradient;
    they are left out of the products and keep ``W = V`` there.

    ``ink``, when given, is the (n, 784) images ``X`` was mapped from: they order the
    chunks (speed only). ``ridge`` is λ: :data:`WHITEN_RIDGE` for pixels in [0, 1],
    :data:`STANDARDISED_WHITEN_RIDGE` for standardised features; like any ``P``, it changes
    the path to the minimum, never the minimum.

    Before starting, two moves that can only lower the objective and never change a
    prediction on the training set are made when ``l2 > 0``: uninked pixels' weights are
    set to zero (their L2 minimum), and each pixel's weights are centred across classes
    (softmax ignores a shift shared by all classes; L2 prefers it zero). Both would
    otherwise be slow directions of curvature ``l2`` only.
    """

    def __init__(
        self,
        X: np.ndarray,
        y: np.ndarray,
        n_classes: int,
        l2: float,
        blas: ThreadpoolController,
        ink: np.ndarray | None = None,
        ridge: float = WHITEN_RIDGE,
    ) -> None:
        import scipy.linalg  # deferred like scipy.optimize, which imports it anyway

        n, d = X.shape
        self.n, self.d, self.k, self.l2 = n, d, n_classes, l2
        self.width = tile_width(d, n_classes)
        chunk = max(1, LBFGS_CHUNK // self.width) * self.width
        per_task = max(1, LBFGS_TASK // chunk)
        starts = range(0, n, chunk)
        self.threads = max(1, min(LBFGS_THREADS, math.ceil(len(starts) / per_task)))
        self._pool: ThreadPoolExecutor | None = None
        try:
            # chunks of images that ink similar pixels: mapped features are ordered by the
            # images they were mapped from (``ink``), whose blanks their own follow
            order = similar_ink_order(X if ink is None else ink, y, self._map)
            self.y = y[order]
            self.chunks, self.scale = self._pixel_major(X, order, starts, chunk)
        finally:
            self.close()  # the helpers start again with the first evaluation
        self.tasks = [self.chunks[i : i + per_task] for i in range(0, len(self.chunks), per_task)]
        self.rows = np.arange(chunk)
        step = max(1, n // COVARIANCE_SAMPLE)
        sample = as_features(X[::step])[:, self.active]
        self.mu = sample.mean(axis=0)  # any vector keeps the change of variables exact
        sample -= self.mu
        self._blas = blas
        with blas_single_threaded(blas), scipy_blas_single_threaded():
            cov = (sample.T @ sample) / np.float32(sample.shape[0])  # (d_active, d_active)
            cov.flat[:: cov.shape[0] + 1] += np.float32(ridge)
            L = np.linalg.cholesky(cov)  # lower triangular
            L_inv, info = scipy.linalg.lapack.strtri(L, lower=1)
        if info != 0:
            raise np.linalg.LinAlgError(f"inverting the Cholesky factor failed (info {info})")
        self.P = np.ascontiguousarray(L_inv.T)  # upper triangular
        self.P_T = L_inv
        self.P_inv = np.ascontiguousarray(L.T)
        self.evaluations = 0
        self.last_theta: np.ndarray | None = None
        self.last_wrong = 0
        self._workspaces: list[Workspace] = []

    def _pixel_major(
        self, X: np.ndarray, order: np.ndarray, starts: range, chunk: int
    ) -> tuple[list[Chunk], np.float32]:
        """The training set as :class:`Chunk` s of ``chunk`` images of ``order``; sets
        ``self.active``. Returns ``(chunks, scale)`` with features ``== tiles * scale``
        exactly: uint8 levels and ``scale = 1/255`` when the images are on the 1/255 grid
        (uint8 ``X`` always is), else float32 tiles and ``scale = 1``."""
        scratch = [np.empty((chunk, X.shape[1]), dtype=X.dtype) for _ in range(self.threads)]

        def parts(dtype: type[Any]) -> list[tuple[np.ndarray, np.ndarray] | None]:
            return self._shared(
                lambda i, thread: pixel_major_chunk(
                    X, order[starts[i] : starts[i] + chunk], self.width, dtype, scratch[thread]
                ),
                len(starts),
            )

        found, scale = parts(np.uint8), GREY_STEP
        if any(part is None for part in found):  # off the 1/255 grid
            found, scale = parts(np.float32), 1
        # float32 copies are never None (zip's strict check below would catch one)
        chunked = [part for part in found if part is not None]
        inked = np.zeros(X.shape[1], dtype=bool)
        for columns, _ in chunked:
            inked[columns] = True
        self.active = np.flatnonzero(inked)
        chunks = [
            Chunk(start, min(start + chunk, X.shape[0]), np.searchsorted(self.active, c), t)
            for start, (c, t) in zip(starts, chunked, strict=True)
        ]
        return chunks, np.float32(scale)

    def _helpers(self) -> ThreadPoolExecutor | None:
        if self.threads == 1:
            return None
        return ThreadPoolExecutor(
            max_workers=self.threads - 1,
            thread_name_prefix="lbfgs-chunks",
            initializer=lower_this_threads_priority,
        )

    def _map(self, function: Callable[[T], R], items: Iterable[T]) -> list[R]:
        """``list(map(function, items))``, shared between this thread and the helpers."""
        items = list(items)
        return self._shared(lambda i, _: function(items[i]), len(items))

    def _shared(self, task: Callable[[int, int], R], count: int) -> list[R]:
        """``[task(i, thread) for i in range(count)]``, the items taken in turn by whichever
        of this thread (``thread`` 0) and the helpers is free."""
        if self.threads > 1 and self._pool is None:
            self._pool = self._helpers()
        return run_shared(self._pool, self.threads, task, count)

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
            dV[self.active] = self.P_T @ (dW[self.active] - np.outer(self.mu, db))
        self.last_theta, self.last_wrong = theta, n_wrong
        return loss, np.concatenate([dV.ravel(), db]).astype(np.float64)

    def _data_term(
        self, W_active: np.ndarray, b: np.ndarray
    ) -> tuple[float, np.ndarray, np.ndarray, int]:
        """``class_major_loss_gradient`` over the whole training set, a task at a time.

        The tasks are shared between this thread and up to LBFGS_THREADS - 1 helpers that
        live as long as the problem (each running BLAS on one thread); their sums are added
        in task order, so results depend neither on timing nor on the number of threads.
        The stored levels are ``X / scale``, so the weights are scaled down instead of the
        data scaled up (``(W * s).T @ L == W.T @ (L * s)``); the data gradient picks up
        ``scale``.
        """
        W_scaled = W_active * self.scale
        while len(self._workspaces) < self.threads:
            self._workspaces.append(self._workspace())
        sums = self._shared(
            lambda i, thread: self._task_sums(W_scaled, b, self.tasks[i], self._workspaces[thread]),
            len(self.tasks),
        )
        loss, dW, db, n_wrong = sums[0]
        for part in sums[1:]:
            loss, dW, db, n_wrong = (loss + part[0], dW + part[1], db + part[2], n_wrong + part[3])
        return (
            loss / self.n,
            (dW * (self.scale / self.n)).astype(np.float32),
            (db / self.n).astype(np.float32),
            n_wrong,
        )

    def _workspace(self) -> Workspace:
        tiles, d_active = self.chunks[0].tiles.shape[0], self.active.size
        k, width = self.k, self.width
        return Workspace(
            X=np.empty((tiles, d_active, width), dtype=np.float32),
            logits=np.empty((k, tiles * width), dtype=np.float32),
            residual=np.empty((tiles, width, k), dtype=np.float32),
            parts=np.empty((tiles, d_active, k), dtype=np.float32),
        )

    def _task_sums(
        self, W_scaled: np.ndarray, b: np.ndarray, chunks: list[Chunk], work: Workspace
    ) -> tuple[float, np.ndarray, np.ndarray, int]:
        """Summed (not averaged) loss, ``dW``, ``db`` and error count over some chunks."""
        loss, n_wrong = 0.0, 0
        # float64 sums: adding many chunk gradients in float32 would add rounding noise to
        # what one BLAS pass computes
        dW = np.zeros(W_scaled.shape)
        db = np.zeros(b.shape)
        for chunk in chunks:
            m = chunk.stop - chunk.start
            part_loss, part_dW, part_db, part_wrong = class_major_loss_gradient(
                W_scaled,
                b,
                TiledChunk(work, chunk),
                self.y[chunk.start : chunk.stop],
                self.rows[:m],
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
