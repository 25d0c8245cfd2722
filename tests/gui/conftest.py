"""GUI test fixtures: settings and the user's data folder in tmp_path, recorded (never modal)
error dialogs, a small real MNIST subset, a window built on it, and helpers to measure memory
(RSS) reliably.
"""

from __future__ import annotations

import gc
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication

import engine
from softmax_gui import MainWindow, errors
from softmax_gui.draw.panel import DrawPanel
from softmax_gui.settings import DATA_ENV, SETTINGS_ENV

from ..conftest import PIXEL_MODEL_PATH

#: Subset sizes: real digits, but small enough for a training run in well under a second.
SMALL_TRAIN = 2_000
SMALL_TEST = 500
#: Generous bound for background work on a busy 2-core machine (tests wait on signals).
TIMEOUT_MS = 60_000
#: SGD settings for a run that goes on until it is stopped: a small step without momentum
#: makes every epoch's cost lower than the last, so the early stop (an epoch that does not
#: improve the cost by ``tol``) cannot end the run before a slow, loaded GUI thread stops it.
ENDLESS_SGD = {
    "optimizer": "sgd",
    "epochs": 10_000,
    "batch_size": 100,
    "lr": 0.01,
    "momentum": 0.0,
    "schedule": "constant",
    "augment": "none",
}


def shown_draw_panel(qtbot, model: engine.SoftmaxModel) -> DrawPanel:
    """A Draw tab on its own, shown at a comfortable size, reading with ``model``."""
    widget = DrawPanel()
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_model(model)
    return widget


def settle() -> None:
    """Run pending deleteLater()s and events, then collect garbage."""
    for _ in range(3):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QApplication.processEvents()
        gc.collect()


def rss_bytes() -> int:
    """VmRSS of this process (from /proc/self/status), after :func:`settle`."""
    settle()
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024  # reported in kB
    raise RuntimeError("no VmRSS line in /proc/self/status")


def start_then_stop(qtbot, window: MainWindow) -> engine.TrainResult:
    """Start a run, stop it once it reports; it ends "stopped" and the window keeps its model."""
    with qtbot.waitSignal(window.training_progress, timeout=TIMEOUT_MS):
        window.start_training()
    with qtbot.waitSignal(window.training_finished, timeout=TIMEOUT_MS) as finished:
        window.stop_training()
    result = finished.args[0]
    assert result.reason == "stopped"
    assert window.model is result.model
    return result


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, monkeypatch):
    """Point QSettings at a file in tmp_path so tests never touch the user's settings."""
    path = tmp_path / "settings.ini"
    monkeypatch.setenv(SETTINGS_ENV, str(path))
    return path


@pytest.fixture(autouse=True)
def isolated_data(tmp_path, monkeypatch) -> Path:
    """Point the user's data folder (handwriting samples) at tmp_path, never the home folder."""
    path = tmp_path / "data"
    monkeypatch.setenv(DATA_ENV, str(path))
    return path


@pytest.fixture(autouse=True)
def shown_errors(monkeypatch) -> list[tuple[str, str]]:
    """Record (title, message) of every error dialog instead of showing a modal box."""
    shown: list[tuple[str, str]] = []

    def record(parent, title, message, *, warning=False):
        shown.append((title, message))

    monkeypatch.setattr(errors, "show_error", record)
    return shown


@pytest.fixture(scope="session")
def small_data(mnist: engine.Dataset) -> engine.Dataset:
    """The first SMALL_TRAIN training and SMALL_TEST test images of the bundled MNIST."""
    full = mnist
    return replace(  # keeps the preprocessing version the images were prepared with
        full,
        X_train=full.X_train[:SMALL_TRAIN].copy(),
        y_train=full.y_train[:SMALL_TRAIN].copy(),
        X_test=full.X_test[:SMALL_TEST].copy(),
        y_test=full.y_test[:SMALL_TEST].copy(),
        name="MNIST subset",
    )


@pytest.fixture
def window(qtbot, small_data) -> MainWindow:
    """A main window with the small dataset injected, reading with a pixel model (tests of
    the shipped model open it themselves)."""
    w = MainWindow(dataset=small_data, model_path=PIXEL_MODEL_PATH)
    qtbot.addWidget(w)
    return w
