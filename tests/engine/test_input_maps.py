"""Input maps (engine.features): each map's gradient, model files, the random matrix's
reproducibility, wrong-width inputs, and the classic pixel model left exactly as it was."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Generator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from engine import (
    INPUT_MAPS,
    Dataset,
    InputMap,
    SoftmaxModel,
    TrainConfig,
    adapt,
    evaluate,
    fit_input_map,
    gradient_check,
    load_model,
    make_input_map,
    run_to_end,
    save_model,
    softmax,
    train,
)
from engine.data.model_io import REQUIRED_KEYS
from engine.features import N_EDGE_FEATURES, gradient_histograms
from engine.features.mapped import fit_and_map_dataset, map_dataset, with_input_map
from engine.features.maps import STD_EPS
from engine.training.config import INPUTS

MAPS = tuple(INPUT_MAPS)
#: A few L-BFGS-B iterations: enough to make a model that reads digits, fast to train.
SHORT = TrainConfig(max_iter=15, seed=0)
#: SHA-256 (16 hex digits) of R for seed 0 and 2,000 features: pins NumPy's PCG64 normal
#: stream, so a NumPy that draws another matrix (and would refuse every saved random-feature
#: model) fails here first.
SEED0_R2000_CHECKSUM = "95e876ae8118dd0a"


@pytest.fixture(scope="module")
def small(mnist_small: Dataset) -> Dataset:
    return mnist_small


def train_on(data: Dataset, name: str, config: TrainConfig) -> SoftmaxModel:
    """A model of the map ``name``: through ``TrainConfig.inputs`` for the maps a run offers,
    else on the features of :func:`map_dataset` (as bench/input_maps.py trains them)."""
    if name in INPUTS:
        return run_to_end(train(data, replace(config, inputs=name))).model
    input_map = fit_input_map(name, data.X_train)
    return with_input_map(run_to_end(train(map_dataset(data, input_map), config)).model, input_map)


@pytest.fixture(scope="module")
def models(small: Dataset) -> dict[str, SoftmaxModel]:
    """A briefly trained model of each map."""
    return {name: train_on(small, name, SHORT) for name in MAPS}


def r_checksum(seed: int, n_random: int) -> str:
    """R as the map documents it, drawn here independently, and its checksum."""
    R = np.random.default_rng(seed).standard_normal((n_random, 784), dtype=np.float32)
    R *= np.float32(1 / np.sqrt(784))
    return hashlib.sha256(R.astype("<f4").tobytes()).hexdigest()[:16]


@pytest.fixture
def blas1() -> Generator[None, None, None]:
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        yield


@pytest.mark.parametrize("name", MAPS)
@pytest.mark.parametrize("l2", [0.0, 1e-3])
def test_each_maps_gradient_passes_the_finite_difference_check(
    small: Dataset, name: str, l2: float, blas1: None
) -> None:
    input_map = fit_input_map(name, small.X_train)
    features = input_map.transform(small.X_test[:100])
    result = gradient_check(features, small.y_test[:100], n_checks=60, l2=l2)
    assert features.shape == (100, input_map.n_features)
    assert result.passed, result.max_rel_error


@pytest.mark.parametrize("name", MAPS)
def test_a_saved_model_of_each_map_loads_and_predicts_the_same(
    models: dict[str, SoftmaxModel], small: Dataset, tmp_path: Path, name: str
) -> None:
    model = models[name]
    loaded = load_model(save_model(model, tmp_path / f"{name}.npz"))
    X = small.X_test[:300]
    assert loaded.input_map.params == model.input_map.params
    np.testing.assert_array_equal(loaded.predict_proba(X), model.predict_proba(X))
    np.testing.assert_array_equal(loaded.evidence(X[0], 3), model.evidence(X[0], 3))
    assert loaded.metadata == json.loads(json.dumps(model.metadata))


@pytest.mark.parametrize("name", MAPS)
def test_each_map_reads_digits_and_evaluate_agrees_with_predict(
    models: dict[str, SoftmaxModel], small: Dataset, name: str
) -> None:
    model = models[name]
    evaluation = evaluate(model, small.X_test, small.y_test)
    assert evaluation.accuracy == pytest.approx(
        np.mean(model.predict(small.X_test) == small.y_test)
    )
    assert evaluation.accuracy > 0.8


def test_the_random_map_is_the_same_for_the_same_seed() -> None:
    a, b = make_input_map("random", seed=7), make_input_map("random", seed=7)
    assert a.random_checksum == b.random_checksum == r_checksum(7, 2000)
    assert make_input_map("random", seed=8).random_checksum != a.random_checksum
    assert make_input_map("random", seed=0).random_checksum == SEED0_R2000_CHECKSUM


def test_a_file_whose_random_matrix_this_machine_cannot_regenerate_is_refused(
    models: dict[str, SoftmaxModel], tmp_path: Path
) -> None:
    path = save_model(models["random"], tmp_path / "random.npz")
    with zipfile.ZipFile(path) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    with np.load(path, allow_pickle=False) as f:
        record = json.loads(str(f["input_map"]))
    record["random_checksum"] = "0" * 16  # as if another NumPy had drawn R
    tampered = tmp_path / "other-machine.npz"
    with zipfile.ZipFile(tampered, "w") as archive:
        for member, data in members.items():
            if member == "input_map.npy":
                buffer = io.BytesIO()
                np.save(buffer, np.array(json.dumps(record)))
                data = buffer.getvalue()
            archive.writestr(member, data)
    with pytest.raises(ValueError, match="retrain the model on this machine"):
        load_model(tampered)


@pytest.mark.parametrize("name", [n for n in MAPS if n != "pixels"])
def test_a_mapped_model_refuses_inputs_of_the_wrong_width(
    models: dict[str, SoftmaxModel], name: str
) -> None:
    model = models[name]
    message = r"needs 28×28 images \(784 values a row\); got 500"
    with pytest.raises(ValueError, match=message):
        model.predict(np.zeros((3, 500), dtype=np.float32))
    with pytest.raises(ValueError, match=message):
        model.input_map.transform(np.zeros((3, 500), dtype=np.float32))
    with pytest.raises(ValueError, match=message):
        evaluate(model, np.zeros((3, 500), dtype=np.float32), np.zeros(3, dtype=np.int64))
    with pytest.raises(ValueError, match="784"):
        adapt(model, np.zeros((3, 500), dtype=np.float32), np.zeros(3, dtype=np.int64))


def test_the_pixel_map_is_the_classic_model_bit_for_bit(small: Dataset, tmp_path: Path) -> None:
    classic = run_to_end(train(small, SHORT)).model
    mapped = train_on(small, "pixels", SHORT)
    np.testing.assert_array_equal(mapped.W, classic.W)
    np.testing.assert_array_equal(mapped.b, classic.b)
    X = small.X_test[:200]
    np.testing.assert_array_equal(mapped.predict_proba(X), softmax(X @ classic.W + classic.b))
    np.testing.assert_array_equal(mapped.evidence(X[0], 2), classic.W[:, 2] * X[0])
    path = save_model(mapped, tmp_path / "pixels.npz")
    with zipfile.ZipFile(path) as archive:  # the file layout older programs read
        assert sorted(archive.namelist()) == sorted(f"{k}.npy" for k in REQUIRED_KEYS)
    assert load_model(path).input_map.is_identity


@pytest.mark.parametrize("name", MAPS)
def test_evidence_adds_up_to_the_logit_and_blank_pixels_give_none(
    models: dict[str, SoftmaxModel], small: Dataset, name: str
) -> None:
    model, x = models[name], small.X_test[0]
    for k in range(model.n_classes):
        parts = model.evidence_by_part(x, k)
        assert set(parts) == {p for p, _ in model.input_map.parts} | {"offset"}
        logit = float(model.logits(x)[0, k])
        assert sum(parts.values()) == pytest.approx(logit, abs=1e-3 * (1 + abs(logit)))
        evidence = model.evidence(x, k)
        assert evidence.shape == (784,)
        assert not evidence[x == 0].any()
        assert float(evidence.sum()) == pytest.approx(parts["pixels"], rel=1e-5, abs=1e-5)


@pytest.mark.parametrize("name", MAPS)
def test_adapt_learns_a_correction_for_every_map(
    models: dict[str, SoftmaxModel], mnist: Dataset, small: Dataset, name: str
) -> None:
    model = models[name]
    # digits the base misreads, taught with their true labels
    X, y = small.X_test[:300], small.y_test[:300]
    wrong = np.flatnonzero(model.predict(X) != y)[:8]
    replay = (mnist.X_train[10_000:16_000], mnist.y_train[10_000:16_000])
    adapted = adapt(model, X[wrong], y[wrong], replay=replay, guard_size=2000)
    assert adapted.input_map is model.input_map
    assert np.count_nonzero(adapted.predict(X[wrong]) == y[wrong]) > 0
    p_base = model.predict_proba(X[wrong])[np.arange(wrong.size), y[wrong]]
    p_adapted = adapted.predict_proba(X[wrong])[np.arange(wrong.size), y[wrong]]
    assert p_adapted.mean() > p_base.mean()


def test_standardisation_is_fitted_on_the_training_images(small: Dataset) -> None:
    input_map = fit_input_map("edges+random", small.X_train)
    features = input_map.transform(small.X_train)
    raw_std = input_map.raw_features(small.X_train).std(axis=0, dtype=np.float64)
    np.testing.assert_allclose(features.mean(axis=0), 0, atol=1e-3)
    # unit spread, shrunk only where the feature barely varies (STD_EPS)
    expected = np.sqrt(raw_std**2 / (raw_std**2 + STD_EPS))
    np.testing.assert_allclose(features.std(axis=0, dtype=np.float64), expected, atol=2e-3)
    # uint8 grey levels give the same features as the float images they stand for
    levels = np.rint(small.X_test[:50] * 255).astype(np.uint8)
    np.testing.assert_allclose(
        input_map.transform(levels), input_map.transform(levels / np.float32(255)), atol=1e-4
    )


@pytest.mark.parametrize("centred", [True, False])
def test_fitting_and_mapping_in_one_pass_gives_the_features_of_fit_then_map(
    small: Dataset, centred: bool
) -> None:
    # what engine.train uses: the training features computed once, not once to fit and once
    # to map; the same map, and the same features (float16 rounds twice: within 1e-3)
    two_step_map = fit_input_map("edges", small.X_train)
    for dtype in (np.float32, np.float16):
        fitted, mapped = fit_and_map_dataset(small, make_input_map("edges"), dtype, centred=centred)
        assert fitted.fingerprint == two_step_map.fingerprint
        expected = map_dataset(small, two_step_map, dtype, centred=centred)
        assert mapped.X_train.dtype == dtype
        if dtype == np.float32:
            np.testing.assert_array_equal(mapped.X_train, expected.X_train)
        else:
            np.testing.assert_allclose(
                mapped.X_train.astype(np.float32),
                expected.X_train.astype(np.float32),
                rtol=1e-3,
                atol=1e-3,
            )
        np.testing.assert_array_equal(mapped.X_test, expected.X_test)
    assert fit_and_map_dataset(small, make_input_map("pixels"))[1] is small


def test_gradient_histograms_follow_the_edges_direction() -> None:
    image = np.zeros((28, 28), dtype=np.float32)
    image[8:20, 14:22] = 1.0  # a block: its left edge in cell column 3, its right in 5
    hist = gradient_histograms(image.reshape(1, 784)).reshape(7, 7, 8)
    assert hist.size == N_EDGE_FEATURES
    middle = hist[3]  # cell row 3 (pixel rows 12-15): only the vertical edges cross it
    assert middle[3, 0] > 0 and middle[3, 1:].sum() == 0  # ink rises along +x: direction 0
    assert middle[5, 4] > 0 and np.delete(middle[5], 4).sum() == 0  # falls: direction 4
    assert np.delete(middle, [3, 5], axis=0).sum() == 0  # flat cells give nothing
    assert hist[1, 4, 2] > 0 and np.delete(hist[1, 4], 2).sum() == 0  # top edge: +y


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "bogus"}, "input map must be one of"),
        ({"name": "random", "n_random": 0}, "n_random must be in"),
        ({"name": "edges", "n_random": 5}, "has no random features"),
        ({"name": "random", "n_random": 10, "seed": -1}, "seed must be"),
    ],
)
def test_bad_map_parameters_are_refused(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        InputMap(**kwargs)


def test_an_unfitted_map_cannot_transform_nor_make_a_model() -> None:
    input_map = make_input_map("edges")
    with pytest.raises(ValueError, match="not fitted"):
        input_map.transform(np.zeros((1, 784), dtype=np.float32))
    with pytest.raises(ValueError, match="not fitted"):
        SoftmaxModel(
            W=np.zeros((input_map.n_features, 10), np.float32),
            b=np.zeros(10, np.float32),
            input_map=input_map,
        )
    fitted = input_map.fit(np.random.default_rng(0).random((20, 784), dtype=np.float32))
    with pytest.raises(ValueError, match="1176 rows"):
        replace(
            SoftmaxModel(W=np.zeros((784, 10), np.float32), b=np.zeros(10, np.float32)),
            input_map=fitted,
        )


def test_training_with_edge_inputs_gives_a_model_of_images(small: Dataset) -> None:
    result = run_to_end(train(small, replace(SHORT, inputs="edges")))
    model = result.model
    assert model.input_map.name == "edges"
    assert model.n_inputs == 784 and model.n_features == 784 + N_EDGE_FEATURES
    assert model.metadata["inputs"] == model.input_map.params
    # the test error the run reports is the model's own on the images
    ev = evaluate(model, small.X_test, small.y_test)
    assert ev.error == pytest.approx(result.test_error)
    pixels = run_to_end(train(small, SHORT)).model
    assert ev.error < evaluate(pixels, small.X_test, small.y_test).error


def test_image_inputs_refuse_rows_that_are_not_28x28() -> None:
    rng = np.random.default_rng(0)
    data = Dataset(
        X_train=rng.random((40, 64), dtype=np.float32),
        y_train=np.arange(40) % 4,
        X_test=rng.random((8, 64), dtype=np.float32),
        y_test=np.arange(8) % 4,
        name="8x8",
        image_shape=(8, 8),
    )
    with pytest.raises(ValueError, match="needs 28×28 images"):
        run_to_end(train(data, replace(SHORT, inputs="edges")))
    assert run_to_end(train(data, SHORT)).model.n_features == 64  # pixels take any width


def test_the_estimator_takes_the_inputs(small: Dataset) -> None:
    from engine import SoftmaxRegression

    X, y = small.X_train[:2000], small.y_train[:2000]
    clf = SoftmaxRegression(inputs="edges", max_iter=15, random_state=0).fit(X, y)
    assert clf.n_features_in_ == 784
    assert clf.coef_.shape == (10, 784 + N_EDGE_FEATURES)
    np.testing.assert_array_equal(clf.predict(small.X_test), clf.model_.predict(small.X_test))
    with pytest.raises(ValueError, match="needs 28×28 images"):
        SoftmaxRegression(inputs="edges").fit(np.zeros((20, 10)), np.arange(20) % 2)


def test_uncentred_features_with_their_bias_moved_give_the_same_logits(small: Dataset) -> None:
    input_map = fit_input_map("edges", small.X_train)
    X = small.X_test[:50]
    rng = np.random.default_rng(0)
    W = rng.standard_normal((input_map.n_features, 10)).astype(np.float32) * 0.01
    b = rng.standard_normal(10).astype(np.float32)
    uncentred = input_map.transform(X, centred=False)
    assert np.count_nonzero(uncentred == 0) > uncentred.size // 2  # blanks stay exactly 0
    moved = input_map.centred_bias(W, b)
    np.testing.assert_allclose(
        input_map.transform(X) @ W + moved, uncentred @ W + b, rtol=1e-4, atol=1e-4
    )
    np.testing.assert_allclose(input_map.centred_bias(W, moved, sign=-1), b, atol=1e-5)


def test_lbfgs_on_a_map_reaches_the_standardised_problems_optimum(small: Dataset) -> None:
    # engine.train hands L-BFGS-B uncentred features and moves the bias back; the objective
    # is the standardised one's, so both reach the same cost and read alike
    config = replace(SHORT, max_iter=60)
    via_train = run_to_end(train(small, replace(config, inputs="edges")))
    input_map = fit_input_map("edges", small.X_train)
    direct = run_to_end(train(map_dataset(small, input_map), config))
    assert via_train.history[-1].cost == pytest.approx(direct.history[-1].cost, rel=1e-2)
    same = via_train.model.predict(small.X_test) == direct.model.predict(
        input_map.transform(small.X_test)
    )
    assert same.mean() >= 0.98
