"""The training plots in words, for a screen reader: the latest cost and errors of the run on
show, and how many earlier runs are drawn with it."""

from __future__ import annotations

import math

from PySide6.QtCore import QCoreApplication


def _earlier(n: int) -> str:
    if n == 0:
        return ""
    if n == 1:
        return QCoreApplication.translate("plot_describe", "1 earlier run is drawn faintly.")
    return QCoreApplication.translate(
        "plot_describe", "{n} earlier runs are drawn faintly."
    ).format(n=n)


def _join(first: str, second: str) -> str:
    if not second:
        return first
    return QCoreApplication.translate("plot_describe", "{first} {second}").format(
        first=first, second=second
    )


def _figure(value: float, spec: str) -> str:
    return "–" if math.isnan(value) else format(value, spec)


def describe_plots(
    number: int | None, data: dict[str, list[float]] | None, n_earlier: int, x_label: str
) -> tuple[str, str]:
    """The cost plot's and the error plot's descriptions: run ``number``'s latest figures in
    ``data`` (keys as :data:`~softmax_gui.train.plot_data.SERIES_KEYS`, errors in %; None: no
    run), the number of earlier runs shown, and what the x axis counts (``x_label``)."""
    earlier = _earlier(n_earlier)
    if number is None or data is None:
        empty = QCoreApplication.translate("plot_describe", "No run yet.")
        return _join(empty, earlier), _join(empty, earlier)
    if not data["cost"]:
        waiting = QCoreApplication.translate("plot_describe", "Run {run}: no figures yet.").format(
            run=number
        )
        return _join(waiting, earlier), _join(waiting, earlier)
    step = f"{int(data['step'][-1]):,}"
    cost = QCoreApplication.translate(
        "plot_describe", "Run {run}: cost {cost} at iteration {step} (x axis: {axis})."
    ).format(run=number, cost=_figure(data["cost"][-1], ".4f"), step=step, axis=x_label)
    error = QCoreApplication.translate(
        "plot_describe",
        "Run {run}: test error {test}%, train error {train}% at iteration {step} "
        "(dashed: train, solid: test).",
    ).format(
        run=number,
        test=_figure(data["test"][-1], ".2f"),
        train=_figure(data["train"][-1], ".2f"),
        step=step,
    )
    return _join(cost, earlier), _join(error, earlier)
