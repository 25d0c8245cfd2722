"""The main window's background jobs: starting, pausing and stopping training, steps taken by
hand, the gradient check and the evaluation of the current model, and showing what they
finish with. The window
(:class:`softmax_gui.main_window.MainWindow`) builds the widgets this part uses.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QLabel, QMainWindow, QProgressBar

import engine
from softmax_gui import errors
from softmax_gui.checks.evaluation_panel import (
    EvaluationPanel,
    EvaluationReport,
    evaluate,
    trained_elsewhere,
    unavailable_reason,
)
from softmax_gui.checks.gradcheck_panel import GradCheckPanel
from softmax_gui.handwriting.controller import PersonalController
from softmax_gui.handwriting.tab import HandwritingView
from softmax_gui.jobs import (
    EVALUATE,
    GRADCHECK,
    JOB_FAILED_TITLES,
    LOAD,
    STEP,
    TRAIN,
    BackgroundJobs,
)
from softmax_gui.menus import Menus
from softmax_gui.train.controls import RunState, TrainingPanel
from softmax_gui.train.stepping import Stepping, StepTaken, take_step
from softmax_gui.train.tab import TrainTab

MESSAGE_MS = 5000


def describe_dataset(data: engine.Dataset) -> str:
    """``data``'s name and size, as the Train tab shows it."""
    return QCoreApplication.translate(
        "window_jobs", "{name}: {n_train} training / {n_test} test images"
    ).format(
        name=data.name, n_train=f"{data.X_train.shape[0]:,}", n_test=f"{data.X_test.shape[0]:,}"
    )


def preprocessing_mismatch(model: engine.SoftmaxModel, data: engine.Dataset) -> str:
    """Why ``model`` cannot work on ``data`` as it was prepared."""
    return QCoreApplication.translate(
        "window_jobs",
        "The current model expects images prepared with preprocessing version {model}; "
        "{dataset} was prepared with version {data}.",
    ).format(
        model=model.preprocessing_version,
        dataset=data.name,
        data=data.preprocessing_version,
    )


class WindowJobs(QMainWindow):
    """Runs training, gradient checks and evaluations in the background for the window."""

    training_progress = Signal(object)  # engine.Progress
    training_finished = Signal(object)  # engine.TrainResult
    gradcheck_finished = Signal(object)  # engine.GradCheckResult
    evaluation_shown = Signal(object)  # engine.Evaluation of the current model
    step_taken = Signal(object)  # softmax_gui.train.stepping.StepTaken, once shown

    # Built by the window.
    jobs: BackgroundJobs
    personal: PersonalController
    train_tab: TrainTab
    training_panel: TrainingPanel
    gradcheck_panel: GradCheckPanel
    evaluation_panel: EvaluationPanel
    handwriting_view: HandwritingView
    menus: Menus
    busy: QProgressBar
    busy_label: QLabel
    _model: engine.SoftmaxModel | None
    _model_source: str
    _dataset: engine.Dataset | None
    _run_label: str
    _paused: bool
    _stopping: bool
    _evaluating: tuple[engine.SoftmaxModel, engine.Dataset] | None
    _stepping: Stepping | None = None  # the run that Step adds to
    _gradcheck_result: engine.GradCheckResult | None

    def set_model(self, model: engine.SoftmaxModel, source: str, shipped: bool = False) -> None:
        raise NotImplementedError("defined by MainWindow")

    def start_training(self) -> None:
        """Start a run with the form's hyper-parameters."""
        if self._dataset is None or self.jobs.is_running(TRAIN):
            return
        prepare = self.personal.training_data() if self.training_panel.include_personal() else None
        n_train = self._dataset.X_train.shape[0] + (len(self.personal.samples) if prepare else 0)
        try:
            config = self.training_panel.config(n_train)
        except ValueError as exc:
            errors.show_error(self, self.tr("Invalid hyper-parameters"), errors.describe(exc))
            return
        self._run_label = self.train_tab.start_run(config, n_train, self._dataset, bool(prepare))
        self._paused = self._stopping = False
        self._stepping = None  # a step still running adds nothing to this run
        self.jobs.start_training(self._dataset, config, prepare)

    def take_step(self) -> None:
        """One SGD step by hand from the current model, with the form's learning rate, batch
        size and L2, in the background; the steps go to one run until the model or these
        settings change."""
        data, model, jobs = self._dataset, self._model, self.jobs
        if data is None or model is None or jobs.is_running(TRAIN) or jobs.is_running(STEP):
            return
        if not engine.same_preprocessing(model, data):
            errors.show_error(
                self, self.tr("Cannot take a step"), preprocessing_mismatch(model, data)
            )
            return
        values = self.training_panel.values()
        settings = (values["lr"], values["batch_size"], values["l2"], values["seed"])
        run = self._stepping
        fresh = (
            run is None
            or run.model is not model
            or run.settings != settings
            or not self.train_tab.is_current(run.number)
        )
        if run is None or fresh:
            try:  # plain SGD: no momentum, no schedule, no augmentation
                config = replace(
                    engine.TrainConfig(**values),
                    optimizer="sgd",
                    momentum=0.0,
                    schedule="constant",
                    augment="none",
                    epochs=1,
                )
            except ValueError as exc:
                errors.show_error(self, self.tr("Invalid hyper-parameters"), errors.describe(exc))
                return
            number, name = self.train_tab.start_stepping(config, data)
            run = Stepping(number, name, settings, model, np.random.default_rng(values["seed"]))
            self._stepping = run
        jobs.run(STEP, take_step, model, data, run)

    def toggle_pause(self) -> None:
        """Pause or resume the running training."""
        self.jobs.toggle_pause()

    def stop_training(self) -> None:
        """Stop training; the model so far becomes the current model."""
        self._stopping = True
        self.jobs.stop_training()
        self._update_state()

    def run_gradient_check(
        self, n_images: int, n_checks: int, l2: float, at_model: bool = False
    ) -> None:
        """Check the gradient on the first ``n_images`` test images in the background, at a
        random point or ``at_model`` (the current model's own W and b)."""
        data, model = self._dataset, self._model if at_model else None
        if data is None or self.jobs.is_running(GRADCHECK):
            return
        if at_model and (model is None or not engine.same_preprocessing(model, data)):
            why = (
                self.tr("There is no current model.")
                if model is None
                else preprocessing_mismatch(model, data)
            )
            errors.show_error(self, self.tr("Cannot check at the current model"), why)
            return
        X, y = data.X_test[:n_images], data.y_test[:n_images]
        self.jobs.run_gradcheck(X, y, n_checks, l2, model)

    def _on_progress(self, progress: engine.Progress) -> None:
        self.train_tab.show_progress(progress)
        self.training_progress.emit(progress)

    def _on_paused(self, paused: bool) -> None:
        self._paused = paused
        self._update_state()

    def _on_training_finished(self, result: engine.TrainResult) -> None:
        kept = self._model if result.diverged else None
        self.train_tab.show_result(result, None if kept is None else kept.W)  # says if diverged
        if not result.diverged:
            self.set_model(result.model, self._run_label)
        self.training_finished.emit(result)

    def _on_step_finished(self, taken: StepTaken) -> None:
        run = self._stepping
        if run is None or taken.run != run.number or not self.train_tab.is_current(run.number):
            return  # a training run started meanwhile
        run.steps, run.seconds, run.model = taken.progress.step, taken.progress.elapsed, taken.model
        self.train_tab.show_step(taken.progress, run.batch_size)
        n = run.steps
        name = (self.tr("{run} (1 step)") if n == 1 else self.tr("{run} ({n} steps)")).format(
            run=run.name, n=f"{n:,}"
        )
        self.set_model(taken.model, name)
        self.step_taken.emit(taken)

    def _on_gradcheck_finished(self, result: engine.GradCheckResult) -> None:
        self._gradcheck_result = result  # shown again if the window is rebuilt
        self.gradcheck_panel.show_result(result)
        self.gradcheck_finished.emit(result)

    def _evaluation_is_stale(self) -> bool:
        if self._evaluating is None:  # none was started
            return True
        model, data = self._evaluating
        return model is not self._model or data is not self._dataset

    def _on_evaluation_finished(self, report: EvaluationReport) -> None:
        if self._evaluating is None or self._evaluation_is_stale():
            self._refresh_evaluation()
            return
        model, data = self._evaluating  # still the current model and dataset
        note = trained_elsewhere(model, data)
        source = self._model_source
        if note:
            source = self.tr("{model} ({note})").format(model=source, note=note)
        self.evaluation_panel.show_evaluation(report, data.X_test, source, model.class_names)
        evaluation = report.evaluation
        self.training_panel.set_model_info(
            self.tr("{model}\ntest error {error} on {dataset}").format(
                model=source, error=f"{evaluation.error:.2%}", dataset=data.name
            )
        )
        self.evaluation_shown.emit(evaluation)

    def _on_failed(self, job: str, message: str) -> None:
        if job == LOAD:
            data = self._dataset
            self.training_panel.set_dataset_text(
                describe_dataset(data) if data else self.tr("Not loaded.")
            )
        elif job == EVALUATE:
            self.evaluation_panel.clear(self.tr("The evaluation failed."))
            if self._evaluation_is_stale():
                self._refresh_evaluation()  # the model or dataset changed meanwhile
        title = QCoreApplication.translate("jobs", JOB_FAILED_TITLES[job])
        errors.show_error(self, title, message)

    def _update_state(self) -> None:
        jobs = self.jobs
        if jobs.is_running(TRAIN):
            state = (
                RunState.STOPPING
                if self._stopping
                else RunState.PAUSED
                if self._paused
                else RunState.RUNNING
            )
        elif jobs.is_running(LOAD):
            state = RunState.LOADING
        else:
            state = RunState.IDLE if self._dataset is not None else RunState.NO_DATA
        self.training_panel.set_step_ready(self._model is not None and not jobs.is_running(STEP))
        self.training_panel.set_state(state)
        self.gradcheck_panel.set_state(
            running=jobs.is_running(GRADCHECK), ready=self._dataset is not None
        )
        self.menus.open_folder.setEnabled(state in (RunState.IDLE, RunState.NO_DATA))
        self._show_busy(self._busy_text())
        self.handwriting_view.set_measuring(self.personal.is_measuring())
        self.menus.save_model.setEnabled(self._model is not None)
        self.training_panel.preprocessing.show_state(self._dataset, self._model)
        self.training_panel.preprocessing.setEnabled(state in (RunState.IDLE, RunState.NO_DATA))

    def _busy_text(self) -> str:
        """What the status bar's busy bar waits for ("" when nothing)."""
        if self.jobs.is_running(LOAD):
            return self.tr("Loading the dataset…")
        if self.jobs.is_running(GRADCHECK):
            return self.tr("Checking the gradient…")
        if self.personal.is_measuring():
            return self.tr("Measuring your handwriting…")
        if self.personal.is_busy():
            return self.tr("Learning your handwriting…")
        return ""

    def _show_busy(self, text: str) -> None:
        """The busy bar and what it waits for (beside it, unless the bar's own text says it)."""
        self.busy.setVisible(bool(text))
        self.busy.setAccessibleName(text)
        self.busy.setToolTip(text)
        self.busy_label.setText(text)
        self.busy_label.setVisible(bool(text) and not self.busy.isTextVisible())

    def _refresh_evaluation(self) -> None:
        """Evaluate the current model on the test set in the background (one job at a time)."""
        model, data, source = self._model, self._dataset, self._model_source
        self.training_panel.set_model_info(source or self.tr("none"))
        reason = unavailable_reason(model, data, source)
        if reason is not None:
            self.evaluation_panel.clear(reason)
            return
        assert model is not None and data is not None  # else there would be a reason
        self.evaluation_panel.show_pending(source)
        if not self.jobs.is_running(EVALUATE):  # else the running job's end starts another
            self._evaluating = (model, data)
            self.jobs.run_evaluation(evaluate, model, data)
