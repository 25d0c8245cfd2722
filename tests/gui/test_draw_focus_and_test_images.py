"""The Draw tab right after switching to it, and test images put on its canvas."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

TIMEOUT_MS = 30_000


def test_the_canvas_takes_the_keyboard_when_the_draw_tab_is_shown(qtbot, window):
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    window.tabs.setCurrentWidget(window.train_tab)
    window.draw_panel.show_digit(window.dataset.X_test[0])  # something on the page
    assert not window.canvas.is_blank()
    window.tabs.setCurrentWidget(window.draw_panel)
    qtbot.waitUntil(lambda: window.canvas.hasFocus(), timeout=TIMEOUT_MS)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Delete)  # no click on it first
    assert window.canvas.is_blank()
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert not window.canvas.is_blank()


def test_a_test_image_shows_its_index_and_true_label(qtbot, window):
    data = window.dataset
    window.show_test_image(7)
    status = window.draw_panel.status.text()
    assert f"#7 of {data.name}" in status and f"true: {int(data.y_test[7])}" in status
    np.testing.assert_array_equal(window.draw_panel.model_input().ravel(), data.X_test[7])
    assert window.tabs.currentWidget() is window.draw_panel


def test_a_random_test_image_is_one_of_the_test_set_with_its_label(qtbot, window):
    window.draw_panel.random_button.click()
    status = window.draw_panel.status.text()
    index = int(status.split("#")[1].split(" ")[0].replace(",", ""))
    np.testing.assert_array_equal(
        window.draw_panel.model_input().ravel(), window.dataset.X_test[index]
    )
    assert f"true: {int(window.dataset.y_test[index])}" in status


def test_a_gallery_pick_goes_to_the_canvas_with_its_label(qtbot, window):
    panel = window.evaluation_panel
    qtbot.waitUntil(lambda: panel.gallery.count() > 0, timeout=TIMEOUT_MS)
    item = panel.gallery.item(0)
    panel.gallery.itemActivated.emit(item)
    index = int(item.data(Qt.ItemDataRole.UserRole))
    assert f"#{index:,} of" in window.draw_panel.status.text()
    assert item.text().split("→")[0] in window.draw_panel.status.text()
