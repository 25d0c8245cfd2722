"""The run's progress and status under the Train tab's buttons: a line of words over a thin
progress bar (so no fill can cover them), and a status line of the latest figures.

Before any run the line says so in words; a stopped run's bar stays where it stopped
("stopped at 63 of 200 · 0:02"); a finished one is full ("done in 0:06").
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAccessibleEvent
from PySide6.QtWidgets import QLabel, QProgressBar, QVBoxLayout, QWidget

import engine
from softmax_gui.train.form_fields import format_seconds

PROGRESS_STEPS = 1000
#: The bar is a thin strip; its words are on a line of their own above it, so no part of
#: the bar's fill can cover them (paused, a style's fill hid the first figure).
PROGRESS_BAR_HEIGHT = 8
#: Between the lines of the controls column: with the style's default it did not fit a
#: 1280×800 window after an SGD run.
COMPACT_SPACING = 4


class RunStatus(QWidget):
    """Progress words, bar and status line of the run on show."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._eta_bound = False  # the ETA of the run on show is an upper bound
        self._planned = 0  # iterations or steps the run on show plans (0: unknown)
        self.sgd = False  # the run on show is SGD's (its status line gives the epoch)
        self.progress_text = QLabel()
        self.progress_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.progress = QProgressBar(maximum=PROGRESS_STEPS, textVisible=False)
        self.progress.setFixedHeight(PROGRESS_BAR_HEIGHT)
        self.progress.setAccessibleName(self.tr("Training progress"))
        self.status = QLabel(self.tr("Ready."))
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.setAccessibleName(self.tr("Training status"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(COMPACT_SPACING)
        layout.addWidget(self.progress_text)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        self._run_status = ""
        self.clear()

    def latest(self) -> str:
        """The figures of the latest report of the run going on."""
        return self._run_status

    def clear(self) -> None:
        """Empty progress bar and a neutral status line."""
        self.progress.setValue(0)
        self._set_progress_text(self.tr("No run yet"))
        self._run_status = self.tr("Starting…")
        self.status.setText(self.tr("Ready."))

    def show_step(self, progress: engine.Progress, batch_size: int) -> None:
        """The status line after a step taken by hand."""
        self.progress.setValue(0)
        n = progress.step
        self._set_progress_text(
            self.tr("1 step by hand") if n == 1 else self.tr("{n} steps by hand").format(n=f"{n:,}")
        )
        self.status.setText(
            self.tr(
                "Step {n} · batch of {batch} · cost {cost} before the step\n"
                "Error: batch {batch_error} before · test {test_error} after"
            ).format(
                n=f"{n:,}",
                batch=f"{batch_size:,}",
                cost=f"{progress.cost:.4f}",
                batch_error=f"{progress.train_error:.2%}",
                test_error=f"{progress.test_error:.2%}",
            )
        )

    def start_run(self, config: engine.TrainConfig, planned: int | None) -> None:
        """Clear the progress for a run of ``config`` of ``planned`` SGD steps (None: an
        L-BFGS-B run, whose ETA is an upper bound: it ends once it converges, usually long
        before its iteration limit)."""
        self._eta_bound = planned is None
        self._planned = config.max_iter if planned is None else planned
        self.clear()
        self.sgd = config.optimizer == "sgd"
        self._set_progress_text(self.tr("Starting…"))
        self.progress.setToolTip(
            self.tr(
                "L-BFGS-B stops once it converges, usually long before its iteration limit: "
                "the ETA is the longest it can take"
            )
            if planned is None
            else ""
        )

    def show_progress(self, progress: engine.Progress) -> None:
        """Progress bar with ETA, and the status line for one report."""
        f = progress.fraction
        eta = progress.elapsed * (1 - f) / f if f > 0 else None
        self.progress.setValue(int(round(f * PROGRESS_STEPS)))
        elapsed = format_seconds(progress.elapsed)
        if eta is None:
            text = self.tr("{percent} · {elapsed} elapsed · ETA –")
        elif self._eta_bound:
            text = self.tr("{percent} · {elapsed} elapsed · ETA ≤ {eta}")
        else:
            text = self.tr("{percent} · {elapsed} elapsed · ETA {eta}")
        eta_text = "" if eta is None else format_seconds(eta)
        self._set_progress_text(
            text.format(percent=f"{f:.0%}", elapsed=elapsed, eta=eta_text), announce=False
        )
        figures = {
            "n": f"{progress.step:,}",
            "epoch": f"{progress.epoch:.2f}",
            "cost": f"{progress.cost:.4f}",
            "train": f"{progress.train_error:.2%}",
            "test": f"{progress.test_error:.2%}",
        }
        if self.sgd:
            status = self.tr(
                "Iteration {n} · epoch {epoch} · cost {cost}\nError: train {train} · test {test}"
            )
        else:
            status = self.tr("Iteration {n} · cost {cost}\nError: train {train} · test {test}")
        self._run_status = status.format(**figures)
        self.status.setText(self._run_status)

    def show_result(self, result: engine.TrainResult, seconds: float, why: str) -> None:
        """Status line for a finished run that trained ``seconds``, ended for reason
        ``why`` (worded by the GUI, e.g. ``"stopped at 63 of 200"``)."""
        time = format_seconds(seconds)
        n = result.iterations
        if result.stop_reason is engine.StopReason.STOPPED and self._planned:
            self.progress.setValue(min(PROGRESS_STEPS, round(n / self._planned * PROGRESS_STEPS)))
            words = self.tr("stopped at {n} of {total} · {time}").format(
                n=f"{n:,}", total=f"{self._planned:,}", time=time
            )
        elif result.diverged:
            words = self.tr("diverged after {time} · step {n}").format(time=time, n=f"{n:,}")
        else:
            self.progress.setValue(PROGRESS_STEPS)
            words = (
                self.tr("done in {time} · 1 iteration")
                if n == 1
                else self.tr("done in {time} · {n} iterations")
            ).format(time=time, n=f"{n:,}")
        self._set_progress_text(words)
        why = f"{why[:1].upper()}{why[1:]}"
        if result.diverged:
            first = self.tr("{why}. The previous model is kept.").format(why=why)
        else:
            first = self.tr("{why}.").format(why=why)
        errors = self.tr("Error: train {train} · test {test}").format(
            train=f"{result.train_error:.2%}", test=f"{result.test_error:.2%}"
        )
        self.status.setText(f"{first}\n{errors}")

    def progress_words(self) -> str:
        """What the progress line says now (e.g. ``"stopped at 63 of 200 · 0:02"``)."""
        return self.progress_text.text()

    def _set_progress_text(self, text: str, announce: bool = True) -> None:
        """The words over the bar, also the bar's own text and accessible description."""
        self.progress_text.setText(text)
        self.progress.setFormat(text)
        self.progress.setAccessibleDescription(text)
        if announce:  # not every report: a screen reader would read nothing else
            QAccessible.updateAccessibility(
                QAccessibleEvent(self.progress, QAccessible.Event.DescriptionChanged)
            )
