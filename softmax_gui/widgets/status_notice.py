"""The status bar's notice of a problem with the user's own files, shown until dismissed."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QLabel, QStatusBar

#: The notices' short texts, in English: they name a notice (shown translated).
SAMPLES_NOTICE = str(
    QT_TRANSLATE_NOOP(
        "status_notice", "⚠ Your handwriting samples could not be read: see My handwriting"
    )
)
MODEL_NOTICE = str(
    QT_TRANSLATE_NOOP(
        "status_notice", "⚠ The model to open could not be read: using the shipped one"
    )
)


class StatusNotice(QLabel):
    """A permanent status-bar label: hidden until :meth:`show_notice`, and again once every
    notice shown is dismissed (:meth:`dismiss` also clears the bar's message)."""

    def __init__(self, status_bar: QStatusBar) -> None:
        super().__init__()
        self._bar = status_bar
        self._notices: dict[str, str] = {}  # short text (English) -> the whole story
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

    def notices(self) -> dict[str, str]:
        """The notices shown: short text (English, as passed) -> the whole story."""
        return dict(self._notices)

    def _refresh(self) -> None:
        shown = [QCoreApplication.translate("status_notice", short) for short in self._notices]
        self.setText(" · ".join(shown))
        self.setToolTip("\n\n".join(self._notices.values()))
        self.setAccessibleDescription(self.toolTip())
        self.setVisible(bool(self._notices))
