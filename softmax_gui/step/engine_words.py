"""How the tab words what the engine names: the stages of a step (the keys of
:data:`engine.STEP_NUMPY_LINES`) and the parts of an input map (``InputMap.parts`` names).

The engine's names are identifiers, not text for a person; each gets its wording here,
marked for translation in the ``engine_words`` context and translated when shown.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

#: Stage key -> its name, shown in brackets after the stage's formula.
STAGE_NAMES: dict[str, str] = {
    "weighted": str(QT_TRANSLATE_NOOP("engine_words", "x · column j of W")),
    "bias": str(QT_TRANSLATE_NOOP("engine_words", "bias")),
    "logits": str(QT_TRANSLATE_NOOP("engine_words", "scores")),
    "shifted": str(QT_TRANSLATE_NOOP("engine_words", "minus the largest score")),
    "exp": str(QT_TRANSLATE_NOOP("engine_words", "exponentials")),
    "probabilities": str(QT_TRANSLATE_NOOP("engine_words", "softmax")),
    "one_hot": str(QT_TRANSLATE_NOOP("engine_words", "one-hot")),
    "error": str(QT_TRANSLATE_NOOP("engine_words", "error")),
    "loss": str(QT_TRANSLATE_NOOP("engine_words", "loss")),
    "batch_loss": str(QT_TRANSLATE_NOOP("engine_words", "mean loss of the batch")),
    "l2_loss": str(QT_TRANSLATE_NOOP("engine_words", "L2 part")),
}

#: Input-map part name -> what that part of x is, ``{n}`` its number of features.
PART_WORDS: dict[str, str] = {
    "pixels": str(QT_TRANSLATE_NOOP("engine_words", "its {n} pixels")),
    "edges": str(QT_TRANSLATE_NOOP("engine_words", "{n} edge-direction features")),
    "random": str(QT_TRANSLATE_NOOP("engine_words", "{n} random features")),
}


def stage_name(key: str) -> str:
    """The stage ``key`` of :data:`engine.STEP_NUMPY_LINES` in the reader's language."""
    return QCoreApplication.translate("engine_words", STAGE_NAMES[key])


def part_words(name: str, n: int) -> str:
    """The input-map part ``name`` of ``n`` features in the reader's language."""
    return QCoreApplication.translate("engine_words", PART_WORDS[name]).format(n=f"{n:,}")
