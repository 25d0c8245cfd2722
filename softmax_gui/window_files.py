"""The main window's files: opening and saving models, exporting the plots, loading a dataset
folder in the background (again when a model expects other preprocessing), and what to open
at start-up. The window (:class:`softmax_gui.main_window.MainWindow`) builds the widgets this
part uses; this layer sits on :class:`~softmax_gui.window_jobs.WindowJobs`, whose dataset
loads it starts and whose evaluations it refreshes.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSettings
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel

import engine
from softmax_gui import errors, window_state
from softmax_gui.jobs import LOAD
from softmax_gui.widgets.status_notice import MODEL_NOTICE, StatusNotice
from softmax_gui.window_jobs import MESSAGE_MS, WindowJobs

#: The busy bar's width, and its label and width while teaching waits for the dataset.
BUSY_WIDTH = 120
TEACHING_WAIT = str(QT_TRANSLATE_NOOP("WindowFiles", "Preparing MNIST for teaching…"))
TEACHING_WAIT_WIDTH = 300


def loading_text() -> str:
    """The Train tab's dataset line while a dataset loads."""
    return QCoreApplication.translate("WindowFiles", "Loading…")


def is_shipped(path: str | os.PathLike) -> bool:
    """Whether ``path`` is the model that comes with the app."""
    try:
        return Path(path).resolve() == engine.DEFAULT_MODEL_PATH.resolve()
    except OSError:
        return False


class WindowFiles(WindowJobs):
    """Opens, saves and loads the window's model files and dataset folders."""

    # Built by the window (WindowJobs declares the rest).
    settings: QSettings
    model_label: QLabel
    notice_label: StatusNotice
    _dataset_dir: str | os.PathLike | None
    _dataset_reloadable: bool
    _loading_dir: str | os.PathLike | None
    _load_on_show: bool

    def set_dataset(self, data: engine.Dataset) -> None:
        raise NotImplementedError("defined by MainWindow")

    def open_model(self, path: str | os.PathLike) -> bool:
        """Load a model file; on error show one dialog and keep the current model."""
        try:
            model = engine.load_model(path)
        except (ValueError, OSError) as exc:
            errors.show_error(self, self.tr("Could not open the model"), errors.describe(exc))
            return False
        self.set_model(model, Path(path).name, is_shipped(path))
        window_state.remember_model(self.settings, path)
        self.notice_label.dismiss(MODEL_NOTICE)
        return True

    def save_model(self, path: str | os.PathLike) -> bool:
        """Save the current model; on error show one dialog."""
        try:
            if self._model is None:
                raise ValueError(self.tr("there is no model to save yet"))
            engine.save_model(self._model, path)
        except (ValueError, OSError) as exc:
            errors.show_error(self, self.tr("Could not save the model"), errors.describe(exc))
            return False
        self.statusBar().showMessage(
            self.tr("Saved the model to {path}").format(path=path), MESSAGE_MS
        )
        return True

    def load_dataset(self, directory: str | os.PathLike | None = None) -> None:
        """Load an IDX folder (the bundled MNIST when None) in the background.

        Handwritten digits are prepared with the current model's preprocessing version, so
        evaluation, gradient checks and the next training run all see what that model
        expects; other datasets (Fashion-MNIST, …) keep their images as published.
        """
        version = self._model.preprocessing_version if self._model is not None else None
        self.training_panel.set_dataset_text(loading_text())
        self.statusBar().showMessage(
            self.tr("Loading {folder}…").format(folder=directory)
            if directory
            else self.tr("Loading the bundled MNIST…")
        )
        self._loading_dir = directory
        self.jobs.load_dataset(directory, version, self.training_panel.preprocessing.choice())

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

    def _on_load_progress(self, share: float, text: str) -> None:
        self.busy.setRange(0, 100)  # a percentage from now on; busy again after the load
        self.busy.setValue(round(100 * share))
        teaching = self.personal.waiting_for_data()  # say what the wait is for
        waiting_for = (
            QCoreApplication.translate("WindowFiles", TEACHING_WAIT)
            if teaching
            else self.tr("Loading the dataset…")
        )
        self.busy.setTextVisible(True)  # never a bare percentage: it says what it waits for
        self.busy.setFormat(f"{waiting_for} %p%")
        self.busy.setMaximumWidth(TEACHING_WAIT_WIDTH)
        self._show_busy(waiting_for)
        self.training_panel.set_dataset_text(
            self.tr("Loading… {share}: {step}").format(share=f"{share:.0%}", step=text)
        )

    def _on_dataset_loaded(self, data: engine.Dataset) -> None:
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setMaximumWidth(BUSY_WIDTH)
        self._show_busy(self._busy_text())
        self._dataset_dir, self._dataset_reloadable = self._loading_dir, True
        window_state.remember_dataset(self.settings, self._loading_dir)
        self.set_dataset(data)
        if self._model is not None and self._needs_reload_for(self._model):
            self.load_dataset(self._dataset_dir)  # the model changed while this was loading

    def _load_startup_model(self, default: Path) -> None:
        """The last model the user opened if it is still there and readable, else ``default``
        (the shipped model unless the caller named another), else the shipped model; a model
        that could not be read is named in the status bar's notice."""
        last, note = window_state.startup_model(self.settings, default)
        problems = [note] if note else []
        failed = False
        for path in dict.fromkeys([last, default, engine.DEFAULT_MODEL_PATH]):
            try:
                self.set_model(engine.load_model(path), path.name, is_shipped(path))
                opened = self.tr("opened {name} instead").format(name=path.name)
                break
            except (ValueError, OSError) as exc:
                failed = True
                problems.append(
                    self.tr("Could not open a model: {detail}").format(detail=errors.describe(exc))
                )
                window_state.forget_model(self.settings, path)
        else:
            self.model_label.setText(self.tr("No model"))
            opened = self.tr("no model is open")
        if failed:
            story = self.tr("{problems}; {outcome}.").format(
                problems="; ".join(problems), outcome=opened
            )
            self.notice_label.show_notice(story, MODEL_NOTICE)
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
