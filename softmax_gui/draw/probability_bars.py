"""The class probabilities as ten bars (linear or log scale), and how probabilities are
written as text."""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QCoreApplication, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from engine import DIGIT_NAMES, MNIST_SIDE, N_CLASSES
from softmax_gui.checks.engine_words import class_names as shown_names
from softmax_gui.draw.accessible import announce

#: Minimum on-screen size of the Draw tab's 28×28 images: 6 screen pixels per model pixel
#: (the bars' preferred width is four of them).
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


def reading_text(names: tuple[str, ...], proba: np.ndarray) -> str:
    """The reading as a sentence a screen reader can say: the top class and how sure, then
    the runner-up ("read as 7, 99% sure; then 1, 0.4%"); ``names`` as the user reads them."""
    order = np.argsort(-np.asarray(proba), kind="stable")
    top, second = int(order[0]), int(order[1])
    return QCoreApplication.translate(
        "probability_bars", "read as {top}, {p} sure; then {second}, {q}"
    ).format(
        top=names[top],
        p=format_percent(float(proba[top])),
        second=names[second],
        q=format_percent(float(proba[second])),
    )


def log_height(p: float) -> float:
    """Where ``p`` sits on the log scale: 0 at 1e-LOG_FLOOR_DECADES (or below), 1 at 1."""
    if p <= 0:
        return 0.0
    return min(max(1.0 + math.log10(p) / LOG_FLOOR_DECADES, 0.0), 1.0)


class ProbabilityBars(QWidget):
    """Ten vertical bars, one per class, with the percentage above and the digit below."""

    #: The user clicked the bar (or the label) of this class.
    digit_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._proba: np.ndarray | None = None
        self._names: tuple[str, ...] = DIGIT_NAMES  # as shown (translated)
        self._digits = True  # the classes are the digits 0–9
        self._log = False
        self.setMinimumHeight(BARS_MIN_HEIGHT)
        self.setAccessibleName(self.tr("Probability of each class"))
        announce(self, self.tr("No reading"))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def set_probabilities(self, proba: np.ndarray | None) -> None:
        """Show ``proba`` (N_CLASSES,), or empty bars for None."""
        self._proba = None if proba is None else np.asarray(proba, dtype=np.float64).copy()
        announce(self, self.reading())
        self.update()

    def reading(self) -> str:
        """The bars as text: every class and its probability, largest first, or "No
        reading"."""
        if self._proba is None:
            return self.tr("No reading")
        order = np.argsort(-self._proba, kind="stable")
        return self.tr("; ").join(
            self.tr("{name}: {p}").format(
                name=self._names[k], p=format_probability(float(self._proba[k]))
            )
            for k in order
        )

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
        self._digits = tuple(names) == DIGIT_NAMES
        self._names = shown_names(tuple(names))
        self.setToolTip(
            "" if self._digits else " · ".join(f"{k}: {n}" for k, n in enumerate(self._names))
        )
        self.setAccessibleName(
            self.tr("Probability of each digit")
            if self._digits
            else self.tr("Probability of each class")
        )
        announce(self, self.reading())
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
        if self._digits:  # digits are read at a glance: large and bold
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
