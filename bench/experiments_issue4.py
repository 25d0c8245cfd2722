"""Issue 4 experiments: every recipe tried for reading drawn digits, as one reproducible table.

Each recipe prepares MNIST (a preprocessing version, sometimes with an experimental tweak),
trains a softmax regression, and is scored on the plain MNIST test set and on the drawn-digit
yardstick (bench/yardstick.py, same seed and sample for every recipe). Prints one Markdown
row per recipe, as it finishes::

    python bench/experiments_issue4.py                     # every recipe, 600 digits/condition
    python bench/experiments_issue4.py --n 2000 --only v1 v3  # final figures for two recipes
    python bench/experiments_issue4.py --n 2000 --score resources/model.npz /tmp/new.npz
    python bench/experiments_issue4.py --list
    python bench/experiments_issue4.py --n 2000 --knn 3 --knn-drawn 3   # nonlinear reference

Tweaks that were tried and dropped (no rebox, blur, other stroke targets; bench/issue4_tweaks.py)
swap one function of engine.handwriting.preprocessing for the duration of a recipe, so the
engine keeps only what was kept; the recipes themselves are in bench/issue4_recipes.py. Slow
(minutes per recipe on a busy 2-core machine); run with nice.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import math
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import yardstick  # noqa: E402
from _measure import stroke_widths  # noqa: E402
from issue4_recipes import RECIPES, Recipe  # noqa: E402
from issue4_tweaks import box_rebox  # noqa: E402

import engine.handwriting.preprocessing as pp  # noqa: E402
from engine import (  # noqa: E402
    load_mnist,
    load_model,
    prepare_images,
    run_to_end,
    save_model,
    train,
)
from engine.handwriting.drawn import DEFAULT_STYLE, with_drawn_copies  # noqa: E402
from engine.handwriting.strokes import normalise_stroke_batch  # noqa: E402
from engine.training.augment import make_augmenter  # noqa: E402

SPREAD_SAMPLE = 4000
SHORT_NAMES = ("centred", "small", "medium", "large", "thin", "thick", "rotated", "slanted", "all")


def run_recipe(recipe: Recipe, drawings: yardstick.Drawings, raw, save_dir: Path | None) -> str:
    with contextlib.ExitStack() as stack:
        for tweak in recipe.tweaks:
            stack.enter_context(tweak())
        start = time.perf_counter()
        data = dataclasses.replace(
            raw,
            X_train=prepare_images(raw.X_train, recipe.version),
            X_test=prepare_images(raw.X_test, recipe.version),
            preprocessing_version=recipe.version,
        )
        if recipe.drawn is not None:
            copies, style = recipe.drawn
            data = with_drawn_copies(data, raw.X_train, copies, seed=0, style=style)
        prep = time.perf_counter() - start
        augment = make_augmenter(recipe.augment, recipe.version) if recipe.augment else None
        config = recipe.config
        if recipe.never_stop:
            config = dataclasses.replace(config)
            object.__setattr__(config, "tol", -math.inf)  # bypasses validation on purpose
        result = run_to_end(train(data, config, augment=augment))
        model = result.model
        rows = yardstick.score(model, raw.X_test, raw.y_test, drawings)
    if save_dir is not None:
        save_model(model, save_dir / f"issue4_{recipe.name}.npz")
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
    """The two MNIST medians version 3 is calibrated to (engine constants).

    ``_measure.MNIST_RIDGE_WIDTH``: stroke width of the 60,000 training digits at v3's working
    size. ``preprocessing.INK_SPREAD``: spread sqrt(var_r + var_c) of the first 4,000 after
    redrawing at ``STROKE_TARGET`` and rescaling their ink box to 40 px (the form the spread
    replaced), so sizing by spread keeps MNIST's size on average.
    """
    raw = load_mnist(preprocessing_version=1)
    images = raw.X_train.reshape(-1, 28, 28)
    widths = np.concatenate(
        [
            stroke_widths(pp.to_working_frame(images[i : i + pp.CHUNK]))
            for i in range(0, images.shape[0], pp.CHUNK)
        ]
    )
    with box_rebox():
        work = pp._rebox(normalise_stroke_batch(pp.to_working_frame(images[:SPREAD_SAMPLE])))
    at = np.arange(work.shape[1])
    rows, cols = work.sum(axis=2), work.sum(axis=1)
    mass = rows.sum(axis=1)
    r_mean, c_mean = (rows * at).sum(axis=1) / mass, (cols * at).sum(axis=1) / mass
    spread_ = np.sqrt(
        (
            (rows * (at - r_mean[:, None]) ** 2).sum(axis=1)
            + (cols * (at - c_mean[:, None]) ** 2).sum(axis=1)
        )
        / mass
    )
    return float(np.median(widths)), float(np.median(spread_))


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
        "--measure",
        action="store_true",
        help="print the MNIST medians v3 is calibrated to, and exit",
    )
    args = parser.parse_args(argv)
    if args.list:
        for recipe in RECIPES:
            print(f"{recipe.name:<14} {recipe.what}")
        return 0
    if args.measure:
        width, ink_spread = measure()
        print(
            f"MNIST medians at v3's working size: stroke width {width:.2f} "
            f"(MNIST_RIDGE_WIDTH), ink spread {ink_spread:.2f} (INK_SPREAD)"
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
