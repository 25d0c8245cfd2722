"""Why a run ended, in words the GUI chooses (and translates) from the engine's structured
result: its :class:`engine.StopReason`, the iterations it ran and the run's planned length.

The engine's own ``TrainResult.reason`` is English with figures; run histories written
before this module stored only that text, so a summary without a stop reason falls back to
it (see :func:`reason_text`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

import engine

#: The stop reason recorded for a run of steps taken by hand (not an engine StopReason).
BY_HAND = "by hand"


@dataclass(frozen=True)
class Ending:
    """What the words of a run's end are made from: the engine's stop reason (its value; or
    :data:`BY_HAND`), the iterations (SGD: mini-batch steps) it ran, the steps it planned
    (0: unknown), and its settings."""

    stop_reason: str
    iterations: int
    planned: int
    config: engine.TrainConfig


def _count(n: int) -> str:
    return f"{n:,}"


def _converged(e: Ending) -> str:
    return QCoreApplication.translate("run_words", "converged (tolerance {tol})").format(
        tol=f"{e.config.tol:g}"
    )


def _stopped(e: Ending) -> str:
    if e.planned > 0:
        return QCoreApplication.translate("run_words", "stopped at {n} of {total}").format(
            n=_count(e.iterations), total=_count(e.planned)
        )
    return QCoreApplication.translate("run_words", "stopped at iteration {n}").format(
        n=_count(e.iterations)
    )


def _reached(e: Ending) -> str:
    if e.config.optimizer == "sgd":
        if e.config.epochs == 1:
            return QCoreApplication.translate("run_words", "reached 1 epoch")
        return QCoreApplication.translate("run_words", "reached {n} epochs").format(
            n=_count(e.config.epochs)
        )
    if e.iterations >= e.config.max_iter:
        if e.config.max_iter == 1:
            return QCoreApplication.translate("run_words", "reached 1 iteration")
        return QCoreApplication.translate("run_words", "reached {n} iterations").format(
            n=_count(e.config.max_iter)
        )
    return QCoreApplication.translate(
        "run_words", "reached the solver's limit on cost evaluations after {n} iterations"
    ).format(n=_count(e.iterations))


def _no_improvement(e: Ending) -> str:
    per_epoch = e.planned / e.config.epochs if e.planned > 0 else 0
    epoch = max(1, math.ceil(e.iterations / per_epoch - 1e-9)) if per_epoch else 0
    if epoch:
        return QCoreApplication.translate(
            "run_words",
            "stopped early in epoch {epoch}: the mean training cost did not fall by more "
            "than the tolerance {tol}",
        ).format(epoch=epoch, tol=f"{e.config.tol:g}")
    return QCoreApplication.translate(
        "run_words",
        "stopped early: the mean training cost did not fall by more than the tolerance {tol}",
    ).format(tol=f"{e.config.tol:g}")


def _diverged(e: Ending) -> str:
    return QCoreApplication.translate(
        "run_words",
        "diverged at step {n}: the cost grew far above where it started; kept the last good "
        "weights (try a smaller learning rate)",
    ).format(n=_count(e.iterations))


def _non_finite(e: Ending) -> str:
    return QCoreApplication.translate(
        "run_words",
        "diverged at step {n}: the cost or the weights stopped being finite numbers; kept the "
        "last good weights (try a smaller learning rate)",
    ).format(n=_count(e.iterations))


def _no_progress(e: Ending) -> str:
    return QCoreApplication.translate(
        "run_words", "no further progress after {n} iterations: the solver could not lower the cost"
    ).format(n=_count(e.iterations))


def _by_hand(e: Ending) -> str:
    if e.iterations == 0:
        return QCoreApplication.translate("run_words", "no step yet")
    if e.iterations == 1:
        return QCoreApplication.translate("run_words", "1 step by hand")
    return QCoreApplication.translate("run_words", "{n} steps by hand").format(
        n=_count(e.iterations)
    )


#: Every way a run can end -> its words (tests check that every StopReason has an entry).
WORDING: dict[str, Callable[[Ending], str]] = {
    engine.StopReason.CONVERGED.value: _converged,
    engine.StopReason.STOPPED.value: _stopped,
    engine.StopReason.MAX_ITERATIONS.value: _reached,
    engine.StopReason.NO_IMPROVEMENT.value: _no_improvement,
    engine.StopReason.DIVERGED.value: _diverged,
    engine.StopReason.NON_FINITE.value: _non_finite,
    engine.StopReason.NO_PROGRESS.value: _no_progress,
    BY_HAND: _by_hand,
}


def reason_text(ending: Ending, stored: str = "") -> str:
    """Why the run ended, in the UI language; ``stored`` (the engine's English words, as
    older run histories hold them) when there is no stop reason to word it from."""
    words = WORDING.get(ending.stop_reason)
    return stored if words is None else words(ending)
