"""The app has its own icon (not Qt's blank default), drawn crisply from tiny to large sizes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize

from softmax_gui import MainWindow
from softmax_gui.icon import ICON_PATH, app_icon

#: Task bar / title bar sizes up to a launcher's.
ICON_SIZES = (16, 32, 256)


def test_icon_ships_with_the_bundled_resources():
    assert ICON_PATH.is_file()
    assert not app_icon().isNull()


@pytest.mark.parametrize("size", ICON_SIZES)
def test_main_window_shows_the_app_icon(qtbot, size):
    window = MainWindow(model_path=None)
    qtbot.addWidget(window)
    image = window.windowIcon().pixmap(size, size).toImage()
    assert image.size() == QSize(size, size)
    # drawn, not an empty square: the centre is opaque and both the dark background and the
    # light digit stroke are there
    assert image.pixelColor(size // 2, size // 2).alpha() == 255
    colours = (image.pixelColor(x, y) for x in range(size) for y in range(size))
    lightness = [c.lightness() for c in colours if c.alpha() == 255]
    assert min(lightness) < 64 < 192 < max(lightness)
