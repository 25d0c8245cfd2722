"""Every text the Draw, Gradient check and Evaluate tabs show goes through Qt's translation:
under a translator that marks what it translates, no English is left unmarked."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTranslator
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QGroupBox,
    QLabel,
    QTableWidget,
    QWidget,
)

import engine
from softmax_gui.checks.evaluation_panel import EvaluationPanel, evaluate
from softmax_gui.checks.gradcheck_panel import GradCheckPanel
from softmax_gui.draw.panel import DrawPanel

from .test_draw_panel import draw_digit

#: Two letters in a row: a word a person would read (not "→3", "1.2e-04" or "97%").
WORD = re.compile(r"[A-Za-z]{2,}")
OPEN, CLOSE = "«", "»"


class MarkingTranslator(QTranslator):
    """Translates every message to itself between « and »."""

    def translate(self, context, source, disambiguation=None, n=-1):  # noqa: ARG002
        return f"{OPEN}{source}{CLOSE}"

    def isEmpty(self) -> bool:
        return False


@pytest.fixture
def marking(qapp):
    translator = MarkingTranslator()
    QCoreApplication.installTranslator(translator)
    yield
    QCoreApplication.removeTranslator(translator)


def shown_texts(root: QWidget, skip: QWidget | None = None) -> dict[str, str]:
    """Every text of ``root``'s widgets (but ``skip`` and its children) a person sees or
    hears, by where it is."""
    texts: dict[str, str] = {}
    for w in [root, *root.findChildren(QWidget)]:
        if skip is not None and (w is skip or skip.isAncestorOf(w)):
            continue
        where = f"{type(w).__name__} {w.objectName()}"
        texts[f"{where} tooltip"] = w.toolTip()
        texts[f"{where} name"] = w.accessibleName()
        texts[f"{where} description"] = w.accessibleDescription()
        if isinstance(w, QLabel | QAbstractButton):
            texts[f"{where} text {w.text()}"] = w.text()
        if isinstance(w, QGroupBox):
            texts[f"{where} title"] = w.title()
        if isinstance(w, QComboBox):
            for k in range(w.count()):
                texts[f"{where} item {k}"] = w.itemText(k)
        if isinstance(w, QTableWidget):
            for k in range(w.columnCount()):
                item = w.horizontalHeaderItem(k)
                texts[f"{where} column {k}"] = "" if item is None else item.text()
    return texts


def unmarked(texts: dict[str, str]) -> dict[str, str]:
    """The texts with an English word outside any «…» (a string not translated)."""
    out = {}
    for where, text in texts.items():
        outside, inner = text, re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}", flags=re.S)
        while inner.search(outside):  # innermost first: translations nest
            outside = inner.sub("", outside)
        outside = re.sub(r"<[^>]*>", "", outside)  # HTML tags are not words
        if WORD.search(outside):
            out[where] = text
    return out


def test_the_draw_tab_is_all_translated(marking, qtbot, shipped_model):
    panel = DrawPanel()
    qtbot.addWidget(panel)
    panel.resize(1100, 700)
    panel.show()
    panel.set_model(shipped_model)
    draw_digit(panel, qtbot, 7)
    # the reading line is the My handwriting tab's widget
    texts = shown_texts(panel, skip=panel.reading)
    assert OPEN in panel.canvas.accessibleDescription()
    assert unmarked(texts) == {}


def test_the_gradient_check_tab_is_all_translated(marking, qtbot, mnist_small):
    panel = GradCheckPanel()
    qtbot.addWidget(panel)
    result = engine.gradient_check(mnist_small.X_test[:50], mnist_small.y_test[:50], n_checks=15)
    panel.show_result(result)
    texts = shown_texts(panel)
    for row in range(panel.table.rowCount()):
        texts[f"meaning {row}"] = panel.table.item(row, 1).text()
    plot = panel.scatter_plot.getPlotItem()
    texts["plot title"] = plot.titleLabel.text
    texts["plot x"] = plot.getAxis("bottom").labelText
    assert unmarked(texts) == {}


def test_the_evaluate_tab_is_all_translated(marking, qtbot, mnist_small, pixel_model):
    panel = EvaluationPanel()
    qtbot.addWidget(panel)
    report = evaluate(pixel_model, mnist_small)
    panel.show_evaluation(report, mnist_small.X_test, "model.npz")
    qtbot.waitUntil(lambda: not panel.filling)
    texts = shown_texts(panel)
    for row in range(min(panel.gallery.count(), 10)):
        item = panel.gallery.item(row)
        texts[f"tile {row}"] = item.text()
        texts[f"tile {row} tooltip"] = item.toolTip()
        texts[f"tile {row} name"] = item.data(Qt.ItemDataRole.AccessibleTextRole)
    assert panel.gallery.count() > 0
    assert unmarked(texts) == {}
