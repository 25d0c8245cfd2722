"""The application icon, read from the bundled resources wherever they are installed."""

from __future__ import annotations

from PySide6.QtGui import QIcon

import engine

ICON_PATH = engine.RESOURCES_DIR / "icons" / "softmax-gui.svg"


def app_icon() -> QIcon:
    """The app's icon (an SVG, crisp at any size); null if the file is missing."""
    return QIcon(str(ICON_PATH))
