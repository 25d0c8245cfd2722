"""Real pen digits (UNIPEN, ``bench/data/unipen-dev``) replayed on the app's own canvas.

Each digit is drawn the way its README says a person would: y flipped when the tablet's axis
points up, x scaled to square pixels, the bounding box fitted (aspect kept) into 70% of the
280-unit page, centred, and each stroke sent to :class:`softmax_gui.draw.canvas.DrawingCanvas` as
one press-drag-release with the default pen. The ink then goes through
``engine.preprocess_canvas`` exactly as in the Draw tab. The 28×28 results are cached (they
take about a minute to draw), keyed by the data file, the preprocessing version and this
module's drawing code. Imported by bench scripts; not a test module.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from _gui_harness import ROOT, app, send_mouse  # noqa: I001  (sets up sys.path and Qt first)

from engine import N_FEATURES, preprocess_canvas  # noqa: E402

#: The pen digits (their README gives the fields, licence and citation); the environment
#: variable ``UNIPEN_STROKES`` names another file in the same format instead.
UNIPEN_DEV = Path(
    os.environ.get("UNIPEN_STROKES", ROOT / "bench" / "data" / "unipen-dev" / "strokes.json.gz")
)
#: Fraction of the page side the digit's bounding box is fitted into.
FILL = 0.7
CACHE_DIR = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "softmax-gui"
#: Bump when the drawing below changes, so old caches are not reused.
DRAWING_REVISION = 1


@dataclass(frozen=True)
class PenDigits:
    """Prepared pen digits: model inputs, labels and who wrote each one."""

    X: np.ndarray  # (n, 784) float32, as preprocess_canvas makes them
    y: np.ndarray  # (n,) int64 labels 0-9
    writer: np.ndarray  # (n,) str, "contributor/writer-id"
    contributor: np.ndarray  # (n,) str
    strokes: list  # per digit: list of (m, 2) float page coordinates, as drawn

    def writers(self, min_digits: int = 1) -> list[str]:
        """Writers with at least ``min_digits`` digits, sorted by name."""
        names, counts = np.unique(self.writer, return_counts=True)
        return [str(n) for n, c in zip(names, counts, strict=True) if c >= min_digits]


def read_items(path: Path = UNIPEN_DEV) -> list[dict]:
    """The digits of the data file, without the few (nearly) flat ones."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        items = json.load(fh)
    return [it for it in items if not it["suspect_flat"] and it["strokes"]]


def page_strokes(item: dict, side: float) -> list[np.ndarray]:
    """The digit's strokes in page coordinates (y down), fitted into FILL of ``side``."""
    strokes = [np.asarray(s, dtype=np.float64).reshape(-1, 2) for s in item["strokes"]]
    strokes = [s for s in strokes if s.size]
    points = np.concatenate(strokes)
    scale = np.array([item.get("x_scale", 1.0), -1.0 if item.get("y_up") else 1.0])
    lo, hi = (points * scale).min(axis=0), (points * scale).max(axis=0)
    extent = max(float((hi - lo).max()), 1e-9)
    fit = FILL * side / extent
    offset = (side - (hi - lo) * fit) / 2
    return [(s * scale - lo) * fit + offset for s in strokes]


def draw(canvas, strokes: list[np.ndarray]) -> np.ndarray:
    """Clear ``canvas`` and draw ``strokes`` with the mouse; returns the ink (uint8)."""
    from PySide6.QtCore import QEvent, QPointF, Qt

    canvas.clear()
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    scale = canvas.page_rect().width() / 280.0
    origin = canvas.page_rect().topLeft()
    for stroke in strokes:
        points = [origin + QPointF(float(x) * scale, float(y) * scale) for x, y in stroke]
        send_mouse(canvas, QEvent.Type.MouseButtonPress, points[0], left, left)
        for p in points[1:]:
            send_mouse(canvas, QEvent.Type.MouseMove, p, none, left)
        send_mouse(canvas, QEvent.Type.MouseButtonRelease, points[-1], left, none)
    return canvas.ink_array()


def make_canvas():
    """A real DrawingCanvas, 280×280 page at the default pen (offscreen unless told)."""
    from softmax_gui.draw.canvas import CANVAS_SIZE, DrawingCanvas

    app()
    canvas = DrawingCanvas()
    canvas.resize(CANVAS_SIZE, CANVAS_SIZE)
    return canvas


def load_pen_digits(version: int, path: Path = UNIPEN_DEV) -> PenDigits:
    """Every digit of ``path`` drawn on the canvas and preprocessed for ``version`` (cached)."""
    items = read_items(path)
    from softmax_gui.draw.canvas import CANVAS_SIZE

    strokes = [page_strokes(it, CANVAS_SIZE) for it in items]
    key = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    cache = CACHE_DIR / f"unipen-{key}-v{version}-r{DRAWING_REVISION}.npz"
    if cache.is_file():
        with np.load(cache, allow_pickle=False) as f:  # our own cache, plain arrays only
            X = f["X"]
    else:
        canvas = make_canvas()
        X = np.empty((len(items), N_FEATURES), dtype=np.float32)
        for i, s in enumerate(strokes):
            x = preprocess_canvas(draw(canvas, s), version=version)
            X[i] = 0.0 if x is None else x.ravel()
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(".tmp.npz")
        np.savez(tmp, X=X)
        os.replace(tmp, cache)
    return PenDigits(
        X=X,
        y=np.array([it["label"] for it in items], dtype=np.int64),
        writer=np.array([it["writer"] for it in items]),
        contributor=np.array([it["contributor"] for it in items]),
        strokes=strokes,
    )
