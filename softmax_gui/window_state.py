"""What the main window remembers between sessions: its settings, and the last model file
and dataset folder the user opened (with a clean fall-back when they are gone)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings

import engine
from softmax_gui import settings as prefs
from softmax_gui.train.controls import DEFAULTS

if TYPE_CHECKING:
    from softmax_gui.main_window import MainWindow

KEY_LAST_MODEL = "files/last_model"
KEY_LAST_DATASET = "files/last_dataset"


def restore(window: MainWindow, default_size: tuple[int, int]) -> None:
    """Put the window's remembered settings back (hyper-parameters, pen, personal use…)."""
    s = window.settings
    window.training_panel.set_values(prefs.read_group(s, prefs.TRAINING_GROUP, DEFAULTS))
    pen = prefs.read_value(s, prefs.KEY_PEN_WIDTH, window.draw_panel.pen_width())
    window.draw_panel.set_pen_width(pen)
    window.personal.set_use(prefs.read_value(s, prefs.KEY_USE_PERSONAL, True))
    window.training_panel.set_include_personal(
        prefs.read_value(s, prefs.KEY_TRAIN_WITH_PERSONAL, False)
    )
    prefs.restore_window(s, window, window.tabs, default_size)


def save(window: MainWindow) -> None:
    """Remember the window's settings for the next session."""
    s = window.settings
    prefs.write_group(s, prefs.TRAINING_GROUP, window.training_panel.values())
    s.setValue(prefs.KEY_PEN_WIDTH, window.draw_panel.pen_width())
    s.setValue(prefs.KEY_USE_PERSONAL, window.personal.use)
    s.setValue(prefs.KEY_TRAIN_WITH_PERSONAL, window.training_panel.include_personal())
    prefs.save_window(s, window, window.tabs)
    s.sync()


def remember_model(settings: QSettings, path: str | os.PathLike) -> None:
    """The model file the user opened, to open again next time."""
    settings.setValue(KEY_LAST_MODEL, str(Path(path).resolve()))


def remember_dataset(settings: QSettings, directory: str | os.PathLike | None) -> None:
    """The dataset folder the user loaded ("" for the bundled MNIST)."""
    settings.setValue(KEY_LAST_DATASET, "" if directory is None else str(Path(directory)))


def startup_model(settings: QSettings, default: Path) -> tuple[Path, str | None]:
    """The model file to open at start-up: the last one opened if it is still there, else
    ``default``; and a note saying the last one is gone, if it is. A ``default`` other than
    the shipped model (a script's or a test's choice) is always used."""
    last = prefs.read_value(settings, KEY_LAST_MODEL, "")
    if not last or default != engine.DEFAULT_MODEL_PATH:
        return default, None
    if Path(last).is_file():
        return Path(last), None
    settings.remove(KEY_LAST_MODEL)
    return default, f"The last model opened, {last}, is gone: opened the shipped model"


def forget_model(settings: QSettings, path: Path) -> None:
    """Stop opening ``path`` at start-up (it could not be read); the file itself is left."""
    last = prefs.read_value(settings, KEY_LAST_MODEL, "")
    if last and Path(last) == Path(path):
        settings.remove(KEY_LAST_MODEL)


def startup_dataset(settings: QSettings) -> tuple[str | None, str | None]:
    """The dataset folder to load at start-up (None: the bundled MNIST): the last one if it
    is still there; and a note saying it is gone, if it is."""
    last = prefs.read_value(settings, KEY_LAST_DATASET, "")
    if not last:
        return None, None
    if Path(last).is_dir():
        return last, None
    settings.remove(KEY_LAST_DATASET)
    return None, f"The last dataset folder, {last}, is gone: loading the bundled MNIST"
