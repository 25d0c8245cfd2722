"""What an optimizer hands :func:`engine.training.train.train`: an :class:`Iterate` at each
report and an :class:`Outcome` at the end.

An optimizer is a generator ``Generator[Iterate, bool | None, Outcome]``: it yields the
current iterate, is sent back whether to stop (None, as from ``next``, means go on), and
returns why it ended. It does no bookkeeping of its own: timing, progress records, error
measurements and the finished result are :mod:`engine.training.run_tracking`'s.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass

import numpy as np

from engine.training.config import StopReason


@dataclass(frozen=True)
class Iterate:
    """Where an optimizer is at one report.

    ``W`` (n_features, n_classes) and ``b`` (n_classes,) may be the optimizer's own arrays:
    valid until the generator is resumed, so a consumer copies what it keeps. ``cost`` is
    the training cost there (SGD: the mean over the batches since the last report);
    ``train_error`` is the training error when the optimizer has it at no extra cost, else
    None. ``fraction`` is the share of the planned work done.
    """

    step: int
    epoch: float
    W: np.ndarray
    b: np.ndarray
    cost: float
    evaluations: int
    fraction: float
    train_error: float | None = None


@dataclass(frozen=True)
class Outcome:
    """How an optimizer ended: why, in words, and the weights it ends with (the last good
    ones when it diverged)."""

    reason: StopReason
    message: str
    W: np.ndarray
    b: np.ndarray
    iterations: int
    evaluations: int


#: The generator an optimizer is (see the module docstring).
OptimizerRun = Generator[Iterate, "bool | None", Outcome]


def plural(n: int, unit: str) -> str:
    """``"1 epoch"``, ``"5 epochs"``."""
    return f"{n} {unit}{'s' if n != 1 else ''}"


def stopped(last: Iterate) -> Outcome:
    """The outcome of a run stopped by its consumer at ``last``, the iterate it was shown."""
    return Outcome(StopReason.STOPPED, "stopped", last.W, last.b, last.step, last.evaluations)


def diverged(
    reason: StopReason, cost: float, W: np.ndarray, b: np.ndarray, step: int, evaluations: int
) -> Outcome:
    """The outcome of a run whose cost went out of bounds at ``step``; ``W, b`` are the last
    good weights."""
    message = (
        f"diverged: the cost became {cost:.4g} at step {step}; kept the last good weights "
        "(try a smaller learning rate)"
    )
    return Outcome(reason, message, W, b, step, evaluations)
