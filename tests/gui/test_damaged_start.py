"""The app starts whatever damage its files have: a samples file, the remembered or given
model, the run history and settings values of the wrong type. The window comes up on the
shipped model with a notice in the status bar; damaged files are set aside, never deleted;
no error dialog, no exception.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import engine
from softmax_gui import window_state
from softmax_gui.handwriting.controller import SAMPLES_FILE_NAME
from softmax_gui.main_window import MainWindow
from softmax_gui.settings import open_settings
from softmax_gui.train.plot_data import SERIES_KEYS
from softmax_gui.train.run_history import (
    HISTORY_FILE_NAME,
    SET_ASIDE_SUFFIX,
    StoredRun,
    load_runs,
    save_runs,
)
from softmax_gui.train.run_summary import RunOutcome, RunSummary
from softmax_gui.widgets.status_notice import MODEL_NOTICE, SAMPLES_NOTICE

from ..damage import damaged_model, damaged_samples

#: Settings of the wrong types and out of range, as a damaged or hand-edited INI has them.
WRONG_SETTINGS = """
[window]
geometry=not a geometry
tab=99999999999

[draw]
pen_width=1e999

[personal]
use=@Variant(\\0\\0\\0\\x7f\\0\\0\\0\\aQPointF\\0@\\x14\\0\\0\\0\\0\\0\\0)
include_in_training=1, 2

[plots]
x_axis=1, 2
log_scale=@ByteArray(xyz)

[training]
lr=nan
epochs=-99999999999
seed=99999999999999999999999
tol=inf
optimizer=@Invalid()
"""


def aside(folder: Path, name: str) -> list[Path]:
    return sorted(folder.glob(f"{name}{SET_ASIDE_SUFFIX}*"))


@pytest.fixture
def damaged_files(tmp_path, isolated_data, isolated_settings) -> dict[str, tuple[Path, bytes]]:
    """A damaged samples file and run history in the data folder, a damaged model remembered
    as the last one opened, and settings of the wrong types."""
    isolated_data.mkdir(parents=True)
    files = {
        "samples": (isolated_data / SAMPLES_FILE_NAME, damaged_samples()),
        "history": (isolated_data / HISTORY_FILE_NAME, b"[" * 100_000),  # too deep to parse
        "model": (tmp_path / "mine.npz", damaged_model()),
    }
    for path, raw in files.values():
        path.write_bytes(raw)
    isolated_settings.write_text(WRONG_SETTINGS)
    s = open_settings()
    window_state.remember_model(s, files["model"][0])
    s.sync()
    for name in ("samples", "model"):  # each is damage the readers used to crash on
        load = engine.load_samples if name == "samples" else engine.load_model
        with pytest.raises(ValueError, match=files[name][0].name):
            load(files[name][0])
    return files


def test_the_window_starts_with_damaged_files_and_says_so(
    qtbot, small_data, isolated_data, shown_errors, damaged_files
):
    w = MainWindow(dataset=small_data)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)

    assert w.isVisible() and shown_errors == []
    assert w.model is not None and "model.npz" in w.model_label.text()  # the shipped model
    notice = w.notice_label
    assert notice.isVisible()
    assert SAMPLES_NOTICE in notice.text() and MODEL_NOTICE in notice.text()
    assert "mine.npz" in notice.toolTip()
    assert "not restored" in w.train_tab.runs_note.text()

    model_path, model_raw = damaged_files["model"]
    assert model_path.read_bytes() == model_raw  # the user's model is left where it was
    for name in ("samples", "history"):
        path, raw = damaged_files[name]
        [kept] = aside(isolated_data, path.name)
        assert not path.exists() and kept.read_bytes() == raw  # set aside, not deleted

    assert len(w.personal.samples) == 0  # starting with no samples
    w.close()

    again = MainWindow(dataset=small_data)  # the next start is clean
    qtbot.addWidget(again)
    assert not again.notice_label.isVisible() and again.notice_label.text() == ""
    assert "model.npz" in again.model_label.text() and shown_errors == []


def test_a_damaged_model_given_on_the_command_line_falls_back_to_the_shipped_one(
    qtbot, small_data, tmp_path, shown_errors
):
    given_path = tmp_path / "given.npz"
    given_path.write_bytes(damaged_model())
    w = MainWindow(dataset=small_data, model_path=given_path)  # softmax-gui --model given.npz
    qtbot.addWidget(w)
    assert "model.npz" in w.model_label.text() and shown_errors == []
    assert MODEL_NOTICE in w.notice_label.text() and "given.npz" in w.notice_label.toolTip()
    assert given_path.read_bytes() == damaged_model()

    assert w.open_model(engine.DEFAULT_MODEL_PATH)  # opening a model clears the notice
    assert w.notice_label.text() == ""


# --- the run history reader --------------------------------------------------------------------
def a_history(path: Path) -> bytes:
    series = {key: [float(i) for i in range(5)] for key in SERIES_KEYS}
    summary = RunSummary(
        1, engine.TrainConfig(), "MNIST", 3, outcome=RunOutcome.FINISHED, seconds=1.5
    )
    save_runs(path, [StoredRun(summary, True, series)])
    return path.read_bytes()


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)


def test_a_damaged_run_history_loads_or_raises_value_error(tmp_path):
    path = tmp_path / HISTORY_FILE_NAME
    valid = a_history(path)

    @settings(max_examples=40, derandomize=True, deadline=None, database=None)
    @given(st.data())
    def check(data: st.DataObject) -> None:
        document = json.loads(valid)
        run = document["runs"][0]
        where = data.draw(st.sampled_from(["summary", "config", "series", "run", "bytes"]))
        if where == "bytes":
            raw = bytearray(valid)
            at = data.draw(st.integers(0, len(raw) - 1))
            raw[at : at + 4] = data.draw(st.binary(min_size=0, max_size=4))
            path.write_bytes(bytes(raw))
        else:
            target = {
                "summary": run["summary"],
                "config": run["summary"]["config"],
                "series": run["series"],
                "run": run,
            }[where]
            target[data.draw(st.sampled_from(sorted(target)))] = data.draw(JSON)
            path.write_text(json.dumps(document))
        try:
            runs = load_runs(path)
        except ValueError:
            return
        for stored in runs:  # what the Train tab then shows must not fail either
            assert stored.summary.label() and stored.summary.settings_text()
            assert all(math.isnan(v) or math.isfinite(v) for v in stored.series["step"])

    check()
