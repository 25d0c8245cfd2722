"""The keyboard's Tab order through a row of widgets."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QWidget


def set_tab_chain(chain: Sequence[QWidget]) -> None:
    """Tab goes from each widget of ``chain`` to the next, in order."""
    for first, second in zip(chain, chain[1:], strict=False):
        QWidget.setTabOrder(first, second)
