"""Process start to first paint of the real window, median of several runs (target ≤ 1.0 s).

Each run is a fresh interpreter: the parent notes ``time.time()`` just before it starts the
child; the child builds the window exactly as ``softmax_gui.app.main`` does (same settings
file handling, bundled model loaded, dataset loaded after show) and prints ``time.time()``
when the first paint event reaches the window or one of its children. Also printed: the
child's own import and construction times, and whether the dataset was still loading at
first paint (it must not load before the window shows).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/startup.py
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_S = 1.0
CHILD_TIMEOUT_S = 120

#: The child: imports and builds the window like softmax_gui.app.main, reports first paint.
CHILD = r"""
import json, os, sys, time
t_start = time.time()
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication
t_qt = time.time()
from softmax_gui import app as app_module
from softmax_gui.main_window import MainWindow
t_import = time.time()
heavy = sorted(m for m in ("pyqtgraph", "scipy", "scipy.optimize", "sklearn")
               if m in sys.modules)
qapp = QApplication([sys.argv[0]])
qapp.setApplicationDisplayName(app_module.APP_DISPLAY_NAME)
window = MainWindow(settings_path=os.environ["STARTUP_SETTINGS"])
window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
t_built = time.time()
out = {}

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and not out:
            out.update(paint=time.time(), start=t_start, qt=t_qt, imported=t_import,
                       built=t_built, heavy_at_import=heavy,
                       loading=window.dataset is None)
            QTimer.singleShot(0, window.close)
        return False

spy = FirstPaint()
qapp.installEventFilter(spy)  # sees paint events of the window and of every child widget
window.show()
qapp.exec()
print(json.dumps(out))
"""


def one_run(env: dict[str, str]) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**env, "STARTUP_SETTINGS": str(Path(tmp) / "settings.ini")}
        t0 = time.time()
        done = subprocess.run(
            [sys.executable, "-c", CHILD],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=CHILD_TIMEOUT_S,
            check=True,
        )
    line = [ln for ln in done.stdout.splitlines() if ln.startswith("{")][-1]
    out = json.loads(line)
    out["launch"] = t0
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    print(
        f"command: QT_QPA_PLATFORM={env['QT_QPA_PLATFORM']} {sys.executable} {' '.join(sys.argv)}"
    )
    one_run(env)  # warm the file cache once; not counted
    runs = []
    for k in range(args.runs):
        r = one_run(env)
        runs.append(r)
        print(
            f"run {k + 1}: first paint {r['paint'] - r['launch']:.3f} s after launch "
            f"(interpreter up {r['start'] - r['launch']:.3f} s, Qt imported "
            f"{r['qt'] - r['launch']:.3f} s, app imported {r['imported'] - r['launch']:.3f} s, "
            f"window built {r['built'] - r['launch']:.3f} s); dataset still loading at "
            f"first paint: {r['loading']} [load {os.getloadavg()[0]:.2f}]"
        )
    median = statistics.median(r["paint"] - r["launch"] for r in runs)
    print(f"heavy modules imported before the window existed: {runs[0]['heavy_at_import']}")
    print(
        f"median process start → first paint: {median:.3f} s over {len(runs)} runs "
        f"(target ≤ {TARGET_S:g} s) {'OK' if median <= TARGET_S else 'MISSED'} "
        f"[load {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores]"
    )


if __name__ == "__main__":
    main()
