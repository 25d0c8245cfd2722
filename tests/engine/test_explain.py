"""explain_step: every stage of one gradient step against formulas written out again here
(plain loops and einsum, float64), against central differences, and as a step that learns."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

import engine
from engine import N_CLASSES, N_FEATURES, SoftmaxModel, explain_step, finite_difference

#: A batch size that is neither one nor a divisor-friendly round number.
BATCH = 7
L2 = 0.05
#: Central differences in float64 with ε = 1e-4 agree with a correct gradient to ~1e-10.
FD_ATOL = 1e-8
N_RANDOM_COORDS = 25

pytestmark = pytest.mark.usefixtures("single_blas_thread")


@pytest.fixture(scope="module")
def random_model() -> SoftmaxModel:
    """Weights large enough that the probabilities are far from uniform."""
    rng = np.random.default_rng(3)
    W = rng.normal(0.0, 0.3, size=(N_FEATURES, N_CLASSES)).astype(np.float32)
    b = rng.normal(0.0, 1.0, size=N_CLASSES).astype(np.float32)
    return SoftmaxModel(W, b, metadata={"optimizer": "test"})


@pytest.fixture(scope="module")
def shipped() -> SoftmaxModel:
    return engine.load_model(engine.DEFAULT_MODEL_PATH)


@pytest.fixture(scope="module")
def images(mnist) -> tuple[np.ndarray, np.ndarray]:
    return mnist.X_test[:BATCH], mnist.y_test[:BATCH]


def written_out(W, b, X, y, l2, lr):
    """The step from its definition: a loop over examples and classes for the softmax and the
    loss, einsum for the products. Independent of engine.model."""
    W, b, X = (np.asarray(a, dtype=np.float64) for a in (W, b, X))
    m, k = X.shape[0], W.shape[1]
    z = np.einsum("ip,pj->ij", X, W) + b
    P = np.empty((m, k))
    losses = np.empty(m)
    for i in range(m):
        exps = [math.exp(z[i, j]) for j in range(k)]  # small logits: the plain form is exact
        total = sum(exps)
        for j in range(k):
            P[i, j] = exps[j] / total
        losses[i] = -math.log(P[i, y[i]])
    Y = np.zeros((m, k))
    for i in range(m):
        Y[i, y[i]] = 1.0
    loss = losses.mean() + l2 / 2 * np.einsum("pj,pj->", W, W)
    dW = np.einsum("ip,ij->pj", X, P - Y) / m + l2 * W
    db = (P - Y).sum(axis=0) / m
    W2, b2 = W - lr * dW, b - lr * db
    z2 = np.einsum("ip,pj->ij", X, W2) + b2
    P2 = np.exp(z2) / np.exp(z2).sum(axis=1, keepdims=True)
    return {
        "logits": z,
        "probabilities": P,
        "one_hot": Y,
        "per_example_loss": losses,
        "loss": loss,
        "grad_W": dW,
        "grad_b": db,
        "W_after": W2,
        "b_after": b2,
        "probabilities_after": P2,
    }


@pytest.mark.parametrize("m", [1, BATCH])
@pytest.mark.parametrize("l2", [0.0, L2])
def test_every_stage_matches_the_formulas_written_out(random_model, images, m, l2):
    X, y = images[0][:m], images[1][:m]
    step = explain_step(random_model, X, y, lr=0.5, l2=l2)
    expected = written_out(random_model.W, random_model.b, X, y, l2, 0.5)
    for name, value in expected.items():
        np.testing.assert_allclose(getattr(step, name), value, rtol=1e-9, atol=1e-12, err_msg=name)
    assert step.data_loss == pytest.approx(expected["per_example_loss"].mean(), rel=1e-12)
    assert step.l2_loss == pytest.approx(l2 / 2 * float(np.sum(step.W**2)), rel=1e-12, abs=0)
    assert step.loss == pytest.approx(step.data_loss + step.l2_loss, rel=1e-12)
    assert step.n_examples == m
    np.testing.assert_array_equal(step.predicted, expected["probabilities"].argmax(axis=1))


def test_one_example_gradient_is_the_outer_product_of_x_and_p_minus_y(random_model, images):
    x, label = images[0][0], int(images[1][0])
    step = explain_step(random_model, x, label, lr=0.1, l2=L2)
    p_minus_y = step.probabilities[0] - np.eye(N_CLASSES)[label]
    np.testing.assert_allclose(step.grad_W, np.outer(x, p_minus_y) + L2 * step.W, atol=1e-12)
    np.testing.assert_allclose(step.grad_b, p_minus_y, atol=1e-12)
    np.testing.assert_allclose(step.error[0], p_minus_y, atol=1e-12)


def test_the_stable_softmax_stages_compose_to_the_probabilities(random_model, images):
    step = explain_step(random_model, *images, lr=0.1)
    np.testing.assert_allclose(step.weighted + step.b, step.logits, atol=1e-12)
    np.testing.assert_array_equal(step.shifted.max(axis=1), np.zeros(BATCH))
    np.testing.assert_allclose(step.exp.max(axis=1), np.ones(BATCH))
    np.testing.assert_allclose(step.exp / step.sum_exp[:, None], step.probabilities, atol=1e-15)


def test_huge_logits_neither_overflow_nor_take_the_log_of_zero(random_model, images):
    loud = replace(random_model, W=random_model.W * 1e4)  # logits in the thousands
    step = explain_step(loud, *images, lr=0.1)  # filterwarnings=error: an overflow would raise
    for name in ("probabilities", "per_example_loss", "grad_W", "probabilities_after"):
        assert np.isfinite(getattr(step, name)).all(), name
    assert (step.per_example_loss > 100).any()  # confidently wrong somewhere, and finite


@pytest.mark.parametrize("m", [1, BATCH])
@pytest.mark.parametrize("l2", [0.0, L2])
def test_gradient_agrees_with_central_differences(random_model, images, m, l2):
    X, y = images[0][:m], images[1][:m]
    step = explain_step(random_model, X, y, lr=0.1, l2=l2)
    rng = np.random.default_rng(m)
    inked = np.flatnonzero(X.any(axis=0))  # where the data term of the gradient is not zero
    rows = np.concatenate([rng.choice(inked, N_RANDOM_COORDS), rng.choice(N_FEATURES, 5)])
    cols = rng.integers(0, N_CLASSES, size=rows.size)
    for i, j in zip(rows, cols, strict=True):
        numeric = finite_difference(step, "W", (int(i), int(j)))
        assert numeric == pytest.approx(step.grad_W[i, j], rel=1e-6, abs=FD_ATOL), (i, j)
    for j in range(N_CLASSES):
        assert finite_difference(step, "b", j) == pytest.approx(
            step.grad_b[j], rel=1e-6, abs=FD_ATOL
        )


def test_finite_difference_sees_a_wrong_gradient(random_model, images):
    """The helper measures the loss, not the record's gradient: a tampered gradient differs."""
    step = explain_step(random_model, *images, lr=0.1)
    i = int(np.flatnonzero(images[0][0])[0])
    j = int(images[1][0])
    tampered = replace(step, grad_W=step.grad_W * 2)
    assert abs(finite_difference(tampered, "W", (i, j)) - tampered.grad_W[i, j]) > 1e-4


@pytest.mark.parametrize("m", [1, BATCH])
@pytest.mark.parametrize("which", ["random", "shipped"])
def test_a_small_step_lowers_the_loss(random_model, shipped, images, m, which):
    model = random_model if which == "random" else shipped
    step = explain_step(model, images[0][:m], images[1][:m], lr=1e-3, l2=L2)
    assert step.loss_after < step.loss
    # to first order the loss falls by lr * |grad|^2
    drop = 1e-3 * (np.sum(step.grad_W**2) + np.sum(step.grad_b**2))
    assert step.loss - step.loss_after == pytest.approx(drop, rel=0.05)


def test_model_after_gives_the_recorded_probabilities_and_the_model_is_untouched(
    random_model, images
):
    W_before = random_model.W.copy()
    step = explain_step(random_model, *images, lr=2.0, l2=L2)
    after = step.model_after
    np.testing.assert_array_equal(random_model.W, W_before)
    assert after.W.dtype == random_model.W.dtype and after.metadata == random_model.metadata
    np.testing.assert_allclose(after.predict_proba(images[0]), step.probabilities_after, atol=1e-5)
    np.testing.assert_allclose(step.weight_change, -2.0 * step.grad_W, atol=1e-12)
    assert not np.allclose(step.probabilities_after, step.probabilities, atol=1e-3)


class DoubledInputs(SoftmaxModel):
    """A model whose weights multiply mapped inputs: what a richer-input model looks like."""

    def inputs(self, X: np.ndarray) -> np.ndarray:
        return 2 * super().inputs(X)


def test_the_record_uses_what_the_model_says_its_weights_multiply(random_model, images):
    doubled = DoubledInputs(random_model.W, random_model.b)
    step = explain_step(doubled, *images, lr=0.1)
    np.testing.assert_allclose(step.inputs, 2 * images[0], atol=1e-6)
    np.testing.assert_allclose(step.probabilities, doubled.predict_proba(images[0]), atol=1e-6)
    expected = written_out(random_model.W, random_model.b, 2 * images[0], images[1], 0.0, 0.1)
    np.testing.assert_allclose(step.grad_W, expected["grad_W"], atol=1e-9)


@pytest.mark.parametrize(
    ("X", "y", "kwargs", "match"),
    [
        (np.zeros((2, 783)), [0, 1], {}, "784 features"),
        (np.zeros((0, N_FEATURES)), np.zeros(0, int), {}, "no examples"),
        (np.full((1, N_FEATURES), np.nan), [0], {}, "NaN"),
        (np.zeros((2, N_FEATURES)), [0], {}, r"one label per example: expected \(2,\)"),
        (np.zeros((2, N_FEATURES)), [0, 10], {}, r"out of range 0\.\.9"),
        (np.zeros((2, N_FEATURES)), [-1, 0], {}, r"out of range 0\.\.9"),
        (np.zeros((2, N_FEATURES)), [0.0, 1.0], {}, "integer class labels"),
        (np.zeros((1, N_FEATURES)), [0], {"lr": 0.0}, "lr must be a finite number > 0"),
        (np.zeros((1, N_FEATURES)), [0], {"lr": -0.1}, "lr must be a finite number > 0"),
        (np.zeros((1, N_FEATURES)), [0], {"lr": math.inf}, "lr must be a finite number > 0"),
        (np.zeros((1, N_FEATURES)), [0], {"lr": math.nan}, "lr must be a finite number > 0"),
        (np.zeros((1, N_FEATURES)), [0], {"lr": "0.1"}, "lr must be a number"),
        (np.zeros((1, N_FEATURES)), [0], {"l2": -1e-3}, "l2 must be a finite number >= 0"),
    ],
)
def test_bad_input_is_refused_naming_what_is_wrong(random_model, X, y, kwargs, match):
    kwargs = {"lr": 0.1, **kwargs}
    with pytest.raises(ValueError, match=match):
        explain_step(random_model, X, np.asarray(y), **kwargs)


def test_a_non_model_is_refused(images):
    with pytest.raises(TypeError, match="SoftmaxModel"):
        explain_step("model.npz", *images, lr=0.1)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("parameter", "index", "match"),
    [
        ("W", 3, r"index \(i, j\)"),
        ("W", (N_FEATURES, 0), r"index 0 must be in 0\.\.783"),
        ("W", (0, N_CLASSES), r"index 1 must be in 0\.\.9"),
        ("b", (0, 1), "one index j"),
        ("b", -1, r"0\.\.9"),
        ("X", 0, "'W' or 'b'"),
    ],
)
def test_finite_difference_refuses_a_bad_coordinate(random_model, images, parameter, index, match):
    step = explain_step(random_model, *images, lr=0.1)
    with pytest.raises(ValueError, match=match):
        finite_difference(step, parameter, index)


def test_training_batch_draws_distinct_float_examples_with_their_labels(mnist):
    grey_levels = np.rint(mnist.X_train[:500] * 255).astype(np.uint8)
    uint8 = replace(mnist, X_train=grey_levels, y_train=mnist.y_train[:500])
    X, y, index = engine.training_batch(uint8, 50, np.random.default_rng(0))
    assert X.shape == (50, N_FEATURES) and X.dtype == np.float32
    assert len(set(index.tolist())) == 50
    np.testing.assert_array_equal(y, mnist.y_train[index])
    np.testing.assert_allclose(X, mnist.X_train[index], atol=1 / 255)
    for bad in (0, 501, 2.5):
        with pytest.raises(ValueError, match=r"m must be an integer in 1\.\.500"):
            engine.training_batch(uint8, bad, np.random.default_rng(0))  # type: ignore[arg-type]
