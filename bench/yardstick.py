"""Drawn-digit yardstick: does the app read digits drawn the way people draw them?

MNIST *test* digits are redrawn as canvas drawings — upscaled to a 280×280 canvas at random
positions and sizes, with strokes made thinner or thicker, small rotations and slants —
then pushed through the app's exact canvas pipeline (``engine.preprocess_canvas`` with the
model's preprocessing version, then ``predict``). It prints accuracy per condition next to
plain MNIST-test accuracy. Fixed seed; independent of any training augmentation.

    python bench/yardstick.py [--model resources/model.npz] [--n 2000] [--seed 12345]
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import ndimage

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine import (  # noqa: E402
    DEFAULT_MODEL_PATH,
    SoftmaxModel,
    load_mnist,
    load_model,
    prepare_images,
    preprocess_canvas,
)

CANVAS = 280
#: The goal for drawn digits: plain MNIST-test accuracy, and the largest drop a condition may show.
DONE_PLAIN = 0.95
DONE_GAP = 0.01
#: Pixel value above which an upscaled MNIST pixel counts as pen ink.
INK_LEVEL = 0.35


@dataclass(frozen=True)
class Condition:
    """How to redraw a digit: size range (fraction of canvas), stroke change, rotation, slant."""

    name: str
    size: tuple[float, float] = (0.7, 0.7)
    centred: bool = True
    stroke: tuple[float, float] = (0.0, 0.0)  # radius change, in units of the digit height
    rotate_deg: float = 0.0  # max |angle|
    slant: float = 0.0  # max |shear|


CONDITIONS = (
    Condition("canvas, MNIST size, centred"),
    Condition("small (30-50%), anywhere", size=(0.3, 0.5), centred=False),
    Condition("medium (50-75%), anywhere", size=(0.5, 0.75), centred=False),
    Condition("large (75-100%), anywhere", size=(0.75, 1.0), centred=False),
    Condition("thin strokes", stroke=(-0.035, -0.02)),
    Condition("thick strokes", stroke=(0.03, 0.06)),
    Condition("rotated up to 15 deg", rotate_deg=15.0),
    Condition("slanted (shear up to 0.3)", slant=0.3),
    Condition(
        "everything at once",
        size=(0.3, 1.0),
        centred=False,
        stroke=(-0.03, 0.05),
        rotate_deg=15.0,
        slant=0.3,
    ),
)


def redraw(image: np.ndarray, cond: Condition, rng: np.random.Generator) -> np.ndarray:
    """Draw a 28×28 MNIST digit onto an ink-bright CANVAS×CANVAS uint8 canvas."""
    rows, cols = np.flatnonzero(image.any(axis=1)), np.flatnonzero(image.any(axis=0))
    digit = image[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    target = rng.uniform(*cond.size) * CANVAS  # longer side of the drawn digit, canvas px
    zoom = target / max(digit.shape)
    angle = math.radians(rng.uniform(-cond.rotate_deg, cond.rotate_deg))
    shear = rng.uniform(-cond.slant, cond.slant)
    # output (canvas) coords -> input (digit) coords: inverse of scale, shear, rotate
    rot = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    forward = rot @ np.array([[1.0, 0.0], [shear, 1.0]]) * zoom  # (row, col)
    inverse = np.linalg.inv(forward)
    corners = np.array([[0, 0], [0, digit.shape[1]], [digit.shape[0], 0], digit.shape], float)
    mapped = corners @ forward.T
    lo, hi = mapped.min(axis=0), mapped.max(axis=0)
    span = hi - lo
    margin = np.maximum(CANVAS - span, 0)
    origin = margin / 2 if cond.centred else rng.uniform(0, 1, 2) * margin
    offset_out = origin - lo  # canvas position of the digit's (0, 0)
    offset_in = -inverse @ offset_out
    big = ndimage.affine_transform(
        digit, inverse, offset=offset_in, output_shape=(CANVAS, CANVAS), order=1, mode="constant"
    )
    # smooth away the 28-px staircase so the outline looks like a pen stroke, not pixels
    big = ndimage.gaussian_filter(big, sigma=0.6 * zoom)
    ink = big > INK_LEVEL
    change = rng.uniform(*cond.stroke) * target
    if change > 0:
        ink = ndimage.distance_transform_edt(~ink) <= change
    elif change < 0:
        thinned = ndimage.distance_transform_edt(ink) > -change
        ink = thinned if thinned.any() else ink
    return ink.astype(np.uint8) * 255


def accuracy(
    model: SoftmaxModel,
    canvases: list[np.ndarray],
    labels: np.ndarray,
    preprocess: Callable[[np.ndarray], np.ndarray | None] | None = None,
) -> float:
    """Share of canvases the model reads correctly through the app's canvas pipeline.

    Each canvas is preprocessed on its own, as the app does; the predictions are made in one
    batch (the same numbers, and fast enough for the nearest-neighbour reference of
    bench/drawn_digits/experiments.py). A canvas with no ink counts as misread.
    ``preprocess`` replaces the app's pipeline (a variant under test).
    """
    if preprocess is None:
        version = model.preprocessing_version
        inputs = [preprocess_canvas(c, version=version) for c in canvases]
    else:
        inputs = [preprocess(c) for c in canvases]
    read = np.array([x is not None for x in inputs])
    if not read.any():
        return 0.0
    predicted = model.predict(np.stack([x.ravel() for x in inputs if x is not None]))
    return float(np.sum(predicted == np.asarray(labels)[read])) / len(labels)


@dataclass(frozen=True)
class Drawings:
    """The yardstick's fixed sample: which test digits, and their canvases per condition."""

    pick: np.ndarray  # (n,) indices into the MNIST test set
    labels: np.ndarray  # (n,)
    canvases: tuple[tuple[np.ndarray, ...], ...]  # one tuple of n canvases per condition


def make_drawings(X_test: np.ndarray, y_test: np.ndarray, n: int, seed: int) -> Drawings:
    """Redraw ``n`` test digits (chosen with ``seed``) under every condition.

    Independent of any model, so one set can score many models
    (bench/drawn_digits/experiments.py).
    """
    pick = np.random.default_rng(seed).choice(X_test.shape[0], n, replace=False)
    images = X_test[pick].reshape(-1, 28, 28)
    canvases = []
    for i, cond in enumerate(CONDITIONS):
        rng = np.random.default_rng([seed, i])
        canvases.append(tuple(redraw(img, cond, rng) for img in images))
    return Drawings(pick, y_test[pick], tuple(canvases))


def score(
    model: SoftmaxModel,
    X_test: np.ndarray,
    y_test: np.ndarray,
    drawings: Drawings,
    prepare: Callable[[np.ndarray], np.ndarray] | None = None,
    preprocess: Callable[[np.ndarray], np.ndarray | None] | None = None,
) -> list[tuple[str, float]]:
    """Rows of (condition, accuracy): plain test set, the plain subset, then each condition.

    ``prepare`` (dataset side) and ``preprocess`` (canvas side) replace the engine's
    preprocessing for the model's version, to score a variant of the pipeline.
    """
    if prepare is None:
        X_plain = prepare_images(X_test, model.preprocessing_version)
    else:
        X_plain = prepare(X_test)
    predicted = model.predict(X_plain)
    rows = [
        ("MNIST test set (plain, all 10,000)", float(np.mean(predicted == y_test))),
        (
            f"MNIST test subset (plain, these {drawings.pick.size})",
            float(np.mean(predicted[drawings.pick] == drawings.labels)),
        ),
    ]
    for cond, canvases in zip(CONDITIONS, drawings.canvases, strict=True):
        rows.append((cond.name, accuracy(model, list(canvases), drawings.labels, preprocess)))
    return rows


def run(model: SoftmaxModel, n: int, seed: int) -> list[tuple[str, float]]:
    data = load_mnist(preprocessing_version=1)
    drawings = make_drawings(data.X_test, data.y_test, n, seed)
    return score(model, data.X_test, data.y_test, drawings)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=str(DEFAULT_MODEL_PATH))
    parser.add_argument("--n", type=int, default=2000, help="test digits per condition")
    parser.add_argument("--seed", type=int, default=12345)
    parser.add_argument("--save-examples", metavar="PNG", help="save one canvas per condition")
    args = parser.parse_args(argv)
    model = load_model(args.model)
    start = time.perf_counter()
    rows = run(model, args.n, args.seed)
    plain = rows[1][1]
    print(f"model: {args.model} (preprocessing v{model.preprocessing_version})")
    print(f"{'condition':<40} {'accuracy':>9} {'vs plain':>9}")
    for name, acc in rows:
        print(f"{name:<40} {acc:>8.2%} {100 * (acc - plain):>+8.2f}")
    worst = min(acc for _, acc in rows[2:])
    print(
        f"worst drawn condition: {worst:.2%} ({100 * (worst - plain):+.2f} points vs plain); "
        f"{time.perf_counter() - start:.1f} s"
    )
    full = rows[0][1]
    met = full >= DONE_PLAIN and worst >= full - DONE_GAP
    print(
        f"drawn-digit goal (plain >= {DONE_PLAIN:.1%}, every condition within "
        f"{100 * DONE_GAP:.0f} point of the full plain {full:.2%}): "
        f"{'met' if met else 'not met'}"
    )
    if args.save_examples:
        save_examples(args.save_examples, args.seed)
    return 0


def save_examples(path: str, seed: int) -> None:
    """A strip of one redrawn digit per condition, for eyeballing the yardstick itself."""
    data = load_mnist(preprocessing_version=1)
    image = data.X_test[0].reshape(28, 28)
    tiles = [redraw(image, c, np.random.default_rng([seed, i])) for i, c in enumerate(CONDITIONS)]
    strip = np.concatenate([np.pad(t, 4, constant_values=128) for t in tiles], axis=1)
    write_pgm_as_png(path, strip)


def write_pgm_as_png(path: str, image: np.ndarray) -> None:
    """Minimal PNG writer (grayscale, 8-bit) so the bench needs no imaging library."""
    import struct
    import zlib

    h, w = image.shape
    raw = b"".join(b"\x00" + image[r].astype(np.uint8).tobytes() for r in range(h))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )
    Path(path).write_bytes(png)


if __name__ == "__main__":
    raise SystemExit(main())
