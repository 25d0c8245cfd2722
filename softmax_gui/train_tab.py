"""The Train tab: training controls on the left, live curves over weight templates on the right.

It routes one run's events to its three views; the window starts and stops the run.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QScrollArea, QSplitter, QVBoxLayout, QWidget

import engine

from .plots import TrainingPlots, run_label
from .training_panel import TrainingPanel
from .weights_view import WeightsView

CONTROLS_WIDTH = 330
#: Initial heights of the curves and of the weight strip (the splitter keeps the ratio).
PLOTS_HEIGHT, WEIGHTS_HEIGHT = 560, 220
WEIGHTS_TITLE = "Weight templates — red pixels vote for the digit, blue against"


class TrainTab(QSplitter):
    """Controls, training curves and weight templates of the current run."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.panel = TrainingPanel()
        self.plots = TrainingPlots()
        self.weights = WeightsView()
        controls = QScrollArea()
        controls.setWidget(self.panel)
        controls.setWidgetResizable(True)
        controls.setMinimumWidth(CONTROLS_WIDTH)
        weights_box = QGroupBox(WEIGHTS_TITLE)
        QVBoxLayout(weights_box).addWidget(self.weights)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.plots)
        right.addWidget(weights_box)
        right.setSizes([PLOTS_HEIGHT, WEIGHTS_HEIGHT])
        self.addWidget(controls)
        self.addWidget(right)
        self.setStretchFactor(1, 1)

    def start_run(self, config: engine.TrainConfig, n_train: int) -> str:
        """Fresh curves and progress for a run of ``config`` on ``n_train`` images; returns
        its legend label."""
        label = run_label(self.plots.n_runs + 1, config)
        steps = config.planned_steps(n_train)
        self.plots.start_run(
            label, None if steps is None else {"step": steps, "epoch": config.epochs}
        )
        self.panel.clear_progress()
        return label

    def show_progress(self, progress: engine.Progress) -> None:
        """One report: curves, progress bar and status, live weights."""
        self.plots.add_progress(progress)
        self.panel.show_progress(progress)
        if progress.W is not None:
            self.weights.set_weights(progress.W)

    def show_result(self, result: engine.TrainResult, kept_W: np.ndarray | None) -> None:
        """A finished run; ``kept_W`` is shown again when the run's model is not kept."""
        self.plots.finish_run()
        self.panel.show_result(result)
        if kept_W is not None:
            self.weights.set_weights(kept_W)
