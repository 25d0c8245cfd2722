"""The preprocessing choice next to the dataset: automatic, as published, or the digit pipeline.

Automatic prepares handwritten digits the way the current model expects and any other
dataset as published. The digit pipeline is offered only where it fits: not for a dataset
recognised as something other than digits (Fashion-MNIST, KMNIST).
"""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import Signal
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QComboBox, QLabel, QVBoxLayout, QWidget

import engine
from engine import describe_version

AUTOMATIC = "automatic"
#: Versions offered in the menu (besides automatic).
OFFERED = (engine.AS_PUBLISHED, engine.PREPROCESSING_VERSION)


class PreprocessingChoice(QWidget):
    """A menu of preprocessing choices and a line on what the data and the model use."""

    #: The user picked another choice: the chosen version, or None for automatic.
    chosen = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.menu = QComboBox()
        self.menu.addItem("Preprocessing: automatic", None)
        for version in OFFERED:
            self.menu.addItem(f"Preprocessing: {describe_version(version)}", version)
        self.menu.setToolTip(
            "Automatic: handwritten digits as the current model expects them, any other "
            "dataset as published"
        )
        self.menu.activated.connect(lambda _: self.chosen.emit(self.choice()))
        self.info = QLabel("")
        self.info.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.menu)
        layout.addWidget(self.info)

    def choice(self) -> int | None:
        """The chosen preprocessing version, or None for automatic."""
        return self.menu.currentData()

    def set_choice(self, version: int | None) -> None:
        index = self.menu.findData(version)
        self.menu.setCurrentIndex(max(index, 0))

    def show_state(self, data: engine.Dataset | None, model: engine.SoftmaxModel | None) -> None:
        """Say which preprocessing the data got and the model expects; offer the digit
        pipeline only where it fits ``data``."""
        fits = data is None or engine.digit_pipeline_fits(data)
        items = cast(QStandardItemModel, self.menu.model())  # a QComboBox's own model
        for version in OFFERED:
            if engine.PREPROCESSING_VERSIONS[version].digits_only:
                items.item(self.menu.findData(version)).setEnabled(fits)
        choice = self.choice()
        if not fits and choice is not None and engine.PREPROCESSING_VERSIONS[choice].digits_only:
            self.set_choice(None)
        parts = []
        if data is not None:
            parts.append(f"data: {describe_version(data.preprocessing_version)}")
        if model is not None:
            parts.append(f"model expects: {describe_version(model.preprocessing_version)}")
        self.info.setText(" · ".join(parts))
