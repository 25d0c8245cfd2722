"""STUB — being replaced by the drawing-panel implementation. Interface only.

DrawPanel: drawing canvas + 28×28 preview + probability bars + evidence map.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from engine import SoftmaxModel


class DrawPanel(QWidget):
    """Canvas and live prediction view."""

    #: 10 class probabilities (np.ndarray, float) after each (throttled) canvas change,
    #: or None when the canvas is empty. Emitted on the UI thread.
    prediction_changed = Signal(object)
    #: The user asked for a random MNIST test digit (the window owns the data).
    random_digit_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.canvas = QWidget(self)  # the real one is a DrawingCanvas taking mouse events
        QVBoxLayout(self).addWidget(self.canvas)
        self._model: SoftmaxModel | None = None

    def set_model(self, model: SoftmaxModel) -> None:
        """Use ``model`` for predictions from now on (re-predicts the current drawing)."""
        self._model = model

    def show_digit(self, image: np.ndarray) -> None:
        """Put a 28×28 ink-bright image (floats in [0, 1]) on the canvas, upscaled."""

    def clear(self) -> None:
        """Erase the canvas (undoable)."""
