"""One person's corrected drawings: what the model saw, the label they gave, and the drawing.

A :class:`PersonalSamples` is an immutable value (its arrays are read-only copies); ``add``,
``remove`` and ``relabel`` return a new one. Files are plain ``.npz`` archives (no pickle),
written atomically and validated on load:

=========================  =================================  ================================
key                        shape, dtype                       meaning
=========================  =================================  ================================
``X``                      (n, 784) float32 in [0, 1]         model inputs as
                                                              ``preprocess_canvas`` made them
``y``                      (n,) int64 in 0-9                  the labels the user gave
``drawings``               (n, 280, 280) uint8                the drawings, 0 page, 255 ink
``preprocessing_version``  () int                             the version ``X`` was made for
``format``                 () int                             :data:`SAMPLES_FORMAT`
=========================  =================================  ================================

``n = 0`` is a valid file (a user who deleted every sample).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from engine.constants import MNIST_SIDE, N_CLASSES, N_FEATURES
from engine.data.npz_io import read_npz_checked, write_npz_atomic
from engine.data.validation import MAX_SAMPLES, check_label, check_samples, is_integer
from engine.greyscale import to_grey_levels
from engine.handwriting.preprocessing import _as_unit_float, preprocess_canvas, resample_axis0
from engine.handwriting.versions import SUPPORTED_PREPROCESSING_VERSIONS
from engine.personal.corrections import latest_samples
from engine.personal.evaluation import PersonalReport, evaluate_personal

__all__ = [
    "DRAWING_SIDE",
    "SAMPLES_FORMAT",
    "PersonalReport",
    "PersonalSamples",
    "as_drawing",
    "evaluate_personal",
    "load_samples",
    "save_samples",
]

#: Drawings are stored at the canvas page's resolution (uint8, ink bright).
DRAWING_SIDE = 280
#: Version of the samples file layout; a file of another format is refused.
SAMPLES_FORMAT = 1
KEYS = ("format", "preprocessing_version", "X", "y", "drawings")
#: Bounds a file's size and each uncompressed member (10,000 drawings are 784 MB).
MAX_SAMPLES_BYTES = MAX_SAMPLES * (DRAWING_SIDE * DRAWING_SIDE + 4 * N_FEATURES + 8) + (1 << 20)


@dataclass(frozen=True, eq=False)
class PersonalSamples:
    """A person's labelled drawings.

    Attributes
    ----------
    X : (n, 784) float32 in [0, 1], model inputs exactly as ``preprocess_canvas`` made them
        for ``preprocessing_version`` (flattened).
    y : (n,) int64 labels in 0-9.
    drawings : (n, DRAWING_SIDE, DRAWING_SIDE) uint8 drawings, 0 background, 255 ink.
    preprocessing_version : the preprocessing ``X`` was made with.

    Raises
    ------
    ValueError
        On construction, for arrays of the wrong shapes, dtypes or lengths, values outside
        [0, 1], labels outside 0-9, or an unknown preprocessing version.
    """

    X: np.ndarray
    y: np.ndarray
    drawings: np.ndarray
    preprocessing_version: int

    def __post_init__(self) -> None:
        version = self.preprocessing_version
        if not is_integer(version) or version not in SUPPORTED_PREPROCESSING_VERSIONS:
            raise ValueError(
                f"preprocessing_version must be one of "
                f"{sorted(SUPPORTED_PREPROCESSING_VERSIONS)}, got {version!r}"
            )
        X, y = _check_rows(self.X, self.y)
        drawings = np.asarray(self.drawings)
        expected = (X.shape[0], DRAWING_SIDE, DRAWING_SIDE)
        if drawings.shape != expected or drawings.dtype != np.uint8:
            raise ValueError(
                f"drawings must be {expected} uint8, got shape {drawings.shape} "
                f"dtype {drawings.dtype}"
            )
        for name, value in (("X", X), ("y", y), ("drawings", drawings)):
            value = np.array(value, order="C")  # our own copy, shared read-only
            value.flags.writeable = False
            object.__setattr__(self, name, value)
        object.__setattr__(self, "preprocessing_version", int(version))

    @classmethod
    def empty(cls, preprocessing_version: int) -> PersonalSamples:
        """No samples yet, for models of ``preprocessing_version``."""
        return cls(
            np.zeros((0, N_FEATURES), np.float32),
            np.zeros(0, np.int64),
            np.zeros((0, DRAWING_SIDE, DRAWING_SIDE), np.uint8),
            preprocessing_version,
        )

    def __len__(self) -> int:
        return int(self.y.shape[0])

    def conflicts(self) -> list[tuple[int, ...]]:
        """Per drawing taught more than one digit, the indices of its samples in order (the
        last one's label is what :func:`engine.adapt` learns); empty when they agree."""
        return latest_samples(self.X, self.y)[1]

    def add(self, x: Any, label: int, drawing: Any) -> PersonalSamples:
        """A copy with one more sample.

        Parameters
        ----------
        x : (784,) or (28, 28) model input, as ``preprocess_canvas(drawing, version)`` made it.
        label : the digit it is, 0-9.
        drawing : (H, W) ink-bright canvas (uint8 0-255 or float 0-1), reduced with
            :func:`as_drawing`.

        Raises
        ------
        ValueError
            For ``x`` None (nothing drawn) or of another shape or range, a label that is not
            an integer in 0-9, or a drawing :func:`as_drawing` refuses.
        """
        if x is None:
            raise ValueError("x is None (nothing drawn): there is no sample to add")
        x = np.asarray(x)
        if x.shape not in ((N_FEATURES,), (MNIST_SIDE, MNIST_SIDE)):
            raise ValueError(
                f"x must be ({N_FEATURES},) or ({MNIST_SIDE}, {MNIST_SIDE}), got shape {x.shape}"
            )
        label = check_label(label)
        return PersonalSamples(
            np.concatenate([self.X, x.reshape(1, N_FEATURES).astype(np.float32)]),
            np.append(self.y, label),
            np.concatenate([self.drawings, as_drawing(drawing)[None]]),
            self.preprocessing_version,
        )

    def remove(self, index: int) -> PersonalSamples:
        """A copy without sample ``index`` (0 to n - 1)."""
        keep = np.arange(len(self)) != self._check_index(index)
        return PersonalSamples(
            self.X[keep], self.y[keep], self.drawings[keep], self.preprocessing_version
        )

    def relabel(self, index: int, label: int) -> PersonalSamples:
        """A copy where sample ``index`` (0 to n - 1) has ``label`` (0-9)."""
        index, label = self._check_index(index), check_label(label)
        y = self.y.copy()
        y[index] = label
        return PersonalSamples(self.X, y, self.drawings, self.preprocessing_version)

    def counts(self, n_classes: int = N_CLASSES) -> np.ndarray:
        """Samples of each class, (n_classes,) int64."""
        if not is_integer(n_classes) or n_classes < 1:
            raise ValueError(f"n_classes must be a positive integer, got {n_classes!r}")
        if len(self) and int(self.y.max()) >= n_classes:
            raise ValueError(f"samples hold label {int(self.y.max())}, outside 0-{n_classes - 1}")
        return np.bincount(self.y, minlength=n_classes).astype(np.int64)

    def for_version(self, version: int) -> PersonalSamples:
        """The samples for a model of preprocessing ``version``: ``self`` when it is the same,
        else ``X`` remade from the stored drawings with ``preprocess_canvas``.

        Raises
        ------
        ValueError
            For an unknown version, or a stored drawing with no ink left to preprocess.
        """
        if version not in SUPPORTED_PREPROCESSING_VERSIONS:
            raise ValueError(
                f"version must be one of {sorted(SUPPORTED_PREPROCESSING_VERSIONS)},"
                f" got {version!r}"
            )
        if version == self.preprocessing_version:
            return self
        X = np.zeros((len(self), N_FEATURES), dtype=np.float32)
        for i, drawing in enumerate(self.drawings):
            image = preprocess_canvas(drawing, version)
            if image is None:
                raise ValueError(f"sample {i}: its drawing has no ink to preprocess")
            X[i] = image.ravel()
        return PersonalSamples(X, self.y, self.drawings, version)

    def _check_index(self, index: int) -> int:
        if not is_integer(index) or not 0 <= index < len(self):
            raise ValueError(
                f"index must be an integer in 0-{len(self) - 1}, got {index!r}"
                if len(self)
                else f"no samples to index (got {index!r})"
            )
        return int(index)


def as_drawing(ink: Any) -> np.ndarray:
    """Reduce an ink-bright canvas to the stored drawing size.

    A non-square canvas is padded (centred) to a square first, so the digit keeps its shape;
    the square is then area-averaged (or, if smaller, interpolated) to DRAWING_SIDE.

    Parameters
    ----------
    ink : (H, W) ink-bright canvas, uint8 or integer 0-255 or float 0-1 (e.g. the canvas's
        560 x 560 ink).

    Returns
    -------
    (DRAWING_SIDE, DRAWING_SIDE) uint8, 0 background, 255 ink; a new array.

    Raises
    ------
    ValueError
        For a canvas that is not 2-D, is empty, is not numeric, or holds values outside its
        dtype's range (the same rules as ``preprocess_canvas``).
    """
    ink = np.asarray(ink)
    if ink.shape == (DRAWING_SIDE, DRAWING_SIDE) and ink.dtype == np.uint8:
        return ink.copy()
    a = _as_unit_float(ink)
    h, w = a.shape
    side = max(h, w)
    square = np.zeros((side, side), dtype=np.float32)
    top, left = (side - h) // 2, (side - w) // 2
    square[top : top + h, left : left + w] = a
    small = resample_axis0(resample_axis0(square, DRAWING_SIDE).T, DRAWING_SIDE).T
    return to_grey_levels(small)


def save_samples(samples: PersonalSamples, path: str | os.PathLike) -> Path:
    """Write ``samples`` to ``path`` atomically (compressed ``.npz``, no pickle).

    Returns the path. An interrupted save leaves any previous file intact.

    Raises
    ------
    ValueError
        For something that is not a :class:`PersonalSamples`, or a folder that does not exist.
    """
    if not isinstance(samples, PersonalSamples):
        raise ValueError(f"samples must be engine.PersonalSamples, got {type(samples).__name__}")
    arrays = {
        "format": np.array(SAMPLES_FORMAT, dtype=np.int64),
        "preprocessing_version": np.array(samples.preprocessing_version, dtype=np.int64),
        "X": samples.X,
        "y": samples.y,
        "drawings": samples.drawings,
    }
    return write_npz_atomic(path, arrays, compressed=True)


def load_samples(path: str | os.PathLike) -> PersonalSamples:
    """Load and validate a samples file written by :func:`save_samples`.

    Each array's header is checked before its data is read; pickled objects are never loaded.

    Raises
    ------
    ValueError
        Starting with the file's path: not an npz archive, missing or extra keys, object
        arrays, wrong shapes, dtypes or lengths, non-finite values or values outside [0, 1],
        labels outside 0-9, another samples format, or an unknown preprocessing version.
    """
    path = Path(path)
    a = read_npz_checked(
        path, KEYS, _check_header, max_bytes=MAX_SAMPLES_BYTES, kind="samples file"
    )
    if int(a["format"]) != SAMPLES_FORMAT:
        raise ValueError(
            f"{path}: samples format {int(a['format'])}; this program reads format {SAMPLES_FORMAT}"
        )
    version = int(a["preprocessing_version"])
    if version not in SUPPORTED_PREPROCESSING_VERSIONS:
        raise ValueError(
            f"{path}: samples made for preprocessing version {version}, but this "
            f"program knows {sorted(SUPPORTED_PREPROCESSING_VERSIONS)}"
        )
    try:
        return PersonalSamples(a["X"], a["y"], a["drawings"], version)
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from None


def _check_rows(X: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim == 2 and X.shape[0] == 0 and y.shape == (0,):  # check_samples refuses n = 0
        if X.shape[1] != N_FEATURES or X.dtype.kind not in "fiu" or y.dtype.kind not in "iu":
            raise ValueError(
                f"X must be (n, {N_FEATURES}) and y integer labels, got shapes "
                f"{X.shape} and {y.shape} dtype {y.dtype}"
            )
        return X.astype(np.float32), y.astype(np.int64)
    return check_samples(X, y, N_FEATURES, N_CLASSES)


def _check_header(key: str, shape: tuple[int, ...], dtype: np.dtype) -> None:
    """Refuse, before reading data, anything that is not the array ``key`` should be."""
    if key in ("format", "preprocessing_version"):
        if shape != () or dtype.kind not in "iu":
            raise ValueError(f"{key} must be one integer, got shape {shape} dtype {dtype}")
        return
    tail, kinds, wanted = {
        "X": ((N_FEATURES,), "f", "float32"),
        "y": ((), "iu", "integer"),
        "drawings": ((DRAWING_SIDE, DRAWING_SIDE), "u", "uint8"),
    }[key]
    ok_dtype = dtype.kind in kinds and (key == "y" or dtype == np.dtype(wanted))
    if len(shape) != 1 + len(tail) or tuple(shape[1:]) != tail or not ok_dtype:
        dims = ", ".join(["n", *map(str, tail)]) + ("," if not tail else "")
        raise ValueError(f"{key} must be ({dims}) {wanted}, got shape {shape} dtype {dtype}")
    if shape[0] > MAX_SAMPLES:
        raise ValueError(f"{key} declares {shape[0]} samples; at most {MAX_SAMPLES} are supported")
