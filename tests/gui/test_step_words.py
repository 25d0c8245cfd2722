"""Every word the "Inside one step" tab shows goes through Qt's translation: under a
translator that marks each string it is asked for, no visible text is left unmarked."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTranslator
from PySide6.QtWidgets import QAbstractButton, QComboBox, QGroupBox, QLabel, QWidget

from softmax_gui.step.source import Source
from softmax_gui.step.tab import StepTab

MARK = "«"
#: A word of text, once tags, code and HTML entities are gone (formulas have no such words).
WORD = re.compile(r"[A-Za-z]{4,}")


class Marking(QTranslator):
    """Returns every source text with a mark in front, so untranslated text shows."""

    def translate(self, context, source, disambiguation=None, n=-1):
        return MARK + source


def words(text: str) -> bool:
    text = re.sub(r"<code>.*?</code>", "", text)
    text = re.sub(r"<[^>]+>|&\w+;", "", text)
    return bool(WORD.search(text))


def shown_texts(tab: StepTab) -> list[str]:
    texts = []
    not_ours = {tab.view.gradient.note, tab.step_panel.change.note}  # the Train tab's sentence
    for widget in tab.findChildren(QWidget):
        if not widget.isVisibleTo(tab) or widget in not_ours:
            continue
        if isinstance(widget, (QLabel, QAbstractButton)):
            texts.append(widget.text())
        elif isinstance(widget, QGroupBox):
            texts.append(widget.title())
        elif isinstance(widget, QComboBox):
            texts.append(widget.currentText())
        texts += [widget.toolTip(), widget.accessibleName(), widget.accessibleDescription()]
    for grid in (tab.view.stages.grid, tab.step_panel.after):
        texts += grid.text().splitlines()
    return texts


@pytest.fixture
def marking():
    translator = Marking()
    QCoreApplication.installTranslator(translator)
    yield
    QCoreApplication.removeTranslator(translator)


@pytest.mark.parametrize("source", [Source.TEST_IMAGE, Source.BATCH])
def test_no_word_on_show_escapes_translation(qtbot, marking, pixel_model, mnist_small, source):
    tab = StepTab(drawing=lambda: None)
    qtbot.addWidget(tab)
    tab.set_model(pixel_model)
    tab.set_dataset(mnist_small)
    tab.picker.set_source(source)
    tab.show()
    qtbot.mouseClick(tab.step_panel.step_button, Qt.MouseButton.LeftButton)
    tab.show_derivative(300, 3)
    untranslated = [text for text in shown_texts(tab) if words(text) and MARK not in text]
    assert untranslated == []
