"""The analytic gradient against finite differences, and a gradient check that catches mistakes."""

from __future__ import annotations

from functools import partial

import numpy as np
import pytest

from engine import DEFAULT_THRESHOLD, N_CLASSES, gradient_check, loss_gradient
from engine.gradcheck import describe_coordinate

N_IMAGES = 30
N_RANDOM_W = 200
#: Central differences with this step in float64 have truncation error ~EPS² and round-off
#: ~1e-16 * loss / EPS ≈ 1e-11, far below ATOL.
EPS = 1e-5
ATOL = 1e-8
#: The seeds a user might try; a broken gradient must fail the check for every one.
SEEDS = range(3)
#: A broken gradient is wrong on nearly every coordinate, so fewer checks keep the test quick.
N_CHECKS_BROKEN = 100

pytestmark = pytest.mark.usefixtures("single_blas_thread")


@pytest.fixture(scope="module")
def small(mnist):
    return mnist.X_test[:N_IMAGES].astype(np.float64), mnist.y_test[:N_IMAGES]


def central_differences(W, b, X, y, l2, coords):
    """Numerical gradient of the loss at the flat coordinates ``coords`` of (W, b)."""
    theta = np.concatenate([W.ravel(), b])
    split = W.size

    def loss_at(t):
        return loss_gradient(t[:split].reshape(W.shape), t[split:], X, y, l2)[0]

    numeric = np.empty(len(coords))
    for i, j in enumerate(coords):
        step = np.zeros_like(theta)
        step[j] = EPS
        numeric[i] = (loss_at(theta + step) - loss_at(theta - step)) / (2 * EPS)
    return numeric


@pytest.mark.parametrize("bias", ["zero", "nonzero"])
@pytest.mark.parametrize("l2", [0.0, 0.1])
def test_analytic_gradient_matches_central_differences(small, l2, bias):
    X, y = small
    rng = np.random.default_rng(7)
    d = X.shape[1]
    W = rng.normal(0, 0.1, size=(d, N_CLASSES))
    b = rng.normal(0, 1.0, size=N_CLASSES) if bias == "nonzero" else np.zeros(N_CLASSES)
    _, dW, db = loss_gradient(W, b, X, y, l2)
    # Every bias coordinate, random weights, and weights of pixels the images actually ink
    # (where the data term of the gradient is not zero).
    inked = np.flatnonzero(X.any(axis=0))
    rows = np.concatenate([rng.choice(d, N_RANDOM_W), rng.choice(inked, N_RANDOM_W)])
    cols = rng.integers(0, N_CLASSES, size=rows.size)
    coords = np.concatenate([rows * N_CLASSES + cols, W.size + np.arange(N_CLASSES)])
    analytic = np.concatenate([dW.ravel(), db])[coords]
    numeric = central_differences(W, b, X, y, l2, coords)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=ATOL)


# --- deliberately wrong gradients ------------------------------------------------------------


def written_out_loss_gradient(
    W, b, X, y, l2=0.0, *, per_sample=True, bias_gradient=True, l2_gradient=True, sign=1.0
):
    """The averaged cross-entropy gradient written out again, with switchable mistakes."""
    n = X.shape[0]
    logits = X @ W + b
    logits = logits - logits.max(axis=1, keepdims=True)
    logp = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    loss = -logp[np.arange(n), y].mean() + 0.5 * l2 * np.sum(W * W)
    delta = np.exp(logp)
    delta[np.arange(n), y] -= 1
    if per_sample:
        delta /= n
    dW = X.T @ delta + (l2 * W if l2_gradient else 0.0)
    db = delta.sum(axis=0) if bias_gradient else np.zeros_like(b)
    return loss, sign * dW, sign * db


BROKEN = {
    "missing_1_over_n": (partial(written_out_loss_gradient, per_sample=False), 0.0),
    "sign_flipped": (partial(written_out_loss_gradient, sign=-1.0), 0.0),
    "l2_term_dropped": (partial(written_out_loss_gradient, l2_gradient=False), 0.1),
    "bias_gradient_dropped": (partial(written_out_loss_gradient, bias_gradient=False), 0.0),
}


@pytest.fixture(scope="module")
def check_data(mnist):
    """The reference's setting: the first 200 test images."""
    return mnist.X_test[:200], mnist.y_test[:200]


@pytest.mark.parametrize("l2", [0.0, 0.1])
@pytest.mark.parametrize(
    "fn", [loss_gradient, written_out_loss_gradient], ids=["engine", "written_out"]
)
def test_gradient_check_passes_a_correct_gradient(check_data, fn, l2):
    result = gradient_check(*check_data, l2=l2, loss_gradient_fn=fn)
    assert result.passed
    assert result.threshold == DEFAULT_THRESHOLD
    # A correct gradient leaves a wide margin below the threshold, not a near miss.
    assert result.max_rel_error < DEFAULT_THRESHOLD / 10


@pytest.mark.parametrize("name", list(BROKEN))
def test_gradient_check_fails_a_wrong_gradient(check_data, name):
    fn, l2 = BROKEN[name]
    for seed in SEEDS:
        result = gradient_check(
            *check_data, n_checks=N_CHECKS_BROKEN, l2=l2, seed=seed, loss_gradient_fn=fn
        )
        assert not result.passed, f"seed {seed}: max relative error {result.max_rel_error:.2e}"
        assert result.max_rel_error > 100 * DEFAULT_THRESHOLD


def test_gradient_check_reports_each_coordinate(check_data):
    result = gradient_check(*check_data, n_checks=50, l2=0.1)
    assert len(result.parameter) == len(set(result.parameter)) == 50
    assert all(p.startswith(("W[", "b[")) for p in result.parameter)
    for arr in (result.analytic, result.numeric, result.rel_error):
        assert arr.shape == (50,) and np.isfinite(arr).all()
    assert result.max_rel_error == result.rel_error.max()
    assert result.mean_rel_error == pytest.approx(result.rel_error.mean())


def test_gradient_check_is_reproducible(check_data):
    first = gradient_check(*check_data, n_checks=20, seed=3)
    again = gradient_check(*check_data, n_checks=20, seed=3)
    assert first.parameter == again.parameter
    np.testing.assert_array_equal(first.numeric, again.numeric)


@pytest.mark.parametrize(
    ("X", "y", "kwargs"),
    [
        (np.zeros(784), np.zeros(1, dtype=int), {}),
        (np.zeros((5, 784)), np.zeros(4, dtype=int), {}),
        (np.zeros((5, 784)), np.zeros(5, dtype=int), {"n_checks": 0}),
    ],
    ids=["X_1d", "y_length", "no_checks"],
)
def test_gradient_check_rejects_bad_input(X, y, kwargs):
    with pytest.raises(ValueError, match="expected|n_checks"):
        gradient_check(X, y, **kwargs)


# --- at a model's own parameters, and what each coordinate means -----------------------------


def test_gradient_check_at_a_model_compares_its_own_gradient(check_data, pixel_model):
    X, y = check_data
    result = gradient_check(X, y, n_checks=40, l2=0.01, model=pixel_model)
    assert result.at_model and result.passed
    W = pixel_model.W.astype(np.float64)
    b = pixel_model.b.astype(np.float64)
    _, dW, db = loss_gradient(W, b, X.astype(np.float64), y, 0.01)
    for name, analytic in zip(result.parameter, result.analytic, strict=True):
        index = tuple(int(v) for v in name[2:-1].split(","))  # "W[523,8]" -> (523, 8)
        expected = (dW if name.startswith("W") else db)[index]
        assert analytic == pytest.approx(expected, rel=1e-12, abs=1e-15)


def test_gradient_check_at_a_model_differs_from_the_random_point(check_data, pixel_model):
    at_model = gradient_check(*check_data, n_checks=20, model=pixel_model)
    at_random = gradient_check(*check_data, n_checks=20)
    assert not at_random.at_model
    assert at_model.parameter == at_random.parameter  # same coordinates, other point
    assert not np.allclose(at_model.analytic, at_random.analytic)


def test_gradient_check_rejects_what_is_not_a_model(check_data):
    with pytest.raises(TypeError, match="SoftmaxModel"):
        gradient_check(*check_data, model=np.zeros((784, 10)))


@pytest.mark.parametrize(
    ("name", "kwargs", "expected"),
    [
        ("W[523,8]", {}, "pixel 523 = row 18, column 19; class 8"),
        ("W[0,0]", {}, "pixel 0 = row 0, column 0; class 0"),
        ("W[783,9]", {}, "pixel 783 = row 27, column 27; class 9"),
        ("b[3]", {}, "bias of class 3"),
        ("W[900,1]", {"pixels": False}, "input feature 900; class 1"),
        ("b[2]", {"class_names": ("T-shirt", "Trouser", "Pullover")}, "bias of class 2 (Pullover)"),
    ],
)
def test_describe_coordinate_says_which_pixel_and_class(name, kwargs, expected):
    assert describe_coordinate(name, **kwargs) == expected


def test_every_checked_coordinate_is_described(check_data):
    result = gradient_check(*check_data, n_checks=30)
    assert len(result.meaning) == 30
    for name, meaning in zip(result.parameter, result.meaning, strict=True):
        if name.startswith("W["):
            i, j = (int(v) for v in name[2:-1].split(","))
            assert meaning == f"pixel {i} = row {i // 28}, column {i % 28}; class {j}"
        else:
            assert meaning == f"bias of class {name[2:-1]}"


def test_describe_coordinate_rejects_other_names():
    with pytest.raises(ValueError, match="W\\[i,j\\]"):
        describe_coordinate("W[3]")
