"""Headless softmax-regression engine: data, model, training, gradient check, preprocessing.

Imports NumPy, SciPy and the standard library only; never Qt.
"""

from __future__ import annotations

from engine.constants import MNIST_SIDE, N_CLASSES, N_FEATURES
from engine.data.dataset_kinds import CLASSES_FILE, DIGIT_NAMES, DatasetKind, read_class_names
from engine.data.datasets import (
    BUNDLED_MNIST_DIR,
    MNIST_SHA256,
    Dataset,
    LoadCancelled,
    identify,
    load_mnist,
)
from engine.data.idx import load_idx, parse_idx
from engine.data.model_io import DEFAULT_MODEL_PATH, load_model, save_model
from engine.data.paths import RESOURCES_DIR
from engine.data.validation import is_number
from engine.estimator import SoftmaxRegression
from engine.explain import (
    STEP_NUMPY_LINES,
    StepExplanation,
    explain_step,
    finite_difference,
    training_batch,
)
from engine.features import INPUT_MAPS, InputMap, fit_input_map, make_input_map
from engine.features.mapped import map_dataset, with_input_map
from engine.gradcheck import (
    DEFAULT_THRESHOLD,
    Coordinate,
    GradCheckResult,
    gradient_check,
    locate_coordinate,
)
from engine.greyscale import GREY_MAX, from_grey_levels, to_grey_levels
from engine.handwriting.preprocessing import MNIST_CENTRE_OF_MASS, prepare_images, preprocess_canvas
from engine.handwriting.versions import (
    AS_PUBLISHED,
    PREPROCESSING_VERSION,
    PREPROCESSING_VERSIONS,
    SUPPORTED_PREPROCESSING_VERSIONS,
    PreprocessingVersion,
    describe_version,
    digit_pipeline_fits,
    needs_new_preparation,
    preprocessing_for,
    same_preprocessing,
)
from engine.metrics import Evaluation, confusion_matrix, error_rate, evaluate, per_class_accuracy
from engine.model import SoftmaxModel, log_softmax, loss_gradient, one_hot, softmax
from engine.personal.adapt import AdaptConfig, ReplaySet, adapt, model_fingerprint, prepare_replay
from engine.personal.corrections import teaching_conflicts
from engine.personal.samples import (
    DRAWING_SIDE,
    SAMPLES_FORMAT,
    PersonalReport,
    PersonalSamples,
    as_drawing,
    evaluate_personal,
    load_samples,
    save_samples,
)
from engine.training.augment import PRESETS as AUGMENT_PRESETS
from engine.training.augment import AugmentConfig, make_augmenter
from engine.training.config import Option
from engine.training.train import (
    OPTIMIZERS,
    SCHEDULES,
    Progress,
    StopReason,
    TrainConfig,
    TrainResult,
    import_solver,
    run_to_end,
    train,
)

__all__ = [
    "AdaptConfig",
    "adapt",
    "model_fingerprint",
    "prepare_replay",
    "ReplaySet",
    "AUGMENT_PRESETS",
    "AugmentConfig",
    "make_augmenter",
    "BUNDLED_MNIST_DIR",
    "CLASSES_FILE",
    "DIGIT_NAMES",
    "DatasetKind",
    "identify",
    "read_class_names",
    "DEFAULT_MODEL_PATH",
    "DEFAULT_THRESHOLD",
    "DRAWING_SIDE",
    "GREY_MAX",
    "MNIST_CENTRE_OF_MASS",
    "MNIST_SHA256",
    "MNIST_SIDE",
    "N_CLASSES",
    "N_FEATURES",
    "OPTIMIZERS",
    "SCHEDULES",
    "AS_PUBLISHED",
    "PREPROCESSING_VERSION",
    "PREPROCESSING_VERSIONS",
    "PreprocessingVersion",
    "describe_version",
    "digit_pipeline_fits",
    "needs_new_preparation",
    "preprocessing_for",
    "same_preprocessing",
    "RESOURCES_DIR",
    "SAMPLES_FORMAT",
    "SUPPORTED_PREPROCESSING_VERSIONS",
    "Dataset",
    "Evaluation",
    "GradCheckResult",
    "Coordinate",
    "INPUT_MAPS",
    "InputMap",
    "LoadCancelled",
    "Option",
    "PersonalReport",
    "PersonalSamples",
    "Progress",
    "SoftmaxModel",
    "SoftmaxRegression",
    "StopReason",
    "STEP_NUMPY_LINES",
    "StepExplanation",
    "TrainConfig",
    "TrainResult",
    "as_drawing",
    "confusion_matrix",
    "error_rate",
    "evaluate",
    "evaluate_personal",
    "from_grey_levels",
    "to_grey_levels",
    "explain_step",
    "finite_difference",
    "fit_input_map",
    "gradient_check",
    "locate_coordinate",
    "import_solver",
    "is_number",
    "load_idx",
    "load_mnist",
    "load_model",
    "load_samples",
    "log_softmax",
    "loss_gradient",
    "make_input_map",
    "map_dataset",
    "one_hot",
    "parse_idx",
    "per_class_accuracy",
    "prepare_images",
    "preprocess_canvas",
    "run_to_end",
    "save_model",
    "save_samples",
    "softmax",
    "train",
    "teaching_conflicts",
    "training_batch",
    "with_input_map",
]
