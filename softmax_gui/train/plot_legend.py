"""The training plots' legend: one row a run, kept in step with the runs on show."""

from __future__ import annotations

import pyqtgraph as pg

#: Legend entries that fit one column; more take two.
LEGEND_ROWS = 5


def sync_legend(legend: pg.LegendItem, entries: list[tuple[pg.PlotDataItem, str]]) -> None:
    """Make ``legend``'s rows show ``entries`` (a curve and its label each), in order.

    Rows are added or removed only when their number changes; otherwise each row is
    pointed at its run's curve and relabelled (a new row re-lays out the whole legend).
    Past :data:`LEGEND_ROWS` entries the legend takes two columns, so a full history
    still fits a short plot.
    """
    columns = 1 if len(entries) <= LEGEND_ROWS else 2
    if legend.columnCount != columns:
        legend.setColumnCount(columns)
    rows = legend.items
    while len(rows) > len(entries):
        legend.removeItem(rows[-1][0].item)
    for (sample, label), (curve, text) in zip(rows, entries, strict=False):
        sample.item = curve
        sample.update()  # the curve's pen may be new
        if label.text != text:
            label.setText(text)
    for curve, text in entries[len(rows) :]:
        legend.addItem(curve, text)
    legend.updateSize()
