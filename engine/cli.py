"""Command line: ``python -m engine`` (or ``softmax-engine``) train | evaluate | adapt |
gradcheck | reproduce-seed.

Every subcommand takes ``--json`` to print exactly one JSON object on stdout instead of text.
Training shows a one-line progress bar on stderr when stderr is a terminal (never with
``--json``); Ctrl-C stops training cooperatively and still saves and reports the model so
far. Bad input (a missing or corrupt file, a bad number) prints one ``error: ...`` line on
stderr and exits with status 2; a failed gradient check exits with status 1.
"""

from __future__ import annotations

import argparse
import json
import math
import shlex
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any, NoReturn, TextIO

import numpy as np

from .adapt import adapt, prepare_replay
from .augment import PRESETS as AUGMENT_PRESETS
from .datasets import Dataset, load_mnist
from .drawn import DRAWN_VERSION, with_drawn_copies
from .gradcheck import DEFAULT_THRESHOLD, gradient_check
from .metrics import Evaluation, evaluate
from .model import SoftmaxModel
from .model_io import DEFAULT_MODEL_PATH, load_model, save_model
from .personal_samples import PersonalSamples, evaluate_personal, load_samples
from .reference import (
    REFERENCE_GRADCHECK_IMAGES,
    REFERENCE_GRADCHECK_TRIALS,
    REFERENCE_LBFGS_MAX_ITER,
    reference_gradient_check,
    reference_init,
    reference_lbfgs,
)
from .train_config import OPTIMIZERS, SCHEDULES, Choice
from .training import Progress, TrainConfig, TrainResult, run_to_end, train

PROG = "python -m engine"
EXIT_OK, EXIT_CHECK_FAILED, EXIT_BAD_INPUT = 0, 1, 2
EXIT_INTERRUPTED = 130
#: Width of the progress bar's filled part, in characters.
BAR_WIDTH = 24
#: Redraw the progress bar at most this often (seconds).
BAR_INTERVAL = 0.1


class _UsageError(Exception):
    """Bad command-line usage, reported by :func:`main` as one ``error:`` line."""


class _Parser(argparse.ArgumentParser):
    """argparse that reports bad usage as one ``error:`` line and exit status 2."""

    def error(self, message: str) -> NoReturn:
        raise _UsageError(f"{message} (see '{self.prog} --help')")


def _int_at_least(minimum: int) -> Callable[[str], int]:
    """An argparse type: a whole number of at least ``minimum``."""
    wanted = "a positive integer" if minimum == 1 else f"a whole number ≥ {minimum}"

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {wanted}, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"expected {wanted}, got {text!r}")
        return value

    return parse


_positive_int = _int_at_least(1)
_non_negative_int = _int_at_least(0)


def _finite_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"expected a finite number, got {text!r}")
    return value


def _choices_help(choices: dict[str, Choice], default: str) -> str:
    """``--help`` text listing a registry's names with what each is."""
    listed = ", ".join(f"{name} = {choice.text}" for name, choice in choices.items())
    return f"{listed} (default {default})"


def build_parser(prog: str = PROG) -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    defaults = TrainConfig()
    parser = _Parser(prog=prog, description="Softmax regression on MNIST, from the terminal.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--data",
            metavar="DIR",
            type=Path,
            help="folder of MNIST-format IDX files (default: the bundled MNIST)",
        )
        p.add_argument(
            "--json", action="store_true", help="print one JSON object on stdout instead of text"
        )
        # Hidden: use only the first N images (quick runs and tests).
        p.add_argument("--train-size", type=_positive_int, help=argparse.SUPPRESS)
        p.add_argument("--test-size", type=_positive_int, help=argparse.SUPPRESS)

    p = sub.add_parser(
        "train",
        help="train a model and optionally save it",
        description="Train a softmax regression; print its error rates.",
    )
    p.add_argument(
        "--optimizer",
        choices=tuple(OPTIMIZERS),
        default=defaults.optimizer,
        help=_choices_help(OPTIMIZERS, defaults.optimizer),
    )
    p.add_argument(
        "--max-iter",
        type=_positive_int,
        default=defaults.max_iter,
        help=f"L-BFGS-B iterations at most (default {defaults.max_iter})",
    )
    p.add_argument(
        "--epochs",
        type=_positive_int,
        default=defaults.epochs,
        help=f"SGD epochs (default {defaults.epochs})",
    )
    p.add_argument(
        "--lr",
        type=_finite_float,
        default=defaults.lr,
        help=f"SGD learning rate (default {defaults.lr})",
    )
    p.add_argument(
        "--batch-size",
        type=_positive_int,
        default=defaults.batch_size,
        help=f"SGD batch size (default {defaults.batch_size})",
    )
    p.add_argument(
        "--momentum",
        type=_finite_float,
        default=defaults.momentum,
        help=f"SGD momentum (default {defaults.momentum})",
    )
    p.add_argument(
        "--schedule",
        choices=tuple(SCHEDULES),
        default=defaults.schedule,
        help="SGD schedule: " + _choices_help(SCHEDULES, defaults.schedule),
    )
    p.add_argument(
        "--l2",
        type=_finite_float,
        default=defaults.l2,
        help=f"L2 penalty on W (default {defaults.l2:g})",
    )
    p.add_argument(
        "--tol",
        type=_finite_float,
        default=defaults.tol,
        help=f"relative cost-improvement tolerance (default {defaults.tol:g})",
    )
    p.add_argument("--seed", type=int, default=defaults.seed)
    p.add_argument(
        "--preprocessing",
        type=int,
        metavar="VERSION",
        help="dataset preprocessing version (default: the engine's current one)",
    )
    p.add_argument(
        "--augment",
        choices=sorted(AUGMENT_PRESETS),
        default=defaults.augment,
        help="SGD only: distort mini-batches on the fly with this preset (default: %(default)s)",
    )
    p.add_argument(
        "--drawn-copies",
        type=_non_negative_int,
        default=0,
        metavar="N",
        help="also train on N copies of every training image drawn the way the "
        "canvas sees digits: rotated, slanted, hard pen, pen width changed "
        "(preprocessing 3 only; the shipped model's recipe; default 0)",
    )
    p.add_argument("--out", metavar="MODEL.npz", type=Path, help="save the trained model here")
    common(p)

    p = sub.add_parser(
        "evaluate",
        help="error rate, per-class accuracy and confusion matrix",
        description="Evaluate a saved model on the test set, or on a personal samples file.",
    )
    p.add_argument(
        "model",
        metavar="MODEL",
        type=Path,
        nargs="?",
        default=DEFAULT_MODEL_PATH,
        help="model file (.npz); default: the shipped model",
    )
    p.add_argument(
        "--samples",
        metavar="SAMPLES.npz",
        type=Path,
        help="evaluate on this personal samples file instead of the test set",
    )
    p.add_argument(
        "--folds",
        metavar="K",
        type=_int_at_least(2),
        help="with --samples: also adapt the model with K-fold cross-validation on "
        "the samples and report the held-out accuracy and the test accuracy "
        "of base and adapted models",
    )
    common(p)

    p = sub.add_parser(
        "adapt",
        help="adapt a model to one person's handwriting samples",
        description="Adapt a model to a personal samples file and save the "
        "adapted model; training images are replayed so it keeps "
        "reading them.",
    )
    p.add_argument("model", metavar="MODEL", type=Path, help="base model file (.npz)")
    p.add_argument("samples", metavar="SAMPLES.npz", type=Path, help="personal samples file")
    p.add_argument(
        "-o",
        "--out",
        metavar="OUT.npz",
        type=Path,
        required=True,
        help="save the adapted model here",
    )
    common(p)

    p = sub.add_parser(
        "gradcheck",
        help="check the analytic gradient by finite differences",
        description="Compare the engine's gradient with central differences "
        "on test images (float64); exit status 1 if it fails.",
    )
    p.add_argument(
        "--n-checks",
        type=_positive_int,
        default=REFERENCE_GRADCHECK_TRIALS,
        help="coordinates to check (default 300)",
    )
    p.add_argument(
        "--l2",
        type=_finite_float,
        nargs="?",
        const=defaults.l2,
        default=0.0,
        help=f"include an L2 penalty (alone: {defaults.l2:g}; default 0)",
    )
    p.add_argument(
        "--n-images",
        type=_positive_int,
        default=REFERENCE_GRADCHECK_IMAGES,
        help="first test images to use (default 200)",
    )
    p.add_argument("--seed", type=int, default=0)
    common(p)

    p = sub.add_parser(
        "reproduce-seed",
        help="the reference experiment, then this engine's",
        description="Run the original tutorial's experiment with a faithful "
        "port, then with this engine, and compare them.",
    )
    p.add_argument(
        "--max-iter",
        type=_positive_int,
        default=REFERENCE_LBFGS_MAX_ITER,
        help=f"L-BFGS-B iterations (default {REFERENCE_LBFGS_MAX_ITER})",
    )
    p.add_argument("--seed", type=int, default=0)
    common(p)
    return parser


# --- helpers ----------------------------------------------------------------------------------


def _load(args: argparse.Namespace, preprocessing: int | None = None, **kwargs: Any) -> Dataset:
    if preprocessing is not None:
        kwargs["preprocessing_version"] = preprocessing
    data = load_mnist(args.data, **kwargs)
    if args.train_size or args.test_size:
        n_train = args.train_size or data.X_train.shape[0]
        n_test = args.test_size or data.X_test.shape[0]
        data = replace(
            data,
            X_train=data.X_train[:n_train],
            y_train=data.y_train[:n_train],
            X_test=data.X_test[:n_test],
            y_test=data.y_test[:n_test],
        )
    return data


def _check_out(path: Path | None) -> None:
    """Refuse, before any work, an output path that cannot be saved to."""
    if path is not None and not path.parent.is_dir():
        raise ValueError(f"{path}: folder {path.parent} does not exist")
    if path is not None and path.is_dir():
        raise ValueError(f"{path}: is a folder, expected a model file name")


def _samples_for(path: Path, model: SoftmaxModel) -> PersonalSamples:
    """The samples file at ``path``, made for ``model``'s preprocessing; refuses 0 samples."""
    samples = load_samples(path)
    if len(samples) == 0:
        raise ValueError(f"{path}: the samples file holds 0 samples")
    try:
        return samples.for_version(model.preprocessing_version)
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from None


def _emit_json(obj: dict[str, Any], out: TextIO) -> None:
    out.write(json.dumps(obj, default=_jsonable) + "\n")


def _jsonable(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _pct(x: float) -> str:
    return f"{100 * x:.2f}%"


class ProgressBar:
    """A one-line progress bar on a terminal stream, redrawn in place with ``\\r``."""

    def __init__(self, stream: TextIO, label: str) -> None:
        self.stream = stream
        self.label = label
        self.last = 0.0
        self.drawn = False
        self.pending: Progress | None = None

    def update(self, p: Progress, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last < BAR_INTERVAL:
            self.pending = p  # drawn by close() if nothing newer comes
            return
        self.last, self.pending = now, None
        filled = int(round(p.fraction * BAR_WIDTH))
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        self.stream.write(
            f"\r{self.label} [{bar}] {100 * p.fraction:3.0f}%  step {p.step}  "
            f"cost {p.cost:.4f}  train {_pct(p.train_error)}  test {_pct(p.test_error)}  "
            f"{p.elapsed:.1f}s "
        )
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.pending is not None:
            self.update(self.pending, force=True)
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()


class _StopOnInterrupt:
    """Ctrl-C sets a flag that training polls; a second Ctrl-C interrupts at once."""

    def __init__(self) -> None:
        self.requested = False
        self.previous: Any = None

    def __enter__(self) -> _StopOnInterrupt:
        if threading.current_thread() is threading.main_thread():
            self.previous = signal.signal(signal.SIGINT, self._handle)
        return self

    def _handle(self, signum, frame) -> None:
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True

    def __exit__(self, *exc) -> None:
        if self.previous is not None:
            signal.signal(signal.SIGINT, self.previous)

    def __call__(self) -> bool:
        return self.requested


def run_training(
    data: Dataset, config: TrainConfig, *, bar: ProgressBar | None = None, should_stop=None
) -> TrainResult:
    """Drain a training generator, drawing ``bar`` as it goes; returns the result."""

    def draw(progress: Progress) -> None:
        if bar is not None:
            bar.update(progress, force=progress.step == 0)

    try:
        return run_to_end(train(data, config, should_stop=should_stop), draw)
    finally:
        if bar is not None:
            bar.close()


def _summary(result: TrainResult) -> dict[str, Any]:
    return {
        "train_error": result.train_error,
        "test_error": result.test_error,
        "test_accuracy": 1.0 - result.test_error,
        "seconds": round(result.seconds, 3),
        "iterations": result.iterations,
        "evaluations": result.evaluations,
        "reason": result.reason,
        "converged": result.converged,
        "diverged": result.diverged,
    }


# --- subcommands ------------------------------------------------------------------------------


def cmd_train(args: argparse.Namespace, command: str, out: TextIO, err: TextIO) -> int:
    config = TrainConfig(
        optimizer=args.optimizer,
        max_iter=args.max_iter,
        epochs=args.epochs,
        lr=args.lr,
        momentum=args.momentum,
        batch_size=args.batch_size,
        schedule=args.schedule,
        l2=args.l2,
        seed=args.seed,
        tol=args.tol,
        augment=args.augment,
    )
    _check_out(args.out)
    data = _load(args, args.preprocessing)
    if args.drawn_copies:
        if data.preprocessing_version != DRAWN_VERSION:
            raise ValueError(
                f"--drawn-copies needs preprocessing {DRAWN_VERSION}, "
                f"got {data.preprocessing_version}"
            )
        data = with_drawn_copies(
            data, _load(args, preprocessing=1).X_train, args.drawn_copies, seed=args.seed
        )
    bar = ProgressBar(err, args.optimizer) if (err.isatty() and not args.json) else None
    with _StopOnInterrupt() as stop:
        result = run_training(data, config, bar=bar, should_stop=stop)
    model = replace(result.model, metadata={**result.model.metadata, "command": command})
    summary = {
        **_summary(result),
        "optimizer": config.optimizer,
        "config": asdict(config),
        "dataset": data.name,
        "n_train": int(data.X_train.shape[0]),
        "n_test": int(data.X_test.shape[0]),
        "preprocessing_version": data.preprocessing_version,
        "command": command,
        "model": None,
    }
    if args.out is not None:
        summary["model"] = str(save_model(model, args.out))
    if args.json:
        _emit_json(summary, out)
        return EXIT_OK
    unit = "iterations" if config.optimizer == "lbfgs" else "steps"
    out.write(
        f"{config.optimizer}: {result.reason}; {result.iterations} {unit}, "
        f"{result.evaluations} evaluations, {result.seconds:.2f} s\n"
        f"train error {_pct(result.train_error)}  test error {_pct(result.test_error)}  "
        f"(test accuracy {_pct(1 - result.test_error)})\n"
    )
    if summary["model"]:
        out.write(f"saved {summary['model']}\n")
    return EXIT_OK


def cmd_evaluate(args: argparse.Namespace, command: str, out: TextIO, err: TextIO) -> int:
    if args.samples is not None:
        return _evaluate_samples(args, out)
    if args.folds is not None:
        raise ValueError("--folds needs --samples")
    model = load_model(args.model)
    data = _load(args, model.preprocessing_version)
    if data.X_test.shape[1] != model.n_features:
        raise ValueError(
            f"{args.model}: model expects {model.n_features} pixels per image, "
            f"the test images have {data.X_test.shape[1]}"
        )
    ev = evaluate(model, data.X_test, data.y_test)
    if args.json:
        _emit_json(
            {
                "model": str(args.model),
                "dataset": data.name,
                "n_test": int(data.y_test.size),
                "test_error": ev.error,
                "test_accuracy": ev.accuracy,
                "per_class_accuracy": ev.per_class_or_none(),
                "confusion_matrix": ev.confusion,
                "metadata": model.metadata,
            },
            out,
        )
        return EXIT_OK
    out.write(f"{args.model}: {data.y_test.size} test images from {data.name}\n")
    if "command" in model.metadata:
        out.write(f"made by: {model.metadata['command']}\n")
    out.write(f"test error {_pct(ev.error)}  (accuracy {_pct(ev.accuracy)})\n\n")
    _write_confusion(out, ev)
    return EXIT_OK


def _write_confusion(out: TextIO, ev: Evaluation) -> None:
    per_class, confusion = ev.per_class, ev.confusion
    n_classes = confusion.shape[0]
    out.write("class  accuracy   confusion (rows: true class, columns: predicted)\n")
    out.write("                  " + "".join(f"{c:>6}" for c in range(n_classes)) + "\n")
    for c in range(n_classes):
        acc = "    n/a" if math.isnan(per_class[c]) else f"{100 * per_class[c]:6.2f}%"
        out.write(f"{c:>5}  {acc}   " + "".join(f"{v:>6}" for v in confusion[c]) + "\n")


def _evaluate_samples(args: argparse.Namespace, out: TextIO) -> int:
    """``evaluate --samples``: the model on a personal samples file, optionally with the
    cross-validated figures of adapting it to them."""
    model = load_model(args.model)
    samples = _samples_for(args.samples, model)
    ev = evaluate(model, samples.X, samples.y)
    report: dict[str, Any] = {
        "model": str(args.model),
        "samples": str(args.samples),
        "n_samples": len(samples),
        "preprocessing_version": model.preprocessing_version,
        "accuracy": ev.accuracy,
        "per_class_counts": samples.counts(model.n_classes),
        "per_class_accuracy": ev.per_class_or_none(),
        "confusion_matrix": ev.confusion,
        "metadata": model.metadata,
        "cross_validation": None,
    }
    if args.folds is not None:
        data = _load(args, model.preprocessing_version, train_dtype=np.uint8)
        figures = evaluate_personal(
            model,
            samples.X,
            samples.y,
            replay=prepare_replay(data.X_train, data.y_train),
            X_test=data.X_test,
            y_test=data.y_test,
            folds=args.folds,
        )
        report["cross_validation"] = {
            "folds": min(args.folds, len(samples)),
            **asdict(figures),
            "dataset": data.name,
            "n_test": int(data.y_test.size),
        }
    if args.json:
        _emit_json(report, out)
        return EXIT_OK
    correct = int(np.trace(ev.confusion))
    out.write(
        f"{args.model}: {len(samples)} personal samples from {args.samples}\n"
        f"accuracy {_pct(ev.accuracy)} ({correct} of {len(samples)})\n\n"
    )
    _write_confusion(out, ev)
    cv = report["cross_validation"]
    if cv is not None:
        adapted = (
            "n/a (needs 2 samples)"
            if cv["adapted_cv_accuracy"] is None
            else _pct(cv["adapted_cv_accuracy"])
        )
        out.write(
            f"\nadapting to these samples, {cv['folds']}-fold cross-validated (adapted "
            f"on the other folds, read on the held-out one):\n"
            f"  personal samples: base {_pct(cv['base_accuracy'])}, adapted {adapted}\n"
            f"  {cv['dataset']} test ({cv['n_test']} images): base "
            f"{_pct(cv['base_test_accuracy'])}, adapted on all samples "
            f"{_pct(cv['adapted_test_accuracy'])}\n"
        )
    return EXIT_OK


def cmd_adapt(args: argparse.Namespace, command: str, out: TextIO, err: TextIO) -> int:
    model = load_model(args.model)
    samples = _samples_for(args.samples, model)
    _check_out(args.out)
    data = _load(args, model.preprocessing_version, train_dtype=np.uint8)
    replay = prepare_replay(data.X_train, data.y_train)  # as engine.adapt does by default
    start = time.perf_counter()
    adapted = adapt(model, samples.X, samples.y, replay=replay)
    seconds = time.perf_counter() - start
    adapted = replace(adapted, metadata={**adapted.metadata, "command": command})
    saved = save_model(adapted, args.out)
    report = {
        "model": str(args.model),
        "samples": str(args.samples),
        "out": str(saved),
        "n_samples": len(samples),
        "per_class_counts": samples.counts(model.n_classes),
        "base_samples_accuracy": evaluate(model, samples.X, samples.y).accuracy,
        "adapted_samples_accuracy": evaluate(adapted, samples.X, samples.y).accuracy,
        "base_test_accuracy": evaluate(model, data.X_test, data.y_test).accuracy,
        "adapted_test_accuracy": evaluate(adapted, data.X_test, data.y_test).accuracy,
        "dataset": data.name,
        "n_test": int(data.y_test.size),
        "n_replay": int(replay.y.size),
        "seconds": round(seconds, 3),
        "command": command,
    }
    if args.json:
        _emit_json(report, out)
        return EXIT_OK
    counts = "  ".join(f"{c}:{n}" for c, n in enumerate(report["per_class_counts"]))
    out.write(
        f"adapted {args.model} to {len(samples)} samples from {args.samples} in "
        f"{seconds:.2f} s (replaying {report['n_replay']} {data.name} training images)\n"
        f"samples per class  {counts}\n"
        f"on these samples (fitted, not held out; see 'evaluate --samples --folds'): "
        f"base {_pct(report['base_samples_accuracy'])}, "
        f"adapted {_pct(report['adapted_samples_accuracy'])}\n"
        f"{data.name} test ({report['n_test']} images): base "
        f"{_pct(report['base_test_accuracy'])}, adapted {_pct(report['adapted_test_accuracy'])}\n"
        f"saved {report['out']}\n"
    )
    return EXIT_OK


def cmd_gradcheck(args: argparse.Namespace, command: str, out: TextIO, err: TextIO) -> int:
    if args.l2 < 0:
        raise ValueError(f"--l2 must be >= 0, got {args.l2}")
    data = _load(args)
    n = min(args.n_images, data.X_test.shape[0])
    result = gradient_check(
        data.X_test[:n], data.y_test[:n], n_checks=args.n_checks, l2=args.l2, seed=args.seed
    )
    if args.json:
        _emit_json(
            {
                "n_images": n,
                "n_checks": int(result.rel_error.size),
                "l2": args.l2,
                "max_rel_error": result.max_rel_error,
                "mean_rel_error": result.mean_rel_error,
                "threshold": result.threshold,
                "passed": result.passed,
            },
            out,
        )
    else:
        verdict = "PASSED" if result.passed else "FAILED"
        out.write(
            f"gradient check on {n} test images, {result.rel_error.size} coordinates, "
            f"l2={args.l2:g} (float64, central differences)\n"
            f"max relative error {result.max_rel_error:.2e}, mean {result.mean_rel_error:.2e}"
            f" (threshold {result.threshold:.0e}): {verdict}\n"
        )
    return EXIT_OK if result.passed else EXIT_CHECK_FAILED


def cmd_reproduce_seed(args: argparse.Namespace, command: str, out: TextIO, err: TextIO) -> int:
    data = _load(args, preprocessing=1)  # the reference used MNIST as published
    n_check = min(REFERENCE_GRADCHECK_IMAGES, data.X_test.shape[0])
    if not args.json:
        out.write(
            f"Reference experiment on {data.name}: {data.y_train.size:,} training / "
            f"{data.y_test.size:,} test images (canonical split; the original used "
            f"50k/10k/10k), gradient check on the first {n_check} test images.\n"
        )
        out.write("1/2 reference port (float64, no bias, summed loss, plain softmax)...\n")
        out.flush()
    rng = np.random.default_rng(args.seed)
    X64, X_test64 = data.X_train.astype(np.float64), data.X_test.astype(np.float64)
    check_start = time.perf_counter()
    ref_check = reference_gradient_check(X_test64[:n_check], data.y_test[:n_check], rng)
    ref_check_seconds = time.perf_counter() - check_start
    ref = reference_lbfgs(
        X64,
        data.y_train,
        X_test64,
        data.y_test,
        reference_init(rng, data.X_train.shape[1]),
        max_iter=args.max_iter,
    )
    del X64, X_test64
    if not args.json:
        out.write("2/2 this engine (float32, bias, averaged loss, stable softmax, L2)...\n")
        out.flush()
    config = TrainConfig(optimizer="lbfgs", max_iter=args.max_iter, seed=args.seed)
    check_start = time.perf_counter()
    eng_check = gradient_check(
        data.X_test[:n_check],
        data.y_test[:n_check],
        n_checks=REFERENCE_GRADCHECK_TRIALS,
        l2=config.l2,
        seed=args.seed,
    )
    eng_check_seconds = time.perf_counter() - check_start
    eng = run_training(data, config)
    report = {
        "dataset": data.name,
        "n_train": int(data.y_train.size),
        "n_test": int(data.y_test.size),
        "max_iter": args.max_iter,
        "seed": args.seed,
        "reference": {
            "train_error": ref.train_error,
            "test_error": ref.test_error,
            "seconds": round(ref.seconds, 3),
            "evaluations": ref.evaluations,
            "iterations": ref.iterations,
            "message": ref.message,
            "gradcheck_mean_abs_error": ref_check.mean_abs_error,
            "gradcheck_max_abs_error": ref_check.max_abs_error,
            "gradcheck_seconds": round(ref_check_seconds, 3),
        },
        "engine": {
            **_summary(eng),
            "l2": config.l2,
            "gradcheck_max_rel_error": eng_check.max_rel_error,
            "gradcheck_mean_rel_error": eng_check.mean_rel_error,
            "gradcheck_passed": eng_check.passed,
            "gradcheck_seconds": round(eng_check_seconds, 3),
        },
    }
    if args.json:
        _emit_json(report, out)
        return EXIT_OK
    rows = [
        ("train error", _pct(ref.train_error), _pct(eng.train_error)),
        ("test error", _pct(ref.test_error), _pct(eng.test_error)),
        ("L-BFGS-B seconds", f"{ref.seconds:.2f}", f"{eng.seconds:.2f}"),
        ("iterations", str(ref.iterations), str(eng.iterations)),
        ("evaluations", str(ref.evaluations), str(eng.evaluations)),
        ("stopped because", _short(ref.message), eng.reason),
        (
            "gradient check",
            f"mean abs {ref_check.mean_abs_error:.1e}",
            f"max rel {eng_check.max_rel_error:.1e}",
        ),
        (
            "",
            f"max abs {ref_check.max_abs_error:.1e}",
            f"{'passed' if eng_check.passed else 'FAILED'} (≤ {DEFAULT_THRESHOLD:.0e})",
        ),
    ]
    out.write(f"\n{'':<18}{'reference port':<28}{'this engine':<28}\n")
    for name, a, b in rows:
        out.write(f"{name:<18}{a:<28}{b:<28}\n")
    out.write(
        "\nreference: no bias, summed cross-entropy, exp without max-subtraction, float64, "
        "Glorot init,\n  gradient check = mean |analytic - numeric| over 300 random single "
        "coordinates.\n"
        f"engine: bias, averaged cross-entropy + L2 ({config.l2:g}), stable log-sum-exp, "
        "float32 training in\n  whitened coordinates, gradient check = max relative error on "
        f"{REFERENCE_GRADCHECK_TRIALS} coordinates (float64).\n"
    )
    return EXIT_OK


def _short(message: str) -> str:
    return "iteration limit" if "ITERATIONS REACHED LIMIT" in message.upper() else message.lower()


COMMANDS = {
    "train": cmd_train,
    "evaluate": cmd_evaluate,
    "adapt": cmd_adapt,
    "gradcheck": cmd_gradcheck,
    "reproduce-seed": cmd_reproduce_seed,
}


def main(
    argv: list[str] | None = None,
    *,
    prog: str | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Run the command line; returns the exit status (0 ok, 1 check failed, 2 bad input).

    ``prog`` is how the program was invoked, recorded with the arguments in a saved model's
    metadata ``"command"`` (``python -m engine`` unless run as the ``softmax-engine`` script).
    """
    out = out or sys.stdout
    err = err or sys.stderr
    if prog is None:
        prog = Path(sys.argv[0]).name if argv is None and sys.argv[0] else PROG
        if prog in ("__main__.py", "-c", ""):
            prog = PROG
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(prog)
    try:
        args = parser.parse_args(argv)
    except _UsageError as exc:
        err.write(f"error: {exc}\n")
        return EXIT_BAD_INPUT
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    command = f"{prog} {shlex.join(argv)}".strip()
    try:
        return COMMANDS[args.command](args, command, out, err)
    except (ValueError, OSError) as exc:
        err.write(f"error: {_one_line(exc)}\n")
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        err.write("error: interrupted\n")
        return EXIT_INTERRUPTED


def _one_line(exc: BaseException) -> str:
    text = (
        str(exc)
        if not isinstance(exc, OSError) or not exc.filename
        else (f"{exc.filename}: {exc.strerror or exc}")
    )
    return " ".join(text.split()) or type(exc).__name__


if __name__ == "__main__":
    sys.exit(main())
