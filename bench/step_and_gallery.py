"""Figures for the Train tab's Step, the Evaluate tab's gallery and the weight templates.

Prints:
- the time of one step by hand (batch, ``engine.explain_step``, test error after it) for
  batches of 1, 100 and 1,000, with the shipped model on the full MNIST;
- how long the gallery of mistakes takes to show every mistake of the shipped model and of
  the same model with its weights negated (about 10,000 mistakes), the longest pass of the
  event loop while it fills, and how many thumbnails were drawn;
- how speckled the templates of L-BFGS-B and SGD are: roughness = mean |difference of
  neighbouring pixels| / mean |weight| over the ten templates, the largest |W|, and the share
  of squared weight on pixels inked in under 1% of the training images.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/step_and_gallery.py
"""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np
from PySide6.QtWidgets import QApplication

import engine
from softmax_gui.checks import evaluation_panel
from softmax_gui.checks.gallery import GalleryData
from softmax_gui.train.stepping import Stepping, take_step

REPEATS = 10
PANEL_SIZE = (1200, 800)


def step_times(data: engine.Dataset, model: engine.SoftmaxModel) -> None:
    for batch in (1, 100, 1000):
        run = Stepping(1, "bench", (0.1, batch, 1e-4, 0), model, np.random.default_rng(0))
        take_step(model, data, run)  # warm-up
        times = []
        for _ in range(REPEATS):
            start = time.perf_counter()
            take_step(model, data, run)
            times.append(time.perf_counter() - start)
        print(f"step by hand, batch {batch:,}: median {np.median(times) * 1000:.0f} ms")


def gallery_times(app: QApplication, data: engine.Dataset, shipped: engine.SoftmaxModel) -> None:
    drawn: list[int] = []
    icon = GalleryData.icon
    GalleryData.icon = lambda self, i: drawn.append(i) or icon(self, i)  # type: ignore[method-assign]
    for name, model in (("shipped", shipped), ("negated", replace(shipped, W=-shipped.W))):
        report = evaluation_panel.evaluate(model, data)
        wrong = int(np.count_nonzero(report.evaluation.y_true != report.evaluation.y_pred))
        drawn.clear()
        panel = evaluation_panel.EvaluationPanel()
        panel.resize(*PANEL_SIZE)
        panel.show()
        app.processEvents()
        start = time.perf_counter()
        panel.show_evaluation(report, data.X_test, name)
        passes = [time.perf_counter() - start]
        while panel.filling:
            t = time.perf_counter()
            app.processEvents()
            passes.append(time.perf_counter() - t)
        panel.grab()
        total = time.perf_counter() - start
        print(
            f"gallery, {name} model: {wrong:,} mistakes shown in {total * 1000:.0f} ms, longest "
            f"pass {max(passes) * 1000:.0f} ms, {len(drawn)} thumbnails asked for"
        )
        panel.close()
        panel.deleteLater()
    GalleryData.icon = icon  # type: ignore[method-assign]


def roughness(W: np.ndarray) -> float:
    T = W.T.reshape(engine.N_CLASSES, engine.MNIST_SIDE, engine.MNIST_SIDE)
    dx = np.abs(np.diff(T, axis=2)).mean()
    dy = np.abs(np.diff(T, axis=1)).mean()
    return float((dx + dy) / 2 / np.abs(T).mean())


def template_roughness() -> None:
    data = engine.load_mnist(train_dtype=np.uint8)
    rare = (np.asarray(data.X_train) > 0).mean(axis=0) < 0.01
    for label, config in (
        ("L-BFGS-B, L2 1e-4 (default)", engine.TrainConfig()),
        ("L-BFGS-B, L2 1e-2", engine.TrainConfig(l2=1e-2)),
        ("SGD, defaults", engine.TrainConfig(optimizer="sgd")),
    ):
        result = engine.run_to_end(engine.train(data, config))
        W = result.model.W
        share = (W[rare] ** 2).sum() / (W**2).sum()
        print(
            f"{label}: roughness {roughness(W):.2f}, max |W| {np.abs(W).max():.2f}, "
            f"rare-pixel share {share:.1%}, test error {result.test_error:.2%}, "
            f"{result.iterations:,} iterations"
        )


def main() -> None:
    app = QApplication([])
    data = engine.load_mnist()
    shipped = engine.load_model(engine.DEFAULT_MODEL_PATH)
    step_times(data, shipped)
    gallery_times(app, data, shipped)
    template_roughness()


if __name__ == "__main__":
    main()
