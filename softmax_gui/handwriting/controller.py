"""Teach it your handwriting: the base model, the user's samples, their file and adaptation.

:class:`PersonalController` owns the base model (the one opened, trained or shipped), the
user's labelled drawings (``engine.PersonalSamples``), the samples file in the user's data
folder, and the jobs that adapt the base to those samples and measure the result. It does no
model maths: the engine runs on its own worker threads with plain data in and out
(:mod:`~softmax_gui.handwriting.worker_tasks`); the model to use comes back as ``model_ready``.

Adaptation always starts from the base with every sample. A change that arrives while one
runs makes exactly one more run afterwards (coalesced), and a result made for an older set
of samples or an older base is dropped. Saving is coalesced the same way; closing writes
what is left synchronously, so no sample is lost.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import cast

import numpy as np
from PySide6.QtCore import QObject, Signal

import engine
from softmax_gui.errors import describe
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
    base_name,
    count_samples,
    n_adapted,
    reading_text,
    taught_text,
    with_cost,
)
from softmax_gui.handwriting.undo import DeleteUndo
from softmax_gui.handwriting.worker_tasks import (
    adapted_model,
    dataset_replay,
    measure,
    save,
    set_samples_aside,
    with_personal_samples,
)
from softmax_gui.jobs import BackgroundJobs, PrepareData

SAMPLES_FILE_NAME = "personal-samples.npz"
ADAPT, REPLAY, SAVE, MEASURE = "adapt", "replay", "save samples", "measure"
FAILED_TITLES = {
    ADAPT: "Could not learn your handwriting",
    REPLAY: "Could not prepare the replay images",
    SAVE: "Could not save your handwriting samples",
    MEASURE: "Could not measure the accuracy",
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
        self._path: Path | None = Path(folder) / SAMPLES_FILE_NAME  # None: saving is off
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
        self._dataset: engine.Dataset | None = None
        self._replay: tuple[engine.Dataset, engine.ReplaySet] | None = None
        # Revisions: what the model depends on (base, samples, use) and the samples alone.
        self._model_rev = self._samples_rev = self._saved_rev = 0
        self._adapt_wanted = self._measure_wanted = False
        self._running: dict[str, int] = {}  # job -> the revision it works for
        self._save_failing = False  # a save failed and none has succeeded since
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
        return self._path

    def is_busy(self) -> bool:
        """Whether an adaptation, a replay preparation or a measurement runs."""
        return any(self.jobs.is_running(job) for job in (ADAPT, REPLAY, MEASURE))

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
        """Read the samples file, if any (an unreadable one is moved aside with one notice),
        and the last measurement."""
        self._report = read_report(self._report_path)
        if self._report is not None:
            self.report_ready.emit(self._report)
        path = self._path
        if path is None or not path.exists():
            return
        try:
            samples = engine.load_samples(path)
        except (ValueError, OSError) as exc:
            notice, saving = set_samples_aside(path, exc)
            if not saving:
                self._path = None  # never overwrite a file we could not move out of the way
            self.notice.emit(notice)
            return
        self._set_samples(samples, changed_file=False)

    def set_base(self, model: engine.SoftmaxModel, source: str, shipped: bool = False) -> None:
        """Make ``model`` the base (``shipped``: the model that comes with the app); it is
        used at once, then adapted if that is on."""
        self._base, self._base_source = model, source
        self._shipped = shipped
        if not len(self._samples) and not engine.same_preprocessing(self._samples, model):
            self._samples = engine.PersonalSamples.empty(model.preprocessing_version)
        self._hand_out(model, source)
        self._refresh_model()

    def set_dataset(self, data: engine.Dataset) -> None:
        """Take replay images (and the test set for the figures) from ``data``."""
        self._dataset, self._replay = data, None
        self._start_waiting_jobs()

    def teach(
        self, x: np.ndarray | None, label: int, ink: np.ndarray, read_as: int | None = None
    ) -> None:
        """Store "this drawing is ``label``" (``x`` the 28×28 model input, ``ink`` the canvas,
        ``read_as`` what the model read it as) and adapt; an empty page stores nothing."""
        if self._base is None:
            self.message.emit("There is no model to teach yet", MESSAGE_MS)
            return
        if x is None:
            self.message.emit(
                f"Draw a {label} first, then type {label} or click its bar", MESSAGE_MS
            )
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
        self.taught.emit(f"Teaching it: this is a {label}…")

    def remove(self, indices: Sequence[int]) -> None:
        """Delete the samples at ``indices`` (undoable with :meth:`undo_delete`)."""
        chosen = sorted(set(indices))
        if chosen:
            self._last_taught = None
            self._set_samples(self._undo.delete(self._samples, chosen))
            self.undo_changed.emit(True)
            n = count_samples(len(chosen))
            self.message.emit(f"Deleted {n} (Undo delete brings them back)", MESSAGE_MS)

    def undo_delete(self) -> None:
        """Put back the samples the last delete removed, where they were."""
        restored = self._undo.pop(self._samples)
        self.undo_changed.emit(self._undo.can_undo())
        if restored is not None:
            self._last_taught = None
            self._set_samples(restored[0])
            self.message.emit(f"Restored {count_samples(restored[1])}", MESSAGE_MS)

    def relabel(self, indices: Sequence[int], label: int) -> None:
        """Give the samples at ``indices`` the label ``label``."""
        samples = self._samples
        for index in set(indices):
            samples = samples.relabel(index, label)
        self._last_taught = None
        self._set_samples(samples)
        self.message.emit(f"Relabelled {count_samples(len(set(indices)))} as {label}", MESSAGE_MS)

    def set_use(self, on: bool) -> None:
        """Use the adapted model (True) or the base (False); the samples are kept either way."""
        if bool(on) == self._use:
            return
        self._use = bool(on)
        self.use_changed.emit(self._use)
        self._refresh_model()

    def refresh_reading(self) -> None:
        """Say again which model reads (reading_changed), e.g. to widgets built anew."""
        self._emit_reading()

    def measure(self) -> None:
        """Compare the base and the adapted model on the samples and the test set (background)."""
        if self._base is None or not len(self._samples):
            self.message.emit("Teach it a few digits first, then measure", MESSAGE_MS)
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
        if self._path is None or self._saved_rev == self._samples_rev:
            return done
        try:
            save(self._samples, self._path)
        except (ValueError, OSError) as exc:
            self.failed.emit(FAILED_TITLES[SAVE], describe(exc))
            return False
        self._saved_rev = self._samples_rev
        return done

    # --- internals -----------------------------------------------------------------------------
    def _set_samples(self, samples: engine.PersonalSamples, changed_file: bool = True) -> None:
        self._samples = samples
        if changed_file:
            self._samples_rev += 1
            self._start_save()
        self.samples_changed.emit(samples)
        self._refresh_model()

    def _hand_out(self, model: engine.SoftmaxModel, source: str) -> None:
        self._model = model
        self.model_ready.emit(model, source)
        self._emit_reading()

    def _emit_reading(self) -> None:
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
                self._emit_reading()  # the samples or "use" changed, not the model
            return
        self._adapt_wanted = True
        self._start_waiting_jobs()

    def _replay_now(self, base: engine.SoftmaxModel) -> engine.ReplaySet | None:
        """Replay images for ``base`` from the loaded dataset; None (and a request) if not yet."""
        data = self._dataset
        if data is None or not engine.same_preprocessing(data, base):
            return None  # the window loads (or reloads) the dataset this base expects
        if self._replay is not None and self._replay[0] is data:
            return self._replay[1]
        if not self.jobs.is_running(REPLAY):
            self.jobs.run(REPLAY, dataset_replay, data)
        return None

    def _start_waiting_jobs(self) -> None:
        if not (self._adapt_wanted or self._measure_wanted) or self._base is None:
            return
        replay = self._replay_now(self._base)
        if replay is None:
            what = "Learning your handwriting" if self._adapt_wanted else "Measuring"
            waiting = self.jobs.is_running(REPLAY)  # else the dataset is not there yet
            why = "preparing MNIST for teaching" if waiting else "waiting for the dataset"
            self.message.emit(f"{what}… ({why})", 0)
            return
        base, samples = self._base, self._samples
        if self._adapt_wanted and not self.jobs.is_running(ADAPT):
            self._adapt_wanted = False
            self._running[ADAPT] = self._model_rev
            self.jobs.run(ADAPT, adapted_model, base, self._base_source, samples, replay)
            self.message.emit(f"Learning your handwriting ({count_samples(len(samples))})…", 0)
        data = self._dataset  # the replay came from it, so it is loaded
        if self._measure_wanted and data is not None and not self.jobs.is_running(MEASURE):
            self._measure_wanted = False
            self.jobs.run(MEASURE, measure, base, samples, replay, (data.X_test, data.y_test))

    def _start_save(self) -> None:
        if self._path is None or self.jobs.is_running(SAVE) or self._saved_rev == self._samples_rev:
            return
        self._running[SAVE] = self._samples_rev
        self.jobs.run(SAVE, save, self._samples, self._path)

    def _on_finished(self, job: str, result: object) -> None:
        rev = self._running.pop(job, None)
        if job == REPLAY:
            data, replay = cast(tuple[engine.Dataset, engine.ReplaySet], result)
            if data is self._dataset:
                self._replay = (data, replay)
        elif job == ADAPT and rev == self._model_rev:
            self._show_adapted(*cast(tuple[engine.SoftmaxModel, int], result))
        elif job == SAVE and rev is not None:  # a save always runs for a revision
            self._saved_rev = rev
            self._save_failing = False
            self.samples_saved.emit(str(result))
            self._start_save()
        elif job == MEASURE:
            self._keep_report(cast(engine.PersonalReport, result))
        self._start_waiting_jobs()

    def _show_adapted(self, model: engine.SoftmaxModel, newest_read_as: int) -> None:
        n = n_adapted(model)
        self._hand_out(model, f"{self._base_source} + your handwriting ({count_samples(n)})")
        taught, self._last_taught = self._last_taught, None
        if taught is None:
            self.message.emit(f"Adapted to your handwriting ({count_samples(n)})", MESSAGE_MS)
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
            self.message.emit(f"Could not keep the figures for next time: {problem}", 0)

    def _on_failed(self, job: str, message: str) -> None:
        self._running.pop(job, None)
        if job == REPLAY:  # nothing to adapt or measure with until the next dataset
            self._adapt_wanted = self._measure_wanted = False
        if job == SAVE:
            # one dialog per run of failures; the next change tries again (closing does too)
            if self._save_failing:
                self.message.emit(f"{FAILED_TITLES[job]} (again): {message}", 0)
            else:
                self.message.emit("", 0)
                self.failed.emit(FAILED_TITLES[job], message)
            self._save_failing = True
            return
        self.message.emit("", 0)
        self.failed.emit(FAILED_TITLES[job], message)
        self._start_waiting_jobs()
