"""The "My handwriting" tab: the digits taught so far, grouped by class
(:mod:`~softmax_gui.handwriting.sample_grid`), and honest figures
(:mod:`~softmax_gui.handwriting.report`).

The view only shows what it is handed (``engine.PersonalSamples``,
``engine.PersonalReport``) and asks for changes through signals; the controller
(:mod:`softmax_gui.handwriting.controller`) does the work.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

import engine
from engine import N_CLASSES
from softmax_gui.handwriting.kept_report import KeptReport
from softmax_gui.handwriting.reading_line import ReadingLine
from softmax_gui.handwriting.report import report_html
from softmax_gui.handwriting.sample_grid import SampleGrid
from softmax_gui.widgets.colours import WARNING_COLOUR
from softmax_gui.widgets.tab_order import set_tab_chain

SIDE_WIDTH = 360
#: What the figures box says before any measurement (translated where shown).
NO_FIGURES = QT_TRANSLATE_NOOP(
    "HandwritingView",
    "Measure checks how many of your digits it reads right before and after teaching, "
    "and whether it still reads MNIST as well. It runs in the background.",
)


def confirm(parent: QWidget, title: str, text: str) -> bool:
    """Ask a yes/no question; True for yes (tests replace this)."""
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes


def conflict_text(conflicts: dict[int, list[int]]) -> str:
    """A warning line about samples taught as two digits ("" without any)."""
    if not conflicts:
        return ""
    text = QCoreApplication.translate(
        "HandwritingView",
        "<b>⚠ Conflict:</b> {n} samples are the same drawing taught as different digits "
        "(framed and marked ⚠ below); it cannot learn both: delete the wrong one.",
    ).format(n=len(conflicts))
    return f'<span style="color: {WARNING_COLOUR.name()}">{text}</span>'


class HandwritingView(QWidget):
    """The samples grouped by digit, with select, delete, relabel, on/off, reset and figures."""

    use_toggled = Signal(bool)
    shipped_requested = Signal()  # "Use the shipped model"
    delete_requested = Signal(list)  # sample indices
    undo_requested = Signal()  # undo the last delete
    relabel_requested = Signal(list, int)  # sample indices, new label
    measure_requested = Signal()
    notice_dismissed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._n_samples = 0
        self._measuring = False
        self._measured: KeptReport | None = None
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.dismiss_button = QPushButton(self.tr("Dismiss"))
        self.dismiss_button.setToolTip(self.tr("Hide this message (the file stays where it says)"))
        self.dismiss_button.clicked.connect(self._dismiss_notice)
        self.notice_row = QWidget()
        notice_layout = QHBoxLayout(self.notice_row)
        notice_layout.setContentsMargins(0, 0, 0, 0)
        notice_layout.addWidget(self.notice, 1)
        notice_layout.addWidget(self.dismiss_button, 0, Qt.AlignmentFlag.AlignTop)
        self.notice_row.hide()
        layout = QHBoxLayout(self)
        layout.addWidget(self._build_samples(), 1)
        layout.addWidget(self._build_side())
        for key, slot in (
            (QKeySequence(Qt.Key.Key_Delete), self._delete_selected),
            (QKeySequence(QKeySequence.StandardKey.Undo), self.undo_requested.emit),
        ):
            QShortcut(key, self, slot, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.show_samples(engine.PersonalSamples.empty(engine.PREPROCESSING_VERSION))
        self._set_tab_order()

    # --- construction ------------------------------------------------------------------------
    def _build_samples(self) -> QWidget:
        self.grid = SampleGrid()
        self.grid.selection_changed.connect(self._update_selection)
        self.headers = self.grid.headers
        self.tiles = self.grid.tiles
        scroll = QScrollArea()
        scroll.setWidget(self.grid)
        scroll.setWidgetResizable(True)
        box = QGroupBox(self.tr("My handwriting"))
        column = QVBoxLayout(box)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.conflicts = QLabel()
        self.conflicts.setWordWrap(True)
        self.conflicts.setTextFormat(Qt.TextFormat.RichText)
        self.conflicts.hide()
        column.addWidget(self.notice_row)
        column.addWidget(self.summary)
        column.addWidget(self.conflicts)
        column.addWidget(scroll, 1)
        return box

    def _build_side(self) -> QWidget:
        side = QWidget()
        side.setFixedWidth(SIDE_WIDTH)
        column = QVBoxLayout(side)
        column.setContentsMargins(0, 0, 0, 0)

        model_box = QGroupBox(self.tr("Model"))
        self.use_box = QCheckBox(self.tr("Use my handwriting"))
        self.use_box.setChecked(True)
        self.use_box.setToolTip(
            self.tr(
                "On: drawings are read by the model adapted to your samples. Off: by the base "
                "model alone (your samples are kept). Teaching a digit turns it on."
            )
        )
        self.use_box.toggled.connect(self.use_toggled)
        self.reading = ReadingLine()
        self.reading.shipped_requested.connect(self.shipped_requested)
        box = QVBoxLayout(model_box)
        box.addWidget(self.reading)
        box.addWidget(self.use_box)

        edit_box = QGroupBox(self.tr("Selected samples"))
        self.delete_button = QPushButton(self.tr("Delete"))
        self.delete_button.setToolTip(self.tr("Delete the selected samples (Delete)"))
        self.delete_button.clicked.connect(self._delete_selected)
        self.relabel_digit = QComboBox()
        for k in range(N_CLASSES):
            self.relabel_digit.addItem(str(k), k)
        self.relabel_digit.setAccessibleName(self.tr("Digit to relabel the selected samples as"))
        self.relabel_button = QPushButton(self.tr("Relabel as"))
        self.relabel_button.setToolTip(self.tr("Give the selected samples this digit"))
        self.relabel_button.clicked.connect(self._relabel_selected)
        self.selection_text = QLabel()
        self.undo_button = QPushButton(self.tr("Undo delete"))
        undo_keys = QKeySequence(QKeySequence.StandardKey.Undo).toString(
            QKeySequence.SequenceFormat.NativeText
        )
        self.undo_button.setToolTip(
            self.tr("Put back the samples deleted last ({keys})").format(keys=undo_keys)
        )
        self.undo_button.clicked.connect(self.undo_requested)
        self.undo_button.setEnabled(False)
        self.delete_all_button = QPushButton(self.tr("Delete all…"))
        self.delete_all_button.setToolTip(
            self.tr("Delete every sample (asks first; Undo delete undoes)")
        )
        self.delete_all_button.clicked.connect(self._delete_all)
        row = QHBoxLayout()
        row.addWidget(self.delete_button)
        row.addStretch(1)
        row.addWidget(self.relabel_button)
        row.addWidget(self.relabel_digit)
        all_row = QHBoxLayout()
        all_row.addWidget(self.undo_button)
        all_row.addStretch(1)
        all_row.addWidget(self.delete_all_button)
        box = QVBoxLayout(edit_box)
        box.addWidget(self.selection_text)
        box.addLayout(row)
        box.addLayout(all_row)

        figures_box = QGroupBox(self.tr("How well does it read you?"))
        self.measure_button = QPushButton(self.tr("Measure"))
        self.measure_button.setToolTip(
            self.tr("Before against after teaching, on your digits and on the test set")
        )
        self.measure_button.clicked.connect(self.measure_requested)
        self.figures = QLabel(QCoreApplication.translate("HandwritingView", str(NO_FIGURES)))
        self.figures.setWordWrap(True)
        self.figures.setTextFormat(Qt.TextFormat.RichText)
        box = QVBoxLayout(figures_box)
        box.addWidget(self.figures)
        box.addWidget(self.measure_button, 0, Qt.AlignmentFlag.AlignLeft)

        for widget in (model_box, edit_box, figures_box):
            column.addWidget(widget)
        column.addStretch(1)
        self._update_selection()
        return side

    # --- public interface ----------------------------------------------------------------------
    def show_samples(
        self, samples: engine.PersonalSamples, conflicts: dict[int, list[int]] | None = None
    ) -> None:
        """Show every sample under its digit (tiles built once the view shows), with counts;
        ``conflicts`` (index -> other digits the same input was taught as) are flagged."""
        self._n_samples = len(samples)
        self.grid.show_samples(samples, conflicts or {})
        self.conflicts.setText(conflict_text(conflicts or {}))
        self.conflicts.setVisible(bool(conflicts))
        n = len(samples)
        if n == 0:
            summary = self.tr("No samples yet.")
        elif n == 1:
            summary = self.tr("1 sample taught.")
        else:
            summary = self.tr("{n} samples taught.").format(n=n)
        how_to = self.tr(
            "Teach it on the Draw tab: draw a digit, then type the digit it is (0–9) or click "
            "its bar; digits it already reads right teach it too. Each sample shows what the "
            "model saw (left) and your drawing (right)."
        )
        self.summary.setText(self.tr("{summary} {how_to}").format(summary=summary, how_to=how_to))
        self._update_selection()
        self._set_tab_order()

    def set_model(self, model: engine.SoftmaxModel, source: str = "") -> None:
        """The model that reads now: the tiles say what it reads each sample as."""
        self.grid.set_model(model)

    def set_use(self, on: bool) -> None:
        """Tick or untick "Use my handwriting" (without asking for it again)."""
        self.use_box.blockSignals(True)
        self.use_box.setChecked(on)
        self.use_box.blockSignals(False)

    def set_reading(self, text: str, shipped: bool) -> None:
        """Say which model reads and learns; offer the shipped one when it is another."""
        self.reading.set_reading(text, shipped)

    def set_can_undo(self, can: bool) -> None:
        """Enable Undo delete when there is a delete to undo."""
        self.undo_button.setEnabled(can)

    def show_notice(self, text: str) -> None:
        """A message the user should read (e.g. an unreadable samples file), kept on show."""
        self.notice.setText(self.tr("⚠ {notice}").format(notice=text))
        self.notice_row.setVisible(bool(text))

    def _dismiss_notice(self) -> None:
        self.notice_row.hide()
        self.notice_dismissed.emit()

    def show_report(self, kept: KeptReport) -> None:
        """Show measured figures (with their date)."""
        self._measured = kept
        self._update_figures()

    def set_measuring(self, measuring: bool) -> None:
        """Lock the Measure button while a measurement runs."""
        self._measuring = measuring
        self.measure_button.setText(self.tr("Measuring…") if measuring else self.tr("Measure"))
        self._update_figures()

    def selected(self) -> list[int]:
        """Indices of the selected samples, in ascending order."""
        return self.grid.selected()

    def select(self, indices: list[int]) -> None:
        """Select exactly the samples at ``indices``."""
        self.grid.select(indices)

    # --- slots ---------------------------------------------------------------------------------
    def _delete_selected(self) -> None:
        if self.selected():
            self.delete_requested.emit(self.selected())

    def _delete_all(self) -> None:
        n = self._n_samples
        if n and confirm(
            self,
            self.tr("Delete all samples"),
            (
                self.tr("Delete your 1 sample? Undo delete brings it back until you quit.")
                if n == 1
                else self.tr(
                    "Delete all {n} of your samples? Undo delete brings them back until you quit."
                ).format(n=n)
            ),
        ):
            self.delete_requested.emit(list(range(n)))

    def _relabel_selected(self) -> None:
        if self.selected():
            self.relabel_requested.emit(self.selected(), int(self.relabel_digit.currentData()))

    # --- drawing -------------------------------------------------------------------------------
    def _update_selection(self) -> None:
        n = len(self.selected())
        if n:
            text = self.tr("{n} selected").format(n=n)
        else:
            text = self.tr(
                "Click a sample to select it (Ctrl-click for more), or use the arrow keys."
            )
        self.selection_text.setText(text)
        self.delete_button.setEnabled(bool(n))
        self.relabel_button.setEnabled(bool(n))
        self.relabel_digit.setEnabled(bool(n))
        self.delete_all_button.setEnabled(self._n_samples > 0)

    def _update_figures(self) -> None:
        kept = self._measured
        self.measure_button.setEnabled(not self._measuring and self._n_samples > 0)
        if kept is None:
            self.figures.setText(QCoreApplication.translate("HandwritingView", str(NO_FIGURES)))
            return
        self.figures.setText(report_html(kept, self._n_samples))

    def _set_tab_order(self) -> None:
        """Tab runs down the rows of samples, then through the side column."""
        chain: list[QWidget] = [tiles for tiles in self.tiles if tiles.count()]
        chain += [
            self.reading.shipped_button,
            self.use_box,
            self.delete_button,
            self.relabel_button,
            self.relabel_digit,
            self.undo_button,
            self.delete_all_button,
            self.measure_button,
        ]
        set_tab_chain(chain)
