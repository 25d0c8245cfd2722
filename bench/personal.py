"""The writer protocol: how well the model learns one writer's handwriting from corrections.

Real pen digits (UNIPEN, ``bench/data/unipen-dev``) are drawn on the app's own canvas and
preprocessed exactly as in the Draw tab (``bench/unipen.py``; the 28×28 results are cached).
Then, for every writer with at least ``--min-digits`` digits:

1. their digits are shuffled with a fixed seed (from ``--seed`` and the writer's name);
2. the first half is "drawn" one by one: each digit the current model misreads is corrected,
   and the model is re-adapted from the base with all of that writer's corrections so far
   (``engine.adapt`` with its defaults, replaying the bundled MNIST training set);
3. the second half is the test: read by the base model (before) and by the writer's last
   adapted model (after).

Every adapted model is also scored on the MNIST test set. Printed: the out-of-the-box
reading of unipen-dev (no teaching) and its most common misreads; before/after accuracy per
writer (mean, spread, worst writers), corrections per writer, the MNIST test accuracy of the
writers' last adapted models (mean and worst) and of every adapted model, how often a
correction sticks (the digit just taught is read as taught right after), the time of one
adaptation (p50/p95, during the protocol and with 1-100 samples), and whether adapting
twice gives the same bytes.

``--leave-one-site-out`` runs the protocol once per ``--candidate`` setting; for each of the
five sites it chooses the setting with the best writer mean on the other four (among those
keeping MNIST within 1 pt on average and 3 pt at worst there) and reports the held-out site
with it, then all writers each under the setting chosen without their site.

Usage::

    python bench/personal.py [--min-digits 40] [--seed 0] [--set alpha=3 --set max_drop=0.002]
                             [--writers-csv per_writer.csv] [--sizes 1 10 50 100] [--repeats 20]
                             [--teach misread|unsure|all] [--unsure-below 0.9]
                             [--base model.npz] [--leave-one-site-out [--candidate F=V,F=V]]

``--set`` overrides one ``engine.AdaptConfig`` field (to explore; the README reports the
defaults).
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
import zlib
from collections import Counter
from dataclasses import dataclass, field, fields, replace

import numpy as np
from _gui_harness import command_line, machine_load  # noqa: I001  (sets up sys.path and Qt first)
from unipen import UNIPEN_DEV, PenDigits, load_pen_digits

import engine  # noqa: E402
from engine.personal.adapt import AdaptConfig, prepare_replay  # noqa: E402
from softmax_gui.draw.panel import UNSURE_BELOW  # noqa: E402

#: --teach: the right reads a simulated user also confirms, by their probability.
CONFIRM_BELOW = {"misread": 0.0, "unsure": UNSURE_BELOW, "all": 1.01}
#: --leave-one-site-out: the guard's allowances tried by default (1.0: no guard).
LOSO_MAX_DROPS = (0.0025, 0.005, 0.01, 1.0)


@dataclass(frozen=True)
class WriterResult:
    writer: str
    site: str
    n_digits: int
    n_test: int
    corrections: int
    before: float  # base model on the test half
    after: float  # last adapted model on the test half
    mnist: float  # last adapted model on the MNIST test set (base's if nothing was taught)
    mnist_min: float  # lowest MNIST test accuracy of this writer's adapted models
    stuck: int  # adaptations after which the digit just taught is read as taught
    all_read: int  # adaptations after which every digit taught so far is read as taught


def accuracy(model: engine.SoftmaxModel, X: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean(model.predict(X) == y))


class Scorer:
    """Accuracy of the base's adapted models on one image set, the base's map applied once
    (an `edges` map of 10,000 images costs about a second)."""

    def __init__(self, base: engine.SoftmaxModel, X: np.ndarray, y: np.ndarray) -> None:
        self.F, self.y = base.inputs(X), y

    def __call__(self, model: engine.SoftmaxModel) -> float:
        return float(np.mean((self.F @ model.W + model.b).argmax(axis=1) == self.y))

    def proba(self, model: engine.SoftmaxModel) -> np.ndarray:
        """(n, k) probabilities of ``model`` on these images."""
        logits = self.F @ model.W + model.b
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        return p / p.sum(axis=1, keepdims=True)


#: Bins of the expected calibration error (equal width over the confidence).
ECE_BINS = 10


def calibration(proba: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """How far a model's confidence is from its accuracy on ``(proba (n, k), y (n,))``:
    mean confidence (the top probability), accuracy, mean negative log-likelihood of the
    true class, the expected calibration error (|accuracy - confidence| per bin, weighted by
    the bin's share) and the mean probability of the true class."""
    confidence = proba.max(axis=1)
    right = proba.argmax(axis=1) == y
    p_true = proba[np.arange(y.size), y]
    bins = np.minimum((confidence * ECE_BINS).astype(int), ECE_BINS - 1)
    ece = sum(
        abs(right[bins == i].mean() - confidence[bins == i].mean()) * np.mean(bins == i)
        for i in range(ECE_BINS)
        if np.any(bins == i)
    )
    return {
        "confidence": float(confidence.mean()),
        "accuracy": float(right.mean()),
        "nll": float(-np.log(np.maximum(p_true, 1e-12)).mean()),
        "ece": float(ece),
        "p_true": float(p_true.mean()),
    }


def writer_order(writer: str, n: int, seed: int) -> np.ndarray:
    """The fixed shuffle of one writer's ``n`` digits."""
    return np.random.default_rng([seed, zlib.crc32(writer.encode())]).permutation(n)


def run_writer(
    base: engine.SoftmaxModel,
    X: np.ndarray,
    y: np.ndarray,
    replay,
    config,
    on_adapted,
    confirm_below: float = 0.0,
) -> tuple[int, engine.SoftmaxModel]:
    """Teach ``base`` the misread digits of ``(X, y)`` in order, and the right reads whose
    probability is below ``confirm_below`` (a user who confirms those: 1.0 confirms every
    digit); returns the samples taught and the final model. ``on_adapted(model, seconds,
    n_samples, learnt, all_read)`` sees every adaptation; ``learnt`` says whether the digit
    just taught is now read as its label, ``all_read`` whether every digit taught so far is."""
    model, corrected = base, []
    for i in range(y.size):
        proba = model.predict_proba(X[i : i + 1])[0]
        if proba.argmax() == y[i] and proba[y[i]] >= confirm_below:
            continue
        corrected.append(i)
        start = time.perf_counter()
        model = engine.adapt(base, X[corrected], y[corrected], replay=replay, config=config)
        seconds = time.perf_counter() - start
        read = model.predict(X[corrected]) == y[corrected]
        p_taught = float(model.predict_proba(X[i : i + 1])[0, y[i]])
        p_base = float(base.predict_proba(X[i : i + 1])[0, y[i]])
        on_adapted(
            model, seconds, len(corrected), bool(read[-1]), bool(read.all()), (p_base, p_taught)
        )
    return len(corrected), model


@dataclass
class Protocol:
    """Everything one run of the writer protocol measured."""

    results: list[WriterResult]
    mnist_scores: list[float]  # every adapted model
    seconds: list[float]
    guard_steps: list[float]
    refits: list[int]
    largest: int
    # calibration: every writer's test half by the base and by their last adapted model
    test_y: list[np.ndarray] = field(default_factory=list)
    test_before: list[np.ndarray] = field(default_factory=list)
    test_after: list[np.ndarray] = field(default_factory=list)
    taught_p: list[float] = field(default_factory=list)  # p(taught digit) of the one just taught
    taught_p_base: list[float] = field(default_factory=list)  # the base's p of that digit
    mnist_after: list[dict] = field(default_factory=list)  # calibration of each last model


def run_protocol(base, pen, writers, replay, config, mnist: Scorer, seed, confirm_below=0.0):
    """The writer protocol (module docstring) with ``config`` over ``writers``."""
    out = Protocol([], [], [], [], [], 0)
    base_mnist = mnist(base)
    for writer in writers:
        idx = np.flatnonzero(pen.writer == writer)
        idx = idx[writer_order(writer, idx.size, seed)]
        teach, test = idx[: idx.size // 2], idx[idx.size // 2 :]
        scores: list[float] = []
        stuck, all_read = [], []

        def on_adapted(
            model, seconds, n, learnt, every, p, scores=scores, stuck=stuck, all_read=all_read
        ):
            out.taught_p_base.append(p[0])
            out.taught_p.append(p[1])
            stuck.append(learnt)
            all_read.append(every)
            out.seconds.append(seconds)
            out.guard_steps.append(model.metadata["adapted"]["guard_step"])
            out.refits.append(model.metadata["adapted"]["refits"])
            scores.append(mnist(model))
            out.largest = max(out.largest, n)

        n_corr, model = run_writer(
            base, pen.X[teach], pen.y[teach], replay, config, on_adapted, confirm_below
        )
        X_test, y_test = pen.X[test], pen.y[test]
        out.test_y.append(y_test)
        out.test_before.append(base.predict_proba(X_test))
        out.test_after.append(model.predict_proba(X_test))
        if n_corr:
            out.mnist_after.append(calibration(mnist.proba(model), mnist.y))
        out.mnist_scores.extend(scores)
        out.results.append(
            WriterResult(
                writer,
                str(pen.contributor[idx[0]]),
                idx.size,
                test.size,
                n_corr,
                accuracy(base, pen.X[test], pen.y[test]),
                accuracy(model, pen.X[test], pen.y[test]),
                scores[-1] if scores else base_mnist,
                min(scores, default=base_mnist),
                int(np.sum(stuck)),
                int(np.sum(all_read)),
            )
        )
    return out


def out_of_the_box(base: engine.SoftmaxModel, pen: PenDigits) -> None:
    predicted = base.predict(pen.X)
    right = predicted == pen.y
    per_writer = np.array([right[pen.writer == w].mean() for w in pen.writers()])
    print(
        f"Out of the box (no teaching): {right.mean():.2%} of {right.size} digits read; "
        f"per writer mean {per_writer.mean():.2%}, p10 {np.percentile(per_writer, 10):.1%}, "
        f"min {per_writer.min():.1%} ({per_writer.size} writers)"
    )
    for contributor in np.unique(pen.contributor):
        mask = pen.contributor == contributor
        print(f"  {contributor:>10}: {right[mask].mean():.2%} of {mask.sum()}")
    misreads = Counter(zip(pen.y[~right].tolist(), predicted[~right].tolist(), strict=True))
    common = ", ".join(f"{t}→{p} ×{c}" for (t, p), c in misreads.most_common(8))
    print(f"  most common misreads (true→read): {common}")


def spread(values: np.ndarray) -> str:
    p10, p50, p90 = np.percentile(values, [10, 50, 90])
    return (
        f"mean {values.mean():.2%}  min {values.min():.1%}  p10 {p10:.1%}  "
        f"median {p50:.1%}  p90 {p90:.1%}  max {values.max():.1%}"
    )


def timing_by_size(
    base, pen: PenDigits, replay, config, repeats: int, sizes: tuple[int, ...] = (1, 10, 50, 100)
) -> None:
    """p50/p95 of one adaptation with each of ``sizes`` personal samples."""
    misread = np.flatnonzero(base.predict(pen.X) != pen.y)
    rng = np.random.default_rng(0)
    pool = np.concatenate([misread, rng.permutation(np.setdiff1d(np.arange(pen.y.size), misread))])
    print(f"One adaptation by number of samples ({repeats} runs each, misread digits first):")
    for n in sizes:
        pick = pool[:n]
        seconds = []
        for _ in range(repeats):
            start = time.perf_counter()
            engine.adapt(base, pen.X[pick], pen.y[pick], replay=replay, config=config)
            seconds.append(time.perf_counter() - start)
        p50, p95 = np.percentile(seconds, [50, 95])
        print(
            f"  n={n:>3}: p50 {p50 * 1e3:.0f} ms  p95 {p95 * 1e3:.0f} ms  "
            f"max {max(seconds) * 1e3:.0f} ms"
        )


def parse_overrides(pairs: list[str], config: AdaptConfig | None = None) -> AdaptConfig:
    types = {f.name: f.type for f in fields(AdaptConfig)}
    values = {}
    for pair in pairs:
        name, _, text = pair.partition("=")
        if name not in types:
            raise SystemExit(
                f"--set: unknown AdaptConfig field {name!r} (fields: {', '.join(types)})"
            )
        values[name] = int(text) if types[name] in ("int", int) else float(text)
    return replace(config or AdaptConfig(), **values)


def describe(config: AdaptConfig) -> str:
    """The fields of ``config`` that differ from the defaults ("defaults" when none do)."""
    default = AdaptConfig()
    changed = [
        f"{f.name}={getattr(config, f.name)}"
        for f in fields(AdaptConfig)
        if getattr(config, f.name) != getattr(default, f.name)
    ]
    return " ".join(changed) or "defaults"


def print_calibration(run: Protocol, base_cal: dict[str, float]) -> None:
    """Confidence against accuracy before and after teaching (see :func:`calibration`)."""
    y = np.concatenate(run.test_y)
    rows = [
        ("writers' test halves, base", calibration(np.concatenate(run.test_before), y)),
        ("writers' test halves, adapted", calibration(np.concatenate(run.test_after), y)),
        ("MNIST test, base", base_cal),
    ]
    if run.mnist_after:
        mean = {k: float(np.mean([c[k] for c in run.mnist_after])) for k in base_cal}
        rows.append((f"MNIST test, adapted (mean of {len(run.mnist_after)})", mean))
    print("Calibration (confidence = top probability; ECE over 10 bins):")
    for name, c in rows:
        print(
            f"  {name}: accuracy {c['accuracy']:.2%}, confidence {c['confidence']:.2%}, "
            f"p(true) {c['p_true']:.2%}, NLL {c['nll']:.4f}, ECE {c['ece']:.4f}"
        )
    if run.taught_p:
        taught, before = np.array(run.taught_p), np.array(run.taught_p_base)
        print(
            f"  the drawing just taught, p(taught digit): base median {np.median(before):.1%} "
            f"-> adapted median {np.median(taught):.1%}, mean {taught.mean():.1%}, "
            f"p90 {np.percentile(taught, 90):.2%}, max {taught.max():.2%}; "
            f"above 99%: {np.mean(taught > 0.99):.0%}"
        )


def print_protocol(
    run: Protocol, base_mnist: float, args, label: str = "", base_cal: dict | None = None
) -> None:
    """The writer protocol's figures (the default mode's report)."""
    results = run.results
    before = np.array([r.before for r in results])
    after = np.array([r.after for r in results])
    corrections = np.array([r.corrections for r in results])
    print(
        f"\nWriter protocol{label}: {len(results)} writers with >= {args.min_digits} digits, "
        f"first half taught, second half tested"
    )
    print(f"  before: {spread(before)}")
    print(f"  after:  {spread(after)}")
    gain = after - before
    print(
        f"  change per writer: mean {gain.mean():+.2%}, better {np.sum(gain > 0)}, "
        f"same {np.sum(gain == 0)}, worse {np.sum(gain < 0)} (worst {gain.min():+.1%})"
    )
    taught = "corr." if args.teach == "misread" else "taught"
    print(
        f"  {'corrections' if args.teach == 'misread' else f'samples taught ({args.teach})'} "
        f"per writer: mean {corrections.mean():.1f}, median "
        f"{np.median(corrections):.0f}, max {corrections.max()} "
        f"(of {np.mean([r.n_digits - r.n_test for r in results]):.0f} taught digits on average)"
    )
    worst = sorted(results, key=lambda r: r.after)[:5]
    print(
        "  lowest after: "
        + ", ".join(
            f"{r.writer} {r.before:.0%}→{r.after:.0%} ({r.corrections} {taught})" for r in worst
        )
    )
    scores = np.array(run.mnist_scores)
    final = np.array([r.mnist for r in results])
    print(
        f"MNIST test (base {base_mnist:.2%}): each writer's last adapted model mean "
        f"{final.mean():.2%} ({(final.mean() - base_mnist) * 100:+.2f} pt), worst "
        f"{final.min():.2%} ({(final.min() - base_mnist) * 100:+.2f} pt); all {scores.size} "
        f"adapted models mean {scores.mean():.2%}, worst {scores.min():.2%}"
    )
    n = scores.size
    stuck = sum(r.stuck for r in results)
    every = sum(r.all_read for r in results)
    print(
        f"A correction sticks (the digit just taught read as taught right after): {stuck} of "
        f"{n} adaptations ({stuck / max(n, 1):.1%}); every digit taught so far read as taught: "
        f"{every} of {n} ({every / max(n, 1):.1%})"
    )
    steps = np.array(run.guard_steps)
    refits = np.array(run.refits)
    print(
        f"Step from the base: whole in {np.sum(steps == 1.0)} of {steps.size} adaptations, "
        f"mean {steps.mean():.2f}; harder refits in {np.sum(refits > 0)} (max {refits.max()})"
    )
    if base_cal is not None:
        print_calibration(run, base_cal)
    seconds = np.array(run.seconds)
    print(
        f"One adaptation during the protocol (1-{run.largest} samples): p50 "
        f"{np.percentile(seconds, 50) * 1e3:.0f} ms, p95 {np.percentile(seconds, 95) * 1e3:.0f} "
        f"ms, max {seconds.max() * 1e3:.0f} ms"
    )


def site_figures(results: list[WriterResult], base_mnist: float) -> str:
    after = np.array([r.after for r in results])
    before = np.array([r.before for r in results])
    mnist = np.array([r.mnist for r in results])
    n = sum(r.corrections for r in results)
    stuck = sum(r.stuck for r in results)
    every = sum(r.all_read for r in results)
    return (
        f"{len(results):>2} writers  {before.mean():.2%} → {after.mean():.2%}  "
        f"(min {after.min():.1%}, p10 {np.percentile(after, 10):.1%}, median "
        f"{np.median(after):.1%})  corr. {n / len(results):.1f}  sticks {stuck}/{n} "
        f"(all so far {every})  "
        f"MNIST mean {(mnist.mean() - base_mnist) * 100:+.2f} pt, worst "
        f"{(mnist.min() - base_mnist) * 100:+.2f} pt"
    )


def acceptable(results: list[WriterResult], base_mnist: float) -> bool:
    """The contract's MNIST bound: within 1 pt of the base on average, 3 pt at worst."""
    mnist = np.array([r.mnist for r in results])
    return bool(mnist.mean() >= base_mnist - 0.01 and mnist.min() >= base_mnist - 0.03)


def leave_one_site_out(runs: dict[str, Protocol], base_mnist: float) -> list[WriterResult]:
    """For each site: choose the setting with the best writer mean after teaching on the
    other four (among those within the MNIST bound there), report it on the held-out site.
    Returns every writer's result under the setting chosen without their site."""
    sites = sorted({r.site for run in runs.values() for r in run.results})
    print("\nLeave one site out (settings chosen on the other four sites):")
    for name, run in runs.items():
        print(f"  candidate {name}: {site_figures(run.results, base_mnist)}")
    held: list[WriterResult] = []
    for site in sites:
        scored = []
        for name, run in runs.items():
            others = [r for r in run.results if r.site != site]
            ok = acceptable(others, base_mnist)
            scored.append((ok, float(np.mean([r.after for r in others])), name))
        ok, mean, name = max(scored)
        mine = [r for r in runs[name].results if r.site == site]
        held.extend(mine)
        missed = "" if ok else ", MNIST bound missed"
        print(
            f"  {site:>4}: chose {name} (other sites {mean:.2%}{missed})\n"
            f"        held out: {site_figures(mine, base_mnist)}"
        )
    after = np.array([r.after for r in held])
    print(f"  all held-out writers: {site_figures(held, base_mnist)}")
    print(f"  per-writer spread after: {spread(after)}")
    return held


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--min-digits", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE")
    parser.add_argument(
        "--base",
        default=str(engine.DEFAULT_MODEL_PATH),
        help="the model to teach (default: the shipped one); e.g. an `edges` model",
    )
    parser.add_argument(
        "--leave-one-site-out",
        action="store_true",
        help="run the protocol with each --candidate setting, choose one on four sites and "
        "report the fifth, for each site",
    )
    parser.add_argument(
        "--candidate",
        action="append",
        default=[],
        metavar="F=V[,F=V]",
        help="a setting for --leave-one-site-out (on top of --set); default: max_drop "
        + " / ".join(map(str, LOSO_MAX_DROPS)),
    )
    parser.add_argument(
        "--teach",
        choices=list(CONFIRM_BELOW),
        default="misread",
        help="teach only the digits the model misreads (the protocol's figure), also the right "
        "reads the Draw tab asks to confirm (unsure: below UNSURE_BELOW), or every digit",
    )
    parser.add_argument(
        "--unsure-below",
        type=float,
        default=UNSURE_BELOW,
        metavar="P",
        help="with --teach unsure: the probability below which a right read is confirmed "
        f"(default {UNSURE_BELOW:g}, the Draw tab's prompt)",
    )
    parser.add_argument("--repeats", type=int, default=20, help="timing runs per size")
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=[1, 10, 50, 100],
        help="numbers of samples to time one adaptation with (at most the pen digits' count)",
    )
    parser.add_argument("--writers-csv", help="write the per-writer figures to this file")
    args = parser.parse_args(argv)
    config = parse_overrides(args.set)
    if not 0.0 < args.unsure_below <= 1.0:
        parser.error(f"--unsure-below must be in (0, 1], got {args.unsure_below}")
    confirm_below = {**CONFIRM_BELOW, "unsure": args.unsure_below}[args.teach]

    base = engine.load_model(args.base)
    version = base.preprocessing_version
    data = engine.load_mnist(preprocessing_version=version, train_dtype=np.uint8)
    replay = prepare_replay(data.X_train, data.y_train, config)  # as engine.adapt's default
    pen = load_pen_digits(version)
    if not all(1 <= n <= pen.y.size for n in args.sizes):
        parser.error(f"--sizes: each must be 1..{pen.y.size} (the pen digits), got {args.sizes}")
    mnist = Scorer(base, data.X_test, data.y_test)
    base_mnist = mnist(base)
    inputs = base.metadata.get("inputs", {}).get("name", "pixels")
    print(f"$ {command_line()}")
    print(
        f"{machine_load()}; {UNIPEN_DEV.parent.name}: {pen.y.size} digits, "
        f"{len(pen.writers())} writers; preprocessing {version}; {config}"
    )
    print(f"Base model: {args.base} ({inputs}), MNIST test {base_mnist:.2%}")
    out_of_the_box(base, pen)
    writers = pen.writers(args.min_digits)

    if args.leave_one_site_out:
        candidates = args.candidate or [f"max_drop={d}" for d in LOSO_MAX_DROPS]
        runs = {}
        for text in candidates:
            candidate = parse_overrides(text.split(","), config)
            runs[text] = run_protocol(
                base, pen, writers, replay, candidate, mnist, args.seed, confirm_below
            )
            print(f"  ran {text}: {describe(candidate)} ({machine_load()})", flush=True)
        held = leave_one_site_out(runs, base_mnist)
        seconds = np.concatenate([run.seconds for run in runs.values()])
        print(
            f"One adaptation (all candidates): p50 {np.percentile(seconds, 50) * 1e3:.0f} ms, "
            f"p95 {np.percentile(seconds, 95) * 1e3:.0f} ms, max {seconds.max() * 1e3:.0f} ms"
        )
        results = held
    else:
        run = run_protocol(base, pen, writers, replay, config, mnist, args.seed, confirm_below)
        print_protocol(run, base_mnist, args, base_cal=calibration(mnist.proba(base), mnist.y))
        timing_by_size(base, pen, replay, config, args.repeats, tuple(args.sizes))
        results = run.results

    idx = np.flatnonzero(pen.writer == writers[0])[:20]
    first = engine.adapt(base, pen.X[idx], pen.y[idx], replay=replay, config=config)
    again = engine.adapt(base, pen.X[idx], pen.y[idx], replay=replay, config=config)
    same = np.array_equal(first.W, again.W) and np.array_equal(first.b, again.b)
    print(f"Deterministic (same inputs, same bytes): {'yes' if same else 'NO'}")
    print(f"Load after: {machine_load()}")

    if args.writers_csv:
        with open(args.writers_csv, "w", newline="") as fh:
            out = csv.writer(fh)
            out.writerow(fields_of := [f.name for f in fields(WriterResult)])
            for r in results:
                out.writerow([getattr(r, name) for name in fields_of])
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
