"""The reference port: correct where the original was correct, flawed where it was flawed."""

from __future__ import annotations

import numpy as np
import pytest

from engine import loss_gradient, softmax
from engine.reference import (
    reference_cost_gradient,
    reference_gradient_check,
    reference_init,
    reference_lbfgs,
    reference_one_hot,
    reference_softmax,
)

from ..reference_sgd import reference_sgd

N_IMAGES = 200
#: The reference's gradient is exact: float64 central differences agree to ~1e-9.
MAX_MEAN_ABS_ERROR = 1e-6
N_CLASSES = 10
CHANCE_ERROR = 0.9


@pytest.fixture(scope="module")
def test_images(mnist_raw):
    return mnist_raw.X_test[:N_IMAGES].astype(np.float64), mnist_raw.y_test[:N_IMAGES]


def test_gradient_check_error_is_tiny(test_images):
    X, y = test_images
    check = reference_gradient_check(X, y, np.random.default_rng(0), n_trials=50)
    assert check.n_trials == 50
    assert 0 <= check.mean_abs_error <= check.max_abs_error < MAX_MEAN_ABS_ERROR


def test_gradient_check_catches_a_wrong_gradient(test_images, monkeypatch):
    import engine.reference as reference

    def doubled(theta, X, Y):
        cost, grad = reference_cost_gradient(theta, X, Y)
        return cost, 2 * grad

    monkeypatch.setattr(reference, "reference_cost_gradient", doubled)
    X, y = test_images
    check = reference_gradient_check(X, y, np.random.default_rng(0), n_trials=20)
    assert check.mean_abs_error > 1e-3


def test_summed_loss_is_n_times_the_engines_averaged_loss(test_images):
    X, y = test_images
    theta = reference_init(np.random.default_rng(1), X.shape[1])
    cost, grad = reference_cost_gradient(theta, X, reference_one_hot(y))
    W = theta.reshape(X.shape[1], N_CLASSES)
    loss, dW, _ = loss_gradient(W, np.zeros(N_CLASSES), X, y, 0.0)
    n = X.shape[0]
    assert cost == pytest.approx(n * loss, rel=1e-12)
    np.testing.assert_allclose(grad.reshape(W.shape), n * dW, rtol=1e-9, atol=1e-12)


def test_init_is_glorot_uniform():
    theta = reference_init(np.random.default_rng(2), 784)
    bound = np.sqrt(6.0) / np.sqrt(784 + N_CLASSES)
    assert theta.shape == (784 * N_CLASSES,)
    assert np.abs(theta).max() <= bound
    assert np.abs(theta).max() > 0.99 * bound  # spans the whole interval


def test_reference_softmax_overflows_where_the_engines_does_not():
    logits = np.array([[1000.0, 0.0, -5.0], [2.0, 1.0, 0.0]])
    with np.errstate(over="ignore", invalid="ignore"):
        flawed = reference_softmax(logits)
    assert not np.isfinite(flawed[0]).all()  # exp(1000) = inf, inf / inf = nan
    stable = softmax(logits)
    assert np.isfinite(stable).all()
    np.testing.assert_allclose(stable.sum(axis=1), 1.0)
    assert stable[0].argmax() == 0
    np.testing.assert_allclose(flawed[1], stable[1])  # the two agree on ordinary logits


def test_reference_cost_overflows_on_large_logits():
    X = np.full((1, 2), 1000.0)  # exp overflows float64 above ~709
    theta = np.array([1.0, 0.0, 0.0, 0.0, 1.0, 0.0])  # logits 1000, 1000, 0
    Y = np.array([[0.0, 0.0, 1.0]])
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        cost, _ = reference_cost_gradient(theta, X, Y)
    assert not np.isfinite(cost)
    engine_loss, _, _ = loss_gradient(theta.reshape(2, 3), np.zeros(3), X, np.array([2]))
    assert engine_loss == pytest.approx(1000.0 + np.log(2.0))


def test_lbfgs_and_sgd_learn_on_a_subset(mnist_raw):
    X = mnist_raw.X_train[:2000].astype(np.float64)
    y = mnist_raw.y_train[:2000]
    X_test = mnist_raw.X_test[:500].astype(np.float64)
    y_test = mnist_raw.y_test[:500]
    theta0 = reference_init(np.random.default_rng(0), X.shape[1])
    lbfgs = reference_lbfgs(X, y, X_test, y_test, theta0, max_iter=15)
    assert lbfgs.iterations <= 15 and lbfgs.evaluations >= lbfgs.iterations
    assert lbfgs.test_error < 0.25
    np.testing.assert_array_equal(theta0, reference_init(np.random.default_rng(0), 784))
    sgd = reference_sgd(X, y, X_test, y_test, theta0, max_epochs=3)
    assert sgd.iterations == 3  # the last-batch cost still drops fast: no early stop yet
    assert sgd.evaluations == 3 * 10  # 2000 images in batches of 200
    assert sgd.test_error < CHANCE_ERROR - 0.3
