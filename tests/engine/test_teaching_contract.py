"""The teaching contract of engine.adapt: a correction is always learnt (even a blob, or a
drawing nothing like MNIST, taught the digit the model thought least likely), the same drawing
taught two digits is read as the latest and reported, the result is reproducible, and what
MNIST lost is recorded for the app to show."""

from __future__ import annotations

import numpy as np
import pytest

from engine import (
    SoftmaxModel,
    TrainConfig,
    adapt,
    preprocess_canvas,
    run_to_end,
    teaching_conflicts,
    train,
)

#: Adaptation is many small products: one BLAS thread is ~10x faster on a busy machine.
pytestmark = pytest.mark.usefixtures("single_blas_thread")

PAGE = 280


def _drawing(kind: str) -> np.ndarray:
    """A page (PAGE, PAGE) uint8 with 255 ink: shapes a person might draw that are no digit."""
    yy, xx = np.mgrid[:PAGE, :PAGE]
    page = np.zeros((PAGE, PAGE), dtype=np.uint8)
    if kind == "blob":
        page[(yy - 140) ** 2 + (xx - 140) ** 2 < 70**2] = 255
    elif kind == "box":
        outer = (abs(yy - 140) < 90) & (abs(xx - 140) < 90)
        inner = (abs(yy - 140) < 72) & (abs(xx - 140) < 72)
        page[outer & ~inner] = 255
    elif kind == "cross":
        page[(abs(yy - xx) < 14) | (abs(yy + xx - PAGE) < 14)] = 255
    elif kind == "bar":
        page[130:150, 30:250] = 255
    return page


def _hard(base: SoftmaxModel, kinds: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Each drawing of ``kinds`` as the app preprocesses it, labelled with the digit the
    base finds least likely: the hardest correction a user could make."""
    X = np.stack(
        [preprocess_canvas(_drawing(k), base.preprocessing_version).ravel() for k in kinds]
    )
    return X, base.predict_proba(X).argmin(axis=1)


@pytest.mark.parametrize("kind", ["blob", "box", "cross", "bar"])
def test_one_hard_correction_is_read_as_taught(base, replay, kind):
    X, y = _hard(base, (kind,))
    assert base.predict(X)[0] != y[0]
    adapted = adapt(base, X, y, replay=replay)
    assert adapted.predict(X)[0] == y[0]
    assert adapted.metadata["adapted"]["not_learnt"] == []


def test_hard_corrections_together_with_misread_digits_are_all_read_as_taught(
    base, replay, mnist_small
):
    X_hard, y_hard = _hard(base, ("blob", "box", "cross", "bar"))
    wrong = np.flatnonzero(base.predict(mnist_small.X_test) != mnist_small.y_test)[:20]
    X = np.concatenate([X_hard, mnist_small.X_test[wrong]])
    y = np.concatenate([y_hard, mnist_small.y_test[wrong]])
    adapted = adapt(base, X, y, replay=replay)
    np.testing.assert_array_equal(adapted.predict(X), y)


def test_a_fit_that_ignores_the_corrections_is_refitted_until_they_stick(base, replay):
    """alpha = 0 gives the corrections no weight in the first fit: the harder refits learn
    them, and the metadata says refits were needed."""
    X, y = _hard(base, ("blob", "cross"))
    adapted = adapt(base, X, y, replay=replay, alpha=0.0)
    np.testing.assert_array_equal(adapted.predict(X), y)
    assert adapted.metadata["adapted"]["refits"] >= 1
    # with no refit allowed the failure is reported, not hidden
    stuck = adapt(base, X, y, replay=replay, alpha=0.0, max_refits=0)
    info = stuck.metadata["adapted"]
    missed = np.flatnonzero(stuck.predict(X) != y).tolist()
    assert missed and info["not_learnt"] == missed and info["stick_step"] is None


def test_the_same_drawing_taught_two_digits_reads_as_the_latest_and_is_reported(
    base, replay, mnist_small
):
    X_hard, _ = _hard(base, ("blob",))
    x7 = mnist_small.X_test[mnist_small.y_test == 7][:1]
    X = np.concatenate([X_hard, x7, X_hard, X_hard])  # the blob taught 3, then 8, then 5
    y = np.array([3, 7, 8, 5])
    assert teaching_conflicts(base, X, y) == [(0, 2, 3)]
    adapted = adapt(base, X, y, replay=replay)
    assert adapted.predict(X_hard)[0] == 5
    info = adapted.metadata["adapted"]
    assert info["conflicts"] == [[0, 2, 3]]
    assert info["n_personal_samples"] == 4 and info["n_superseded"] == 2
    assert sum(info["per_class"]) == 2
    # taught in the other order, the other label wins
    again = adapt(base, X[::-1], y[::-1], replay=replay)
    assert again.predict(X_hard)[0] == 3


def test_the_same_drawing_taught_the_same_digit_twice_is_no_conflict(base, replay, mnist_small):
    X = np.repeat(mnist_small.X_test[:2], 2, axis=0)
    y = np.repeat(mnist_small.y_test[:2], 2)
    assert teaching_conflicts(base, X, y) == []
    info = adapt(base, X, y, replay=replay).metadata["adapted"]
    assert info["conflicts"] == [] and info["n_superseded"] == 2
    assert teaching_conflicts(base, np.empty((0, base.n_inputs)), np.empty(0, int)) == []


def test_adapting_twice_gives_the_same_bytes(base, replay):
    X, y = _hard(base, ("blob", "box", "cross"))
    first = adapt(base, X, y, replay=replay, alpha=0.0)  # through the refits too
    again = adapt(base, X, y, replay=replay, alpha=0.0)
    assert first.W.tobytes() == again.W.tobytes() and first.b.tobytes() == again.b.tobytes()
    assert first.metadata == again.metadata


def test_what_the_held_out_images_lost_is_recorded(base, replay):
    X, y = _hard(base, ("blob", "box", "cross", "bar"))
    adapted = adapt(base, X, y, replay=replay)
    images = replay.X_guard.astype(np.float32)
    if replay.X_guard.dtype == np.uint8:
        images /= 255
    info = adapted.metadata["adapted"]
    n = replay.y_guard.size
    assert info["held_out_images"] == n
    for model, key in ((base, "held_out_base_accuracy"), (adapted, "held_out_accuracy")):
        assert info[key] == pytest.approx(np.mean(model.predict(images) == replay.y_guard))


def test_an_edges_model_learns_every_hard_correction_too(mnist_small, replay):
    """The contract holds on a model of richer inputs (the fit runs on its features)."""
    config = TrainConfig(max_iter=15, seed=0, inputs="edges")
    model = run_to_end(train(mnist_small, config)).model
    X, y = _hard(model, ("blob", "box", "cross", "bar"))
    adapted = adapt(model, X, y, replay=replay)
    np.testing.assert_array_equal(adapted.predict(X), y)
    assert adapted.metadata["adapted"]["not_learnt"] == []
    assert adapted.input_map is model.input_map


@pytest.mark.parametrize("smoothing", [0.05, 0.2])
def test_smoothed_corrections_stick_without_reading_a_blob_as_certain(base, replay, smoothing):
    # one correction taught plainly reads the blob at near-certainty; with the corrections'
    # labels smoothed it is still read as taught, at roughly 1 - smoothing
    X, y = _hard(base, ("blob",))
    plain = adapt(base, X, y, replay=replay).predict_proba(X)[0, y[0]]
    adapted = adapt(base, X, y, replay=replay, smoothing=smoothing)
    p = adapted.predict_proba(X)[0]
    assert p.argmax() == y[0]
    assert p[y[0]] < min(plain, 1 - smoothing / 4)
    assert adapted.metadata["adapted"]["settings"]["smoothing"] == smoothing
    again = adapt(base, X, y, replay=replay, smoothing=smoothing)
    assert again.W.tobytes() == adapted.W.tobytes()


def test_how_sure_the_adapted_model_is_is_recorded(base, replay):
    # the app can say how surely the taught drawings read, and when the digits that were
    # not taught read less surely than before (per digit, on the images held aside)
    X, y = _hard(base, ("blob", "box"))
    adapted = adapt(base, X, y, replay=replay)
    info = adapted.metadata["adapted"]
    taught = adapted.predict_proba(X)[np.arange(y.size), y]
    np.testing.assert_allclose(info["taught_confidence"], taught, atol=1e-4)
    images = replay.X_guard.astype(np.float32)
    if replay.X_guard.dtype == np.uint8:
        images /= 255
    for model, key in ((base, "held_out_base_confidence"), (adapted, "held_out_confidence")):
        p = model.predict_proba(images)[np.arange(replay.y_guard.size), replay.y_guard]
        expected = [p[replay.y_guard == c].mean() for c in range(10)]
        np.testing.assert_allclose(info[key], expected, atol=1e-3)
