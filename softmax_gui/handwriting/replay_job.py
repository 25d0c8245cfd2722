"""The replay images adaptation reads, prepared before the first correction.

Adapting a model whose inputs go through an input map (the shipped edge-direction model)
first maps the replay and the 20,000 guard images through it and computes the base's terms
on them: about 1.4 s, once per base model and dataset. :class:`ReplayPreparer` does that on
a worker thread as soon as both a base model and the dataset are there, so the first
correction of a session only adapts (figures in docs/figures.md). A new dataset or base
starts it again; a result made for an older one is dropped, and its memory with it.

While a training run runs, nothing is prepared ahead and an unused prepared replay is let
go: the run needs that memory (the app's peak RSS is measured while training). A correction
made meanwhile prepares it on demand, as the first correction used to. After a run, the
model it made is prepared ahead once the app has been free of runs for a few seconds
(:data:`AFTER_RUN_MS`): a run often follows another, and a preparation overlapping the next
run added about 100 MiB to its peak.

The replay images drawn from a dataset are kept per dataset; each base gets its own
:class:`engine.ReplaySet` over the same arrays, so what the engine caches in it for one base
(the mapped images: 41 MB for the shipped model) goes when that base is replaced.
"""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import QObject, QTimer

import engine
from softmax_gui.handwriting.worker_tasks import prepared_replay
from softmax_gui.jobs import TRAIN, BackgroundJobs
from softmax_gui.memory import return_freed_memory

REPLAY = "replay"
#: Quiet time after a training run before the replay is prepared ahead again.
AFTER_RUN_MS = 5_000


class ReplayPreparer(QObject):
    """Prepares, keeps and hands out the replay for the current base model and dataset."""

    def __init__(self, jobs: BackgroundJobs, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs = jobs
        self._data: engine.Dataset | None = None
        self._base: engine.SoftmaxModel | None = None
        self._drawn: tuple[engine.Dataset, engine.ReplaySet] | None = None  # per dataset
        self._ready: tuple[engine.SoftmaxModel, engine.Dataset, engine.ReplaySet] | None = None
        self._failed_for: tuple[object, object] | None = None  # (base, data) that failed
        self._ahead = True  # prepare before anyone asks (off while training runs)
        self._asked = False  # an adaptation or a measurement waits for it
        self._after_run = QTimer(self, singleShot=True, interval=AFTER_RUN_MS)
        self._after_run.timeout.connect(self._start)

    @property
    def dataset(self) -> engine.Dataset | None:
        """The dataset the replay comes from (its test set is measured on too)."""
        return self._data

    def follow_training(self, jobs: BackgroundJobs) -> None:
        """Prepare nothing ahead while ``jobs`` trains (and let an unused replay go)."""
        jobs.busy_changed.connect(lambda: self._set_ahead(not jobs.is_running(TRAIN)))

    def ask(self) -> None:
        """Something waits for the replay: prepare it even while training runs."""
        self._asked = True
        self._start()

    def set_dataset(self, data: engine.Dataset) -> None:
        """Draw the replay from ``data`` from now on (prepared in the background)."""
        if data is not self._data:
            self._asked = False
        self._data = data
        if self._drawn is not None and self._drawn[0] is not data:
            self._drawn = None
        self._start()

    def set_base(self, base: engine.SoftmaxModel) -> None:
        """Prepare the replay for ``base`` (in the background)."""
        if base is not self._base:
            self._asked = False
        self._base = base
        self._start()

    def replay_for(self, base: engine.SoftmaxModel) -> engine.ReplaySet | None:
        """The replay prepared for ``base`` and the current dataset; None while not ready."""
        ready = self._ready
        if ready is not None and ready[0] is base and ready[1] is self._data:
            return ready[2]
        return None

    def is_preparing(self) -> bool:
        """Whether the replay is being prepared."""
        return self._jobs.is_running(REPLAY)

    def on_finished(self, result: object) -> None:
        """Keep a finished preparation if it is still for the current base and dataset."""
        parts = cast(list, result)
        data, drawn, base, replay = (
            cast(engine.Dataset, parts[0]),
            cast(engine.ReplaySet, parts[1]),
            cast(engine.SoftmaxModel, parts[2]),
            cast(engine.ReplaySet, parts[3]),
        )
        parts.clear()  # the finished job keeps its result: only we may keep the replay
        if data is self._data:
            self._drawn = (data, drawn)  # valid for any base of this dataset
            if base is self._base and (self._ahead or self._asked):
                self._ready = (base, data, replay)
        self._start()  # superseded while it ran: once more for what is current now

    def on_failed(self) -> None:
        """Do not try the same base and dataset again (the controller reports the error)."""
        self._failed_for = (self._base, self._data)

    def _set_ahead(self, ahead: bool) -> None:
        if ahead == self._ahead:
            return
        self._ahead = ahead
        if ahead:
            self._after_run.start()  # then prepare, unless another run starts first
        else:
            self._after_run.stop()
            if not self._asked:
                self._ready = None  # training needs the memory more
                return_freed_memory()  # and the heap would keep what the preparation freed

    def _start(self) -> None:
        base, data = self._base, self._data
        if self._ready is not None and (self._ready[0] is not base or self._ready[1] is not data):
            self._ready = None  # its cached images go with it
        if not self._asked and (not self._ahead or self._after_run.isActive()):
            return
        if base is None or data is None or self._ready is not None or self.is_preparing():
            return
        if not engine.same_preprocessing(data, base) or base.n_inputs != data.X_train.shape[1]:
            return  # the window loads (or reloads) the dataset this base expects
        failed = self._failed_for
        if failed is not None and failed[0] is base and failed[1] is data:
            return
        drawn = self._drawn[1] if self._drawn is not None else None
        self._jobs.run(REPLAY, prepared_replay, data, drawn, base)
