"""What the main window remembers between sessions: its settings, and the last model file
and dataset folder the user opened (with a clean fall-back when they are gone).

This module reads and writes plain values; the window applies them to its widgets, so it
never needs to know the window."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QSettings

import engine
from softmax_gui import settings as prefs
from softmax_gui.train.controls import DEFAULTS

KEY_LAST_MODEL = "files/last_model"
KEY_LAST_DATASET = "files/last_dataset"


@dataclass(frozen=True)
class Remembered:
    """The window's settings kept between sessions (geometry and tab aside)."""

    training: dict[str, Any]  # hyper-parameters, keyed like the Train form's DEFAULTS
    pen_width: int
    use_personal: bool
    train_with_personal: bool


def read(settings: QSettings, pen_width: int) -> Remembered:
    """The remembered settings; ``pen_width`` (the pen's current width) and the form's
    defaults stand in for any not stored yet."""
    return Remembered(
        training=prefs.read_group(settings, prefs.TRAINING_GROUP, DEFAULTS),
        pen_width=prefs.read_value(settings, prefs.KEY_PEN_WIDTH, pen_width),
        use_personal=prefs.read_value(settings, prefs.KEY_USE_PERSONAL, True),
        train_with_personal=prefs.read_value(settings, prefs.KEY_TRAIN_WITH_PERSONAL, False),
    )


def write(settings: QSettings, remembered: Remembered) -> None:
    """Store ``remembered`` for the next session."""
    prefs.write_group(settings, prefs.TRAINING_GROUP, remembered.training)
    settings.setValue(prefs.KEY_PEN_WIDTH, remembered.pen_width)
    settings.setValue(prefs.KEY_USE_PERSONAL, remembered.use_personal)
    settings.setValue(prefs.KEY_TRAIN_WITH_PERSONAL, remembered.train_with_personal)


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
    note = QCoreApplication.translate(
        "window_state", "The last model opened, {path}, is gone: opened the shipped model"
    )
    return default, note.format(path=last)


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
    note = QCoreApplication.translate(
        "window_state", "The last dataset folder, {path}, is gone: loading the bundled MNIST"
    )
    return None, note.format(path=last)
