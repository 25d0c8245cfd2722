"""Which preprocessing a dataset gets, and whether a model fits a dataset: one engine rule."""

from __future__ import annotations

import numpy as np
import pytest

from engine import (
    AS_PUBLISHED,
    N_FEATURES,
    PREPROCESSING_VERSION,
    PREPROCESSING_VERSIONS,
    SUPPORTED_PREPROCESSING_VERSIONS,
    Dataset,
    SoftmaxModel,
    describe_version,
    digit_pipeline_fits,
    load_mnist,
    needs_new_preparation,
    preprocessing_for,
    same_preprocessing,
)
from engine.data.dataset_kinds import EMNIST_DIGITS, FASHION_MNIST, KMNIST, MNIST, default_kind

from ..idx_files import make_idx_folder

DIGIT_VERSIONS = sorted(v for v, known in PREPROCESSING_VERSIONS.items() if known.digits_only)


def dataset(version: int, *, name: str = "MNIST", digits: bool = True) -> Dataset:
    X = np.zeros((4, N_FEATURES), dtype=np.float32)
    y = np.array([0, 1, 0, 1])
    return Dataset(X, y, X, y, name=name, digits=digits, preprocessing_version=version)


def model(version: int) -> SoftmaxModel:
    W = np.zeros((N_FEATURES, 10), dtype=np.float32)
    return SoftmaxModel(W=W, b=np.zeros(10, np.float32), preprocessing_version=version)


def test_the_registry_names_every_supported_version() -> None:
    assert set(PREPROCESSING_VERSIONS) == SUPPORTED_PREPROCESSING_VERSIONS
    assert PREPROCESSING_VERSION in DIGIT_VERSIONS
    assert not PREPROCESSING_VERSIONS[AS_PUBLISHED].digits_only
    assert describe_version(PREPROCESSING_VERSION) == f"digit pipeline ({PREPROCESSING_VERSION})"
    assert describe_version(AS_PUBLISHED) == f"as published ({AS_PUBLISHED})"
    assert describe_version(99) == "version (99)"


@pytest.mark.parametrize("kind", [MNIST, EMNIST_DIGITS])
def test_handwritten_digits_get_the_digit_pipeline_without_a_model(kind) -> None:
    assert preprocessing_for(kind.digits) == PREPROCESSING_VERSION


@pytest.mark.parametrize("kind", [FASHION_MNIST, KMNIST, default_kind("my-images")])
def test_other_datasets_get_their_images_as_published(kind) -> None:
    assert preprocessing_for(kind.digits) == AS_PUBLISHED
    for expected in SUPPORTED_PREPROCESSING_VERSIONS:  # whatever the model expects
        assert preprocessing_for(kind.digits, expected=expected) == AS_PUBLISHED


@pytest.mark.parametrize("version", sorted(SUPPORTED_PREPROCESSING_VERSIONS))
def test_digits_get_the_version_a_model_was_trained_on(version: int) -> None:
    assert preprocessing_for(MNIST.digits, expected=version) == version


@pytest.mark.parametrize("digits", [True, False])
def test_the_users_choice_always_wins(digits: bool) -> None:
    for chosen in SUPPORTED_PREPROCESSING_VERSIONS:
        assert preprocessing_for(digits, chosen, expected=AS_PUBLISHED) == chosen


@pytest.mark.parametrize(("chosen", "expected"), [(7, None), (None, 0)])
def test_an_unknown_version_is_refused(chosen, expected) -> None:
    with pytest.raises(ValueError, match="unknown preprocessing version"):
        preprocessing_for(True, chosen, expected)


def test_a_model_fits_only_data_of_its_own_version() -> None:
    for a in SUPPORTED_PREPROCESSING_VERSIONS:
        for b in SUPPORTED_PREPROCESSING_VERSIONS:
            assert same_preprocessing(model(a), dataset(b)) is (a == b)


def test_digits_are_prepared_afresh_for_a_model_of_another_version() -> None:
    other = min(DIGIT_VERSIONS) if PREPROCESSING_VERSION != min(DIGIT_VERSIONS) else AS_PUBLISHED
    data = dataset(PREPROCESSING_VERSION)
    assert needs_new_preparation(data, model(other), chosen=None)
    assert not needs_new_preparation(data, model(PREPROCESSING_VERSION), chosen=None)
    # a version the user chose stays, whatever the model
    assert not needs_new_preparation(data, model(other), chosen=PREPROCESSING_VERSION)


def test_other_datasets_stay_as_published_whatever_the_model() -> None:
    clothes = dataset(AS_PUBLISHED, name=FASHION_MNIST.name, digits=False)
    assert not needs_new_preparation(clothes, model(PREPROCESSING_VERSION), chosen=None)


def test_the_digit_pipeline_is_offered_unless_the_data_is_known_to_be_something_else() -> None:
    assert digit_pipeline_fits(dataset(PREPROCESSING_VERSION))
    assert digit_pipeline_fits(dataset(AS_PUBLISHED, name="my-folder", digits=False))
    for kind in (FASHION_MNIST, KMNIST):
        assert not digit_pipeline_fits(dataset(AS_PUBLISHED, name=kind.name, digits=False))


def test_load_mnist_follows_the_rule_for_an_unknown_folder(tmp_path) -> None:
    make_idx_folder(tmp_path)
    folder = tmp_path
    assert load_mnist(folder, use_cache=False).preprocessing_version == AS_PUBLISHED
    # the model's version is for digits only; the user's choice applies to any folder
    expected = load_mnist(folder, digit_preprocessing=PREPROCESSING_VERSION, use_cache=False)
    assert expected.preprocessing_version == AS_PUBLISHED
    chosen = load_mnist(folder, preprocessing_version=PREPROCESSING_VERSION, use_cache=False)
    assert chosen.preprocessing_version == PREPROCESSING_VERSION
