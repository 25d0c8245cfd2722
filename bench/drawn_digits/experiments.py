"""Drawn digits: every preprocessing and training recipe measured, as one reproducible table.

Each recipe prepares MNIST (a preprocessing version, or a variant of version 3's pipeline),
trains a softmax regression, and is scored on the plain MNIST test set and on the drawn-digit
yardstick (bench/yardstick.py, same seed and sample for every recipe): how well it reads
MNIST test digits redrawn on a canvas at other sizes, positions, pen widths, rotations and
slants. Prints one Markdown row per recipe, as it finishes::

    python bench/drawn_digits/experiments.py                 # every recipe, 600 digits/condition
    python bench/drawn_digits/experiments.py --n 2000 --only v1 v3  # two recipes, final figures
    python bench/drawn_digits/experiments.py --n 2000 --score resources/model.npz /tmp/new.npz
    python bench/drawn_digits/experiments.py --list
    python bench/drawn_digits/experiments.py --n 2000 --knn 3 --knn-drawn 3  # nonlinear reference
    python bench/drawn_digits/experiments.py --measure       # the MNIST medians v3 is sized to
    python bench/drawn_digits/experiments.py --check         # pipeline.py's copy = the engine's

The recipes are in recipes.py; the variants of the pipeline that were tried and dropped (other
stroke widths, sizing by the ink box, blur, smoothing the dataset's digits...) in pipeline.py,
which keeps its own copy of the renderer, so the engine holds only what was kept. Slow
(minutes per recipe on a busy 2-core machine); run with nice.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

import yardstick  # noqa: E402
from pipeline import Pipeline, check_against_engine, ink_spread, stroke_widths  # noqa: E402
from recipes import RECIPES, Recipe  # noqa: E402

from engine import (  # noqa: E402
    load_mnist,
    load_model,
    make_augmenter,
    prepare_images,
    run_to_end,
    save_model,
    train,
)
from engine.handwriting.drawn import DEFAULT_STYLE, with_drawn_copies  # noqa: E402
from engine.handwriting.preprocessing import CHUNK, to_working_frame  # noqa: E402
from engine.handwriting.strokes import normalise_stroke_batch  # noqa: E402

SPREAD_SAMPLE = 4000
#: Stroke width of the recipe where sizing by spread was introduced (spread-w7): INK_SPREAD
#: was measured on digits redrawn at it (at today's 8.0 the median is 12.89).
SPREAD_STROKE_WIDTH = 7.0
SHORT_NAMES = ("centred", "small", "medium", "large", "thin", "thick", "rotated", "slanted", "all")


def run_recipe(recipe: Recipe, drawings: yardstick.Drawings, raw, save_dir: Path | None) -> str:
    variant = recipe.pipeline
    prepare: Callable[[np.ndarray], np.ndarray] = (
        partial(prepare_images, version=recipe.version)
        if variant is None
        else variant.prepare_images
    )
    start = time.perf_counter()
    data = dataclasses.replace(
        raw,
        X_train=prepare(raw.X_train),
        X_test=prepare(raw.X_test),
        preprocessing_version=recipe.version,
    )
    if recipe.drawn is not None:
        copies, style = recipe.drawn
        add_copies = with_drawn_copies if variant is None else variant.with_drawn_copies
        data = add_copies(data, raw.X_train, copies, seed=0, style=style)
    prep = time.perf_counter() - start
    augment = None
    if recipe.augment is not None:
        augment = (
            make_augmenter(recipe.augment, recipe.version)
            if variant is None
            else variant.augmenter(recipe.augment)
        )
    config = recipe.config
    if recipe.never_stop:
        config = dataclasses.replace(config)
        object.__setattr__(config, "tol", -math.inf)  # bypasses validation on purpose
    result = run_to_end(train(data, config, augment=augment))
    model = result.model
    if variant is None:
        rows = yardstick.score(model, raw.X_test, raw.y_test, drawings)
    else:
        rows = yardstick.score(
            model,
            raw.X_test,
            raw.y_test,
            drawings,
            prepare=variant.prepare_images,
            preprocess=variant.preprocess_canvas,
        )
    if save_dir is not None:
        save_model(model, save_dir / f"drawn_{recipe.name}.npz")
    return table_row(recipe.name, rows, f"prep {prep:.0f} s, train {result.seconds:.0f} s")


@dataclass(frozen=True)
class NearestNeighbours:
    """A k-nearest-neighbour classifier on version-3 inputs: not a product, a reference.

    It answers whether what the canvas pipeline hands over still carries what a classifier
    needs: if it reads the drawn conditions as well as plain MNIST, the gap a softmax
    regression shows comes from the linear model, not from the inputs.
    """

    X: np.ndarray  # (n, 784) prepared training images
    y: np.ndarray
    k: int
    preprocessing_version: int = 3

    def predict(self, X: np.ndarray) -> np.ndarray:
        from sklearn.neighbors import KNeighborsClassifier  # bench extra; only needed here

        knn = KNeighborsClassifier(n_neighbors=self.k, algorithm="brute")
        return knn.fit(self.X, self.y).predict(np.atleast_2d(X))


def run_knn(k: int, copies: int, drawings: yardstick.Drawings, raw) -> str:
    start = time.perf_counter()
    data = dataclasses.replace(
        raw,
        X_train=prepare_images(raw.X_train, 3),
        X_test=prepare_images(raw.X_test, 3),
        preprocessing_version=3,
    )
    if copies:
        data = with_drawn_copies(data, raw.X_train, copies, seed=0, style=DEFAULT_STYLE)
    model = NearestNeighbours(data.X_train, data.y_train, k)
    rows = yardstick.score(model, raw.X_test, raw.y_test, drawings)
    drawn = f" + {copies} drawn copies" if copies else ""
    return table_row(f"{k}-NN reference, v3{drawn}", rows, f"{time.perf_counter() - start:.0f} s")


def table_row(name: str, rows: list[tuple[str, float]], note: str) -> str:
    """One Markdown row: plain, subset, each condition, worst condition minus plain."""
    cells = " | ".join(f"{100 * acc:.1f}" for _, acc in rows[2:])
    worst = min(acc for _, acc in rows[2:])
    return (
        f"| {name} | {100 * rows[0][1]:.2f} | {100 * rows[1][1]:.1f} | {cells} | "
        f"{100 * (worst - rows[0][1]):+.1f} | {note} |"
    )


def measure() -> tuple[float, float]:
    """The two MNIST medians version 3 is calibrated to.

    ``pipeline.MNIST_RIDGE_WIDTH``: stroke width of the 60,000 training digits at v3's working
    size. The engine's ``INK_SPREAD``: spread sqrt(var_r + var_c) of the first 4,000 after
    redrawing at :data:`SPREAD_STROKE_WIDTH` and rescaling their ink box to 40 px (the sizing
    the spread replaced), so sizing by spread keeps MNIST's size on average.
    """
    raw = load_mnist(preprocessing_version=1)
    images = raw.X_train.reshape(-1, 28, 28)
    widths = np.concatenate(
        [
            stroke_widths(to_working_frame(images[i : i + CHUNK]))
            for i in range(0, images.shape[0], CHUNK)
        ]
    )
    by_box = Pipeline(sizing="box")
    redrawn = normalise_stroke_batch(
        to_working_frame(images[:SPREAD_SAMPLE]), target=SPREAD_STROKE_WIDTH
    )
    work = by_box.rebox(redrawn)
    _, spread = ink_spread(work)
    return float(np.median(widths)), float(np.median(spread))


def check(n: int, seed: int) -> int:
    """Compare pipeline.py's copy of the renderer with the engine's; 0 when they agree."""
    raw = load_mnist(preprocessing_version=1)
    drawings = yardstick.make_drawings(raw.X_test, raw.y_test, n, seed)
    canvases = [c for per_condition in drawings.canvases for c in per_condition]
    problems = check_against_engine(raw.X_test[:n], canvases)
    for problem in problems:
        print(problem)
    print(
        f"pipeline.Pipeline() vs the engine's version 3: {n} test digits, "
        f"{len(canvases)} canvases, {'differs' if problems else 'identical'}"
    )
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=600, help="test digits per condition")
    parser.add_argument("--seed", type=int, default=12345)
    parser.add_argument("--only", nargs="+", metavar="NAME", help="run only these recipes")
    parser.add_argument("--save-dir", type=Path, help="save each model here")
    parser.add_argument(
        "--score",
        nargs="+",
        metavar="MODEL.npz",
        help="score saved models (e.g. made by the CLI) instead of training",
    )
    parser.add_argument(
        "--knn",
        type=int,
        metavar="K",
        help="score a K-nearest-neighbour reference instead of training "
        "(needs scikit-learn: pip install -e '.[bench]')",
    )
    parser.add_argument(
        "--knn-drawn",
        type=int,
        default=0,
        metavar="N",
        help="with --knn: add N drawn copies to its training images",
    )
    parser.add_argument("--list", action="store_true", help="list the recipes and exit")
    parser.add_argument(
        "--check",
        action="store_true",
        help="check that pipeline.py's default is the engine's version 3 (on --n digits), and exit",
    )
    parser.add_argument(
        "--measure",
        action="store_true",
        help="print the MNIST medians v3 is calibrated to, and exit",
    )
    args = parser.parse_args(argv)
    if args.list:
        for recipe in RECIPES:
            print(f"{recipe.name:<14} {recipe.what}")
        return 0
    if args.check:
        return check(args.n, args.seed)
    if args.measure:
        width, spread = measure()
        print(
            f"MNIST medians at v3's working size: stroke width {width:.2f} "
            f"(MNIST_RIDGE_WIDTH), ink spread {spread:.2f} (INK_SPREAD)"
        )
        return 0
    chosen = [r for r in RECIPES if not args.only or r.name in args.only]
    unknown = set(args.only or ()) - {r.name for r in RECIPES}
    if unknown:
        parser.error(f"unknown recipe(s) {sorted(unknown)}; see --list")
    raw = load_mnist(preprocessing_version=1)
    drawings = yardstick.make_drawings(raw.X_test, raw.y_test, args.n, args.seed)
    print(
        f"yardstick: {args.n} digits per condition, seed {args.seed}; "
        "plain = full 10k test set; subset = the same digits, undistorted"
    )
    print("| recipe | plain | subset | " + " | ".join(SHORT_NAMES) + " | worst vs plain | time |")
    print("|" + "---|" * (len(SHORT_NAMES) + 5))
    if args.knn:
        print(run_knn(args.knn, args.knn_drawn, drawings, raw), flush=True)
        return 0
    if args.score:
        for path in args.score:
            model = load_model(path)
            rows = yardstick.score(model, raw.X_test, raw.y_test, drawings)
            print(table_row(f"{path} (v{model.preprocessing_version})", rows, ""), flush=True)
        return 0
    for recipe in chosen:
        print(run_recipe(recipe, drawings, raw, args.save_dir), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
