"""What one read of the Draw tab costs for models of each input map: preprocessing the
canvas, the probabilities, the pixel evidence and (for a mapped model) the score by part,
as ``DrawPanel`` does it after a stroke, with NumPy's BLAS on its default threads and on one.

Prints p50/p95 over ``--reads`` reads of a test 7 on the canvas, with the command and the
machine load.
Train small mapped models to compare with (10,000 images, 100 L-BFGS-B iterations) by
``--train edges edges+random``; they are saved next to ``--out``.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/draw_read.py resources/model.npz \\
        --train edges edges+random
"""

from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import _gui_harness as h
import numpy as np

import engine
from engine.training.blas import blas_controller, blas_single_threaded
from softmax_gui.draw.panel import DrawPanel

TRAIN_IMAGES = 10_000
QUICK = engine.TrainConfig(optimizer="lbfgs", max_iter=100)


def quick_models(names: list[str], out: Path) -> list[Path]:
    data = engine.load_mnist()
    data = replace(data, X_train=data.X_train[:TRAIN_IMAGES], y_train=data.y_train[:TRAIN_IMAGES])
    paths = []
    for name in names:
        model = engine.run_to_end(engine.train(data, replace(QUICK, inputs=name))).model
        path = out / f"{name}.npz"
        engine.save_model(model, path)
        paths.append(path)
    return paths


def read_times(panel: DrawPanel, reads: int, one_thread: bool) -> list[float]:
    times = []
    for _ in range(reads):
        start = time.perf_counter()
        if one_thread:
            with blas_single_threaded(blas_controller()):
                panel._update_prediction()
        else:
            panel._update_prediction()
        times.append(1e3 * (time.perf_counter() - start))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="*", type=Path, help="model files (.npz)")
    parser.add_argument("--train", nargs="*", default=[], help="input maps to train quickly")
    parser.add_argument("--out", type=Path, default=Path(tempfile.mkdtemp()))
    parser.add_argument("--reads", type=int, default=300)
    args = parser.parse_args()
    print(h.command_line())
    paths = list(args.models) + quick_models(args.train, args.out)
    app = h.app()
    test = engine.load_mnist()
    seven = test.X_test[int(np.flatnonzero(test.y_test == 7)[0])].reshape(28, 28)
    for path in paths:
        model = engine.load_model(path)
        panel = DrawPanel()
        panel.resize(1000, 700)
        panel.show()
        panel.set_model(model)
        # a test 7 as an opened image: each read preprocesses the canvas, as a drawing's does
        panel.canvas.set_image(engine.to_grey_levels(seven), smooth=True, text="bench")
        app.processEvents()
        for one_thread in (False, True):
            t = read_times(panel, args.reads, one_thread)
            print(
                f"{path.name:18s} {model.input_map.name:13s} BLAS "
                f"{'1 thread ' if one_thread else 'default  '} read p50 "
                f"{np.percentile(t, 50):6.2f} ms  p95 {np.percentile(t, 95):6.2f} ms"
            )
        panel.close()
    print(h.machine_load())


if __name__ == "__main__":
    main()
