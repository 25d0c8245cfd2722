"""The argument parser: every subcommand, its flags and their checks."""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, NoReturn

from engine.cli.common import PROG
from engine.data.model_io import DEFAULT_MODEL_PATH
from engine.reference import (
    REFERENCE_GRADCHECK_IMAGES,
    REFERENCE_GRADCHECK_TRIALS,
    REFERENCE_LBFGS_MAX_ITER,
)
from engine.training.config import Choice, Option, TrainConfig


class UsageError(Exception):
    """Bad command-line usage, reported by :func:`main` as one ``error:`` line."""


class _Parser(argparse.ArgumentParser):
    """argparse that reports bad usage as one ``error:`` line and exit status 2."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


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


def _choices_help(choices: Mapping[str, Choice], default: str) -> str:
    """``--help`` text listing a registry's names with what each is."""
    listed = ", ".join(
        name if choice.text == name else f"{name} = {choice.text}"
        for name, choice in choices.items()
    )
    return f"{listed} (default {default})".replace("%", "%%")  # argparse formats help


def _option_help(option: Option, default: object) -> str:
    """``--help`` text of one config option, from its :class:`Option`."""
    if option.choices is not None:
        return f"{option.described()}: " + _choices_help(option.choices, str(default))
    shown = f"{default:g}" if isinstance(default, float) else str(default)
    return f"{option.described()} (default {shown})".replace("%", "%%")


def add_config_options(parser: argparse.ArgumentParser, defaults: TrainConfig) -> None:
    """One ``--name`` option for each :class:`TrainConfig` field people set (see
    :meth:`TrainConfig.options`), with ``defaults``' values; the parsed
    values are keyed by the field names."""
    for name, option in TrainConfig.options().items():
        default = getattr(defaults, name)
        flag = "--" + name.replace("_", "-")
        kwargs: dict[str, Any] = {"default": default, "help": _option_help(option, default)}
        if option.choices is not None:
            kwargs["choices"] = tuple(option.choices)
        elif isinstance(default, int):
            kwargs["type"] = _int_at_least(int(option.low or 0))
        else:
            kwargs["type"] = _finite_float
        parser.add_argument(flag, dest=name, **kwargs)


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
    add_config_options(p, defaults)
    p.add_argument(
        "--preprocessing",
        type=int,
        metavar="VERSION",
        help="dataset preprocessing version (default: the digit pipeline, 3, for "
        "handwritten digits; 1, the images as published, for any other dataset)",
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
        help="coordinates to check (default %(default)s)",
    )
    p.add_argument(
        "--l2",
        type=_finite_float,
        nargs="?",
        const=defaults.l2,
        default=0.0,
        help=f"include an L2 penalty (alone: {defaults.l2:g}; default %(default)g)",
    )
    p.add_argument(
        "--n-images",
        type=_positive_int,
        default=REFERENCE_GRADCHECK_IMAGES,
        help="first test images to use (default %(default)s)",
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
