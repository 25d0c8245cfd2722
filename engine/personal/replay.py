"""The replay set adaptation keeps reading (training images of the base model's data), and
what is computed on it once per base model: the replay loss gradient at the base and the
base's logits of the guard images; then the guard itself, the largest step from the base
whose guard images' accuracy stays within bounds. See :mod:`engine.personal.adapt`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

import numpy as np

from engine.constants import N_FEATURES
from engine.features.maps import MAP_CHUNK, InputMap
from engine.greyscale import GREY_MAX
from engine.model import class_major_loss_gradient

#: Fractions of the fitted step the guard tries, largest first; 0 is the base itself.
GUARD_STEPS = tuple(i / 20 for i in range(20, -1, -1))  # 1.0, 0.95, ..., 0.05, 0.0
#: Guard images converted to float32 at a time (uint8 storage keeps the app's memory down); a
#: small chunk stays in the CPU cache between its conversion and its product (figures in
#: bench/README.md).
_GUARD_CHUNK = 256


@dataclass(frozen=True, eq=False)
class ReplaySet:
    """Training images for :func:`~engine.personal.adapt.adapt`, validated once: the replayed
    and the guard images.

    Build it with :func:`~engine.personal.adapt.prepare_replay` and pass it to every
    adaptation from the same data.
    """

    XT: np.ndarray  # (d, m) float32 in [0, 1], pixel-major: the replayed images
    y: np.ndarray  # (m,) int64
    #: (g, d) uint8 grey levels or float32 in [0, 1], g may be 0; a mapped model's: MappedGuard
    X_guard: np.ndarray | MappedGuard
    y_guard: np.ndarray  # (g,) int64
    #: What adapt computes once per base model: {fingerprint: (replay gradient, guard logits)}.
    _per_base: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def n_features(self) -> int:
        return int(self.XT.shape[0])


@dataclass(frozen=True, eq=False)
class MappedGuard:
    """A mapped model's guard images, as its map's raw parts: the 28×28 images as the replay
    holds them (shared, not copied) and the other parts' raw features, (g, n_features -
    784) float32. Their logits come from weights with the standardisation folded in
    (:meth:`InputMap.folded`), so the standardised features are never held: 31 MB of edge
    histograms for the shipped model's 20,000 guard images instead of 94 MB, with logits as
    quick to compute."""

    images: np.ndarray  # (g, 784) uint8 grey levels or float32 in [0, 1]
    extra: np.ndarray  # (g, n_features - 784) float32: the map's parts after the pixels
    input_map: InputMap

    @classmethod
    def of(cls, input_map: InputMap, images: np.ndarray) -> MappedGuard:
        """``images`` mapped by ``input_map`` (whose first part is the pixels), a chunk at a
        time."""
        if input_map.parts[0] != ("pixels", slice(0, N_FEATURES)):
            raise ValueError(f"the {input_map.name!r} map does not start with the pixels")
        extra = np.empty((images.shape[0], input_map.n_features - N_FEATURES), np.float32)
        for start in range(0, images.shape[0], MAP_CHUNK):
            raw = input_map.raw_features(images[start : start + MAP_CHUNK])
            extra[start : start + raw.shape[0]] = raw[:, N_FEATURES:]
        return cls(images, extra, input_map)

    def logits(self, W: np.ndarray, b: np.ndarray) -> np.ndarray:
        """``features @ W + b`` of the standardised features, (g, k) float32."""
        W_raw, b_raw = self.input_map.folded(W, b)
        out = _guard_logits(self.images, W_raw[:N_FEATURES], b_raw)
        out += self.extra @ W_raw[N_FEATURES:]
        return out


@dataclass(frozen=True)
class _BaseTerms:
    """What adaptation needs from the base model on a replay set (computed once per base)."""

    gW: np.ndarray  # (d, k) replay loss gradient at the base
    gb: np.ndarray  # (k,)
    guard_logits: np.ndarray  # (g, k) the base's logits of the guard images
    guard_predicted: np.ndarray  # (g,) how the base reads them
    guard_right: int  # how many of them the base reads right


def _base_terms(W0: np.ndarray, b0: np.ndarray, key: str, replay: ReplaySet) -> _BaseTerms:
    """The base's terms on ``replay``, cached in it under the base's fingerprint ``key``."""
    terms = replay._per_base.get(key)
    if terms is None:
        _, gW, gb, _ = class_major_loss_gradient(
            W0, b0, replay.XT, replay.y, np.arange(replay.y.size)
        )
        logits = _guard_logits(replay.X_guard, W0, b0)
        predicted = logits.argmax(axis=1)
        right = int(np.count_nonzero(predicted == replay.y_guard))
        terms = _BaseTerms(gW, gb, logits, predicted, right)
        if len(replay._per_base) >= 4:  # a few bases at most (the app has one at a time)
            replay._per_base.clear()
        replay._per_base[key] = terms
    return terms


def _guard_right(
    W0: np.ndarray,
    b0: np.ndarray,
    W: np.ndarray,
    b: np.ndarray,
    replay: ReplaySet,
    base: _BaseTerms,
) -> tuple[np.ndarray, np.ndarray]:
    """How many guard images each step of GUARD_STEPS reads right, (len(GUARD_STEPS),) int64
    (the step from the base ``(W0, b0)`` towards ``(W, b)``), and the full step's change of
    their logits (g, k)."""
    right = np.full(len(GUARD_STEPS), base.guard_right, dtype=np.int64)
    if replay.y_guard.size == 0:
        return right, np.zeros_like(base.guard_logits)
    change = _guard_logits(replay.X_guard, W - W0, b - b0)  # (g, k)
    full_change = change
    full = (base.guard_logits + change).argmax(axis=1)
    # The logits are linear in the step, so an image read the same by the base and the full
    # step is read so at every step between: only the others need looking at.
    moved = np.flatnonzero(full != base.guard_predicted)
    steady_right = base.guard_right - int(
        np.count_nonzero(base.guard_predicted[moved] == replay.y_guard[moved])
    )
    logits0, change, y = base.guard_logits[moved], change[moved], replay.y_guard[moved]
    for i, step in enumerate(GUARD_STEPS[:-1]):
        predicted = (logits0 + np.float32(step) * change).argmax(axis=1)
        right[i] = steady_right + int(np.count_nonzero(predicted == y))
    return right, full_change


def _guard(
    W0: np.ndarray,
    b0: np.ndarray,
    W: np.ndarray,
    b: np.ndarray,
    replay: ReplaySet,
    base: _BaseTerms,
    max_drop: float,
) -> float:
    """The largest of GUARD_STEPS whose model keeps the guard images' accuracy within
    ``max_drop`` of the base's (1.0 without guard images)."""
    return guard_step(_guard_right(W0, b0, W, b, replay, base)[0], replay, base, max_drop)


def guard_step(right: np.ndarray, replay: ReplaySet, base: _BaseTerms, max_drop: float) -> float:
    """The largest of GUARD_STEPS whose count in ``right`` (from :func:`_guard_right`) is
    within ``max_drop`` of the base's guard accuracy."""
    may_lose = int(np.floor(max_drop * replay.y_guard.size + 1e-9))
    for step, count in zip(GUARD_STEPS, right, strict=True):
        if count >= base.guard_right - may_lose:
            return step
    return 0.0


def _guard_logits(X_guard: np.ndarray | MappedGuard, W: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``X_guard @ W + b`` in float32; uint8 grey levels are multiplied by ``W / GREY_MAX``,
    a small chunk at a time through one reused float32 buffer."""
    if isinstance(X_guard, MappedGuard):
        return X_guard.logits(W, b)
    if X_guard.dtype != np.uint8:
        return np.matmul(X_guard, W) + b
    out = np.empty((X_guard.shape[0], W.shape[1]), dtype=np.float32)
    W_grey = (W / np.float32(GREY_MAX)).astype(np.float32)
    buffer = np.empty((min(_GUARD_CHUNK, X_guard.shape[0]), X_guard.shape[1]), dtype=np.float32)
    for start in range(0, X_guard.shape[0], _GUARD_CHUNK):
        chunk = X_guard[start : start + _GUARD_CHUNK]
        grey = buffer[: chunk.shape[0]]
        np.copyto(grey, chunk, casting="unsafe")
        np.matmul(grey, W_grey, out=out[start : start + chunk.shape[0]])
    out += b
    return out


def mapped_samples(
    input_map: InputMap, X: np.ndarray, replay: ReplaySet
) -> tuple[np.ndarray, ReplaySet]:
    """What :func:`engine.adapt` fits a mapped model on: the writer's images ``X`` (n, 784)
    as features, and ``replay`` with its replayed and guard images as features.

    The mapped replay is cached in ``replay`` per map (mapping the guard images takes about
    a second; every later adaptation of a model with the same map reuses it). Its guard
    images are a :class:`MappedGuard`.
    """
    key = ("input map", input_map.fingerprint)
    mapped = replay._per_base.get(key)
    if mapped is None:
        mapped = ReplaySet(
            XT=np.ascontiguousarray(input_map.transform(replay.XT.T).T),
            y=replay.y,
            X_guard=MappedGuard.of(input_map, cast(np.ndarray, replay.X_guard)),
            y_guard=replay.y_guard,
        )
        if len(replay._per_base) >= 4:  # as adapt's own cache: a few entries at most
            replay._per_base.clear()
        replay._per_base[key] = mapped
    return input_map.transform(X), mapped
