"""Finite-difference gradient check, the reference's method done properly.

At a random point ``(W, b)`` (or at a model's own parameters) on a data subset, in float64,
every coordinate of ``b`` and random coordinates of ``W`` (``n_checks`` in all) get a central
difference ``(J(θ + ε e_j) - J(θ - ε e_j)) / 2ε`` which is compared with the analytic
gradient by the relative error ``|a - n| / max(|a|, |n|, FLOOR)``. With ``ε = 1e-4`` (the
reference's) central differences in float64 agree with a correct gradient to about 1e-10
absolute on MNIST (measured: relative errors at most ~1e-7 on 200 test images, with and
without L2). ``FLOOR`` = 1e-5 judges coordinates with smaller gradients (pixels almost never
inked) on their absolute error, so they cannot fail by round-off alone. The verdict threshold
:data:`DEFAULT_THRESHOLD` = 1e-4 leaves a margin of 100× or more for a correct gradient,
while real mistakes (a missing ``1/n``, a dropped bias or L2 term, a sign) give relative
errors near 1.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
from threadpoolctl import threadpool_limits

from engine.constants import MNIST_SIDE, N_FEATURES
from engine.model import SoftmaxModel, loss_gradient

DEFAULT_THRESHOLD = 1e-4
DEFAULT_EPS = 1e-4
#: Gradients smaller than this are judged on absolute error (scaled by 1 / FLOOR).
FLOOR = 1e-5

#: A coordinate's name as :class:`GradCheckResult` gives it: ``W[i,j]`` or ``b[j]``.
_COORDINATE = re.compile(r"(?:W\[(?P<i>\d+),|b\[)(?P<j>\d+)\]")

LossGradient = Callable[..., tuple[float, np.ndarray, np.ndarray]]


@dataclass(frozen=True)
class GradCheckResult:
    """Per-coordinate comparison and verdict.

    ``parameter`` names each checked coordinate (``"W[i,j]"`` or ``"b[j]"``) and ``meaning``
    says it in words (``"pixel 523 = row 18, column 19; class 8"``); ``analytic``,
    ``numeric`` and ``rel_error`` are float64 arrays of length ``n_checks``. ``at_model``:
    whether the check ran at a model's parameters rather than at a random point.
    """

    parameter: tuple[str, ...]
    analytic: np.ndarray
    numeric: np.ndarray
    rel_error: np.ndarray
    max_rel_error: float
    mean_rel_error: float
    threshold: float
    passed: bool
    meaning: tuple[str, ...] = ()
    at_model: bool = False
    #: The same coordinates as data, for a caller that words them itself (another language).
    coordinates: tuple[Coordinate, ...] = ()


@dataclass(frozen=True)
class Coordinate:
    """A checked coordinate as data: ``i`` is W's row (None for ``b[j]``), ``j`` the class;
    ``row`` and ``column`` place input ``i`` in the 28×28 image when it is a pixel (else
    None); ``class_name`` is the class's name when it differs from its number."""

    i: int | None
    j: int
    row: int | None = None
    column: int | None = None
    class_name: str | None = None


def gradient_check(
    X: np.ndarray,
    y: np.ndarray,
    *,
    n_checks: int = 300,
    l2: float = 0.0,
    eps: float = DEFAULT_EPS,
    threshold: float = DEFAULT_THRESHOLD,
    seed: int = 0,
    n_classes: int = 10,
    loss_gradient_fn: LossGradient = loss_gradient,
    model: SoftmaxModel | None = None,
) -> GradCheckResult:
    """Compare the analytic gradient with central differences on random coordinates.

    Parameters
    ----------
    X : (n, d) inputs (cast to float64), e.g. 200 test images; with a ``model``, inputs as
        its ``predict`` takes them (a mapped model maps them itself).
    y : (n,) integer labels.
    n_checks : how many coordinates to check: all of ``b`` and random ones of ``W``.
    l2 : L2 penalty included in the loss.
    loss_gradient_fn : the function under test, with the signature of
        :func:`engine.model.loss_gradient`.
    model : check at this model's ``W`` and ``b`` (in float64) instead of at a random
        point; its ``n_classes`` replaces ``n_classes`` and its class names name the
        coordinates.

    Returns
    -------
    GradCheckResult with ``passed`` = max relative error <= ``threshold``.

    Raises
    ------
    TypeError
        If ``model`` is given and is not a :class:`SoftmaxModel`.
    ValueError
        For ``X`` and ``y`` of mismatched shapes, labels out of range, ``n_checks`` < 1, or
        inputs the model cannot read.
    """
    point = None
    names: tuple[str, ...] | None = None
    pixels = True
    if model is not None:
        if not isinstance(model, SoftmaxModel):
            raise TypeError(f"model must be an engine.SoftmaxModel, got {type(model).__name__}")
        X = model.inputs(X)
        point = (np.array(model.W, dtype=np.float64), np.array(model.b, dtype=np.float64))
        n_classes, names, pixels = model.n_classes, model.class_names, model.input_map.is_identity
    with threadpool_limits(limits=1, user_api="blas"):
        result = _gradient_check(
            np.asarray(X, dtype=np.float64),
            np.asarray(y),
            n_checks,
            l2,
            eps,
            threshold,
            seed,
            n_classes,
            loss_gradient_fn,
            point,
        )
    coordinates = tuple(
        locate_coordinate(name, class_names=names, pixels=pixels) for name in result.parameter
    )
    meaning = tuple(_describe(c) for c in coordinates)
    return replace(result, meaning=meaning, coordinates=coordinates, at_model=model is not None)


def locate_coordinate(
    name: str, *, class_names: tuple[str, ...] | None = None, pixels: bool = True
) -> Coordinate:
    """A checked coordinate's name (``"W[523,8]"``, ``"b[3]"``) as a :class:`Coordinate`.

    ``pixels``: whether row ``i`` of ``W`` is pixel ``i`` of a 28×28 image (else it is input
    feature ``i``); ``class_names`` name the classes (digits 0–9 are their own names).

    Raises
    ------
    ValueError
        For a name that is not ``W[i,j]`` or ``b[j]``.
    """
    match = _COORDINATE.fullmatch(name)
    if match is None:
        raise ValueError(f"expected a coordinate 'W[i,j]' or 'b[j]', got {name!r}")
    j = int(match["j"])
    named = None
    if class_names is not None and j < len(class_names) and class_names[j] != str(j):
        named = class_names[j]
    if match["i"] is None:
        return Coordinate(None, j, class_name=named)
    i = int(match["i"])
    if pixels and i < N_FEATURES:
        row, col = divmod(i, MNIST_SIDE)
        return Coordinate(i, j, row, col, named)
    return Coordinate(i, j, class_name=named)


def describe_coordinate(
    name: str, *, class_names: tuple[str, ...] | None = None, pixels: bool = True
) -> str:
    """What a checked coordinate is, in words: ``"W[523,8]"`` ->
    ``"pixel 523 = row 18, column 19; class 8"``, ``"b[3]"`` -> ``"bias of class 3"``.

    ``pixels``: whether row ``i`` of ``W`` is pixel ``i`` of a 28×28 image (else it is input
    feature ``i``); ``class_names`` name the classes (else their numbers; digits 0–9 are
    their own names).

    Raises
    ------
    ValueError
        For a name that is not ``W[i,j]`` or ``b[j]``.
    """
    return _describe(locate_coordinate(name, class_names=class_names, pixels=pixels))


def _describe(c: Coordinate) -> str:
    cls = f"class {c.j}" if c.class_name is None else f"class {c.j} ({c.class_name})"
    if c.i is None:
        return f"bias of {cls}"
    if c.row is not None:
        return f"pixel {c.i} = row {c.row}, column {c.column}; {cls}"
    return f"input feature {c.i}; {cls}"


def _gradient_check(X, y, n_checks, l2, eps, threshold, seed, n_classes, loss_gradient_fn, point):
    # Hundreds of small products: BLAS threads only add synchronisation, so they run
    # single-threaded.
    if X.ndim != 2 or y.shape != (X.shape[0],):
        raise ValueError(f"expected X (n, d) and y (n,), got {X.shape} and {y.shape}")
    if n_checks < 1:
        raise ValueError(f"n_checks must be >= 1, got {n_checks}")
    if y.size and (y.min() < 0 or y.max() >= n_classes):
        raise ValueError(f"labels must be in 0..{n_classes - 1}, got {y.min()}..{y.max()}")
    # one stream for the point, one for the coordinates: a seed checks the same coordinates
    # at a random point and at a model
    point_rng, rng = (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(2))
    d = X.shape[1]
    if point is None:
        scale = np.sqrt(6.0) / np.sqrt(d + n_classes)
        W = point_rng.uniform(-scale, scale, size=(d, n_classes))
        b = point_rng.uniform(-scale, scale, size=n_classes)
    else:
        W, b = point
        if W.shape != (d, n_classes):
            raise ValueError(f"expected the model's W of shape {(d, n_classes)}, got {W.shape}")
    theta = np.concatenate([W.ravel(), b])  # views below write through to W and b
    W, b = theta[: d * n_classes].reshape(d, n_classes), theta[d * n_classes :]
    _, dW, db = loss_gradient_fn(W, b, X, y, l2)
    grad = np.concatenate(
        [np.asarray(dW, dtype=np.float64).ravel(), np.asarray(db, dtype=np.float64).ravel()]
    )
    # every bias coordinate (only n_classes of them, easy to miss at random), then random W's
    n_weights = d * n_classes
    n_random = max(0, min(n_checks, theta.size) - n_classes)
    coords = np.concatenate(
        [np.arange(n_weights, theta.size), rng.choice(n_weights, size=n_random, replace=False)]
    )
    numeric = np.empty(coords.size)
    for i, j in enumerate(coords):
        original = theta[j]
        theta[j] = original + eps
        plus = loss_gradient_fn(W, b, X, y, l2)[0]
        theta[j] = original - eps
        minus = loss_gradient_fn(W, b, X, y, l2)[0]
        theta[j] = original
        numeric[i] = (plus - minus) / (2 * eps)
    analytic = grad[coords]
    scale = np.maximum(np.maximum(np.abs(analytic), np.abs(numeric)), FLOOR)
    rel = np.abs(analytic - numeric) / scale
    names = tuple(
        f"W[{j // n_classes},{j % n_classes}]" if j < d * n_classes else f"b[{j - d * n_classes}]"
        for j in coords
    )
    max_rel = float(rel.max())
    return GradCheckResult(
        parameter=names,
        analytic=analytic,
        numeric=numeric,
        rel_error=rel,
        max_rel_error=max_rel,
        mean_rel_error=float(rel.mean()),
        threshold=threshold,
        passed=bool(max_rel <= threshold),
    )
