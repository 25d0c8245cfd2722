"""The drawing tools under the canvas: pen width, eraser, undo, redo, clear, and their keys."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSlider, QVBoxLayout, QWidget

from softmax_gui.draw.canvas import DEFAULT_PEN_WIDTH, MAX_PEN_WIDTH, MIN_PEN_WIDTH, DrawingCanvas

#: Page Up/Down on the pen-width slider changes the width by this many page pixels.
PEN_PAGE_STEP = 4


class CanvasTools(QWidget):
    """Two rows: pen width and eraser; undo, redo and clear."""

    #: The pen width (page pixels) changed.
    pen_width_changed = Signal(int)

    def __init__(self, canvas: DrawingCanvas, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._canvas = canvas
        self.pen_slider = QSlider(Qt.Orientation.Horizontal)
        self.pen_slider.setRange(MIN_PEN_WIDTH, MAX_PEN_WIDTH)
        self.pen_slider.setValue(DEFAULT_PEN_WIDTH)
        self.pen_slider.setPageStep(PEN_PAGE_STEP)
        self.pen_slider.setToolTip(self.tr("Pen width"))
        self.pen_slider.setAccessibleName(self.tr("Pen width"))
        self.pen_label = QLabel()
        self.pen_label.setMinimumWidth(
            self.pen_label.fontMetrics().horizontalAdvance(
                self.tr("{width} px").format(width=MAX_PEN_WIDTH)
            )
        )
        self.pen_slider.valueChanged.connect(self._on_pen_width)
        self._on_pen_width(DEFAULT_PEN_WIDTH)
        self.eraser_button = QPushButton(self.tr("Eraser"))
        self.eraser_button.setCheckable(True)
        self.eraser_button.setToolTip(self.tr("Strokes erase instead of drawing (E)"))
        self.eraser_button.toggled.connect(canvas.set_eraser)
        self.undo_button = QPushButton(self.tr("Undo"))
        self.undo_button.setToolTip(self.tr("Undo the last stroke (Ctrl+Z)"))
        self.undo_button.clicked.connect(canvas.undo)
        self.undo_button.setEnabled(False)
        canvas.undo_stack.canUndoChanged.connect(self.undo_button.setEnabled)
        self.redo_button = QPushButton(self.tr("Redo"))
        self.redo_button.setToolTip(self.tr("Redo (Ctrl+Shift+Z or Ctrl+Y)"))
        self.redo_button.clicked.connect(canvas.redo)
        self.redo_button.setEnabled(False)
        canvas.undo_stack.canRedoChanged.connect(self.redo_button.setEnabled)
        self.clear_button = QPushButton(self.tr("Clear"))
        self.clear_button.setToolTip(self.tr("Erase the page (Delete, Esc or right-click)"))
        self.clear_button.clicked.connect(canvas.clear)

        pen_row = QHBoxLayout()
        pen_title = QLabel(self.tr("Pen"))
        pen_title.setBuddy(self.pen_slider)
        pen_row.addWidget(pen_title)
        pen_row.addWidget(self.pen_slider, 1)
        pen_row.addWidget(self.pen_label)
        pen_row.addWidget(self.eraser_button)
        edit_row = QHBoxLayout()
        for button in (self.undo_button, self.redo_button, self.clear_button):
            edit_row.addWidget(button)
        edit_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(pen_row)
        layout.addLayout(edit_row)

    def buttons(self) -> list[QWidget]:
        """The tools in tab order."""
        return [
            self.pen_slider,
            self.eraser_button,
            self.undo_button,
            self.redo_button,
            self.clear_button,
        ]

    def install_shortcuts(self, owner: QWidget) -> None:
        """The editing keys (undo, redo, Delete/Esc to clear, E for the eraser), active
        while ``owner`` or one of its children has the focus."""
        redo_keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)
        redo_keys += [QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")]
        bindings = [
            (QKeySequence.keyBindings(QKeySequence.StandardKey.Undo), self._canvas.undo),
            (redo_keys, self._canvas.redo),
            (
                [QKeySequence(Qt.Key.Key_Delete), QKeySequence(Qt.Key.Key_Escape)],
                self._canvas.clear,
            ),
            ([QKeySequence(Qt.Key.Key_E)], self.eraser_button.toggle),
        ]
        seen: set[str] = set()
        for keys, slot in bindings:
            for key in keys:
                # the same key twice on one widget would make Qt call both ambiguous
                if key.isEmpty() or key.toString() in seen:
                    continue
                seen.add(key.toString())
                shortcut = QShortcut(key, owner)
                shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                shortcut.activated.connect(slot)

    def _on_pen_width(self, width: int) -> None:
        self._canvas.set_pen_width(width)
        self.pen_label.setText(self.tr("{width} px").format(width=width))
        self.pen_slider.setAccessibleDescription(self.tr("{width} pixels wide").format(width=width))
        self.pen_width_changed.emit(width)
