"""Library use of the engine as its README shows it, checked by mypy in CI (never run by
pytest): a user's type checker must accept it and infer the types written here."""

from __future__ import annotations

import numpy as np

import engine
from engine import SoftmaxRegression, TrainConfig, TrainResult, load_mnist, run_to_end, train


def estimator_quick_start() -> float:
    data = load_mnist(preprocessing_version=1)
    clf = SoftmaxRegression(solver="lbfgs", l2=1e-4, random_state=0)
    clf.fit(data.X_train, data.y_train)
    proba: np.ndarray = clf.predict_proba(data.X_test)
    labels: np.ndarray = clf.predict(data.X_test[:1])
    assert proba.shape[0] == data.X_test.shape[0] and labels.size == 1
    return clf.score(data.X_test, data.y_test)


def generator_api() -> TrainResult:
    data: engine.Dataset = load_mnist()
    run = train(data, TrainConfig(optimizer="sgd", epochs=1))
    for progress in run:
        cost: float = progress.cost
        assert cost >= 0
    result = run_to_end(train(data, TrainConfig()))
    if result.stop_reason is engine.StopReason.MAX_ITERATIONS:
        why: str = result.reason  # e.g. "reached 200 iterations"
        assert why and not result.converged
    model: engine.SoftmaxModel = result.model
    engine.save_model(model, "model.npz")
    report: engine.Evaluation = engine.evaluate(model, data.X_test, data.y_test)
    assert 0 <= report.accuracy <= 1
    return result
