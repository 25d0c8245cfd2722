"""The engine's words that the Train tab shows, for Qt's translation system.

The engine (which never imports Qt) spells the Train form's labels and help, its menus'
choices, the input maps' and the preprocessing versions' names and descriptions in English.
The GUI translates those *values* at display time, in the context ``engine_words``::

    QCoreApplication.translate("engine_words", option.label)

The entries below are there so that ``pyside6-lupdate`` finds every value (it extracts only
literals); ``tests/gui/test_engine_words.py`` checks that every value the engine can produce
has one, so a new or reworded engine text fails a test until it is listed here.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

#: Every engine text the Train tab shows, exactly as the engine spells it.
ENGINE_WORDS = (
    QT_TRANSLATE_NOOP("engine_words", "Inputs"),
    QT_TRANSLATE_NOOP(
        "engine_words",
        "what the model reads: a fixed map of each 28×28 image, fitted on the training images (the model stays linear in its inputs)",  # noqa: E501 (one literal, for lupdate)
    ),
    QT_TRANSLATE_NOOP("engine_words", "pixels — the classic"),
    QT_TRANSLATE_NOOP("engine_words", "the 784 grey levels themselves"),
    QT_TRANSLATE_NOOP("engine_words", "pixels + edge directions"),
    QT_TRANSLATE_NOOP(
        "engine_words",
        "the pixels, plus how strongly the ink's edges run in 8 directions in each 4×4 cell",
    ),
    QT_TRANSLATE_NOOP("engine_words", "Optimizer"),
    QT_TRANSLATE_NOOP("engine_words", "how the cost is minimised"),
    QT_TRANSLATE_NOOP("engine_words", "L-BFGS-B (full batch)"),
    QT_TRANSLATE_NOOP("engine_words", "SGD with momentum"),
    QT_TRANSLATE_NOOP("engine_words", "Max iterations"),
    QT_TRANSLATE_NOOP("engine_words", "iterations at most"),
    QT_TRANSLATE_NOOP("engine_words", "Epochs"),
    QT_TRANSLATE_NOOP("engine_words", "passes over the training set"),
    QT_TRANSLATE_NOOP("engine_words", "Learning rate"),
    QT_TRANSLATE_NOOP("engine_words", "step size at the start of the schedule"),
    QT_TRANSLATE_NOOP("engine_words", "Momentum"),
    QT_TRANSLATE_NOOP("engine_words", "share of the previous step kept in the next"),
    QT_TRANSLATE_NOOP("engine_words", "Batch size"),
    QT_TRANSLATE_NOOP("engine_words", "images per step"),
    QT_TRANSLATE_NOOP("engine_words", "LR schedule"),
    QT_TRANSLATE_NOOP("engine_words", "how the learning rate falls"),
    QT_TRANSLATE_NOOP("engine_words", "cosine decay"),
    QT_TRANSLATE_NOOP("engine_words", "constant"),
    QT_TRANSLATE_NOOP("engine_words", "step (×0.1 at 50%, 75%)"),
    QT_TRANSLATE_NOOP("engine_words", "Augmentation"),
    QT_TRANSLATE_NOOP("engine_words", "distort each mini-batch on the fly (labels kept)"),
    QT_TRANSLATE_NOOP("engine_words", "none"),
    QT_TRANSLATE_NOOP("engine_words", "light (shift, rotate, warp, pen)"),
    QT_TRANSLATE_NOOP("engine_words", "strong (more of each)"),
    QT_TRANSLATE_NOOP("engine_words", "pen width only"),
    QT_TRANSLATE_NOOP("engine_words", "L2 penalty"),
    QT_TRANSLATE_NOOP("engine_words", "weight of l2/2·‖W‖² in the cost"),
    QT_TRANSLATE_NOOP("engine_words", "Early-stop tolerance"),
    QT_TRANSLATE_NOOP(
        "engine_words",
        "stop early once the cost improves by no more than this: L-BFGS-B when an iteration lowers the cost by no more than this fraction of it (SciPy's ftol); SGD when an epoch's mean mini-batch cost is no more than this below the previous epoch's, so also when it rises (even with 0)",  # noqa: E501 (one literal, for lupdate)
    ),
    QT_TRANSLATE_NOOP("engine_words", "Seed"),
    QT_TRANSLATE_NOOP("engine_words", "seed of the starting weights and of SGD's order"),
    QT_TRANSLATE_NOOP("engine_words", "cosine"),
    QT_TRANSLATE_NOOP("engine_words", "step"),
    QT_TRANSLATE_NOOP("engine_words", "light"),
    QT_TRANSLATE_NOOP("engine_words", "strong"),
    QT_TRANSLATE_NOOP("engine_words", "pen"),
    QT_TRANSLATE_NOOP("engine_words", "pixels + random features"),
    QT_TRANSLATE_NOOP(
        "engine_words",
        "the pixels, plus 2,000 fixed random combinations of them cut at zero (never trained)",
    ),
    QT_TRANSLATE_NOOP("engine_words", "pixels + edges + random features"),
    QT_TRANSLATE_NOOP(
        "engine_words", "the pixels, the edge directions and 1,500 fixed random features"
    ),
    QT_TRANSLATE_NOOP("engine_words", "as published"),
    QT_TRANSLATE_NOOP(
        "engine_words",
        "dataset images as published; a drawing is cropped, scaled into a 20-px box and centred by its mass, the way MNIST was made",  # noqa: E501 (one literal, for lupdate)
    ),
    QT_TRANSLATE_NOOP("engine_words", "centred (v2)"),
    QT_TRANSLATE_NOOP(
        "engine_words",
        "version 1, with drawings' strokes normalised to MNIST's width, and drawings and dataset images deskewed alike",  # noqa: E501 (one literal, for lupdate)
    ),
    QT_TRANSLATE_NOOP("engine_words", "digit pipeline"),
    QT_TRANSLATE_NOOP(
        "engine_words",
        "drawings and dataset images through one renderer: strokes redrawn at one bold width, sized by the spread of their ink, centred and deskewed",  # noqa: E501 (one literal, for lupdate)
    ),
)
