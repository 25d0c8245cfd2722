"""Datasets shown as themselves: recognised by their contents, named by classes.txt, the
preprocessing that fits them by default, and the names kept in the model file."""

from __future__ import annotations

import gzip
import hashlib
import io
import json

import numpy as np
import pytest

from engine import (
    PREPROCESSING_VERSION,
    TrainConfig,
    load_mnist,
    load_model,
    run_to_end,
    save_model,
    train,
)
from engine.cli import main
from engine.data import dataset_kinds as kinds

from ..idx_files import TEST_IMAGES, TEST_LABELS, make_idx_folder

NAMES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


@pytest.fixture
def folder(tmp_path):
    """A tiny unrecognised IDX folder called "shapes"."""
    make_idx_folder(tmp_path / "shapes")
    return tmp_path / "shapes"


def test_the_bundled_mnist_is_digits_named_0_to_9_with_the_digit_pipeline(mnist):
    assert mnist.name == "MNIST" and mnist.digits
    assert mnist.names == tuple(str(k) for k in range(10))
    assert mnist.preprocessing_version == PREPROCESSING_VERSION


def test_an_unknown_folder_is_prepared_as_published_and_named_after_itself(folder):
    data = load_mnist(folder, use_cache=False)
    assert data.preprocessing_version == 1
    assert data.name == "shapes" and not data.digits
    assert data.names == tuple(str(k) for k in range(10)) and data.notes == ()


def test_asking_for_a_preprocessing_still_gets_it(folder):
    assert load_mnist(folder, preprocessing_version=3, use_cache=False).preprocessing_version == 3


def register(monkeypatch, folder, kind) -> None:
    """Make the test-label file of ``folder`` one that is recognised as ``kind``."""
    raw = (folder / f"{TEST_LABELS}.gz").read_bytes()
    table = {hashlib.sha256(gzip.decompress(raw)).hexdigest(): kind}
    monkeypatch.setattr(kinds, "TEST_LABEL_SHA256", table)


def test_a_recognised_fashion_mnist_gets_its_names_and_images_as_published(folder, monkeypatch):
    register(monkeypatch, folder, kinds.FASHION_MNIST)
    data = load_mnist(folder, use_cache=False)
    assert data.name == "Fashion-MNIST" and data.subject == "clothing images"
    assert data.names[1] == "Trouser" and data.names[9] == "Ankle boot"
    assert data.preprocessing_version == 1 and not data.digits


def test_the_published_files_of_known_datasets_are_recognised():
    for digest, kind in kinds.TEST_LABEL_SHA256.items():
        assert len(digest) == 64 and kind.name in {"MNIST", "Fashion-MNIST", "KMNIST"}
    assert kinds.recognise(b"", b"", 240_000, 40_000) is kinds.EMNIST_DIGITS
    assert kinds.recognise(b"", b"", 60_000, 10_000) is None


def test_emnist_images_stored_column_by_column_are_turned_upright(folder, monkeypatch):
    monkeypatch.setattr(kinds, "EMNIST_DIGITS_SIZES", (30, 12))  # the tiny folder's sizes
    stored = np.frombuffer(
        gzip.decompress((folder / f"{TEST_IMAGES}.gz").read_bytes())[16:], np.uint8
    ).reshape(12, 28, 28)
    data = load_mnist(folder, preprocessing_version=1, use_cache=False)
    assert data.name == "EMNIST digits" and data.digits
    levels = np.rint(data.X_test.reshape(12, 28, 28) * 255)
    np.testing.assert_array_equal(levels, stored.transpose(0, 2, 1))


def test_classes_txt_names_the_classes(folder):
    (folder / "classes.txt").write_text("\n".join(NAMES) + "\n", encoding="utf-8")
    assert load_mnist(folder, use_cache=False).names == tuple(NAMES)


@pytest.mark.parametrize(
    "content, problem",
    [
        ("\n".join(NAMES[:9]).encode(), "holds 9 class names, expected 10"),
        ("\n".join(NAMES[:4] + [""] + NAMES[5:]).encode(), "line 5 is empty"),
        (b"\x00\x01\x02binary\xff" * 10, "binary data"),
        ("\n".join(NAMES).encode("utf-16"), "binary data"),
        (b"caf\xe9\n" * 10, "not UTF-8"),
    ],
    ids=["wrong_count", "empty_line", "binary", "utf16", "latin1"],
)
def test_a_malformed_classes_txt_is_reported_and_the_defaults_kept(folder, content, problem):
    (folder / "classes.txt").write_bytes(content)
    with pytest.raises(ValueError, match=problem):
        kinds.read_class_names(folder / "classes.txt")
    data = load_mnist(folder, use_cache=False)  # still loads
    assert data.names == tuple(str(k) for k in range(10))
    assert len(data.notes) == 1 and "classes.txt" in data.notes[0] and problem in data.notes[0]


def test_a_model_records_its_class_names_and_loads_with_them(folder, monkeypatch, tmp_path):
    register(monkeypatch, folder, kinds.FASHION_MNIST)
    model = run_to_end(train(load_mnist(folder, use_cache=False), TrainConfig(max_iter=3))).model
    save_model(model, tmp_path / "fashion.npz")
    loaded = load_model(tmp_path / "fashion.npz")
    assert loaded.class_names == kinds.FASHION_MNIST.class_names
    assert loaded.subject == "clothing images" and not loaded.reads_digits
    assert loaded.metadata["dataset"] == "Fashion-MNIST"


def test_a_model_without_names_reads_digits():
    from engine import SoftmaxModel

    model = SoftmaxModel(np.zeros((784, 10), np.float32), np.zeros(10, np.float32))
    assert model.class_names == tuple(str(k) for k in range(10)) and model.reads_digits
    odd = SoftmaxModel(model.W, model.b, metadata={"class_names": ["a", "b"]})  # wrong count
    assert odd.class_names[1] == "1"


def test_the_cli_shows_the_names_and_warns_of_a_bad_classes_txt(folder, tmp_path):
    (folder / "classes.txt").write_text("\n".join(NAMES) + "\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    model_path = tmp_path / "m.npz"
    args = ["train", "--data", str(folder), "--max-iter", "3", "--out", str(model_path)]
    assert main([*args, "--json"], out=out, err=err) == 0
    assert json.loads(out.getvalue())["class_names"] == NAMES
    out = io.StringIO()
    assert main(["evaluate", str(model_path), "--data", str(folder)], out=out, err=err) == 0
    assert "3 three" in out.getvalue()
    (folder / "classes.txt").write_text("just one\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert (
        main(["evaluate", str(model_path), "--data", str(folder), "--json"], out=out, err=err) == 0
    )
    assert json.loads(out.getvalue())["class_names"] == NAMES  # the model's own names
    assert "warning:" in err.getvalue() and "holds 1 class names" in err.getvalue()


def test_digits_get_the_digit_preprocessing_the_caller_names(folder, monkeypatch):
    register(monkeypatch, folder, kinds.MNIST)  # a copy of MNIST elsewhere: digits
    assert load_mnist(folder, use_cache=False).preprocessing_version == PREPROCESSING_VERSION
    assert load_mnist(folder, digit_preprocessing=1, use_cache=False).preprocessing_version == 1
    register(monkeypatch, folder, kinds.FASHION_MNIST)  # never for other data
    assert load_mnist(folder, digit_preprocessing=3, use_cache=False).preprocessing_version == 1
