"""Training controls: hyper-parameters, dataset choice, run actions, progress and status."""

from __future__ import annotations

import enum
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

import engine
from softmax_gui.train.form_fields import (
    Field,
    SciSpinBox,
    engine_text,
    field_widget,
    format_seconds,
    option_help,
)
from softmax_gui.train.preprocessing_choice import PreprocessingChoice
from softmax_gui.train.run_status import COMPACT_SPACING, RunStatus
from softmax_gui.widgets.tab_order import set_tab_chain

__all__ = ["DEFAULTS", "OPTIONS", "RunState", "SciSpinBox", "TrainingPanel", "format_seconds"]

_DEFAULT = engine.TrainConfig()
#: The config fields the form edits (label, help, range, which optimizer), in its order.
OPTIONS: dict[str, engine.Option] = engine.TrainConfig.options()
#: Hyper-parameters the panel edits, with their defaults (also the settings' types).
DEFAULTS: dict[str, Any] = {name: getattr(_DEFAULT, name) for name in OPTIONS}
#: SGD reports this many times per epoch (enough for smooth curves, cheap to evaluate).
REPORTS_PER_EPOCH = 20
#: Keys of the run actions. Pause is F6 and the keyboard's Pause key (Ctrl+P is Print); Stop
#: is Ctrl+. here (macOS's Cmd+. "cancel the operation"), and Esc on the Train tab itself
#: (see TrainTab), where no other Esc use competes (the Draw tab's Esc clears its page).
START_KEYS = ("Ctrl+R", "F5")
PAUSE_KEYS = ("F6", "Pause")
STOP_KEYS = ("Ctrl+.",)
RESET_KEYS = ("Ctrl+Shift+R",)
STEP_KEYS = ("F7",)
#: Inside the column's boxes (left, top, right, bottom): tighter than the style's default,
#: so the column fits a 1280×800 window without a scroll bar.
BOX_MARGINS = (8, 4, 8, 6)


class RunState(enum.Enum):
    """What the training controls allow right now."""

    LOADING = "loading"
    NO_DATA = "no data"
    IDLE = "idle"
    RUNNING = "running"
    PAUSED = "paused"
    STOPPING = "stopping"


def keys_text(keys: list[QKeySequence]) -> str:
    """``"Ctrl+R, F5"`` in the platform's (and the language's) key names."""
    return ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in keys)


def _action(parent: QObject, text: str, keys: tuple[str, ...]) -> QAction:
    action = QAction(text, parent)
    action.setShortcuts([QKeySequence(k) for k in keys])
    return action


def set_tip(action: QAction, tip: str, extra: list[QKeySequence] | None = None) -> None:
    """``tip`` with the action's keys (and ``extra`` keys that also trigger it)."""
    keys = [*action.shortcuts(), *(extra or [])]
    action.setToolTip(
        QCoreApplication.translate("TrainingPanel", "{tip} ({keys})").format(
            tip=tip, keys=keys_text(keys)
        )
    )


def _button(action: QAction) -> QToolButton:
    button = QToolButton()
    button.setDefaultAction(action)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
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
        self.start_action = _action(self, self.tr("&Start"), START_KEYS)
        self.pause_action = _action(self, self.tr("&Pause"), PAUSE_KEYS)
        self.stop_action = _action(self, self.tr("S&top"), STOP_KEYS)
        self.reset_action = _action(self, self.tr("&Reset"), RESET_KEYS)
        self.reset_action.triggered.connect(self.reset)
        self.step_action = _action(self, self.tr("St&ep"), STEP_KEYS)
        self.set_stop_keys([])
        set_tip(self.start_action, self.tr("Start training with these settings"))
        set_tip(self.pause_action, self.tr("Pause or resume"))
        set_tip(self.reset_action, self.tr("Restore default hyper-parameters, clear progress"))
        set_tip(
            self.step_action,
            self.tr(
                "One SGD step from the current model: one random mini-batch of the batch "
                "size, the learning rate and L2 of the form, no momentum"
            ),
        )
        self._step_ready = False  # a model and a dataset that fit are there
        self._build_form()
        self._build_dataset()
        self._build_run_box()
        for box in (self._form_box, self._data_box, self._run_box):
            box_layout = box.layout()
            assert box_layout is not None  # each box was built with its layout
            box_layout.setContentsMargins(*BOX_MARGINS)
            box_layout.setSpacing(COMPACT_SPACING)
        self._form.setVerticalSpacing(COMPACT_SPACING)
        layout = QVBoxLayout(self)
        layout.setSpacing(COMPACT_SPACING)
        layout.addWidget(self._form_box)
        layout.addWidget(self._data_box)
        layout.addWidget(self._run_box)
        layout.addStretch(1)
        self._set_tab_order()
        self.set_values(DEFAULTS)
        self.set_state(RunState.LOADING)

    def set_stop_keys(self, extra: list[QKeySequence]) -> None:
        """Name ``extra`` keys (e.g. the Train tab's Esc) in Stop's tooltip too."""
        set_tip(self.stop_action, self.tr("Stop, keep the model"), extra)

    def _build_form(self) -> None:
        self._form_box = QGroupBox(self.tr("Hyper-parameters"))
        self._form = QFormLayout(self._form_box)
        self._fields: dict[str, Field] = {}
        for name, option in OPTIONS.items():
            widget = field_widget(option, DEFAULTS[name])
            label = engine_text(option.label)
            widget.setToolTip(option_help(option))
            widget.setAccessibleName(label)
            widget.setAccessibleDescription(option_help(option))
            setattr(self, name, widget)
            self._fields[name] = widget
            self._form.addRow(label, widget)
        self.optimizer.currentIndexChanged.connect(self._update_fields)

    def _build_dataset(self) -> None:
        self._data_box = QGroupBox(self.tr("Dataset"))
        self.dataset_label = QLabel(self.tr("not loaded"))
        self.dataset_label.setWordWrap(True)
        self.preprocessing = PreprocessingChoice()
        self.bundled_button = QPushButton(self.tr("Bundled MNIST"))
        self.bundled_button.setToolTip(self.tr("Load the MNIST digits that come with the app"))
        self.bundled_button.clicked.connect(self.bundled_dataset_requested)
        self.folder_button = QPushButton(self.tr("Open IDX folder…"))
        self.folder_button.setToolTip(self.tr("Load a folder of MNIST-format IDX files"))
        self.folder_button.clicked.connect(self.folder_dataset_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.bundled_button)
        buttons.addWidget(self.folder_button)
        self.personal_box = QCheckBox()
        self.set_personal_count(0)
        layout = QVBoxLayout(self._data_box)
        layout.addWidget(self.dataset_label)
        layout.addWidget(self.preprocessing)
        layout.addLayout(buttons)
        layout.addWidget(self.personal_box)

    def _build_run_box(self) -> None:
        self._run_box = QGroupBox(self.tr("Run"))
        buttons = QHBoxLayout()
        self._run_buttons = [
            _button(action)
            for action in (
                self.start_action,
                self.pause_action,
                self.stop_action,
                self.reset_action,
                self.step_action,
            )
        ]
        for button in self._run_buttons:
            buttons.addWidget(button)
        self.run_status = RunStatus()
        self.progress, self.status = self.run_status.progress, self.run_status.status
        # what a run made, under its status (a box of its own did not fit a 1280×800 window)
        model_title = QLabel(self.tr("<b>Current model</b>"))
        self.model_info = QLabel(self.tr("none"))
        self.model_info.setWordWrap(True)
        self.model_info.setAccessibleName(self.tr("Current model"))
        model_title.setBuddy(self.model_info)
        layout = QVBoxLayout(self._run_box)
        layout.addLayout(buttons)
        layout.addWidget(self.run_status)
        layout.addWidget(model_title)
        layout.addWidget(self.model_info)

    def _set_tab_order(self) -> None:
        """Top to bottom through the column, as it reads (the form's fields, the dataset's
        menu before its buttons, then the run's buttons)."""
        chain: list[QWidget] = [
            *self._fields.values(),
            self.preprocessing.menu,
            self.bundled_button,
            self.folder_button,
            self.personal_box,
            *self._run_buttons,
        ]
        set_tab_chain(chain)

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
        self.personal_box.setText(
            self.tr("Include my handwriting (1 sample)")
            if n == 1
            else self.tr("Include my handwriting ({n} samples)").format(n=f"{n:,}")
        )
        self.personal_box.setToolTip(
            self.tr("Train on the dataset plus the digits you taught on the Draw tab")
            if n
            else self.tr(
                "No samples yet: teach it on the Draw tab (type the right digit, or click its bar)"
            )
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
        self.pause_action.setText(
            self.tr("Res&ume") if state is RunState.PAUSED else self.tr("&Pause")
        )
        self.stop_action.setEnabled(state in (RunState.RUNNING, RunState.PAUSED))
        self.reset_action.setEnabled(not busy)
        self.step_action.setEnabled(state is RunState.IDLE and self._step_ready)
        for button in (self.bundled_button, self.folder_button):
            button.setEnabled(state in (RunState.IDLE, RunState.NO_DATA))
        self.personal_box.setEnabled(not busy)
        if state is RunState.PAUSED:
            self.status.setText(self.tr("Paused. {status}").format(status=self.run_status.latest()))
        elif state is RunState.STOPPING:
            self.status.setText(
                self.tr("Stopping… {status}").format(status=self.run_status.latest())
            )
        elif busy:
            self.status.setText(self.run_status.latest())
        elif state is RunState.LOADING:
            self.status.setText(self.tr("Waiting for the dataset…"))
        elif state is RunState.NO_DATA:
            self.status.setText(self.tr("Load a dataset to train."))
        elif previous in (RunState.LOADING, RunState.NO_DATA):
            self.status.setText(self.tr("Ready."))
        if state is not previous:
            self.state_changed.emit(state)

    def set_step_ready(self, ready: bool) -> None:
        """Allow Step (when no run is going) only while there is a model to step from."""
        self._step_ready = ready
        self.step_action.setEnabled(self.state is RunState.IDLE and ready)

    def show_step(self, progress: engine.Progress, batch_size: int) -> None:
        """The status line after a step taken by hand."""
        self.run_status.show_step(progress, batch_size)

    def start_run(self, config: engine.TrainConfig, planned: int | None) -> None:
        """Clear the progress for a run of ``config`` of ``planned`` SGD steps (None: an
        L-BFGS-B run, which ends once it converges)."""
        self.run_status.start_run(config, planned)

    def show_progress(self, progress: engine.Progress) -> None:
        """Progress bar with ETA, and the status line for one report."""
        self.run_status.show_progress(progress)

    def show_result(self, result: engine.TrainResult, seconds: float, why: str) -> None:
        """Progress and status of a finished run that trained ``seconds`` and ended for
        reason ``why`` (e.g. ``"stopped at 63 of 200"``)."""
        self.run_status.show_result(result, seconds, why)

    def clear_progress(self) -> None:
        """Empty progress bar and a neutral status line."""
        self.run_status.clear()

    def progress_words(self) -> str:
        """What the progress line says now (e.g. ``"stopped at 63 of 200 · 0:02"``)."""
        return self.run_status.progress_words()

    def reset(self) -> None:
        """Default hyper-parameters and a cleared progress display."""
        self.set_values(DEFAULTS)
        self.clear_progress()

    def _update_fields(self) -> None:
        """Show only the fields of the chosen optimizer (the other's would not apply)."""
        optimizer = self.optimizer.currentData()
        for name, option in OPTIONS.items():
            applies = option.only in (None, optimizer)
            self._fields[name].setEnabled(applies)
            self._form.setRowVisible(self._fields[name], applies)
