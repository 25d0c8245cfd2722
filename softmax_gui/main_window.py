"""The main window: lays out the Train / Gradient check / Evaluate / Draw / My handwriting tabs
and wires them to the background jobs, the personal-handwriting controller and the current
model. It holds no training loop and does no maths.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QProgressBar, QTabWidget, QWidget

import engine
from softmax_gui import errors, window_state
from softmax_gui import settings as prefs
from softmax_gui.checks.evaluation_panel import (
    EvaluationPanel,
    evaluate,
    trained_elsewhere,
    unavailable_reason,
)
from softmax_gui.checks.gradcheck_panel import GradCheckPanel
from softmax_gui.draw.panel import DrawPanel
from softmax_gui.handwriting.controller import PersonalController
from softmax_gui.handwriting.tab import HandwritingView
from softmax_gui.icon import app_icon
from softmax_gui.jobs import EVALUATE, GRADCHECK, JOB_FAILED_TITLES, LOAD, TRAIN, BackgroundJobs
from softmax_gui.menus import TAB_NAMES, build_menus
from softmax_gui.step.tab import StepTab
from softmax_gui.train.controls import RunState
from softmax_gui.train.tab import TrainTab
from softmax_gui.widgets.status_notice import MODEL_NOTICE, StatusNotice

WINDOW_TITLE = "Softmax GUI — watch a softmax regression learn MNIST"
DEFAULT_SIZE = (1280, 800)
BUSY_WIDTH = 120
MESSAGE_MS = 5000


def _describe(data: engine.Dataset) -> str:
    return f"{data.name}: {data.X_train.shape[0]:,} training / {data.X_test.shape[0]:,} test images"


class MainWindow(QMainWindow):
    """Train, check, evaluate and draw with a softmax regression."""

    prediction_changed = Signal(object)  # 10 probabilities (np.ndarray) or None
    training_progress = Signal(object)  # engine.Progress
    training_finished = Signal(object)  # engine.TrainResult
    dataset_loaded = Signal(object)  # engine.Dataset
    gradcheck_finished = Signal(object)  # engine.GradCheckResult
    model_changed = Signal(object)  # engine.SoftmaxModel
    evaluation_shown = Signal(object)  # engine.Evaluation of the current model

    def __init__(
        self,
        dataset: engine.Dataset | None = None,
        *,
        settings_path: str | os.PathLike | None = None,
        model_path: str | os.PathLike | None = engine.DEFAULT_MODEL_PATH,
        data_dir: str | os.PathLike | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(WINDOW_TITLE)
        self.setWindowIcon(app_icon())
        self.settings = prefs.open_settings(settings_path)
        self.jobs = BackgroundJobs(self)
        # Owns the base model, the handwriting samples (in data_dir) and their adaptation.
        self.personal = PersonalController(prefs.data_folder(data_dir), self)
        self._model: engine.SoftmaxModel | None = None
        self._model_source = ""
        self._dataset: engine.Dataset | None = None
        # The folder the dataset came from (None: bundled MNIST), so it can be reloaded with
        # the preprocessing a newly opened model expects; unknown for an injected dataset.
        self._dataset_dir: str | os.PathLike | None = None
        self._dataset_reloadable = False
        self._loading_dir: str | os.PathLike | None = None
        self._run_label = ""
        # The (model, dataset) the running evaluation job is for: its result is shown only
        # if they are still current, otherwise the current pair is evaluated next.
        self._evaluating: tuple[engine.SoftmaxModel, engine.Dataset] | None = None
        self._paused = self._stopping = False
        self._load_on_show = dataset is None
        self._rng = np.random.default_rng()
        self._build_tabs()
        self._build_menus()
        self._build_status_bar()
        self._wire()
        window_state.restore(self, DEFAULT_SIZE)
        self.personal.load()
        self.train_tab.restore(self.settings, prefs.data_folder(data_dir))
        if model_path is not None:
            self._load_startup_model(Path(model_path))
        if dataset is not None:
            self.set_dataset(dataset)
        self._update_state()

    # --- layout ----------------------------------------------------------------------------
    def _build_tabs(self) -> None:
        self.train_tab = TrainTab()
        self.training_panel = self.train_tab.panel
        self.plots = self.train_tab.plots
        self.weights_view = self.train_tab.weights
        self.gradcheck_panel = GradCheckPanel()
        self.evaluation_panel = EvaluationPanel()
        self.draw_panel = DrawPanel()
        self.handwriting_view = HandwritingView()
        self.step_tab = StepTab(drawing=self.draw_panel.model_input)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        for page, name in zip(
            (
                self.train_tab,
                self.gradcheck_panel,
                self.evaluation_panel,
                self.draw_panel,
                self.handwriting_view,
                self.step_tab,
            ),
            TAB_NAMES,
            strict=True,
        ):
            self.tabs.addTab(page, name.replace("&", ""))
        self.setCentralWidget(self.tabs)

    def _build_menus(self) -> None:
        panel = self.training_panel
        self.menus = build_menus(
            self,
            self.tabs,
            training=[
                panel.start_action,
                panel.pause_action,
                panel.stop_action,
                panel.reset_action,
            ],
            gradcheck=self.gradcheck_panel.run_action,
            open_model=self.open_model,
            save_model=self.save_model,
            open_folder=self.load_dataset,
            export_plots=self.export_plots,
            clear_history=self.plots.clear_history,
        )
        self.plots.add_header_actions([self.menus.clear_history, self.menus.export_plots])

    def _build_status_bar(self) -> None:
        self.busy = QProgressBar(maximum=0, maximumWidth=BUSY_WIDTH, textVisible=False)
        self.model_label = QLabel("No model")
        self.notice_label = StatusNotice(self.statusBar())  # a problem with the user's files
        self.statusBar().addPermanentWidget(self.model_label)
        self.statusBar().addPermanentWidget(self.busy)

    def _wire(self) -> None:
        panel, jobs = self.training_panel, self.jobs
        panel.start_action.triggered.connect(self.start_training)
        panel.pause_action.triggered.connect(self.toggle_pause)
        panel.stop_action.triggered.connect(self.stop_training)
        panel.bundled_dataset_requested.connect(self.load_dataset)
        panel.preprocessing.chosen.connect(lambda _: self.load_dataset(self._dataset_dir))
        panel.folder_dataset_requested.connect(self.menus.open_folder.trigger)
        jobs.progress.connect(self._on_progress)
        self.train_tab.message.connect(self.statusBar().showMessage)
        jobs.training_paused.connect(self._on_paused)
        jobs.training_finished.connect(self._on_training_finished)
        jobs.dataset_loaded.connect(self._on_dataset_loaded)
        jobs.load_progress.connect(self._on_load_progress)
        jobs.gradcheck_finished.connect(self._on_gradcheck_finished)
        jobs.evaluation_finished.connect(self._on_evaluation_finished)
        jobs.failed.connect(self._on_failed)
        jobs.busy_changed.connect(self._update_state)
        self.gradcheck_panel.run_requested.connect(self.run_gradient_check)
        self.evaluation_panel.test_image_chosen.connect(self.show_test_image)
        self.draw_panel.prediction_changed.connect(self.prediction_changed)
        self.draw_panel.random_digit_requested.connect(self._show_random_digit)
        self.draw_panel.error_occurred.connect(self._on_draw_error)
        self.draw_panel.pen_width_changed.connect(self._remember_pen_width)
        self.draw_panel.teach_requested.connect(self._teach)
        personal, view = self.personal, self.handwriting_view
        personal.model_ready.connect(self._use_model)
        personal.samples_changed.connect(self._show_samples)
        personal.use_changed.connect(self._on_use_changed)
        personal.report_ready.connect(view.show_report)
        personal.message.connect(self.statusBar().showMessage)
        personal.notice.connect(self._show_notice)
        personal.failed.connect(self._on_personal_failed)
        personal.busy_changed.connect(self._update_state)
        view.use_toggled.connect(personal.set_use)
        view.reset_requested.connect(personal.reset)
        view.delete_requested.connect(personal.remove)
        view.relabel_requested.connect(personal.relabel)
        view.measure_requested.connect(self._measure)
        view.notice_dismissed.connect(self.notice_label.dismiss)
        self.model_changed.connect(self.step_tab.set_model)
        self.dataset_loaded.connect(self.step_tab.set_dataset)
        self.step_tab.apply_requested.connect(
            lambda model, how: self.set_model(model, f"{self._model_source}, {how}")
        )

    # --- scriptable surface ----------------------------------------------------------------
    @property
    def canvas(self) -> QWidget:
        """The drawing canvas of the Draw tab."""
        return self.draw_panel.canvas

    @property
    def model(self) -> engine.SoftmaxModel | None:
        """The current model (used for drawing and evaluation)."""
        return self._model

    @property
    def dataset(self) -> engine.Dataset | None:
        """The loaded dataset, if any."""
        return self._dataset

    def set_model(self, model: engine.SoftmaxModel, source: str) -> None:
        """Make ``model`` (described by ``source``) the base model: it is used everywhere at
        once, and then adapted to the user's handwriting when that is on."""
        self.personal.set_base(model, source)

    def set_dataset(self, data: engine.Dataset) -> None:
        """Use ``data`` for training, gradient checks, evaluation and adaptation's replay."""
        self._dataset = data
        self.personal.set_dataset(data)
        self.handwriting_view.set_test_name(f"{data.name}, {data.X_test.shape[0]:,} digits")
        self.training_panel.set_dataset_text(_describe(data))
        self.statusBar().showMessage(f"Loaded {data.name}", MESSAGE_MS)
        self._refresh_evaluation()
        self._update_state()
        self.dataset_loaded.emit(data)

    def open_model(self, path: str | os.PathLike) -> bool:
        """Load a model file; on error show one dialog and keep the current model."""
        try:
            model = engine.load_model(path)
        except (ValueError, OSError) as exc:
            errors.show_error(self, "Could not open the model", errors.describe(exc))
            return False
        self.set_model(model, Path(path).name)
        window_state.remember_model(self.settings, path)
        self.notice_label.dismiss(MODEL_NOTICE)
        return True

    def save_model(self, path: str | os.PathLike) -> bool:
        """Save the current model; on error show one dialog."""
        try:
            if self._model is None:
                raise ValueError("there is no model to save yet")
            engine.save_model(self._model, path)
        except (ValueError, OSError) as exc:
            errors.show_error(self, "Could not save the model", errors.describe(exc))
            return False
        self.statusBar().showMessage(f"Saved the model to {path}", MESSAGE_MS)
        return True

    def load_dataset(self, directory: str | os.PathLike | None = None) -> None:
        """Load an IDX folder (the bundled MNIST when None) in the background.

        Handwritten digits are prepared with the current model's preprocessing version, so
        evaluation, gradient checks and the next training run all see what that model
        expects; other datasets (Fashion-MNIST, …) keep their images as published.
        """
        version = self._model.preprocessing_version if self._model is not None else None
        self.training_panel.set_dataset_text("Loading…")
        self.statusBar().showMessage(f"Loading {directory or 'the bundled MNIST'}…")
        self._loading_dir = directory
        self.jobs.load_dataset(directory, version, self.training_panel.preprocessing.choice())

    def start_training(self) -> None:
        """Start a run with the form's hyper-parameters."""
        if self._dataset is None or self.jobs.is_running(TRAIN):
            return
        prepare = self.personal.training_data() if self.training_panel.include_personal() else None
        n_train = self._dataset.X_train.shape[0] + (len(self.personal.samples) if prepare else 0)
        try:
            config = self.training_panel.config(n_train)
        except ValueError as exc:
            errors.show_error(self, "Invalid hyper-parameters", errors.describe(exc))
            return
        self._run_label = self.train_tab.start_run(config, n_train, self._dataset, bool(prepare))
        self._paused = self._stopping = False
        self.jobs.start_training(self._dataset, config, prepare)

    def toggle_pause(self) -> None:
        """Pause or resume the running training."""
        self.jobs.toggle_pause()

    def stop_training(self) -> None:
        """Stop training; the model so far becomes the current model."""
        self._stopping = True
        self.jobs.stop_training()
        self._update_state()

    def run_gradient_check(self, n_images: int, n_checks: int, l2: float) -> None:
        """Check the gradient on the first ``n_images`` test images in the background."""
        if self._dataset is not None and not self.jobs.is_running(GRADCHECK):
            data = self._dataset
            self.jobs.run_gradcheck(data.X_test[:n_images], data.y_test[:n_images], n_checks, l2)

    def show_digit(self, image: np.ndarray, caption: str | None = None) -> None:
        """Put a 28×28 image on the canvas (``caption`` beside it) and show the Draw tab."""
        self.draw_panel.show_digit(image, caption)
        self.tabs.setCurrentWidget(self.draw_panel)

    def show_test_image(self, index: int) -> None:
        """Put test image ``index`` on the canvas, with its index and true label."""
        data, names = self._dataset, self._model.class_names if self._model else None
        label = int(data.y_test[index])
        name = (names or data.names)[label]
        self.show_digit(data.X_test[index], f"Test image #{index:,} of {data.name} · true: {name}")

    def export_plots(self, path: str | os.PathLike) -> bool:
        """Save the training plots as a PNG; on error show one dialog."""
        return self.train_tab.export_plots(path)

    def _needs_reload_for(self, model: engine.SoftmaxModel) -> bool:
        data = self._dataset
        return (
            data is not None
            and self._dataset_reloadable
            and not self.jobs.is_running(LOAD)
            and engine.needs_new_preparation(
                data, model, self.training_panel.preprocessing.choice()
            )
        )

    # --- slots -----------------------------------------------------------------------------
    def _use_model(self, model: engine.SoftmaxModel, source: str) -> None:
        """Read, show and evaluate with ``model``: model_changed, then the new prediction."""
        self._model, self._model_source = model, source
        self.weights_view.set_weights(model.W)
        self.weights_view.set_class_names(model.class_names)
        self.model_label.setText(f"Model: {source}")
        self.handwriting_view.set_model_text(source)
        if self._needs_reload_for(model):
            self.load_dataset(self._dataset_dir)
        self._refresh_evaluation()
        self.model_changed.emit(model)
        self.draw_panel.set_model(model)
        self._update_state()

    def _teach(self, label: int) -> None:
        self.personal.teach(self.draw_panel.model_input(), label, self.canvas.ink_array())

    def _show_samples(self, samples: engine.PersonalSamples) -> None:
        self.handwriting_view.show_samples(samples)
        self.training_panel.set_personal_count(len(samples))

    def _on_use_changed(self, on: bool) -> None:
        self.handwriting_view.set_use(on)
        self.settings.setValue(prefs.KEY_USE_PERSONAL, on)

    def _show_notice(self, text: str) -> None:
        self.handwriting_view.show_notice(text)
        self.notice_label.show_notice(text)

    def _on_personal_failed(self, title: str, message: str) -> None:
        errors.show_error(self, title, message)

    def _measure(self) -> None:
        self.personal.measure()
        self._update_state()

    def _on_load_progress(self, share: float, text: str) -> None:
        self.busy.setRange(0, 100)  # a percentage from now on; busy again after the load
        self.busy.setValue(round(100 * share))
        self.training_panel.set_dataset_text(f"Loading… {share:.0%}: {text}")

    def _on_dataset_loaded(self, data: engine.Dataset) -> None:
        self.busy.setRange(0, 0)
        self._dataset_dir, self._dataset_reloadable = self._loading_dir, True
        window_state.remember_dataset(self.settings, self._loading_dir)
        self.set_dataset(data)
        if self._model is not None and self._needs_reload_for(self._model):
            self.load_dataset(self._dataset_dir)  # the model changed while this was loading

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

    def _on_gradcheck_finished(self, result: engine.GradCheckResult) -> None:
        self.gradcheck_panel.show_result(result)
        self.gradcheck_finished.emit(result)

    def _evaluation_is_stale(self) -> bool:
        model, data = self._evaluating
        return model is not self._model or data is not self._dataset

    def _on_evaluation_finished(self, evaluation: object) -> None:
        if self._evaluation_is_stale():
            self._refresh_evaluation()
            return
        data, model = self._dataset, self._model
        note = trained_elsewhere(model, data)
        source = self._model_source + (f" ({note})" if note else "")
        self.evaluation_panel.show_evaluation(evaluation, data.X_test, source, model.class_names)
        self.training_panel.set_model_info(
            f"{source}\ntest error {evaluation.error:.2%} on {data.name}"
        )
        self.evaluation_shown.emit(evaluation)

    def _on_failed(self, job: str, message: str) -> None:
        if job == LOAD:
            data = self._dataset
            self.training_panel.set_dataset_text(_describe(data) if data else "Not loaded.")
        elif job == EVALUATE:
            self.evaluation_panel.clear("The evaluation failed.")
            if self._evaluation_is_stale():
                self._refresh_evaluation()  # the model or dataset changed meanwhile
        errors.show_error(self, JOB_FAILED_TITLES[job], message)

    def _on_draw_error(self, message: str) -> None:
        errors.show_error(self, "Drawing", message)

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
        self.training_panel.set_state(state)
        self.gradcheck_panel.set_state(
            running=jobs.is_running(GRADCHECK), ready=self._dataset is not None
        )
        self.menus.open_folder.setEnabled(state in (RunState.IDLE, RunState.NO_DATA))
        self.busy.setVisible(
            jobs.is_running(LOAD) or jobs.is_running(GRADCHECK) or self.personal.is_busy()
        )
        self.handwriting_view.set_measuring(self.personal.is_measuring())
        self.menus.save_model.setEnabled(self._model is not None)
        self.training_panel.preprocessing.show_state(self._dataset, self._model)
        self.training_panel.preprocessing.setEnabled(state in (RunState.IDLE, RunState.NO_DATA))

    def _refresh_evaluation(self) -> None:
        """Evaluate the current model on the test set in the background (one job at a time)."""
        model, data, source = self._model, self._dataset, self._model_source
        self.training_panel.set_model_info(source or "none")
        reason = unavailable_reason(model, data, source)
        if reason is not None:
            self.evaluation_panel.clear(reason)
            return
        self.evaluation_panel.show_pending(source)
        if not self.jobs.is_running(EVALUATE):  # else the running job's end starts another
            self._evaluating = (model, data)
            self.jobs.run_evaluation(evaluate, model, data)

    def _show_random_digit(self) -> None:
        if self._dataset is not None:
            self.show_test_image(int(self._rng.integers(self._dataset.X_test.shape[0])))

    def _remember_pen_width(self, width: int) -> None:
        self.settings.setValue(prefs.KEY_PEN_WIDTH, width)

    # --- lifecycle -------------------------------------------------------------------------
    def _load_startup_model(self, default: Path) -> None:
        """The last model the user opened if it is still there and readable, else ``default``
        (the shipped model unless the caller named another), else the shipped model; a model
        that could not be read is named in the status bar's notice."""
        last, note = window_state.startup_model(self.settings, default)
        problems = [note] if note else []
        failed = False
        for path in dict.fromkeys([last, default, engine.DEFAULT_MODEL_PATH]):
            try:
                self.set_model(engine.load_model(path), path.name)
                opened = f"opened {path.name} instead"
                break
            except (ValueError, OSError) as exc:
                failed = True
                problems.append(f"Could not open a model: {errors.describe(exc)}")
                window_state.forget_model(self.settings, path)
        else:
            self.model_label.setText("No model")
            opened = "no model is open"
        if failed:
            self.notice_label.show_notice(f"{'; '.join(problems)}; {opened}.", MODEL_NOTICE)
        elif problems:
            self.statusBar().showMessage("; ".join(problems))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._load_on_show:
            self._load_on_show = False
            directory, note = window_state.startup_dataset(self.settings)
            self.load_dataset(directory)
            if note:
                self.statusBar().showMessage(note)

    def closeEvent(self, event: QCloseEvent) -> None:
        window_state.save(self)
        self.jobs.shutdown()
        self.personal.shutdown()  # writes samples a save job had not written yet
        super().closeEvent(event)
