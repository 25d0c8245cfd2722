"""Persistent preferences (QSettings): hyper-parameters, pen width, window geometry.

The location can be overridden so tests and scripts never touch the user's settings: pass a
path to :func:`open_settings` or set the environment variable ``SOFTMAX_GUI_SETTINGS`` to an
INI file path.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMainWindow, QTabWidget

ORGANISATION = "softmax-gui"
APPLICATION = "softmax-gui"
#: Environment variable naming an INI file to use instead of the platform's settings store.
SETTINGS_ENV = "SOFTMAX_GUI_SETTINGS"

TRAINING_GROUP = "training"
KEY_GEOMETRY = "window/geometry"
KEY_TAB = "window/tab"
KEY_PEN_WIDTH = "draw/pen_width"


def open_settings(path: str | os.PathLike | None = None) -> QSettings:
    """Settings at ``path`` (INI), else at ``$SOFTMAX_GUI_SETTINGS``, else the user's store."""
    location = path if path is not None else os.environ.get(SETTINGS_ENV)
    if location:
        return QSettings(str(Path(location)), QSettings.Format.IniFormat)
    return QSettings(ORGANISATION, APPLICATION)


def read_value(settings: QSettings, key: str, default: Any) -> Any:
    """The stored value converted to ``default``'s type; ``default`` if absent or unreadable."""
    if not settings.contains(key):
        return default
    try:
        return settings.value(key, default, type=type(default))
    except (TypeError, ValueError):
        return default


def read_group(settings: QSettings, group: str, defaults: dict[str, Any]) -> dict[str, Any]:
    """Values for every key of ``defaults`` under ``group``, typed like the defaults."""
    return {key: read_value(settings, f"{group}/{key}", value) for key, value in defaults.items()}


def write_group(settings: QSettings, group: str, values: dict[str, Any]) -> None:
    """Store ``values`` under ``group``."""
    for key, value in values.items():
        settings.setValue(f"{group}/{key}", value)


def restore_window(settings: QSettings, window: QMainWindow, tabs: QTabWidget,
                   default_size: tuple[int, int]) -> None:
    """Geometry and current tab from ``settings`` (``default_size`` the first time)."""
    geometry = settings.value(KEY_GEOMETRY)
    if geometry is None or not window.restoreGeometry(geometry):
        window.resize(*default_size)
    tabs.setCurrentIndex(read_value(settings, KEY_TAB, 0))


def save_window(settings: QSettings, window: QMainWindow, tabs: QTabWidget) -> None:
    """Store geometry and current tab."""
    settings.setValue(KEY_GEOMETRY, window.saveGeometry())
    settings.setValue(KEY_TAB, tabs.currentIndex())
