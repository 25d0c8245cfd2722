"""The Train tab for a keyboard and a screen reader: every control has an accessible name, the
plots say what they show now, the keys follow platform conventions (none is Print's Ctrl+P)
and are named in the tooltips, Esc stops a run only on the Train tab, the focus walks down
the controls column in reading order, and the plots follow a dark palette."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QColor, QKeySequence, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox

import engine
from softmax_gui.train.controls import RunState

from .conftest import ENDLESS_SGD, TIMEOUT_MS

SHORT_LBFGS = {"optimizer": "lbfgs", "max_iter": 5}


def accessible(widget, what=QAccessible.Text.Name) -> str:
    """What a screen reader gets (for a menu on Linux Qt gives its current entry as the name,
    and the name set on it through the label relation: the property is checked there)."""
    if what == QAccessible.Text.Name and isinstance(widget, QComboBox):
        return widget.accessibleName()
    interface = QAccessible.queryAccessibleInterface(widget)
    assert interface is not None
    return interface.text(what)


def test_every_field_of_the_form_is_named_and_described(window):
    panel = window.training_panel
    for name, option in engine.TrainConfig.options().items():
        field = getattr(panel, name)
        assert accessible(field) == option.label, name
        assert option.help.lower() in accessible(field, QAccessible.Text.Description).lower()


def test_the_views_of_the_tab_have_names(window):
    tab = window.train_tab
    named = {
        tab.plots.cost_plot: "Cost plot",
        tab.plots.error_plot: "Error rate plot",
        tab.weights.view: "Weight templates",
        tab.runs: "Runs",
        window.training_panel.progress: "Training progress",
        window.training_panel.preprocessing.menu: "Preprocessing",
    }
    for widget, name in named.items():
        assert accessible(widget) == name
        assert accessible(widget, QAccessible.Text.Description)


def test_the_plots_describe_the_latest_cost_and_test_error(qtbot, window):
    plots = window.plots
    assert "No run yet" in accessible(plots.cost_plot, QAccessible.Text.Description)
    window.training_panel.set_values(SHORT_LBFGS)
    with qtbot.waitSignal(window.training_finished, timeout=TIMEOUT_MS) as finished:
        window.start_training()
    last = finished.args[0].history[-1]
    cost = accessible(plots.cost_plot, QAccessible.Text.Description)
    error = accessible(plots.error_plot, QAccessible.Text.Description)
    assert f"cost {last.cost:.4f} at iteration {last.step}" in cost
    assert f"test error {last.test_error * 100:.2f}%" in error
    window.weights_view.flush()
    level = window.weights_view.colorbar.levels()[1]
    weights = accessible(window.weights_view.view, QAccessible.Text.Description)
    assert f"span −{level:.3g} to {level:.3g}" in weights


def keys(action) -> list[str]:
    return [k.toString() for k in action.shortcuts()]


def test_the_run_keys_follow_platform_conventions_and_are_in_the_tooltips(window):
    panel = window.training_panel
    actions = [
        panel.start_action,
        panel.pause_action,
        panel.stop_action,
        panel.reset_action,
        panel.step_action,
    ]
    print_keys = {k.toString() for k in QKeySequence.keyBindings(QKeySequence.StandardKey.Print)}
    for action in actions:
        assert not print_keys & set(keys(action)), action.text()
        for key in action.shortcuts():
            assert key.toString(QKeySequence.SequenceFormat.NativeText) in action.toolTip()
    assert "F6" in keys(panel.pause_action)
    assert "Shift+F5" not in keys(panel.stop_action)
    escape = QKeySequence(Qt.Key.Key_Escape).toString(QKeySequence.SequenceFormat.NativeText)
    assert escape in panel.stop_action.toolTip()  # Esc stops it on the Train tab


def start_endless(qtbot, window) -> None:
    window.training_panel.set_values(ENDLESS_SGD)
    with qtbot.waitSignal(window.training_progress, timeout=TIMEOUT_MS):
        window.start_training()


def test_esc_on_the_train_tab_stops_the_run(qtbot, window):
    window.show()
    window.tabs.setCurrentWidget(window.train_tab)
    start_endless(qtbot, window)
    window.activateWindow()
    focus = window.plots.x_axis
    focus.setFocus()
    with qtbot.waitSignal(window.training_finished, timeout=TIMEOUT_MS) as finished:
        QTest.keyClick(focus, Qt.Key.Key_Escape)
    assert finished.args[0].stop_reason is engine.StopReason.STOPPED


def test_esc_on_the_draw_tab_does_not_stop_the_run(qtbot, window):
    window.show()
    start_endless(qtbot, window)
    window.tabs.setCurrentWidget(window.draw_panel)
    window.canvas.setFocus()
    QTest.keyClick(window.canvas, Qt.Key.Key_Escape)
    QApplication.processEvents()
    assert window.training_panel.state is RunState.RUNNING
    with qtbot.waitSignal(window.training_finished, timeout=TIMEOUT_MS):
        window.stop_training()


def test_tab_walks_down_the_controls_column_in_reading_order(window):
    panel = window.training_panel
    fields = [getattr(panel, name) for name in engine.TrainConfig.options()]
    buttons = panel._run_buttons
    order = [
        *fields,
        panel.preprocessing.menu,
        panel.bundled_button,
        panel.folder_button,
        panel.personal_box,
        *buttons,
    ]
    chain, widget = [], order[0]
    for _ in range(500):  # the whole window's chain, from the first field
        if widget in order and widget not in chain:
            chain.append(widget)
        widget = widget.nextInFocusChain()
    assert chain == order


@pytest.fixture
def dark_palette(qapp):
    before = qapp.palette()
    dark = QPalette(before)
    for role, colour in (
        (QPalette.ColorRole.Window, QColor(32, 32, 32)),
        (QPalette.ColorRole.Base, QColor(24, 24, 24)),
        (QPalette.ColorRole.Text, QColor(230, 230, 230)),
        (QPalette.ColorRole.WindowText, QColor(230, 230, 230)),
    ):
        dark.setColor(role, colour)
    yield dark
    qapp.setPalette(before)


def test_the_plots_follow_a_switch_to_a_dark_palette(qapp, window, dark_palette):
    plots = [window.plots.cost_plot, window.plots.error_plot, window.weights_view.view]
    base = dark_palette.color(QPalette.ColorRole.Base)
    assert all(plot.backgroundBrush().color() != base for plot in plots)
    qapp.setPalette(dark_palette)
    QApplication.processEvents()
    for plot in plots:
        assert plot.backgroundBrush().color() == base
    text = dark_palette.color(QPalette.ColorRole.Text)
    axis = window.plots.cost_plot.getAxis("left")
    assert axis.textPen().color() == text
