"""The status bar's notice of a problem with the user's own files, shown until dismissed."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QStatusBar

SAMPLES_NOTICE = "⚠ Your handwriting samples could not be read: see My handwriting"


class StatusNotice(QLabel):
    """A permanent status-bar label: hidden until :meth:`show_notice`, and again after
    :meth:`dismiss` (which also clears the bar's message)."""

    def __init__(self, status_bar: QStatusBar) -> None:
        super().__init__()
        self._bar = status_bar
        self.hide()
        status_bar.addPermanentWidget(self)

    def show_notice(self, text: str) -> None:
        """Show the short notice, ``text`` (the whole story) as tooltip and message."""
        self.setText(SAMPLES_NOTICE)
        self.setToolTip(text)
        self.show()
        self._bar.showMessage(text)

    def dismiss(self) -> None:
        self.hide()
        self._bar.clearMessage()
