"""Where a class's score came from, for a model with an input map: one signed bar per part
of its inputs (pixels, edge directions, random features) and the offset, adding up to the
score. The numbers are :meth:`engine.SoftmaxModel.evidence_by_part`'s; this only draws them.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from softmax_gui.draw.accessible import announce

#: How each part is named in the rows (the engine's part names as keys), translated when
#: shown.
PART_LABELS = {
    "pixels": str(QT_TRANSLATE_NOOP("evidence_parts", "pixels")),
    "edges": str(QT_TRANSLATE_NOOP("evidence_parts", "edge directions")),
    "random": str(QT_TRANSLATE_NOOP("evidence_parts", "random features")),
    "offset": str(QT_TRANSLATE_NOOP("evidence_parts", "offset (bias)")),
}
ROW_GAP = 3


def part_label(name: str) -> str:
    """The engine's part ``name`` ("edges") as the user reads it ("edge directions")."""
    label = PART_LABELS.get(name)
    return name if label is None else QCoreApplication.translate("evidence_parts", label)


def format_signed(value: float) -> str:
    """``+1.23`` / ``−0.45`` (a true minus sign): how a part's share is written."""
    return f"{value:+.2f}".replace("-", "−")


def part_rows(parts: dict[str, float]) -> list[tuple[str, float]]:
    """``parts`` (a part name -> its share of the score) as (label, value) rows, the parts
    in their order and the score, their sum, last."""
    rows = [(part_label(name), value) for name, value in parts.items()]
    rows.append((QCoreApplication.translate("evidence_parts", "= score"), sum(parts.values())))
    return rows


class EvidenceParts(QWidget):
    """Signed bars: each part's contribution to one class's score, and the score."""

    def __init__(self, for_colour: QColor, against_colour: QColor, parent: QWidget | None = None):
        super().__init__(parent)
        self._for, self._against = for_colour, against_colour
        self._rows: list[tuple[str, float]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setToolTip(
            self.tr(
                "Each kind of input's share of the score: its features times their weights, "
                "added up. The offset is the bias plus the shift of the inputs' "
                "standardisation. Together they make the score; the probabilities are the "
                "softmax of the ten scores."
            )
        )
        self.setAccessibleName(self.tr("Score by kind of input"))

    def set_parts(self, parts: dict[str, float] | None) -> None:
        """Show ``parts`` (as from ``evidence_by_part``), or nothing for None."""
        self._rows = [] if parts is None else part_rows(parts)
        # the bars as text, for a screen reader: "pixels +1.20, edge directions −0.30, …"
        announce(
            self,
            self.tr(", ").join(
                self.tr("{part} {value}").format(part=label, value=format_signed(value))
                for label, value in self._rows
            ),
        )
        self.updateGeometry()
        self.update()

    def rows(self) -> list[tuple[str, float]]:
        """The (label, value) rows on show, the score last."""
        return list(self._rows)

    def sizeHint(self) -> QSize:
        line = self.fontMetrics().height() + ROW_GAP
        return QSize(200, line * max(len(self._rows), 1))

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self._rows:
            return
        pal = self.palette()
        painter = QPainter(self)
        metrics = painter.fontMetrics()
        line = metrics.height() + ROW_GAP
        label_w = max(metrics.horizontalAdvance(label) for label, _ in self._rows) + 8
        value_w = metrics.horizontalAdvance("−00.00") + 8
        left, right = label_w, self.width() - value_w
        # one scale for all bars; the zero line leaves just the room the negative ones need
        most = max(max(v for _, v in self._rows), 0.0)
        least = min(min(v for _, v in self._rows), 0.0)
        scale = (most - least) or 1.0
        zero = left + (-least / scale) * (right - left)
        for r, (label, value) in enumerate(self._rows):
            top = r * line
            total = r == len(self._rows) - 1
            painter.setPen(pal.color(QPalette.ColorRole.Text))
            font = painter.font()
            font.setBold(total)
            painter.setFont(font)
            painter.drawText(QRectF(0, top, label_w, line), Qt.AlignmentFlag.AlignVCenter, label)
            width = abs(value) / scale * (right - left)
            x = zero if value >= 0 else zero - width
            colour = QColor(self._for if value >= 0 else self._against)
            if total:
                colour.setAlpha(160)
            painter.fillRect(QRectF(x, top + 2, width, line - 2 * ROW_GAP), colour)
            text = format_signed(value)
            painter.drawText(
                QRectF(right, top, value_w, line),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                text,
            )
        painter.setPen(pal.color(QPalette.ColorRole.Mid))
        painter.drawLine(int(zero), 0, int(zero), len(self._rows) * line)
        painter.end()
