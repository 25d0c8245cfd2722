"""The "My handwriting" tab: the digits taught so far, grouped by class
(:mod:`~softmax_gui.handwriting.sample_grid`), and honest figures
(:mod:`~softmax_gui.handwriting.report`).

The view only shows what it is handed (``engine.PersonalSamples``,
``engine.PersonalReport``) and asks for changes through signals; the controller
(:mod:`softmax_gui.handwriting.controller`) does the work.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

import engine
from engine import N_CLASSES
from softmax_gui.handwriting.report import report_html
from softmax_gui.handwriting.sample_grid import SampleGrid

SIDE_WIDTH = 360
USE_TIP = (
    "On: drawings are read by the model adapted to your samples. Off: by the base "
    "model alone (your samples are kept). Teaching a digit turns it on."
)
RESET_TIP = (
    "Go back to the base model everywhere. Your samples are kept (nothing is "
    "deleted): tick “Use my handwriting” to use them again."
)
HOW_TO = (
    "Teach it on the Draw tab: draw a digit, then type the digit it is (0–9) or click "
    "its bar; digits it already reads right teach it too. Each sample shows what the "
    "model saw (left) and your drawing (right)."
)
NO_FIGURES = (
    "Measure compares the base model with the adapted one: on your own digits "
    "(cross-validated) and on the test set. It runs in the background."
)


class HandwritingView(QWidget):
    """The samples grouped by digit, with select, delete, relabel, on/off, reset and figures."""

    use_toggled = Signal(bool)
    reset_requested = Signal()
    delete_requested = Signal(list)  # sample indices
    relabel_requested = Signal(list, int)  # sample indices, new label
    measure_requested = Signal()
    notice_dismissed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._n_samples = 0
        self._measuring = False
        self._measured: engine.PersonalReport | None = None
        self._test_name = "test set"
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.dismiss_button = QPushButton("Dismiss")
        self.dismiss_button.setToolTip("Hide this message (the file stays where it says)")
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
        QShortcut(
            QKeySequence(Qt.Key.Key_Delete),
            self,
            self._delete_selected,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        self.show_samples(engine.PersonalSamples.empty(engine.PREPROCESSING_VERSION))

    # --- construction ------------------------------------------------------------------------
    def _build_samples(self) -> QWidget:
        self.grid = SampleGrid()
        self.grid.selection_changed.connect(self._update_selection)
        self.headers = self.grid.headers
        self.tiles = self.grid.tiles
        scroll = QScrollArea()
        scroll.setWidget(self.grid)
        scroll.setWidgetResizable(True)
        box = QGroupBox("My handwriting")
        column = QVBoxLayout(box)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        column.addWidget(self.notice_row)
        column.addWidget(self.summary)
        column.addWidget(scroll, 1)
        return box

    def _build_side(self) -> QWidget:
        side = QWidget()
        side.setFixedWidth(SIDE_WIDTH)
        column = QVBoxLayout(side)
        column.setContentsMargins(0, 0, 0, 0)

        model_box = QGroupBox("Model")
        self.use_box = QCheckBox("Use my handwriting")
        self.use_box.setChecked(True)
        self.use_box.setToolTip(USE_TIP)
        self.use_box.toggled.connect(self.use_toggled)
        self.reset_button = QPushButton("Reset to the base model")
        self.reset_button.setToolTip(RESET_TIP)
        self.reset_button.clicked.connect(self.reset_requested)
        self.model_text = QLabel("No model")
        self.model_text.setWordWrap(True)
        box = QVBoxLayout(model_box)
        box.addWidget(self.use_box)
        box.addWidget(self.model_text)
        box.addWidget(self.reset_button)

        edit_box = QGroupBox("Selected samples")
        self.delete_button = QPushButton("Delete")
        self.delete_button.setToolTip("Delete the selected samples (Delete)")
        self.delete_button.clicked.connect(self._delete_selected)
        self.relabel_digit = QComboBox()
        for k in range(N_CLASSES):
            self.relabel_digit.addItem(str(k), k)
        self.relabel_button = QPushButton("Relabel as")
        self.relabel_button.setToolTip("Give the selected samples this digit")
        self.relabel_button.clicked.connect(self._relabel_selected)
        self.selection_text = QLabel()
        row = QHBoxLayout()
        row.addWidget(self.delete_button)
        row.addStretch(1)
        row.addWidget(self.relabel_button)
        row.addWidget(self.relabel_digit)
        box = QVBoxLayout(edit_box)
        box.addWidget(self.selection_text)
        box.addLayout(row)

        figures_box = QGroupBox("How well does it read you?")
        self.measure_button = QPushButton("Measure")
        self.measure_button.setToolTip("Base against adapted, on your digits and the test set")
        self.measure_button.clicked.connect(self.measure_requested)
        self.figures = QLabel(NO_FIGURES)
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
    def show_samples(self, samples: engine.PersonalSamples) -> None:
        """Show every sample under its digit (tiles built once the view shows), with counts."""
        self._n_samples = len(samples)
        self.grid.show_samples(samples)
        n = len(samples)
        self.summary.setText(
            f"{n} sample{'s' if n != 1 else ''} taught. {HOW_TO}"
            if n
            else f"No samples yet. {HOW_TO}"
        )
        self._update_selection()

    def set_use(self, on: bool) -> None:
        """Tick or untick "Use my handwriting" (without asking for it again)."""
        self.use_box.blockSignals(True)
        self.use_box.setChecked(on)
        self.use_box.blockSignals(False)

    def set_model_text(self, text: str) -> None:
        """Name the model drawings are read with."""
        self.model_text.setText(f"Drawings are read with: {text}")

    def set_test_name(self, name: str) -> None:
        """Name the loaded test set in the figures."""
        self._test_name = name
        self._update_figures()

    def show_notice(self, text: str) -> None:
        """A message the user should read (e.g. an unreadable samples file), kept on show."""
        self.notice.setText(f"⚠ {text}")
        self.notice_row.setVisible(bool(text))

    def _dismiss_notice(self) -> None:
        self.notice_row.hide()
        self.notice_dismissed.emit()

    def show_report(self, report: engine.PersonalReport) -> None:
        """Show measured figures."""
        self._measured = report
        self._update_figures()

    def set_measuring(self, measuring: bool) -> None:
        """Lock the Measure button while a measurement runs."""
        self._measuring = measuring
        self.measure_button.setText("Measuring…" if measuring else "Measure")
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

    def _relabel_selected(self) -> None:
        if self.selected():
            self.relabel_requested.emit(self.selected(), int(self.relabel_digit.currentData()))

    # --- drawing -------------------------------------------------------------------------------
    def _update_selection(self) -> None:
        n = len(self.selected())
        self.selection_text.setText(
            f"{n} selected" if n else "Click a sample to select it (Ctrl-click for more)."
        )
        self.delete_button.setEnabled(bool(n))
        self.relabel_button.setEnabled(bool(n))
        self.relabel_digit.setEnabled(bool(n))

    def _update_figures(self) -> None:
        report = self._measured
        self.measure_button.setEnabled(not self._measuring and self._n_samples > 0)
        if report is None:
            self.figures.setText(NO_FIGURES)
            return
        text = report_html(report, self._test_name)
        if report.n_samples != self._n_samples:
            text += (
                f"<p><i>Measured with {report.n_samples} samples; you have "
                f"{self._n_samples} now. Measure again to update.</i></p>"
            )
        self.figures.setText(text)
