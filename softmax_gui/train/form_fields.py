"""The Train form's editors, made from the engine's option metadata, and the time format the
tab uses: a spin box for rates and penalties that steps 1-2-5, one editor per config field
(its choices translated), and ``m:ss`` times."""

from __future__ import annotations

import bisect
import math

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QSpinBox, QWidget

import engine

#: The 1-2-5 ladder that scientific spin boxes step along.
LADDER = tuple(m * 10.0**e for e in range(-9, 7) for m in (1, 2, 5))


class SciSpinBox(QDoubleSpinBox):
    """A spin box for rates and penalties: shows ``1e-04``-style values, steps 1-2-5."""

    def __init__(self, minimum: float, maximum: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDecimals(12)  # QDoubleSpinBox rounds stored values to this many decimals
        self.setRange(minimum, maximum)
        self.setKeyboardTracking(False)

    def textFromValue(self, value: float) -> str:
        return f"{value:.4g}"

    def valueFromText(self, text: str) -> float:
        return float(text)

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        try:
            value = float(text)
        except ValueError:
            return QValidator.State.Intermediate, text, pos
        ok = self.minimum() <= value <= self.maximum()
        return (QValidator.State.Acceptable if ok else QValidator.State.Intermediate), text, pos

    def stepBy(self, steps: int) -> None:
        value = self.value()
        i = bisect.bisect_left(LADDER, value * (1 - 1e-9))
        exact = i < len(LADDER) and abs(LADDER[i] - value) <= 1e-9 * value
        j = i + steps if exact or steps < 0 else i + steps - 1
        new = 0.0 if j < 0 else LADDER[min(j, len(LADDER) - 1)]
        self.setValue(min(max(new, self.minimum()), self.maximum()))


#: The editors of the form's fields.
Field = QComboBox | QSpinBox | QDoubleSpinBox


def engine_text(text: str) -> str:
    """An engine text (listed in :mod:`~softmax_gui.train.engine_words`) in the UI language."""
    return QCoreApplication.translate("engine_words", text)


def sentence(text: str) -> str:
    """``"images per step"`` -> ``"Images per step."``: a help line as a tooltip sentence
    (a Chinese help line gets the full-width stop)."""
    if not text:
        return text
    stop = "。" if any("\u4e00" <= ch <= "\u9fff" for ch in text) else "."
    return f"{text[:1].upper()}{text[1:]}{stop}"


def option_help(option: engine.Option) -> str:
    """The help of ``option`` as its field's tooltip, naming the optimizer it is for."""
    help_text = engine_text(option.help)
    if option.only is None:
        return sentence(help_text)
    return sentence(
        QCoreApplication.translate("form_fields", "{optimizer} only: {help}").format(
            optimizer=engine.OPTIMIZERS[option.only].short, help=help_text
        )
    )


def field_widget(option: engine.Option, default: object) -> Field:
    """The form's editor for one config field: a menu of its choices, or a spin box over
    its range (whole numbers for an integer field)."""
    if option.choices is not None:
        menu = QComboBox()
        for key, choice in option.choices.items():
            menu.addItem(engine_text(choice.text), key)
            if choice.help:
                tip = sentence(engine_text(choice.help))
                menu.setItemData(menu.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
        return menu
    low = 0.0 if option.low is None else option.low
    high = math.inf if option.high is None else option.high
    if option.scientific:
        return SciSpinBox(low, high)
    step = 1.0 if option.step is None else option.step
    if isinstance(default, int):
        return QSpinBox(minimum=int(low), maximum=int(high), singleStep=int(step))
    decimals = max(0, -math.floor(math.log10(step)))  # 0.05 -> 2
    return QDoubleSpinBox(minimum=low, maximum=high, singleStep=step, decimals=decimals)


def format_seconds(seconds: float) -> str:
    """``75.3`` -> ``"1:15"``."""
    minutes, secs = divmod(int(round(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
