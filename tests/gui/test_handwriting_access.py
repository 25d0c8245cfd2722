"""My handwriting for a keyboard and a screen reader: every tile is named in words (its number,
the digit taught, what the model reads it as, a conflict), the grid is operated with the arrow
keys, Delete and Ctrl+Z, every control has a name, Tab runs through the tab in reading order,
and a conflict is shown in the warning colour and in words."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox, QListWidget

import engine
from softmax_gui.handwriting.conflicts import conflicting_labels
from softmax_gui.handwriting.tab import HandwritingView
from softmax_gui.widgets.colours import WARNING_COLOUR

from .conftest import TIMEOUT_MS

#: Taught labels of the samples below, in order; samples 0 and 3 are the same image.
LABELS = [7, 7, 2, 4]


@pytest.fixture
def samples(small_data) -> engine.PersonalSamples:
    """Four test images taught as LABELS; the last repeats the first, taught as 4."""
    rows = [0, 1, 2, 0]
    X = small_data.X_test[rows].astype(np.float32)
    if X.max() > 1:
        X = X / np.float32(255)
    drawings = np.zeros((len(rows), engine.DRAWING_SIDE, engine.DRAWING_SIDE), np.uint8)
    return engine.PersonalSamples(X, np.array(LABELS), drawings, small_data.preprocessing_version)


@pytest.fixture
def view(qtbot, samples, pixel_model) -> HandwritingView:
    """The tab on its own, shown, with the samples and the model that reads them."""
    view = HandwritingView()
    qtbot.addWidget(view)
    view.resize(1100, 700)
    view.show_samples(samples, conflicting_labels(samples))
    view.set_model(pixel_model, "pixel model")
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    qtbot.waitActive(view)
    return view


def item_name(view: HandwritingView, index: int) -> str:
    """What a screen reader says for the tile of sample ``index``."""
    tiles = view.tiles[LABELS[index]]
    row = [tiles.item(r).data(Qt.ItemDataRole.UserRole) for r in range(tiles.count())].index(index)
    cell = QAccessible.queryAccessibleInterface(tiles).child(row)
    return cell.text(QAccessible.Text.Name)


def test_every_tile_is_named_with_its_digit_its_reading_and_any_conflict(
    view, samples, pixel_model
):
    read_as = pixel_model.predict(samples.X)
    assert item_name(view, 1) == f"Sample 2, taught as 7, read as {read_as[1]}"
    assert item_name(view, 2) == f"Sample 3, taught as 2, read as {read_as[2]}"
    assert item_name(view, 0) == (
        f"Sample 1, taught as 7, read as {read_as[0]}. "
        "Conflict: the same drawing was also taught as 4"
    )
    assert item_name(view, 3).endswith("Conflict: the same drawing was also taught as 7")


def test_the_tile_names_follow_the_model_that_reads(view, samples, pixel_model):
    W = np.zeros_like(pixel_model.W)
    b = np.eye(pixel_model.n_classes, dtype=np.float32)[5]  # reads everything as 5
    version = pixel_model.preprocessing_version
    view.set_model(engine.SoftmaxModel(W, b, preprocessing_version=version))
    assert item_name(view, 2) == "Sample 3, taught as 2, read as 5"


def test_a_conflict_is_in_the_warning_colour_and_in_words(view):
    text = view.conflicts.text()
    assert view.conflicts.isVisible()
    assert WARNING_COLOUR.name().lower() in text.lower() and "Conflict:" in text
    assert "2 samples are the same drawing taught as different digits" in text


def test_every_control_has_a_name(view):
    controls = [
        w
        for w in view.findChildren(QAbstractButton)
        + view.findChildren(QComboBox)
        + view.findChildren(QListWidget)
        if w.isVisible()
    ]
    assert len(controls) >= 8
    for w in controls:
        name = QAccessible.queryAccessibleInterface(w).text(QAccessible.Text.Name)
        assert name.strip(), f"{type(w).__name__} {w.objectName()!r} has no accessible name"
    assert view.tiles[7].accessibleName() == "Samples taught as 7"


def key(qtbot, modifier=Qt.KeyboardModifier.NoModifier, *, code: Qt.Key) -> None:
    qtbot.keyClick(QApplication.focusWidget(), code, modifier)


def test_the_grid_is_operated_from_the_keyboard(qtbot, view):
    view.tiles[2].setFocus()  # the first row with samples, in Tab order
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view.tiles[2], timeout=TIMEOUT_MS)
    key(qtbot, code=Qt.Key.Key_Space)  # the row's first tile is current: selects it
    assert view.selected() == [2]
    key(qtbot, code=Qt.Key.Key_Down)  # to the next digit that has samples: 4
    assert QApplication.focusWidget() is view.tiles[4] and view.selected() == [3]
    key(qtbot, code=Qt.Key.Key_Down)  # then 7, at the same column
    assert view.selected() == [0]
    key(qtbot, code=Qt.Key.Key_Right)
    assert view.selected() == [1]
    key(qtbot, code=Qt.Key.Key_Up)
    assert view.selected() == [3]  # back to 4, its only tile
    with qtbot.waitSignal(view.delete_requested, timeout=TIMEOUT_MS) as deleted:
        key(qtbot, code=Qt.Key.Key_Delete)
    assert deleted.args == [[3]]
    with qtbot.waitSignal(view.undo_requested, timeout=TIMEOUT_MS):
        key(qtbot, Qt.KeyboardModifier.ControlModifier, code=Qt.Key.Key_Z)


def test_tab_runs_down_the_rows_then_through_the_side_column(qtbot, view):
    view.tiles[2].setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view.tiles[2], timeout=TIMEOUT_MS)
    view.select([2])  # so that Delete and Relabel are enabled and take part in the chain
    seen = [QApplication.focusWidget()]
    for _ in range(7):
        key(qtbot, code=Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    assert seen == [
        view.tiles[2],
        view.tiles[4],
        view.tiles[7],
        view.use_box,
        view.delete_button,
        view.relabel_button,
        view.relabel_digit,
        view.delete_all_button,
    ]
