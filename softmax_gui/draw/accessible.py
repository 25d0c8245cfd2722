"""Readings a screen reader announces: a widget's accessible description, kept current."""

from __future__ import annotations

from PySide6.QtGui import QAccessible, QAccessibleEvent
from PySide6.QtWidgets import QWidget


def announce(widget: QWidget, text: str) -> None:
    """Make ``text`` ``widget``'s accessible description and tell assistive technology that
    it changed (nothing happens when it is the same text)."""
    if widget.accessibleDescription() == text:
        return
    widget.setAccessibleDescription(text)
    QAccessible.updateAccessibility(QAccessibleEvent(widget, QAccessible.Event.DescriptionChanged))
