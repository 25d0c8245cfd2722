"""What a training run is asked to do and what it reports: the optimizer and schedule
registry, :class:`TrainConfig`, :class:`Progress` records and the :class:`TrainResult`.

The registries are the one place their names are spelt: the CLI's choices, the GUI's
menus and the config's validation all read them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

from engine.model import SoftmaxModel
from engine.training.augment import PRESETS as AUGMENT_PRESETS

Optimizer = Literal["lbfgs", "sgd"]
Schedule = Literal["constant", "cosine", "step"]


@dataclass(frozen=True)
class Choice:
    """How one registered option is shown: ``short`` in legends and tables, ``text`` in
    menus and ``--help``."""

    short: str
    text: str


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


@dataclass(frozen=True)
class TrainConfig:
    """Hyper-parameters of one training run.

    ``max_iter`` bounds L-BFGS-B iterations; ``epochs`` bounds SGD. ``tol`` is the
    cost-improvement threshold (the reference's ``threhold``): L-BFGS-B's relative
    ``ftol``, and for SGD the smallest drop in mean epoch cost that keeps it going.
    ``report_every`` is in SGD batches (L-BFGS-B reports every iteration). ``augment``
    names a preset of :data:`engine.training.augment.PRESETS` applied to SGD mini-batches (L-BFGS-B
    trains on the data as it is).
    """

    optimizer: Optimizer = "lbfgs"
    max_iter: int = 200
    epochs: int = 5
    lr: float = 0.1
    momentum: float = 0.9
    batch_size: int = 100
    schedule: Schedule = "cosine"
    l2: float = 1e-4
    seed: int = 0
    tol: float = 1e-6
    report_every: int = 50
    augment: str = "none"
    snapshot_weights: bool = False

    def __post_init__(self) -> None:
        if self.augment not in AUGMENT_PRESETS:
            raise ValueError(
                f"augment must be one of {sorted(AUGMENT_PRESETS)}, got {self.augment!r}"
            )
        for name, registry in (("optimizer", OPTIMIZERS), ("schedule", SCHEDULES)):
            value = getattr(self, name)
            if value not in registry:
                raise ValueError(f"{name} must be one of {sorted(registry)}, got {value!r}")
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


@dataclass(frozen=True)
class TrainResult:
    """What a finished (or stopped) run produced."""

    model: SoftmaxModel
    reason: str
    converged: bool
    diverged: bool
    iterations: int
    evaluations: int
    seconds: float
    train_error: float
    test_error: float
    history: tuple[Progress, ...]
