"""Switching the app's language while it runs: the widgets are built again in the new
language, in the same window, and handed everything the user had.

What outlives the rebuild is not a widget: the settings, the background jobs, the
handwriting controller (samples, their undo, the adapted model, the measured figures), the
model and its name, the dataset, and the Train tab's runs (stored in the user's data folder
after every run). What lives in widgets is carried across: the window's geometry and tab,
the forms (hyper-parameters, preprocessing, gradient check), the drawing, the last gradient
check and evaluation, and the notices in the status bar.

A training run or a step by hand draws into the Train tab's curves and runs table, which
the rebuild replaces; so while one runs the switch waits for it to end (the status bar says
so) and then happens by itself. Every other job (loading, gradient check, evaluation,
teaching) reports to the window, which hands the result to the widgets of the moment, so
they carry on across the rebuild.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMenuBar, QStatusBar, QTabWidget

import engine
from softmax_gui import i18n, window_state
from softmax_gui.checks.evaluation_panel import EvaluationReport
from softmax_gui.handwriting.controller import PersonalController
from softmax_gui.jobs import EVALUATE, LOAD, STEP, TRAIN
from softmax_gui.widgets.status_notice import SAMPLES_NOTICE
from softmax_gui.window_files import WindowFiles, loading_text

if TYPE_CHECKING:
    from softmax_gui.draw.panel import DrawPanel
    from softmax_gui.step.tab import StepTab


@dataclass(frozen=True)
class Carried:
    """What the widgets held that the rebuilt ones must show again."""

    tab: int
    remembered: window_state.Remembered
    preprocessing: int | None
    gradcheck: tuple[int, int, float, int]  # test images, coordinates, L2, "check at" index
    ink: np.ndarray | None  # the drawing, None for an empty page
    report: EvaluationReport | None  # the evaluation shown
    notices: dict[str, str]  # the status bar's notices


class WindowLanguage(WindowFiles):
    """Rebuilds the window's widgets when the user picks another language."""

    #: The widgets were rebuilt in the language of this choice (i18n.CHOICES).
    language_changed = Signal(str)

    # Built by the window (WindowJobs and WindowFiles declare the rest).
    language: str  # the user's choice (i18n.CHOICES)
    personal: PersonalController
    draw_panel: DrawPanel
    tabs: QTabWidget
    step_tab: StepTab
    _data_folder: Path
    _can_undo: bool
    _pending_language: str | None = None

    def _build(self) -> None:
        raise NotImplementedError("defined by MainWindow")

    def _remembered(self) -> window_state.Remembered:
        raise NotImplementedError("defined by MainWindow")

    def _show_model(self, model: engine.SoftmaxModel, source: str) -> None:
        raise NotImplementedError("defined by MainWindow")

    def _show_dataset(self, data: engine.Dataset) -> None:
        raise NotImplementedError("defined by MainWindow")

    def _show_samples(self, samples: engine.PersonalSamples) -> None:
        raise NotImplementedError("defined by MainWindow")

    def switch_language(self, choice: str) -> None:
        """Speak ``choice`` (one of ``i18n.CHOICES``) from now on, and remember it: at once,
        or as soon as the training run or step by hand under way ends."""
        i18n.write_choice(self.settings, choice)
        self.language = choice
        self.menus.languages[choice].setChecked(True)
        if i18n.resolve(choice) == i18n.installed_language():
            self._pending_language = None  # e.g. "System language" when it is English
            return
        if self._drawing_a_run():
            self._pending_language = choice
            self.statusBar().showMessage(
                self.tr(
                    "The language changes when this training run ends "
                    "(Stop ends it now; the run is kept)"
                )
            )
            return
        self._apply_language()

    def language_pending(self) -> bool:
        """Whether a language switch waits for a training run to end."""
        return self._pending_language is not None

    def _drawing_a_run(self) -> bool:
        return self.jobs.is_running(TRAIN) or self.jobs.is_running(STEP)

    def _on_busy_changed(self) -> None:
        self._update_state()
        if self._pending_language is not None and not self._drawing_a_run():
            # after the run's result has reached the widgets that drew it (same emit chain)
            QTimer.singleShot(0, self, self._apply_pending)

    def _apply_pending(self) -> None:
        if self._pending_language is not None and not self._drawing_a_run():
            self._apply_language()

    def _apply_language(self) -> None:
        self._pending_language = None
        i18n.install(i18n.resolve(self.language))
        # building the tabs takes about as long as at start-up (1-2 s: the plots)
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self._rebuild()
        finally:
            QApplication.restoreOverrideCursor()
        self.statusBar().showMessage(self.tr("Language changed"), 5000)
        self.language_changed.emit(self.language)

    def _rebuild(self) -> None:
        """Build every widget again (in the installed language) and show what the old ones
        showed."""
        carried = self._carry()
        old = self.tabs
        for child in [old, *old.findChildren(QObject)]:
            child.blockSignals(True)  # they are deleted on the next turn of the event loop
        self.setMenuBar(QMenuBar(self))
        self.setStatusBar(QStatusBar(self))
        self._build()  # setCentralWidget() deletes the old tabs
        self._restore(carried)

    def _carry(self) -> Carried:
        gradcheck = self.gradcheck_panel
        canvas = self.draw_panel.canvas
        return Carried(
            tab=self.tabs.currentIndex(),
            remembered=self._remembered(),
            preprocessing=self.training_panel.preprocessing.choice(),
            gradcheck=(
                gradcheck.n_images.value(),
                gradcheck.n_checks.value(),
                gradcheck.l2.value(),
                gradcheck.point.currentIndex(),
            ),
            ink=None if canvas.is_blank() else canvas.ink_array(),
            report=self.evaluation_panel.report,
            notices=self.notice_label.notices(),
        )

    def _restore(self, c: Carried) -> None:
        panel, view = self.training_panel, self.handwriting_view
        panel.set_values(c.remembered.training)
        panel.set_include_personal(c.remembered.train_with_personal)
        panel.preprocessing.set_choice(c.preprocessing)
        self.draw_panel.set_pen_width(c.remembered.pen_width)
        self.train_tab.restore(self.settings, self._data_folder)  # the runs, from the file
        gradcheck = self.gradcheck_panel
        gradcheck.n_images.setValue(c.gradcheck[0])
        gradcheck.n_checks.setValue(c.gradcheck[1])
        gradcheck.l2.setValue(c.gradcheck[2])
        gradcheck.point.setCurrentIndex(c.gradcheck[3])
        if self._gradcheck_result is not None:
            gradcheck.show_result(self._gradcheck_result)
        self._show_samples(self.personal.samples)
        view.set_use(self.personal.use)
        view.set_can_undo(self._can_undo)
        if self.personal.report is not None:
            view.show_report(self.personal.report)
        for short, story in c.notices.items():
            self.notice_label.show_notice(story, short)
            if short == SAMPLES_NOTICE:
                view.show_notice(story)
        if self._dataset is not None:
            self._show_dataset(self._dataset)
        if self.jobs.is_running(LOAD):
            panel.set_dataset_text(loading_text())
        if self._model is not None:
            self._show_model(self._model, self._model_source)
            self.draw_panel.set_model(self._model)
        self.personal.refresh_reading()
        self._show_evaluation_again(c.report)
        if c.ink is not None:
            self.draw_panel.canvas.set_image(c.ink, smooth=False, text=self.tr("Drawing"))
        self.tabs.setCurrentIndex(c.tab)
        self._update_state()

    def _show_evaluation_again(self, report: EvaluationReport | None) -> None:
        """The evaluation shown before, if it is still the current model's; else a new one."""
        evaluating = self._evaluating
        same = (
            evaluating is not None
            and evaluating[0] is self._model
            and evaluating[1] is self._dataset
        )
        if report is not None and same and not self.jobs.is_running(EVALUATE):
            self._on_evaluation_finished(report)
        else:
            self._refresh_evaluation()
