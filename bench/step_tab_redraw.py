"""How long the "Inside one step" tab takes to show a new record: ``engine.explain_step``
plus every view (grids, matrices, gradient images, their accessible descriptions), for one
test image and for a mini-batch of 100, at 1280×760.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/step_tab_redraw.py [MODEL]
"""

from __future__ import annotations

import sys
import time

import numpy as np
from PySide6.QtWidgets import QApplication

import engine
from softmax_gui.step.source import Source
from softmax_gui.step.tab import StepTab

REPEATS = 40


def main() -> None:
    app = QApplication(sys.argv[:1])
    model_path = sys.argv[1] if len(sys.argv) > 1 else "tests/pixel_model.npz"
    tab = StepTab(drawing=lambda: None)
    tab.set_model(engine.load_model(model_path))
    tab.set_dataset(engine.load_mnist())
    tab.resize(1280, 760)
    tab.show()
    for source, m in ((Source.TEST_IMAGE, 1), (Source.BATCH, 100)):
        tab.picker.set_source(source)
        if m > 1:
            tab.picker.batch_size.setValue(m)
        app.processEvents()
        times = []
        for k in range(REPEATS):
            start = time.perf_counter()
            tab.view.example.setValue(k % m)
            tab.refresh()
            app.processEvents()
            times.append(time.perf_counter() - start)
        ms = 1000 * np.array(times)
        p50, p95 = np.percentile(ms, [50, 95])
        print(f"{source.name} m={m}: median {p50:.1f} ms, p95 {p95:.1f} ms")
    tab.close()
    tab.deleteLater()
    app.processEvents()


if __name__ == "__main__":
    main()
