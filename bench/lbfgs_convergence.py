"""What "converged" means for L-BFGS-B on pixels and on edge directions, and what it costs.

Trains the softmax regression with L-BFGS-B on the bundled MNIST (v3, training images as
uint8, as the app loads them) for each candidate, in rounds that interleave the candidates
(so a busy machine slows them alike), and prints for each: iterations, evaluations, seconds
of L-BFGS-B (the map's fit and apply excluded, reported apart), its ratio to the pixel
model's time in the same round, the final cost, the cost gap to a reference optimum (a long
run of the same inputs, ``--reference-iter`` iterations at ftol 0), MNIST test accuracy and,
with ``--pen``, the unipen-dev pen digits replayed on the canvas (``bench/unipen.py``).

It also reads, from each run's per-iteration costs, when the run first came within the
pixel model's own relative gap at its ftol stop: the same "converged" for both inputs.

A candidate is ``inputs[,key=value...]`` with keys ``maxcor`` (L-BFGS-B's history),
``tol`` (ftol), ``max_iter``, ``gtol`` (projected-gradient tolerance), ``ridge`` (the
whitening's ridge for a map's standardised features), ``warm`` (``sgd:E``: start from E
epochs of SGD, timed as part of the run). "× pixels, all" compares whole runs, the map's
fit and apply included (what the app's user waits for).

    nice python bench/lbfgs_convergence.py --rounds 2 --pen \\
        pixels edges edges,maxcor=10 edges,maxcor=80
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import engine  # noqa: E402
import engine.training.lbfgs as lbfgs  # noqa: E402
import engine.training.train as training  # noqa: E402


def parse(spec: str) -> tuple[str, dict[str, str]]:
    inputs, *pairs = spec.split(",")
    return inputs, dict(pair.split("=", 1) for pair in pairs)


def problem(spec: str) -> str:
    """The objective a candidate minimises (its inputs and L2): the key of its optimum."""
    inputs, opts = parse(spec)
    return f"{inputs},l2={float(opts.get('l2', 1e-4)):g}"


def run(data: engine.Dataset, spec: str) -> dict:
    """One candidate, timed; returns its figures and its per-iteration history."""
    inputs, opts = parse(spec)
    config = engine.TrainConfig(
        inputs=inputs,
        max_iter=int(opts.get("max_iter", 200)),
        tol=float(opts.get("tol", 1e-6)),
        l2=float(opts.get("l2", 1e-4)),
    )
    saved = (lbfgs.LBFGS_MEMORY, lbfgs.LBFGS_GTOL, training.STANDARDISED_WHITEN_RIDGE)
    lbfgs.LBFGS_MEMORY = int(opts.get("maxcor", saved[0]))
    lbfgs.LBFGS_GTOL = float(opts.get("gtol", saved[1]))
    training.STANDARDISED_WHITEN_RIDGE = float(opts.get("ridge", saved[2]))
    try:
        start = time.perf_counter()
        init = None
        warm_seconds = 0.0
        if "warm" in opts:
            kind, _, amount = opts["warm"].partition(":")
            if kind != "sgd":
                raise SystemExit(f"unknown warm start {opts['warm']!r}")
            sgd = engine.TrainConfig(
                inputs=inputs, optimizer="sgd", epochs=int(amount), augment="none"
            )
            warm = engine.run_to_end(engine.train(data, sgd))
            init = warm.model
            warm_seconds = warm.seconds
        result = engine.run_to_end(engine.train(data, config, init=init))
        total = time.perf_counter() - start
    finally:
        lbfgs.LBFGS_MEMORY, lbfgs.LBFGS_GTOL, training.STANDARDISED_WHITEN_RIDGE = saved
    return {
        "spec": spec,
        "inputs": inputs,
        "seconds": result.seconds + warm_seconds,
        "total_seconds": total,
        "map_seconds": total - result.seconds - warm_seconds,
        "iterations": result.iterations,
        "evaluations": result.history[-1].evaluations if result.history else 0,
        "reason": str(result.reason),
        "cost": result.history[-1].cost,
        "test_accuracy": 1 - result.test_error,
        # (seconds, cost, test error) after each iteration
        "history": [[p.elapsed + warm_seconds, p.cost, p.test_error] for p in result.history],
        "model": result.model,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("candidates", nargs="+")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--reference-iter", type=int, default=800)
    parser.add_argument("--pen", action="store_true", help="read unipen-dev too")
    parser.add_argument("--references", help="reuse the reference optima of an earlier --json")
    parser.add_argument("--json", help="write the figures (without models) here")
    args = parser.parse_args()
    print(f"command: {' '.join(sys.argv)}; load {os.getloadavg()}", flush=True)
    data = engine.load_mnist(train_dtype=np.uint8)

    references: dict[str, float] = {}
    if args.references:
        references = json.loads(Path(args.references).read_text())["references"]
    for key in sorted({problem(c) for c in args.candidates} - set(references)):
        inputs = key
        ref = run(data, f"{key},tol=0,max_iter={args.reference_iter}")
        references[inputs] = min(h[1] for h in ref["history"])
        print(
            f"reference {inputs}: cost {references[inputs]:.6f} after {ref['iterations']} "
            f"iterations ({ref['reason']}), MNIST {ref['test_accuracy']:.2%}",
            flush=True,
        )

    pen = None
    if args.pen:
        import unipen  # Qt from here on
        from input_maps import unipen_path

        pen = unipen.load_pen_digits(data.preprocessing_version, unipen_path())

    rows: list[dict] = []
    for r in range(args.rounds):
        order = args.candidates if r % 2 == 0 else args.candidates[::-1]
        times: dict[str, dict] = {}
        for spec in order:
            times[spec] = run(data, spec)
            print(f"  round {r}: {spec} {times[spec]['seconds']:.1f} s", flush=True)
        pixels = next((v for v in times.values() if v["inputs"] == "pixels"), None)
        pixel_seconds = pixels["seconds"] if pixels else 0
        pixel_total = pixels["total_seconds"] if pixels else 0
        for spec in args.candidates:
            row = times[spec]
            row["round"] = r
            row["ratio"] = row["seconds"] / pixel_seconds if pixel_seconds else float("nan")
            row["total_ratio"] = row["total_seconds"] / pixel_total if pixel_total else float("nan")
            row["load"] = os.getloadavg()[0]
            f_star = references[problem(spec)]
            row["gap"] = (row["cost"] - f_star) / f_star
            if pen is not None:
                row["pen_accuracy"] = float((row["model"].predict(pen.X) == pen.y).mean())
            rows.append(row)

    pixel_gap = float(np.median([r["gap"] for r in rows if r["spec"] == "pixels"] or [np.nan]))
    print(f"\npixel model's relative cost gap at its ftol stop: {pixel_gap:.2e}")
    print(
        "| candidate | round | iterations (evals) | L-BFGS-B s | × pixels | map s | "
        "× pixels, all | cost | "
        "gap to optimum | MNIST | unipen-dev | reaches the pixels' gap at (it, s, × pixels, "
        "MNIST) | load |"
    )
    print("|---" * 13 + "|")
    for row in rows:
        f_star = references[problem(row["spec"])]
        reach = next(
            (
                (i, h[0], h[2])
                for i, h in enumerate(row["history"])
                if (h[1] - f_star) / f_star <= pixel_gap
            ),
            None,
        )
        pixel_seconds = row["seconds"] / row["ratio"] if row["ratio"] else float("nan")
        at = (
            f"{reach[0]}, {reach[1]:.1f} s, {reach[1] / pixel_seconds:.1f}×, {1 - reach[2]:.2%}"
            if reach
            else "not reached"
        )
        pen_text = f"{row['pen_accuracy']:.2%}" if "pen_accuracy" in row else "—"
        print(
            f"| {row['spec']} | {row['round']} | {row['iterations']} ({row['evaluations']}) | "
            f"{row['seconds']:.1f} | {row['ratio']:.1f}× | {row['map_seconds']:.1f} | "
            f"{row['total_ratio']:.1f}× | "
            f"{row['cost']:.6f} | {row['gap']:.1e} | {row['test_accuracy']:.2%} | {pen_text} | "
            f"{at} | {row['load']:.1f} |"
        )
    if args.json:
        keep = [{k: v for k, v in row.items() if k != "model"} for row in rows]
        Path(args.json).write_text(json.dumps({"references": references, "rows": keep}))


if __name__ == "__main__":
    main()
