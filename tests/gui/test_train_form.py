"""The Train form is made from TrainConfig's options (labels, tooltips, ranges, which optimizer
each is for), and a run's outcome is shown and stored as what the engine said happened."""

from __future__ import annotations

import json
import math

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel

import engine
from softmax_gui.train.controls import DEFAULTS, TrainingPanel
from softmax_gui.train.plot_data import SERIES_KEYS
from softmax_gui.train.run_history import StoredRun, load_runs, save_runs
from softmax_gui.train.run_summary import RunOutcome, RunSummary

from .conftest import TIMEOUT_MS


@pytest.fixture
def panel(qtbot) -> TrainingPanel:
    widget = TrainingPanel()
    qtbot.addWidget(widget)
    return widget


def form_rows(panel: TrainingPanel) -> dict[str, object]:
    """The form's label text -> its field widget, in order."""
    form = panel._form_box.layout()
    assert isinstance(form, QFormLayout)
    rows = {}
    for row in range(form.rowCount()):
        label = form.itemAt(row, QFormLayout.ItemRole.LabelRole).widget()
        field = form.itemAt(row, QFormLayout.ItemRole.FieldRole).widget()
        assert isinstance(label, QLabel)
        rows[label.text()] = field
    return rows


def test_the_form_has_a_row_per_option_with_its_label_tooltip_and_range(panel):
    options = engine.TrainConfig.options()
    rows = form_rows(panel)
    assert list(rows) == [option.label for option in options.values()]
    for name, option in options.items():
        field = rows[option.label]
        assert field is getattr(panel, name)
        assert option.help.lower() in field.toolTip().lower()
        if option.choices is not None:
            assert isinstance(field, QComboBox)
            assert [field.itemData(i) for i in range(field.count())] == list(option.choices)
            assert [field.itemText(i) for i in range(field.count())] == [
                choice.text for choice in option.choices.values()
            ]
        else:
            assert (field.minimum(), field.maximum()) == (option.low, option.high), name
    assert (
        panel.values()
        == DEFAULTS
        == {name: getattr(engine.TrainConfig(), name) for name in options}
    )


def test_the_inputs_menu_explains_each_map_in_a_line(panel):
    menu = panel.inputs
    assert isinstance(menu, QComboBox)
    entries = {
        menu.itemData(i): (menu.itemText(i), menu.itemData(i, Qt.ItemDataRole.ToolTipRole))
        for i in range(menu.count())
    }
    assert entries["pixels"][0] == "pixels — the classic"
    assert entries["edges"][0] == "pixels + edge directions"
    for text, tip in entries.values():
        assert tip and "\n" not in tip and text not in ("", tip)
    assert menu.currentData() == "pixels"  # the default trains the classic model


@pytest.mark.parametrize("optimizer", list(engine.OPTIMIZERS))
def test_only_the_chosen_optimizers_fields_are_shown(panel, optimizer):
    panel.set_values({"optimizer": optimizer})
    for name, option in engine.TrainConfig.options().items():
        wanted = option.only is None or option.only == optimizer
        field = getattr(panel, name)
        assert field.isEnabled() == wanted, name
        assert field.isVisibleTo(panel) == wanted, name  # the other optimizer's rows go
        if option.only is not None:
            assert engine.OPTIMIZERS[option.only].short in getattr(panel, name).toolTip()


def test_an_early_stopped_sgd_run_says_what_happened_not_converged(qtbot, window):
    # a tolerance no epoch can beat: SGD stops after its second epoch
    window.training_panel.set_values({"optimizer": "sgd", "epochs": 5, "tol": 1.0})
    with qtbot.waitSignal(window.training_finished, timeout=TIMEOUT_MS) as finished:
        window.start_training()
    result = finished.args[0]
    assert result.stop_reason is engine.StopReason.NO_IMPROVEMENT
    epoch = round(result.history[-1].epoch)  # the epoch that did not improve the cost enough
    status = window.training_panel.status.text()
    assert status.startswith(f"Stopped early in epoch {epoch}: the mean training cost")
    assert "onverged" not in status
    row = window.train_tab.runs.row_texts(window.plots.run_numbers()[-1])
    assert row["Result"] == status.splitlines()[0].removesuffix(".").replace("S", "s", 1)


def summary(outcome: RunOutcome, reason: str = "") -> RunSummary:
    return RunSummary(
        1,
        engine.TrainConfig(),
        "MNIST",
        3,
        outcome=outcome,
        reason=reason,
        seconds=1.0,
        train_error=0.1,
        test_error=math.nan,
    )


def test_outcomes_are_stored_as_their_names_and_read_back_as_outcomes(tmp_path):
    path = tmp_path / "history.json"
    series = {key: [0.0] for key in SERIES_KEYS}
    save_runs(path, [StoredRun(summary(RunOutcome.STOPPED, "stopped"), True, series)])
    stored = json.loads(path.read_text())
    assert stored["runs"][0]["summary"]["outcome"] == "stopped"  # what older histories hold
    (run,) = load_runs(path)
    assert run.summary.outcome is RunOutcome.STOPPED
    stored["runs"][0]["summary"]["outcome"] = "running"  # a run that never ended: refused
    path.write_text(json.dumps(stored))
    with pytest.raises(ValueError, match="outcome"):
        load_runs(path)
    stored["runs"][0]["summary"]["outcome"] = "exploded"
    path.write_text(json.dumps(stored))
    with pytest.raises(ValueError, match="run 1"):
        load_runs(path)
