"""Setting what a screen reader reads of a widget, and announcing a change of it."""

from __future__ import annotations

from PySide6.QtGui import QAccessible, QAccessibleEvent
from PySide6.QtWidgets import QWidget


def set_name(widget: QWidget, name: str) -> None:
    """Give ``widget`` the accessible name ``name``; announce it when it changed."""
    if widget.accessibleName() != name:
        widget.setAccessibleName(name)
        QAccessible.updateAccessibility(QAccessibleEvent(widget, QAccessible.Event.NameChanged))


def set_description(widget: QWidget, text: str) -> None:
    """Give ``widget`` the accessible description ``text``; announce it when it changed."""
    if widget.accessibleDescription() != text:
        widget.setAccessibleDescription(text)
        event = QAccessibleEvent(widget, QAccessible.Event.DescriptionChanged)
        QAccessible.updateAccessibility(event)


def signed(text: str) -> str:
    """A formatted number with its sign always written: ``+0.012``, ``−0.004``, ``0``."""
    return text if text.startswith("−") or text == "0" else f"+{text}"
