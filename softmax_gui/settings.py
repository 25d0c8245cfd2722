"""Persistent preferences (QSettings): hyper-parameters, pen width, the plots' x axis and log
scale, window geometry; and the folder for the user's own data (their handwriting samples,
the Train tab's run history).

Both locations can be overridden so tests and scripts never touch the user's files: pass a
path to :func:`open_settings` / :func:`data_folder`, or set the environment variable
``SOFTMAX_GUI_SETTINGS`` to an INI file path and ``SOFTMAX_GUI_DATA`` to a folder.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings, QStandardPaths
from PySide6.QtWidgets import QAbstractButton, QComboBox, QMainWindow, QTabWidget

ORGANISATION = "softmax-gui"
APPLICATION = "softmax-gui"
#: Environment variable naming an INI file to use instead of the platform's settings store.
SETTINGS_ENV = "SOFTMAX_GUI_SETTINGS"
#: Environment variable naming a folder to use instead of the platform's app-data folder.
DATA_ENV = "SOFTMAX_GUI_DATA"

TRAINING_GROUP = "training"
KEY_GEOMETRY = "window/geometry"
KEY_TAB = "window/tab"
KEY_PEN_WIDTH = "draw/pen_width"
KEY_USE_PERSONAL = "personal/use"
KEY_TRAIN_WITH_PERSONAL = "personal/include_in_training"
KEY_PLOT_X_AXIS = "plots/x_axis"
KEY_PLOT_LOG = "plots/log_scale"
#: The range of the C ints Qt's widgets take: a stored number outside it is not used.
QT_INT_MIN, QT_INT_MAX = -(2**31), 2**31 - 1


def open_settings(path: str | os.PathLike | None = None) -> QSettings:
    """Settings at ``path`` (INI), else at ``$SOFTMAX_GUI_SETTINGS``, else the user's store."""
    location = path if path is not None else os.environ.get(SETTINGS_ENV)
    if location:
        return QSettings(str(Path(location)), QSettings.Format.IniFormat)
    return QSettings(ORGANISATION, APPLICATION)


def data_folder(path: str | os.PathLike | None = None) -> Path:
    """``path``, else ``$SOFTMAX_GUI_DATA``, else the user's app-data folder (not created)."""
    location = path if path is not None else os.environ.get(DATA_ENV)
    if location:
        return Path(location)
    standard = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(standard) if standard else Path.home() / f".{APPLICATION}"


def read_value(settings: QSettings, key: str, default: Any) -> Any:
    """The stored value converted to ``default``'s type; ``default`` if absent or unreadable."""
    if not settings.contains(key):
        return default
    try:
        value = settings.value(key, default, type=type(default))
    except (TypeError, ValueError, OverflowError):  # e.g. "1e999" read as an int
        return default
    if not isinstance(value, type(default)):
        return default
    if isinstance(value, float) and not math.isfinite(value):
        return default
    if isinstance(value, int) and not QT_INT_MIN <= value <= QT_INT_MAX:  # Qt's ints are 32-bit
        return default
    return value


def read_group(settings: QSettings, group: str, defaults: dict[str, Any]) -> dict[str, Any]:
    """Values for every key of ``defaults`` under ``group``, typed like the defaults."""
    return {key: read_value(settings, f"{group}/{key}", value) for key, value in defaults.items()}


def write_group(settings: QSettings, group: str, values: dict[str, Any]) -> None:
    """Store ``values`` under ``group``."""
    for key, value in values.items():
        settings.setValue(f"{group}/{key}", value)


def restore_window(
    settings: QSettings, window: QMainWindow, tabs: QTabWidget, default_size: tuple[int, int]
) -> None:
    """Geometry and current tab from ``settings`` (``default_size`` the first time)."""
    geometry = settings.value(KEY_GEOMETRY)
    if not isinstance(geometry, (QByteArray, bytes)) or not window.restoreGeometry(geometry):
        window.resize(*default_size)
    tabs.setCurrentIndex(read_value(settings, KEY_TAB, 0))


def save_window(settings: QSettings, window: QMainWindow, tabs: QTabWidget) -> None:
    """Store geometry and current tab."""
    settings.setValue(KEY_GEOMETRY, window.saveGeometry())
    settings.setValue(KEY_TAB, tabs.currentIndex())


def bind_choice(settings: QSettings, key: str, combo: QComboBox) -> None:
    """Select ``combo``'s item whose data is stored under ``key`` (if one is), and store
    every later choice there."""
    index = combo.findData(read_value(settings, key, str(combo.currentData())))
    if index >= 0:
        combo.setCurrentIndex(index)
    combo.currentIndexChanged.connect(lambda _: settings.setValue(key, combo.currentData()))


def bind_check(settings: QSettings, key: str, box: QAbstractButton) -> None:
    """Tick ``box`` as stored under ``key`` (else leave it), and store every later change."""
    box.setChecked(read_value(settings, key, box.isChecked()))
    box.toggled.connect(lambda on: settings.setValue(key, on))
