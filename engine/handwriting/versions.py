"""Preprocessing versions: what each one is, which one a dataset gets, and whether two fit.

A model records the preprocessing version its training images went through
(``SoftmaxModel.preprocessing_version``), and reads only images prepared the same way:
canvas drawings through :func:`engine.handwriting.preprocessing.preprocess_canvas`,
dataset images through :func:`engine.handwriting.preprocessing.prepare_images`. This module
is the one place that names the versions and decides between them; the steps themselves
are in :mod:`engine.handwriting.preprocessing`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from engine.data.dataset_kinds import KNOWN_KINDS


@dataclass(frozen=True)
class PreprocessingVersion:
    """One preprocessing version: what the app calls it and what it does.

    ``digits_only`` marks versions whose steps (deskewing, stroke redrawing) assume
    handwritten digits; they are not offered for a dataset recognised as something else.
    """

    name: str
    description: str
    digits_only: bool


#: Every preprocessing version, by number (the number a model file stores).
PREPROCESSING_VERSIONS: dict[int, PreprocessingVersion] = {
    1: PreprocessingVersion(
        "as published",
        "dataset images as published; a drawing is cropped, scaled into a 20-px box and "
        "centred by its mass, the way MNIST was made",
        digits_only=False,
    ),
    2: PreprocessingVersion(
        "centred (v2)",
        "version 1, with drawings' strokes normalised to MNIST's width, and drawings and "
        "dataset images deskewed alike",
        digits_only=True,
    ),
    3: PreprocessingVersion(
        "digit pipeline",
        "drawings and dataset images through one renderer: strokes redrawn at one bold "
        "width, sized by the spread of their ink, centred and deskewed",
        digits_only=True,
    ),
}
#: Images as the dataset publishes them (what any dataset but handwritten digits gets).
AS_PUBLISHED = 1
#: The digit pipeline: what handwritten digits get when no model asks for another version.
PREPROCESSING_VERSION = 3
SUPPORTED_PREPROCESSING_VERSIONS = frozenset(PREPROCESSING_VERSIONS)


class Prepared(Protocol):
    """Anything that says which preprocessing its images went through (or expects)."""

    @property
    def preprocessing_version(self) -> int: ...


class PreparedDataset(Prepared, Protocol):
    """A dataset's name, whether it holds handwritten digits, and its version."""

    @property
    def name(self) -> str: ...

    @property
    def digits(self) -> bool: ...


def check_version(version: int) -> None:
    """Raise a ValueError unless ``version`` is a known preprocessing version."""
    if version not in SUPPORTED_PREPROCESSING_VERSIONS:
        raise ValueError(
            f"unknown preprocessing version {version}; "
            f"known: {sorted(SUPPORTED_PREPROCESSING_VERSIONS)}"
        )


def describe_version(version: int) -> str:
    """What a version is called, with its number, e.g. ``"digit pipeline (3)"``."""
    known = PREPROCESSING_VERSIONS.get(version)
    return f"{known.name if known else 'version'} ({version})"


def preprocessing_for(digits: bool, chosen: int | None = None, expected: int | None = None) -> int:
    """The preprocessing version a dataset is prepared with.

    Parameters
    ----------
    digits : whether the dataset holds handwritten digits (``DatasetKind.digits``).
    chosen : the version the user asked for, which always wins; None for automatic.
    expected : the version the current model expects; None when there is no model.

    Returns
    -------
    ``chosen`` if given; otherwise, for handwritten digits, ``expected`` (the digit
    pipeline, :data:`PREPROCESSING_VERSION`, when None), and for anything else the
    images as published (:data:`AS_PUBLISHED`).

    Raises
    ------
    ValueError
        For a ``chosen`` or ``expected`` version that does not exist.
    """
    if chosen is not None:
        check_version(chosen)
        return chosen
    if not digits:
        return AS_PUBLISHED
    if expected is None:
        return PREPROCESSING_VERSION
    check_version(expected)
    return expected


def same_preprocessing(a: Prepared, b: Prepared) -> bool:
    """Whether ``a`` and ``b`` (a model, a dataset, personal samples) use one version:
    a model fits a dataset, or samples, exactly when this holds."""
    return a.preprocessing_version == b.preprocessing_version


def needs_new_preparation(data: PreparedDataset, model: Prepared, chosen: int | None) -> bool:
    """Whether ``data`` should be prepared afresh now that ``model`` is the current model:
    the user left the choice automatic (``chosen`` None) and the automatic choice for
    ``model`` is not the version ``data`` went through."""
    if chosen is not None:
        return False
    wanted = preprocessing_for(data.digits, expected=model.preprocessing_version)
    return wanted != data.preprocessing_version


def digit_pipeline_fits(data: PreparedDataset) -> bool:
    """Whether the digit-only versions may be offered for ``data``: False only for a dataset
    recognised as something other than handwritten digits (Fashion-MNIST, KMNIST); an
    unknown folder may hold digits."""
    other = {kind.name for kind in KNOWN_KINDS if not kind.digits}
    return data.digits or data.name not in other
