"""One training run as the runs table and the legend show it: its settings, its data, how it
ended, and the texts that name it. Plain data (the curves live in the plots)."""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass, replace

import engine
from softmax_gui.train.controls import format_seconds


class RunOutcome(str, enum.Enum):
    """How a run ended, as the runs table and the stored history say it (the values are
    what the history file holds)."""

    RUNNING = "running"
    CONVERGED = "converged"
    STOPPED = "stopped"
    DIVERGED = "diverged"
    #: It ended by its own rule short of converging: its budget, SGD's early stop, a solver
    #: that could go no further (its reason says which).
    FINISHED = "finished"
    #: An error ended it without a result.
    FAILED = "failed"

    def __str__(self) -> str:
        return self.value


#: The engine's reason for ending -> the outcome shown.
OUTCOME_OF_STOP = {
    engine.StopReason.CONVERGED: RunOutcome.CONVERGED,
    engine.StopReason.STOPPED: RunOutcome.STOPPED,
    engine.StopReason.DIVERGED: RunOutcome.DIVERGED,
    engine.StopReason.NON_FINITE: RunOutcome.DIVERGED,
    engine.StopReason.NO_IMPROVEMENT: RunOutcome.FINISHED,
    engine.StopReason.MAX_ITERATIONS: RunOutcome.FINISHED,
    engine.StopReason.NO_PROGRESS: RunOutcome.FINISHED,
}
#: Shown for a figure a run does not have (no test set, not finished yet).
MISSING = "–"
PERSONAL_TEXT = " + my handwriting"


def outcome_of(result: engine.TrainResult) -> RunOutcome:
    """How ``result``'s run ended (never RUNNING or FAILED)."""
    return OUTCOME_OF_STOP[result.stop_reason]


@dataclass(frozen=True)
class RunSummary:
    """A run's number, settings and data, and once it ended its outcome, time and errors.

    ``seconds`` leaves out time spent paused; errors are fractions (NaN: none). A run taken
    ``by_hand`` is plain SGD steps taken one press of Step at a time.
    """

    number: int
    config: engine.TrainConfig
    dataset: str
    preprocessing: int
    personal: bool = False
    outcome: RunOutcome = RunOutcome.RUNNING
    reason: str = ""
    seconds: float = math.nan
    train_error: float = math.nan
    test_error: float = math.nan
    by_hand: bool = False

    def finished(self, result: engine.TrainResult, seconds: float) -> RunSummary:
        """This run after ``result``, which took ``seconds`` of training (pauses left out)."""
        return replace(
            self,
            outcome=outcome_of(result),
            reason=result.reason,
            seconds=seconds,
            train_error=result.train_error,
            test_error=result.test_error,
        )

    @property
    def optimizer(self) -> str:
        """The optimizer's short name (``"SGD"``, ``"L-BFGS-B"``)."""
        return engine.OPTIMIZERS[self.config.optimizer].short

    def key_settings(self) -> str:
        """The settings that tell runs of one optimizer apart, e.g. ``"lr 0.1, 5 ep, cosine"``."""
        c = self.config
        if self.by_hand:
            return f"by hand, lr {c.lr:g}, batch {c.batch_size}"
        if c.optimizer != "sgd":
            return f"l2 {c.l2:g}, tol {c.tol:g}"
        augment = "" if c.augment == "none" else f", {c.augment} augment"
        return f"lr {c.lr:g}, {c.epochs} ep, {engine.SCHEDULES[c.schedule].short}{augment}"

    def settings_text(self) -> str:
        """Every setting that shaped the run, for the runs table."""
        c = self.config
        common = f"l2 {c.l2:g} · tol {c.tol:g} · seed {c.seed}"
        if self.by_hand:
            return f"by hand · lr {c.lr:g} · batch {c.batch_size} · l2 {c.l2:g} · seed {c.seed}"
        if c.optimizer != "sgd":
            return f"max {c.max_iter:,} iterations · {common}"
        augment = "" if c.augment == "none" else f" · {c.augment} augmentation"
        epochs = f"{c.epochs} epoch{'s' if c.epochs != 1 else ''}"
        return (
            f"lr {c.lr:g} {engine.SCHEDULES[c.schedule].short} · batch {c.batch_size} · "
            f"momentum {c.momentum:g} · {epochs}{augment} · {common}"
        )

    def data_text(self) -> str:
        """The dataset and its preprocessing, e.g. ``"MNIST, prep. 3"``."""
        personal = PERSONAL_TEXT if self.personal else ""
        return f"{self.dataset}{personal}, prep. {self.preprocessing}"

    def model_name(self) -> str:
        """What the model the run makes is called, e.g. ``"run 2 · SGD lr 0.1, 5 ep, cosine"``."""
        return f"run {self.number} · {self.optimizer} {self.key_settings()}"

    def label(self) -> str:
        """The legend's entry, e.g. ``"run 2 · SGD lr 0.1, 5 ep, cosine · MNIST, prep. 3"``."""
        diverged = f" · {RunOutcome.DIVERGED.value}" if self.outcome is RunOutcome.DIVERGED else ""
        return f"{self.model_name()} · {self.data_text()}{diverged}"

    def outcome_text(self) -> str:
        """How the run ended, e.g. ``"converged (tolerance 1e-06)"``."""
        if self.outcome is RunOutcome.RUNNING:
            return "running…"
        if self.outcome is RunOutcome.CONVERGED:
            return f"converged (tolerance {self.config.tol:g})"
        return self.reason if self.outcome is RunOutcome.FINISHED else self.outcome.value

    def time_text(self) -> str:
        """Training time without pauses, e.g. ``"0:06"``."""
        return MISSING if math.isnan(self.seconds) else format_seconds(self.seconds)


def percent(error: float) -> str:
    """``0.0734`` -> ``"7.34%"``; :data:`MISSING` for NaN."""
    return MISSING if math.isnan(error) else f"{error:.2%}"
