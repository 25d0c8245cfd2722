"""How sure an adapted model is, for :func:`engine.adapt`'s metadata: of the drawings it
was taught, and of the training images held aside (per digit, before and after), so the app
can say when digits that were not taught now read less surely (bench/README.md has the
calibration figures behind this)."""

from __future__ import annotations

from typing import Any

import numpy as np

from engine.personal.replay import ReplaySet, _BaseTerms


def true_class_confidence(logits: np.ndarray, y: np.ndarray, n_classes: int) -> list[float]:
    """Per class, the mean probability the logits (g, k) give images of that class (``y``
    (g,)) being that class: how sure a model is of the digits it reads (NaN: no image)."""
    # p(true) = 1 / sum_c exp(z_c - z_true): one exp pass, no full softmax (~1 ms for
    # 20,000 images; the full softmax took ten times as long)
    z = logits - logits[np.arange(y.size), y][:, None]
    with np.errstate(over="ignore"):  # inf where the true class is hopeless: p(true) 0
        np.exp(z, out=z)
        p_true = 1.0 / z.sum(axis=1)
    totals = np.bincount(y, weights=p_true, minlength=n_classes)
    counts = np.bincount(y, minlength=n_classes)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (totals / counts).tolist()


def confidences(
    n_classes: int,
    X: np.ndarray,
    y: np.ndarray,
    W: np.ndarray,
    b: np.ndarray,
    replay: ReplaySet,
    base: _BaseTerms,
    change: np.ndarray,
    step: float,
) -> dict[str, Any]:
    """How sure the adapted model ``(W, b)`` is, for the metadata: of each taught drawing
    (``X`` its features, ``y`` its label) and, per class, of the guard images (base and
    adapted), so the app can say when digits that were not taught read less surely."""
    logits = X @ W + b  # (n, k)
    logits -= logits.max(axis=1, keepdims=True)
    p = np.exp(logits)
    taught = p[np.arange(y.size), y] / p.sum(axis=1)
    out: dict[str, Any] = {
        "taught_confidence": [round(float(v), 4) for v in taught],
        "held_out_base_confidence": None,
        "held_out_confidence": None,
    }
    if replay.y_guard.size:
        after = base.guard_logits + np.float32(step) * change
        for key, values in (
            (
                "held_out_base_confidence",
                true_class_confidence(base.guard_logits, replay.y_guard, n_classes),
            ),
            ("held_out_confidence", true_class_confidence(after, replay.y_guard, n_classes)),
        ):
            out[key] = [None if np.isnan(v) else round(v, 4) for v in values]
    return out
