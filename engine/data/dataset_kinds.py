"""What an IDX folder holds: known datasets recognised by their contents, and class names.

A folder is recognised from its test-label file (the SHA-256 of the file as published, or
of its decompressed bytes) or, for EMNIST digits, from its split sizes. A ``classes.txt``
in the folder (UTF-8, one name a line, one line per class) overrides the names.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from engine.constants import N_CLASSES

CLASSES_FILE = "classes.txt"
#: Largest classes.txt read (ten names need a few hundred bytes).
MAX_CLASSES_FILE_BYTES = 64 * 1024
#: Longest class name shown.
MAX_CLASS_NAME = 40
DIGIT_NAMES = tuple(str(k) for k in range(N_CLASSES))


@dataclass(frozen=True)
class DatasetKind:
    """A known dataset: its name, class names and whether the digit pipeline fits it.

    ``subject`` says what the images are ("handwritten digits", "clothing images"), for
    messages such as "this model reads clothing images". ``digits`` is True where the
    canvas's digit preprocessing (deskew, strokes re-rendered) fits the images.
    ``transposed`` marks datasets stored column by column (EMNIST), turned upright on load.
    """

    name: str
    class_names: tuple[str, ...] = DIGIT_NAMES
    subject: str = "handwritten digits"
    digits: bool = True
    transposed: bool = False


MNIST = DatasetKind("MNIST")
FASHION_MNIST = DatasetKind(
    "Fashion-MNIST",
    (
        "T-shirt/top",
        "Trouser",
        "Pullover",
        "Dress",
        "Coat",
        "Sandal",
        "Shirt",
        "Sneaker",
        "Bag",
        "Ankle boot",
    ),
    subject="clothing images",
    digits=False,
)
KMNIST = DatasetKind(
    "KMNIST",
    ("o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo"),
    subject="cursive Japanese characters (Kuzushiji)",
    digits=False,
)
EMNIST_DIGITS = DatasetKind("EMNIST digits", transposed=True)

#: Every dataset recognised by name.
KNOWN_KINDS = (MNIST, FASHION_MNIST, KMNIST, EMNIST_DIGITS)

#: SHA-256 of test-label files as published (.gz) and decompressed, by dataset.
TEST_LABEL_SHA256 = {
    # MNIST: decompressed (resources/mnist/README.md) and the canonical .gz
    "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2": MNIST,
    "ae18e77e031ccde52407f794d123116439864147d33ac992975f85dd4dc42af6": MNIST,
    # Fashion-MNIST (zalandoresearch, as packaged by Debian's dataset-fashion-mnist)
    "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34": FASHION_MNIST,
    "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05": FASHION_MNIST,
    # KMNIST (rois-codh), the .gz as published
    "20bb9a0ef54c7db3efc55a92eef5582c109615df22683c380526788f98e42a1c": KMNIST,
}
#: EMNIST digits is the only common 10-class IDX set of this size.
EMNIST_DIGITS_SIZES = (240_000, 40_000)


def default_kind(name: str) -> DatasetKind:
    """What an unrecognised folder called ``name`` is taken to be: images of ten classes,
    named 0–9, prepared as published (the digit pipeline is not assumed to fit)."""
    return DatasetKind(name, subject=f"{name} images", digits=False)


def recognise(
    test_labels_raw: bytes, test_labels_data: bytes, n_train: int, n_test: int
) -> DatasetKind | None:
    """The known dataset whose test-label file this is (as stored, or decompressed), or
    whose split sizes these are; None if none is."""
    for blob in (test_labels_raw, test_labels_data):
        kind = TEST_LABEL_SHA256.get(hashlib.sha256(blob).hexdigest())
        if kind is not None:
            return kind
    if (n_train, n_test) == EMNIST_DIGITS_SIZES:
        return EMNIST_DIGITS
    return None


def read_class_names(path: Path, n_classes: int = N_CLASSES) -> tuple[str, ...]:
    """Class names from a ``classes.txt``: UTF-8 text, one non-empty name per line, exactly
    ``n_classes`` lines (a final newline is optional).

    Raises
    ------
    ValueError
        Naming the file and the problem: unreadable, too large, binary or not UTF-8, an
        empty line, a name too long, or the wrong number of names.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ValueError(f"{path}: cannot be read ({exc.strerror})") from None
    if len(raw) > MAX_CLASSES_FILE_BYTES:
        raise ValueError(f"{path}: {len(raw)} bytes is too large for {n_classes} class names")
    if b"\0" in raw:
        raise ValueError(f"{path}: holds binary data, expected one class name a line")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            raise ValueError(f"{path}: line {number} is empty; expected one class name a line")
        if len(line.strip()) > MAX_CLASS_NAME:
            raise ValueError(f"{path}: line {number} is longer than {MAX_CLASS_NAME} characters")
    if len(lines) != n_classes:
        raise ValueError(f"{path}: holds {len(lines)} class names, expected {n_classes}")
    return tuple(line.strip() for line in lines)
