"""Samples that contradict each other: the same model input taught as different digits.

A plain comparison of the 28×28 inputs the model saw (the drawing itself may differ by a
pixel the preprocessing does not keep). Kept to one function so an engine helper can take
its place.
"""

from __future__ import annotations

import engine


def conflicting_labels(samples: engine.PersonalSamples) -> dict[int, list[int]]:
    """For each sample whose exact model input was also taught as another digit: its index
    mapped to those other digits (sorted). Empty when the samples agree."""
    labels_of: dict[bytes, set[int]] = {}
    keys = [x.tobytes() for x in samples.X]
    for key, label in zip(keys, samples.y.tolist(), strict=True):
        labels_of.setdefault(key, set()).add(int(label))
    return {
        index: sorted(labels_of[key] - {int(label)})
        for index, (key, label) in enumerate(zip(keys, samples.y.tolist(), strict=True))
        if len(labels_of[key]) > 1
    }
