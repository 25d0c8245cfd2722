"""The Train tab: training controls on the left; on the right the live curves, the runs table
and the weight templates.

It routes one run's events to its views, keeps each run's summary for the table and the
legend, takes the time spent paused out of the run's times, and stores the runs in the
user's data folder so they are back after a restart; the window starts and stops the run.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import numpy as np
from PySide6.QtCore import QSettings, QSize, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QGroupBox, QLabel, QScrollArea, QSplitter, QVBoxLayout, QWidget

import engine
from softmax_gui import errors
from softmax_gui import settings as prefs
from softmax_gui.train.controls import RunState, TrainingPanel
from softmax_gui.train.pause_clock import PauseClock
from softmax_gui.train.plot_data import RunData
from softmax_gui.train.plots import TrainingPlots
from softmax_gui.train.run_history import (
    HISTORY_FILE_NAME,
    StoredRun,
    load_runs,
    save_runs,
    set_aside,
)
from softmax_gui.train.run_summary import RunOutcome, RunSummary
from softmax_gui.train.run_table import RunTable
from softmax_gui.train.run_words import BY_HAND
from softmax_gui.train.weights_view import WeightsView

#: The narrowest the controls column gets; it is widened to the form's own minimum width
#: (plus a vertical scroll bar) so that the form never needs a horizontal scroll bar.
CONTROLS_WIDTH = 330
#: Initial heights of the curves, the runs table and the weight strip (the splitter keeps
#: the ratio).
PLOTS_HEIGHT, RUNS_HEIGHT, WEIGHTS_HEIGHT = 500, 150, 200


class ControlsColumn(QScrollArea):
    """The controls column: it scrolls up and down when the window is short, and is never
    narrower than its widest row (whose width changes with the language and the optimizer's
    fields), so nothing in it is cut off at the side."""

    def minimumSizeHint(self) -> QSize:
        inner = self.widget()
        if inner is None:
            return super().minimumSizeHint()
        width = (
            inner.minimumSizeHint().width()
            + self.verticalScrollBar().sizeHint().width()
            + 2 * self.frameWidth()
        )
        return QSize(max(CONTROLS_WIDTH, width), super().minimumSizeHint().height())


class TrainTab(QSplitter):
    """Controls, training curves, the runs table and weight templates."""

    #: A message for the status bar (e.g. the run history could not be read or written).
    message = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.panel = TrainingPanel()
        self.plots = TrainingPlots()
        self.runs = RunTable()
        self.weights = WeightsView()
        self.runs_note = QLabel()  # why earlier runs are missing, when they are
        self.runs_note.setWordWrap(True)
        self.runs_note.hide()
        controls = ControlsColumn()
        controls.setWidget(self.panel)
        controls.setWidgetResizable(True)
        runs_box = QGroupBox(self.tr("Runs — tick to show, untick to hide"))
        runs_layout = QVBoxLayout(runs_box)
        runs_layout.addWidget(self.runs_note)
        runs_layout.addWidget(self.runs)
        weights_box = QGroupBox(
            self.tr("Weight templates — orange pixels vote for the digit, blue against")
        )
        why = self.tr(
            "<p><b>Why L-BFGS-B's templates look like speckle and SGD's like digits.</b> "
            "L-BFGS-B drives the training cost down as far as it goes, and the default L2 "
            "penalty (1e-4) hardly holds the weights back: they grow larger and vary from pixel "
            "to pixel, neighbours of opposite sign cancelling on the training digits — speckle. "
            "SGD stops after a few epochs, before that fine fitting (early stopping acts as "
            "regularisation), so its weights stay smaller and smoother and keep the shape of "
            "the digits. A larger L2 penalty does the same for L-BFGS-B: with 1e-2 its "
            "templates are smooth, at a somewhat higher test error.</p>"
        )
        weights_box.setToolTip(why)
        self.weights_note = QLabel(
            self.tr(
                "Speckled (L-BFGS-B) or digit-like (SGD)? Little regularisation versus early "
                "stopping — hover for why."
            )
        )
        self.weights_note.setToolTip(why)
        self.weights_note.setWordWrap(True)
        weights_layout = QVBoxLayout(weights_box)
        weights_layout.addWidget(self.weights, 1)
        weights_layout.addWidget(self.weights_note)
        right = QSplitter(Qt.Orientation.Vertical)
        for widget in (self.plots, runs_box, weights_box):
            right.addWidget(widget)
        right.setSizes([PLOTS_HEIGHT, RUNS_HEIGHT, WEIGHTS_HEIGHT])
        self.addWidget(controls)
        self.addWidget(right)
        self.setStretchFactor(1, 1)
        self._clock = PauseClock()
        self._summaries: dict[int, RunSummary] = {}  # of the runs on the plots
        self._current = 0  # the number of the run started last
        self._run_map: engine.InputMap | None = None  # the running model's input map
        self._history_path: Path | None = None  # None: runs are not stored
        self._build_stop_keys()
        self.panel.state_changed.connect(self._on_state)
        self.plots.run_visibility_changed.connect(self._on_legend_toggled)
        self.plots.history_cleared.connect(self._on_history_cleared)
        self.runs.visibility_toggled.connect(self._on_table_toggled)

    def _build_stop_keys(self) -> None:
        """Esc (the platform's Cancel keys) stops a run while the Train tab has the focus;
        only here, so it never competes with another page's Esc (the Draw tab's clears)."""
        own = self.panel.stop_action.shortcuts()
        keys = [
            key
            for key in QKeySequence.keyBindings(QKeySequence.StandardKey.Cancel)
            if key not in own
        ]
        for key in keys:
            shortcut = QShortcut(key, self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self._stop_by_key)
        self.panel.set_stop_keys(keys[:1])  # Esc; a keyboard's own Cancel key goes unsaid

    def _stop_by_key(self) -> None:
        if self.panel.stop_action.isEnabled():
            self.panel.stop_action.trigger()

    def restore(self, settings: QSettings, folder: Path) -> None:
        """The plots' x axis and log scale from ``settings`` (stored there from now on), and
        the runs stored in ``folder``; an unreadable history is moved aside, with a note."""
        prefs.bind_choice(settings, prefs.KEY_PLOT_X_AXIS, self.plots.x_axis)
        prefs.bind_check(settings, prefs.KEY_PLOT_LOG, self.plots.log_y)
        self._history_path = Path(folder) / HISTORY_FILE_NAME
        try:
            stored = load_runs(self._history_path)
        except (ValueError, OSError) as exc:
            self._set_aside(self._history_path, exc)
            return
        self.plots.add_earlier_runs(
            [
                RunData.recorded(
                    run.summary.number,
                    run.summary.label(),
                    run.series,
                    visible=run.visible,
                    diverged=run.summary.outcome is RunOutcome.DIVERGED,
                )
                for run in stored
            ]
        )
        self._summaries.update((run.summary.number, run.summary) for run in stored)
        self._sync_table()

    def start_run(
        self,
        config: engine.TrainConfig,
        n_train: int,
        data: engine.Dataset,
        personal: bool = False,
    ) -> str:
        """Fresh curves, table row and progress for a run of ``config`` on ``n_train`` images
        of ``data`` (plus the user's handwriting when ``personal``); returns the name of the
        model it makes."""
        self._fail_unfinished()
        number = self.plots.n_runs + 1
        summary = RunSummary(number, config, data.name, data.preprocessing_version, personal)
        steps = config.planned_steps(n_train)
        planned: dict[str, float] | None = (
            None if steps is None else {"step": steps, "epoch": config.epochs}
        )
        summary = replace(summary, planned=config.max_iter if steps is None else steps)
        self._current = self.plots.start_run(summary.label(), planned)
        self._summaries[self._current] = summary
        self._run_map = engine.make_input_map(config.inputs)  # how to picture the live W
        self._clock.reset()
        self.panel.start_run(config, steps)
        self._sync_table()
        return summary.model_name()

    def start_stepping(self, config: engine.TrainConfig, data: engine.Dataset) -> tuple[int, str]:
        """A run of steps taken by hand with ``config`` on ``data``: fresh curves and a table
        row; returns its number and the name of the models it makes."""
        self._fail_unfinished()
        number = self.plots.n_runs + 1
        summary = RunSummary(
            number,
            config,
            data.name,
            data.preprocessing_version,
            outcome=RunOutcome.FINISHED,  # after any step it is a model one can keep
            by_hand=True,
            stop_reason=BY_HAND,
        )
        self._current = self.plots.start_run(summary.label())
        self._summaries[self._current] = summary
        self.panel.clear_progress()
        self._sync_table()
        return self._current, summary.model_name()

    def is_current(self, number: int) -> bool:
        """Whether run ``number`` is the one the curves are drawing now."""
        return number == self._current and number in self._summaries

    def show_step(self, progress: engine.Progress, batch_size: int) -> None:
        """One step taken by hand: its point on the curves, the templates after it, the
        status line and the runs table (stored at once: each step is a finished model)."""
        self.plots.add_progress(progress)
        self.plots.flush()
        if progress.W is not None:
            self.weights.set_weights(progress.W)
        self.panel.show_step(progress, batch_size)
        summary = self._summaries.get(self._current)
        if summary is not None:
            self._summaries[self._current] = replace(
                summary,
                iterations=progress.step,
                seconds=progress.elapsed,
                test_error=progress.test_error,
            )
        self._sync_table()
        self._save_history()

    def show_progress(self, progress: engine.Progress) -> None:
        """One report: curves, progress bar and status, live weights (times without pauses)."""
        progress = replace(progress, elapsed=self._clock.active(progress.elapsed))
        self.plots.add_progress(progress)
        self.panel.show_progress(progress)
        if progress.W is not None:
            self.weights.set_weights(progress.W, self._run_map)

    def show_result(self, result: engine.TrainResult, kept_W: np.ndarray | None) -> None:
        """A finished run; ``kept_W`` is shown again when the run's model is not kept (and a
        diverged run says so in a dialog)."""
        seconds = self._clock.active(result.seconds)
        summary = self._summaries.get(self._current)
        if summary is not None:
            summary = self._summaries[self._current] = summary.finished(result, seconds)
        self.plots.finish_run(summary.label() if summary else None, diverged=result.diverged)
        why = summary.reason_text() if summary else result.reason
        self.panel.show_result(result, seconds, why)
        if kept_W is not None:
            self.weights.set_weights(kept_W)
        self._sync_table()
        self._save_history()
        if result.diverged:
            errors.show_error(
                self.window(),
                self.tr("Training diverged"),
                self.tr("{reason}.\n\nThe previous model is kept.").format(
                    reason=f"{why[:1].upper()}{why[1:]}"
                ),
                warning=True,
            )

    def export_plots(self, path: str | os.PathLike) -> bool:
        """Save the training plots as a PNG; on error show one dialog."""
        if self.plots.export_png(path):
            return True
        message = self.tr("{path}: could not be written").format(path=os.fspath(path))
        errors.show_error(self.window(), self.tr("Could not export the plots"), message)
        return False

    def _fail_unfinished(self) -> None:
        previous = self._summaries.get(self._current)
        if previous is not None and previous.outcome is RunOutcome.RUNNING:  # an error ended it
            self._summaries[self._current] = replace(previous, outcome=RunOutcome.FAILED)

    def _on_state(self, state: RunState) -> None:
        self._clock.set_paused(state is RunState.PAUSED)

    def _on_table_toggled(self, number: int, shown: bool) -> None:
        self.plots.set_run_visible(number, shown)
        self._save_history()

    def _on_legend_toggled(self, number: int, shown: bool) -> None:
        self.runs.set_ticked(number, shown)
        self._save_history()

    def _on_history_cleared(self) -> None:
        self._sync_table()
        self._save_history()

    def _sync_table(self) -> None:
        """Rows for the runs on the plots, newest first (summaries of dropped runs go)."""
        numbers = [n for n in self.plots.run_numbers() if n in self._summaries]
        self._summaries = {n: self._summaries[n] for n in numbers}
        self.runs.show_runs([(self._summaries[n], self.plots.is_visible(n)) for n in numbers[::-1]])

    def _save_history(self) -> None:
        if self._history_path is None:
            return
        runs = [
            StoredRun(summary, self.plots.is_visible(n), self.plots.series(n))
            for n, summary in self._summaries.items()
            if summary.outcome is not RunOutcome.RUNNING
        ]
        try:
            save_runs(self._history_path, runs)
        except OSError as exc:
            self.message.emit(
                self.tr("Could not save the run history: {detail}").format(
                    detail=errors.describe(exc)
                )
            )

    def _set_aside(self, path: Path, exc: Exception) -> None:
        detail = errors.describe(exc)
        try:
            note = self.tr(
                "Earlier runs were not restored: {detail}; it was kept aside as {name}."
            ).format(detail=detail, name=set_aside(path).name)
        except OSError:  # never overwrite it: this session's runs are not stored
            self._history_path = None
            note = self.tr(
                "Earlier runs were not restored: {detail}; this session's runs will not be stored."
            ).format(detail=detail)
        self.runs_note.setText(note)
        self.runs_note.show()
        self.message.emit(note)
