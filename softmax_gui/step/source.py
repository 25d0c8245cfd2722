"""What the step looks at: the drawing on the Draw tab, one test image, or a random
mini-batch of training images — the controls only; the tab fetches the images.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QWidget,
)

#: The largest mini-batch: every stage is redrawn on the UI thread, in well under 100 ms.
MAX_BATCH = 100
DEFAULT_BATCH = 16


class Source(enum.Enum):
    DRAWING = "The drawing on the Draw tab"
    TEST_IMAGE = "A test image"
    BATCH = "A random mini-batch of training images"


class SourcePicker(QWidget):
    """A source, and the few settings of each one (label, index, batch size)."""

    #: The choice or a setting changed: read the inputs again.
    changed = Signal()
    #: The user asked for a new random pick (another test image or batch).
    reroll = Signal()
    #: The drawing's label ``y`` was chosen.
    label_chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = QComboBox()
        for source in Source:
            self.kind.addItem(source.value, source)
        self.kind.setToolTip("What the step is computed on")
        self.label = QComboBox()
        self.label.setToolTip(
            "The class y this drawing should be: the loss and the gradient are for this label"
        )
        self.reread = QPushButton("Read the drawing again")
        self.index = QSpinBox(minimum=0, maximum=0)
        self.index.setKeyboardTracking(False)
        self.random_image = QPushButton("Random")
        self.batch_size = QSpinBox(minimum=1, maximum=MAX_BATCH, value=DEFAULT_BATCH)
        self.batch_size.setKeyboardTracking(False)
        self.batch_size.setToolTip(f"m, the number of training images in the batch (≤ {MAX_BATCH})")
        self.new_batch = QPushButton("New batch")
        self.stack = QStackedWidget()
        self.stack.addWidget(_row(QLabel("it is a"), self.label, self.reread))
        self.stack.addWidget(_row(QLabel("index"), self.index, self.random_image))
        self.stack.addWidget(_row(QLabel("m ="), self.batch_size, self.new_batch))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Look at"))
        layout.addWidget(self.kind)
        layout.addWidget(self.stack)
        self.kind.currentIndexChanged.connect(self.stack.setCurrentIndex)
        self.kind.currentIndexChanged.connect(self.changed)
        self.reread.clicked.connect(self.changed)
        self.index.valueChanged.connect(self.changed)
        self.batch_size.valueChanged.connect(self.reroll)
        self.random_image.clicked.connect(self.reroll)
        self.new_batch.clicked.connect(self.reroll)
        self.label.activated.connect(self.label_chosen)

    def source(self) -> Source:
        """The chosen source."""
        return Source(self.kind.currentData())

    def set_source(self, source: Source) -> None:
        """Choose ``source`` (as if picked in the list)."""
        self.kind.setCurrentIndex(list(Source).index(source))

    def set_class_names(self, names: Sequence[str]) -> None:
        """The drawing's label choices."""
        current = self.label.currentIndex()
        self.label.clear()
        for k, name in enumerate(names):
            self.label.addItem(name, k)
        self.label.setCurrentIndex(max(current, 0))

    def set_label(self, k: int) -> None:
        """Show ``k`` as the drawing's label without emitting :attr:`label_chosen`."""
        self.label.setCurrentIndex(k)

    def set_test_count(self, n: int) -> None:
        """Allow test indices ``0 … n-1``."""
        self.index.setMaximum(max(n - 1, 0))


def _row(*widgets: QWidget) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget)
    layout.addStretch(1)
    return row
