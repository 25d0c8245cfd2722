"""A gradient-check coordinate in the user's language, worded from the engine's data
(:class:`engine.Coordinate`): "pixel 523 = row 18, column 19; class 8"."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from engine import Coordinate
from softmax_gui.checks.engine_words import engine_word


def describe(c: Coordinate) -> str:
    """What coordinate ``c`` is, as a sentence (the class by number, and by name if it has
    one that is not its number)."""
    if c.class_name is None:
        cls = QCoreApplication.translate("coordinates", "class {j}").format(j=c.j)
    else:
        cls = QCoreApplication.translate("coordinates", "class {j} ({name})").format(
            j=c.j, name=engine_word(c.class_name)
        )
    if c.i is None:
        return QCoreApplication.translate("coordinates", "bias of {cls}").format(cls=cls)
    if c.row is not None:
        return QCoreApplication.translate(
            "coordinates", "pixel {i} = row {row}, column {column}; {cls}"
        ).format(i=c.i, row=c.row, column=c.column, cls=cls)
    return QCoreApplication.translate("coordinates", "input feature {i}; {cls}").format(
        i=c.i, cls=cls
    )
