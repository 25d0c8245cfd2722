"""The analytic gradient against finite differences, and a gradient check that catches mistakes."""

from __future__ import annotations

from functools import partial

import numpy as np
import pytest

from engine import DEFAULT_THRESHOLD, N_CLASSES, gradient_check, loss_gradient

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
