"""One training run as the runs table and the legend show it: its settings, its data, how it
ended, and the texts that name it. Plain data (the curves live in the plots)."""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass, replace

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

import engine
from softmax_gui.train.form_fields import engine_text, format_seconds
from softmax_gui.train.run_words import Ending, reason_text


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


#: What the table calls an outcome (the history stores the value, never these words).
_OUTCOME_WORDS = {
    RunOutcome.RUNNING: QT_TRANSLATE_NOOP("run_summary", "running…"),
    RunOutcome.CONVERGED: QT_TRANSLATE_NOOP("run_summary", "converged"),
    RunOutcome.STOPPED: QT_TRANSLATE_NOOP("run_summary", "stopped"),
    RunOutcome.DIVERGED: QT_TRANSLATE_NOOP("run_summary", "diverged"),
    RunOutcome.FINISHED: QT_TRANSLATE_NOOP("run_summary", "finished"),
    RunOutcome.FAILED: QT_TRANSLATE_NOOP("run_summary", "failed"),
}
OUTCOME_WORDS: dict[RunOutcome, str] = {key: str(word) for key, word in _OUTCOME_WORDS.items()}

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


def outcome_of(result: engine.TrainResult) -> RunOutcome:
    """How ``result``'s run ended (never RUNNING or FAILED)."""
    return OUTCOME_OF_STOP[result.stop_reason]


def outcome_word(outcome: RunOutcome) -> str:
    """``outcome`` as one word of the UI language."""
    return QCoreApplication.translate("run_summary", OUTCOME_WORDS[outcome])


@dataclass(frozen=True)
class RunSummary:
    """A run's number, settings and data, and once it ended its outcome, time and errors.

    ``seconds`` leaves out time spent paused; errors are fractions (NaN: none). A run taken
    ``by_hand`` is plain SGD steps taken one press of Step at a time. ``stop_reason`` (a
    :class:`engine.StopReason` value, or ``"by hand"``), ``iterations`` and ``planned`` (its
    planned iterations or steps, 0: unknown) are what its ending is worded from; ``reason``
    keeps the engine's English words, all that histories written before them hold.
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
    stop_reason: str = ""
    iterations: int = 0
    planned: int = 0

    def finished(self, result: engine.TrainResult, seconds: float) -> RunSummary:
        """This run after ``result``, which took ``seconds`` of training (pauses left out)."""
        return replace(
            self,
            outcome=outcome_of(result),
            reason=result.reason,
            stop_reason=result.stop_reason.value,
            iterations=result.iterations,
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
            return QCoreApplication.translate(
                "run_summary", "by hand, lr {lr}, batch {batch}"
            ).format(lr=f"{c.lr:g}", batch=c.batch_size)
        if c.optimizer != "sgd":
            return QCoreApplication.translate("run_summary", "l2 {l2}, tol {tol}").format(
                l2=f"{c.l2:g}", tol=f"{c.tol:g}"
            )
        schedule = engine_text(engine.SCHEDULES[c.schedule].short)
        if c.augment == "none":
            return QCoreApplication.translate(
                "run_summary", "lr {lr}, {epochs} ep, {schedule}"
            ).format(lr=f"{c.lr:g}", epochs=c.epochs, schedule=schedule)
        return QCoreApplication.translate(
            "run_summary", "lr {lr}, {epochs} ep, {schedule}, {augment} augment"
        ).format(lr=f"{c.lr:g}", epochs=c.epochs, schedule=schedule, augment=engine_text(c.augment))

    def settings_parts(self) -> list[str]:
        """Every setting that shaped the run, one short phrase each."""
        c = self.config
        l2 = QCoreApplication.translate("run_summary", "l2 {l2}").format(l2=f"{c.l2:g}")
        tol = QCoreApplication.translate("run_summary", "tol {tol}").format(tol=f"{c.tol:g}")
        seed = QCoreApplication.translate("run_summary", "seed {seed}").format(seed=c.seed)
        lr = QCoreApplication.translate("run_summary", "lr {lr}").format(lr=f"{c.lr:g}")
        batch = QCoreApplication.translate("run_summary", "batch {n}").format(n=c.batch_size)
        if self.by_hand:
            return [QCoreApplication.translate("run_summary", "by hand"), lr, batch, l2, seed]
        if c.optimizer != "sgd":
            most = QCoreApplication.translate("run_summary", "max {n} iterations").format(
                n=f"{c.max_iter:,}"
            )
            return [most, l2, tol, seed]
        schedule = QCoreApplication.translate("run_summary", "{schedule} schedule").format(
            schedule=engine_text(engine.SCHEDULES[c.schedule].short)
        )
        momentum = QCoreApplication.translate("run_summary", "momentum {m}").format(
            m=f"{c.momentum:g}"
        )
        epochs = (
            QCoreApplication.translate("run_summary", "1 epoch")
            if c.epochs == 1
            else QCoreApplication.translate("run_summary", "{n} epochs").format(n=c.epochs)
        )
        parts = [lr, schedule, batch, momentum, epochs]
        if c.augment != "none":
            parts.append(
                QCoreApplication.translate("run_summary", "{augment} augmentation").format(
                    augment=engine_text(c.augment)
                )
            )
        return [*parts, l2, tol, seed]

    def settings_text(self) -> str:
        """Every setting that shaped the run, for the runs table."""
        return " · ".join(self.settings_parts())

    def data_text(self) -> str:
        """The dataset and its preprocessing, e.g. ``"MNIST, prep. 3"``."""
        if self.personal:
            return QCoreApplication.translate(
                "run_summary", "{dataset} + my handwriting, prep. {version}"
            ).format(dataset=self.dataset, version=self.preprocessing)
        return QCoreApplication.translate("run_summary", "{dataset}, prep. {version}").format(
            dataset=self.dataset, version=self.preprocessing
        )

    def model_name(self) -> str:
        """What the model the run makes is called, e.g. ``"run 2 · SGD lr 0.1, 5 ep, cosine"``."""
        return QCoreApplication.translate("run_summary", "run {n} · {optimizer} {settings}").format(
            n=self.number, optimizer=self.optimizer, settings=self.key_settings()
        )

    def label(self) -> str:
        """The legend's entry, e.g. ``"run 2 · SGD lr 0.1, 5 ep, cosine · MNIST, prep. 3"``."""
        if self.outcome is RunOutcome.DIVERGED:
            return QCoreApplication.translate("run_summary", "{model} · {data} · diverged").format(
                model=self.model_name(), data=self.data_text()
            )
        return QCoreApplication.translate("run_summary", "{model} · {data}").format(
            model=self.model_name(), data=self.data_text()
        )

    def ending(self) -> Ending:
        """What the words of this run's end are made from (a converged run of an older
        history, which holds no stop reason, is still worded with its tolerance)."""
        stop = self.stop_reason
        if not stop and self.outcome is RunOutcome.CONVERGED:
            stop = engine.StopReason.CONVERGED.value
        return Ending(stop, self.iterations, self.planned, self.config)

    def reason_text(self) -> str:
        """Why the run ended, e.g. ``"stopped at 63 of 200"`` (an older history's stored
        words when it holds no stop reason)."""
        return reason_text(self.ending(), self.reason)

    def outcome_text(self) -> str:
        """How the run ended, e.g. ``"converged (tolerance 1e-06)"``."""
        if self.outcome in (RunOutcome.RUNNING, RunOutcome.DIVERGED, RunOutcome.FAILED):
            return outcome_word(self.outcome)
        return self.reason_text() or outcome_word(self.outcome)

    def time_text(self) -> str:
        """Training time without pauses, e.g. ``"0:06"``."""
        return MISSING if math.isnan(self.seconds) else format_seconds(self.seconds)


def percent(error: float) -> str:
    """``0.0734`` -> ``"7.34%"``; :data:`MISSING` for NaN."""
    return MISSING if math.isnan(error) else f"{error:.2%}"
