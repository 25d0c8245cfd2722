"""Soak test: repeated training runs with live plots in one real window for N minutes.

Alternates SGD (1 epoch) and L-BFGS-B (SOAK_LBFGS_ITER iterations) on the full MNIST set,
Train tab visible, and prints RSS at the start (after one warm-up run of each kind), every
minute and at the end, the runs completed, job failures and error dialogs. Target: no crash,
RSS growth ≤ 50 MB.

    QT_QPA_PLATFORM=offscreen nice -n 10 .venv/bin/python bench/soak.py --minutes 10
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import _gui_harness as h

TARGET_GROWTH_MIB = 50.0
SOAK_SGD = {"optimizer": "sgd", "epochs": 1, "augment": "none"}
SOAK_LBFGS_ITER = 30
SOAK_LBFGS = {"optimizer": "lbfgs", "max_iter": SOAK_LBFGS_ITER}
MINUTE_S = 60.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    args = parser.parse_args()
    print(f"command: {h.command_line()}")
    with tempfile.TemporaryDirectory() as tmp:
        window = h.open_window(Path(tmp) / "settings.ini")
        failures: list[str] = []
        window.jobs.failed.connect(lambda job, msg: failures.append(f"{job}: {msg}"))
        window.tabs.setCurrentWidget(window.train_tab)
        for values in (SOAK_SGD, SOAK_LBFGS):  # warm-up: first-use allocations and caches
            h.train(window, values)
        start_rss = h.rss_mib()
        print(f"start (after warm-up): RSS {start_rss:.0f} MiB [{h.machine_load()}]")
        t0 = time.monotonic()
        next_mark, runs, records = MINUTE_S, 0, 0
        while time.monotonic() - t0 < args.minutes * MINUTE_S:
            result = h.train(window, (SOAK_SGD, SOAK_LBFGS)[runs % 2])
            runs += 1
            records += len(result.history)
            if time.monotonic() - t0 >= next_mark:
                print(
                    f"minute {next_mark / MINUTE_S:.0f}: RSS {h.rss_mib():.0f} MiB, "
                    f"{runs} runs, plot history {len(window.plots.history_labels())} "
                    f"[{h.machine_load()}]",
                    flush=True,
                )
                next_mark += MINUTE_S
        end_rss = h.rss_mib()
        minutes = (time.monotonic() - t0) / MINUTE_S
        h.close_window(window)
    growth = end_rss - start_rss
    print(
        f"end after {minutes:.1f} min: RSS {end_rss:.0f} MiB, growth {growth:+.0f} MiB "
        f"(target ≤ {TARGET_GROWTH_MIB:g}) {'OK' if growth <= TARGET_GROWTH_MIB else 'MISSED'}; "
        f"{runs} runs, {records} progress records; crashes 0, job failures {len(failures)}, "
        f"error dialogs {len(h.DIALOGS)} [{h.machine_load()}]"
    )
    for line in failures + [f"{t}: {m}" for t, m in h.DIALOGS]:
        print(f"  {line}")


if __name__ == "__main__":
    main()
