"""Entry point: ``softmax-gui`` (or ``python -m softmax_gui``)."""

from __future__ import annotations

import argparse
import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from softmax_gui import i18n, memory
from softmax_gui import settings as prefs
from softmax_gui.icon import app_icon
from softmax_gui.main_window import MainWindow

APP_DISPLAY_NAME = "Softmax GUI"


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="softmax-gui", description=APP_DISPLAY_NAME)
    parser.add_argument(
        "--language",
        choices=i18n.CHOICES,
        help="language for this run (default: the one chosen in the Language menu, "
        "else the system's)",
    )
    parser.add_argument(
        "--settings",
        metavar="INI",
        help=f"settings file to use instead of the user's (also ${prefs.SETTINGS_ENV})",
    )
    parser.add_argument("--model", metavar="NPZ", help="model to load at startup")
    parser.add_argument(
        "--data",
        metavar="DIR",
        help=f"folder for your handwriting samples instead of the user's "
        f"app-data folder (also ${prefs.DATA_ENV})",
    )
    return parser.parse_known_args(argv)[0]


def main(argv: list[str] | None = None) -> int:
    """Run the app until its window closes; returns the exit status."""
    argv = sys.argv if argv is None else argv
    args = _parse(argv[1:])
    # Fractional scale factors (125 %, 150 %) render crisply instead of being rounded.
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )
    memory.hand_large_arrays_back()  # before the dataset and models are allocated
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv)
    app.setOrganizationName(prefs.ORGANISATION)
    app.setApplicationName(prefs.APPLICATION)
    app.setApplicationDisplayName(APP_DISPLAY_NAME)
    # Dialogs and the task bar show it too, not only the main window.
    app.setWindowIcon(app_icon())
    # Before any widget is built: widgets translate their text when they set it.
    choice = args.language or i18n.read_choice(prefs.open_settings(args.settings))
    i18n.install(i18n.resolve(choice))
    kwargs = {"model_path": args.model} if args.model else {}
    window = MainWindow(settings_path=args.settings, data_dir=args.data, **kwargs)
    # Delete the window (and its plot widgets) before the interpreter exits.
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.show()
    return app.exec()
