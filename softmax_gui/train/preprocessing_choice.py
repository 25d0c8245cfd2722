"""The preprocessing choice next to the dataset: automatic, as published, or the digit pipeline.

Automatic prepares handwritten digits the way the current model expects and any other
dataset as published. The digit pipeline is offered only where it fits: not for a dataset
recognised as something other than digits (Fashion-MNIST, KMNIST).
"""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QComboBox, QLabel, QVBoxLayout, QWidget

import engine
from softmax_gui.train.form_fields import engine_text, sentence

AUTOMATIC = "automatic"
#: Versions offered in the menu (besides automatic).
OFFERED = (engine.AS_PUBLISHED, engine.PREPROCESSING_VERSION)


def version_name(version: int) -> str:
    """What a preprocessing version is called, with its number, e.g. ``"digit pipeline (3)"``
    (the engine's :func:`engine.describe_version`, in the UI language)."""
    known = engine.PREPROCESSING_VERSIONS.get(version)
    if known is None:
        return QCoreApplication.translate("preprocessing_choice", "version {n}").format(n=version)
    return QCoreApplication.translate("preprocessing_choice", "{name} ({n})").format(
        name=engine_text(known.name), n=version
    )


class PreprocessingChoice(QWidget):
    """A menu of preprocessing choices and a line on what the data and the model use."""

    #: The user picked another choice: the chosen version, or None for automatic.
    chosen = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.menu = QComboBox()
        self.menu.addItem(self.tr("Preprocessing: automatic"), None)
        for version in OFFERED:
            self.menu.addItem(
                self.tr("Preprocessing: {version}").format(version=version_name(version)), version
            )
            self.menu.setItemData(
                self.menu.count() - 1,
                sentence(engine_text(engine.PREPROCESSING_VERSIONS[version].description)),
                Qt.ItemDataRole.ToolTipRole,
            )
        tip = self.tr(
            "Automatic: handwritten digits as the current model expects them, any other "
            "dataset as published"
        )
        self.menu.setToolTip(tip)
        self.menu.setAccessibleName(self.tr("Preprocessing"))
        self.menu.setAccessibleDescription(tip)
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
        data_words = None if data is None else version_name(data.preprocessing_version)
        model_words = None if model is None else version_name(model.preprocessing_version)
        if data_words and model_words:
            text = self.tr("data: {data} · model expects: {model}").format(
                data=data_words, model=model_words
            )
        elif data_words:
            text = self.tr("data: {data}").format(data=data_words)
        elif model_words:
            text = self.tr("model expects: {model}").format(model=model_words)
        else:
            text = ""
        self.info.setText(text)
