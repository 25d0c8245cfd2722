"""Command line: ``python -m engine`` (or ``softmax-engine``) train | evaluate | adapt |
gradcheck | reproduce-seed.

Every subcommand takes ``--json`` to print exactly one JSON object on stdout instead of text.
Training shows a one-line progress bar on stderr when stderr is a terminal (never with
``--json``); Ctrl-C stops training cooperatively and still saves and reports the model so
far. Bad input (a missing or corrupt file, a bad number) prints one ``error: ...`` line on
stderr and exits with status 2; a failed gradient check exits with status 1.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import TextIO

from engine.cli.check_cmds import cmd_gradcheck, cmd_reproduce_seed
from engine.cli.common import EXIT_BAD_INPUT, EXIT_CHECK_FAILED, EXIT_INTERRUPTED, EXIT_OK, PROG
from engine.cli.evaluate_cmd import cmd_adapt, cmd_evaluate
from engine.cli.parser import UsageError, build_parser
from engine.cli.train_cmd import cmd_train

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_CHECK_FAILED",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "PROG",
    "build_parser",
    "main",
]


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
    except UsageError as exc:
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
