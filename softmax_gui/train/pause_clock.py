"""Time a run spent paused, so elapsed times, the time axis and "done in" leave it out.

The engine's ``Progress.elapsed`` and ``TrainResult.seconds`` run on the worker's clock,
which keeps counting while the worker is paused between two reports. The window learns of a
pause from the worker's paused/resumed signals; this clock measures those intervals on the
GUI thread and subtracts them. (Exact to the worker's 10 ms pause polling and the signals'
delivery; measuring in the worker instead would need ``TrainingRun`` to time its yields.)
"""

from __future__ import annotations

import time
from collections.abc import Callable


class PauseClock:
    """Paused seconds of the current run, and engine times corrected for them."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self.reset()

    def reset(self) -> None:
        """A new run: nothing paused yet."""
        self._paused_total = 0.0
        self._since: float | None = None  # when the current pause began
        self._last = 0.0  # the last corrected time handed out (they never go backwards)

    @property
    def paused_seconds(self) -> float:
        """Seconds paused so far, the current pause included."""
        ongoing = self._clock() - self._since if self._since is not None else 0.0
        return self._paused_total + ongoing

    def set_paused(self, paused: bool) -> None:
        """The run paused (True) or went on (False); repeats are ignored."""
        if paused and self._since is None:
            self._since = self._clock()
        elif not paused and self._since is not None:
            self._paused_total += self._clock() - self._since
            self._since = None

    def active(self, elapsed: float) -> float:
        """``elapsed`` (engine seconds since the start) without the time spent paused."""
        self._last = max(self._last, elapsed - self.paused_seconds)
        return self._last
