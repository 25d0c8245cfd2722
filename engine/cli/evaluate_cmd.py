"""``evaluate`` (on a test set, or on a personal samples file) and ``adapt``."""

from __future__ import annotations

import argparse
import math
import time
from dataclasses import asdict, replace
from typing import Any, TextIO

import numpy as np

from engine.cli.common import (
    EXIT_OK,
    check_out,
    emit_json,
    load_data,
    pct,
    samples_for,
)
from engine.data.model_io import load_model, save_model
from engine.metrics import Evaluation, evaluate
from engine.personal.adapt import adapt, prepare_replay
from engine.personal.samples import evaluate_personal


def cmd_evaluate(args: argparse.Namespace, command: str, out: TextIO, err: TextIO) -> int:
    if args.samples is not None:
        return _evaluate_samples(args, out)
    if args.folds is not None:
        raise ValueError("--folds needs --samples")
    model = load_model(args.model)
    data = load_data(args, model.preprocessing_version, err)
    if data.X_test.shape[1] != model.n_inputs:
        raise ValueError(
            f"{args.model}: model expects {model.n_inputs} pixels per image, "
            f"the test images have {data.X_test.shape[1]}"
        )
    ev = evaluate(model, data.X_test, data.y_test)
    if args.json:
        emit_json(
            {
                "model": str(args.model),
                "dataset": data.name,
                "n_test": int(data.y_test.size),
                "test_error": ev.error,
                "test_accuracy": ev.accuracy,
                "class_names": list(model.class_names),
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
    out.write(f"test error {pct(ev.error)}  (accuracy {pct(ev.accuracy)})\n\n")
    write_confusion(out, ev, model.class_names)
    return EXIT_OK


def write_confusion(out: TextIO, ev: Evaluation, names: tuple[str, ...]) -> None:
    """Per-class accuracy and the confusion matrix; rows say each class's name."""
    per_class, confusion = ev.per_class, ev.confusion
    n_classes = confusion.shape[0]
    labels = [str(c) if names[c] == str(c) else f"{c} {names[c]}" for c in range(n_classes)]
    width = max(5, *(len(label) for label in labels))
    out.write(f"{'class':<{width}}  accuracy   confusion (rows: true class, columns: predicted)\n")
    out.write(" " * (width + 12) + "".join(f"{c:>6}" for c in range(n_classes)) + "\n")
    for c in range(n_classes):
        acc = "    n/a" if math.isnan(per_class[c]) else f"{100 * per_class[c]:6.2f}%"
        row = "".join(f"{v:>6}" for v in confusion[c])
        out.write(f"{labels[c]:<{width}}  {acc}   {row}\n")


def _evaluate_samples(args: argparse.Namespace, out: TextIO) -> int:
    """``evaluate --samples``: the model on a personal samples file, optionally with the
    cross-validated figures of adapting it to them."""
    model = load_model(args.model)
    samples = samples_for(args.samples, model)
    ev = evaluate(model, samples.X, samples.y)
    report: dict[str, Any] = {
        "model": str(args.model),
        "samples": str(args.samples),
        "n_samples": len(samples),
        "preprocessing_version": model.preprocessing_version,
        "accuracy": ev.accuracy,
        "per_class_counts": samples.counts(model.n_classes),
        "class_names": list(model.class_names),
        "per_class_accuracy": ev.per_class_or_none(),
        "confusion_matrix": ev.confusion,
        "metadata": model.metadata,
        "cross_validation": None,
    }
    if args.folds is not None:
        data = load_data(args, model.preprocessing_version, train_dtype=np.uint8)
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
        emit_json(report, out)
        return EXIT_OK
    correct = int(np.trace(ev.confusion))
    out.write(
        f"{args.model}: {len(samples)} personal samples from {args.samples}\n"
        f"accuracy {pct(ev.accuracy)} ({correct} of {len(samples)})\n\n"
    )
    write_confusion(out, ev, model.class_names)
    cv = report["cross_validation"]
    if cv is not None:
        adapted = (
            "n/a (needs 2 samples)"
            if cv["adapted_cv_accuracy"] is None
            else pct(cv["adapted_cv_accuracy"])
        )
        out.write(
            f"\nadapting to these samples, {cv['folds']}-fold cross-validated (adapted "
            f"on the other folds, read on the held-out one):\n"
            f"  personal samples: base {pct(cv['base_accuracy'])}, adapted {adapted}\n"
            f"  {cv['dataset']} test ({cv['n_test']} images): base "
            f"{pct(cv['base_test_accuracy'])}, adapted on all samples "
            f"{pct(cv['adapted_test_accuracy'])}\n"
        )
        if cv["adapted_cv_accuracy"] is not None and cv["n_alone"]:
            out.write(
                f"  ({cv['n_alone']} of the samples are the only one of their class: held "
                "out, adapting has nothing of their class to learn from)\n"
            )
    return EXIT_OK


def cmd_adapt(args: argparse.Namespace, command: str, out: TextIO, err: TextIO) -> int:
    model = load_model(args.model)
    samples = samples_for(args.samples, model)
    check_out(args.out)
    data = load_data(args, model.preprocessing_version, train_dtype=np.uint8)
    replay = prepare_replay(data.X_train, data.y_train)  # as engine.adapt does by default
    start = time.perf_counter()
    adapted = adapt(model, samples.X, samples.y, replay=replay)
    seconds = time.perf_counter() - start
    adapted = replace(adapted, metadata={**adapted.metadata, "command": command})
    saved = save_model(adapted, args.out)
    report: dict[str, Any] = {
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
        emit_json(report, out)
        return EXIT_OK
    counts = "  ".join(f"{c}:{n}" for c, n in enumerate(report["per_class_counts"]))
    out.write(
        f"adapted {args.model} to {len(samples)} samples from {args.samples} in "
        f"{seconds:.2f} s (replaying {report['n_replay']} {data.name} training images)\n"
        f"samples per class  {counts}\n"
        f"on these samples (fitted, not held out; see 'evaluate --samples --folds'): "
        f"base {pct(report['base_samples_accuracy'])}, "
        f"adapted {pct(report['adapted_samples_accuracy'])}\n"
        f"{data.name} test ({report['n_test']} images): base "
        f"{pct(report['base_test_accuracy'])}, adapted {pct(report['adapted_test_accuracy'])}\n"
        f"saved {report['out']}\n"
    )
    return EXIT_OK
