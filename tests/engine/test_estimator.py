"""engine.SoftmaxRegression: scikit-learn's estimator checks, and use in its tools."""

from __future__ import annotations

import inspect
import warnings
from dataclasses import fields

import numpy as np
import pytest
from sklearn.datasets import make_blobs
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

import engine
from engine import SoftmaxRegression, TrainConfig, load_model, run_to_end, save_model, train

with warnings.catch_warnings():
    # scikit-learn notes that the estimator does not inherit its BaseEstimator: by design,
    # so that scikit-learn stays an optional dependency
    warnings.filterwarnings("ignore", "Estimator SoftmaxRegression does not inherit")
    CHECKS = parametrize_with_checks([SoftmaxRegression(random_state=0)])


@CHECKS
def test_passes_scikit_learn_estimator_checks(estimator, check):
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=UserWarning, module="sklearn")
        check(estimator)


def test_defaults_are_the_train_configs():
    # scikit-learn reads the defaults from __init__'s signature; they must not drift apart
    config = TrainConfig()
    config_fields = {f.name for f in fields(TrainConfig)}
    params = inspect.signature(SoftmaxRegression).parameters
    checked = 0
    for name, param in params.items():
        field = "optimizer" if name == "solver" else name
        if field in config_fields:
            assert param.default == getattr(config, field), name
            checked += 1
    # every setting but the seed (None: a fresh one, as scikit-learn does) and the snapshots
    assert checked == len(config_fields) - 2


def blobs(labels):
    X, codes = make_blobs(n_samples=150, centers=len(labels), random_state=1)
    return X, np.asarray(labels)[codes]


def test_any_labels_come_back_as_given():
    X, y = blobs(["emu", "cat", "dog"])
    clf = SoftmaxRegression(random_state=0).fit(X, y)
    assert list(clf.classes_) == ["cat", "dog", "emu"]
    assert set(clf.predict(X)) <= {"cat", "dog", "emu"}
    assert clf.score(X, y) > 0.9
    proba = clf.predict_proba(X)
    assert proba.shape == (150, 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1)
    assert (clf.classes_[proba.argmax(axis=1)] == clf.predict(X)).all()
    assert clf.coef_.shape == (3, 2) and clf.intercept_.shape == (3,)
    assert clf.n_iter_ >= 1


def test_fits_the_same_model_as_the_engine(mnist_small):
    data = mnist_small
    clf = SoftmaxRegression(max_iter=15, random_state=3).fit(data.X_train, data.y_train)
    direct = run_to_end(train(data, TrainConfig(max_iter=15, seed=3)))
    np.testing.assert_array_equal(clf.coef_, direct.model.W.T.astype(np.float64))
    np.testing.assert_array_equal(clf.intercept_, direct.model.b.astype(np.float64))
    assert clf.n_iter_ == direct.iterations
    assert (clf.predict(data.X_test) == direct.model.predict(data.X_test)).all()


def test_grid_search_over_a_pipeline_picks_a_setting(mnist_small):
    X, y = mnist_small.X_train[:900], mnist_small.y_train[:900]
    pipe = make_pipeline(StandardScaler(), SoftmaxRegression(max_iter=30, random_state=0))
    search = GridSearchCV(pipe, {"softmaxregression__l2": [1e-4, 1e-1]}, cv=3)
    search.fit(X, y)
    assert search.best_params_["softmaxregression__l2"] in (1e-4, 1e-1)
    assert search.best_score_ > 0.8
    assert search.score(mnist_small.X_test, mnist_small.y_test) > 0.8


@pytest.mark.parametrize("solver", list(engine.OPTIMIZERS))
def test_callback_sees_progress_and_can_stop_the_fit(mnist_small, solver):
    seen = []

    def callback(progress):
        seen.append(progress)
        return len(seen) >= 3

    clf = SoftmaxRegression(solver, max_iter=50, report_every=2, random_state=0, callback=callback)
    clf.fit(mnist_small.X_train, mnist_small.y_train)
    assert len(seen) == 3
    assert all(isinstance(p, engine.Progress) for p in seen)
    assert clf.result_.reason == "stopped"
    assert clf.score(mnist_small.X_test, mnist_small.y_test) > 0.5


def test_fitted_model_saves_and_loads_as_an_engine_model(mnist_small, tmp_path):
    clf = SoftmaxRegression(max_iter=10, random_state=0).fit(
        mnist_small.X_train, mnist_small.y_train
    )
    save_model(clf.model_, tmp_path / "model.npz")
    loaded = load_model(tmp_path / "model.npz")
    assert (loaded.predict(mnist_small.X_test) == clf.predict(mnist_small.X_test)).all()


@pytest.mark.parametrize(
    "params, message",
    [
        ({"solver": "adam"}, r"optimizer must be one of \['lbfgs', 'sgd'\], got 'adam'"),
        ({"l2": -1.0}, r"l2 must be a finite number >= 0"),
        ({"max_iter": 0}, r"max_iter must be a positive integer"),
        ({"random_state": "seven"}, r"random_state must be"),
    ],
)
def test_bad_settings_are_named_when_fitting_not_when_made(params, message):
    X, y = blobs([0, 1])
    clf = SoftmaxRegression(**params)  # scikit-learn's rule: constructing never fails
    with pytest.raises(ValueError, match=message):
        clf.fit(X, y)
