"""Error rate, confusion matrix and per-class accuracy on small hand-made cases."""

from __future__ import annotations

import numpy as np
import pytest

from engine import N_CLASSES, confusion_matrix, error_rate, per_class_accuracy

Y_TRUE = np.array([0, 0, 1, 1, 1, 2, 3, 3])
Y_PRED = np.array([0, 1, 1, 1, 0, 2, 3, 2])
#: From the pairs above: rows are the true class, columns the prediction.
EXPECTED = {(0, 0): 1, (0, 1): 1, (1, 1): 2, (1, 0): 1, (2, 2): 1, (3, 3): 1, (3, 2): 1}


def test_error_rate_counts_wrong_predictions():
    assert error_rate(Y_TRUE, Y_PRED) == pytest.approx(3 / 8)
    assert error_rate(Y_TRUE, Y_TRUE) == 0.0
    assert error_rate([1, 2], [2, 1]) == 1.0


@pytest.mark.parametrize(
    ("y_true", "y_pred"), [([0, 1], [0]), ([], [])], ids=["length_mismatch", "empty"]
)
def test_error_rate_rejects_bad_input(y_true, y_pred):
    with pytest.raises(ValueError):
        error_rate(np.array(y_true, dtype=int), np.array(y_pred, dtype=int))


def test_confusion_matrix_places_each_pair():
    cm = confusion_matrix(Y_TRUE, Y_PRED)
    assert cm.shape == (N_CLASSES, N_CLASSES)
    expected = np.zeros((N_CLASSES, N_CLASSES), dtype=int)
    for (true, pred), count in EXPECTED.items():
        expected[true, pred] = count
    np.testing.assert_array_equal(cm, expected)
    assert cm.sum() == len(Y_TRUE)
    assert np.trace(cm) == np.sum(Y_TRUE == Y_PRED)
    np.testing.assert_array_equal(cm.sum(axis=1), np.bincount(Y_TRUE, minlength=N_CLASSES))
    np.testing.assert_array_equal(cm.sum(axis=0), np.bincount(Y_PRED, minlength=N_CLASSES))


def test_confusion_matrix_with_fewer_classes():
    cm = confusion_matrix([0, 1, 2], [0, 2, 2], n_classes=3)
    np.testing.assert_array_equal(cm, [[1, 0, 0], [0, 0, 1], [0, 0, 1]])


@pytest.mark.parametrize(
    ("y_true", "y_pred"),
    [([0], [N_CLASSES]), ([N_CLASSES], [0]), ([-1, 1], [1, 1])],
    ids=["pred_too_big", "true_too_big", "negative"],
)
def test_confusion_matrix_rejects_labels_out_of_range(y_true, y_pred):
    with pytest.raises(ValueError, match="range|class"):
        confusion_matrix(np.array(y_true), np.array(y_pred))


def test_confusion_matrix_rejects_mismatched_lengths():
    with pytest.raises(ValueError, match="shape"):
        confusion_matrix(np.array([1, 2, 3]), np.array([0]))


def test_per_class_accuracy():
    accuracy = per_class_accuracy(confusion_matrix(Y_TRUE, Y_PRED))
    assert accuracy.shape == (N_CLASSES,)
    np.testing.assert_allclose(accuracy[:4], [1 / 2, 2 / 3, 1.0, 1 / 2])
    # Classes 4..9 never occur: their accuracy is undefined, not 0 or 1.
    assert np.isnan(accuracy[4:]).all()


def test_per_class_accuracy_of_a_perfect_model():
    labels = np.arange(N_CLASSES).repeat(3)
    np.testing.assert_array_equal(per_class_accuracy(confusion_matrix(labels, labels)), 1.0)


def test_evaluate_reports_a_models_predictions_and_their_metrics():
    from engine import SoftmaxModel, evaluate

    # one-hot inputs; the weights read input j as class [0, 1, 2, 2][j]
    W = np.zeros((4, 4), np.float32)
    W[np.arange(4), [0, 1, 2, 2]] = 1
    model = SoftmaxModel(W=W, b=np.zeros(4, np.float32))
    X = np.eye(4, dtype=np.float32)[[0, 1, 1, 2, 3, 3]]
    y = np.array([0, 1, 0, 2, 3, 2])
    ev = evaluate(model, X, y)
    np.testing.assert_array_equal(ev.y_pred, [0, 1, 1, 2, 2, 2])
    assert ev.error == pytest.approx(2 / 6) and ev.accuracy == pytest.approx(4 / 6)
    assert ev.confusion[0, 1] == 1 and ev.confusion[3, 2] == 1
    assert ev.per_class_or_none() == [0.5, 1.0, 1.0, 0.0]
