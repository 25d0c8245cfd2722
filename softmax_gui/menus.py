"""The menu bar: File / Training / View / Language / Help, their shortcuts, and the file
dialogs behind them. Actions that need a path ask for it here and hand it to the window's
method.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMenu, QMessageBox, QTabWidget

from softmax_gui import i18n

DEFAULT_MODEL_NAME = "model.npz"
DEFAULT_PLOT_NAME = "training.png"
TAB_NAMES = (
    str(QT_TRANSLATE_NOOP("menus", "&Train")),
    str(QT_TRANSLATE_NOOP("menus", "&Gradient check")),
    str(QT_TRANSLATE_NOOP("menus", "&Evaluate")),
    str(QT_TRANSLATE_NOOP("menus", "&Draw")),
    str(QT_TRANSLATE_NOOP("menus", "&My handwriting")),
    str(QT_TRANSLATE_NOOP("menus", "&Inside one step")),
)
#: A mnemonic as Chinese writes it, after the text: "训练(&T)".
_TRAILING_MNEMONIC = re.compile(r"\(&[^)]\)")

Keys = QKeySequence.StandardKey | str | None


def without_mnemonic(text: str) -> str:
    """``text`` without its keyboard mnemonic ("&Train" → "Train", "训练(&T)" → "训练")."""
    return _TRAILING_MNEMONIC.sub("", text).replace("&", "")


def tab_names() -> list[str]:
    """The tabs' titles in the app's language, without mnemonics."""
    return [without_mnemonic(QCoreApplication.translate("menus", name)) for name in TAB_NAMES]


def model_filter() -> str:
    """The file dialogs' filter for model files."""
    return QCoreApplication.translate("menus", "Softmax models (*.npz);;All files (*)")


def png_filter() -> str:
    """The file dialogs' filter for PNG images."""
    return QCoreApplication.translate("menus", "PNG images (*.png)")


def about_text() -> str:
    """The About box's text."""
    return QCoreApplication.translate(
        "menus",
        "<b>Softmax GUI</b><p>Train a softmax regression on MNIST with L-BFGS-B or SGD, "
        "watch its cost, errors and weight templates, check its gradient, inspect its "
        "mistakes, then draw a digit and see what it thinks — and teach it your handwriting.</p>",
    )


@dataclass(frozen=True)
class Menus:
    """The window-level actions whose enabled state the window manages."""

    open_model: QAction
    save_model: QAction
    open_folder: QAction
    export_plots: QAction
    clear_history: QAction
    use_shipped: QAction
    languages: dict[str, QAction]  # i18n choice -> its (checkable) action


def _add(menu: QMenu, text: str, keys: Keys, slot: Callable[..., object]) -> QAction:
    action = menu.addAction(text)
    if keys is not None:
        action.setShortcut(QKeySequence(keys))
    action.triggered.connect(slot)
    return action


def _path_action(
    menu: QMenu, text: str, keys: Keys, ask: Callable[[], str], use: Callable[[str], object]
) -> QAction:
    """An action that asks for a path and hands it to ``use`` unless the user cancels."""

    def trigger() -> None:
        path = ask()
        if path:
            use(path)

    return _add(menu, text, keys, trigger)


def _language_menu(menu: QMenu, chosen: str, choose: Callable[[str], object]) -> dict[str, QAction]:
    """One checkable entry per choice, each named in its own language (the system's in the
    app's), the ``chosen`` one ticked."""
    group = QActionGroup(menu)
    actions: dict[str, QAction] = {}
    for choice in i18n.CHOICES:
        name = (
            QCoreApplication.translate("menus", "System language")
            if choice == i18n.SYSTEM
            else i18n.CHOICE_NAMES[choice]
        )
        action = menu.addAction(name)
        action.setCheckable(True)
        action.setChecked(choice == chosen)
        action.setActionGroup(group)
        action.triggered.connect(lambda _=False, c=choice: choose(c))
        actions[choice] = action
    menu.insertSeparator(actions[i18n.ENGLISH])
    return actions


def build_menus(
    window: QMainWindow,
    tabs: QTabWidget,
    *,
    training: list[QAction],
    gradcheck: QAction,
    open_model: Callable[[str], object],
    save_model: Callable[[str], object],
    open_folder: Callable[[str], object],
    export_plots: Callable[[str], object],
    clear_history: Callable[[], object],
    use_shipped: Callable[[], object],
    language: str,
    choose_language: Callable[[str], object],
) -> Menus:
    """Fill ``window``'s menu bar; the callbacks receive the chosen paths (and language)."""
    bar = window.menuBar()
    file = bar.addMenu(QCoreApplication.translate("menus", "&File"))
    menus = Menus(
        open_model=_path_action(
            file,
            QCoreApplication.translate("menus", "&Open model…"),
            QKeySequence.StandardKey.Open,
            lambda: QFileDialog.getOpenFileName(
                window, QCoreApplication.translate("menus", "Open model"), "", model_filter()
            )[0],
            open_model,
        ),
        save_model=_path_action(
            file,
            QCoreApplication.translate("menus", "&Save model…"),
            QKeySequence.StandardKey.Save,
            lambda: QFileDialog.getSaveFileName(
                window,
                QCoreApplication.translate("menus", "Save model"),
                DEFAULT_MODEL_NAME,
                model_filter(),
            )[0],
            save_model,
        ),
        open_folder=_path_action(
            file,
            QCoreApplication.translate("menus", "Open IDX &folder…"),
            "Ctrl+Shift+O",  # no standard key: Open with Shift, as for "open another kind"
            lambda: QFileDialog.getExistingDirectory(
                window,
                QCoreApplication.translate("menus", "Open a folder of MNIST-format IDX files"),
            ),
            open_folder,
        ),
        export_plots=_path_action(
            file,
            QCoreApplication.translate("menus", "&Export plots as PNG…"),
            "Ctrl+E",
            lambda: QFileDialog.getSaveFileName(
                window,
                QCoreApplication.translate("menus", "Export plots"),
                DEFAULT_PLOT_NAME,
                png_filter(),
            )[0],
            export_plots,
        ),
        clear_history=QAction(
            QCoreApplication.translate("menus", "&Clear history"), bar
        ),  # rebuilt with the bar
        use_shipped=_add(
            file, QCoreApplication.translate("menus", "Use the s&hipped model"), None, use_shipped
        ),
        languages={},
    )
    menus.use_shipped.setToolTip(
        QCoreApplication.translate("menus", "Read and learn with the model that comes with the app")
    )
    file.insertSeparator(menus.open_folder)
    file.addSeparator()
    _add(
        file,
        QCoreApplication.translate("menus", "&Quit"),
        QKeySequence.StandardKey.Quit,
        window.close,
    )
    train_menu = bar.addMenu(QCoreApplication.translate("menus", "&Training"))
    train_menu.addActions(training)
    train_menu.addSeparator()
    menus.clear_history.setShortcut(QKeySequence("Ctrl+Shift+Del"))
    menus.clear_history.triggered.connect(clear_history)
    train_menu.addAction(menus.clear_history)
    train_menu.addAction(gradcheck)
    view = bar.addMenu(QCoreApplication.translate("menus", "&View"))
    for index, name in enumerate(TAB_NAMES):
        _add(
            view,
            QCoreApplication.translate("menus", name),
            f"Ctrl+{index + 1}",
            lambda _=False, i=index: tabs.setCurrentIndex(i),
        )
    # "Language" stays readable to someone who cannot read the language on screen.
    languages = bar.addMenu(QCoreApplication.translate("menus", "&Language"))
    menus.languages.update(_language_menu(languages, language, choose_language))
    _add(
        bar.addMenu(QCoreApplication.translate("menus", "&Help")),
        QCoreApplication.translate("menus", "&About"),
        None,
        lambda: QMessageBox.about(
            window, QCoreApplication.translate("menus", "About Softmax GUI"), about_text()
        ),
    )
    return menus
