"""The Train tab's runs kept across restarts: a small JSON file in the user's data folder.

Plain numbers and strings only: per run its summary (settings, data, outcome, time, errors),
whether it is shown, and its curves thinned to at most :data:`MAX_STORED_POINTS` points. A
file that cannot be read as such (corrupt, written by something else, a newer format) is
moved aside, never deleted, and the app starts without it.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import engine
from engine.data import files as engine_files
from softmax_gui.train.plot_data import SERIES_KEYS
from softmax_gui.train.run_summary import RunOutcome, RunSummary

HISTORY_FILE_NAME = "run_history.json"
FORMAT_NAME = "softmax-gui run history"
FORMAT_VERSION = 1
#: Points kept per curve: enough for the faint curve of an earlier run, and nine runs stay
#: about a megabyte, written in a few tens of milliseconds.
MAX_STORED_POINTS = 1000
#: Largest file read: a history the app wrote stays far below it.
MAX_FILE_BYTES = 16 * 1024 * 1024
#: A history that could not be read is renamed to ``<name><suffix><time>`` (``-2``, … if taken).
SET_ASIDE_SUFFIX = engine_files.UNREADABLE_SUFFIX
_SUMMARY_NUMBERS = ("seconds", "train_error", "test_error")


@dataclass(frozen=True)
class StoredRun:
    """One run as stored: its summary, whether it is shown, its curves (keys SERIES_KEYS)."""

    summary: RunSummary
    visible: bool
    series: dict[str, list[float]]


def thin(series: dict[str, list[float]], max_points: int = MAX_STORED_POINTS) -> dict:
    """``series`` with at most ``max_points`` evenly spread points (first and last kept)."""
    n = len(next(iter(series.values()), []))
    if n <= max_points:
        return {key: list(values) for key, values in series.items()}
    rows = sorted({round(i * (n - 1) / (max_points - 1)) for i in range(max_points)})
    return {key: [values[i] for i in rows] for key, values in series.items()}


def save_runs(path: Path, runs: list[StoredRun]) -> None:
    """Write ``runs`` to ``path`` atomically (creating its folder); raises OSError."""
    document = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "runs": [_run_to_json(run) for run in runs],
    }
    text = json.dumps(document, allow_nan=False, separators=(",", ":"))
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        engine_files.write_atomic(path, lambda fh: fh.write(text.encode("utf-8")))
    except ValueError as exc:  # the folder vanished after mkdir: a failed write
        raise OSError(str(exc)) from None


def load_runs(path: Path) -> list[StoredRun]:
    """The runs stored at ``path``, oldest first; none if there is no file.

    Raises ValueError naming the problem when the file is not a history this app wrote,
    OSError when it cannot be read.
    """
    if not path.exists():
        return []
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ValueError(f"{path.name} is {path.stat().st_size:,} bytes, too large")
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path.name} is not a JSON file ({exc})") from exc
    except RecursionError:  # "[[[[…": nested deeper than the parser goes
        raise ValueError(f"{path.name} is nested too deeply to be a run history") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        raise ValueError(f"{path.name} is not a softmax-gui run history")
    if document.get("version") != FORMAT_VERSION:
        raise ValueError(
            f"{path.name} has format version {document.get('version')!r}, expected {FORMAT_VERSION}"
        )
    entries = document.get("runs")
    if not isinstance(entries, list):
        raise ValueError(f"{path.name} has no list of runs")
    runs = [_run_from_json(entry, k) for k, entry in enumerate(entries, start=1)]
    numbers = [run.summary.number for run in runs]
    if len(set(numbers)) != len(numbers):
        raise ValueError(f"{path.name} numbers two runs alike")
    return runs


def set_aside(path: Path) -> Path:
    """Rename ``path`` to a free ``<name>.unreadable-<time>[-k]`` next to it (never over an
    earlier one); returns the new path. Raises OSError when it cannot be renamed."""
    return engine_files.set_aside(path, SET_ASIDE_SUFFIX)


def _number_or_none(value: float) -> float | None:
    return value if math.isfinite(value) else None  # JSON has no NaN


def _run_to_json(run: StoredRun) -> dict[str, Any]:
    summary = asdict(run.summary)
    summary["config"] = asdict(run.summary.config)
    for key in _SUMMARY_NUMBERS:
        summary[key] = _number_or_none(summary[key])
    series = {
        key: [_number_or_none(float(v)) for v in values] for key, values in thin(run.series).items()
    }
    return {"summary": summary, "visible": run.visible, "series": series}


def _run_from_json(entry: object, k: int) -> StoredRun:
    where = f"run {k} of the history"
    if not isinstance(entry, dict) or set(entry) != {"summary", "visible", "series"}:
        raise ValueError(f"{where} is not a stored run")
    summary, visible, series = entry["summary"], entry["visible"], entry["series"]
    if not isinstance(summary, dict) or not isinstance(visible, bool):
        raise ValueError(f"{where} has no summary or visibility")
    return StoredRun(_summary_from_json(summary, where), visible, _series_from_json(series, where))


def _summary_from_json(data: dict[str, Any], where: str) -> RunSummary:
    fields = dict(data)
    try:
        fields["config"] = engine.TrainConfig(**fields["config"])
        fields["outcome"] = RunOutcome(fields["outcome"])  # ValueError when unknown
        for key in _SUMMARY_NUMBERS:
            value = fields[key]
            if value is not None and not engine.is_number(value):
                raise ValueError(f"{key} is {value!r}")
            fields[key] = math.nan if value is None else float(value)
        summary = RunSummary(**fields)
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"{where} has a bad summary ({exc})") from exc
    checks = {
        "number": isinstance(summary.number, int) and summary.number >= 1,
        "dataset": isinstance(summary.dataset, str),
        "preprocessing": isinstance(summary.preprocessing, int),
        "personal": isinstance(summary.personal, bool),
        "outcome": summary.outcome is not RunOutcome.RUNNING,
        "reason": isinstance(summary.reason, str),
        "stop_reason": isinstance(summary.stop_reason, str),
        "iterations": isinstance(summary.iterations, int) and summary.iterations >= 0,
        "planned": isinstance(summary.planned, int) and summary.planned >= 0,
    }
    bad = [key for key, ok in checks.items() if not ok]
    if bad:
        raise ValueError(f"{where} has a bad {', '.join(bad)}")
    return summary


def _series_from_json(series: object, where: str) -> dict[str, list[float]]:
    if not isinstance(series, dict) or set(series) != set(SERIES_KEYS):
        raise ValueError(f"{where} does not have the curves {', '.join(SERIES_KEYS)}")
    lengths = set()
    out: dict[str, list[float]] = {}
    for key in SERIES_KEYS:
        values = series[key]
        numbers = isinstance(values, list) and all(v is None or engine.is_number(v) for v in values)
        if not numbers:
            raise ValueError(f"{where} has a curve {key!r} that is not a list of numbers")
        out[key] = [math.nan if v is None else float(v) for v in values]
        lengths.add(len(values))
    if len(lengths) != 1:
        raise ValueError(f"{where} has curves of different lengths")
    return out
