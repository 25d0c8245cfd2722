"""The last "How well does it read you?" figures, kept in the user's data folder so they
survive a restart: a small JSON file of plain numbers, the date and what was measured.

Written atomically; read defensively (a missing, damaged or foreign file gives None: the
figures are a convenience, remeasured in a click, never a reason to stop).
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, fields
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import engine
from engine.data.files import write_atomic
from softmax_gui.errors import describe

REPORT_FILE_NAME = "personal-report.json"
REPORT_FORMAT = 1


@dataclass(frozen=True)
class KeptReport:
    """A measurement and its circumstances."""

    report: engine.PersonalReport
    measured_at: datetime  # timezone-aware
    test_name: str  # the test set it was measured on ("" without one)
    model: str  # the base model it was measured for, as the window names it


def write_report(path: Path, kept: KeptReport) -> str:
    """Write ``kept`` to ``path`` (its folder is created) as JSON, atomically; "" when
    done, else what went wrong (the figures are on screen either way)."""
    doc = {
        "format": REPORT_FORMAT,
        "measured_at": kept.measured_at.isoformat(),
        "test_name": kept.test_name,
        "model": kept.model,
        "report": asdict(kept.report),
    }
    data = json.dumps(doc, indent=1).encode("utf-8")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, lambda fh: fh.write(data))
    except (ValueError, OSError) as exc:
        return describe(exc)
    return ""


def read_report(path: Path) -> KeptReport | None:
    """The report kept at ``path``; None if there is none or it cannot be trusted."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        return _parse(doc)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def now() -> datetime:
    """The current time with its timezone (what a measurement is dated with)."""
    return datetime.now(timezone.utc).astimezone()


def _parse(doc: Any) -> KeptReport | None:
    if not isinstance(doc, dict) or doc.get("format") != REPORT_FORMAT:
        return None
    raw = doc["report"]
    values: dict[str, Any] = {}
    for field in fields(engine.PersonalReport):
        value = raw.get(field.name, field.default)
        if field.name in ("n_samples", "n_alone"):
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                return None
        elif value is not None:
            if not isinstance(value, int | float) or isinstance(value, bool):
                return None
            if not (math.isfinite(value) and 0.0 <= value <= 1.0):
                return None
            value = float(value)
        values[field.name] = value
    report = engine.PersonalReport(**values)
    if report.n_samples < 1 or report.base_accuracy is None:
        return None
    measured_at = datetime.fromisoformat(str(doc["measured_at"]))
    if measured_at.tzinfo is None:
        measured_at = measured_at.replace(tzinfo=timezone.utc)
    return KeptReport(report, measured_at, str(doc.get("test_name", "")), str(doc.get("model", "")))
