"""The engine runs without a display: importing it never pulls in Qt or the GUI."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import engine

PROJECT_ROOT = Path(__file__).resolve().parents[2]
#: Top-level packages that must stay out of a headless engine process.
FORBIDDEN = ("PySide6", "shiboken6", "pyqtgraph", "superqt", "softmax_gui")
#: Every engine module, subpackages included.
MODULES = ["engine"] + [m.name for m in pkgutil.walk_packages(engine.__path__, prefix="engine.")]
#: Imports each module in turn in a fresh interpreter and records, per module, the forbidden
#: packages present after it: the first module to show one is the one that imported it.
PROBE = """
import importlib, json, sys
found = {}
for module in MODULES:
    importlib.import_module(module)
    found[module] = sorted({name.split(".")[0] for name in sys.modules} & set(FORBIDDEN))
print(json.dumps(found))
"""


def test_importing_any_engine_module_loads_no_gui_code():
    setup = f"MODULES = {MODULES!r}\nFORBIDDEN = {FORBIDDEN!r}\n"
    done = subprocess.run(
        [sys.executable, "-c", setup + PROBE],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert list(found) == MODULES
    offenders = {module: names for module, names in found.items() if names}
    assert not offenders, f"GUI packages imported by: {offenders}"


def test_every_engine_module_is_probed():
    assert {
        "engine.model",
        "engine.training.train",
        "engine.data.datasets",
        "engine.handwriting.preprocessing",
    } <= set(MODULES)
