"""Which default pen width reads real pen digits best, at normal and small sizes.

The unipen-dev pen digits (``bench/unipen.py``) are replayed on the app's canvas with each pen
width of ``--pens``, fitted into 70% of the page ("normal", as ``bench/unipen.py`` draws
them) and into 35% ("small": half the size, as a newcomer drew them), prepared like the Draw
tab does (``engine.preprocess_canvas``), and read by each model of ``--models``. Every
``--every``-th digit is drawn (drawing all 9,693 takes about a minute per setting); the
drawings are cached next to bench/unipen.py's cache.

Usage::

    nice python bench/pen_width.py [--pens 8 12 16 20 24] [--every 3]
                                   [--models resources/model.npz OTHER.npz ...]
"""

from __future__ import annotations

import argparse
import hashlib
import os
from pathlib import Path

import numpy as np
import unipen  # noqa: I001  (sets up sys.path and Qt first)

import engine

#: Fraction of the page side a digit's bounding box is fitted into, by size.
SIZES = {"normal": unipen.FILL, "small": unipen.FILL / 2}


def drawn(items: list[dict], fill: float, pen: int, version: int, every: int) -> np.ndarray:
    """The ``every``-th digits of ``items`` fitted into ``fill`` of the page, drawn with
    pen ``pen`` and prepared for ``version``: (n, 784) float32 (cached)."""
    from softmax_gui.draw.canvas import CANVAS_SIZE

    key = hashlib.sha256(unipen.UNIPEN_DEV.read_bytes()).hexdigest()[:16]
    name = f"pens-{key}-v{version}-r{unipen.DRAWING_REVISION}-f{fill:.3f}-p{pen}-e{every}.npz"
    cache = unipen.CACHE_DIR / name
    if cache.is_file():
        with np.load(cache, allow_pickle=False) as f:  # our own cache, plain arrays only
            return f["X"]
    canvas = unipen.make_canvas()
    canvas.set_pen_width(pen)
    chosen = items[::every]
    X = np.zeros((len(chosen), engine.N_FEATURES), dtype=np.float32)
    for i, item in enumerate(chosen):
        side = CANVAS_SIZE * fill / unipen.FILL  # page_strokes fits into FILL of side
        shift = (CANVAS_SIZE - side) / 2  # centred on the page
        ink = unipen.draw(canvas, [s + shift for s in unipen.page_strokes(item, side)])
        x = engine.preprocess_canvas(ink, version=version)
        if x is not None:
            X[i] = x.ravel()
    unipen.CACHE_DIR.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_suffix(".tmp.npz")
    np.savez(tmp, X=X)
    os.replace(tmp, cache)
    return X


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pens", nargs="+", type=int, default=[8, 12, 16, 20, 24])
    parser.add_argument("--every", type=int, default=3)
    parser.add_argument("--models", nargs="+", type=Path, default=[engine.DEFAULT_MODEL_PATH])
    args = parser.parse_args()
    models = {path.name: engine.load_model(path) for path in args.models}
    versions = {m.preprocessing_version for m in models.values()}
    items = unipen.read_items()
    y = np.array([it["label"] for it in items], dtype=np.int64)[:: args.every]
    sites = np.array([it["contributor"] for it in items])[:: args.every]
    load = os.getloadavg()[0]
    print(f"{y.size} pen digits of unipen-dev (every {args.every}th), load {load:.1f}")
    print("| model | size | pen | accuracy | worst site | best site |\n|---|---|---|---|---|---|")
    for size, fill in SIZES.items():
        for pen in args.pens:
            X = {v: drawn(items, fill, pen, v, args.every) for v in versions}
            for name, model in models.items():
                right = model.predict(X[model.preprocessing_version]) == y
                per_site = [right[sites == s].mean() for s in np.unique(sites)]
                print(
                    f"| {name} | {size} | {pen} | {right.mean():.2%} | "
                    f"{min(per_site):.1%} | {max(per_site):.1%} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
