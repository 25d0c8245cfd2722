"""What a screen reader gets: every widget a person operates, on every tab, has a name."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QScrollBar,
    QTabBar,
    QWidget,
)

from .conftest import TIMEOUT_MS

#: Widgets a person operates, whatever their focus policy.
OPERABLE = (
    QAbstractButton,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QAbstractItemView,
)


def accessible_name(widget: QWidget) -> str:
    """The name a screen reader announces for ``widget``."""
    interface = QAccessible.queryAccessibleInterface(widget)
    return "" if interface is None else interface.text(QAccessible.Text.Name).strip()


def is_operable(widget: QWidget) -> bool:
    """A control of its own: not a part of another (a spin box's line edit, a scroll area's
    scroll bars), and not a plain container that only scrolls."""
    if isinstance(widget, (QScrollBar, QHeaderView)) or widget.objectName().startswith("qt_"):
        return False  # parts of a scroll area or table, named by it
    if isinstance(widget, QLabel):
        return False  # read, not operated (selectable text takes a click): its text names it
    parent = widget.parentWidget()
    if isinstance(widget, QLineEdit) and isinstance(parent, (QAbstractSpinBox, QComboBox)):
        return False
    if isinstance(widget, OPERABLE):
        return True
    if isinstance(widget, (QAbstractScrollArea, QTabBar)) or type(widget) is QWidget:
        return False
    # a custom widget that takes the keyboard (the canvas, maps, plots, tiles…)
    return widget.focusPolicy() != Qt.FocusPolicy.NoFocus


def unnamed(root: QWidget) -> list[str]:
    """The visible operable widgets under ``root`` with no accessible name."""
    offenders = []
    for widget in root.findChildren(QWidget):
        if widget.isVisible() and is_operable(widget) and not accessible_name(widget):
            hint = widget.toolTip()[:50] or widget.objectName()
            offenders.append(
                f"{type(widget).__name__} ({hint!r})" if hint else type(widget).__name__
            )
    return offenders


def test_every_operable_widget_has_an_accessible_name(qtbot, window):
    window.show()
    qtbot.waitUntil(lambda: window.evaluation_panel.report is not None, timeout=TIMEOUT_MS)
    offenders = []
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        QApplication.processEvents()
        name = window.tabs.tabText(index)
        offenders += [f"{name}: {o}" for o in unnamed(window.tabs.currentWidget())]
    offenders += [f"status bar: {o}" for o in unnamed(window.statusBar())]
    assert not offenders, f"{len(offenders)} widgets without a name:\n" + "\n".join(offenders)


def test_the_busy_bar_says_what_it_waits_for(qtbot, window):
    window.show()
    window.run_gradient_check(20, 5, 0.0)
    assert window.busy.isVisible()
    assert accessible_name(window.busy) == window.busy_label.text() == "Checking the gradient…"
    qtbot.waitUntil(lambda: not window.busy.isVisible(), timeout=TIMEOUT_MS)
    assert not window.busy_label.isVisible()
