"""Personal adaptation: a model that has learnt one person's handwriting from their corrections.

Given a base model ``(W0, b0)``, the writer's corrected drawings ``(X, y)`` and a few thousand
images of the data the base was trained on (the *replay*), the adapted model minimises::

    J(W, b) = alpha * mean_i CE(x_i, y_i)                      the writer's corrections
            + mean_j CE(x_r_j, y_r_j) - <g_r, (W, b) - (W0, b0)>  replay, gradient-corrected
            + pull / 2 * ||W - W0||^2

from ``(W0, b0)`` with L-BFGS-B, where ``g_r`` is the replay term's gradient at the base. The
replay keeps the model reading the dataset (without it a handful of corrections costs MNIST
6-20 points); subtracting ``g_r`` makes the base a stationary point of replay + pull, so a
small replay sample stands in for the whole training set instead of pulling the model
towards its own quirks.

The contract: a correction is always learnt; forgetting is bounded and shown, not hidden.

- The same drawing taught twice counts once, with its latest label; a drawing taught two
  different digits is a *conflict*, reported in the metadata
  (:func:`engine.teaching_conflicts` lists them before adapting).
- If the fit does not read every correction as taught, it is refitted with those
  corrections weighted ``REFIT_BOOST`` times harder each round (and more iterations), up to
  ``max_refits`` times.
- Then the step from the base: on other training images held aside (the *guard*), the
  largest step ``W0 + t * (W - W0)`` whose accuracy is at most ``max_drop`` below the base's;
  but never shorter than the smallest step that reads every correction as taught. What the
  guard images lost is recorded (``held_out_base_accuracy`` -> ``held_out_accuracy``) so the
  app can show it.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from engine.constants import N_CLASSES
from engine.data.validation import (
    check_class_labels,
    check_samples,
    is_integer,
    is_number,
)
from engine.greyscale import from_grey_levels
from engine.model import SoftmaxModel
from engine.personal.confidence import confidences
from engine.personal.corrections import latest_samples
from engine.personal.fit import fit, step_model, stick_step, unread
from engine.personal.replay import (
    GUARD_STEPS,
    ReplaySet,
    _base_terms,
    _BaseTerms,
    _guard_right,
    guard_step,
    mapped_samples,
)

#: Metadata keys saying what a model reads; an adapted model keeps its base's.
READING_KEYS = ("dataset", "class_names", "subject", "digits")
#: How much harder each refit weighs the corrections the previous fit did not read as taught.
REFIT_BOOST = 4.0


@dataclass(frozen=True)
class AdaptConfig:
    """Settings of :func:`adapt` (the defaults are what ``bench/personal.py`` measured)."""

    alpha: float = 3.0  # weight of the writer's corrections against the replay
    pull: float = 0.01  # L2 pull of W towards the base
    max_iter: int = 30  # L-BFGS-B iterations
    replay_size: int = 2000  # training images replayed in the objective
    guard_size: int = 20_000  # other training images the guard checks
    max_drop: float = 0.005  # guard images' accuracy the adapted model may lose (0.5 pt)
    seed: int = 0  # which training images are replayed and guarded
    max_refits: int = 3  # refits, each harder, while a correction is not read as taught
    smoothing: float = 0.0  # label smoothing of the corrections (their confidence, see fit)

    def __post_init__(self) -> None:
        for name in ("alpha", "pull"):
            value = getattr(self, name)
            if not (is_number(value) and np.isfinite(value) and value >= 0):
                raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
        if not (is_number(self.smoothing) and 0 <= self.smoothing < 1):
            raise ValueError(f"smoothing must be a number in [0, 1), got {self.smoothing!r}")
        if not (is_number(self.max_drop) and 0 <= self.max_drop <= 1):
            raise ValueError(f"max_drop must be a number in [0, 1], got {self.max_drop!r}")
        for name, low in (
            ("max_iter", 1),
            ("replay_size", 1),
            ("guard_size", 0),
            ("seed", 0),
            ("max_refits", 0),
        ):
            value = getattr(self, name)
            if not is_integer(value) or value < low:
                raise ValueError(f"{name} must be an integer >= {low}, got {value!r}")


def model_fingerprint(model: SoftmaxModel) -> str:
    """A short SHA-256 of a model's weights and bias: names the base of an adapted model."""
    h = hashlib.sha256(np.ascontiguousarray(model.W, dtype=np.float32).tobytes())
    h.update(np.ascontiguousarray(model.b, dtype=np.float32).tobytes())
    return h.hexdigest()[:16]


def prepare_replay(
    X_train: Any, y_train: Any, config: AdaptConfig | None = None, n_classes: int = N_CLASSES
) -> ReplaySet:
    """Draw the replayed and the guard images from a training set, validated once.

    ``X_train`` (n, d) is uint8 grey levels or floats in [0, 1], ``y_train`` (n,) labels in
    ``[0, n_classes)``. ``config.replay_size`` images are replayed and up to
    ``config.guard_size`` others guard, each as class-balanced as the data allows and chosen
    with ``config.seed`` (a small training set is split, at most half of it replayed).

    Raises
    ------
    ValueError
        Naming what is wrong with the training images or labels.
    """
    config = config or AdaptConfig()
    X_train, y_train = np.asarray(X_train), np.asarray(y_train)
    if X_train.ndim != 2 or X_train.shape[0] < 2:
        raise ValueError(f"replay: training images must be (n >= 2, d), got shape {X_train.shape}")
    y_train = check_class_labels(y_train, X_train.shape[0], n_classes, "replay")
    n_fit = min(config.replay_size, X_train.shape[0] // 2)
    n_guard = min(config.guard_size, X_train.shape[0] - n_fit)
    order = _balanced_order(y_train, config.seed)
    fit, guard = np.sort(order[:n_fit]), np.sort(order[n_fit : n_fit + n_guard])
    X_fit, y_fit = check_samples(
        _as_unit(X_train[fit]),
        y_train[fit],
        X_train.shape[1],
        n_classes,
        what="replay",
        max_samples=None,
    )
    X_guard = X_train[guard]
    if X_guard.dtype != np.uint8:  # uint8 grey levels are valid as they are
        X_guard = np.empty((0, X_train.shape[1]), dtype=np.float32)
        if n_guard:
            X_guard, _ = check_samples(
                X_train[guard],
                y_train[guard],
                X_train.shape[1],
                n_classes,
                what="replay",
                max_samples=None,
            )
    return ReplaySet(
        XT=np.ascontiguousarray(X_fit.T),
        y=y_fit,
        X_guard=np.ascontiguousarray(X_guard),
        y_guard=y_train[guard],
    )


def _balanced_order(y: np.ndarray, seed: int) -> np.ndarray:
    """All indices, interleaved class by class (each class shuffled with ``seed``)."""
    rng = np.random.default_rng(seed)
    ranks = np.empty(y.size, dtype=np.float64)
    for c in np.unique(y):
        members = rng.permutation(np.flatnonzero(y == c))
        ranks[members] = np.arange(members.size) + rng.random()  # round robin, fair start
    return np.argsort(ranks, kind="stable")


def _as_unit(X: np.ndarray) -> np.ndarray:
    return from_grey_levels(X) if X.dtype == np.uint8 else X


@functools.lru_cache(maxsize=2)
def default_replay(preprocessing_version: int, config: AdaptConfig) -> ReplaySet:
    """The replay drawn from the bundled MNIST training set (cached per process)."""
    from engine.data.datasets import load_mnist

    data = load_mnist(preprocessing_version=preprocessing_version, train_dtype=np.uint8)
    return prepare_replay(data.X_train, data.y_train, config)


def resolve_config(config: AdaptConfig | None, options: dict[str, Any]) -> AdaptConfig:
    """``config`` (default: :class:`AdaptConfig`) with ``options`` (its fields) applied."""
    if config is not None and not isinstance(config, AdaptConfig):
        raise ValueError(f"config must be an AdaptConfig, got {type(config).__name__}")
    config = config or AdaptConfig()
    if options:
        unknown = sorted(set(options) - set(AdaptConfig.__dataclass_fields__))
        if unknown:
            raise ValueError(
                f"unknown adapt option(s) {', '.join(unknown)}; the options are "
                f"{', '.join(AdaptConfig.__dataclass_fields__)}"
            )
        config = replace(config, **options)
    return config


def as_replay(
    replay: ReplaySet | tuple[Any, Any] | None, model: SoftmaxModel, config: AdaptConfig
) -> ReplaySet:
    """The :class:`ReplaySet` that ``adapt(model, ..., replay=replay)`` uses, checked."""
    if replay is None:
        replay = default_replay(model.preprocessing_version, config)
    elif not isinstance(replay, ReplaySet):
        try:
            X_train, y_train = replay
        except (TypeError, ValueError):
            raise ValueError("replay must be a ReplaySet or a pair (X_train, y_train)") from None
        replay = prepare_replay(X_train, y_train, config, model.n_classes)
    if replay.n_features != model.n_inputs:
        raise ValueError(
            f"replay: images have {replay.n_features} pixels but the model reads {model.n_inputs}"
        )
    if max(replay.y.max(initial=0), replay.y_guard.max(initial=0)) >= model.n_classes:
        raise ValueError(f"replay: labels must be in 0-{model.n_classes - 1} for this model")
    return replay


def adapt(
    model: SoftmaxModel,
    X: Any,
    y: Any,
    *,
    replay: ReplaySet | tuple[Any, Any] | None = None,
    config: AdaptConfig | None = None,
    **options: Any,
) -> SoftmaxModel:
    """Adapt ``model`` to one person's handwriting from their labelled drawings.

    Parameters
    ----------
    model : the base model; it is not modified.
    X : (n, n_features) float32 in [0, 1], rows exactly as ``preprocess_canvas`` makes them
        for ``model.preprocessing_version`` (flattened); 1 <= n <= 10,000.
    y : (n,) integer labels in ``[0, n_classes)``.
    replay : the base model's training data to keep reading well: a :class:`ReplaySet`
        (fastest: prepare it once), or a pair ``(X_train, y_train)`` to draw one from; by
        default the bundled MNIST training set prepared for the model's preprocessing.
    config, **options : an :class:`AdaptConfig`, or its fields as keywords.

    Returns
    -------
    A new :class:`SoftmaxModel` with the same preprocessing version, which reads every
    sample as its label (the latest label of a drawing given twice). Deterministic: the same
    inputs give the same model. Its ``metadata["adapted"]`` records:

    ``base_fingerprint``, ``n_personal_samples`` (samples given), ``per_class`` (learnt)
        the base and the samples.
    ``conflicts`` : list of lists of sample indices, one list per drawing taught different
        digits (in the order given; the last one's label is learnt). ``n_superseded``:
        samples replaced by a later teaching of the same drawing.
    ``not_learnt`` : indices of samples still not read as taught (empty unless
        ``max_refits`` refits were not enough); ``refits``: harder refits taken.
    ``guard_step`` : the step taken; ``mnist_guard_step`` the one the guard alone allowed;
        ``stick_step`` the smallest that reads every sample as taught (None: none did).
    ``held_out_images``, ``held_out_base_accuracy``, ``held_out_accuracy`` : the guard's
        training images held aside (MNIST by default) and the accuracy of the base and of
        the adapted model on them (fractions; None without guard images): the forgetting.
    ``held_out_base_confidence``, ``held_out_confidence`` : per class, the mean probability
        the base and the adapted model give those images of their own digit (None without
        guard images; None for a class with no image). ``taught_confidence``: the adapted
        model's probability of each learnt sample's label (in the order given; a drawing taught
        twice once).
    ``settings`` : the config used.

    Raises
    ------
    ValueError
        For a model that is not a softmax model, samples of the wrong shape, non-finite
        values, labels outside the model's classes, no samples, or bad options.
    """
    if not isinstance(model, SoftmaxModel):
        raise ValueError(f"model must be an engine.SoftmaxModel, got {type(model).__name__}")
    config = resolve_config(config, options)
    X, y = check_samples(X, y, model.n_inputs, model.n_classes)
    n_given = int(y.size)
    keep, conflicts = latest_samples(X, y)
    X, y = X[keep], y[keep]
    replay = as_replay(replay, model, config)
    if not model.input_map.is_identity:  # the fit runs on the map's features
        X, replay = mapped_samples(model.input_map, X, replay)
    W0 = np.asarray(model.W, dtype=np.float32)
    b0 = np.asarray(model.b, dtype=np.float32)
    fingerprint = model_fingerprint(model)
    # One BLAS thread: the products here are thin (k = 10 columns), and OpenBLAS's threads
    # spend more on handing them off than they save (bench/README.md).
    with threadpool_limits(limits=1, user_api="blas"):
        base = _base_terms(W0, b0, fingerprint, replay)
        W, b, refits, sticks = _fit_until_read(W0, b0, X, y, replay, base, config)
        right, change = _guard_right(W0, b0, W, b, replay, base)
    step_guard = guard_step(right, replay, base, config.max_drop)
    step = max(step_guard, 1.0 if sticks is None else sticks)
    W, b = step_model(W0, b0, W, b, step)
    not_learnt = keep[unread(X, y, W, b)]
    n_guard = int(replay.y_guard.size)
    right_after = int(right[GUARD_STEPS.index(step)]) if n_guard else base.guard_right
    confidence = confidences(model.n_classes, X, y, W, b, replay, base, change, step)
    metadata = {
        "adapted": {
            "base_fingerprint": fingerprint,
            "n_personal_samples": n_given,
            "per_class": np.bincount(y, minlength=model.n_classes).tolist(),
            "guard_step": float(step),
            "mnist_guard_step": float(step_guard),
            "stick_step": None if sticks is None else float(sticks),
            "refits": refits,
            "not_learnt": not_learnt.tolist(),
            "conflicts": [list(group) for group in conflicts],
            "n_superseded": n_given - int(keep.size),
            "held_out_images": n_guard,
            "held_out_base_accuracy": base.guard_right / n_guard if n_guard else None,
            "held_out_accuracy": right_after / n_guard if n_guard else None,
            **confidence,
            "settings": {
                "alpha": config.alpha,
                "pull": config.pull,
                "max_iter": config.max_iter,
                "replay_size": int(replay.y.size),
                "guard_size": n_guard,
                "max_drop": config.max_drop,
                "max_refits": config.max_refits,
                "smoothing": config.smoothing,
            },
        },
        "base": model.metadata.get("base", model.metadata),
        # what the model reads stays as the base recorded it
        **{key: model.metadata[key] for key in READING_KEYS if key in model.metadata},
    }
    return SoftmaxModel(
        W=W,
        b=b,
        preprocessing_version=model.preprocessing_version,
        metadata=metadata,
        input_map=model.input_map,
    )


def _fit_until_read(
    W0: np.ndarray,
    b0: np.ndarray,
    X: np.ndarray,
    y: np.ndarray,
    replay: ReplaySet,
    base: _BaseTerms,
    config: AdaptConfig,
) -> tuple[np.ndarray, np.ndarray, int, float | None]:
    """Fit; while a correction is not read as taught even at the full step, refit with the
    unread ones weighted REFIT_BOOST times harder each round and more iterations. Returns
    the fit, the refits it took and the smallest step that reads every correction (None
    when ``config.max_refits`` refits were not enough)."""
    boosted = np.zeros(y.size, dtype=bool)
    refits, max_iter, boost = 0, config.max_iter, 0.0
    while True:
        W, b = fit(
            W0,
            b0,
            X,
            y,
            replay,
            base,
            alpha=config.alpha,
            pull=config.pull,
            max_iter=max_iter,
            boosted=np.flatnonzero(boosted),
            boost=boost,
            smoothing=config.smoothing,
        )
        sticks = stick_step(W0, b0, W, b, X, y)
        if sticks is not None or refits >= config.max_refits:
            return W, b, refits, sticks
        boosted |= unread(X, y, W, b)
        refits += 1
        boost = max(config.alpha, 1.0) * REFIT_BOOST**refits
        max_iter = config.max_iter * (refits + 1)
