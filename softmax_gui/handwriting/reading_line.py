"""One line saying which model reads drawings and learns from corrections, with a button back
to the shipped model when another one does (the Draw and My handwriting tabs both show it)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget


class ReadingLine(QWidget):
    """ "Reading with: …" and "Use the shipped model"."""

    shipped_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = QLabel(self.tr("No model"))
        self.text.setWordWrap(True)
        self.text.setToolTip(
            self.tr("The model that reads your drawings; teaching adapts this one")
        )
        self.shipped_button = QPushButton(self.tr("Use the shipped model"))
        self.shipped_button.setToolTip(
            self.tr("Read and learn with the model that comes with the app (your samples are kept)")
        )
        self.shipped_button.clicked.connect(self.shipped_requested)
        self.shipped_button.hide()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.text, 1)
        row.addWidget(self.shipped_button)

    def set_reading(self, text: str, shipped: bool) -> None:
        """Say which model reads and learns; offer the shipped one when it is another."""
        self.text.setText(text)
        self.shipped_button.setVisible(not shipped)
