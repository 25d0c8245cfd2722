"""The engine's words that the Draw, Gradient check and Evaluate tabs show, for translation.

The engine writes English (class names of the known datasets, what a model reads); the GUI
translates those values when it shows them, under the shared "engine_words" context.
A name with no entry (a user's own class names, digits) is shown as it is.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

#: Class names of the known datasets (digits are their own names): Fashion-MNIST's
#: garments and KMNIST's romanised syllables (translated to the kana they are).
CLASS_NAMES = (
    str(QT_TRANSLATE_NOOP("engine_words", "T-shirt/top")),
    str(QT_TRANSLATE_NOOP("engine_words", "Trouser")),
    str(QT_TRANSLATE_NOOP("engine_words", "Pullover")),
    str(QT_TRANSLATE_NOOP("engine_words", "Dress")),
    str(QT_TRANSLATE_NOOP("engine_words", "Coat")),
    str(QT_TRANSLATE_NOOP("engine_words", "Sandal")),
    str(QT_TRANSLATE_NOOP("engine_words", "Shirt")),
    str(QT_TRANSLATE_NOOP("engine_words", "Sneaker")),
    str(QT_TRANSLATE_NOOP("engine_words", "Bag")),
    str(QT_TRANSLATE_NOOP("engine_words", "Ankle boot")),
    str(QT_TRANSLATE_NOOP("engine_words", "o")),
    str(QT_TRANSLATE_NOOP("engine_words", "ki")),
    str(QT_TRANSLATE_NOOP("engine_words", "su")),
    str(QT_TRANSLATE_NOOP("engine_words", "tsu")),
    str(QT_TRANSLATE_NOOP("engine_words", "na")),
    str(QT_TRANSLATE_NOOP("engine_words", "ha")),
    str(QT_TRANSLATE_NOOP("engine_words", "ma")),
    str(QT_TRANSLATE_NOOP("engine_words", "ya")),
    str(QT_TRANSLATE_NOOP("engine_words", "re")),
    str(QT_TRANSLATE_NOOP("engine_words", "wo")),
)
#: What a model of a known dataset reads (``SoftmaxModel.subject``).
SUBJECTS = (
    str(QT_TRANSLATE_NOOP("engine_words", "handwritten digits")),
    str(QT_TRANSLATE_NOOP("engine_words", "clothing images")),
    str(QT_TRANSLATE_NOOP("engine_words", "cursive Japanese characters (Kuzushiji)")),
)


def engine_word(text: str) -> str:
    """``text`` (as the engine wrote it) in the user's language, or unchanged."""
    return QCoreApplication.translate("engine_words", text)


def class_names(names: tuple[str, ...]) -> tuple[str, ...]:
    """A model's class names as the user reads them."""
    return tuple(engine_word(name) for name in names)
