"""What the model sees and thinks: the 28×28 input, the class probabilities, the evidence.

Views only: they are handed arrays computed by the engine and draw them; no model maths here.
"""

from __future__ import annotations

import html
import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from engine import DIGIT_NAMES, MNIST_SIDE, N_CLASSES, to_grey_levels
from softmax_gui.widgets.image_io import ink_colour_table, ink_to_display

#: Minimum on-screen size of the 28×28 images: 6 screen pixels per model pixel.
PIXEL_VIEW_SIZE = 6 * MNIST_SIDE
BARS_MIN_HEIGHT = 170
BAR_WIDTH_FRACTION = 0.7
#: Non-top bars use the highlight colour at this opacity (0–255), so the winner stands out.
OTHER_BAR_ALPHA = 90
#: Bars below this probability get no percentage label (ten "<0.1%" labels are noise).
LABEL_MIN_PROBABILITY = 0.001
#: The log scale's bottom: smaller probabilities get no bar. Decades from here to 1 are
#: marked by faint lines.
LOG_FLOOR_DECADES = 6
HEADLINE_POINT_SCALE = 4.0
MESSAGE_POINT_SCALE = 1.6
#: Evidence colours: against the class (negative) and for it (positive); zero is the page.
AGAINST_COLOUR = QColor(59, 118, 196)
FOR_COLOUR = QColor(214, 72, 52)
EMPTY_HEADLINE = "Draw a digit"
#: The evidence colour scale saturates at this percentile of the inked pixels' |evidence|.
EVIDENCE_PERCENTILE = 95


def format_percent(p: float) -> str:
    """A probability as a short percentage: '>99.9%', '97%', '3.4%', '<0.1%'."""
    pct = 100.0 * p
    if pct > 99.9:  # a rounded "100%" would claim a certainty the model never has
        return ">99.9%"
    if pct >= 99.5:  # "99.7%", not a rounded-up "100%"
        return f"{pct:.1f}%"
    if pct >= 9.95:
        return f"{pct:.0f}%"
    if pct >= 0.05:
        return f"{pct:.1f}%"
    return "<0.1%"


def format_probability(p: float) -> str:
    """A probability on the log scale: a percentage when it reads as one, else ``3e-05``."""
    return format_percent(p) if p >= 0.0005 else f"{p:.0e}"


def log_height(p: float) -> float:
    """Where ``p`` sits on the log scale: 0 at 1e-LOG_FLOOR_DECADES (or below), 1 at 1."""
    if p <= 0:
        return 0.0
    return min(max(1.0 + math.log10(p) / LOG_FLOOR_DECADES, 0.0), 1.0)


def _make_square(widget: QWidget) -> None:
    """Let ``widget`` grow with its column and keep its height equal to its width."""
    widget.setMinimumSize(PIXEL_VIEW_SIZE, PIXEL_VIEW_SIZE)
    policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    policy.setHeightForWidth(True)
    widget.setSizePolicy(policy)


class _Square:
    """Mixin for a widget that stays square at PIXEL_VIEW_SIZE by default."""

    def sizeHint(self) -> QSize:
        return QSize(PIXEL_VIEW_SIZE, PIXEL_VIEW_SIZE)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return width


class PixelImageView(_Square, QWidget):
    """A small ink-bright image drawn with square pixels (no smoothing), in palette colours."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._gray = np.zeros((MNIST_SIDE, MNIST_SIDE), dtype=np.uint8)
        self._image: QImage | None = None
        _make_square(self)

    def set_image(self, image: np.ndarray | None) -> None:
        """Show ``image`` (H, W) floats in [0, 1], ink bright; None shows a blank page."""
        if image is None:
            self._gray = np.zeros_like(self._gray)
        else:
            self._gray = to_grey_levels(image)
        self._image = None
        self.update()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._image = None
        super().changeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        pal = self.palette()
        if self._image is None:
            table = ink_colour_table(
                pal.color(QPalette.ColorRole.Base), pal.color(QPalette.ColorRole.Text)
            )
            self._image = ink_to_display(self._gray, table)
        side = float(min(self.width(), self.height()))
        rect = QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)
        painter = QPainter(self)
        painter.drawImage(rect, self._image)  # no SmoothPixmapTransform: show real pixels
        painter.setPen(pal.color(QPalette.ColorRole.Mid))
        painter.drawRect(rect.adjusted(0, 0, -1, -1))
        painter.end()


class ProbabilityBars(QWidget):
    """Ten vertical bars, one per class, with the percentage above and the digit below."""

    #: The user clicked the bar (or the label) of this class.
    digit_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._proba: np.ndarray | None = None
        self._names: tuple[str, ...] = DIGIT_NAMES
        self._log = False
        self.setMinimumHeight(BARS_MIN_HEIGHT)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def set_probabilities(self, proba: np.ndarray | None) -> None:
        """Show ``proba`` (N_CLASSES,), or empty bars for None."""
        self._proba = None if proba is None else np.asarray(proba, dtype=np.float64).copy()
        self.update()

    def set_log_scale(self, on: bool) -> None:
        """Bar heights on a log scale (small probabilities become visible) or linear."""
        self._log = bool(on)
        self.update()

    def log_scale(self) -> bool:
        """Whether the bars are on a log scale."""
        return self._log

    def set_class_names(self, names: tuple[str, ...]) -> None:
        """Label the bars with ``names`` (N_CLASSES of them); a name that does not fit its
        bar's width is shortened with "…", and the full names are the tooltip."""
        self._names = tuple(names)
        digits = self._names == DIGIT_NAMES
        self.setToolTip("" if digits else " · ".join(f"{k}: {n}" for k, n in enumerate(names)))
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(4 * PIXEL_VIEW_SIZE, BARS_MIN_HEIGHT + 40)

    def digit_at(self, x: float) -> int:
        """The class whose bar slot holds widget x-coordinate ``x``."""
        return int(min(max(x * N_CLASSES // max(self.width(), 1), 0), N_CLASSES - 1))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.digit_clicked.emit(self.digit_at(event.position().x()))
            event.accept()
        else:
            super().mousePressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        pal = self.palette()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        small = QFont(self.font())
        digit_font = QFont(self.font())
        if self._names == DIGIT_NAMES:  # digits are read at a glance: large and bold
            digit_font.setPointSizeF(self.font().pointSizeF() * 1.3)
        digit_font.setBold(True)
        small_h = painter.fontMetrics().height()
        painter.setFont(digit_font)
        digit_h = painter.fontMetrics().height()
        top, bottom = small_h + 4, self.height() - digit_h - 4
        slot = self.width() / N_CLASSES
        bar_w = slot * BAR_WIDTH_FRACTION
        best = None if self._proba is None else int(np.argmax(self._proba))
        highlight = pal.color(QPalette.ColorRole.Highlight)
        faded = QColor(highlight)
        faded.setAlpha(OTHER_BAR_ALPHA)
        if self._log:
            self._paint_decades(painter, top, bottom, small_h, labels=False)
        painter.setPen(pal.color(QPalette.ColorRole.Mid))
        painter.drawLine(0, int(bottom), self.width(), int(bottom))
        for k in range(N_CLASSES):
            x = k * slot + (slot - bar_w) / 2
            label_rect = QRectF(k * slot, bottom + 2, slot, digit_h)
            painter.setFont(digit_font)
            painter.setPen(
                pal.color(
                    QPalette.ColorRole.Text if k == best else QPalette.ColorRole.PlaceholderText
                )
            )
            label = painter.fontMetrics().elidedText(
                self._names[k], Qt.TextElideMode.ElideRight, int(slot) - 2
            )
            painter.drawText(label_rect, Qt.AlignmentFlag.AlignCenter, label)
            if self._proba is None:
                continue
            p = float(self._proba[k])
            h = (log_height(p) if self._log else p) * (bottom - top)
            painter.fillRect(QRectF(x, bottom - h, bar_w, h), highlight if k == best else faded)
            if p < LABEL_MIN_PROBABILITY and not self._log:
                continue
            painter.setFont(small)
            painter.setPen(pal.color(QPalette.ColorRole.Text))
            painter.drawText(
                QRectF(k * slot, bottom - h - small_h - 2, slot, small_h),
                Qt.AlignmentFlag.AlignCenter,
                format_probability(p) if self._log else format_percent(p),
            )
        if self._log:
            self._paint_decades(painter, top, bottom, small_h, labels=True)
        painter.end()

    def _paint_decades(
        self, painter: QPainter, top: float, bottom: float, text_h: int, *, labels: bool
    ) -> None:
        """Faint lines at 1, 0.1, …, 1e-6 (behind the bars), or their labels at the left
        edge (over the bars, so a tall bar does not hide them)."""
        painter.setFont(self.font())
        colour = self.palette().color(QPalette.ColorRole.PlaceholderText)
        for d in range(LOG_FLOOR_DECADES + 1):
            y = bottom - (1 - d / LOG_FLOOR_DECADES) * (bottom - top)
            if labels:
                painter.setPen(colour)
                label = "1" if d == 0 else f"1e-{d}"
                painter.drawText(
                    QRectF(2, y - text_h, 60, text_h), Qt.AlignmentFlag.AlignLeft, label
                )
            else:
                painter.setPen(QPen(colour, 1, Qt.PenStyle.DotLine))
                painter.drawLine(QPointF(0, y), QPointF(self.width(), y))


class EvidenceMap(_Square, pg.GraphicsLayoutWidget):
    """Per-pixel evidence ``W[:, k] * x`` for one class, on a symmetric diverging colour map."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _make_square(self)
        # a pixel of room so the image border is not clipped at the widget's edge
        self.ci.setContentsMargins(1, 1, 1, 1)
        self._view = self.addViewBox(
            lockAspect=True, invertY=True, enableMouse=False, enableMenu=False, defaultPadding=0.0
        )
        self._item = pg.ImageItem(axisOrder="row-major")
        self._item.setBorder(pg.mkPen(self.palette().color(QPalette.ColorRole.Mid)))
        self._view.addItem(self._item)
        self._view.setRange(xRange=(0, MNIST_SIDE), yRange=(0, MNIST_SIDE), padding=0.0)
        self._apply_palette()
        self.set_evidence(None)

    def _apply_palette(self) -> None:
        pal = self.palette()
        self.setBackground(pal.color(QPalette.ColorRole.Window))
        neutral = pal.color(QPalette.ColorRole.Base)
        self._item.setColorMap(
            pg.ColorMap(pos=[0.0, 0.5, 1.0], color=[AGAINST_COLOUR, neutral, FOR_COLOUR])
        )

    def changeEvent(self, event: QEvent) -> None:
        # GraphicsView's own __init__ changes the palette before our items exist
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "_item"):
            self._apply_palette()
        super().changeEvent(event)

    def set_evidence(self, evidence: np.ndarray | None) -> None:
        """Show ``evidence`` (28, 28) with symmetric levels, so zero is the page colour."""
        if evidence is None:
            self._item.setImage(np.zeros((MNIST_SIDE, MNIST_SIDE), np.float32), levels=(-1, 1))
            return
        e = np.asarray(evidence, dtype=np.float32).reshape(MNIST_SIDE, MNIST_SIDE)
        magnitude = np.abs(e[e != 0])
        # a high percentile, not the maximum: one extreme pixel would wash out all the others
        m = float(np.percentile(magnitude, EVIDENCE_PERCENTILE)) if magnitude.size else 0.0
        m = m or 1.0
        self._item.setImage(e, levels=(-m, m))


def _title(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


class ProbabilityView(QWidget):
    """The right side of the draw tab: verdict, model input, evidence map and bars."""

    #: The user clicked the bar of this class.
    digit_clicked = Signal(int)
    #: The user chose which class the evidence map shows.
    evidence_class_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.headline = QLabel(EMPTY_HEADLINE)
        self._digit_font = QFont(self.headline.font())
        self._digit_font.setPointSizeF(self._digit_font.pointSizeF() * HEADLINE_POINT_SCALE)
        self._digit_font.setBold(True)
        self._message_font = QFont(self.headline.font())
        self._message_font.setPointSizeF(self._message_font.pointSizeF() * MESSAGE_POINT_SCALE)
        self.headline.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.headline.setTextFormat(Qt.TextFormat.PlainText)  # class names are shown as typed
        self.headline.setWordWrap(True)
        self.confidence = QLabel("")
        self.confidence.setAlignment(Qt.AlignmentFlag.AlignCenter)
        conf_font = self.confidence.font()
        conf_font.setPointSizeF(conf_font.pointSizeF() * 1.4)
        self.confidence.setFont(conf_font)
        self.input_view = PixelImageView()
        self.evidence_map = EvidenceMap()
        self.evidence_title = _title("Evidence")
        self.evidence_legend = QLabel()
        self.evidence_legend.setWordWrap(True)
        self.evidence_class = QComboBox()
        self.evidence_class.setToolTip(
            "Which class's evidence to show: the top class, or any other (why not a 3?)"
        )
        self.evidence_class.currentIndexChanged.connect(self.evidence_class_changed)
        self.bars = ProbabilityBars()
        self.bars.digit_clicked.connect(self.digit_clicked)
        self.log_scale = QCheckBox("Log scale")
        self.log_scale.setToolTip(
            f"Bar heights from 1e-{LOG_FLOOR_DECADES} to 1 on a log scale, so small "
            "probabilities are visible"
        )
        self.log_scale.toggled.connect(self.bars.set_log_scale)
        self._names: tuple[str, ...] = DIGIT_NAMES
        self._fill_evidence_classes()

        verdict = QVBoxLayout()
        verdict.addWidget(_title("Prediction"))
        verdict.addStretch(1)
        verdict.addWidget(self.headline)
        verdict.addWidget(self.confidence)
        verdict.addStretch(1)

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addLayout(verdict, 0, 0, 3, 1)
        input_title = _title("What the model sees (28×28)")
        grid.addWidget(input_title, 0, 1)
        grid.addWidget(self.input_view, 1, 1, Qt.AlignmentFlag.AlignTop)
        evidence_row = QHBoxLayout()
        evidence_row.addWidget(self.evidence_title)
        evidence_row.addStretch(1)
        evidence_row.addWidget(self.evidence_class)
        grid.addLayout(evidence_row, 0, 2)
        grid.addWidget(self.evidence_map, 1, 2, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.evidence_legend, 2, 2)
        self._grid = grid
        self.bars_title = _title("Probability of each digit")
        bars_row = QHBoxLayout()
        bars_row.addWidget(self.bars_title)
        bars_row.addStretch(1)
        bars_row.addWidget(self.log_scale)
        grid.addLayout(bars_row, 3, 0, 1, 3)
        grid.addWidget(self.bars, 4, 0, 1, 3)
        # equal image columns, wider than the verdict: the images carry the detail
        image_column = max(input_title.sizeHint().width(), PIXEL_VIEW_SIZE)
        for col, stretch in ((0, 1), (1, 2), (2, 2)):
            grid.setColumnStretch(col, stretch)
        grid.setColumnMinimumWidth(1, image_column)
        grid.setColumnMinimumWidth(2, image_column)
        grid.setRowStretch(4, 1)
        grid.setVerticalSpacing(8)
        grid.setHorizontalSpacing(12)
        self.show_empty(EMPTY_HEADLINE)

    def add_input_action(self, widget: QWidget) -> None:
        """Put ``widget`` (e.g. a save button) under the model-input image."""
        self._grid.addWidget(widget, 2, 1, Qt.AlignmentFlag.AlignLeft)

    def set_class_names(self, names: tuple[str, ...]) -> None:
        """Name the classes ``names`` (the model's) in the verdict, bars and evidence."""
        self._names = tuple(names)
        self.bars.set_class_names(self._names)
        kind = "digit" if self._names == DIGIT_NAMES else "class"
        self.bars_title.setText(f"Probability of each {kind}")
        self._fill_evidence_classes()

    def _fill_evidence_classes(self) -> None:
        chosen = self.evidence_class.currentData()
        self.evidence_class.blockSignals(True)  # the same choice, renamed: nothing to redo
        self.evidence_class.clear()
        self.evidence_class.addItem("top class", None)
        for k, name in enumerate(self._names):
            self.evidence_class.addItem(name, k)
        self.evidence_class.setCurrentIndex(0 if chosen is None else chosen + 1)
        self.evidence_class.blockSignals(False)

    def evidence_class_for(self, top_class: int) -> int:
        """The class whose evidence to show: the chosen one, or ``top_class`` by default."""
        chosen = self.evidence_class.currentData()
        return top_class if chosen is None else int(chosen)

    def set_evidence_class(self, k: int | None) -> None:
        """Show class ``k``'s evidence from now on (None: the top class's)."""
        self.evidence_class.setCurrentIndex(0 if k is None else k + 1)

    def show_prediction(
        self,
        model_input: np.ndarray,
        proba: np.ndarray,
        top_class: int,
        evidence: np.ndarray,
        evidence_class: int | None = None,
    ) -> None:
        """Show a prediction: the 28×28 input, the probabilities and the evidence for
        ``evidence_class`` (the top class by default)."""
        name = self._names[top_class]
        self.headline.setFont(self._digit_font if len(name) <= 2 else self._message_font)
        self.headline.setText(name)
        self.confidence.setText(f"{format_percent(float(proba[top_class]))} sure")
        self.input_view.set_image(model_input)
        self.bars.set_probabilities(proba)
        shown = self._names[top_class if evidence_class is None else evidence_class]
        self.evidence_title.setText(f"Evidence for {shown}")
        self.evidence_map.set_evidence(evidence)
        self.evidence_legend.setText(
            f"<span style='color:{FOR_COLOUR.name()}'>■</span>&nbsp;for&nbsp;{html.escape(shown)} "
            f"&nbsp; <span style='color:{AGAINST_COLOUR.name()}'>■</span>&nbsp;against"
        )

    def show_empty(self, message: str, model_input: np.ndarray | None = None) -> None:
        """No prediction: ``message`` as the headline, cleared bars and evidence."""
        self.headline.setFont(self._message_font)
        self.headline.setText(message)
        self.confidence.setText("")
        self.input_view.set_image(model_input)
        self.bars.set_probabilities(None)
        self.evidence_title.setText("Evidence")
        self.evidence_map.set_evidence(None)
        kind = "digit" if self._names == DIGIT_NAMES else "class"
        self.evidence_legend.setText(f"Each pixel's push towards the predicted {kind}")
