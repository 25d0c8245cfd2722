"""The last model file and dataset folder the user opened come back after a restart, and a
clean fall-back (shipped model, bundled MNIST) when they are gone."""

from __future__ import annotations

import shutil

import engine
from softmax_gui.main_window import MainWindow

from ..idx_files import dataset_arrays, write_idx_folder

TIMEOUT_MS = 120_000


def started(qtbot) -> tuple[MainWindow, engine.Dataset, list[str]]:
    """A window shown as the app starts it (it loads a dataset on show), its dataset and the
    status-bar messages shown since it was made (the first: what __init__ left there)."""
    window = MainWindow()
    qtbot.addWidget(window)
    messages = [window.statusBar().currentMessage()]
    window.statusBar().messageChanged.connect(messages.append)
    with qtbot.waitSignal(window.dataset_loaded, timeout=TIMEOUT_MS) as loaded:
        window.show()
    return window, loaded.args[0], messages


def test_the_last_model_and_folder_open_again_and_fall_back_when_gone(qtbot, small_data, tmp_path):
    # the user's cache, as small_data's load: the bundled MNIST is prepared there already
    model_path = tmp_path / "mine.npz"
    shutil.copy(engine.DEFAULT_MODEL_PATH, model_path)
    folder = write_idx_folder(tmp_path / "digits", dataset_arrays(small_data, 200, 30), gz=False)
    first, _, _ = started(qtbot)
    assert first.open_model(model_path)
    with qtbot.waitSignal(first.dataset_loaded, timeout=TIMEOUT_MS):
        first.load_dataset(folder)
    first.close()

    again, data, _ = started(qtbot)
    assert "mine.npz" in again.model_label.text()
    assert data.name == "digits" and data.X_test.shape[0] == 30
    again.close()

    model_path.unlink()
    shutil.rmtree(folder)
    last, data, messages = started(qtbot)
    assert "model.npz" in last.model_label.text()  # the shipped model
    assert data.name == "MNIST"
    gone = [m for m in messages if "is gone" in m]
    assert len(gone) == 2 and "mine.npz" in gone[0] and str(folder) in gone[1]
