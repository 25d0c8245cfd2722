"""The Gradient check and Evaluate tabs for a screen reader: named widgets, gallery tiles
that say which image they are, confusion cells that say what they count."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QWidget

from .conftest import TIMEOUT_MS
from .test_draw_accessibility import operable, spoken
from .test_evaluation_gallery import shown_panel


def unnamed(root: QWidget) -> list[str]:
    return [
        type(w).__name__ for w in operable(root) if not spoken(w, QAccessible.Text.Name).strip()
    ]


def test_every_operable_widget_of_the_gradient_check_has_a_name(qtbot, window):
    panel = window.gradcheck_panel
    panel.n_checks.setValue(20)
    with qtbot.waitSignal(window.gradcheck_finished, timeout=TIMEOUT_MS):
        panel.run_action.trigger()
    assert len(operable(panel)) >= 5
    assert unnamed(panel) == []
    assert spoken(panel.n_checks, QAccessible.Text.Name) == "Coordinates checked"
    summary = spoken(panel.scatter_plot, QAccessible.Text.Description)
    assert summary.startswith("PASS at a random point: 20 coordinates")


def test_a_failing_check_is_told_by_word_and_mark_not_colour_alone(qtbot, window):
    panel = window.gradcheck_panel
    panel.n_checks.setValue(20)
    with qtbot.waitSignal(window.gradcheck_finished, timeout=TIMEOUT_MS) as finished:
        panel.run_action.trigger()
    result = finished.args[0]
    threshold = float(np.median(result.rel_error))  # half the points fail this one
    failing = replace(result, threshold=threshold, passed=False)
    panel.show_result(failing)
    assert panel.verdict.text() == "FAIL at a random point"
    expected = ["x" if r > threshold else "o" for r in result.rel_error]
    assert list(panel.points.data["symbol"]) == expected
    assert set(expected) == {"x", "o"}


def test_every_operable_widget_of_the_evaluation_has_a_name(qtbot, window):
    panel = shown_panel(qtbot, window)
    assert unnamed(panel) == []
    assert spoken(panel.table, QAccessible.Text.Name) == "Confusion matrix"


def test_gallery_tiles_name_their_image(qtbot, window, small_data):
    panel = shown_panel(qtbot, window)
    predicted = window.model.predict(small_data.X_test)
    assert panel.gallery.count() > 0
    for row in range(min(panel.gallery.count(), 20)):
        item = panel.gallery.item(row)
        i = int(item.data(Qt.ItemDataRole.UserRole))
        assert item.data(Qt.ItemDataRole.AccessibleTextRole) == (
            f"test image {i}: true {small_data.y_test[i]}, read as {predicted[i]}"
        )
    # and that is what the list tells a screen reader about its first tile
    tile = QAccessible.queryAccessibleInterface(panel.gallery).child(0)
    assert tile.text(QAccessible.Text.Name).startswith("test image ")


def test_confusion_cells_say_what_they_count(qtbot, window, small_data):
    panel = shown_panel(qtbot, window)
    confusion = panel.evaluation.confusion
    t, p = np.unravel_index(np.argmax(confusion - np.diag(np.diag(confusion))), confusion.shape)
    cell = panel.table.item(int(t), int(p))
    assert cell.data(Qt.ItemDataRole.AccessibleTextRole) == (
        f"true {t}, predicted {p}: {int(confusion[t, p]):,}"
    )
    assert panel.table.item(int(t), int(t)).font().bold()  # the diagonal: bold as well as blue
    assert not cell.font().bold()


def test_enter_on_a_confusion_cell_opens_its_images(qtbot, window):
    panel = shown_panel(qtbot, window)
    panel.table.setFocus()
    panel.table.setCurrentCell(3, 3)
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    assert "True 3, predicted 3" in panel.gallery_caption.text()
