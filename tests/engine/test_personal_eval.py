"""evaluate_personal: honest, reproducible figures for a person's samples.

A style the base model misreads and adaptation learns shows up in the cross-validated figure;
labels that only memorisation can fit do not.
"""

from __future__ import annotations

import numpy as np
import pytest

from engine import (
    Dataset,
    PersonalReport,
    SoftmaxModel,
    adapt,
    evaluate_personal,
)
from engine.personal.evaluation import fold_ids

#: A whole mirrored style costs MNIST more than adapt's default guard allows; these tests are
#: about the figures, so they let the model learn it.
LOOSE = {"max_drop": 0.05}
N_TEST = 500
PER_CLASS = 3


#: Adaptation is many small products: one BLAS thread is ~10x faster on a busy machine.
pytestmark = pytest.mark.usefixtures("single_blas_thread")


@pytest.fixture(scope="module")
def test_set(mnist_small: Dataset) -> tuple[np.ndarray, np.ndarray]:
    return mnist_small.X_test[:N_TEST], mnist_small.y_test[:N_TEST]


@pytest.fixture(scope="module")
def mirrored(mnist: Dataset) -> tuple[np.ndarray, np.ndarray]:
    """A "writer" who writes every digit mirrored: PER_CLASS of each class, from the end of the
    test set (not in ``test_set``)."""
    idx = np.concatenate([np.flatnonzero(mnist.y_test == c)[-PER_CLASS:] for c in range(10)])
    X = mnist.X_test[idx].reshape(-1, 28, 28)[:, :, ::-1].reshape(idx.size, -1)
    return np.ascontiguousarray(X), mnist.y_test[idx]


def accuracy(model: SoftmaxModel, X: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean(model.predict(X) == y))


def test_a_style_adaptation_learns_shows_in_the_cross_validated_figure(
    base, replay, test_set, mirrored
):
    X, y = mirrored
    report = evaluate_personal(
        base, X, y, replay=replay, X_test=test_set[0], y_test=test_set[1], **LOOSE
    )
    assert report.n_samples == X.shape[0]
    assert report.base_accuracy == accuracy(base, X, y) < 0.5  # mirrored digits are misread
    assert report.adapted_cv_accuracy >= report.base_accuracy + 0.2  # on digits it did not fit
    assert report.base_test_accuracy == accuracy(base, *test_set)
    adapted = adapt(base, X, y, replay=replay, **LOOSE)  # the model the figures are about
    assert report.adapted_test_accuracy == accuracy(adapted, *test_set)
    assert report.adapted_test_accuracy > report.base_test_accuracy - 0.05


def test_labels_only_memorisation_fits_get_no_cross_validated_credit(base, replay, mnist):
    idx = np.array([np.flatnonzero(mnist.y_test == c)[-1] for c in range(10)])
    X, wrong = mnist.X_test[idx], (mnist.y_test[idx] + 1) % 10  # each digit called the next
    fitted = adapt(base, X, wrong, replay=replay, **LOOSE)
    assert accuracy(fitted, X, wrong) >= 0.8  # on the samples it fitted, it looks fine
    report = evaluate_personal(base, X, wrong, replay=replay, X_test=None, y_test=None, **LOOSE)
    assert report.adapted_cv_accuracy <= 0.2  # held out, the "style" does not exist
    assert report.base_test_accuracy is None and report.adapted_test_accuracy is None


def test_the_same_inputs_give_the_same_report(base, replay, mirrored):
    X, y = mirrored
    first = evaluate_personal(base, X[:8], y[:8], replay=replay, X_test=X, y_test=y, folds=3)
    again = evaluate_personal(base, X[:8], y[:8], replay=replay, X_test=X, y_test=y, folds=3)
    assert first == again


def test_one_sample_has_no_cross_validated_figure(base, replay, mirrored):
    X, y = mirrored
    report = evaluate_personal(base, X[:1], y[:1], replay=replay, X_test=X, y_test=y)
    assert report == PersonalReport(
        n_samples=1,
        base_accuracy=accuracy(base, X[:1], y[:1]),
        adapted_cv_accuracy=None,
        base_test_accuracy=accuracy(base, X, y),
        adapted_test_accuracy=accuracy(adapt(base, X[:1], y[:1], replay=replay), X, y),
        n_alone=1,
    )


def test_samples_alone_in_their_class_are_counted(base, replay, mirrored):
    """Cross-validation cannot credit a digit taught once: the report says how many are."""
    X, y = mirrored
    pick = np.concatenate([np.flatnonzero(y == c)[:take] for c, take in ((0, 2), (1, 1), (2, 1))])
    report = evaluate_personal(base, X[pick], y[pick], replay=replay, X_test=None, y_test=None)
    assert report.n_samples == 4 and report.n_alone == 2
    many = evaluate_personal(base, X, y, replay=replay, X_test=None, y_test=None, folds=2)
    assert many.n_alone == 0  # PER_CLASS of every class


def test_adapt_options_reach_every_adaptation(base, replay, mirrored):
    X, y = mirrored
    with pytest.raises(ValueError, match="pull"):
        evaluate_personal(base, X, y, replay=replay, X_test=None, y_test=None, pull=-1.0)
    still = evaluate_personal(
        base, X[:6], y[:6], replay=replay, X_test=X, y_test=y, max_iter=1, alpha=0.0, pull=0.0
    )
    # alpha 0 ignores the samples: one step on the replay alone barely moves the model
    assert abs(still.adapted_test_accuracy - still.base_test_accuracy) <= 0.1


@pytest.mark.parametrize(("n", "folds"), [(2, 5), (7, 3), (30, 5), (13, 13)])
def test_every_fold_is_used_and_classes_spread_over_the_folds(n, folds):
    y = np.arange(n) % 4
    ids = fold_ids(y, min(folds, n))
    k = min(folds, n)
    assert sorted(set(ids.tolist())) == list(range(k))  # no fold is empty
    for c in range(4):  # stratified: a class's samples differ by at most one between folds
        per_fold = np.bincount(ids[y == c], minlength=k)
        assert per_fold.max() - per_fold.min() <= 1
    np.testing.assert_array_equal(fold_ids(y, k), ids)  # fixed seed


@pytest.mark.parametrize(
    ("kwargs", "says"),
    [
        ({"folds": 1}, "folds must be an integer >= 2"),
        ({"folds": True}, "folds must be"),
        ({"folds": 2.0}, "folds must be"),
        ({"y_test": None}, "both X_test and y_test"),
        ({"X_test": np.zeros((5, 783), np.float32)}, r"X_test must be \(m, 784\)"),
        ({"y_test": np.zeros(4, np.int64)}, r"y_test must be \(5,\)"),
        (
            {"samples_X": np.zeros((0, 784), np.float32), "samples_y": np.zeros(0, np.int64)},
            "no samples",
        ),
        ({"samples_y": np.array([1, 2])}, "rows but y has"),
        ({"base": "model.npz"}, "SoftmaxModel"),
    ],
)
def test_bad_input_is_refused_naming_the_problem(base, replay, kwargs, says):
    args = {
        "base": base,
        "samples_X": np.zeros((3, 784), np.float32),
        "samples_y": np.array([1, 2, 3]),
        "replay": replay,
        "X_test": np.zeros((5, 784), np.float32),
        "y_test": np.zeros(5, np.int64),
        **kwargs,
    }
    with pytest.raises(ValueError, match=says):
        evaluate_personal(args.pop("base"), args.pop("samples_X"), args.pop("samples_y"), **args)
