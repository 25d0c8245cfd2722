"""Teach it your handwriting: the base model, the user's samples, their file and adaptation.

:class:`PersonalController` owns the base model (the one opened, trained or shipped), the
user's labelled drawings (``engine.PersonalSamples``) and their file (:mod:`.samples_file`),
and the jobs that adapt the base to those samples and measure the result. No model maths:
the engine runs on worker threads (:mod:`.worker_tasks`; the replay: :mod:`.replay_job`).

Adaptation always starts from the base with every sample. A change that arrives while one
runs makes exactly one more run afterwards (coalesced), and a result made for an older set
of samples or an older base is dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import cast

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Signal

import engine
from softmax_gui.handwriting.conflicts import conflicting_labels
from softmax_gui.handwriting.kept_report import (
    REPORT_FILE_NAME,
    KeptReport,
    now,
    read_report,
    write_report,
)
from softmax_gui.handwriting.outcome import (
    Taught,
    adapted_name,
    base_name,
    n_adapted,
    reading_text,
    taught_text,
    with_cost,
)
from softmax_gui.handwriting.replay_job import REPLAY, ReplayPreparer
from softmax_gui.handwriting.samples_file import SAMPLES_FILE_NAME, SAVE, SamplesFile
from softmax_gui.handwriting.undo import DeleteUndo
from softmax_gui.handwriting.worker_tasks import (
    adapted_model,
    measure,
    with_personal_samples,
)
from softmax_gui.jobs import BackgroundJobs, PrepareData

__all__ = ["ADAPT", "MEASURE", "REPLAY", "SAMPLES_FILE_NAME", "SAVE", "PersonalController"]
ADAPT, MEASURE = "adapt", "measure"
#: Dialog titles (translated where shown, context "PersonalController").
FAILED_TITLES = {
    ADAPT: QT_TRANSLATE_NOOP("PersonalController", "Could not learn your handwriting"),
    REPLAY: QT_TRANSLATE_NOOP("PersonalController", "Could not prepare the replay images"),
    SAVE: QT_TRANSLATE_NOOP("PersonalController", "Could not save your handwriting samples"),
    MEASURE: QT_TRANSLATE_NOOP("PersonalController", "Could not measure the accuracy"),
}
#: How long (ms) a finished-step status message stays; 0 keeps an in-progress one.
MESSAGE_MS = 5000
#: How long the outcome of a correction stays: long enough to read it twice.
TAUGHT_MS = 10_000


class PersonalController(QObject):
    """Base model, personal samples and their file, adaptation and its honest figures."""

    model_ready = Signal(object, str)  # the model to use everywhere (base or adapted), its name
    reading_changed = Signal(str, bool)  # "Reading with: …", and whether the base is shipped
    taught = Signal(str)  # what became of the last correction (the Draw tab's status line)
    undo_changed = Signal(bool)  # whether a delete can be undone
    samples_changed = Signal(object)  # engine.PersonalSamples
    use_changed = Signal(bool)  # "use my handwriting" turned on or off
    samples_saved = Signal(str)  # the file written
    report_ready = Signal(object)  # KeptReport
    #: A status line and how long to show it (ms; 0 until the next one).
    message = Signal(str, int)
    #: Something the user must know about that needs no answer (unreadable samples file).
    notice = Signal(str)
    failed = Signal(str, str)  # dialog title, user-facing message
    busy_changed = Signal()

    def __init__(self, folder: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.jobs = BackgroundJobs(self)
        self.replays = ReplayPreparer(self.jobs, self)
        self._file = SamplesFile(self.jobs, folder)
        self._report_path = Path(folder) / REPORT_FILE_NAME
        self._report: KeptReport | None = None
        self._shipped = True
        self._undo = DeleteUndo()
        self.test_name = ""  # the test set's name, kept with a measurement
        self._measured_for = ("", "")  # (base, test set) of the measurement that runs
        self._samples = engine.PersonalSamples.empty(engine.PREPROCESSING_VERSION)
        self._base: engine.SoftmaxModel | None = None
        self._base_source = ""
        self._model: engine.SoftmaxModel | None = None  # the one last handed out
        self._use = True
        # Revisions: what the model depends on (base, samples, use) and the samples alone.
        self._model_rev = 0
        self._adapt_wanted = self._measure_wanted = False
        self._running: dict[str, int] = {}  # job -> the revision it works for
        self._last_taught: Taught | None = None
        self.jobs.finished.connect(self._on_finished)
        self.jobs.failed.connect(self._on_failed)
        self.jobs.busy_changed.connect(self.busy_changed)

    # --- state -------------------------------------------------------------------------------
    @property
    def samples(self) -> engine.PersonalSamples:
        """The samples now (immutable)."""
        return self._samples

    @property
    def base(self) -> engine.SoftmaxModel | None:
        """The model adaptation starts from."""
        return self._base

    @property
    def use(self) -> bool:
        """Whether the adapted model is used (else the base)."""
        return self._use

    @property
    def path(self) -> Path | None:
        """The samples file (None when it could not be moved aside: saving is off)."""
        return self._file.path

    def is_busy(self) -> bool:
        """Whether an adaptation or a measurement runs or waits for the replay (preparing it
        before anything waits for it is not shown as busy)."""
        waiting = self.replays.is_preparing() and (self._adapt_wanted or self._measure_wanted)
        return waiting or any(self.jobs.is_running(job) for job in (ADAPT, MEASURE))

    def is_measuring(self) -> bool:
        """Whether a measurement runs or waits for the dataset."""
        return self.jobs.is_running(MEASURE) or self._measure_wanted

    @property
    def report(self) -> KeptReport | None:
        """The last measurement (kept across restarts), if any."""
        return self._report

    def waiting_for_data(self) -> bool:
        """Whether teaching or a measurement waits for the training images."""
        return (self._adapt_wanted or self._measure_wanted) and self._base is not None

    # --- inputs --------------------------------------------------------------------------------
    def load(self) -> None:
        """Read the samples file (an unreadable one is set aside) and the last measurement."""
        self._report = read_report(self._report_path)
        if self._report is not None:
            self.report_ready.emit(self._report)
        samples, notice = self._file.read()
        if notice:
            self.notice.emit(notice)
        if samples is not None:
            self._set_samples(samples, changed_file=False)

    def set_base(self, model: engine.SoftmaxModel, source: str, shipped: bool = False) -> None:
        """Make ``model`` the base (``shipped``: the model that comes with the app); it is
        used at once, then adapted if that is on."""
        self._base, self._base_source = model, source
        self._shipped = shipped
        self.replays.set_base(model)
        if not len(self._samples) and not engine.same_preprocessing(self._samples, model):
            self._samples = engine.PersonalSamples.empty(model.preprocessing_version)
        self._hand_out(model, source)
        self._refresh_model()

    def set_dataset(self, data: engine.Dataset) -> None:
        """Take replay images (and the test set for the figures) from ``data``."""
        self.replays.set_dataset(data)
        self._start_waiting_jobs()

    def teach(
        self, x: np.ndarray | None, label: int, ink: np.ndarray, read_as: int | None = None
    ) -> None:
        """Store "this drawing is ``label``" (``x`` the 28×28 model input, ``ink`` the canvas,
        ``read_as`` what the model read it as) and adapt; an empty page stores nothing."""
        if self._base is None:
            self.message.emit(self.tr("There is no model to teach yet"), MESSAGE_MS)
            return
        if x is None:
            text = self.tr("Draw a {digit} first, then type {digit} or click its bar")
            self.message.emit(text.format(digit=label), MESSAGE_MS)
            return
        version = self._samples.preprocessing_version
        if not engine.same_preprocessing(self._samples, self._base):  # keep the file's own
            x = engine.preprocess_canvas(ink, version=version)
        turned_on = not self._use
        samples = self._samples.add(x, label, engine.as_drawing(ink))
        also = conflicting_labels(samples).get(len(samples) - 1, [])
        self._last_taught = Taught(int(label), read_as, turned_on, tuple(also))
        self._set_samples(samples)
        if turned_on:  # teaching means "learn this": turn it back on, and say so
            self.set_use(True)
        self.taught.emit(self.tr("Teaching it: this is a {digit}…").format(digit=label))

    def remove(self, indices: Sequence[int]) -> None:
        """Delete the samples at ``indices`` (undoable with :meth:`undo_delete`)."""
        chosen = sorted(set(indices))
        if chosen:
            self._last_taught = None
            self._set_samples(self._undo.delete(self._samples, chosen))
            self.undo_changed.emit(True)
            text = (
                self.tr("Deleted 1 sample (Undo delete brings it back)")
                if len(chosen) == 1
                else self.tr("Deleted {n} samples (Undo delete brings them back)")
            )
            self.message.emit(text.format(n=len(chosen)), MESSAGE_MS)

    def undo_delete(self) -> None:
        """Put back the samples the last delete removed, where they were."""
        restored = self._undo.pop(self._samples)
        self.undo_changed.emit(self._undo.can_undo())
        if restored is not None:
            self._last_taught = None
            self._set_samples(restored[0])
            n = restored[1]
            text = self.tr("Restored 1 sample") if n == 1 else self.tr("Restored {n} samples")
            self.message.emit(text.format(n=n), MESSAGE_MS)

    def relabel(self, indices: Sequence[int], label: int) -> None:
        """Give the samples at ``indices`` the label ``label``."""
        samples = self._samples
        for index in set(indices):
            samples = samples.relabel(index, label)
        self._last_taught = None
        self._set_samples(samples)
        n = len(set(indices))
        text = (
            self.tr("Relabelled 1 sample as {digit}")
            if n == 1
            else self.tr("Relabelled {n} samples as {digit}")
        )
        self.message.emit(text.format(n=n, digit=label), MESSAGE_MS)

    def set_use(self, on: bool) -> None:
        """Use the adapted model (True) or the base (False); the samples are kept either way."""
        if bool(on) == self._use:
            return
        self._use = bool(on)
        self.use_changed.emit(self._use)
        self._refresh_model()

    def measure(self) -> None:
        """Compare the base and the adapted model on the samples and the test set (background)."""
        if self._base is None or not len(self._samples):
            self.message.emit(self.tr("Teach it a few digits first, then measure"), MESSAGE_MS)
            return
        self._measured_for = (base_name(self._base_source, self._shipped), self.test_name)
        self._measure_wanted = True
        self._start_waiting_jobs()

    def training_data(self) -> PrepareData | None:
        """What adds the samples to a training set (run it on the worker); None without any."""
        if not len(self._samples):
            return None
        return partial(with_personal_samples, samples=self._samples)

    def shutdown(self) -> bool:
        """Stop the jobs, then write unsaved samples here and now. True if all went well."""
        done = self.jobs.shutdown()
        problem = self._file.flush()
        if problem:
            self.failed.emit(self._title(SAVE), problem)
        return done and not problem

    # --- internals -----------------------------------------------------------------------------
    def _set_samples(self, samples: engine.PersonalSamples, changed_file: bool = True) -> None:
        self._samples = samples
        if changed_file:
            self._file.changed(samples)
        self.samples_changed.emit(samples)
        self._refresh_model()

    def _hand_out(self, model: engine.SoftmaxModel, source: str) -> None:
        self._model = model
        self.model_ready.emit(model, source)
        self.refresh_reading()

    def refresh_reading(self) -> None:
        """Say which model reads (reading_changed), also to widgets built anew."""
        model = self._model
        n_used = 0 if model is None else n_adapted(model)
        text = reading_text(self._base_source, self._shipped, n_used, len(self._samples), self._use)
        self.reading_changed.emit(text, self._shipped)

    def _refresh_model(self) -> None:
        """The base, or (with samples and use on) one adaptation, now or after the current one."""
        self._model_rev += 1
        if self._base is None:
            return
        if not (self._use and len(self._samples)):
            self._adapt_wanted = False
            if self._model is not self._base:
                self._hand_out(self._base, self._base_source)
            else:
                self.refresh_reading()  # the samples or "use" changed, not the model
            return
        self._adapt_wanted = True
        self._start_waiting_jobs()

    def _start_waiting_jobs(self) -> None:
        if not (self._adapt_wanted or self._measure_wanted) or self._base is None:
            return
        replay = self.replays.replay_for(self._base)
        if replay is None:
            self.replays.ask()
            self.message.emit(self._waiting_text(), 0)
            self.busy_changed.emit()  # the user now waits for it
            return
        base, samples = self._base, self._samples
        if self._adapt_wanted and not self.jobs.is_running(ADAPT):
            self._adapt_wanted = False
            self._running[ADAPT] = self._model_rev
            self.jobs.run(ADAPT, adapted_model, base, self._base_source, samples, replay)
            text = (
                self.tr("Learning your handwriting (1 sample)…")
                if len(samples) == 1
                else self.tr("Learning your handwriting ({n} samples)…")
            )
            self.message.emit(text.format(n=len(samples)), 0)
        data = self.replays.dataset  # the replay came from it, so it is loaded
        if self._measure_wanted and data is not None and not self.jobs.is_running(MEASURE):
            self._measure_wanted = False
            self.jobs.run(MEASURE, measure, base, samples, replay, (data.X_test, data.y_test))

    def _waiting_text(self) -> str:
        """What a wanted adaptation or measurement waits for, as a status line."""
        if self.replays.is_preparing():
            if self._adapt_wanted:
                return self.tr("Learning your handwriting… (preparing MNIST for teaching)")
            return self.tr("Measuring… (preparing MNIST for teaching)")
        if self._adapt_wanted:
            return self.tr("Learning your handwriting… (waiting for the dataset)")
        return self.tr("Measuring… (waiting for the dataset)")

    def _title(self, job: str) -> str:
        return QCoreApplication.translate("PersonalController", str(FAILED_TITLES[job]))

    def _on_finished(self, job: str, result: object) -> None:
        rev = self._running.pop(job, None)
        if job == REPLAY:
            self.replays.on_finished(result)
        elif job == ADAPT and rev == self._model_rev:
            self._show_adapted(*cast(tuple[engine.SoftmaxModel, int], result))
        elif job == SAVE:
            self._file.on_saved()
            self.samples_saved.emit(str(result))
        elif job == MEASURE:
            self._keep_report(cast(engine.PersonalReport, result))
        self._start_waiting_jobs()

    def _show_adapted(self, model: engine.SoftmaxModel, newest_read_as: int) -> None:
        n = n_adapted(model)
        self._hand_out(model, adapted_name(self._base_source, n))
        taught, self._last_taught = self._last_taught, None
        if taught is None:
            text = (
                self.tr("Adapted to your handwriting (1 sample)")
                if n == 1
                else self.tr("Adapted to your handwriting ({n} samples)")
            )
            self.message.emit(text.format(n=n), MESSAGE_MS)
            return
        text = taught_text(taught, newest_read_as)
        self.message.emit(with_cost(text, model), TAUGHT_MS)
        self.taught.emit(text)

    def _keep_report(self, report: engine.PersonalReport) -> None:
        model, test_name = self._measured_for
        self._report = KeptReport(report, now(), test_name, model)
        self.report_ready.emit(self._report)
        problem = write_report(self._report_path, self._report)  # small: written here
        if problem:
            text = self.tr("Could not keep the figures for next time: {problem}")
            self.message.emit(text.format(problem=problem), 0)

    def _on_failed(self, job: str, message: str) -> None:
        self._running.pop(job, None)
        if job == REPLAY:  # nothing to adapt or measure with until the next dataset or base
            self.replays.on_failed()
            self._adapt_wanted = self._measure_wanted = False
        if job == SAVE:
            # one dialog per run of failures; the next change tries again (closing does too)
            if self._file.failing:
                text = self.tr("{title} (again): {problem}")
                self.message.emit(text.format(title=self._title(job), problem=message), 0)
            else:
                self.message.emit("", 0)
                self.failed.emit(self._title(job), message)
            self._file.on_failed()
            return
        self.message.emit("", 0)
        self.failed.emit(self._title(job), message)
        self._start_waiting_jobs()
