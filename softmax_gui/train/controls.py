"""Training controls: hyper-parameters, dataset choice, run actions, progress and status."""

from __future__ import annotations

import bisect
import enum
import math
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

import engine
from softmax_gui.train.preprocessing_choice import PreprocessingChoice

_DEFAULT = engine.TrainConfig()
#: The config fields the form edits (label, help, range, which optimizer), in its order.
OPTIONS: dict[str, engine.Option] = engine.TrainConfig.options()
#: Hyper-parameters the panel edits, with their defaults (also the settings' types).
DEFAULTS: dict[str, Any] = {name: getattr(_DEFAULT, name) for name in OPTIONS}
#: SGD reports this many times per epoch (enough for smooth curves, cheap to evaluate).
REPORTS_PER_EPOCH = 20
PROGRESS_STEPS = 1000
ETA_BOUND_TIP = (
    "L-BFGS-B stops once it converges, usually long before its iteration limit: "
    "the ETA is the longest it can take"
)
#: The 1-2-5 ladder that scientific spin boxes step along.
LADDER = tuple(m * 10.0**e for e in range(-9, 7) for m in (1, 2, 5))


class RunState(enum.Enum):
    """What the training controls allow right now."""

    LOADING = "loading"
    NO_DATA = "no data"
    IDLE = "idle"
    RUNNING = "running"
    PAUSED = "paused"
    STOPPING = "stopping"


WAITING_STATUS = {
    RunState.LOADING: "Waiting for the dataset…",
    RunState.NO_DATA: "Load a dataset to train.",
}


class SciSpinBox(QDoubleSpinBox):
    """A spin box for rates and penalties: shows ``1e-04``-style values, steps 1-2-5."""

    def __init__(self, minimum: float, maximum: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDecimals(12)  # QDoubleSpinBox rounds stored values to this many decimals
        self.setRange(minimum, maximum)
        self.setKeyboardTracking(False)

    def textFromValue(self, value: float) -> str:
        return f"{value:.4g}"

    def valueFromText(self, text: str) -> float:
        return float(text)

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        try:
            value = float(text)
        except ValueError:
            return QValidator.State.Intermediate, text, pos
        ok = self.minimum() <= value <= self.maximum()
        return (QValidator.State.Acceptable if ok else QValidator.State.Intermediate), text, pos

    def stepBy(self, steps: int) -> None:
        value = self.value()
        i = bisect.bisect_left(LADDER, value * (1 - 1e-9))
        exact = i < len(LADDER) and abs(LADDER[i] - value) <= 1e-9 * value
        j = i + steps if exact or steps < 0 else i + steps - 1
        new = 0.0 if j < 0 else LADDER[min(j, len(LADDER) - 1)]
        self.setValue(min(max(new, self.minimum()), self.maximum()))


#: The editors of the form's fields.
Field = QComboBox | QSpinBox | QDoubleSpinBox


def _field_widget(option: engine.Option, default: object) -> Field:
    """The form's editor for one config field: a menu of its choices, or a spin box over
    its range (whole numbers for an integer field)."""
    if option.choices is not None:
        menu = QComboBox()
        for key, choice in option.choices.items():
            menu.addItem(choice.text, key)
            if choice.help:
                tip = _sentence(choice.help)
                menu.setItemData(menu.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
        return menu
    low = 0.0 if option.low is None else option.low
    high = math.inf if option.high is None else option.high
    if option.scientific:
        return SciSpinBox(low, high)
    step = 1.0 if option.step is None else option.step
    if isinstance(default, int):
        return QSpinBox(minimum=int(low), maximum=int(high), singleStep=int(step))
    decimals = max(0, -math.floor(math.log10(step)))  # 0.05 -> 2
    return QDoubleSpinBox(minimum=low, maximum=high, singleStep=step, decimals=decimals)


def _sentence(text: str) -> str:
    """``"images per step"`` -> ``"Images per step."``: a help line as a tooltip sentence."""
    return f"{text[:1].upper()}{text[1:]}."


def format_seconds(seconds: float) -> str:
    """``75.3`` -> ``"1:15"``."""
    minutes, secs = divmod(int(round(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _action(parent: QObject, text: str, keys: tuple[str, ...], tip: str) -> QAction:
    action = QAction(text, parent)
    action.setShortcuts([QKeySequence(k) for k in keys])
    action.setToolTip(f"{tip} ({', '.join(keys)})")
    return action


def _button(action: QAction) -> QToolButton:
    button = QToolButton()
    button.setDefaultAction(action)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    return button


class TrainingPanel(QWidget):
    """Hyper-parameter form, dataset chooser, Start/Pause/Stop/Reset and Step, progress and
    status."""

    bundled_dataset_requested = Signal()
    folder_dataset_requested = Signal()
    state_changed = Signal(object)  # the new RunState
    #: The form makes one field per entry of OPTIONS, an attribute of that name (e.g.
    #: ``self.lr``); the panel's own code reads this one.
    optimizer: QComboBox

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = RunState.LOADING
        self._tol, self._eta_bound = _DEFAULT.tol, False  # of the run on show
        self.start_action = _action(self, "&Start", ("Ctrl+R", "F5"), "Start")
        self.pause_action = _action(self, "&Pause", ("Ctrl+P", "F6"), "Pause or resume")
        self.stop_action = _action(self, "S&top", ("Shift+F5", "Ctrl+."), "Stop, keep the model")
        self.reset_action = _action(
            self, "&Reset", ("Ctrl+Shift+R",), "Restore default hyper-parameters, clear progress"
        )
        self.reset_action.triggered.connect(self.reset)
        self.step_action = _action(
            self,
            "St&ep",
            ("F7",),
            "One SGD step from the current model: one random mini-batch of the batch size, "
            "the learning rate and L2 of the form, no momentum",
        )
        self._step_ready = False  # a model and a dataset that fit are there
        self._build_form()
        self._build_dataset()
        self._build_run_box()
        layout = QVBoxLayout(self)
        layout.addWidget(self._form_box)
        layout.addWidget(self._data_box)
        layout.addWidget(self._run_box)
        self._model_box = QGroupBox("Current model")
        self.model_info = QLabel("none")
        self.model_info.setWordWrap(True)
        QVBoxLayout(self._model_box).addWidget(self.model_info)
        layout.addWidget(self._model_box)
        layout.addStretch(1)
        self.set_values(DEFAULTS)
        self.set_state(RunState.LOADING)

    def _build_form(self) -> None:
        self._form_box = QGroupBox("Hyper-parameters")
        form = QFormLayout(self._form_box)
        self._fields: dict[str, Field] = {}
        for name, option in OPTIONS.items():
            widget = _field_widget(option, DEFAULTS[name])
            widget.setToolTip(_sentence(option.described()))
            setattr(self, name, widget)
            self._fields[name] = widget
            form.addRow(option.label, widget)
        self.optimizer.currentIndexChanged.connect(self._update_fields)

    def _build_dataset(self) -> None:
        self._data_box = QGroupBox("Dataset")
        self.dataset_label = QLabel("not loaded")
        self.dataset_label.setWordWrap(True)
        self.bundled_button = QPushButton("Bundled MNIST")
        self.bundled_button.clicked.connect(self.bundled_dataset_requested)
        self.folder_button = QPushButton("Open IDX folder…")
        self.folder_button.clicked.connect(self.folder_dataset_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.bundled_button)
        buttons.addWidget(self.folder_button)
        self.personal_box = QCheckBox()
        self.set_personal_count(0)
        self.preprocessing = PreprocessingChoice()
        layout = QVBoxLayout(self._data_box)
        layout.addWidget(self.dataset_label)
        layout.addWidget(self.preprocessing)
        layout.addLayout(buttons)
        layout.addWidget(self.personal_box)

    def _build_run_box(self) -> None:
        self._run_box = QGroupBox("Run")
        buttons = QHBoxLayout()
        for action in (self.start_action, self.pause_action, self.stop_action, self.reset_action):
            buttons.addWidget(_button(action))
        by_hand = QHBoxLayout()
        by_hand.addWidget(_button(self.step_action))
        step_note = QLabel("one SGD mini-batch, no momentum")
        step_note.setToolTip(self.step_action.toolTip())
        by_hand.addWidget(step_note, 1)
        self.progress = QProgressBar(maximum=PROGRESS_STEPS, textVisible=True)
        self.status = QLabel("Ready.")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self._run_box)
        layout.addLayout(buttons)
        layout.addLayout(by_hand)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        self.clear_progress()

    def values(self) -> dict[str, Any]:
        """Current hyper-parameters, keyed like :data:`DEFAULTS`."""
        out: dict[str, Any] = {}
        for key, widget in self._fields.items():
            out[key] = widget.currentData() if isinstance(widget, QComboBox) else widget.value()
        return out

    def set_values(self, values: dict[str, Any]) -> None:
        """Show ``values`` (unknown keys ignored; out-of-range numbers are clamped)."""
        for key, value in values.items():
            widget = self._fields.get(key)
            if isinstance(widget, QComboBox):
                index = widget.findData(value)
                widget.setCurrentIndex(max(index, 0))
            elif widget is not None:
                widget.setValue(value)
        self._update_fields()

    def config(self, n_train: int) -> engine.TrainConfig:
        """A TrainConfig from the form, with live weight snapshots (raises ValueError)."""
        values = self.values()
        per_epoch = -(-n_train // max(1, min(values["batch_size"], n_train)))
        report_every = max(1, per_epoch // REPORTS_PER_EPOCH)
        return engine.TrainConfig(**values, report_every=report_every, snapshot_weights=True)

    def set_dataset_text(self, text: str) -> None:
        """Describe the loaded dataset (or why there is none)."""
        self.dataset_label.setText(text)

    def include_personal(self) -> bool:
        """Whether training should add the user's handwriting samples to the dataset."""
        return self.personal_box.isChecked()

    def set_include_personal(self, on: bool) -> None:
        """Tick or untick "Include my handwriting" (e.g. restored from QSettings)."""
        self.personal_box.setChecked(on)

    def set_personal_count(self, n: int) -> None:
        """Say how many handwriting samples "Include my handwriting" would add."""
        self.personal_box.setText(f"Include my handwriting ({n} sample{'s' if n != 1 else ''})")
        self.personal_box.setToolTip(
            "Train on the dataset plus the digits you taught on the Draw tab"
            if n
            else "No samples yet: teach it on the Draw tab (type the right digit, or click its bar)"
        )

    def set_model_info(self, text: str) -> None:
        """Describe the current model (used for drawing and evaluation)."""
        self.model_info.setText(text)

    def set_state(self, state: RunState) -> None:
        """Enable exactly the controls that make sense in ``state``."""
        previous, self.state = self.state, state
        busy = state in (RunState.RUNNING, RunState.PAUSED, RunState.STOPPING)
        self._form_box.setEnabled(not busy)
        self.start_action.setEnabled(state is RunState.IDLE)
        self.pause_action.setEnabled(state in (RunState.RUNNING, RunState.PAUSED))
        self.pause_action.setText("Res&ume" if state is RunState.PAUSED else "&Pause")
        self.stop_action.setEnabled(state in (RunState.RUNNING, RunState.PAUSED))
        self.reset_action.setEnabled(not busy)
        self.step_action.setEnabled(state is RunState.IDLE and self._step_ready)
        for button in (self.bundled_button, self.folder_button):
            button.setEnabled(state in (RunState.IDLE, RunState.NO_DATA))
        self.personal_box.setEnabled(not busy)
        prefix = {RunState.PAUSED: "Paused. ", RunState.STOPPING: "Stopping… "}.get(state, "")
        if busy:
            self.status.setText(prefix + self._run_status)
        elif state in WAITING_STATUS:
            self.status.setText(WAITING_STATUS[state])
        elif previous in WAITING_STATUS:
            self.status.setText("Ready.")
        if state is not previous:
            self.state_changed.emit(state)

    def set_step_ready(self, ready: bool) -> None:
        """Allow Step (when no run is going) only while there is a model to step from."""
        self._step_ready = ready
        self.step_action.setEnabled(self.state is RunState.IDLE and ready)

    def show_step(self, progress: engine.Progress, batch_size: int) -> None:
        """The status line after a step taken by hand."""
        self.progress.setValue(0)
        n = progress.step
        self.progress.setFormat(f"{n:,} step{'s' if n != 1 else ''} by hand")
        self.status.setText(
            f"Step {n:,} · batch of {batch_size:,} · cost {progress.cost:.4f} "
            f"before the step\nError: batch {progress.train_error:.2%} before · "
            f"test {progress.test_error:.2%} after"
        )

    def start_run(self, config: engine.TrainConfig, open_ended: bool) -> None:
        """Clear the progress for a run of ``config``; its ETA is an upper bound when it is
        ``open_ended`` (it can end long before its limit, as L-BFGS-B does on converging)."""
        self._tol, self._eta_bound = config.tol, open_ended
        self.clear_progress()
        self.progress.setToolTip(ETA_BOUND_TIP if open_ended else "")

    def show_progress(self, progress: engine.Progress) -> None:
        """Progress bar with ETA, and the status line for one report."""
        f = progress.fraction
        eta = progress.elapsed * (1 - f) / f if f > 0 else None
        self.progress.setValue(int(round(f * PROGRESS_STEPS)))
        bound = "≤ " if self._eta_bound else ""
        eta_text = f"ETA {bound}{format_seconds(eta)}" if eta is not None else "ETA –"
        self.progress.setFormat(
            f"{f:.0%} · {format_seconds(progress.elapsed)} elapsed · {eta_text}"
        )
        # the form shows the running configuration (it is locked while training)
        epoch = f" · epoch {progress.epoch:.2f}" if self.optimizer.currentData() == "sgd" else ""
        self._run_status = (
            f"Iteration {progress.step:,}{epoch} · cost {progress.cost:.4f}\n"
            f"Error: train {progress.train_error:.2%} · test {progress.test_error:.2%}"
        )
        self.status.setText(self._run_status)

    def show_result(self, result: engine.TrainResult, seconds: float | None = None) -> None:
        """Status line for a finished run that trained ``seconds`` (default: the result's)."""
        seconds = result.seconds if seconds is None else seconds
        if not result.diverged:
            self.progress.setValue(PROGRESS_STEPS)
        self.progress.setFormat(f"done in {format_seconds(seconds)}")
        kept = " The previous model is kept." if result.diverged else ""
        why = (
            f"Converged (tolerance {self._tol:g})"
            if result.converged
            else f"{result.reason[:1].upper()}{result.reason[1:]}"
        )
        self.status.setText(
            f"{why}.{kept}\n"
            f"{result.iterations:,} iterations in {format_seconds(seconds)}\n"
            f"Error: train {result.train_error:.2%} · test {result.test_error:.2%}"
        )

    def clear_progress(self) -> None:
        """Empty progress bar and a neutral status line."""
        self.progress.setValue(0)
        self.progress.setFormat("%p%")
        self._run_status = "Starting…"
        self.status.setText("Ready.")

    def reset(self) -> None:
        """Default hyper-parameters and a cleared progress display."""
        self.set_values(DEFAULTS)
        self.clear_progress()

    def _update_fields(self) -> None:
        optimizer = self.optimizer.currentData()
        for name, option in OPTIONS.items():
            self._fields[name].setEnabled(option.only in (None, optimizer))
