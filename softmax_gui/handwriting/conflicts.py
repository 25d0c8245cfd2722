"""Samples that contradict each other: the same model input taught as different digits
(found by :meth:`engine.PersonalSamples.conflicts`, the rule :func:`engine.adapt` follows)."""

from __future__ import annotations

import engine


def conflicting_labels(samples: engine.PersonalSamples) -> dict[int, list[int]]:
    """For each sample whose exact model input was also taught as another digit: its index
    mapped to those other digits (sorted). Empty when the samples agree."""
    labels = samples.y.tolist()
    others: dict[int, list[int]] = {}
    for group in samples.conflicts():
        taught = {int(labels[i]) for i in group}
        for i in group:
            others[i] = sorted(taught - {int(labels[i])})
    return others
