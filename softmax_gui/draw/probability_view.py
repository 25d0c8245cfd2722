"""What the model sees and thinks: the 28×28 input, the class probabilities, the evidence.

Views only: they are handed arrays computed by the engine and draw them; no model maths here.
"""

from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QFont,
    QImage,
    QPainter,
    QPaintEvent,
    QPalette,
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

from engine import DIGIT_NAMES, MNIST_SIDE, to_grey_levels
from softmax_gui.checks.engine_words import class_names as shown_names
from softmax_gui.draw.accessible import announce
from softmax_gui.draw.evidence_parts import EvidenceParts
from softmax_gui.draw.probability_bars import LOG_FLOOR_DECADES as LOG_FLOOR_DECADES
from softmax_gui.draw.probability_bars import PIXEL_VIEW_SIZE, ProbabilityBars, reading_text
from softmax_gui.draw.probability_bars import format_percent as format_percent
from softmax_gui.draw.probability_bars import format_probability as format_probability
from softmax_gui.draw.probability_bars import log_height as log_height
from softmax_gui.widgets.colours import AGAINST_COLOUR as AGAINST_COLOUR
from softmax_gui.widgets.colours import FOR_COLOUR as FOR_COLOUR
from softmax_gui.widgets.image_io import ink_colour_table, ink_to_display

HEADLINE_POINT_SCALE = 4.0
MESSAGE_POINT_SCALE = 1.6
#: The headline of an empty page (translated where it is shown).
EMPTY_HEADLINE = str(QT_TRANSLATE_NOOP("probability_view", "Draw a digit"))
#: The evidence colour scale saturates at this percentile of the inked pixels' |evidence|.
EVIDENCE_PERCENTILE = 95


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
        self.setAccessibleName(self.tr("What the model sees (28×28)"))
        self.setAccessibleDescription(
            self.tr("The drawing as the model's 28×28 input: centred, scaled and smoothed")
        )

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


class EvidenceMap(_Square, pg.GraphicsLayoutWidget):
    """Per-pixel evidence ``W[:, k] * x`` for one class, on a symmetric diverging colour map."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _make_square(self)
        # a picture to read, not to operate: out of the tab order (its text is its description)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.viewport().setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAccessibleName(self.tr("Evidence map"))
        self.setAccessibleDescription(
            self.tr(
                "Each pixel's push towards the class: vermillion pixels push for it, blue "
                "pixels against it, the page colour not at all"
            )
        )
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
        self.headline = QLabel(QCoreApplication.translate("probability_view", EMPTY_HEADLINE))
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
        self.evidence_title = _title(self.tr("Evidence"))
        self.evidence_legend = QLabel()
        self.evidence_legend.setWordWrap(True)
        # a mapped model's score split by the kind of input it came from (hidden otherwise)
        self.parts_title = QLabel()
        self.parts_title.setWordWrap(True)
        self.evidence_parts = EvidenceParts(FOR_COLOUR, AGAINST_COLOUR)
        self.evidence_class = QComboBox()
        self.evidence_class.setToolTip(
            self.tr("Which class's evidence to show: the top class, or any other (why not a 3?)")
        )
        self.evidence_class.setAccessibleName(self.tr("Show the evidence for"))
        self.evidence_class.currentIndexChanged.connect(self.evidence_class_changed)
        self.bars = ProbabilityBars()
        self.bars.digit_clicked.connect(self.digit_clicked)
        self.log_scale = QCheckBox(self.tr("&Log scale"))
        self.log_scale.setToolTip(
            self.tr(
                "Bar heights from 1e-{decades} to 1 on a log scale, so small probabilities "
                "are visible"
            ).format(decades=LOG_FLOOR_DECADES)
        )
        self.log_scale.toggled.connect(self.bars.set_log_scale)
        self._names: tuple[str, ...] = DIGIT_NAMES  # as shown (translated)
        self._digits = True  # the classes are the digits 0–9
        self.setAccessibleName(self.tr("Prediction"))
        self._fill_evidence_classes()

        verdict = QVBoxLayout()
        verdict.addWidget(_title(self.tr("Prediction")))
        verdict.addStretch(1)
        verdict.addWidget(self.headline)
        verdict.addWidget(self.confidence)
        verdict.addStretch(1)

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addLayout(verdict, 0, 0, 3, 1)
        input_title = _title(self.tr("What the model sees (28×28)"))
        grid.addWidget(input_title, 0, 1)
        grid.addWidget(self.input_view, 1, 1, Qt.AlignmentFlag.AlignTop)
        evidence_row = QHBoxLayout()
        evidence_row.addWidget(self.evidence_title)
        evidence_row.addStretch(1)
        evidence_row.addWidget(self.evidence_class)
        grid.addLayout(evidence_row, 0, 2)
        grid.addWidget(self.evidence_map, 1, 2, Qt.AlignmentFlag.AlignTop)
        under_evidence = QVBoxLayout()
        for widget in (self.evidence_legend, self.parts_title, self.evidence_parts):
            under_evidence.addWidget(widget)
        grid.addLayout(under_evidence, 2, 2)
        self._grid = grid
        self.bars_title = _title(self.tr("Probability of each digit"))
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
        self.show_empty(QCoreApplication.translate("probability_view", EMPTY_HEADLINE))

    def add_input_action(self, widget: QWidget) -> None:
        """Put ``widget`` (e.g. a save button) under the model-input image."""
        self._grid.addWidget(widget, 2, 1, Qt.AlignmentFlag.AlignLeft)

    def set_class_names(self, names: tuple[str, ...]) -> None:
        """Name the classes ``names`` (the model's) in the verdict, bars and evidence."""
        self._digits = tuple(names) == DIGIT_NAMES
        self._names = shown_names(tuple(names))
        self.bars.set_class_names(tuple(names))
        self.bars_title.setText(
            self.tr("Probability of each digit")
            if self._digits
            else self.tr("Probability of each class")
        )
        self._fill_evidence_classes()

    def _fill_evidence_classes(self) -> None:
        chosen = self.evidence_class.currentData()
        self.evidence_class.blockSignals(True)  # the same choice, renamed: nothing to redo
        self.evidence_class.clear()
        self.evidence_class.addItem(self.tr("top class"), None)
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
        parts: dict[str, float] | None = None,
    ) -> None:
        """Show a prediction: the 28×28 input, the probabilities and the evidence for
        ``evidence_class`` (the top class by default): the pixels' map, and for a model with
        an input map its score by part (``parts``, as ``evidence_by_part`` gives it)."""
        name = self._names[top_class]
        self.headline.setFont(self._digit_font if len(name) <= 2 else self._message_font)
        self.headline.setText(name)
        self.confidence.setText(
            self.tr("{percent} sure").format(percent=format_percent(float(proba[top_class])))
        )
        self.input_view.set_image(model_input)
        self.bars.set_probabilities(proba)
        shown = self._names[top_class if evidence_class is None else evidence_class]
        self.evidence_title.setText(self.tr("Evidence for {name}").format(name=shown))
        self.evidence_map.set_evidence(evidence)
        self.evidence_map.setAccessibleName(self.tr("Evidence map for {name}").format(name=shown))
        for_key = f"<span style='color:{FOR_COLOUR.name()}'>■</span>"
        against_key = f"<span style='color:{AGAINST_COLOUR.name()}'>■</span>"
        legend = (
            self.tr("{for_key} for {name} · {against_key} against")
            if parts is None
            else self.tr("{for_key} for {name} · {against_key} against (pixels only)")
        )
        self.evidence_legend.setText(
            legend.format(for_key=for_key, against_key=against_key, name=html.escape(shown))
        )
        self._show_parts(shown, parts)
        self._set_reading(reading_text(self._names, proba))

    def _show_parts(self, shown: str, parts: dict[str, float] | None) -> None:
        self.parts_title.setText(self.tr("Score for {name}, by kind of input:").format(name=shown))
        self.evidence_parts.set_parts(parts)
        for widget in (self.parts_title, self.evidence_parts):
            widget.setVisible(parts is not None)

    def show_empty(
        self, message: str, model_input: np.ndarray | None = None, *, reading: str = ""
    ) -> None:
        """No prediction: ``message`` as the headline, cleared bars and evidence;
        ``reading`` says so to a screen reader (``message`` by default)."""
        self.headline.setFont(self._message_font)
        self.headline.setText(message)
        self.confidence.setText("")
        self.input_view.set_image(model_input)
        self.bars.set_probabilities(None)
        self.evidence_title.setText(self.tr("Evidence"))
        self.evidence_map.set_evidence(None)
        self.evidence_map.setAccessibleName(self.tr("Evidence map"))
        self._show_parts("", None)
        self.evidence_legend.setText(
            self.tr("Each pixel's push towards the predicted digit")
            if self._digits
            else self.tr("Each pixel's push towards the predicted class")
        )
        self._set_reading(reading or message)

    def reading(self) -> str:
        """The reading as a screen reader says it ("read as 7, 99% sure; then 1, 0.4%"), or
        the empty page's message."""
        return self.accessibleDescription()

    def _set_reading(self, text: str) -> None:
        announce(self, text)
