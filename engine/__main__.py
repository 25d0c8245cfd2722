"""``python -m engine``: the engine's command line (see :mod:`engine.cli`)."""

from __future__ import annotations

import sys

from engine.cli import PROG, main

if __name__ == "__main__":
    sys.exit(main(prog=PROG))
