"""The status bar's notice of a problem with the user's own files, shown until dismissed."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QStatusBar

SAMPLES_NOTICE = "⚠ Your handwriting samples could not be read: see My handwriting"
MODEL_NOTICE = "⚠ The model to open could not be read: using the shipped one"


class StatusNotice(QLabel):
    """A permanent status-bar label: hidden until :meth:`show_notice`, and again once every
    notice shown is dismissed (:meth:`dismiss` also clears the bar's message)."""

    def __init__(self, status_bar: QStatusBar) -> None:
        super().__init__()
        self._bar = status_bar
        self._notices: dict[str, str] = {}  # short text -> the whole story
        self.hide()
        status_bar.addPermanentWidget(self)

    def show_notice(self, text: str, short: str = SAMPLES_NOTICE) -> None:
        """Show the ``short`` notice, ``text`` (the whole story) as tooltip and message."""
        self._notices[short] = text
        self._refresh()
        self._bar.showMessage(text)

    def dismiss(self, short: str = SAMPLES_NOTICE) -> None:
        """Take the ``short`` notice away (hidden when none is left)."""
        if self._notices.pop(short, None) is not None:
            self._bar.clearMessage()
        self._refresh()

    def _refresh(self) -> None:
        self.setText(" · ".join(self._notices))
        self.setToolTip("\n\n".join(self._notices.values()))
        self.setVisible(bool(self._notices))
