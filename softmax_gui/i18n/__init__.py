"""The app's language: which one to use (the system's by default, or the user's choice
remembered in the settings) and the Qt translators that make the widgets speak it.

English is the source language and needs no translator. Simplified Chinese (``zh_CN``)
comes from ``translations/softmax_gui_zh_CN.qm`` (built from the ``.ts`` next to it by
``python -m softmax_gui.i18n.update``) plus Qt's own ``qtbase_zh_CN.qm`` for the standard
dialogs' buttons. A missing or unreadable ``.qm`` leaves the app in English.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator

from softmax_gui import settings as prefs

#: The user's choices: follow the system's locale, or one language whatever it is.
SYSTEM, ENGLISH, CHINESE = "system", "en", "zh_CN"
CHOICES = (SYSTEM, ENGLISH, CHINESE)
#: Each choice as the menu shows it, in its own language (so anyone can find theirs).
CHOICE_NAMES = {SYSTEM: "System language", ENGLISH: "English", CHINESE: "中文（简体）"}
KEY_LANGUAGE = "ui/language"
TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
#: The app's translations are this prefix + the language + ".qm".
QM_PREFIX = "softmax_gui_"
#: Qt's own translations (standard buttons, file dialogs) in the Qt installation.
QT_QM_PREFIX = "qtbase_"
#: Marks the translators installed here, so a switch replaces exactly them.
TRANSLATOR_NAME = "softmax_gui.i18n"


def read_choice(settings: QSettings) -> str:
    """The remembered choice; :data:`SYSTEM` when none (or an unknown one) is stored."""
    choice = prefs.read_value(settings, KEY_LANGUAGE, SYSTEM)
    return choice if choice in CHOICES else SYSTEM


def write_choice(settings: QSettings, choice: str) -> None:
    """Remember ``choice`` (one of :data:`CHOICES`) for the next start."""
    if choice not in CHOICES:
        raise ValueError(f"language must be one of {CHOICES}, got {choice!r}")
    settings.setValue(KEY_LANGUAGE, choice)


def is_simplified_chinese(locale: QLocale) -> bool:
    """Whether ``locale`` is Chinese written in simplified characters (zh_CN, zh_SG, zh…);
    Traditional (zh_TW, zh_HK) is not: the translations use simplified characters only."""
    return (
        locale.language() == QLocale.Language.Chinese
        and locale.script() != QLocale.Script.TraditionalChineseScript
    )


def resolve(choice: str, system: QLocale | None = None) -> str:
    """The language to show for ``choice``: :data:`ENGLISH` or :data:`CHINESE`
    (``system``, default ``QLocale.system()``, decides for :data:`SYSTEM`)."""
    if choice in (ENGLISH, CHINESE):
        return choice
    locale = QLocale.system() if system is None else system
    languages = [QLocale(name) for name in locale.uiLanguages()[:1]] or [locale]
    return CHINESE if is_simplified_chinese(languages[0]) else ENGLISH


def install(language: str, directory: Path = TRANSLATIONS_DIR) -> bool:
    """Make the running application speak ``language`` (replacing the translators installed
    before); True if its translation loaded. English, or a missing or damaged ``.qm``,
    leaves the source (English) text. Call before building the widgets that show it."""
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("install() needs a QApplication")
    for old in app.findChildren(QTranslator, TRANSLATOR_NAME):
        QCoreApplication.removeTranslator(old)
        old.deleteLater()
    if language == ENGLISH:
        return True
    ours = QTranslator(app)
    if not ours.load(f"{QM_PREFIX}{language}", str(directory)) or ours.isEmpty():
        ours.deleteLater()
        return False
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    theirs = QTranslator(app)
    qt_loaded = theirs.load(f"{QT_QM_PREFIX}{language}", qt_dir)
    for translator, loaded in ((ours, True), (theirs, qt_loaded)):
        if loaded:  # without Qt's own, only the standard buttons stay English
            translator.setObjectName(TRANSLATOR_NAME)
            QCoreApplication.installTranslator(translator)
        else:
            translator.deleteLater()
    return True


def installed_language() -> str:
    """The language the installed translators speak (:data:`ENGLISH` when none is)."""
    app = QCoreApplication.instance()
    if app is None:
        return ENGLISH
    for translator in app.findChildren(QTranslator, TRANSLATOR_NAME):
        name = Path(translator.filePath()).stem
        if name.startswith(QM_PREFIX):
            return name.removeprefix(QM_PREFIX)
    return ENGLISH
