"""``gradcheck`` and ``reproduce-seed``: the gradient check and the reference experiment."""

from __future__ import annotations

import argparse
import time
from typing import TextIO

import numpy as np

from engine.cli.common import (
    EXIT_CHECK_FAILED,
    EXIT_OK,
    emit_json,
    load_data,
    pct,
)
from engine.cli.train_cmd import result_summary, run_training
from engine.gradcheck import DEFAULT_THRESHOLD, gradient_check
from engine.reference import (
    REFERENCE_GRADCHECK_IMAGES,
    REFERENCE_GRADCHECK_TRIALS,
    reference_gradient_check,
    reference_init,
    reference_lbfgs,
)
from engine.training.train import TrainConfig


def cmd_gradcheck(args: argparse.Namespace, command: str, out: TextIO, err: TextIO) -> int:
    if args.l2 < 0:
        raise ValueError(f"--l2 must be >= 0, got {args.l2}")
    data = load_data(args, err=err)
    n = min(args.n_images, data.X_test.shape[0])
    result = gradient_check(
        data.X_test[:n], data.y_test[:n], n_checks=args.n_checks, l2=args.l2, seed=args.seed
    )
    if args.json:
        emit_json(
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
    data = load_data(args, preprocessing=1, err=err)  # the reference used MNIST as published
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
            **result_summary(eng),
            "l2": config.l2,
            "gradcheck_max_rel_error": eng_check.max_rel_error,
            "gradcheck_mean_rel_error": eng_check.mean_rel_error,
            "gradcheck_passed": eng_check.passed,
            "gradcheck_seconds": round(eng_check_seconds, 3),
        },
    }
    if args.json:
        emit_json(report, out)
        return EXIT_OK
    rows = [
        ("train error", pct(ref.train_error), pct(eng.train_error)),
        ("test error", pct(ref.test_error), pct(eng.test_error)),
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
