"""Fixed input maps: what a softmax regression reads instead of (or besides) the raw pixels.

The model stays linear in its *inputs*; a fixed map in front of it decides what those are.
Every map takes the 28×28 rows that ``load_mnist`` and ``preprocess_canvas`` make, (n, 784)
in [0, 1], and gives (n, n_features) float32:

- ``pixels``: the identity, the classic model (no standardisation: bit for bit as before);
- ``edges``: the pixels plus oriented-gradient histograms (:mod:`.gradients`);
- ``random``: the pixels plus fixed random ReLU features (:mod:`.random_relu`);
- ``edges+random``: all three.

Every map but ``pixels`` standardises its features, ``(f - mean) / std`` with the mean and
std of the training images (:meth:`InputMap.fit`), so that no part outweighs another by its
scale alone; those arrays are part of the map and are saved with the model.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from engine.constants import MNIST_SIDE, N_FEATURES
from engine.features.gradients import CELL, DIRECTIONS, N_EDGE_FEATURES, gradient_histograms
from engine.features.random_relu import matrix_checksum, random_matrix, random_relu


@dataclass(frozen=True)
class MapInfo:
    """How a map is shown and what it is made of."""

    short: str  # legends, tables, menus
    text: str  # one line saying what the model reads
    edges: bool  # includes the gradient histograms
    n_random: int  # default number of random ReLU features (0: none)


#: Map name -> how it is shown and its default parts. The one place the names are spelt.
INPUT_MAPS: dict[str, MapInfo] = {
    "pixels": MapInfo("pixels — the classic", "the 784 grey levels themselves", False, 0),
    "edges": MapInfo(
        "pixels + edge directions",
        "the pixels, plus how strongly the ink's edges run in 8 directions in each 4×4 cell",
        True,
        0,
    ),
    "random": MapInfo(
        "pixels + random features",
        "the pixels, plus 2,000 fixed random combinations of them cut at zero (never trained)",
        False,
        2000,
    ),
    "edges+random": MapInfo(
        "pixels + edges + random features",
        "the pixels, the edge directions and 1,500 fixed random features",
        True,
        1500,
    ),
}
#: Images mapped at a time: the edge histograms' working arrays (~5 MB) then stay in the
#: CPU's caches; 60,000 images took 1.8–2.3 s, against 3.1–4.0 s a 1,024 at a time.
MAP_CHUNK = 256
#: Added to each feature's variance before its square root: a feature the training images
#: (almost) never vary (a corner pixel) is scaled at most by 1 / sqrt(STD_EPS) = 100, so a
#: drawing that inks it cannot swamp the rest.
STD_EPS = 1e-4
#: Largest number of random features a map may have (bounds what a model file can ask for).
MAX_RANDOM = 20_000
#: Number of the parts of a map, in the order of their features.
PART_NAMES = ("pixels", "edges", "random")


@dataclass(frozen=True, eq=False)
class InputMap:
    """A fixed map from 28×28 rows (n, 784) to a softmax regression's inputs.

    Make one with :func:`make_input_map`, fit its standardisation with :meth:`fit` (or
    :func:`fit_input_map`), then :meth:`transform`. Immutable; the random matrix is
    regenerated from ``seed`` when needed (cached).

    Attributes
    ----------
    name : a key of :data:`INPUT_MAPS`.
    n_random : random ReLU features (0 unless the name includes ``random``).
    seed : seed of the random matrix.
    mean, std : (n_features,) float32 standardisation, or None (``pixels``; or not fitted).
    """

    name: str = "pixels"
    n_random: int = 0
    seed: int = 0
    mean: np.ndarray | None = None
    std: np.ndarray | None = None

    def __post_init__(self) -> None:
        if self.name not in INPUT_MAPS:
            raise ValueError(f"input map must be one of {sorted(INPUT_MAPS)}, got {self.name!r}")
        wants_random = "random" in self.name
        if isinstance(self.n_random, bool) or not isinstance(self.n_random, (int, np.integer)):
            raise ValueError(f"n_random must be an integer, got {self.n_random!r}")
        if wants_random and not 1 <= self.n_random <= MAX_RANDOM:
            raise ValueError(f"n_random must be in 1-{MAX_RANDOM} for {self.name!r}")
        if not wants_random and self.n_random != 0:
            raise ValueError(f"the {self.name!r} map has no random features (n_random 0)")
        if isinstance(self.seed, bool) or not isinstance(self.seed, (int, np.integer)):
            raise ValueError(f"seed must be an integer, got {self.seed!r}")
        if not 0 <= self.seed < 2**63:
            raise ValueError(f"seed must be in 0-2**63-1, got {self.seed}")
        if (self.mean is None) != (self.std is None):
            raise ValueError("mean and std must be given together")
        if self.mean is not None and self.std is not None:
            if self.is_identity:
                raise ValueError("the pixels map is not standardised")
            for key, array in (("mean", self.mean), ("std", self.std)):
                if array.shape != (self.n_features,) or array.dtype != np.float32:
                    raise ValueError(
                        f"{key} must be ({self.n_features},) float32, "
                        f"got {array.shape} {array.dtype}"
                    )
                if not np.isfinite(array).all():
                    raise ValueError(f"{key} contains NaN or infinity")
            if not (self.std > 0).all():
                raise ValueError("std must be positive")

    # --- what the map is -----------------------------------------------------------------
    @property
    def is_identity(self) -> bool:
        """Whether this is the classic pixel map (inputs are the features)."""
        return self.name == "pixels"

    @property
    def n_inputs(self) -> int:
        """Values a row the map takes: 784 (28×28 images)."""
        return N_FEATURES

    @property
    def has_edges(self) -> bool:
        return INPUT_MAPS[self.name].edges

    @property
    def parts(self) -> tuple[tuple[str, slice], ...]:
        """Each part's name (of :data:`PART_NAMES`) and its columns of the features."""
        sizes = [("pixels", N_FEATURES)]
        if self.has_edges:
            sizes.append(("edges", N_EDGE_FEATURES))
        if self.n_random:
            sizes.append(("random", self.n_random))
        out, start = [], 0
        for name, size in sizes:
            out.append((name, slice(start, start + size)))
            start += size
        return tuple(out)

    @property
    def n_features(self) -> int:
        """Features the map gives per image (the model's weight rows)."""
        return self.parts[-1][1].stop

    @property
    def fitted(self) -> bool:
        """Whether :meth:`transform` can run (the pixel map needs no fitting)."""
        return self.is_identity or self.mean is not None

    @property
    def params(self) -> dict[str, Any]:
        """The map's parameters, as recorded in model files and metadata."""
        params: dict[str, Any] = {"name": self.name}
        if self.has_edges:
            params.update(directions=DIRECTIONS, cell=CELL)
        if self.n_random:
            params.update(n_random=int(self.n_random), seed=int(self.seed))
        return params

    @property
    def random_matrix(self) -> np.ndarray | None:
        """The fixed ``R`` (n_random, 784) float32, or None without random features."""
        return (
            random_matrix(int(self.seed), int(self.n_random), N_FEATURES) if self.n_random else None
        )

    @property
    def random_checksum(self) -> str | None:
        """:func:`engine.features.random_relu.matrix_checksum` of ``R``, or None."""
        R = self.random_matrix
        return None if R is None else matrix_checksum(R)

    @property
    def fingerprint(self) -> str:
        """A short SHA-256 of the parameters and the standardisation: equal maps map equally."""
        digest = hashlib.sha256(json.dumps(self.params, sort_keys=True).encode())
        for array in (self.mean, self.std):
            if array is not None:
                digest.update(np.ascontiguousarray(array, dtype="<f4").tobytes())
        return digest.hexdigest()[:16]

    def __repr__(self) -> str:
        state = "fitted" if self.mean is not None else "unfitted"
        extra = "" if self.is_identity else f", {state}"
        args = ", ".join(f"{k}={v!r}" for k, v in self.params.items() if k != "name")
        return f"InputMap({self.name!r}{', ' + args if args else ''}{extra})"

    # --- using it ------------------------------------------------------------------------
    def check_inputs(self, X: Any) -> np.ndarray:
        """``X`` as a 2-D array of 784-wide rows (a single row may be 1-D).

        Raises
        ------
        ValueError
            When the rows are not 28×28 images.
        """
        X = np.asarray(X)
        if X.ndim == 1:
            X = X[None, :]
        if X.ndim != 2 or X.shape[1] != N_FEATURES:
            got = X.shape[1] if X.ndim == 2 else f"shape {X.shape}"
            raise ValueError(
                f"the {self.name!r} input map needs {MNIST_SIDE}×{MNIST_SIDE} images "
                f"({N_FEATURES} values a row); got {got}"
            )
        return X

    def raw_features(self, X: Any) -> np.ndarray:
        """The map's features before standardisation, (n, n_features) float32.

        ``X`` is (n, 784) float images in [0, 1] or uint8 grey levels (divided by 255).
        """
        X = self.check_inputs(X)
        out = np.empty((X.shape[0], self.n_features), dtype=np.float32)
        for start in range(0, X.shape[0], MAP_CHUNK):
            stop = min(start + MAP_CHUNK, X.shape[0])
            self._raw_chunk(_as_unit(X[start:stop]), out[start:stop])
        return out

    def _raw_chunk(self, images: np.ndarray, out: np.ndarray) -> None:
        for name, columns in self.parts:
            if name == "pixels":
                out[:, columns] = images
            elif name == "edges":
                out[:, columns] = gradient_histograms(images)
            else:
                R = self.random_matrix
                assert R is not None
                out[:, columns] = random_relu(images, R)

    def transform(
        self, X: Any, dtype: type[np.floating] = np.float32, *, centred: bool = True
    ) -> np.ndarray:
        """The model's inputs for images ``X``.

        Parameters
        ----------
        X : (n, 784) float32 in [0, 1] (as ``load_mnist`` and ``preprocess_canvas`` make
            them), or uint8 grey levels; a single image may be (784,).
        dtype : of the result: float32, or float16 to store a mapped training set in half
            the memory (each chunk is computed in float32, then rounded).
        centred : False leaves the mean in (features only divided by the std): a feature
            that is zero stays exactly zero, so L-BFGS-B's copy can skip it, and a model of
            these features is one of the standardised ones with its bias moved
            (:meth:`centred_bias`).

        Returns
        -------
        (n, n_features) ``dtype``, standardised unless this is the pixel map (whose result
        is ``X`` as float32). Made a chunk of MAP_CHUNK images at a time.

        Raises
        ------
        ValueError
            For rows that are not 28×28 images, or a map whose standardisation is not fitted.
        """
        if self.is_identity:
            return _as_unit(self.check_inputs(X))
        if self.mean is None or self.std is None:
            raise ValueError(f"the {self.name!r} input map is not fitted: use fit_input_map")
        if np.dtype(dtype) not in (np.float32, np.float16):
            raise ValueError(f"dtype must be float32 or float16, got {np.dtype(dtype)}")
        X = self.check_inputs(X)
        out = np.empty((X.shape[0], self.n_features), dtype=dtype)
        scale = (1 / self.std).astype(np.float32)
        scratch = np.empty((min(MAP_CHUNK, X.shape[0]), self.n_features), dtype=np.float32)
        for start in range(0, X.shape[0], MAP_CHUNK):
            images = _as_unit(X[start : start + MAP_CHUNK])
            stop = start + images.shape[0]
            direct = out.dtype == np.float32
            part = out[start:stop] if direct else scratch[: images.shape[0]]
            self._raw_chunk(images, part)
            if centred:
                part -= self.mean
            part *= scale
            if not direct:
                out[start:stop] = part
        return out

    def fit(self, X_train: Any) -> InputMap:
        """A copy whose standardisation is the mean and std of ``X_train``'s features.

        ``X_train`` (n, 784) float images or uint8 grey levels, n >= 1; the pixel map is
        returned as it is. Sums run in float64, a chunk at a time.
        """
        X_train = self.check_inputs(X_train)
        if self.is_identity:
            return self
        if X_train.shape[0] == 0:
            raise ValueError("cannot fit an input map on zero images")
        total = np.zeros(self.n_features)
        squares = np.zeros(self.n_features)
        chunk = np.empty((min(MAP_CHUNK, X_train.shape[0]), self.n_features), dtype=np.float32)
        for start in range(0, X_train.shape[0], MAP_CHUNK):
            images = _as_unit(X_train[start : start + MAP_CHUNK])
            part = chunk[: images.shape[0]]
            self._raw_chunk(images, part)
            total += part.sum(axis=0, dtype=np.float64)
            squares += np.einsum("ij,ij->j", part, part, dtype=np.float64)
        return self.with_moments(total, squares, X_train.shape[0])

    def with_moments(self, total: np.ndarray, squares: np.ndarray, n: int) -> InputMap:
        """A copy standardised by the mean and std of ``n`` images' raw features, given
        their sums and sums of squares (float64, per feature)."""
        mean = total / n
        variance = np.maximum(squares / n - mean**2, 0.0)
        std = np.sqrt(variance + STD_EPS)
        return replace(self, mean=mean.astype(np.float32), std=std.astype(np.float32))

    def centred_bias(self, W: np.ndarray, b: np.ndarray, *, sign: int = 1) -> np.ndarray:
        """The bias that gives ``(W, b)`` of uncentred features (``transform(...,
        centred=False)``) the same logits on the standardised ones (``sign=-1``: back).
        ``(u - mean / std) @ W + b' == u @ W + b`` for ``b' = b + (mean / std) @ W``."""
        if self.mean is None or self.std is None:
            return b
        shift = self.mean * (1 / self.std).astype(np.float32)  # as transform scales
        return (b + sign * (shift @ W)).astype(np.float32)

    def folded(self, W: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Weights on the raw features equivalent to ``(W, b)`` on the standardised ones:
        ``raw @ W_raw + b_raw == transform(X) @ W + b`` (up to rounding)."""
        if self.mean is None or self.std is None:
            return W, b
        W_raw = W / self.std[:, None]
        return W_raw.astype(np.float32), (b - self.mean @ W_raw).astype(np.float32)


def _as_unit(X: np.ndarray) -> np.ndarray:
    """uint8 grey levels as float32 in [0, 1]; float images as float32."""
    if X.dtype == np.uint8:
        return X.astype(np.float32) * np.float32(1 / 255)
    return np.asarray(X, dtype=np.float32)


#: The classic map (identity).
PIXELS = InputMap()


def make_input_map(name: str = "pixels", *, n_random: int | None = None, seed: int = 0) -> InputMap:
    """An (unfitted) input map by name, with :data:`INPUT_MAPS`' default parts.

    Raises
    ------
    ValueError
        For an unknown name or bad parameters.
    """
    if name not in INPUT_MAPS:
        raise ValueError(f"input map must be one of {sorted(INPUT_MAPS)}, got {name!r}")
    if n_random is None:
        n_random = INPUT_MAPS[name].n_random
    return InputMap(name=name, n_random=n_random, seed=seed if n_random else 0)


def fit_input_map(map_spec: str | InputMap, X_train: Any) -> InputMap:
    """The map ``map_spec`` (a name of :data:`INPUT_MAPS` or an :class:`InputMap`) with its
    standardisation fitted on ``X_train`` (n, 784): images in [0, 1] or uint8 grey levels.

    Raises
    ------
    ValueError
        For an unknown map, or training rows that are not 28×28 images.
    """
    input_map = make_input_map(map_spec) if isinstance(map_spec, str) else map_spec
    if not isinstance(input_map, InputMap):
        raise ValueError(f"map_spec must be a name or an InputMap, got {type(map_spec).__name__}")
    return input_map.fit(X_train)
