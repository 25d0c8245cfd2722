"""Training augmentation: same shapes, same digits (labels still true), reproducible per seed."""

from __future__ import annotations

import numpy as np
import pytest

from engine import Dataset, prepare_images
from engine.training.augment import PRESETS, AugmentConfig, distort, make_augmenter

pytestmark = pytest.mark.usefixtures("single_blas_thread")

SIDE = 28
N_IMAGES = 64
VERSIONS = (1, 3)
N_CLASSIFIED = 500
#: Distortions cost a linear model accuracy (~18 points for v1 at p=1), scrambled labels ~80.
MAX_ACCURACY_DROP = 0.25


@pytest.fixture(scope="module")
def images(mnist_raw: Dataset) -> np.ndarray:
    return mnist_raw.X_test[:N_IMAGES]


@pytest.fixture(scope="module")
def labels(mnist_raw: Dataset) -> np.ndarray:
    return mnist_raw.y_test[:N_IMAGES]


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("preset", ["light", "strong"])
def test_batch_keeps_its_shape_dtype_and_range(images, preset, version):
    X = prepare_images(images, version)
    out = make_augmenter(preset, version)(X, np.random.default_rng(0))
    assert out.shape == X.shape and out.dtype == np.float32
    assert out.min() >= 0.0 and out.max() <= 1.0
    assert not np.shares_memory(out, X)


@pytest.mark.parametrize("version", VERSIONS)
def test_same_seed_same_batch_other_seed_other_batch(images, version):
    augment = make_augmenter("strong", version)
    first = augment(images, np.random.default_rng(7))
    again = augment(images, np.random.default_rng(7))
    other = augment(images, np.random.default_rng(8))
    np.testing.assert_array_equal(first, again)
    assert np.abs(first - other).mean() > 0.01


@pytest.mark.slow
def test_each_image_stays_the_same_digit(mnist_raw, trained_model):
    # Labels are not touched, so they stay true only if every row is still a (mild)
    # distortion of the same image: a trained model must read the batch almost as well.
    version = trained_model.preprocessing_version
    X = prepare_images(mnist_raw.X_test[:N_CLASSIFIED], version)
    y = mnist_raw.y_test[:N_CLASSIFIED]
    out = make_augmenter(AugmentConfig(p=1.0), version)(X, np.random.default_rng(0))
    original = np.mean(trained_model.predict(X) == y)
    augmented = np.mean(trained_model.predict(out) == y)
    assert augmented >= original - MAX_ACCURACY_DROP


def test_distortions_really_happen(images):
    out = distort(images.reshape(-1, SIDE, SIDE), PRESETS["light"], np.random.default_rng(0))
    changed = np.abs(out - images.reshape(-1, SIDE, SIDE)).mean(axis=(1, 2)) > 0.01
    assert changed.mean() > 0.9


def test_probability_zero_is_the_identity(images):
    augment = make_augmenter(AugmentConfig(p=0.0), 1)
    np.testing.assert_array_equal(augment(images, np.random.default_rng(0)), images)


def test_none_means_no_augmenter():
    assert make_augmenter("none", 1) is None
    assert make_augmenter(None, 1) is None


@pytest.mark.parametrize(
    ("config", "match"),
    [
        ("wobbly", "unknown augmentation"),
        (AugmentConfig(p=1.5), "probabilities"),
        (AugmentConfig(thickness_p=0.6), "probabilities"),
    ],
)
def test_bad_configuration_raises_value_error(config, match):
    with pytest.raises(ValueError, match=match):
        make_augmenter(config, 1)


def test_augmented_images_are_prepared_for_their_version(images):
    # Version 3 recentres every digit; shifted copies must come back centred, while version 1
    # (no dataset-side steps) keeps the shifts. A digit scaled to fill the frame may stay a
    # little off-centre (recentring never pushes ink out of the frame), hence "most".
    config = AugmentConfig(
        p=1.0,
        max_rotate_deg=0.0,
        max_scale=0.0,
        max_shear=0.0,
        max_shift=2.0,
        elastic_alpha=0.0,
        thickness_p=0.0,
    )

    def share_centred(version: int) -> float:
        X = prepare_images(images, version)
        out = make_augmenter(config, version)(X, np.random.default_rng(0))
        img = out.reshape(-1, SIDE, SIDE)
        rows, cols = np.indices((SIDE, SIDE))
        mass = img.sum(axis=(1, 2))
        centre = np.stack([(img * rows).sum(axis=(1, 2)), (img * cols).sum(axis=(1, 2))], 1)
        return float(np.mean(np.abs(centre / mass[:, None] - 14.0).max(axis=1) <= 0.75))

    assert share_centred(3) >= 0.9
    assert share_centred(1) < 0.5
