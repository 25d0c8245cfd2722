"""Undo for deleted samples: each delete remembers the rows it removed and where they were,
so undoing puts them back in place even if samples were taught since (plain arrays, no
model maths)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

import engine

#: Deletes that can be undone, newest first out.
UNDO_DEPTH = 20


@dataclass(frozen=True)
class _Deleted:
    indices: list[int]  # where the rows were, ascending
    X: np.ndarray  # (k, 784)
    y: np.ndarray  # (k,)
    drawings: np.ndarray  # (k, side, side)
    preprocessing_version: int


class DeleteUndo:
    """A short stack of deletes."""

    def __init__(self) -> None:
        self._stack: list[_Deleted] = []

    def can_undo(self) -> bool:
        """Whether a delete is left to undo."""
        return bool(self._stack)

    def delete(self, samples: engine.PersonalSamples, indices: list[int]) -> engine.PersonalSamples:
        """``samples`` without the rows ``indices`` (ascending), remembered for :meth:`pop`."""
        rows = np.asarray(indices, dtype=np.int64)
        self._stack.append(
            _Deleted(
                list(indices),
                samples.X[rows],
                samples.y[rows],
                samples.drawings[rows],
                samples.preprocessing_version,
            )
        )
        del self._stack[:-UNDO_DEPTH]
        for index in reversed(indices):
            samples = samples.remove(index)
        return samples

    def pop(self, samples: engine.PersonalSamples) -> tuple[engine.PersonalSamples, int] | None:
        """``samples`` with the last deleted rows put back, and how many; None if nothing
        is left (or the samples were remade for another preprocessing since)."""
        if not self._stack:
            return None
        gone = self._stack.pop()
        if gone.preprocessing_version != samples.preprocessing_version:
            return None
        X, y, drawings = samples.X, samples.y, samples.drawings
        for row, index in enumerate(gone.indices):  # ascending: earlier rows are back first
            at = min(index, y.size)
            X = np.insert(X, at, gone.X[row], axis=0)
            y = np.insert(y, at, gone.y[row])
            drawings = np.insert(drawings, at, gone.drawings[row], axis=0)
        restored = engine.PersonalSamples(X, y, drawings, samples.preprocessing_version)
        return restored, len(gone.indices)
