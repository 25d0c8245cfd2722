"""The :class:`Dataset` record: a training and a test split (optionally a validation split)
of flattened images with integer labels, checked when made. Loading one from IDX files is
:func:`engine.data.datasets.load_mnist`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.data.validation import check_split


@dataclass(frozen=True)
class Dataset:
    """Float32 images in [0, 1], shaped (n, rows * cols), with integer labels.

    ``X_train`` (and ``X_val``) may instead hold the images' uint8 grey levels, ``X * 255``
    (``load_mnist(train_dtype=np.uint8)``): a quarter of the memory, and
    :func:`engine.train` converts them a batch at a time. ``X_test`` is always float32.
    ``X_val``/``y_val`` hold a validation split carved from the training set, when asked for.
    ``preprocessing_version`` says which dataset-side preprocessing the images went through
    (:func:`engine.handwriting.preprocessing.prepare_images`); models trained on them record it.

    Classes are numbered ``0 … n_classes - 1``; the training set must hold at least two of
    them. The test set may be empty (0 rows): its error is then NaN. Every array is checked
    when the dataset is made (:mod:`engine.data.validation`); bad ones raise a ``ValueError``
    naming the array and the problem.
    """

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    X_val: np.ndarray | None = None
    y_val: np.ndarray | None = None
    name: str = "MNIST"
    image_shape: tuple[int, int] = (28, 28)
    preprocessing_version: int = 1
    #: Names of classes 0, 1, …; empty: the class numbers.
    class_names: tuple[str, ...] = ()
    #: What the images are, for messages ("handwritten digits", "clothing images").
    subject: str = "handwritten digits"
    #: Whether the canvas's digit preprocessing fits these images.
    digits: bool = True
    #: Problems found while loading that did not stop it (e.g. a malformed classes.txt).
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        check_split(self.X_train, self.y_train, "train")
        check_split(self.X_test, self.y_test, "test", allow_empty=True)
        splits = [("train", self.X_train), ("test", self.X_test)]
        if (self.X_val is None) != (self.y_val is None):
            raise ValueError("X_val and y_val must be given together")
        if self.X_val is not None:
            check_split(self.X_val, self.y_val, "val", allow_empty=True)
            splits.append(("val", self.X_val))
        d = self.X_train.shape[1]
        for split, X in splits[1:]:
            if X.shape[1] != d:
                raise ValueError(f"X_{split} has {X.shape[1]} features but X_train has {d}")
        if self.class_names and len(self.class_names) < self.n_classes:
            raise ValueError(
                f"class_names holds {len(self.class_names)} names for {self.n_classes} classes"
            )
        if np.unique(self.y_train).size < 2:
            raise ValueError(
                f"y_train holds a single class ({int(self.y_train[0])}); "
                "training needs at least two"
            )

    @property
    def names(self) -> tuple[str, ...]:
        """The name of each class: ``class_names``, or the class numbers."""
        return self.class_names or tuple(str(k) for k in range(self.n_classes))

    @property
    def n_classes(self) -> int:
        """Classes the model gets: one more than the largest label in any split."""
        labels = [self.y_train, self.y_test] + ([self.y_val] if self.y_val is not None else [])
        return 1 + max(int(y.max()) for y in labels if y.size)
