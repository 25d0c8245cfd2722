"""The main window: lays out the Train / Gradient check / Evaluate / Draw tabs and wires them
to the background jobs and the current model. It holds no training loop and does no maths.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

import engine
from engine import MNIST_SIDE

from . import errors
from . import settings as prefs
from .draw_panel import DrawPanel
from .evaluation_panel import EvaluationPanel, evaluate
from .gradcheck_panel import GradCheckPanel
from .plots import TrainingPlots, run_label
from .training_panel import DEFAULTS, RunState, TrainingPanel
from .weights_view import WeightsView
from .worker import GRADCHECK, LOAD, TRAIN, BackgroundJobs

WINDOW_TITLE = "Softmax GUI — watch a softmax regression learn MNIST"
DEFAULT_SIZE = (1280, 800)
CONTROLS_WIDTH = 330
BUSY_WIDTH = 120
MODEL_FILTER = "Softmax models (*.npz);;All files (*)"
PNG_FILTER = "PNG images (*.png)"
TAB_NAMES = ("&Train", "&Gradient check", "&Evaluate", "&Draw")
ABOUT = ("<b>Softmax GUI</b><p>Train a softmax regression on MNIST with L-BFGS-B or SGD, "
         "watch its cost, errors and weight templates, check its gradient, inspect its "
         "mistakes, then draw a digit and see what it thinks.</p>")


def _add(menu: QMenu, text: str, keys: QKeySequence.StandardKey | str | None,
         slot: Callable[..., object]) -> QAction:
    action = menu.addAction(text)
    if keys is not None:
        action.setShortcut(QKeySequence(keys))
    action.triggered.connect(slot)
    return action


class MainWindow(QMainWindow):
    """Train, check, evaluate and draw with a softmax regression."""

    prediction_changed = Signal(object)  # 10 probabilities (np.ndarray) or None
    training_progress = Signal(object)  # engine.Progress
    training_finished = Signal(object)  # engine.TrainResult
    dataset_loaded = Signal(object)  # engine.Dataset
    gradcheck_finished = Signal(object)  # engine.GradCheckResult
    model_changed = Signal(object)  # engine.SoftmaxModel

    def __init__(self, dataset: engine.Dataset | None = None, *,
                 settings_path: str | os.PathLike | None = None,
                 model_path: str | os.PathLike | None = engine.DEFAULT_MODEL_PATH,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(WINDOW_TITLE)
        self.settings = prefs.open_settings(settings_path)
        self.jobs = BackgroundJobs(self)
        self._model: engine.SoftmaxModel | None = None
        self._model_source = ""
        self._dataset: engine.Dataset | None = None
        self._run_label = ""
        self._paused = self._stopping = False
        self._load_on_show = dataset is None
        self._rng = np.random.default_rng()
        self._build_tabs()
        self._build_menus()
        self._build_status_bar()
        self._wire()
        self._restore_settings()
        if model_path is not None:
            self._load_startup_model(Path(model_path))
        if dataset is not None:
            self.set_dataset(dataset)
        self._update_state()

    # --- layout ----------------------------------------------------------------------------
    def _build_tabs(self) -> None:
        self.training_panel = TrainingPanel()
        controls = QScrollArea()
        controls.setWidget(self.training_panel)
        controls.setWidgetResizable(True)
        controls.setMinimumWidth(CONTROLS_WIDTH)
        self.plots = TrainingPlots()
        self.weights_view = WeightsView()
        weights_box = QGroupBox("Weight templates — red pixels vote for the digit, blue against")
        QVBoxLayout(weights_box).addWidget(self.weights_view)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.plots)
        right.addWidget(weights_box)
        right.setSizes([480, 300])
        train = QSplitter(Qt.Orientation.Horizontal)
        train.addWidget(controls)
        train.addWidget(right)
        train.setStretchFactor(1, 1)
        self.gradcheck_panel = GradCheckPanel()
        self.evaluation_panel = EvaluationPanel()
        self.draw_panel = DrawPanel()
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        for page, name in zip((train, self.gradcheck_panel, self.evaluation_panel,
                               self.draw_panel), TAB_NAMES, strict=True):
            self.tabs.addTab(page, name.replace("&", ""))
        self.setCentralWidget(self.tabs)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu("&File")
        self.open_model_action = _add(file, "&Open model…", QKeySequence.StandardKey.Open,
                                      self._open_model_dialog)
        self.save_model_action = _add(file, "&Save model…", QKeySequence.StandardKey.Save,
                                      self._save_model_dialog)
        file.addSeparator()
        self.open_folder_action = _add(file, "Open IDX &folder…", "Ctrl+Shift+O",
                                       self._open_folder_dialog)
        self.export_action = _add(file, "&Export plots as PNG…", "Ctrl+E", self._export_dialog)
        file.addSeparator()
        _add(file, "&Quit", QKeySequence.StandardKey.Quit, self.close)
        panel = self.training_panel
        training = bar.addMenu("&Training")
        training.addActions([panel.start_action, panel.pause_action, panel.stop_action,
                             panel.reset_action])
        training.addSeparator()
        self.clear_history_action = _add(training, "&Clear history", "Ctrl+Shift+Del",
                                         self.plots.clear_history)
        training.addAction(self.gradcheck_panel.run_action)
        view = bar.addMenu("&View")
        for index, name in enumerate(TAB_NAMES):
            _add(view, name, f"Ctrl+{index + 1}",
                 lambda _=False, i=index: self.tabs.setCurrentIndex(i))
        _add(bar.addMenu("&Help"), "&About", None,
             lambda: QMessageBox.about(self, "About Softmax GUI", ABOUT))
        self.plots.add_header_actions([self.clear_history_action, self.export_action])

    def _build_status_bar(self) -> None:
        self.busy = QProgressBar(maximum=0, maximumWidth=BUSY_WIDTH, textVisible=False)
        self.model_label = QLabel("No model")
        self.statusBar().addPermanentWidget(self.model_label)
        self.statusBar().addPermanentWidget(self.busy)

    def _wire(self) -> None:
        panel, jobs = self.training_panel, self.jobs
        panel.start_action.triggered.connect(self.start_training)
        panel.pause_action.triggered.connect(self.toggle_pause)
        panel.stop_action.triggered.connect(self.stop_training)
        panel.bundled_dataset_requested.connect(self.load_dataset)
        panel.folder_dataset_requested.connect(self._open_folder_dialog)
        jobs.progress.connect(self._on_progress)
        jobs.training_paused.connect(self._on_paused)
        jobs.training_finished.connect(self._on_training_finished)
        jobs.dataset_loaded.connect(self.set_dataset)
        jobs.gradcheck_finished.connect(self._on_gradcheck_finished)
        jobs.failed.connect(self._on_failed)
        jobs.busy_changed.connect(self._update_state)
        self.gradcheck_panel.run_requested.connect(self.run_gradient_check)
        self.evaluation_panel.digit_chosen.connect(self.show_digit)
        self.draw_panel.prediction_changed.connect(self.prediction_changed)
        self.draw_panel.random_digit_requested.connect(self._show_random_digit)
        self.draw_panel.error_occurred.connect(self.statusBar().showMessage)
        self.draw_panel.pen_width_changed.connect(self._remember_pen_width)

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
        """Make ``model`` (described by ``source``) the current model everywhere."""
        self._model, self._model_source = model, source
        self.draw_panel.set_model(model)
        self.weights_view.set_weights(model.W)
        self.model_label.setText(f"Model: {source}")
        self._refresh_evaluation()
        self.model_changed.emit(model)

    def set_dataset(self, data: engine.Dataset) -> None:
        """Use ``data`` for training, gradient checks and evaluation."""
        self._dataset = data
        self.training_panel.set_dataset_text(
            f"{data.name}: {data.X_train.shape[0]:,} training / {data.X_test.shape[0]:,} test "
            "images")
        self.statusBar().showMessage(f"Loaded {data.name}", 5000)
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
        self.statusBar().showMessage(f"Saved the model to {path}", 5000)
        return True

    def load_dataset(self, directory: str | os.PathLike | None = None) -> None:
        """Load an IDX folder (the bundled MNIST when None) in the background."""
        self.training_panel.set_dataset_text("Loading…")
        self.jobs.load_dataset(directory)

    def start_training(self) -> None:
        """Start a run with the form's hyper-parameters."""
        if self._dataset is None or self.jobs.is_running(TRAIN):
            return
        try:
            config = self.training_panel.config(self._dataset.X_train.shape[0])
        except ValueError as exc:
            errors.show_error(self, "Invalid hyper-parameters", errors.describe(exc))
            return
        self._run_label = run_label(self.plots.n_runs + 1, config)
        self.plots.start_run(self._run_label)
        self.training_panel.clear_progress()
        self._paused = self._stopping = False
        self.jobs.start_training(self._dataset, config)

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

    def show_digit(self, image: np.ndarray) -> None:
        """Put a 28×28 image on the canvas and switch to the Draw tab."""
        self.draw_panel.show_digit(image)
        self.tabs.setCurrentWidget(self.draw_panel)

    def export_plots(self, path: str | os.PathLike) -> bool:
        """Save the training plots as a PNG; on error show one dialog."""
        if self.plots.export_png(path):
            return True
        errors.show_error(self, "Could not export the plots", f"{path}: could not be written")
        return False

    # --- slots -----------------------------------------------------------------------------
    def _on_progress(self, progress: engine.Progress) -> None:
        self.plots.add_progress(progress)
        self.training_panel.show_progress(progress)
        if progress.W is not None:
            self.weights_view.set_weights(progress.W)
        self.training_progress.emit(progress)

    def _on_paused(self, paused: bool) -> None:
        self._paused = paused
        self._update_state()

    def _on_training_finished(self, result: engine.TrainResult) -> None:
        self.plots.finish_run()
        self.training_panel.show_result(result)
        if result.diverged:
            if self._model is not None:
                self.weights_view.set_weights(self._model.W)
            errors.show_error(self, "Training diverged",
                              f"{result.reason}.\n\nThe previous model is kept.", warning=True)
        else:
            self.set_model(result.model, self._run_label)
        self.training_finished.emit(result)

    def _on_gradcheck_finished(self, result: engine.GradCheckResult) -> None:
        self.gradcheck_panel.show_result(result)
        self.gradcheck_finished.emit(result)

    def _on_failed(self, job: str, message: str) -> None:
        titles = {TRAIN: "Training failed", LOAD: "Could not load the dataset",
                  GRADCHECK: "Gradient check failed"}
        if job == LOAD:
            self.training_panel.set_dataset_text(f"Not loaded: {message}")
        errors.show_error(self, titles[job], message)

    def _update_state(self) -> None:
        jobs = self.jobs
        if jobs.is_running(TRAIN):
            state = (RunState.STOPPING if self._stopping
                     else RunState.PAUSED if self._paused else RunState.RUNNING)
        elif jobs.is_running(LOAD):
            state = RunState.LOADING
        else:
            state = RunState.IDLE if self._dataset is not None else RunState.NO_DATA
        self.training_panel.set_state(state)
        self.gradcheck_panel.set_state(running=jobs.is_running(GRADCHECK),
                                       ready=self._dataset is not None)
        self.open_folder_action.setEnabled(state in (RunState.IDLE, RunState.NO_DATA))
        self.busy.setVisible(jobs.is_running(LOAD) or jobs.is_running(GRADCHECK))
        self.save_model_action.setEnabled(self._model is not None)

    def _refresh_evaluation(self) -> None:
        if self._model is None or self._dataset is None:
            missing = "a model" if self._model is None else "the dataset"
            self.evaluation_panel.clear(f"No evaluation yet: waiting for {missing}.")
            return
        evaluation = evaluate(self._model, self._dataset)
        self.evaluation_panel.show_evaluation(evaluation, self._dataset.X_test,
                                              self._model_source)

    def _show_random_digit(self) -> None:
        if self._dataset is not None:
            index = int(self._rng.integers(self._dataset.X_test.shape[0]))
            self.draw_panel.show_digit(self._dataset.X_test[index].reshape(MNIST_SIDE, MNIST_SIDE))

    def _remember_pen_width(self, width: int) -> None:
        self.settings.setValue(prefs.KEY_PEN_WIDTH, width)

    # --- dialogs ---------------------------------------------------------------------------
    def _open_model_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open model", "", MODEL_FILTER)
        if path:
            self.open_model(path)

    def _save_model_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save model", "model.npz", MODEL_FILTER)
        if path:
            self.save_model(path)

    def _open_folder_dialog(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Open a folder of MNIST-format IDX files")
        if path:
            self.load_dataset(path)

    def _export_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export plots", "training.png", PNG_FILTER)
        if path:
            self.export_plots(path)

    # --- lifecycle -------------------------------------------------------------------------
    def _load_startup_model(self, path: Path) -> None:
        try:
            self.set_model(engine.load_model(path), path.name)
        except (ValueError, OSError) as exc:
            self.model_label.setText("No model")
            self.statusBar().showMessage(f"No model loaded: {errors.describe(exc)}")

    def _restore_settings(self) -> None:
        s = self.settings
        self.training_panel.set_values(prefs.read_group(s, prefs.TRAINING_GROUP, DEFAULTS))
        pen = prefs.read_value(s, prefs.KEY_PEN_WIDTH, self.draw_panel.pen_width())
        self.draw_panel.set_pen_width(pen)
        geometry = s.value(prefs.KEY_GEOMETRY)
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(*DEFAULT_SIZE)
        self.tabs.setCurrentIndex(prefs.read_value(s, prefs.KEY_TAB, 0))

    def _save_settings(self) -> None:
        s = self.settings
        prefs.write_group(s, prefs.TRAINING_GROUP, self.training_panel.values())
        s.setValue(prefs.KEY_PEN_WIDTH, self.draw_panel.pen_width())
        s.setValue(prefs.KEY_GEOMETRY, self.saveGeometry())
        s.setValue(prefs.KEY_TAB, self.tabs.currentIndex())
        s.sync()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._load_on_show:
            self._load_on_show = False
            self.load_dataset()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._save_settings()
        self.jobs.shutdown()
        super().closeEvent(event)
