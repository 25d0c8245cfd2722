"""The command line, run in-process through ``engine.cli.main``: output, files, exit codes."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest

from engine import (
    DEFAULT_MODEL_PATH,
    AdaptConfig,
    PersonalSamples,
    TrainConfig,
    load_model,
    load_samples,
    loss_gradient,
    save_samples,
)
from engine.cli import EXIT_BAD_INPUT, EXIT_CHECK_FAILED, EXIT_OK, PROG, check_cmds, main
from engine.cli.parser import build_parser
from engine.data.datasets import SPLIT_FILES
from engine.reference import REFERENCE_GRADCHECK_IMAGES, REFERENCE_GRADCHECK_TRIALS

from ..idx_files import write_idx_folder
from ..personal_files import samples_of

TRAIN_KEYS = {
    "train_error",
    "test_error",
    "seconds",
    "iterations",
    "evaluations",
    "reason",
    "stop_reason",
    "converged",
    "diverged",
}
#: A tiny run: enough images to learn something, quick on any machine.
SMALL = ["--train-size", "1500", "--test-size", "500"]
CHANCE_ERROR = 0.9


def run_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), prog=PROG, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def band_arrays(n_train: int = 300, n_test: int = 100) -> dict[str, np.ndarray]:
    """A tiny MNIST-format dataset by file stem: each class a bright horizontal band at its
    own rows."""
    rng = np.random.default_rng(0)
    arrays = {}
    for split, n in (("train", n_train), ("test", n_test)):
        labels = rng.integers(0, 10, size=n).astype(np.uint8)
        images = rng.integers(0, 40, size=(n, 28, 28)).astype(np.uint8)
        for i, label in enumerate(labels):
            images[i, 2 + 2 * label : 4 + 2 * label, 4:24] = 255
        images_stem, labels_stem = SPLIT_FILES[split]
        arrays[images_stem], arrays[labels_stem] = images, labels
    return arrays


@pytest.fixture(scope="module")
def idx_folder(tmp_path_factory) -> Path:
    return write_idx_folder(tmp_path_factory.mktemp("idx") / "bands", band_arrays())


@pytest.mark.parametrize("optimizer", ["lbfgs", "sgd"])
def test_train_json_is_one_object_with_sane_figures(optimizer):
    code, out, err = run_cli(
        "train", "--optimizer", optimizer, "--max-iter", "30", "--epochs", "2", "--json", *SMALL
    )
    assert code == EXIT_OK, err
    report = json.loads(out)  # exactly one JSON document, nothing else on stdout
    assert TRAIN_KEYS <= report.keys()
    assert 0.0 <= report["train_error"] <= 1.0
    assert report["test_error"] < CHANCE_ERROR - 0.5  # it learned
    assert report["seconds"] > 0 and report["evaluations"] >= report["iterations"] >= 1
    assert not report["diverged"]
    assert report["optimizer"] == optimizer
    assert report["n_train"] == 1500 and report["n_test"] == 500
    assert err == ""  # no progress bar when not on a terminal


def test_trained_model_records_its_command_and_evaluates_to_the_same_error(tmp_path):
    model_path = tmp_path / "model.npz"
    argv = ["train", "--max-iter", "20", "--out", str(model_path), "--json", *SMALL]
    code, out, _ = run_cli(*argv)
    assert code == EXIT_OK
    trained = json.loads(out)
    model = load_model(model_path)
    assert model.metadata["command"] == f"{PROG} " + " ".join(argv)
    assert trained["model"] == str(model_path)

    code, out, _ = run_cli("evaluate", str(model_path), "--json", "--test-size", "500")
    assert code == EXIT_OK
    evaluation = json.loads(out)
    assert evaluation["test_error"] == pytest.approx(trained["test_error"])
    confusion = np.array(evaluation["confusion_matrix"])
    assert confusion.shape == (10, 10) and confusion.sum() == 500
    assert np.trace(confusion) == round(500 * (1 - evaluation["test_error"]))
    per_class = np.array(evaluation["per_class_accuracy"], dtype=float)
    np.testing.assert_allclose(per_class, np.diag(confusion) / confusion.sum(axis=1))


def test_evaluate_prints_a_readable_report(tmp_path):
    model_path = tmp_path / "m.npz"
    assert run_cli("train", "--max-iter", "5", "--out", str(model_path), *SMALL)[0] == EXIT_OK
    code, out, _ = run_cli("evaluate", str(model_path), "--test-size", "300")
    assert code == EXIT_OK
    assert "test error" in out and "confusion" in out
    assert f"made by: {PROG} train" in out


def test_evaluate_without_a_model_evaluates_the_shipped_one():
    code, out, _ = run_cli("evaluate", "--json", "--test-size", "300")
    assert code == EXIT_OK
    report = json.loads(out)
    assert report["model"] == str(DEFAULT_MODEL_PATH)
    assert report["metadata"]["command"] == load_model(DEFAULT_MODEL_PATH).metadata["command"]


def test_train_on_an_idx_folder(idx_folder):
    # bands are not handwriting: train on them as published (no stroke redrawing)
    code, out, err = run_cli("train", "--data", str(idx_folder), "--preprocessing", "1", "--json")
    assert code == EXIT_OK, err
    report = json.loads(out)
    assert report["dataset"] == "bands" and report["n_train"] == 300
    assert report["preprocessing_version"] == 1
    assert report["test_error"] < 0.1  # the bands are easy


def test_drawn_copies_enlarge_the_training_set():
    code, out, err = run_cli(
        "train",
        "--drawn-copies",
        "2",
        "--max-iter",
        "20",
        "--json",
        "--train-size",
        "300",
        "--test-size",
        "200",
    )
    assert code == EXIT_OK, err
    report = json.loads(out)
    assert report["n_train"] == 3 * 300 and report["n_test"] == 200
    assert "--drawn-copies 2" in report["command"]
    assert report["test_error"] < CHANCE_ERROR - 0.3  # the copies kept their labels


@pytest.mark.parametrize("extra", [[], ["--l2"], ["--l2", "0.01"]])
def test_gradcheck_passes(extra):
    code, out, _ = run_cli("gradcheck", "--n-images", "50", "--n-checks", "40", "--json", *extra)
    assert code == EXIT_OK
    report = json.loads(out)
    assert report["passed"] and report["max_rel_error"] <= report["threshold"]
    assert report["n_checks"] == 40 and report["n_images"] == 50
    assert report["l2"] == (0.0 if not extra else 1e-4 if len(extra) == 1 else 0.01)


def test_gradcheck_exit_code_reports_a_wrong_gradient(monkeypatch):
    def halved(W, b, X, y, l2=0.0):  # a classic bug: a gradient off by a constant factor
        loss, dW, db = loss_gradient(W, b, X, y, l2)
        return loss, dW / 2, db / 2

    real = check_cmds.gradient_check
    monkeypatch.setattr(
        check_cmds,
        "gradient_check",
        lambda *args, **kwargs: real(*args, loss_gradient_fn=halved, **kwargs),
    )
    code, out, _ = run_cli("gradcheck", "--n-images", "20", "--n-checks", "20")
    assert code == EXIT_CHECK_FAILED
    assert "FAILED" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["evaluate", "no/such/model.npz"], "file not found"),
        (["train", "--lr", "abc"], "--lr"),
        (["train", "--lr", "-1", *SMALL], "lr"),
        (["train", "--max-iter", "0"], "--max-iter"),
        (["train", "--momentum", "1.5", *SMALL], "momentum"),
        (["train", "--optimizer", "adam"], "--optimizer"),
        (["train", "--drawn-copies", "-1"], "--drawn-copies"),
        (["train", "--drawn-copies", "1", "--preprocessing", "1", *SMALL], "--drawn-copies"),
        (["gradcheck", "--n-checks", "many"], "--n-checks"),
        (["gradcheck", "--l2", "-1"], "l2"),
        (["frobnicate"], "frobnicate"),
        ([], "COMMAND"),
    ],
)
def test_bad_input_is_one_error_line_and_exit_2(argv, message):
    code, out, err = run_cli(*argv)
    assert code == EXIT_BAD_INPUT
    assert out == ""
    assert err.startswith("error: ") and err.count("\n") == 1
    assert message in err
    assert "Traceback" not in err


def test_corrupt_files_are_reported_not_raised(tmp_path, idx_folder):
    broken = tmp_path / "broken"
    broken.mkdir()
    for f in idx_folder.iterdir():
        (broken / f.name).write_bytes(f.read_bytes()[:-7])  # truncated gzip streams
    not_a_model = tmp_path / "model.npz"
    not_a_model.write_text("not a model")
    for argv in (
        ["train", "--data", str(broken)],
        ["evaluate", str(not_a_model)],
        ["train", "--data", str(tmp_path / "missing")],
        ["train", "--out", str(tmp_path / "no" / "dir" / "m.npz"), *SMALL],
    ):
        code, _, err = run_cli(*argv)
        assert code == EXIT_BAD_INPUT, argv
        assert err.startswith("error: ") and err.count("\n") == 1, err
        assert "Traceback" not in err


def test_reproduce_seed_on_a_small_folder(idx_folder):
    code, out, err = run_cli(
        "reproduce-seed", "--data", str(idx_folder), "--max-iter", "10", "--json"
    )
    assert code == EXIT_OK, err
    report = json.loads(out)
    ref, eng = report["reference"], report["engine"]
    assert ref["iterations"] <= 10 and eng["iterations"] <= 10
    assert ref["gradcheck_mean_abs_error"] < 1e-6
    assert eng["gradcheck_passed"]
    for side in (ref, eng):
        assert 0.0 <= side["train_error"] <= 1.0 and 0.0 <= side["test_error"] < 0.5


def test_reproduce_seed_prints_the_table(idx_folder):
    code, out, _ = run_cli("reproduce-seed", "--data", str(idx_folder), "--max-iter", "5")
    assert code == EXIT_OK
    assert "reference port" in out and "this engine" in out
    for row in ("train error", "test error", "evaluations", "gradient check"):
        assert row in out


# --- personal samples: adapt, evaluate --samples ---------------------------------------------

#: Test digits in the tiny samples file; the last two get the next digit's label, so the
#: shipped model misreads them (by the user's labels) until it is adapted.
N_PERSONAL, N_RELABELLED = 8, 2


@pytest.fixture(scope="module")
def samples_file(tmp_path_factory, mnist_raw) -> Path:
    labels = mnist_raw.y_test[:N_PERSONAL].copy()
    labels[-N_RELABELLED:] = (labels[-N_RELABELLED:] + 1) % 10
    path = tmp_path_factory.mktemp("personal") / "mine.npz"
    return save_samples(samples_of(mnist_raw.X_test[:N_PERSONAL], labels), path)


def test_adapt_saves_a_model_that_reads_the_samples_and_reports_both(tmp_path, samples_file):
    out_path = tmp_path / "mine-adapted.npz"
    argv = [
        "adapt",
        str(DEFAULT_MODEL_PATH),
        str(samples_file),
        "-o",
        str(out_path),
        "--json",
        "--test-size",
        "300",
    ]
    code, out, err = run_cli(*argv)
    assert code == EXIT_OK, err
    report = json.loads(out)
    samples = load_samples(samples_file)
    assert report["out"] == str(out_path) and report["n_samples"] == N_PERSONAL
    assert report["per_class_counts"] == samples.counts().tolist()
    assert report["base_samples_accuracy"] <= 1 - N_RELABELLED / N_PERSONAL
    # the relabelled digits contradict MNIST: the guard lets adapt learn them only as far as
    # MNIST allows, but it learns some
    assert report["adapted_samples_accuracy"] > report["base_samples_accuracy"]
    assert report["dataset"] == "MNIST" and report["n_test"] == 300
    assert report["n_replay"] == AdaptConfig().replay_size  # engine.adapt's default replay
    assert abs(report["adapted_test_accuracy"] - report["base_test_accuracy"]) < 0.05
    adapted = load_model(out_path)
    assert adapted.metadata["adapted"]["n_personal_samples"] == N_PERSONAL
    assert adapted.metadata["command"] == f"{PROG} " + " ".join(argv)
    assert adapted.metadata["base"] == load_model(DEFAULT_MODEL_PATH).metadata

    code, out, _ = run_cli("evaluate", str(out_path), "--samples", str(samples_file), "--json")
    assert code == EXIT_OK
    assert json.loads(out)["accuracy"] == report["adapted_samples_accuracy"]


def test_adapt_prints_a_readable_summary(tmp_path, samples_file):
    code, out, err = run_cli(
        "adapt",
        str(DEFAULT_MODEL_PATH),
        str(samples_file),
        "-o",
        str(tmp_path / "a.npz"),
        "--test-size",
        "200",
    )
    assert code == EXIT_OK, err
    assert f"to {N_PERSONAL} samples" in out
    assert "fitted, not held out" in out  # the accuracy on the samples is not a test figure
    assert "MNIST test (200 images)" in out and f"saved {tmp_path / 'a.npz'}" in out


def test_adapt_can_replay_another_idx_folder(tmp_path, samples_file, idx_folder):
    code, out, err = run_cli(
        "adapt",
        str(DEFAULT_MODEL_PATH),
        str(samples_file),
        "-o",
        str(tmp_path / "a.npz"),
        "--data",
        str(idx_folder),
        "--json",
    )
    assert code == EXIT_OK, err
    report = json.loads(out)
    assert report["dataset"] == "bands" and report["n_test"] == 100
    assert report["n_replay"] == 150  # a small training set: half replayed, half guards
    assert report["adapted_samples_accuracy"] == 1.0


def test_evaluate_on_a_samples_file(samples_file):
    code, out, err = run_cli("evaluate", "--samples", str(samples_file), "--json")
    assert code == EXIT_OK, err
    report = json.loads(out)
    samples = load_samples(samples_file)
    base = load_model(DEFAULT_MODEL_PATH)
    assert report["model"] == str(DEFAULT_MODEL_PATH) and report["n_samples"] == N_PERSONAL
    assert report["accuracy"] == float(np.mean(base.predict(samples.X) == samples.y))
    assert report["per_class_counts"] == samples.counts().tolist()
    confusion = np.array(report["confusion_matrix"])
    assert confusion.sum(axis=1).tolist() == report["per_class_counts"]
    assert report["cross_validation"] is None


def test_evaluate_on_samples_with_folds_adds_the_cross_validated_figures(samples_file):
    code, out, err = run_cli(
        "evaluate", "--samples", str(samples_file), "--folds", "3", "--test-size", "200", "--json"
    )
    assert code == EXIT_OK, err
    report = json.loads(out)
    cv = report["cross_validation"]
    assert cv["folds"] == 3 and cv["n_samples"] == N_PERSONAL and cv["n_test"] == 200
    assert cv["base_accuracy"] == report["accuracy"]
    # the relabelled digits look like no other sample: held out, adapting cannot guess them
    assert cv["adapted_cv_accuracy"] <= 1 - N_RELABELLED / N_PERSONAL
    for key in ("base_test_accuracy", "adapted_test_accuracy"):
        assert 0.8 <= cv[key] <= 1.0


def test_evaluate_on_samples_prints_a_readable_report(samples_file):
    code, out, _ = run_cli(
        "evaluate", "--samples", str(samples_file), "--folds", "2", "--test-size", "200"
    )
    assert code == EXIT_OK
    assert f"{N_PERSONAL} personal samples from {samples_file}" in out and "confusion" in out
    assert "2-fold cross-validated" in out and "MNIST test (200 images)" in out
    y = load_samples(samples_file).y
    alone = int(np.count_nonzero(np.bincount(y)[y] == 1))
    assert alone > 0  # the relabelled digits are alone in their new class
    assert f"({alone} of the samples are the only one of their class" in out


def test_samples_made_for_another_preprocessing_are_remade_from_their_drawings(
    tmp_path, samples_file
):
    old = load_samples(samples_file).for_version(1)
    path = save_samples(old, tmp_path / "v1.npz")
    code, out, _ = run_cli("evaluate", "--samples", str(path), "--json")
    assert code == EXIT_OK
    base = load_model(DEFAULT_MODEL_PATH)
    remade = old.for_version(base.preprocessing_version)
    assert json.loads(out)["accuracy"] == float(np.mean(base.predict(remade.X) == remade.y))


def test_bad_personal_input_is_one_error_line_and_exit_2(tmp_path, samples_file):
    empty = save_samples(PersonalSamples.empty(3), tmp_path / "empty.npz")
    broken = tmp_path / "broken.npz"
    broken.write_bytes(samples_file.read_bytes()[:100])
    model, out_path = str(DEFAULT_MODEL_PATH), str(tmp_path / "out.npz")
    cases = [
        (["adapt", model, str(empty), "-o", out_path], "holds 0 samples"),
        (["evaluate", "--samples", str(empty)], "holds 0 samples"),
        (["adapt", model, str(broken), "-o", out_path], "broken.npz: not a samples file"),
        (["adapt", model, str(tmp_path / "missing.npz"), "-o", out_path], "file not found"),
        (["adapt", model, str(samples_file)], "-o/--out"),
        (
            ["adapt", model, str(samples_file), "-o", str(tmp_path / "no" / "o.npz")],
            "does not exist",
        ),
        (["adapt", str(samples_file), str(samples_file), "-o", out_path], "missing keys"),
        (["evaluate", "--folds", "3"], "--folds needs --samples"),
        (["evaluate", "--samples", str(samples_file), "--folds", "1"], "--folds"),
    ]
    for argv, message in cases:
        code, out, err = run_cli(*argv)
        assert code == EXIT_BAD_INPUT, argv
        assert out == "" and err.startswith("error: ") and err.count("\n") == 1, (argv, err)
        assert message in err, (argv, err)
    assert not (tmp_path / "out.npz").exists()


def other_value(option, default):
    """A valid value of a config option other than its default, as typed on the command line."""
    if option.choices is not None:
        return next(name for name in option.choices if name != default)
    if isinstance(default, int):
        return str(default + 1)
    return repr(default / 2)


def test_train_has_one_option_per_config_field_people_set(capsys):
    # the options, their help and their defaults come from TrainConfig's field metadata
    options = TrainConfig.options()
    assert {"lr", "batch_size", "tol", "augment", "seed"} <= options.keys()
    assert "snapshot_weights" not in options
    defaults = TrainConfig()
    parser = build_parser()
    parsed = parser.parse_args(["train"])
    assert {name: getattr(parsed, name) for name in options} == {
        name: getattr(defaults, name) for name in options
    }
    argv = []
    for name, option in options.items():
        argv += [f"--{name.replace('_', '-')}", other_value(option, getattr(defaults, name))]
    parsed = parser.parse_args(["train", *argv])
    config = TrainConfig(**{name: getattr(parsed, name) for name in options})
    assert all(getattr(config, name) != getattr(defaults, name) for name in options)
    run_cli("train", "--help")
    text = " ".join(capsys.readouterr().out.split())
    for option in options.values():
        assert " ".join(option.described().split()) in text


def test_sgd_tolerance_help_says_what_sgds_early_stop_does(capsys):
    run_cli("train", "--help")
    text = " ".join(capsys.readouterr().out.split())
    assert "SGD when an epoch's mean mini-batch cost" in text and "also when it rises" in text


@pytest.mark.parametrize("command", ["train", "evaluate", "adapt", "gradcheck", "reproduce-seed"])
def test_every_command_has_help_listing_its_flags(command, capsys):
    code, _, _ = run_cli(command, "--help")  # argparse prints help on sys.stdout
    out = capsys.readouterr().out
    assert code == EXIT_OK and out.startswith(f"usage: {PROG} {command}")
    if command == "train":  # the registries' names, with what each is
        text = " ".join(out.split())  # as argparse wraps it for the terminal's width
        assert "lbfgs = L-BFGS-B (full batch)" in text and "step (×0.1 at 50%, 75%)" in text


def test_gradcheck_help_quotes_the_engines_defaults(capsys):
    code, _, _ = run_cli("gradcheck", "--help")
    out = " ".join(capsys.readouterr().out.split())  # argparse wraps long help lines
    assert code == EXIT_OK
    assert f"coordinates to check (default {REFERENCE_GRADCHECK_TRIALS})" in out
    assert f"first test images to use (default {REFERENCE_GRADCHECK_IMAGES})" in out
