"""Training by hand: one plain SGD mini-batch step a press of Step, from the current model.

The maths is the engine's: :func:`engine.training_batch` draws the batch and
:func:`engine.explain_step` takes the step (the same loss and gradient code training uses);
:func:`take_step` runs on a worker thread and returns plain data. :class:`Stepping` is the
window's note of the run the steps go to.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np

import engine


@dataclass
class Stepping:
    """A run of steps taken by hand: its number on the plots, the name its models get, the
    settings it steps with, the model its last step made, and its batch generator."""

    number: int
    name: str
    settings: tuple[float, int, float, int]  # lr, batch size, l2, seed
    model: engine.SoftmaxModel
    rng: np.random.Generator
    steps: int = 0
    seconds: float = 0.0  # the time the steps took

    @property
    def lr(self) -> float:
        return self.settings[0]

    @property
    def batch_size(self) -> int:
        return self.settings[1]

    @property
    def l2(self) -> float:
        return self.settings[2]


@dataclass(frozen=True)
class StepTaken:
    """One step by hand: the model after it, its point on the curves (``W``: the weights
    after), and which training images the batch held."""

    run: int  # the Stepping's number
    model: engine.SoftmaxModel
    progress: engine.Progress
    batch: np.ndarray  # (m,) indices into the training set


def take_step(
    model: engine.SoftmaxModel,
    data: engine.Dataset,
    run: Stepping,
) -> StepTaken:
    """One SGD step of ``run``'s size on a fresh random mini-batch of ``data``'s training set.

    The point it reports is what an SGD run reports: the batch's cost (with the L2 part) and
    its error before the step, and the test error after it.

    Raises
    ------
    ValueError
        For labels the model has no class for, or inputs it cannot read.
    """
    start = time.perf_counter()
    n_train = data.X_train.shape[0]
    m = min(run.batch_size, n_train)
    X, y, batch = engine.training_batch(data, m, run.rng)
    step = engine.explain_step(model, X, y, lr=run.lr, l2=run.l2)
    after = step.model_after
    test_error = (
        engine.error_rate(data.y_test, after.predict(data.X_test))
        if data.X_test.shape[0]
        else math.nan
    )
    number = run.steps + 1
    progress = engine.Progress(
        step=number,
        epoch=number * m / n_train,
        cost=step.loss,
        train_error=engine.error_rate(y, step.predicted),
        test_error=test_error,
        elapsed=run.seconds + time.perf_counter() - start,
        evaluations=number,
        fraction=0.0,  # open-ended: there is no planned end
        W=after.W.copy(),
    )
    return StepTaken(run.number, after, progress, batch)
