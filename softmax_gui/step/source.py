"""What the step looks at: the drawing on the Draw tab, one test image, or a random
mini-batch of training images — the controls only; the tab fetches the images.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
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
    DRAWING = str(QT_TRANSLATE_NOOP("SourcePicker", "The drawing on the Draw tab"))
    TEST_IMAGE = str(QT_TRANSLATE_NOOP("SourcePicker", "A test image"))
    BATCH = str(QT_TRANSLATE_NOOP("SourcePicker", "A random mini-batch of training images"))


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
            self.kind.addItem(QCoreApplication.translate("SourcePicker", source.value), source)
        self.kind.setToolTip(self.tr("What the step is computed on"))
        self.kind.setAccessibleName(self.tr("Look at"))
        self.label = QComboBox()
        self.label.setToolTip(
            self.tr(
                "The class y this drawing should be: the loss and the gradient are for this label"
            )
        )
        self.label.setAccessibleName(self.tr("True class y of the drawing"))
        self.reread = QPushButton(self.tr("Read the drawing again"))
        self.index = QSpinBox(minimum=0, maximum=0)
        self.index.setKeyboardTracking(False)
        self.index.setAccessibleName(self.tr("Test image index"))
        self.random_image = QPushButton(self.tr("Random"))
        self.random_image.setToolTip(self.tr("Pick a test image at random"))
        self.batch_size = QSpinBox(minimum=1, maximum=MAX_BATCH, value=DEFAULT_BATCH)
        self.batch_size.setKeyboardTracking(False)
        self.batch_size.setToolTip(
            self.tr("m, the number of training images in the batch (≤ {n})").format(n=MAX_BATCH)
        )
        self.batch_size.setAccessibleName(self.tr("Batch size m"))
        self.new_batch = QPushButton(self.tr("New batch"))
        self.new_batch.setToolTip(self.tr("Draw another random mini-batch of the same size"))
        self.stack = QStackedWidget()
        self.stack.addWidget(_row(QLabel(self.tr("it is a")), self.label, self.reread))
        self.stack.addWidget(_row(QLabel(self.tr("index")), self.index, self.random_image))
        self.stack.addWidget(_row(QLabel("m ="), self.batch_size, self.new_batch))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        look_at = QLabel(self.tr("Look at"))
        look_at.setBuddy(self.kind)
        layout.addWidget(look_at)
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
