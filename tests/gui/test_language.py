"""The app in Simplified Chinese: the language it picks, switching while it runs, every
visible string translated, and translation files that match the code."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QProgressBar,
    QTabBar,
    QWidget,
)

from softmax_gui import MainWindow, i18n
from softmax_gui.i18n import update
from softmax_gui.menus import tab_names
from softmax_gui.settings import open_settings

from ..conftest import PIXEL_MODEL_PATH
from .conftest import TIMEOUT_MS, settle

QM = i18n.TRANSLATIONS_DIR / f"{i18n.QM_PREFIX}{i18n.CHINESE}.qm"
needs_qm = pytest.mark.skipif(
    not QM.exists(), reason=f"no {QM.name} yet: the integrator builds it from the .ts"
)
needs_ts = pytest.mark.skipif(
    not update.TS_PATH.exists(), reason=f"no {update.TS_PATH.name} yet: the integrator makes it"
)
#: Latin words that stay as they are in Chinese: names, formats, units, the language menu.
ALLOWED = {
    "MNIST",
    "SGD",
    "BFGS",
    "IDX",
    "PNG",
    "npz",
    "png",
    "GUI",
    "Softmax",
    "softmax",
    "px",
    "ms",
    "English",
    "Language",
    "NumPy",
    "Fashion",
    "Okabe",
    "Ito",
    "argmax",
    "exp",
    "log",
    "max",
    "sum",
    "ReLU",
    "L2",
    "zh",
    "CN",
    "SciPy",
    "float",
    "ftol",
}
#: Code shown as code (the NumPy lines) and key names (Ctrl+Z, Esc, F5) stay as they are.
_CODE = re.compile(r"<code>.*?</code>", re.S)
_KEYS = re.compile(
    r"\b(?:Ctrl|Shift|Alt|Meta|Cmd)\+\S+|\b(?:Ctrl|Shift|Alt|Esc|Delete|Del|Pause|Tab|Enter|Return|Space)\b"
    r"|\bF\d{1,2}\b"
)
_TAG = re.compile(r"<[^>]+>|&[a-z]+;|&#\d+;")
_PLACEHOLDER = re.compile(r"\{\w*\}")
#: File names (model.npz), numbers with units or exponents (1e-4), and formulas: letters
#: alone (W, x, b) and products of two (xW).
_NOT_WORDS = re.compile(r"\S+\.(npz|png|gz|svg|ts|qm)\b|\b\d[\w.+-]*|\b[A-Za-z]\b|\b[a-z][A-Z]\b")
_WORD = re.compile(r"[A-Za-z][A-Za-z-]*[A-Za-z]")


def english_words(text: str) -> list[str]:
    """The English words in ``text`` once markup, placeholders, file names, numbers, single
    letters (formulas) and the allowed names are taken out."""
    text = _KEYS.sub(" ", _TAG.sub(" ", _CODE.sub(" ", text)))
    text = _NOT_WORDS.sub(" ", _PLACEHOLDER.sub(" ", text))
    words = [w for part in _WORD.findall(text) for w in part.split("-") if len(w) > 1]
    return [w for w in words if w not in ALLOWED]


def _menu_texts(menu: QMenu, where: str) -> list[tuple[str, str]]:
    found = [(f"{where} menu", menu.title())]
    for action in menu.actions():
        if action.menu() is not None:
            found += _menu_texts(action.menu(), where)
        elif action.text():
            found += [(f"{where} › action", action.text()), (f"{where} › tip", action.toolTip())]
    return found


def _header_texts(view: QAbstractItemView) -> list[str]:
    model = view.model()
    if model is None:
        return []
    texts = []
    for header_of, direction in (
        ("horizontalHeader", Qt.Orientation.Horizontal),
        ("verticalHeader", Qt.Orientation.Vertical),
    ):
        header = getattr(view, header_of, None)
        if header is None or not header().isVisible():
            continue
        for i in range(min(header().count(), 50)):
            value = model.headerData(i, direction, Qt.ItemDataRole.DisplayRole)
            if isinstance(value, str):
                texts.append(value)
    return texts


def _plot_texts(widget: QWidget) -> list[str]:
    plot_item = getattr(widget, "getPlotItem", None)
    if plot_item is None:
        return []
    item = plot_item()
    texts = [item.titleLabel.text or ""]
    for name in ("left", "bottom", "right", "top"):
        axis = item.getAxis(name)
        if axis.isVisible():
            texts.append(axis.labelText or "")
    legend = item.legend
    if legend is not None:
        texts += [label.text for _, label in legend.items]
    return texts


def visible_texts(root: QWidget) -> list[tuple[str, str]]:
    """(what, text) for every string a person can see or hover in ``root``'s visible
    widgets: labels, buttons, group boxes, combo items, headers, tooltips, placeholders,
    plot titles, axis labels and legends."""
    found: list[tuple[str, str]] = []
    for w in [root, *root.findChildren(QWidget)]:
        if not w.isVisible():
            continue
        kind = type(w).__name__
        found.append((f"{kind} tooltip", w.toolTip()))
        if isinstance(w, QLabel):
            found.append((kind, w.text()))
        elif isinstance(w, QAbstractButton):
            found.append((kind, w.text()))
        elif isinstance(w, QGroupBox):
            found.append((kind, w.title()))
        elif isinstance(w, QComboBox):
            found += [(f"{kind} item", w.itemText(i)) for i in range(w.count())]
        elif isinstance(w, QLineEdit):
            found.append((f"{kind} placeholder", w.placeholderText()))
        elif isinstance(w, QAbstractSpinBox):
            found.append((f"{kind} text", w.text()))
        elif isinstance(w, QProgressBar) and w.isTextVisible():
            found.append((kind, w.text()))
        elif isinstance(w, QTabBar):
            found += [(f"{kind} tab", w.tabText(i)) for i in range(w.count())]
        if isinstance(w, QAbstractItemView):
            found += [(f"{kind} header", t) for t in _header_texts(w)]
        found += [(f"{kind} plot", t) for t in _plot_texts(w)]
        for action in w.actions():
            if isinstance(action, QAction) and action.text() and not isinstance(w, QMenu):
                found.append((f"{kind} action", action.text()))
    return found


@pytest.fixture
def chinese():
    """The zh_CN translators installed for the test; English again afterwards."""
    assert i18n.install(i18n.CHINESE)
    yield
    i18n.install(i18n.ENGLISH)


# --- which language ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("locale", "language"),
    [
        ("zh_CN", "zh_CN"),
        ("zh_SG", "zh_CN"),
        ("zh", "zh_CN"),
        ("zh_TW", "en"),
        ("zh_HK", "en"),
        ("en_US", "en"),
        ("de_DE", "en"),
        ("C", "en"),
    ],
)
def test_the_system_locale_decides_by_default(locale, language):
    assert i18n.resolve(i18n.SYSTEM, QLocale(locale)) == language
    other = i18n.ENGLISH if language == i18n.CHINESE else i18n.CHINESE
    assert i18n.resolve(other, QLocale(locale)) == other  # a choice overrides it


@pytest.mark.parametrize("stored", ["zh_CN", "en", "system"])
def test_the_choice_is_remembered(isolated_settings, stored):
    settings = open_settings()
    i18n.write_choice(settings, stored)
    assert i18n.read_choice(open_settings()) == stored


@pytest.mark.parametrize("stored", ["fr", "", "42", "zh-Hant"])
def test_an_unknown_stored_choice_means_the_system_language(isolated_settings, stored):
    settings = open_settings()
    settings.setValue(i18n.KEY_LANGUAGE, stored)
    settings.sync()
    assert i18n.read_choice(open_settings()) == i18n.SYSTEM


def test_lang_zh_cn_starts_in_chinese():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANGUAGE"))}
    code = "from softmax_gui import i18n; print(i18n.resolve(i18n.SYSTEM))"
    for lang, expected in (("zh_CN.UTF-8", "zh_CN"), ("en_GB.UTF-8", "en")):
        out = subprocess.run(
            [sys.executable, "-c", code],
            env={**env, "LANG": lang},
            capture_output=True,
            text=True,
            check=True,
        )
        assert out.stdout.strip() == expected, lang
    if QM.exists():  # and the app's text is Chinese, as main() installs it
        code = (
            "from PySide6.QtWidgets import QApplication; app = QApplication([]); "
            "from softmax_gui import i18n; from softmax_gui.menus import tab_names; "
            "i18n.install(i18n.resolve(i18n.SYSTEM)); print(tab_names()[0])"
        )
        out = subprocess.run(
            [sys.executable, "-c", code],
            env={**env, "LANG": "zh_CN.UTF-8", "QT_QPA_PLATFORM": "offscreen"},
            capture_output=True,
            text=True,
            check=True,
        )
        assert out.stdout.strip() == "训练"


@pytest.mark.parametrize("content", [None, b"", b"not a qm file at all" * 10])
def test_a_missing_or_damaged_translation_leaves_english(qapp, tmp_path, content):
    if content is not None:
        (tmp_path / f"{i18n.QM_PREFIX}{i18n.CHINESE}.qm").write_bytes(content)
    assert not i18n.install(i18n.CHINESE, tmp_path)
    assert i18n.installed_language() == i18n.ENGLISH
    assert tab_names()[0] == "Train"


# --- switching while it runs ---------------------------------------------------------------
def test_switching_rebuilds_the_window_and_keeps_what_the_user_had(qtbot, small_data):
    w = MainWindow(dataset=small_data, model_path=PIXEL_MODEL_PATH)
    qtbot.addWidget(w)
    w.show()
    trained = replace(w.model, W=w.model.W * 0.5)
    w.set_model(trained, "run 7 (not saved)")
    qtbot.waitUntil(lambda: w.model is trained, timeout=TIMEOUT_MS)
    w.tabs.setCurrentWidget(w.gradcheck_panel)
    w.gradcheck_panel.n_images.setValue(17)
    w.training_panel.set_values({"lr": 0.25})
    w.resize(1100, 700)
    size, dataset, old_tabs = w.size(), w.dataset, w.tabs
    try:
        with qtbot.waitSignal(w.language_changed, timeout=TIMEOUT_MS):
            w.switch_language(i18n.CHINESE)
        assert w.tabs is not old_tabs  # rebuilt
        assert w.model is trained and w.dataset is dataset  # no reload
        assert "run 7 (not saved)" in w.model_label.text()
        assert w.size() == size and w.tabs.currentWidget() is w.gradcheck_panel
        assert w.gradcheck_panel.n_images.value() == 17
        assert w.training_panel.values()["lr"] == 0.25
        assert w.menus.languages[i18n.CHINESE].isChecked()
        assert i18n.read_choice(open_settings()) == i18n.CHINESE
        if QM.exists():
            assert [w.tabs.tabText(i) for i in range(w.tabs.count())] == [
                "训练",
                "梯度检验",
                "评估",
                "画数字",
                "我的笔迹",
                "单步详解",
            ]
    finally:
        i18n.install(i18n.ENGLISH)
    settle()
    assert not shiboken6.isValid(old_tabs)  # the old widgets (and their plots) are gone


def test_switching_keeps_the_drawing_and_the_handwriting_samples(qtbot, small_data):
    w = MainWindow(dataset=small_data, model_path=PIXEL_MODEL_PATH)
    qtbot.addWidget(w)
    w.show_test_image(3)
    ink = w.canvas.ink_array()
    x = w.draw_panel.model_input()
    w.personal.teach(x, 5, ink, None)
    qtbot.waitUntil(lambda: len(w.personal.samples) == 1, timeout=TIMEOUT_MS)
    old_tabs = w.tabs
    try:
        with qtbot.waitSignal(w.language_changed, timeout=TIMEOUT_MS):
            w.switch_language(i18n.CHINESE)
        assert w.tabs is not old_tabs
        assert (w.canvas.ink_array() == ink).all()
        assert len(w.personal.samples) == 1
        assert w.handwriting_view.grid.isVisibleTo(w.handwriting_view)
        if not QM.exists():  # the counts are shown in English
            assert w.handwriting_view.summary.text().startswith("1 sample taught")
            assert "1 sample" in w.training_panel.personal_box.text()
    finally:
        i18n.install(i18n.ENGLISH)
    qtbot.waitUntil(lambda: not w.personal.is_busy(), timeout=TIMEOUT_MS)


def test_choosing_the_language_on_show_rebuilds_nothing(qtbot, window):
    tabs = window.tabs
    window.switch_language(i18n.ENGLISH)  # English already
    assert window.tabs is tabs and not window.language_pending()
    assert window.menus.languages[i18n.ENGLISH].isChecked()


def test_switching_during_a_training_run_waits_for_it_to_end(qtbot, small_data):
    from .conftest import ENDLESS_SGD

    w = MainWindow(dataset=small_data, model_path=PIXEL_MODEL_PATH)
    qtbot.addWidget(w)
    w.training_panel.set_values(ENDLESS_SGD)
    with qtbot.waitSignal(w.training_progress, timeout=TIMEOUT_MS):
        w.start_training()
    old_tabs, runs_before = w.tabs, w.train_tab.plots.n_runs
    try:
        w.switch_language(i18n.CHINESE)
        assert w.language_pending() and w.tabs is old_tabs  # the run keeps drawing
        assert "training run ends" in w.statusBar().currentMessage()
        with qtbot.waitSignal(w.language_changed, timeout=TIMEOUT_MS) as changed:
            w.stop_training()
        assert changed.args == [i18n.CHINESE]
        assert not w.language_pending() and w.tabs is not old_tabs
        assert w.model is not None and w._run_label in w.model_label.text()
    finally:
        i18n.install(i18n.ENGLISH)
    assert w.train_tab.plots.n_runs == runs_before  # the finished run came back from its file


# --- every visible string in Chinese ------------------------------------------------------
@needs_qm
def test_every_visible_string_is_chinese(qtbot, small_data, chinese):
    data = replace(small_data, name="MNIST")
    w = MainWindow(dataset=data, model_path=PIXEL_MODEL_PATH)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.evaluation_panel.report is not None, timeout=TIMEOUT_MS)
    found = [("window title", w.windowTitle())]
    found += [("tab", w.tabs.tabText(i)) for i in range(w.tabs.count())]
    for action in w.menuBar().actions():
        if action.menu() is not None:
            found += _menu_texts(action.menu(), action.text())
    for index in range(w.tabs.count()):
        w.tabs.setCurrentIndex(index)
        QApplication.processEvents()
        found += [(f"tab {index}: {what}", t) for what, t in visible_texts(w.tabs.currentWidget())]
    found += [(f"status bar: {what}", t) for what, t in visible_texts(w.statusBar())]
    english = sorted({f"{what}: {text!r}" for what, text in found if english_words(text)})
    assert not english, f"{len(english)} strings still in English:\n" + "\n".join(english)


def test_the_english_word_finder():
    assert english_words("Train") == ["Train"]
    assert english_words("训练(&T)") == []
    assert english_words("<b>z = xW + b</b> 用 L-BFGS-B 或 SGD，1e-4，model.npz，{n} 个") == []
    assert english_words("第 3 轮 · MNIST · 12 px") == []
    assert english_words("正在 loading") == ["loading"]


# --- the translation files match the code ---------------------------------------------------
def _messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    root = ET.parse(ts).getroot()
    return {
        (context.findtext("name") or "", message.findtext("source") or ""): message
        for context in root.iter("context")
        for message in context.iter("message")
    }


@needs_ts
def test_the_committed_ts_is_up_to_date_and_finished(tmp_path):
    fresh = tmp_path / "fresh.ts"
    update.lupdate(fresh)
    committed = _messages(update.TS_PATH)
    wanted = set(_messages(fresh))
    assert not wanted - set(committed), "new strings: run python -m softmax_gui.i18n.update"
    assert not set(committed) - wanted, "stale strings: run python -m softmax_gui.i18n.update"
    unfinished = [
        key for key, m in committed.items() if (m.find("translation").get("type") or "") != ""
    ]
    assert not unfinished, f"{len(unfinished)} unfinished: {unfinished[:20]}"


@needs_ts
def test_the_qm_is_built_from_the_ts(tmp_path):
    built = tmp_path / "built.qm"
    update.lrelease(update.TS_PATH, built)
    assert QM.exists() and QM.read_bytes() == built.read_bytes(), "run the update again"


def test_the_qm_ships_in_the_package():
    text = (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text(encoding="utf-8")
    assert '"softmax_gui.i18n"' in text and "translations/*.qm" in text
