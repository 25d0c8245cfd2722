"""Benchmark of issue 25: the same softmax regression on richer fixed inputs (engine.features).

For each input map, in its own process (so each peak RSS is its own): the bundled MNIST as
the app loads it (preprocessing v3, training images kept as uint8), the map fitted on the
training images and applied to every split, L-BFGS-B from the engine's defaults
(``TrainConfig()``: ftol 1e-6, l2 1e-4, at most ``--max-iter`` iterations) on the mapped
features, then:

- MNIST test accuracy, the map's fit-and-apply time, the training time and iterations;
- peak RSS of the process after training (before Qt is loaded for the pen digits);
- the unipen-dev pen digits replayed on the app's canvas (``bench/unipen.py``, cached), read
  out of the box: overall and per site (contributor);
- one canvas row -> probabilities (``predict_proba`` of one 784 row), p50 / p95, and p95 on
  one BLAS thread;
- ``engine.adapt`` with 100 pen digits (random, different each repeat) on the default replay
  drawn from the same training set: the first adaptation (maps the replay once) and p50 /
  p95 of the next ``--adapt-repeats``.

The maps a training run offers (``TrainConfig.inputs``) are trained as the app and the CLI
train them (``engine.train`` maps the images itself, keeping the training features as
float16); the others on their float32 features. The shipped model is trained with 3 drawn
copies of every training image as well; these runs use MNIST alone, so the pixel row is the
classic model on the same footing as the others.

Usage::

    nice python bench/input_maps.py [--maps pixels edges random edges+random edges+random:5000]
                                    [--max-iter 200] [--adapt-repeats 20]

A map is a name of ``engine.INPUT_MAPS``, optionally ``:N`` random features.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_MAPS = ("pixels", "edges", "random", "edges+random", "edges+random:5000")
#: Pen digits taught in each timed adaptation (the issue's budget: p95 <= 0.25 s with 100).
ADAPT_SAMPLES = 100
#: The issue's budget: converged L-BFGS-B on the richest map within this many times the
#: pixel model's time.
BUDGET_RATIO = 4
#: Single-row predictions timed.
PREDICT_REPEATS = 200


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def unipen_path() -> Path:
    """unipen-dev's strokes: next to the checkout (bench/unipen.py's default), or next to
    the folder of worktrees it may sit in."""
    for shared in (ROOT.parent / "shared", ROOT.parent.parent / "shared"):
        path = shared / "data" / "unipen-dev" / "strokes.json.gz"
        if path.is_file():
            return path
    raise SystemExit("unipen-dev not found (shared/data/unipen-dev/strokes.json.gz)")


def run_one(spec: str, max_iter: int, adapt_repeats: int) -> dict:
    """One map, measured start to end in this process."""
    import engine
    from engine.features.mapped import map_dataset, with_input_map
    from engine.training.config import INPUTS

    name, _, n_random = spec.partition(":")
    data = engine.load_mnist(train_dtype=np.uint8)
    start = time.perf_counter()
    if name in INPUTS and not n_random:  # as the app and the CLI train it
        config = engine.TrainConfig(inputs=name, max_iter=max_iter)
        result = engine.run_to_end(engine.train(data, config))
        map_seconds = time.perf_counter() - start - result.seconds
        model = result.model
    else:  # a map the runs do not offer: its float32 features, trained as pixels are
        input_map = engine.make_input_map(name, n_random=int(n_random) if n_random else None)
        input_map = engine.fit_input_map(input_map, data.X_train)
        mapped = map_dataset(data, input_map)
        map_seconds = time.perf_counter() - start
        result = engine.run_to_end(engine.train(mapped, engine.TrainConfig(max_iter=max_iter)))
        del mapped
        model = with_input_map(result.model, input_map)
    rss = peak_rss_mib()
    return {
        "map": spec,
        "map_seconds": map_seconds,
        "train_seconds": result.seconds,
        "iterations": result.iterations,
        "reason": result.reason,
        "peak_rss_mib": rss,
        # (seconds since the run started, test error) after each iteration
        "history": [[p.elapsed, p.test_error] for p in result.history],
        **measure(model, data, adapt_repeats),
    }


def measure(model, data, adapt_repeats: int) -> dict:
    """``model``'s MNIST test accuracy, unipen-dev read out of the box (overall and per
    site), single-row prediction and adaptation times."""
    import engine
    from engine.personal.adapt import prepare_replay

    test_accuracy = engine.evaluate(model, data.X_test, data.y_test).accuracy

    import unipen  # Qt from here on

    pen = unipen.load_pen_digits(data.preprocessing_version, unipen_path())
    right = model.predict(pen.X) == pen.y
    sites = {str(c): float(right[pen.contributor == c].mean()) for c in np.unique(pen.contributor)}

    row = pen.X[:1]
    predict = []
    for _ in range(PREDICT_REPEATS):
        t = time.perf_counter()
        model.predict_proba(row)
        predict.append(time.perf_counter() - t)
    predict_1 = []
    with threadpool_limits(limits=1, user_api="blas"):
        for _ in range(PREDICT_REPEATS):
            t = time.perf_counter()
            model.predict_proba(row)
            predict_1.append(time.perf_counter() - t)

    replay = prepare_replay(data.X_train, data.y_train)
    rng = np.random.default_rng(0)
    adapt_seconds = []
    for _ in range(adapt_repeats + 1):
        chosen = rng.choice(pen.y.size, size=ADAPT_SAMPLES, replace=False)
        t = time.perf_counter()
        engine.adapt(model, pen.X[chosen], pen.y[chosen], replay=replay)
        adapt_seconds.append(time.perf_counter() - t)
    return {
        "n_features": model.n_features,
        "test_accuracy": test_accuracy,
        "pen_accuracy": float(right.mean()),
        "pen_n": int(right.size),
        "sites": sites,
        "predict_p50_ms": float(np.percentile(predict, 50) * 1e3),
        "predict_p95_ms": float(np.percentile(predict, 95) * 1e3),
        "predict_1blas_p95_ms": float(np.percentile(predict_1, 95) * 1e3),
        "adapt_first_s": adapt_seconds[0],
        "adapt_p50_s": float(np.percentile(adapt_seconds[1:], 50)),
        "adapt_p95_s": float(np.percentile(adapt_seconds[1:], 95)),
    }


def print_table(rows: list[dict]) -> None:
    pixels = next((r for r in rows if r["map"] == "pixels"), None)
    sites = sorted({s for r in rows for s in r["sites"]})
    print(
        "| inputs | dims | MNIST test | map fit + apply | L-BFGS-B (it, why) | × pixels | "
        "peak RSS | unipen-dev | "
        + " | ".join(sites)
        + " | predict p95 (1 BLAS thread) | adapt 100: first / p50 / p95 |"
    )
    print("|---" * (11 + len(sites)) + "|")
    for r in rows:
        ratio = f"{r['train_seconds'] / pixels['train_seconds']:.1f}×" if pixels else "—"
        print(
            f"| {r['map']} | {r['n_features']:,} | {r['test_accuracy']:.2%} | "
            f"{r['map_seconds']:.1f} s | {r['train_seconds']:.1f} s ({r['iterations']}, "
            f"{r['reason']}) | {ratio} | {r['peak_rss_mib']:.0f} MiB | "
            f"{r['pen_accuracy']:.2%} | "
            + " | ".join(f"{r['sites'].get(s, float('nan')):.1%}" for s in sites)
            + f" | {r['predict_p95_ms']:.1f} / {r['predict_1blas_p95_ms']:.1f} ms | "
            f"{r['adapt_first_s']:.2f} / "
            f"{r['adapt_p50_s']:.2f} / {r['adapt_p95_s']:.2f} s |"
        )
    if rows:
        print(f"\nunipen-dev: {rows[0]['pen_n']} pen digits; sites are UNIPEN contributors.")
    if pixels is None:
        return
    budget = BUDGET_RATIO * pixels["train_seconds"]
    print(f"\nWithin {BUDGET_RATIO}× the pixel model's training time ({budget:.1f} s):")
    for r in rows:
        within = [e for t, e in r.get("history", []) if t <= budget]
        reach = [t for t, e in r.get("history", []) if 1 - e >= pixels["test_accuracy"]]
        print(
            f"  {r['map']}: MNIST test "
            + (f"{1 - within[-1]:.2%}" if within else "—")
            + "; first at the pixel model's final accuracy after "
            + (f"{reach[0]:.1f} s" if reach else "—")
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--maps", nargs="+", default=list(DEFAULT_MAPS))
    parser.add_argument("--max-iter", type=int, default=200)
    parser.add_argument("--adapt-repeats", type=int, default=20)
    parser.add_argument("--one", help=argparse.SUPPRESS)  # internal: measure one map here
    parser.add_argument("--model", help="measure this model file (e.g. the shipped one) only")
    args = parser.parse_args()
    if args.model:
        import engine

        model = engine.load_model(args.model)
        data = engine.load_mnist(train_dtype=np.uint8)
        r = measure(model, data, args.adapt_repeats)
        print(json.dumps({key: value for key, value in r.items()}, indent=1))
        return
    if args.one:
        print(json.dumps(run_one(args.one, args.max_iter, args.adapt_repeats)))
        return
    print(f"load average at start: {os.getloadavg()[0]:.1f}", flush=True)
    rows = []
    for spec in args.maps:
        command = [sys.executable, __file__, "--one", spec, "--max-iter", str(args.max_iter)]
        command += ["--adapt-repeats", str(args.adapt_repeats)]
        out = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True).stdout
        rows.append(json.loads(out.strip().splitlines()[-1]))
        r = rows[-1]
        print(
            f"{spec}: MNIST {r['test_accuracy']:.2%}, unipen-dev {r['pen_accuracy']:.2%}, "
            f"train {r['train_seconds']:.1f} s ({r['iterations']} it), "
            f"peak {r['peak_rss_mib']:.0f} MiB, adapt p95 {r['adapt_p95_s']:.2f} s",
            flush=True,
        )
    print(f"load average at end: {os.getloadavg()[0]:.1f}\n")
    print_table(rows)


if __name__ == "__main__":
    main()
