"""Benchmark: this engine against scikit-learn and PyTorch CPU on the full MNIST training set.

Prints, for one run of each method on the same data in the same process:

- this engine's SGD and L-BFGS-B: time to first reach 92.0% test accuracy, and the final
  (converged) test accuracy and time (SGD's also per epoch, test evaluations included);
- scikit-learn ``LogisticRegression(solver="lbfgs")``, default settings apart from
  ``max_iter`` (large enough to converge): time and test accuracy;
- PyTorch CPU, if installed: ``nn.Linear`` + SGD with momentum, the same batch size,
  learning rate, schedule and report cadence as the engine's SGD: time to 92.0%;
- ratios, and which BLAS libraries ran (threadpoolctl) with any OPENBLAS_* settings.

Every "time to 92%" includes the test-set evaluations made on the way (one every
``report_every`` batches for both SGD runs, one per iteration for L-BFGS-B), since that is
how a run notices it got there. Data loading is not timed.

It also times the L-BFGS-B objective alone (one full-batch loss and gradient at the starting
point: the median of OBJECTIVE_CALLS calls, once per repeat), so a run's time splits into
evaluations × time per evaluation plus the rest (progress records, set-up, SciPy).

Usage::

    python bench/benchmark.py [--repeats 3] [--sklearn-repeats 1] [--no-sklearn] [--lbfgs-only]

PyTorch is optional (``pip install torch`` into a separate environment and run this script
from there with ``PYTHONPATH`` pointing at the checkout); without it that row is skipped.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import statistics
import sys
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_info

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine import TrainConfig, load_mnist, run_to_end, train  # noqa: E402

TARGET_ACCURACY = 0.92
#: Generous: scikit-learn's lbfgs needs a few hundred iterations on MNIST.
SKLEARN_MAX_ITER = 5_000
#: Calls of the L-BFGS-B objective timed per repeat.
OBJECTIVE_CALLS = 5
OPENBLAS_ENV = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")


@dataclass(frozen=True)
class Figures:
    """One method's measurements (seconds; accuracy in [0, 1]; None when not reached)."""

    time_to_target: float | None
    seconds: float
    accuracy: float
    work: str
    tracks_target: bool = True  # False: the method reports no progress on the way
    evaluations: int = 0  # of the objective (L-BFGS-B)


def _time_to_target(records) -> float | None:
    for p in records:
        if 1 - p.test_error >= TARGET_ACCURACY:
            return p.elapsed
    return None


def run_engine(data, config: TrainConfig) -> Figures:
    records = []
    result = run_to_end(train(data, config), records.append)
    epochs = result.iterations / math.ceil(len(data.y_train) / config.batch_size)
    work = (
        f"{result.iterations} it, {result.evaluations} evals, {result.reason}"
        if config.optimizer == "lbfgs"
        else f"{epochs:g} epochs, {result.seconds / epochs:.3f} s/epoch"
    )
    return Figures(
        _time_to_target(records),
        result.seconds,
        1 - result.test_error,
        work,
        evaluations=result.evaluations,
    )


def time_objective(data, config: TrainConfig, calls: int) -> float:
    """Median seconds of one call of L-BFGS-B's objective (loss and gradient over the whole
    training set) at the engine's starting point, on the threads a run uses."""
    from engine.constants import N_CLASSES
    from engine.model import init_weights
    from engine.training.blas import blas_controller, blas_single_threaded
    from engine.training.whitened import WhitenedProblem

    blas = blas_controller()
    problem = WhitenedProblem(data.X_train, data.y_train, N_CLASSES, config.l2, blas)
    theta = problem.to_theta(*problem.prepare(*init_weights(np.random.default_rng(config.seed))))
    seconds = []
    try:
        with blas_single_threaded(blas):
            problem(theta)  # starts the helper threads
            for _ in range(calls):
                start = time.perf_counter()
                problem(theta)
                seconds.append(time.perf_counter() - start)
    finally:
        problem.close()
    return statistics.median(seconds)


def run_sklearn(data) -> Figures:
    from sklearn.linear_model import LogisticRegression

    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a ConvergenceWarning would be reported below
        clf = LogisticRegression(solver="lbfgs", max_iter=SKLEARN_MAX_ITER)
        clf.fit(data.X_train, data.y_train)
    seconds = time.perf_counter() - start
    accuracy = float(clf.score(data.X_test, data.y_test))
    n_iter = int(np.max(clf.n_iter_))
    status = "converged" if n_iter < SKLEARN_MAX_ITER else "hit max_iter"
    return Figures(
        None, seconds, accuracy, f"{n_iter} it, {status} (C=1, tol=1e-4)", tracks_target=False
    )


def run_torch(data, config: TrainConfig, threads: int) -> Figures:
    """PyTorch CPU mini-batch SGD mirroring the engine's SGD settings and report cadence."""
    import torch

    torch.set_num_threads(threads)
    torch.manual_seed(config.seed)
    X = torch.from_numpy(data.X_train)
    y = torch.from_numpy(data.y_train)
    X_test = torch.from_numpy(data.X_test)
    y_test = torch.from_numpy(data.y_test)
    model = torch.nn.Linear(X.shape[1], 10)
    opt = torch.optim.SGD(
        model.parameters(), lr=config.lr, momentum=config.momentum, weight_decay=config.l2
    )
    loss_fn = torch.nn.CrossEntropyLoss()
    n = X.shape[0]
    per_epoch = math.ceil(n / config.batch_size)
    total = per_epoch * config.epochs
    generator = torch.Generator().manual_seed(config.seed)
    step, reached = 0, None
    start = time.perf_counter()
    for _ in range(config.epochs):
        order = torch.randperm(n, generator=generator)
        for i in range(per_epoch):
            idx = order[i * config.batch_size : (i + 1) * config.batch_size]
            for group in opt.param_groups:  # the engine's cosine schedule, per step
                group["lr"] = config.lr * 0.5 * (1 + math.cos(math.pi * step / total))
            opt.zero_grad(set_to_none=True)
            loss_fn(model(X[idx]), y[idx]).backward()
            opt.step()
            step += 1
            if step % config.report_every == 0 or i == per_epoch - 1:
                with torch.no_grad():
                    acc = (model(X_test).argmax(1) == y_test).float().mean().item()
                if reached is None and acc >= TARGET_ACCURACY:
                    reached = time.perf_counter() - start
    seconds = time.perf_counter() - start
    with torch.no_grad():
        acc = (model(X_test).argmax(1) == y_test).float().mean().item()
    return Figures(reached, seconds, acc, f"{config.epochs} epochs, {threads} thread(s)")


def _spread(values: list[float | None]) -> str:
    got = [v for v in values if v is not None]
    if not got:
        return "not reached"
    text = f"{statistics.median(got):.3f} s"
    if len(got) > 1:
        text += f" [{min(got):.3f}–{max(got):.3f}]"
    if len(got) < len(values):
        text += f" ({len(values) - len(got)} runs never reached it)"
    return text


def _summary(runs: list[Figures]) -> tuple[str, str, str, str]:
    accs = [r.accuracy for r in runs]
    acc = f"{statistics.median(accs):.2%}"
    if len(runs) > 1 and min(accs) != max(accs):
        acc += f" [{min(accs):.2%}–{max(accs):.2%}]"
    to_target = (
        _spread([r.time_to_target for r in runs])
        if runs[0].tracks_target
        else "n/a (no progress reports)"
    )
    return to_target, _spread([r.seconds for r in runs]), acc, runs[-1].work


def environment() -> list[str]:
    lines = [
        f"python {platform.python_version()} on {platform.machine()}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} (1 min)",
        f"numpy {np.__version__}",
    ]
    for info in threadpool_info():
        lines.append(
            f"  {info['user_api']}: {info.get('internal_api')} {info.get('version')} "
            f"arch={info.get('architecture', '-')} threads={info['num_threads']} "
            f"({Path(info['filepath']).name})"
        )
    env = {k: os.environ[k] for k in OPENBLAS_ENV if k in os.environ}
    lines.append(
        "  env: "
        + (
            ", ".join(f"{k}={v}" for k, v in env.items())
            or "no OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE / thread settings"
        )
    )
    return lines


def _median(values: list[float | None]) -> float | None:
    got = [v for v in values if v is not None]
    return statistics.median(got) if got else None


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}×" if a is not None and b else "n/a"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--repeats", type=int, default=3, help="runs of the engine and PyTorch (default 3)"
    )
    parser.add_argument(
        "--sklearn-repeats",
        type=int,
        default=1,
        help="runs of scikit-learn, which takes minutes (default 1)",
    )
    parser.add_argument("--no-sklearn", action="store_true", help="skip scikit-learn")
    parser.add_argument(
        "--lbfgs-only", action="store_true", help="skip the engine's SGD and PyTorch"
    )
    args = parser.parse_args(argv)

    data = load_mnist(preprocessing_version=1)  # MNIST exactly as published
    sgd = TrainConfig(optimizer="sgd")
    lbfgs = TrainConfig(optimizer="lbfgs")
    rows: dict[str, list[Figures]] = {}
    try:
        import torch
    except ImportError:
        torch = None
    torch_threads = (
        sorted({1, torch.get_num_threads()}) if torch is not None and not args.lbfgs_only else []
    )
    objective: list[float] = []
    for _ in range(args.repeats):  # interleaved, so load from other processes hits all alike
        if not args.lbfgs_only:
            rows.setdefault("engine SGD", []).append(run_engine(data, sgd))
        rows.setdefault("engine L-BFGS-B", []).append(run_engine(data, lbfgs))
        objective.append(time_objective(data, lbfgs, OBJECTIVE_CALLS))
        for threads in torch_threads:
            rows.setdefault(f"PyTorch SGD ({threads} thr)", []).append(
                run_torch(data, sgd, threads)
            )
    if not args.no_sklearn:
        for _ in range(args.sklearn_repeats):
            rows.setdefault("scikit-learn lbfgs", []).append(run_sklearn(data))

    print(
        f"MNIST {len(data.y_train):,} train / {len(data.y_test):,} test, preprocessing v1; "
        f"target {TARGET_ACCURACY:.1%} test accuracy; median [min–max] of the runs"
    )
    print(
        f"engine SGD: batch {sgd.batch_size}, lr {sgd.lr}, momentum {sgd.momentum}, "
        f"{sgd.schedule}, {sgd.epochs} epochs, l2 {sgd.l2}, report every {sgd.report_every} "
        f"batches; L-BFGS-B: l2 {lbfgs.l2}, ftol {lbfgs.tol}, max_iter {lbfgs.max_iter}"
    )
    if torch is None:
        print("PyTorch: not installed, skipped")
    else:
        print(
            f"PyTorch {torch.__version__}: same batch size, lr, momentum, cosine schedule, "
            f"weight decay and report cadence as the engine's SGD"
        )
    header = f"{'method':<24}{'time to 92%':<28}{'total time':<28}{'test acc':<20}work"
    print(header)
    print("-" * len(header))
    for name, runs in rows.items():
        to_target, seconds, acc, work = _summary(runs)
        print(f"{name:<24}{to_target:<28}{seconds:<28}{acc:<20}{work}")
    print()
    lbfgs_runs = rows["engine L-BFGS-B"]
    sgd_t = _median([r.time_to_target for r in rows.get("engine SGD", [])])
    lbfgs_t = _median([r.time_to_target for r in lbfgs_runs])
    lbfgs_s = _median([r.seconds for r in lbfgs_runs])
    evaluations = lbfgs_runs[-1].evaluations
    per_eval = statistics.median(objective)
    print(
        f"L-BFGS-B objective: {1e3 * per_eval:.1f} ms per evaluation "
        f"[{1e3 * min(objective):.1f}–{1e3 * max(objective):.1f}]; {evaluations} evaluations "
        f"≈ {evaluations * per_eval:.2f} s of the {lbfgs_s:.2f} s run"
    )
    for name, runs in rows.items():
        if name.startswith("PyTorch"):
            torch_t = _median([r.time_to_target for r in runs])
            print(
                f"time to 92%: engine SGD / {name} = {_ratio(sgd_t, torch_t)}; "
                f"engine L-BFGS-B / {name} = {_ratio(lbfgs_t, torch_t)}"
            )
    if "scikit-learn lbfgs" in rows:
        sk_s = _median([r.seconds for r in rows["scikit-learn lbfgs"]])
        print(f"converged: engine L-BFGS-B / scikit-learn lbfgs time = {_ratio(lbfgs_s, sk_s)}")
    print()
    print("\n".join(environment()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
