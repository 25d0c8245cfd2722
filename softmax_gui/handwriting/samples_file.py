"""The user's samples file: read once at start (an unreadable one is moved aside), written on
a worker thread after each change (coalesced: a change during a save makes one more save
afterwards), and written here and now when the app closes, so no sample is lost."""

from __future__ import annotations

from pathlib import Path

import engine
from softmax_gui.errors import describe
from softmax_gui.handwriting.worker_tasks import save, set_samples_aside
from softmax_gui.jobs import BackgroundJobs

SAMPLES_FILE_NAME = "personal-samples.npz"
SAVE = "save samples"


class SamplesFile:
    """Where the samples are kept, and which revision of them is written."""

    def __init__(self, jobs: BackgroundJobs, folder: Path) -> None:
        self._jobs = jobs
        self.path: Path | None = Path(folder) / SAMPLES_FILE_NAME  # None: saving is off
        self._samples: engine.PersonalSamples | None = None
        self._rev = self._saved_rev = 0
        self._saving_rev: int | None = None  # the revision the running save writes
        self.failing = False  # a save failed and none has succeeded since

    def read(self) -> tuple[engine.PersonalSamples | None, str]:
        """The samples in the file (None if there is none or it is unreadable) and a notice
        for the user ("" unless the file could not be read and was moved aside)."""
        path = self.path
        if path is None or not path.exists():
            return None, ""
        try:
            return engine.load_samples(path), ""
        except (ValueError, OSError) as exc:
            notice, saving = set_samples_aside(path, exc)
            if not saving:
                self.path = None  # never overwrite a file we could not move out of the way
            return None, notice

    def is_saved(self) -> bool:
        """Whether the file holds the latest samples (or saving is off)."""
        return self.path is None or self._saved_rev == self._rev

    def changed(self, samples: engine.PersonalSamples) -> None:
        """Write ``samples`` in the background (after the save that runs, if one does)."""
        self._samples = samples
        self._rev += 1
        self._start()

    def on_saved(self) -> None:
        """A save finished: that revision is on disk; write a newer one if there is one."""
        if self._saving_rev is not None:
            self._saved_rev = self._saving_rev
        self._saving_rev = None
        self.failing = False
        self._start()

    def on_failed(self) -> None:
        """A save failed: the next change (or closing) tries again."""
        self._saving_rev = None
        self.failing = True

    def flush(self) -> str:
        """Write unsaved samples here and now (the jobs have stopped); "" or what went wrong."""
        if self.path is None or self._samples is None or self._saved_rev == self._rev:
            return ""
        try:
            save(self._samples, self.path)
        except (ValueError, OSError) as exc:
            return describe(exc)
        self._saved_rev = self._rev
        return ""

    def _start(self) -> None:
        if self.path is None or self._samples is None or self._jobs.is_running(SAVE):
            return
        if self._saved_rev != self._rev:
            self._saving_rev = self._rev
            self._jobs.run(SAVE, save, self._samples, self.path)
