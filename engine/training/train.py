"""Training as a generator: every step yields a small progress record, the end returns a result.

One API drives the CLI, the tests and the GUI::

    run = train(data, TrainConfig(optimizer="sgd"))
    for progress in run:          # Progress records, one per report
        ...                       # plot, print, or ask to stop via `should_stop`
    # the generator's return value (StopIteration.value) is a TrainResult

Stopping is cooperative: ``should_stop`` is asked after every yield, and a stopped run
still returns a valid model. Non-finite costs or weights, or an SGD cost that grows far
above where it started, stop training with a reason and the last good weights; results
never contain NaN.

The parts, one module each in :mod:`engine.training`: ``config`` (the config, its options
and registries, the records); ``optimizer`` (what an optimizer yields and returns); ``sgd``
and ``lbfgs`` (SciPy on its thread, over ``whitened``, the objective L-BFGS-B sees, and
``pixel_major``, its copy of the data), each a generator of iterates that returns an
outcome; ``run_tracking`` (timing, progress records, the result), which :func:`train` wraps
around whichever optimizer runs; and ``blas`` (thread control).
Speed figures are in bench/README.md.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import replace

import numpy as np

from engine.constants import MNIST_SIDE, N_FEATURES
from engine.data.datasets import Dataset, as_features
from engine.features.mapped import fit_and_map_dataset, map_dataset, with_input_map
from engine.features.maps import PIXELS, InputMap, make_input_map
from engine.model import SoftmaxModel, init_weights
from engine.training.augment import make_augmenter
from engine.training.config import (
    OPTIMIZERS,
    SCHEDULES,
    Optimizer,
    Progress,
    Schedule,
    StopReason,
    TrainConfig,
    TrainResult,
)
from engine.training.lbfgs import import_solver, train_lbfgs
from engine.training.optimizer import OptimizerRun, Outcome
from engine.training.run_tracking import Tracker
from engine.training.sgd import Augment, train_sgd
from engine.training.whitened import STANDARDISED_WHITEN_RIDGE, WHITEN_RIDGE

__all__ = [
    "OPTIMIZERS",
    "SCHEDULES",
    "Augment",
    "Optimizer",
    "Progress",
    "Schedule",
    "StopReason",
    "TrainConfig",
    "TrainResult",
    "import_solver",
    "run_to_end",
    "train",
]


def _initial(
    init: SoftmaxModel | tuple[np.ndarray, np.ndarray] | None,
    rng: np.random.Generator,
    n_features: int,
    n_classes: int,
) -> tuple[np.ndarray, np.ndarray]:
    if init is None:
        return init_weights(rng, n_features, n_classes)
    W, b = (init.W, init.b) if isinstance(init, SoftmaxModel) else init
    if W.shape != (n_features, n_classes) or b.shape != (n_classes,):
        raise ValueError(
            f"initial weights must be ({n_features}, {n_classes}) and ({n_classes},), "
            f"got {W.shape} and {b.shape}"
        )
    return np.array(W, dtype=np.float32), np.array(b, dtype=np.float32)


def train(
    data: Dataset,
    config: TrainConfig | None = None,
    *,
    should_stop: Callable[[], bool] | None = None,
    init: SoftmaxModel | tuple[np.ndarray, np.ndarray] | None = None,
    augment: Augment | None = None,
) -> Generator[Progress, None, TrainResult]:
    """Train a softmax regression on ``data``, yielding :class:`Progress` as it goes.

    Parameters
    ----------
    data : training and test sets: float32 ``X`` in [0, 1], or uint8 grey levels (see
        :class:`engine.Dataset`), converted a batch or chunk at a time.
    config : hyper-parameters; defaults to :class:`TrainConfig()`.
    should_stop : asked after every yield; when it returns True the run ends with
        ``StopReason.STOPPED`` and returns the weights so far.
    init : starting weights (a model or ``(W, b)``, on the features of ``config.inputs``);
        small random weights when None. A model of the same input map lends its fitted map.
    augment : SGD only: maps each mini-batch ``X`` (n, d) to new images (n, d) of the same
        labels, given the run's random generator; L-BFGS-B (full batch) ignores it. When
        None, ``config.augment`` names the augmentation.

    Returns
    -------
    TrainResult (the generator's return value). Its model applies the input map
    ``config.inputs`` (fitted on ``data.X_train``) to 28×28 images itself.

    Raises
    ------
    ValueError
        For data that is not a Dataset, initial weights of the wrong shape, or an input map
        other than ``pixels`` on data whose rows are not 28×28 images.
    """
    config = config or TrainConfig()
    should_stop = should_stop or (lambda: False)
    if not isinstance(data, Dataset):
        raise ValueError(f"data must be an engine.Dataset, got {type(data).__name__}")
    images = data
    # A mapped training set is kept as float16, half float32's memory (L-BFGS-B's copy of
    # it is float32 for speed: float16 chunks cost 3× the time to convert). L-BFGS-B reads
    # the features uncentred: its whitening takes the mean out exactly, and the features
    # that are zero (blank cells and pixels: 40% of a chunk's) are left out of its copy and
    # its products; the bias is moved back at the end (bench/README.md).
    uncentred = config.optimizer == "lbfgs" and config.inputs != "pixels"
    input_map, data = _mapped(config.inputs, data, init, centred=not uncentred)
    n_classes = data.n_classes
    rng = np.random.default_rng(config.seed)
    W, b = _initial(init, rng, data.X_train.shape[1], n_classes)
    tracker = Tracker(data, config.seed, config.snapshot_weights)
    X, y = data.X_train, data.y_train
    run: OptimizerRun
    if config.optimizer == "lbfgs":
        if uncentred:
            b = input_map.centred_bias(W, b, sign=-1)
        ink = images.X_train if uncentred else None
        ridge = STANDARDISED_WHITEN_RIDGE if uncentred else WHITEN_RIDGE
        run = train_lbfgs(X, y, config, W, b, tracker.blas, ink, ridge)
    else:
        if augment is None:
            augment = make_augmenter(config.augment, data.preprocessing_version)
        if augment is not None and not input_map.is_identity:
            # augmentations distort images: map each distorted mini-batch
            X, augment = images.X_train, _then_mapped(augment, input_map)
        run = train_sgd(X, y, config, W, b, rng, tracker.blas, augment)
    result = yield from _tracked(run, config, tracker, should_stop)
    model = result.model
    if uncentred:  # the same logits on the standardised features the model is given
        model = replace(model, b=input_map.centred_bias(model.W, model.b))
    return replace(result, model=with_input_map(model, input_map))


def _mapped(
    name: str,
    data: Dataset,
    init: SoftmaxModel | tuple[np.ndarray, np.ndarray] | None,
    *,
    centred: bool,
) -> tuple[InputMap, Dataset]:
    """The fitted input map ``name`` for ``data`` (``init``'s when it is a model of that
    map, else fitted on the training images), and ``data`` mapped by it (training features
    as float16)."""
    if name == "pixels":
        return PIXELS, data
    width = data.X_train.shape[1]
    if width != N_FEATURES:
        raise ValueError(
            f"the input map {name!r} needs {MNIST_SIDE}×{MNIST_SIDE} images ({N_FEATURES} "
            f"values a row); this dataset's rows have {width}: choose the 'pixels' inputs"
        )
    if isinstance(init, SoftmaxModel) and init.input_map.name == name:
        input_map = init.input_map
        return input_map, map_dataset(data, input_map, train_dtype=np.float16, centred=centred)
    return fit_and_map_dataset(data, make_input_map(name), np.float16, centred=centred)


def _then_mapped(augment: Augment, input_map: InputMap) -> Augment:
    """``augment`` followed by ``input_map``: SGD's mini-batches of images as features."""

    def mapped(X: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        return input_map.transform(augment(as_features(X), rng))

    return mapped


def _tracked(
    run: OptimizerRun,
    config: TrainConfig,
    tracker: Tracker,
    should_stop: Callable[[], bool],
) -> Generator[Progress, None, TrainResult]:
    """Yields a progress record of each of ``run``'s iterates, tells it whether to stop,
    and returns the result of its outcome. ``run`` is closed however this ends."""
    stop: bool | None = None  # what the optimizer is sent: None starts it
    try:
        while True:
            try:
                iterate = run.send(stop)
            except StopIteration as end:
                outcome: Outcome = end.value
                break
            yield tracker.record(iterate)
            stop = should_stop()
    finally:
        run.close()
    return tracker.finish(config, outcome)


def run_to_end(
    run: Generator[Progress, None, TrainResult],
    on_progress: Callable[[Progress], object] | None = None,
) -> TrainResult:
    """Drive a training generator (from :func:`train`) to its end; returns its result.

    ``on_progress`` is called with each record as it comes. The generator is closed even
    when ``on_progress`` raises.
    """
    try:
        while True:
            try:
                progress = next(run)
            except StopIteration as stop:
                return stop.value
            if on_progress is not None:
                on_progress(progress)
    finally:
        run.close()
