"""The one place where an engine, worker or file error becomes a dialog.

Every failure the user should know about goes through :func:`show_error`, which shows one
modal message box (never a traceback). Tests replace ``show_error`` to record messages
instead of blocking on a modal dialog.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

#: Longest message shown in a dialog; engine messages name files and can get long.
MAX_MESSAGE_CHARS = 1200


def describe(exc: BaseException) -> str:
    """A one-paragraph, user-facing description of ``exc``."""
    if isinstance(exc, ValueError):
        text = str(exc)
    elif isinstance(exc, OSError):
        where = f": {exc.filename}" if exc.filename else ""
        text = f"{exc.strerror or exc}{where}"
    elif isinstance(exc, MemoryError):
        text = QCoreApplication.translate("errors", "Not enough memory for this operation.")
    else:
        text = f"{type(exc).__name__}: {exc}"
    if len(text) > MAX_MESSAGE_CHARS:
        text = text[:MAX_MESSAGE_CHARS] + "…"
    return text or type(exc).__name__


def show_error(parent: QWidget | None, title: str, message: str, *, warning: bool = False) -> None:
    """Show ``message`` in one modal dialog (a warning icon instead of an error when asked)."""
    icon = QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Critical
    box = QMessageBox(icon, title, message, QMessageBox.StandardButton.Ok, parent)
    box.exec()
