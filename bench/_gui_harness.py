"""Shared helpers for the GUI measurement scripts in bench/: a QApplication with the real
window, an event-loop heartbeat, a paint counter, mouse strokes on the canvas, RSS readings
and the machine load. Not a test module; imported by bench/*.py only.
"""

from __future__ import annotations

import faulthandler
import os
import resource
import shlex
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

# `kill -USR1 <pid>` prints every thread's stack: a stuck measurement can be diagnosed.
faulthandler.register(signal.SIGUSR1, all_threads=True)
# Offscreen unless the caller asked for a real platform (e.g. QT_QPA_PLATFORM=xcb under Xvfb).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from PySide6.QtCore import (  # noqa: E402
    QElapsedTimer,
    QEvent,
    QEventLoop,
    QObject,
    QPointF,
    Qt,
    QTimer,
    qInstallMessageHandler,
)
from PySide6.QtGui import QMouseEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

HEARTBEAT_MS = 10
POLL_MS = 5
#: Generous bound for background work (dataset loading, a training run) on a busy machine.
WAIT_TIMEOUT_S = 600.0
KIB = 1024
MIB = 1024 * 1024


def command_line() -> str:
    """The command that ran this script, for the printed report."""
    env = f"QT_QPA_PLATFORM={os.environ['QT_QPA_PLATFORM']} "
    return env + " ".join(shlex.quote(a) for a in [sys.executable, *sys.argv])


def machine_load() -> str:
    """The 1/5/15-minute load averages and the core count."""
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def rss_mib() -> float:
    """Current resident set size (VmRSS) in MiB."""
    return _status_kib("VmRSS") / KIB


def peak_rss_mib() -> tuple[float, float]:
    """Peak RSS in MiB from ``getrusage`` (ru_maxrss) and from /proc (VmHWM)."""
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / KIB  # KiB on Linux
    return maxrss, _status_kib("VmHWM") / KIB


def _status_kib(field: str) -> float:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith(field + ":"):
                return float(line.split()[1])
    raise ValueError(f"/proc/self/status has no {field} line")


def _quiet_handler(mode, context, message: str) -> None:
    # the offscreen plugin prints this on every window; everything else goes to stderr
    if "propagateSizeHints" not in message:
        print(message, file=sys.stderr)


def app() -> QApplication:
    """The QApplication (created once)."""
    existing = QApplication.instance()
    if existing is not None:
        return existing
    qInstallMessageHandler(_quiet_handler)
    from softmax_gui import memory

    memory.hand_large_arrays_back()  # as softmax_gui.app.main does
    return QApplication([sys.argv[0]])


def wait_until(condition: Callable[[], bool], timeout_s: float = WAIT_TIMEOUT_S) -> None:
    """Run the event loop until ``condition()`` holds (RuntimeError after ``timeout_s``).

    A real ``QEventLoop.exec`` that sleeps between events, polled every POLL_MS: a
    ``processEvents`` loop would spin, hold the GIL and starve the training thread.
    """
    if condition():
        return
    deadline = time.monotonic() + timeout_s
    loop = QEventLoop()
    timed_out: list[bool] = []

    def poll() -> None:
        if condition():
            loop.quit()
        elif time.monotonic() > deadline:
            timed_out.append(True)
            loop.quit()

    timer = QTimer(interval=POLL_MS)
    timer.timeout.connect(poll)
    timer.start()
    loop.exec()
    timer.stop()
    if timed_out:
        raise RuntimeError(f"timed out after {timeout_s:.0f} s")


#: (title, message) of every error dialog the window tried to show while measuring.
DIALOGS: list[tuple[str, str]] = []


def _record_dialog(parent, title: str, message: str, *, warning: bool = False) -> None:
    # a modal box would stall an unattended measurement; print it and carry on
    DIALOGS.append((title, message))
    print(f"error dialog: {title}: {message}", file=sys.stderr, flush=True)


def open_window(settings_path: str | os.PathLike):
    """Show the real window (bundled model, dataset loaded in the background) and wait for
    the full dataset and its evaluation. Error dialogs are recorded in DIALOGS instead.
    Returns the window."""
    from softmax_gui import MainWindow, errors

    errors.show_error = _record_dialog

    app()
    window = MainWindow(settings_path=settings_path)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.show()
    loaded: list[object] = []
    window.dataset_loaded.connect(loaded.append)
    wait_until(lambda: bool(loaded))
    wait_until(lambda: evaluation_done(window))  # the startup model's, in the background
    return window


def close_window(window) -> None:
    """Close the window and let Qt delete it."""
    window.close()
    app().processEvents()
    app().sendPostedEvents(None, QEvent.Type.DeferredDelete)


def train(window, values: dict) -> object:
    """Start a run with ``values`` in the form and wait for its result."""
    results: list[object] = []
    window.training_finished.connect(results.append)
    window.training_panel.set_values(values)
    n_dialogs = len(DIALOGS)
    window.start_training()
    wait_until(lambda: bool(results) or len(DIALOGS) > n_dialogs)
    window.training_finished.disconnect(results.append)
    if not results:
        raise RuntimeError(f"training failed: {DIALOGS[-1]}")
    return results[0]


def evaluation_done(window) -> bool:
    """Whether the window shows the evaluation of its current model, gallery filled."""
    from softmax_gui.jobs import EVALUATE

    return not window.jobs.is_running(EVALUATE) and not window.evaluation_panel.filling


def thread_schedstat() -> tuple[float, float] | None:
    """(CPU time, time spent runnable but waiting for a core), in ms, of the calling thread
    (Linux /proc/thread-self/schedstat); None where the kernel does not provide it."""
    try:
        with open("/proc/thread-self/schedstat", encoding="ascii") as f:
            on_cpu, waiting, _ = f.read().split()
    except (OSError, ValueError):
        return None
    return int(on_cpu) / 1e6, int(waiting) / 1e6


class Heartbeat(QObject):
    """A HEARTBEAT_MS timer; records every gap between its ticks (ms) and when it ended.

    Each gap is also split into the GUI thread's CPU time, its wait for a core (other
    threads and processes running), and the rest: blocked, which within a gap means waiting
    for the GIL held by another thread (an idle event loop would have ticked).
    """

    def __init__(self) -> None:
        super().__init__()
        self.gaps: list[float] = []
        self.ends: list[float] = []  # time.perf_counter() at the end of each gap
        self._stats: list[tuple[float, float] | None] = []  # schedstat at each tick
        self._clock = QElapsedTimer()
        self._timer = QTimer(self, interval=HEARTBEAT_MS)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.gaps.clear()
        self.ends.clear()
        self._stats = [thread_schedstat()]
        self._clock.start()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        self.gaps.append(self._clock.nsecsElapsed() / 1e6)
        self.ends.append(time.perf_counter())
        self._stats.append(thread_schedstat())
        self._clock.restart()

    def longest(self) -> tuple[float, float]:
        """The longest gap (ms) and the time.perf_counter() at which it ended."""
        k = max(range(len(self.gaps)), key=self.gaps.__getitem__)
        return self.gaps[k], self.ends[k]

    def breakdown(self, gap_ms: float) -> str:
        """How the GUI thread spent the gap of ``gap_ms`` ms: CPU, waiting for a core, and
        blocked (empty where the kernel gives no per-thread statistics)."""
        k = self.gaps.index(gap_ms)
        before, after = self._stats[k], self._stats[k + 1]
        if before is None or after is None:
            return ""
        cpu, waiting = after[0] - before[0], after[1] - before[1]
        blocked = max(0.0, gap_ms - cpu - waiting)
        return (
            f"GUI thread: cpu {cpu:.0f} + waiting for a core {waiting:.0f} + "
            f"blocked {blocked:.0f} ms"
        )


class PaintCounter(QObject):
    """Counts paint events that reach the watched widgets (actual redraws on screen)."""

    def __init__(self, widgets: list[QWidget]) -> None:
        super().__init__()
        self.count = 0
        for w in widgets:
            w.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def send_mouse(
    widget: QWidget,
    etype: QEvent.Type,
    pos: QPointF,
    button: Qt.MouseButton,
    buttons: Qt.MouseButton,
) -> None:
    """Deliver one mouse event to ``widget`` (see docs/QT_TESTING.md: no global QTest state)."""
    ev = QMouseEvent(
        etype, pos, widget.mapToGlobal(pos), button, buttons, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(widget, ev)


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (nearest rank) of ``values``."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered)) - 1))
    return ordered[rank]
