"""Peak memory of the real window while it trains on the full MNIST set (target ≤ 400 MiB
with the pixel inputs, ≤ 800 MiB with richer ones).

Shows the window (bundled model, full dataset loaded in the background), then trains SGD
(5 epochs) and L-BFGS-B (default 200 iterations) with live plots, and prints RSS after each
phase and the peak: ``getrusage`` ru_maxrss and /proc/self/status VmHWM (both in MiB).
``--cold-cache`` starts from an empty cache directory, so the window first prepares all
70,000 images (a first-ever start) before training.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/memory.py [--inputs edges] [--cold-cache]
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

import _gui_harness as h

#: Peak RSS budgets (MiB): the pixel inputs, and any richer input map.
TARGET_MIB = {"pixels": 400.0}
TARGET_RICHER_MIB = 800.0
SGD_RUN = {"optimizer": "sgd", "epochs": 5, "augment": "none"}
LBFGS_RUN = {"optimizer": "lbfgs", "max_iter": 200}


def report(phase: str) -> None:
    maxrss, hwm = h.peak_rss_mib()
    print(
        f"{phase}: RSS {h.rss_mib():.0f} MiB, peak so far {maxrss:.0f} MiB (ru_maxrss) / "
        f"{hwm:.0f} MiB (VmHWM) [{h.machine_load()}]"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--augment", default="none", help="augmentation preset for the SGD run (default none)"
    )
    parser.add_argument(
        "--inputs", default="pixels", help="input map of both training runs (default pixels)"
    )
    parser.add_argument(
        "--cold-cache",
        action="store_true",
        help="start with an empty dataset cache (first-ever preparation)",
    )
    args = parser.parse_args()
    print(f"command: {h.command_line()}")
    with tempfile.TemporaryDirectory() as tmp:
        if args.cold_cache:
            os.environ["XDG_CACHE_HOME"] = str(Path(tmp) / "cache")
        h.app()
        report("QApplication")
        window = h.open_window(Path(tmp) / "settings.ini")
        cache = "prepared from scratch" if args.cold_cache else "from the cache"
        report(
            f"window shown, {window.dataset.X_train.shape[0]:,} training images loaded "
            f"({cache}, {window.dataset.X_train.dtype})"
        )
        window.tabs.setCurrentWidget(window.train_tab)
        result = h.train(window, {**SGD_RUN, "augment": args.augment, "inputs": args.inputs})
        report(f"after SGD 5 epochs (test error {result.test_error:.2%})")
        result = h.train(window, {**LBFGS_RUN, "inputs": args.inputs})
        report(
            f"after L-BFGS-B ({len(result.history)} records, test error {result.test_error:.2%})"
        )
        h.close_window(window)
    maxrss, hwm = h.peak_rss_mib()
    target = TARGET_MIB.get(args.inputs, TARGET_RICHER_MIB)
    verdict = "OK" if max(maxrss, hwm) <= target else "MISSED"
    print(
        f"peak RSS: {maxrss:.0f} MiB (ru_maxrss), {hwm:.0f} MiB (VmHWM); "
        f"target ≤ {target:g} MiB {verdict}"
    )


if __name__ == "__main__":
    main()
