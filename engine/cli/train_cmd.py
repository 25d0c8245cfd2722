"""``train``: a progress bar on a terminal, Ctrl-C that stops cooperatively, the summary."""

from __future__ import annotations

import argparse
import signal
import threading
import time
from dataclasses import asdict, replace
from typing import Any, TextIO

from engine.cli.common import (
    EXIT_OK,
    check_out,
    emit_json,
    load_data,
    pct,
)
from engine.data.datasets import Dataset
from engine.data.model_io import save_model
from engine.handwriting.drawn import DRAWN_VERSION, with_drawn_copies
from engine.training.train import Progress, TrainConfig, TrainResult, run_to_end, train

#: Width of the progress bar's filled part, in characters.
BAR_WIDTH = 24
#: Redraw the progress bar at most this often (seconds).
BAR_INTERVAL = 0.1


class ProgressBar:
    """A one-line progress bar on a terminal stream, redrawn in place with ``\\r``."""

    def __init__(self, stream: TextIO, label: str) -> None:
        self.stream = stream
        self.label = label
        self.last = 0.0
        self.drawn = False
        self.pending: Progress | None = None

    def update(self, p: Progress, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last < BAR_INTERVAL:
            self.pending = p  # drawn by close() if nothing newer comes
            return
        self.last, self.pending = now, None
        filled = int(round(p.fraction * BAR_WIDTH))
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        self.stream.write(
            f"\r{self.label} [{bar}] {100 * p.fraction:3.0f}%  step {p.step}  "
            f"cost {p.cost:.4f}  train {pct(p.train_error)}  test {pct(p.test_error)}  "
            f"{p.elapsed:.1f}s "
        )
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.pending is not None:
            self.update(self.pending, force=True)
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()


class StopOnInterrupt:
    """Ctrl-C sets a flag that training polls; a second Ctrl-C interrupts at once."""

    def __init__(self) -> None:
        self.requested = False
        self.previous: Any = None

    def __enter__(self) -> StopOnInterrupt:
        if threading.current_thread() is threading.main_thread():
            self.previous = signal.signal(signal.SIGINT, self._handle)
        return self

    def _handle(self, signum, frame) -> None:
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True

    def __exit__(self, *exc) -> None:
        if self.previous is not None:
            signal.signal(signal.SIGINT, self.previous)

    def __call__(self) -> bool:
        return self.requested


def run_training(
    data: Dataset, config: TrainConfig, *, bar: ProgressBar | None = None, should_stop=None
) -> TrainResult:
    """Drain a training generator, drawing ``bar`` as it goes; returns the result."""

    def draw(progress: Progress) -> None:
        if bar is not None:
            bar.update(progress, force=progress.step == 0)

    try:
        return run_to_end(train(data, config, should_stop=should_stop), draw)
    finally:
        if bar is not None:
            bar.close()


def result_summary(result: TrainResult) -> dict[str, Any]:
    return {
        "train_error": result.train_error,
        "test_error": result.test_error,
        "test_accuracy": 1.0 - result.test_error,
        "seconds": round(result.seconds, 3),
        "iterations": result.iterations,
        "evaluations": result.evaluations,
        "reason": result.reason,
        "stop_reason": result.stop_reason.value,
        "converged": result.converged,
        "diverged": result.diverged,
    }


def cmd_train(args: argparse.Namespace, command: str, out: TextIO, err: TextIO) -> int:
    config = TrainConfig(**{name: getattr(args, name) for name in TrainConfig.options()})
    check_out(args.out)
    data = load_data(args, args.preprocessing, err)
    if args.drawn_copies:
        if data.preprocessing_version != DRAWN_VERSION:
            raise ValueError(
                f"--drawn-copies needs preprocessing {DRAWN_VERSION}, "
                f"got {data.preprocessing_version}"
            )
        data = with_drawn_copies(
            data, load_data(args, preprocessing=1).X_train, args.drawn_copies, seed=args.seed
        )
    bar = ProgressBar(err, args.optimizer) if (err.isatty() and not args.json) else None
    with StopOnInterrupt() as stop:
        result = run_training(data, config, bar=bar, should_stop=stop)
    model = replace(result.model, metadata={**result.model.metadata, "command": command})
    summary = {
        **result_summary(result),
        "optimizer": config.optimizer,
        "inputs": result.model.input_map.params,
        "config": asdict(config),
        "dataset": data.name,
        "class_names": list(data.names),
        "n_train": int(data.X_train.shape[0]),
        "n_test": int(data.X_test.shape[0]),
        "preprocessing_version": data.preprocessing_version,
        "command": command,
        "model": None,
    }
    if args.out is not None:
        summary["model"] = str(save_model(model, args.out))
    if args.json:
        emit_json(summary, out)
        return EXIT_OK
    unit = "iterations" if config.optimizer == "lbfgs" else "steps"
    out.write(
        f"{config.optimizer} on {config.inputs} inputs "
        f"({result.model.n_features} features): {result.reason}; {result.iterations} {unit}, "
        f"{result.evaluations} evaluations, {result.seconds:.2f} s\n"
        f"{data.name} ({data.subject}, preprocessing {data.preprocessing_version}): "
        f"train error {pct(result.train_error)}  test error {pct(result.test_error)}  "
        f"(test accuracy {pct(1 - result.test_error)})\n"
    )
    if summary["model"]:
        out.write(f"saved {summary['model']}\n")
    return EXIT_OK
