"""Refresh the translation sources: ``python -m softmax_gui.i18n.update``.

Runs ``pyside6-lupdate`` over every ``.py`` of the ``softmax_gui`` package into
``translations/softmax_gui_zh_CN.ts`` (new strings are added unfinished, strings no longer
in the code are dropped, finished translations are kept), then ``pyside6-lrelease`` into
the ``.qm`` the app loads. Fill in the new strings (Qt Linguist: ``pyside6-linguist``, or by
hand) and run it again. See docs/development.md.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

from softmax_gui.i18n import CHINESE, QM_PREFIX, TRANSLATIONS_DIR

PACKAGE_DIR = Path(__file__).resolve().parent.parent
TS_PATH = TRANSLATIONS_DIR / f"{QM_PREFIX}{CHINESE}.ts"
QM_PATH = TS_PATH.with_suffix(".qm")


def tool(name: str) -> str:
    """The path of PySide6's ``name`` tool: next to this Python first, then on PATH."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        raise FileNotFoundError(f"{name} not found (it ships with PySide6)")
    return found


def sources(package: Path = PACKAGE_DIR) -> list[str]:
    """Every ``.py`` of the package, sorted (lupdate reads the strings from them)."""
    return sorted(str(p) for p in package.rglob("*.py"))


def lupdate(ts: Path, package: Path = PACKAGE_DIR) -> None:
    """Extract the package's strings into ``ts`` (created or updated in place)."""
    command = [tool("pyside6-lupdate"), *sources(package), "-ts", str(ts)]
    command += ["-locations", "none", "-no-obsolete", "-target-language", CHINESE, "-silent"]
    subprocess.run(command, check=True)


def lrelease(ts: Path, qm: Path) -> None:
    """Compile ``ts`` into ``qm`` (finished translations only)."""
    subprocess.run([tool("pyside6-lrelease"), str(ts), "-qm", str(qm), "-silent"], check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m softmax_gui.i18n.update", description=__doc__)
    parser.add_argument("--ts", type=Path, default=TS_PATH, help="the .ts file to update")
    parser.add_argument("--qm", type=Path, default=QM_PATH, help="the .qm file to write")
    args = parser.parse_args(argv)
    args.ts.parent.mkdir(parents=True, exist_ok=True)
    lupdate(args.ts)
    lrelease(args.ts, args.qm)
    print(f"updated {args.ts} and {args.qm}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
