"""The model's maths: stable softmax, one loss whatever the code path, and the model object."""

from __future__ import annotations

import numpy as np
import pytest

from engine import N_CLASSES, SoftmaxModel, log_softmax, loss_gradient, one_hot, softmax
from engine.model import init_weights

#: Logits far beyond where a naive exp() overflows (float32 overflows above ~88, float64 ~709).
HUGE = 1e4
EXTREME_LOGITS = {
    "mixed": [HUGE, -HUGE, 0.0],
    "all_huge": [HUGE, HUGE, HUGE],
    "all_tiny": [-HUGE, -HUGE, -HUGE],
    "near_tie": [HUGE, HUGE - 1.0, -HUGE],
}
N_SUBSET = 300

pytestmark = pytest.mark.usefixtures("single_blas_thread")


@pytest.fixture(scope="module")
def subset(mnist):
    """300 test images in float64 and random weights with a non-zero bias."""
    rng = np.random.default_rng(0)
    X = mnist.X_test[:N_SUBSET].astype(np.float64)
    y = mnist.y_test[:N_SUBSET]
    W = rng.normal(0, 0.05, size=(X.shape[1], N_CLASSES))
    b = rng.normal(0, 0.5, size=N_CLASSES)
    return X, y, W, b


def direct_loss(W, b, X, y, l2):
    """The loss written the obvious way: -mean log softmax[y] + l2/2 ||W||²."""
    proba = softmax(X @ W + b)
    return -np.mean(np.log(proba[np.arange(len(y)), y])) + 0.5 * l2 * np.sum(W * W)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("row", EXTREME_LOGITS.values(), ids=EXTREME_LOGITS.keys())
def test_softmax_is_stable_on_extreme_logits(row, dtype):
    logits = np.array([row, [0.0, 1.0, 2.0]], dtype=dtype)
    proba = softmax(logits)
    logp = log_softmax(logits)
    assert np.isfinite(proba).all() and np.isfinite(logp).all()
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)
    np.testing.assert_allclose(np.exp(logp), proba, atol=1e-6)
    # The largest logit wins by HUGE margins, so it keeps (almost) all the probability.
    assert proba[0].argmax() == int(np.argmax(row))


def test_log_softmax_of_mixed_extremes_is_exact():
    logp = log_softmax(np.array([[HUGE, -HUGE, 0.0]]))
    # log-sum-exp is HUGE (the other terms are e^-10000 and e^-20000 below it).
    np.testing.assert_allclose(logp, [[0.0, -2 * HUGE, -HUGE]])


def test_softmax_ignores_a_constant_added_to_a_row():
    logits = np.array([[1.0, 2.0, 3.0]])
    np.testing.assert_allclose(softmax(logits + 5000.0), softmax(logits), rtol=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_loss_gradient_is_finite_on_extreme_logits(dtype):
    # One sample whose logits are [HUGE, -HUGE, 0, ...] through the bias; its label is the
    # class at -HUGE, so -log p[y] = logsumexp - logit[y] = HUGE - (-HUGE).
    X = np.zeros((1, 4), dtype=dtype)
    W = np.zeros((4, N_CLASSES), dtype=dtype)
    b = np.zeros(N_CLASSES, dtype=dtype)
    b[0], b[1] = HUGE, -HUGE
    loss, dW, db = loss_gradient(W, b, X, np.array([1]))
    assert np.isfinite(loss) and np.isfinite(dW).all() and np.isfinite(db).all()
    assert loss == pytest.approx(2 * HUGE)
    # d loss / d logits = proba - one_hot: +1 on the winning class, -1 on the label.
    np.testing.assert_allclose(db[:2], [1.0, -1.0], atol=1e-6)


@pytest.mark.parametrize("l2", [0.0, 0.1])
def test_loss_matches_its_definition(subset, l2):
    X, y, W, b = subset
    expected = direct_loss(W, b, X, y, l2)
    assert loss_gradient(W, b, X, y, l2)[0] == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("l2", [0.0, 0.1])
def test_float32_and_float64_agree(subset, l2):
    X, y, W, b = subset
    loss64, dW64, db64 = loss_gradient(W, b, X, y, l2)
    f32 = [a.astype(np.float32) for a in (W, b, X)]
    loss32, dW32, db32 = loss_gradient(*f32[:2], f32[2], y, l2)
    assert dW32.dtype == np.float32
    # float32 carries ~7 significant digits; sums over 300 samples lose at most one more.
    assert loss32 == pytest.approx(loss64, rel=1e-5)
    np.testing.assert_allclose(dW32, dW64, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(db32, db64, rtol=1e-4, atol=1e-6)


def test_averaged_loss_does_not_depend_on_duplicating_the_batch(subset):
    X, y, W, b = subset
    once = loss_gradient(W, b, X, y, 0.1)
    twice = loss_gradient(W, b, np.vstack([X, X]), np.concatenate([y, y]), 0.1)
    assert twice[0] == pytest.approx(once[0], rel=1e-12)
    np.testing.assert_allclose(twice[1], once[1], rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(twice[2], once[2], rtol=1e-10, atol=1e-15)


def test_l2_acts_on_weights_only(subset):
    X, y, W, b = subset
    plain, dW0, db0 = loss_gradient(W, b, X, y, 0.0)
    penalised, dW1, db1 = loss_gradient(W, b, X, y, 0.1)
    assert penalised - plain == pytest.approx(0.05 * np.sum(W * W), rel=1e-10)
    np.testing.assert_allclose(dW1 - dW0, 0.1 * W, atol=1e-12)
    np.testing.assert_array_equal(db1, db0)


def test_one_hot():
    Y = one_hot(np.array([2, 0, 9]))
    assert Y.shape == (3, N_CLASSES)
    np.testing.assert_array_equal(Y.argmax(axis=1), [2, 0, 9])
    np.testing.assert_array_equal(Y.sum(axis=1), 1)


def test_init_weights_are_small_and_seeded():
    W, b = init_weights(np.random.default_rng(3))
    W_again, _ = init_weights(np.random.default_rng(3))
    np.testing.assert_array_equal(W, W_again)
    assert W.dtype == np.float32 and b.dtype == np.float32
    assert np.abs(W).max() <= np.sqrt(6 / (W.shape[0] + W.shape[1]))
    np.testing.assert_array_equal(b, 0)


@pytest.fixture(scope="module")
def random_model():
    W, _ = init_weights(np.random.default_rng(2))
    b = np.linspace(-1, 1, N_CLASSES, dtype=np.float32)
    return SoftmaxModel(W=W, b=b)


def test_model_predictions_are_consistent(random_model, mnist):
    X = mnist.X_test[:50]
    proba = random_model.predict_proba(X)
    assert proba.shape == (50, N_CLASSES)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-5)
    np.testing.assert_array_equal(random_model.predict(X), proba.argmax(axis=1))
    # A single image (784,) is accepted as a batch of one.
    np.testing.assert_allclose(random_model.logits(X[0]), random_model.logits(X[:1]))


def test_evidence_adds_up_to_the_logit(random_model, mnist):
    x = mnist.X_test[0]
    logits = random_model.logits(x)[0]
    for k in range(N_CLASSES):
        evidence = random_model.evidence(x, k)
        assert evidence.shape == (random_model.n_features,)
        assert evidence.sum() + random_model.b[k] == pytest.approx(logits[k], abs=1e-4)


@pytest.mark.parametrize("shape", [(3, 100), (785,)])
def test_model_rejects_inputs_of_the_wrong_size(random_model, shape):
    with pytest.raises(ValueError, match="784 features"):
        random_model.logits(np.zeros(shape))
