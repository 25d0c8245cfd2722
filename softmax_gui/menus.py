"""The menu bar: File / Training / View / Help, their shortcuts, and the file dialogs behind
them. Actions that need a path ask for it here and hand it to the window's method.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMenu, QMessageBox, QTabWidget

MODEL_FILTER = "Softmax models (*.npz);;All files (*)"
PNG_FILTER = "PNG images (*.png)"
DEFAULT_MODEL_NAME = "model.npz"
DEFAULT_PLOT_NAME = "training.png"
TAB_NAMES = (
    "&Train",
    "&Gradient check",
    "&Evaluate",
    "&Draw",
    "&My handwriting",
    "&Inside one step",
)
ABOUT = (
    "<b>Softmax GUI</b><p>Train a softmax regression on MNIST with L-BFGS-B or SGD, "
    "watch its cost, errors and weight templates, check its gradient, inspect its "
    "mistakes, then draw a digit and see what it thinks — and teach it your handwriting.</p>"
)

Keys = QKeySequence.StandardKey | str | None


@dataclass(frozen=True)
class Menus:
    """The window-level actions whose enabled state the window manages."""

    open_model: QAction
    save_model: QAction
    open_folder: QAction
    export_plots: QAction
    clear_history: QAction
    use_shipped: QAction


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
) -> Menus:
    """Fill ``window``'s menu bar; the callbacks receive the chosen paths."""
    bar = window.menuBar()
    file = bar.addMenu("&File")
    menus = Menus(
        open_model=_path_action(
            file,
            "&Open model…",
            QKeySequence.StandardKey.Open,
            lambda: QFileDialog.getOpenFileName(window, "Open model", "", MODEL_FILTER)[0],
            open_model,
        ),
        save_model=_path_action(
            file,
            "&Save model…",
            QKeySequence.StandardKey.Save,
            lambda: QFileDialog.getSaveFileName(
                window, "Save model", DEFAULT_MODEL_NAME, MODEL_FILTER
            )[0],
            save_model,
        ),
        open_folder=_path_action(
            file,
            "Open IDX &folder…",
            "Ctrl+Shift+O",
            lambda: QFileDialog.getExistingDirectory(
                window, "Open a folder of MNIST-format IDX files"
            ),
            open_folder,
        ),
        export_plots=_path_action(
            file,
            "&Export plots as PNG…",
            "Ctrl+E",
            lambda: QFileDialog.getSaveFileName(
                window, "Export plots", DEFAULT_PLOT_NAME, PNG_FILTER
            )[0],
            export_plots,
        ),
        clear_history=QAction("&Clear history", window),
        use_shipped=_add(file, "Use the s&hipped model", None, use_shipped),
    )
    menus.use_shipped.setToolTip("Read and learn with the model that comes with the app")
    file.insertSeparator(menus.open_folder)
    file.addSeparator()
    _add(file, "&Quit", QKeySequence.StandardKey.Quit, window.close)
    train_menu = bar.addMenu("&Training")
    train_menu.addActions(training)
    train_menu.addSeparator()
    menus.clear_history.setShortcut(QKeySequence("Ctrl+Shift+Del"))
    menus.clear_history.triggered.connect(clear_history)
    train_menu.addAction(menus.clear_history)
    train_menu.addAction(gradcheck)
    view = bar.addMenu("&View")
    for index, name in enumerate(TAB_NAMES):
        _add(view, name, f"Ctrl+{index + 1}", lambda _=False, i=index: tabs.setCurrentIndex(i))
    _add(
        bar.addMenu("&Help"),
        "&About",
        None,
        lambda: QMessageBox.about(window, "About Softmax GUI", ABOUT),
    )
    return menus
