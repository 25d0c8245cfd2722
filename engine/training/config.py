"""What a training run is asked to do and what it reports: the optimizer and schedule
registries, :class:`TrainConfig` with each option's label, help and range, the
:class:`Progress` records, why a run stopped (:class:`StopReason`) and the :class:`TrainResult`.

The registries and the options' metadata are the one place their names, labels and ranges
are spelt: the CLI's options, the estimator's defaults, the GUI's form and the config's
validation all read them.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any, Literal

import numpy as np

from engine.features.maps import INPUT_MAPS
from engine.model import SoftmaxModel
from engine.training.augment import PRESETS as AUGMENT_PRESETS

Optimizer = Literal["lbfgs", "sgd"]
Schedule = Literal["constant", "cosine", "step"]


@dataclass(frozen=True)
class Choice:
    """How one registered option is shown: ``short`` in legends and tables, ``text`` in
    menus and ``--help``, ``help`` (optional) a line saying what it does, e.g. the tooltip of
    its menu entry."""

    short: str
    text: str
    help: str = ""


#: Optimizer name -> how it is shown.
OPTIMIZERS: dict[str, Choice] = {
    "lbfgs": Choice("L-BFGS-B", "L-BFGS-B (full batch)"),
    "sgd": Choice("SGD", "SGD with momentum"),
}
#: SGD learning-rate schedule name -> how it is shown.
SCHEDULES: dict[str, Choice] = {
    "cosine": Choice("cosine", "cosine decay"),
    "constant": Choice("constant", "constant"),
    "step": Choice("step", "step (×0.1 at 50%, 75%)"),
}
_AUGMENT_TEXT = {
    "light": "light (shift, rotate, warp, pen)",
    "strong": "strong (more of each)",
    "pen": "pen width only",
}
#: The input maps a training run offers. The random-feature maps stay in engine.features
#: (fit_input_map, map_dataset) but are not offered: on MNIST they need 1.0-1.7 GB while
#: training, 18-24× the pixel model's time, and 0.4-0.5 s an adaptation (bench/README.md).
OFFERED_INPUTS = ("pixels", "edges")
#: Input map name (:data:`engine.features.INPUT_MAPS`) -> how it is shown.
INPUTS: dict[str, Choice] = {
    name: Choice(name, INPUT_MAPS[name].short, INPUT_MAPS[name].text) for name in OFFERED_INPUTS
}
#: Augmentation preset name (:data:`engine.training.augment.PRESETS`) -> how it is shown.
AUGMENTATIONS: dict[str, Choice] = {
    name: Choice(name, _AUGMENT_TEXT.get(name, name)) for name in AUGMENT_PRESETS
}


@dataclass(frozen=True)
class Option:
    """How one :class:`TrainConfig` field is offered to a person: the Train form's label,
    the help of ``--help`` and of the form's tooltip, and the range the form offers.

    ``low``/``high`` bound the form's spin box; the CLI checks ``low`` for whole numbers
    (the config's own checks, in :meth:`TrainConfig.__post_init__`, decide what is valid).
    ``step`` is the spin box's step; ``scientific`` numbers are shown like ``1e-04`` and
    stepped along 1-2-5. ``choices`` is the registry of a field that takes a name.
    ``only`` names the one optimizer the field applies to (None: both).
    """

    label: str
    help: str
    low: float | None = None
    high: float | None = None
    step: float | None = None
    scientific: bool = False
    choices: Mapping[str, Choice] | None = None
    only: Optimizer | None = None

    def described(self) -> str:
        """``help``, prefixed with the optimizer it is for, e.g. ``"SGD only: images per
        step"``."""
        return f"{OPTIMIZERS[self.only].short} only: {self.help}" if self.only else self.help


_OPTION = "option"


def _option(default: Any, option: Option) -> Any:
    """A dataclass field with ``default`` that people set through ``option``."""
    return field(default=default, metadata={_OPTION: option})


@dataclass(frozen=True)
class TrainConfig:
    """Hyper-parameters of one training run.

    ``max_iter`` bounds L-BFGS-B iterations; ``epochs`` bounds SGD. ``tol`` is the
    cost-improvement threshold (the reference's ``threhold``): L-BFGS-B's relative
    ``ftol``, and for SGD the smallest drop in mean mini-batch cost from one epoch to the
    next that keeps it going (a rise stops it; the last epoch always runs to its end).
    ``report_every`` is in SGD batches (L-BFGS-B reports every iteration). ``augment``
    names a preset of :data:`engine.training.augment.PRESETS` applied to SGD mini-batches
    (L-BFGS-B trains on the data as it is). ``inputs`` names the fixed input map of
    :data:`engine.features.INPUT_MAPS` the model reads the images through (``pixels``: the
    classic model, the images themselves). Each field that people set carries an
    :class:`Option` (see :meth:`options`).
    """

    inputs: str = _option(
        "pixels",
        Option(
            "Inputs",
            "what the model reads: a fixed map of each 28×28 image, fitted on the training "
            "images (the model stays linear in its inputs)",
            choices=INPUTS,
        ),
    )
    optimizer: Optimizer = _option(
        "lbfgs", Option("Optimizer", "how the cost is minimised", choices=OPTIMIZERS)
    )
    max_iter: int = _option(
        200,
        Option("Max iterations", "iterations at most", low=1, high=100_000, step=10, only="lbfgs"),
    )
    epochs: int = _option(
        5, Option("Epochs", "passes over the training set", low=1, high=10_000, only="sgd")
    )
    lr: float = _option(
        0.1,
        Option(
            "Learning rate",
            "step size at the start of the schedule",
            low=1e-6,
            high=1e6,
            scientific=True,
            only="sgd",
        ),
    )
    momentum: float = _option(
        0.9,
        Option(
            "Momentum",
            "share of the previous step kept in the next",
            low=0.0,
            high=0.99,
            step=0.05,
            only="sgd",
        ),
    )
    batch_size: int = _option(
        100, Option("Batch size", "images per step", low=1, high=60_000, step=50, only="sgd")
    )
    schedule: Schedule = _option(
        "cosine",
        Option("LR schedule", "how the learning rate falls", choices=SCHEDULES, only="sgd"),
    )
    augment: str = _option(
        "none",
        Option(
            "Augmentation",
            "distort each mini-batch on the fly (labels kept)",
            choices=AUGMENTATIONS,
            only="sgd",
        ),
    )
    l2: float = _option(
        1e-4,
        Option(
            "L2 penalty", "weight of l2/2·‖W‖² in the cost", low=0.0, high=10.0, scientific=True
        ),
    )
    tol: float = _option(
        1e-6,
        Option(
            "Early-stop tolerance",
            "stop early once the cost improves by no more than this: L-BFGS-B when an "
            "iteration lowers the cost by no more than this fraction of it (SciPy's ftol); "
            "SGD when an epoch's mean mini-batch cost is no more than this below the previous "
            "epoch's, so also when it rises (even with 0)",
            low=0.0,
            high=1.0,
            scientific=True,
        ),
    )
    seed: int = _option(
        0, Option("Seed", "seed of the starting weights and of SGD's order", low=0, high=2**31 - 1)
    )
    report_every: int = 50
    snapshot_weights: bool = False

    def __post_init__(self) -> None:
        for name, option in self.options().items():
            value = getattr(self, name)
            if option.choices is not None and value not in option.choices:
                raise ValueError(f"{name} must be one of {sorted(option.choices)}, got {value!r}")
        counts = {
            "max_iter": self.max_iter,
            "epochs": self.epochs,
            "batch_size": self.batch_size,
            "report_every": self.report_every,
        }
        for name, value in counts.items():
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(f"{name} must be a positive integer, got {value!r}")
        if not (isinstance(self.lr, (int, float)) and math.isfinite(self.lr) and self.lr > 0):
            raise ValueError(f"lr must be a positive number, got {self.lr!r}")
        if not (math.isfinite(self.momentum) and 0 <= self.momentum < 1):
            raise ValueError(f"momentum must be in [0, 1), got {self.momentum!r}")
        if not (math.isfinite(self.l2) and self.l2 >= 0):
            raise ValueError(f"l2 must be a finite number >= 0, got {self.l2!r}")
        if not (math.isfinite(self.tol) and self.tol >= 0):
            raise ValueError(f"tol must be a finite number >= 0, got {self.tol!r}")
        if isinstance(self.seed, bool) or not isinstance(self.seed, (int, np.integer)):
            raise ValueError(f"seed must be a whole number >= 0, got {self.seed!r}")
        if self.seed < 0:
            raise ValueError(f"seed must be a whole number >= 0, got {self.seed!r}")

    @classmethod
    def options(cls) -> dict[str, Option]:
        """Field name -> :class:`Option` of every field people set, in the order of the
        Train form and of ``--help`` (``report_every`` and ``snapshot_weights`` are the
        program's to set)."""
        return {f.name: f.metadata[_OPTION] for f in fields(cls) if _OPTION in f.metadata}

    def planned_steps(self, n_train: int) -> int | None:
        """SGD steps (mini-batches) in all ``epochs`` over ``n_train`` images; None for
        L-BFGS-B, whose length depends on when it converges."""
        if self.optimizer != "sgd":
            return None
        return math.ceil(n_train / max(1, min(self.batch_size, n_train))) * self.epochs


@dataclass(frozen=True)
class Progress:
    """One report during training (plain data, safe to send across threads).

    ``train_error`` is measured on the whole training set at that point for L-BFGS-B, and
    for SGD on the batches trained since the previous report (before each batch's step).
    ``fraction`` is the share of the planned work done, in [0, 1], for progress bars.
    ``W`` is a copy of the weights (n_features, n_classes) when snapshots were asked for.
    """

    step: int
    epoch: float
    cost: float
    train_error: float
    test_error: float
    elapsed: float
    evaluations: int
    fraction: float
    W: np.ndarray | None = None


class StopReason(str, enum.Enum):
    """Why a training run ended. The values are what stored results and the CLI's JSON
    say (``--json``'s ``"stop_reason"``)."""

    #: L-BFGS-B: the cost changed by less than ``tol`` (relative) or the gradient vanished.
    CONVERGED = "converged"
    #: SGD: an epoch's mean cost fell by no more than ``tol`` (or rose).
    NO_IMPROVEMENT = "no improvement"
    #: It ran its budget: ``max_iter`` iterations or ``epochs`` epochs (or SciPy's limit on
    #: evaluations).
    MAX_ITERATIONS = "max iterations"
    #: The consumer asked it to stop (``should_stop``).
    STOPPED = "stopped"
    #: The cost grew far above where it started; the last good weights are kept.
    DIVERGED = "diverged"
    #: The cost or the weights stopped being finite numbers; the last good weights are kept.
    NON_FINITE = "non-finite"
    #: The solver could make no further progress (e.g. L-BFGS-B's line search failed).
    NO_PROGRESS = "no progress"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class TrainResult:
    """What a finished (or stopped) run produced.

    ``stop_reason`` says why it ended; ``reason`` says so in words, with the figures (e.g.
    ``"stopped early: the mean cost rose from 0.2931 to 0.2935 in epoch 7"``).
    """

    model: SoftmaxModel
    stop_reason: StopReason
    reason: str
    iterations: int
    evaluations: int
    seconds: float
    train_error: float
    test_error: float
    history: tuple[Progress, ...]

    @property
    def converged(self) -> bool:
        """The optimizer met its convergence test (L-BFGS-B)."""
        return self.stop_reason is StopReason.CONVERGED

    @property
    def diverged(self) -> bool:
        """The run was ended by a cost out of bounds; its model holds the last good weights."""
        return self.stop_reason in (StopReason.DIVERGED, StopReason.NON_FINITE)
