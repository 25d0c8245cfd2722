"""Background jobs off the UI thread: training, dataset loading, gradient check, evaluation.

Each job is a superqt worker running on this object's own thread pool, so closing the
window can wait for exactly our threads. Worker signals arrive from the worker thread and
are re-emitted here, on the GUI thread, carrying plain data only (frozen ``Progress``
records with a copied ``W``, results, exception messages). No worker knows the window.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Generator
from typing import cast

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, QThreadPool, Signal, Slot
from superqt.utils import GeneratorWorker, WorkerBase, create_worker

import engine
from softmax_gui import errors

#: How long closing the window waits for a job to notice it must stop.
SHUTDOWN_TIMEOUT_MS = 20_000
#: Jobs that may run at once: training, dataset loading, a gradient check and an evaluation
#: (a step by hand only runs when training does not).
MAX_THREADS = 4
TRAIN, LOAD, GRADCHECK = "train", "load", "gradcheck"
EVALUATE = "evaluate"
#: One SGD step taken by hand (the Train tab's Step).
STEP = "step"
#: The title of the error dialog when a job of each kind fails (English: show it with
#: ``QCoreApplication.translate("jobs", title)``).
JOB_FAILED_TITLES = {
    TRAIN: str(QT_TRANSLATE_NOOP("jobs", "Training failed")),
    LOAD: str(QT_TRANSLATE_NOOP("jobs", "Could not load the dataset")),
    GRADCHECK: str(QT_TRANSLATE_NOOP("jobs", "Gradient check failed")),
    EVALUATE: str(QT_TRANSLATE_NOOP("jobs", "Evaluation failed")),
    STEP: str(QT_TRANSLATE_NOOP("jobs", "The training step failed")),
}


#: Turns the training set into the one a run trains on (e.g. adds personal samples); runs on
#: the worker thread, so it may be slow.
PrepareData = Callable[[engine.Dataset], engine.Dataset]


class TrainingRun:
    """One ``engine.train`` generator and the Event that stops it cooperatively."""

    def __init__(
        self, data: engine.Dataset, config: engine.TrainConfig, prepare: PrepareData | None = None
    ) -> None:
        self.stop_event = threading.Event()
        self._data, self._config, self._prepare = data, config, prepare
        self._run: Generator[engine.Progress, None, engine.TrainResult] | None = None

    def steps(self) -> Generator[engine.Progress, None, engine.TrainResult]:
        """The generator the worker thread drives (it prepares the data first)."""
        data = self._data if self._prepare is None else self._prepare(self._data)
        self._run = engine.train(data, self._config, should_stop=self.stop_event.is_set)
        return (yield from self._run)

    def close(self) -> None:
        """Finish the engine generator (joins L-BFGS-B's thread); call once the worker ended."""
        if self._run is not None:
            self._run.close()


def _load_dataset(
    directory: str | os.PathLike | None,
    expected_version: int | None,
    chosen_version: int | None,
    should_stop: Callable[[], bool],
    progress: Callable[[float, str], None],
) -> engine.Dataset | None:
    """``engine.load_mnist`` for the window, or None when closing cancelled it.

    ``engine.preprocessing_for`` decides the preprocessing: ``chosen_version`` when the user
    chose one, else what the current model expects (``expected_version``, None without a
    model) for handwritten digits and the images as published for any other dataset.

    Training images stay uint8 (a quarter of float32's memory); the engine converts them a
    batch at a time, and the window only reads their count. SciPy's optimiser is imported
    here too: importing it holds the GIL in long stretches that would stall the UI thread
    at the start of the first L-BFGS-B run.
    """
    try:
        data = engine.load_mnist(
            directory,
            preprocessing_version=chosen_version,
            digit_preprocessing=expected_version,
            train_dtype=np.uint8,
            should_stop=should_stop,
            progress=progress,
        )
    except engine.LoadCancelled:
        return None
    engine.import_solver()  # here, not on the first L-BFGS-B run, which the UI waits on
    return data


class _Job(QObject):
    """GUI-thread end of one worker: collects its outcome, then reports it once."""

    ended = Signal(str, object, object)  # job name, result or None, exception or None

    def __init__(self, name: str, worker: WorkerBase, parent: QObject) -> None:
        super().__init__(parent)
        self.name, self.worker = name, worker
        self._result: object = None
        self._error: BaseException | None = None
        worker.returned.connect(self._on_returned)
        worker.errored.connect(self._on_errored)
        # superqt's stubs type argument-less signals as SigInst[None], wanting a 1-argument slot
        worker.finished.connect(self._on_finished)  # type: ignore[arg-type]

    @Slot(object)
    def _on_returned(self, result: object) -> None:
        self._result = result

    @Slot(object)
    def _on_errored(self, error: BaseException) -> None:
        self._error = error

    @Slot()
    def _on_finished(self) -> None:
        self.ended.emit(self.name, self._result, self._error)


class BackgroundJobs(QObject):
    """Starts, pauses, stops and shuts down the app's background jobs."""

    progress = Signal(object)  # engine.Progress
    training_finished = Signal(object)  # engine.TrainResult
    training_paused = Signal(bool)
    dataset_loaded = Signal(object)  # engine.Dataset
    load_progress = Signal(float, str)  # share done in [0, 1], what is happening
    gradcheck_finished = Signal(object)  # engine.GradCheckResult
    evaluation_finished = Signal(object)  # what the evaluation function returned
    step_finished = Signal(object)  # what the step function returned
    finished = Signal(str, object)  # job name, result: jobs started with run()
    failed = Signal(str, str)  # job name, user-facing message
    busy_changed = Signal()  # a job started or ended

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(MAX_THREADS)
        self._jobs: dict[str, _Job] = {}
        self._running: set[str] = set()
        self._training: TrainingRun | None = None
        self._closing = threading.Event()  # stops a dataset load between preparation chunks

    def is_running(self, name: str) -> bool:
        """Whether job ``name`` (TRAIN, LOAD, GRADCHECK, EVALUATE or a run() name) is running."""
        return name in self._running

    def active_threads(self) -> int:
        """Threads of this object's pool still running a job."""
        return self._pool.activeThreadCount()

    def start_training(
        self, data: engine.Dataset, config: engine.TrainConfig, prepare: PrepareData | None = None
    ) -> None:
        """Train on a worker thread (on ``prepare(data)`` when given); progress and the
        result arrive as signals."""
        self._training = TrainingRun(data, config, prepare)
        worker = create_worker(self._training.steps, _start_thread=False, _ignore_errors=True)
        worker.yielded.connect(self._on_progress)
        # superqt's stubs type argument-less signals as SigInst[None], wanting a 1-argument slot
        worker.paused.connect(self._on_paused)  # type: ignore[arg-type]
        worker.resumed.connect(self._on_resumed)  # type: ignore[arg-type]
        self._start(TRAIN, worker)

    def toggle_pause(self) -> None:
        """Pause a running training job, or resume a paused one."""
        worker = self._training_worker()
        if worker is not None:
            worker.toggle_pause()

    def stop_training(self) -> None:
        """Ask training to end at its next report; it still returns the model so far."""
        worker = self._training_worker()
        if worker is None or self._training is None:
            return
        self._training.stop_event.set()
        worker.resume()

    def load_dataset(
        self,
        directory: str | os.PathLike | None,
        expected_version: int | None,
        chosen_version: int | None = None,
    ) -> None:
        """Load an IDX folder (the bundled MNIST when None) on a worker thread (see
        :func:`_load_dataset` for the preprocessing it gets)."""
        worker = create_worker(
            _load_dataset,
            directory,
            expected_version,
            chosen_version,
            self._closing.is_set,
            self.load_progress.emit,  # from the worker thread: queued to the GUI thread
            _start_thread=False,
            _ignore_errors=True,
        )
        self._start(LOAD, worker)

    def run_gradcheck(
        self,
        X: np.ndarray,
        y: np.ndarray,
        n_checks: int,
        l2: float,
        model: engine.SoftmaxModel | None = None,
    ) -> None:
        """Run ``engine.gradient_check`` on copies of ``X`` (n, d) and ``y`` (n,), at
        ``model``'s parameters when given (a frozen record: never changed, so not copied)."""
        worker = create_worker(
            engine.gradient_check,
            X.copy(),
            y.copy(),
            n_checks=n_checks,
            l2=l2,
            model=model,
            _start_thread=False,
            _ignore_errors=True,
        )
        self._start(GRADCHECK, worker)

    def run_evaluation(self, evaluate: Callable[..., object], *args: object) -> None:
        """Run ``evaluate(*args)`` (model maths on plain data, no widgets) on a worker thread."""
        worker = create_worker(evaluate, *args, _start_thread=False, _ignore_errors=True)
        self._start(EVALUATE, worker)

    def run(self, name: str, function: Callable[..., object], *args: object) -> None:
        """Run ``function(*args)`` (plain data in and out, no widgets) on a worker thread as
        job ``name``; its result arrives in ``finished``, an error in ``failed``."""
        worker = create_worker(function, *args, _start_thread=False, _ignore_errors=True)
        self._start(name, worker)

    def shutdown(self, timeout_ms: int = SHUTDOWN_TIMEOUT_MS) -> bool:
        """Stop every job, wait for the threads, and emit nothing more. True if all ended."""
        self.blockSignals(True)
        self._closing.set()
        if self._training is not None:
            self._training.stop_event.set()
        for job in self._jobs.values():
            job.worker.quit()
        done = self._pool.waitForDone(timeout_ms)
        if done and self._training is not None:
            self._training.close()
        return done

    def _training_worker(self) -> GeneratorWorker | None:
        job = self._jobs.get(TRAIN)
        if job is None or TRAIN not in self._running:
            return None
        return cast(GeneratorWorker, job.worker)  # start_training runs a generator

    def _start(self, name: str, worker: WorkerBase) -> None:
        if name in self._running:
            raise RuntimeError(f"a {name} job is already running")
        old = self._jobs.get(name)
        if old is not None:
            old.deleteLater()
        job = _Job(name, worker, self)
        job.ended.connect(self._on_ended)
        # Keep our reference until the next job of this kind: the Python worker must outlive
        # its thread, and dropping it here in the GUI thread is then always safe.
        self._jobs[name] = job
        self._running.add(name)
        self._pool.start(worker)
        self.busy_changed.emit()

    @Slot(object)
    def _on_progress(self, progress: engine.Progress) -> None:
        self.progress.emit(progress)

    @Slot()
    def _on_paused(self) -> None:
        if self._training is not None and self._training.stop_event.is_set():
            worker = self._training_worker()
            assert worker is not None  # it is the one that just paused
            worker.resume()  # Stop arrived while the pause was pending
            return
        self.training_paused.emit(True)

    @Slot()
    def _on_resumed(self) -> None:
        self.training_paused.emit(False)

    @Slot(str, object, object)
    def _on_ended(self, name: str, result: object, error: BaseException | None) -> None:
        self._running.discard(name)
        if name == TRAIN and self._training is not None:
            self._training.close()
            self._training = None
        self.busy_changed.emit()
        if error is not None:
            self.failed.emit(name, errors.describe(error))
        elif result is not None:
            own = {
                TRAIN: self.training_finished,
                LOAD: self.dataset_loaded,
                GRADCHECK: self.gradcheck_finished,
                EVALUATE: self.evaluation_finished,
                STEP: self.step_finished,
            }.get(name)
            if own is None:
                self.finished.emit(name, result)
            else:
                own.emit(result)
