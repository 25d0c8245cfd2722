"""L-BFGS-B's whitened objective: the same objective as on raw pixels, and a gradient that
agrees with finite differences of it."""

from __future__ import annotations

import numpy as np
import pytest
from threadpoolctl import ThreadpoolController

from engine import loss_gradient
from engine.data.datasets import as_features
from engine.model import init_weights
from engine.training.whitened import STANDARDISED_WHITEN_RIDGE, WHITEN_RIDGE, WhitenedProblem

L2 = 1e-3
#: Central-difference step in theta; the objective is smooth and computed in float32.
EPS = 1e-2
#: A directional derivative may differ from gradient·direction by this share of |gradient|.
MAX_DIRECTIONAL_ERROR = 1e-3


@pytest.fixture(params=[WHITEN_RIDGE, STANDARDISED_WHITEN_RIDGE], ids=["pixels", "mapped"])
def problem_at(mnist_small, request):
    """A whitened problem on the small training set (with either ridge: each is an exact
    change of variables) and a point off its starting guess."""
    data = mnist_small
    problem = WhitenedProblem(
        data.X_train, data.y_train, 10, L2, ThreadpoolController(), ridge=request.param
    )
    W, b = init_weights(np.random.default_rng(5))
    b += np.linspace(-0.5, 0.5, 10, dtype=np.float32)
    theta = problem.to_theta(W, b)
    yield data, problem, theta
    problem.close()


def test_whitened_objective_equals_the_raw_objective_of_the_same_model(problem_at):
    data, problem, theta = problem_at
    loss, _ = problem(theta)
    W, b = problem.to_raw(theta)
    raw_loss, _, _ = loss_gradient(W, b, as_features(data.X_train), data.y_train, L2)
    assert loss == pytest.approx(raw_loss, rel=1e-5)


def test_whitened_gradient_matches_central_differences(problem_at):
    _, problem, theta = problem_at
    _, grad = problem(theta)
    norm = float(np.linalg.norm(grad))
    rng = np.random.default_rng(0)
    split = problem.d * problem.k
    directions = [grad / norm]  # steepest ascent: covers every coordinate at once
    for part in (slice(0, split), slice(split, None)):  # weights V only, bias c only
        u = np.zeros_like(theta)
        u[part] = rng.standard_normal(u[part].shape)
        directions.append(u / np.linalg.norm(u))
    for _ in range(3):  # random directions through everything
        u = rng.standard_normal(theta.shape)
        directions.append(u / np.linalg.norm(u))
    for i, u in enumerate(directions):
        plus, _ = problem(theta + EPS * u)
        minus, _ = problem(theta - EPS * u)
        numeric = (plus - minus) / (2 * EPS)
        assert abs(numeric - float(grad @ u)) <= MAX_DIRECTIONAL_ERROR * norm, f"direction {i}"


def test_uncentred_edge_features_keep_blank_ones_out_of_the_copy(mnist_small):
    # what L-BFGS-B is handed for a mapped input: blank pixels and cells stay zero and are
    # left out of each chunk, so its copy is smaller than the standardised features' copy
    from engine import fit_input_map

    input_map = fit_input_map("edges", mnist_small.X_train)
    sizes = {}
    for centred in (True, False):
        X = input_map.transform(mnist_small.X_train, np.float16, centred=centred)
        problem = WhitenedProblem(
            X, mnist_small.y_train, 10, 1e-4, ThreadpoolController(), mnist_small.X_train
        )
        sizes[centred] = sum(chunk.tiles.nbytes for chunk in problem.chunks)
        problem.close()
    assert sizes[False] < 0.95 * sizes[True]  # 35% smaller on the full MNIST
