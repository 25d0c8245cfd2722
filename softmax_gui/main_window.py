"""The main window: lays out the Train / Gradient check / Evaluate / Draw / My handwriting tabs
and wires them to the background jobs, the personal-handwriting controller and the current
model. It holds no training loop and does no maths. It is built in layers, one concern each:
:class:`~softmax_gui.window_jobs.WindowJobs` runs the background jobs,
:class:`~softmax_gui.window_files.WindowFiles` opens, saves and loads files on top of it,
:class:`~softmax_gui.window_language.WindowLanguage` rebuilds the widgets in another
language, and this module lays out the tabs and wires their signals.

What outlives a rebuild (settings, jobs, the handwriting controller, model, dataset) is made
once in ``__init__`` and its signals go to the window's own methods, which always talk to
the widgets of the moment; the widgets are made and wired by :meth:`MainWindow._build`.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QLabel, QProgressBar, QTabWidget, QWidget

import engine
from softmax_gui import errors, i18n, window_state
from softmax_gui import settings as prefs
from softmax_gui.checks.evaluation_panel import EvaluationPanel
from softmax_gui.checks.gradcheck_panel import GradCheckPanel
from softmax_gui.draw.canvas import DrawingCanvas
from softmax_gui.draw.panel import DrawPanel
from softmax_gui.handwriting.conflicts import conflicting_labels
from softmax_gui.handwriting.controller import PersonalController
from softmax_gui.handwriting.kept_report import KeptReport
from softmax_gui.handwriting.tab import HandwritingView
from softmax_gui.icon import app_icon
from softmax_gui.jobs import BackgroundJobs
from softmax_gui.menus import build_menus, tab_names
from softmax_gui.step.tab import StepTab
from softmax_gui.train.tab import TrainTab
from softmax_gui.widgets.status_notice import StatusNotice
from softmax_gui.window_files import BUSY_WIDTH
from softmax_gui.window_jobs import MESSAGE_MS, describe_dataset
from softmax_gui.window_language import WindowLanguage

DEFAULT_SIZE = (1280, 800)


def window_title() -> str:
    """The window's title; the platform adds the app's name (applicationDisplayName)."""
    return QCoreApplication.translate("MainWindow", "Watch a softmax regression learn MNIST")


class MainWindow(WindowLanguage):
    """Train, check, evaluate and draw with a softmax regression."""

    # training_progress, training_finished, gradcheck_finished, evaluation_shown: WindowJobs
    prediction_changed = Signal(object)  # 10 probabilities (np.ndarray) or None
    dataset_loaded = Signal(object)  # engine.Dataset
    model_changed = Signal(object)  # engine.SoftmaxModel

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
        self.setWindowIcon(app_icon())
        self.settings = prefs.open_settings(settings_path)
        self.language = i18n.read_choice(self.settings)
        self._data_folder = prefs.data_folder(data_dir)
        self.jobs = BackgroundJobs(self)
        # Owns the base model, the handwriting samples (in data_dir) and their adaptation.
        self.personal = PersonalController(self._data_folder, self)
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
        self._can_undo = False
        self._gradcheck_result: engine.GradCheckResult | None = None
        self._build()
        self._wire_sources()
        self._restore_settings()
        self.personal.load()
        self.train_tab.restore(self.settings, self._data_folder)
        if model_path is not None:
            self._load_startup_model(Path(model_path))
        if dataset is not None:
            self.set_dataset(dataset)
        self._update_state()

    # --- layout ----------------------------------------------------------------------------
    def _build(self) -> None:
        """Make and wire the widgets, in the language installed now."""
        self.setWindowTitle(window_title())
        self._build_tabs()
        self._build_menus()
        self._build_status_bar()
        self._wire_widgets()

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
            tab_names(),
            strict=True,
        ):
            self.tabs.addTab(page, name)
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
                panel.step_action,
                panel.reset_action,
            ],
            gradcheck=self.gradcheck_panel.run_action,
            open_model=self.open_model,
            save_model=self.save_model,
            open_folder=self.load_dataset,
            export_plots=self.export_plots,
            clear_history=self.plots.clear_history,
            use_shipped=self.use_shipped_model,
            language=self.language,
            choose_language=self.switch_language,
        )
        self.plots.add_header_actions([self.menus.clear_history, self.menus.export_plots])

    def _build_status_bar(self) -> None:
        self.busy = QProgressBar(maximum=0, textVisible=False)
        self.busy.setMaximumWidth(BUSY_WIDTH)
        self.busy.hide()
        self.busy_label = QLabel()  # what the busy bar waits for
        self.busy_label.hide()
        self.model_label = QLabel(self.tr("No model"))
        self.notice_label = StatusNotice(self.statusBar())  # a problem with the user's files
        self.statusBar().addPermanentWidget(self.model_label)
        self.statusBar().addPermanentWidget(self.busy_label)
        self.statusBar().addPermanentWidget(self.busy)

    def _wire_sources(self) -> None:
        """Connect what outlives a rebuild (jobs, handwriting) to the window, once."""
        jobs, personal = self.jobs, self.personal
        jobs.progress.connect(self._on_progress)
        jobs.training_paused.connect(self._on_paused)
        jobs.training_finished.connect(self._on_training_finished)
        jobs.dataset_loaded.connect(self._on_dataset_loaded)
        jobs.load_progress.connect(self._on_load_progress)
        jobs.gradcheck_finished.connect(self._on_gradcheck_finished)
        jobs.step_finished.connect(self._on_step_finished)
        jobs.evaluation_finished.connect(self._on_evaluation_finished)
        jobs.failed.connect(self._on_failed)
        jobs.busy_changed.connect(self._on_busy_changed)
        personal.model_ready.connect(self._use_model)
        personal.reading_changed.connect(self._on_reading_changed)
        personal.taught.connect(self._on_taught)
        personal.undo_changed.connect(self._on_undo_changed)
        personal.samples_changed.connect(self._show_samples)
        personal.use_changed.connect(self._on_use_changed)
        personal.report_ready.connect(self._on_report)
        personal.message.connect(self._show_message)
        personal.notice.connect(self._show_notice)
        personal.failed.connect(self._on_personal_failed)
        personal.busy_changed.connect(self._on_busy_changed)
        personal.replays.follow_training(jobs)  # no replay prepared ahead while training

    def _wire_widgets(self) -> None:
        """Connect the widgets of this build (to the window and to what outlives them)."""
        panel, personal = self.training_panel, self.personal
        panel.start_action.triggered.connect(self.start_training)
        panel.pause_action.triggered.connect(self.toggle_pause)
        panel.stop_action.triggered.connect(self.stop_training)
        panel.step_action.triggered.connect(self.take_step)
        panel.bundled_dataset_requested.connect(self.load_dataset)
        panel.preprocessing.chosen.connect(lambda _: self.load_dataset(self._dataset_dir))
        panel.folder_dataset_requested.connect(self.menus.open_folder.trigger)
        self.train_tab.message.connect(self.statusBar().showMessage)
        self.gradcheck_panel.run_requested.connect(self.run_gradient_check)
        self.evaluation_panel.test_image_chosen.connect(self.show_test_image)
        self.draw_panel.prediction_changed.connect(self.prediction_changed)
        self.draw_panel.random_digit_requested.connect(self._show_random_digit)
        self.draw_panel.error_occurred.connect(self._on_draw_error)
        self.draw_panel.pen_width_changed.connect(self._remember_pen_width)
        self.draw_panel.teach_requested.connect(self._teach)
        view = self.handwriting_view
        view.use_toggled.connect(personal.set_use)
        view.shipped_requested.connect(self.use_shipped_model)
        self.draw_panel.reading.shipped_requested.connect(self.use_shipped_model)
        view.delete_requested.connect(personal.remove)
        view.undo_requested.connect(personal.undo_delete)
        view.relabel_requested.connect(personal.relabel)
        view.measure_requested.connect(self._measure)
        view.notice_dismissed.connect(self.notice_label.dismiss)
        self.step_tab.apply_requested.connect(
            lambda model, how: self.set_model(model, f"{self._model_source}, {how}")
        )

    # --- scriptable surface ----------------------------------------------------------------
    @property
    def canvas(self) -> DrawingCanvas:
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

    def set_model(self, model: engine.SoftmaxModel, source: str, shipped: bool = False) -> None:
        """Make ``model`` (described by ``source``; ``shipped``: the app's own) the base model:
        it is used everywhere at once, then adapted to the user's handwriting when that is on."""
        self.personal.set_base(model, source, shipped)

    def use_shipped_model(self) -> bool:
        """Read and learn with the shipped model again (the samples are kept)."""
        return self.open_model(engine.DEFAULT_MODEL_PATH)

    def set_dataset(self, data: engine.Dataset) -> None:
        """Use ``data`` for training, gradient checks, evaluation and adaptation's replay."""
        self._dataset = data
        self.personal.test_name = data.name
        self.personal.set_dataset(data)
        self._show_dataset(data)
        self.statusBar().showMessage(self.tr("Loaded {name}").format(name=data.name), MESSAGE_MS)
        self._refresh_evaluation()
        self._update_state()
        self.dataset_loaded.emit(data)

    def _show_dataset(self, data: engine.Dataset) -> None:
        self.training_panel.set_dataset_text(describe_dataset(data))
        self.step_tab.set_dataset(data)

    def show_digit(self, image: np.ndarray, caption: str | None = None) -> None:
        """Put a 28×28 image on the canvas (``caption`` beside it) and show the Draw tab."""
        self.draw_panel.show_digit(image, caption)
        self.tabs.setCurrentWidget(self.draw_panel)

    def show_test_image(self, index: int) -> None:
        """Put test image ``index`` on the canvas, with its index and true label."""
        data, names = self._dataset, self._model.class_names if self._model else None
        if data is None:
            raise ValueError("no dataset is loaded: there are no test images to show")
        label = int(data.y_test[index])
        name = (names or data.names)[label]
        caption = self.tr("Test image #{index} of {dataset} · true: {label}")
        self.show_digit(
            data.X_test[index], caption.format(index=f"{index:,}", dataset=data.name, label=name)
        )

    # --- slots -----------------------------------------------------------------------------
    def _use_model(self, model: engine.SoftmaxModel, source: str) -> None:
        """Read, show and evaluate with ``model``: model_changed, then the new prediction."""
        self._model, self._model_source = model, source
        self._show_model(model, source)
        if self._needs_reload_for(model):
            self.load_dataset(self._dataset_dir)
        self._refresh_evaluation()
        self.model_changed.emit(model)
        self.draw_panel.set_model(model)
        self._update_state()

    def _show_model(self, model: engine.SoftmaxModel, source: str) -> None:
        self.weights_view.set_weights(model.W, model.input_map)
        self.weights_view.set_class_names(model.class_names)
        self.model_label.setText(self.tr("Model: {source}").format(source=source))
        self.step_tab.set_model(model)
        self.handwriting_view.set_model(model, source)  # the tiles say what it reads them as

    def _teach(self, label: int) -> None:
        proba = self.draw_panel.prediction()
        read_as = None if proba is None else int(np.argmax(proba))
        self.personal.teach(self.draw_panel.model_input(), label, self.canvas.ink_array(), read_as)

    def _show_samples(self, samples: engine.PersonalSamples) -> None:
        self.handwriting_view.show_samples(samples, conflicting_labels(samples))
        self.training_panel.set_personal_count(len(samples))

    def _on_reading_changed(self, text: str, shipped: bool) -> None:
        self.draw_panel.reading.set_reading(text, shipped)
        self.handwriting_view.set_reading(text, shipped)

    def _on_taught(self, text: str) -> None:
        self.draw_panel.show_teaching(text)

    def _on_undo_changed(self, can: bool) -> None:
        self._can_undo = can
        self.handwriting_view.set_can_undo(can)

    def _on_report(self, kept: KeptReport) -> None:
        self.handwriting_view.show_report(kept)

    def _show_message(self, text: str, ms: int) -> None:
        self.statusBar().showMessage(text, ms)

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

    def _on_draw_error(self, message: str) -> None:
        errors.show_error(self, self.tr("Drawing"), message)

    def _show_random_digit(self) -> None:
        if self._dataset is not None:
            self.show_test_image(int(self._rng.integers(self._dataset.X_test.shape[0])))

    def _remember_pen_width(self, width: int) -> None:
        self.settings.setValue(prefs.KEY_PEN_WIDTH, width)

    # --- lifecycle -------------------------------------------------------------------------
    def _restore_settings(self) -> None:
        """Put the remembered settings back (hyper-parameters, pen, personal use, geometry…)."""
        remembered = window_state.read(self.settings, self.draw_panel.pen_width())
        self.training_panel.set_values(remembered.training)
        self.draw_panel.set_pen_width(remembered.pen_width)
        self.personal.set_use(remembered.use_personal)
        self.training_panel.set_include_personal(remembered.train_with_personal)
        prefs.restore_window(self.settings, self, self.tabs, DEFAULT_SIZE)

    def _remembered(self) -> window_state.Remembered:
        return window_state.Remembered(
            training=self.training_panel.values(),
            pen_width=self.draw_panel.pen_width(),
            use_personal=self.personal.use,
            train_with_personal=self.training_panel.include_personal(),
        )

    def _save_settings(self) -> None:
        """Remember the window's settings for the next session."""
        window_state.write(self.settings, self._remembered())
        prefs.save_window(self.settings, self, self.tabs)
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._save_settings()
        self.jobs.shutdown()
        self.personal.shutdown()  # writes samples a save job had not written yet
        super().closeEvent(event)
