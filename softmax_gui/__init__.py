"""Softmax GUI: watch a softmax regression learn MNIST, check its gradient, then draw.

``MainWindow`` can be built with no arguments once a ``QApplication`` exists.
"""

from __future__ import annotations

from softmax_gui.main_window import MainWindow

__all__ = ["MainWindow"]
