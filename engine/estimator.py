"""A scikit-learn compatible estimator over the engine's training: :class:`SoftmaxRegression`.

It follows scikit-learn's estimator API (``fit``/``predict``/``predict_proba``/``score``,
``get_params``/``set_params``, fitted attributes ending in ``_``) without importing
scikit-learn: it drops into a ``Pipeline`` or ``GridSearchCV``, and scikit-learn stays
optional. When scikit-learn is loaded, its own ``NotFittedError`` and
``DataConversionWarning`` are raised, so code written for scikit-learn catches them.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable
from typing import Any

import numpy as np

from engine.data.datasets import Dataset
from engine.data.validation import as_estimator_labels
from engine.model import SoftmaxModel, softmax
from engine.training.config import Optimizer, Progress, Schedule, TrainConfig
from engine.training.train import run_to_end, train

#: The estimator's defaults are the config's (scikit-learn needs them spelt out as
#: ``__init__`` parameters, so they are read from here, not written again).
_DEFAULTS = TrainConfig()


class NotFittedError(ValueError, AttributeError):
    """Raised when a method needs a fitted estimator (scikit-learn's, when it is loaded)."""


class DataConversionWarning(UserWarning):
    """Raised when input had to be reshaped (scikit-learn's, when it is loaded)."""


def _sklearn_class(name: str, fallback: type) -> type:
    """scikit-learn's exception class ``name`` if scikit-learn is loaded, else ``fallback``."""
    exceptions = sys.modules.get("sklearn.exceptions")
    return getattr(exceptions, name, fallback) if exceptions is not None else fallback


class SoftmaxRegression:
    """Multinomial logistic (softmax) regression trained by the engine.

    Parameters
    ----------
    solver : ``"lbfgs"`` (full-batch L-BFGS-B in whitened coordinates) or ``"sgd"``
        (mini-batch SGD with momentum); see :data:`engine.OPTIMIZERS`.
    l2 : L2 penalty on the weights (not the intercept); the loss is averaged over samples.
    max_iter : L-BFGS-B iterations at most.
    tol : stop when the cost improves by no more than this (L-BFGS-B's relative ``ftol``;
        for SGD, the drop in mean mini-batch cost from one epoch to the next, so SGD also
        stops when that cost rises).
    epochs, lr, momentum, batch_size, schedule : SGD settings (see :class:`TrainConfig`).
    augment : SGD only: a preset of :data:`engine.AUGMENT_PRESETS` for 28×28 images.
    inputs : the fixed input map the model reads ``X`` through, a name of
        :data:`engine.INPUT_MAPS` (``"pixels"``: ``X`` itself; the others need 28×28 images,
        784 columns in [0, 1], and are fitted on the training rows).
    random_state : seed of the initial weights and SGD's order; None draws a fresh one.
    callback : called with each :class:`engine.Progress` record during ``fit``; when it
        returns True, training stops (the model so far is kept).
    report_every : SGD batches between progress records.

    Attributes
    ----------
    classes_ : (n_classes,) the labels seen in ``fit``, sorted; any labels, not only 0–9.
    coef_ : (n_classes, n_features) float64 weights, on the input map's features (for
        ``pixels``, on the columns of ``X``).
    intercept_ : (n_classes,) float64 intercepts.
    n_iter_ : L-BFGS-B iterations or SGD steps run.
    n_features_in_ : features seen in ``fit``.
    model_ : the fitted :class:`engine.SoftmaxModel` (labels as indices into ``classes_``),
        e.g. for :func:`engine.save_model`.
    result_ : the :class:`engine.TrainResult` of the fit (reason, history, seconds).
    """

    def __init__(
        self,
        solver: Optimizer = _DEFAULTS.optimizer,
        *,
        l2: float = _DEFAULTS.l2,
        max_iter: int = _DEFAULTS.max_iter,
        tol: float = _DEFAULTS.tol,
        epochs: int = _DEFAULTS.epochs,
        lr: float = _DEFAULTS.lr,
        momentum: float = _DEFAULTS.momentum,
        batch_size: int = _DEFAULTS.batch_size,
        schedule: Schedule = _DEFAULTS.schedule,
        augment: str = _DEFAULTS.augment,
        inputs: str = _DEFAULTS.inputs,
        random_state: int | np.random.Generator | np.random.RandomState | None = None,
        callback: Callable[[Progress], object] | None = None,
        report_every: int = _DEFAULTS.report_every,
    ) -> None:
        self.solver = solver
        self.l2 = l2
        self.max_iter = max_iter
        self.tol = tol
        self.epochs = epochs
        self.lr = lr
        self.momentum = momentum
        self.batch_size = batch_size
        self.schedule = schedule
        self.augment = augment
        self.inputs = inputs
        self.random_state = random_state
        self.callback = callback
        self.report_every = report_every

    # --- scikit-learn's parameter protocol -----------------------------------------------

    @classmethod
    def _param_names(cls) -> list[str]:
        signature = inspect.signature(cls.__init__)
        return [name for name in signature.parameters if name != "self"]

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The constructor's parameters and their values."""
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self, **params: Any) -> SoftmaxRegression:
        """Set constructor parameters (checked when ``fit`` runs); returns ``self``."""
        valid = self._param_names()
        for name, value in params.items():
            if name not in valid:
                raise ValueError(
                    f"Invalid parameter {name!r} for estimator {type(self).__name__}. "
                    f"Valid parameters are: {sorted(valid)!r}."
                )
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        defaults = {
            name: p.default for name, p in inspect.signature(type(self).__init__).parameters.items()
        }
        changed = [
            f"{name}={value!r}"
            for name, value in self.get_params().items()
            if not (value is defaults[name] or _same(value, defaults[name]))
        ]
        return f"{type(self).__name__}({', '.join(changed)})"

    def __sklearn_tags__(self):  # noqa: ANN204 - scikit-learn's Tags; only it calls this
        from sklearn.utils import ClassifierTags, InputTags, Tags, TargetTags

        return Tags(
            estimator_type="classifier",
            target_tags=TargetTags(required=True),
            classifier_tags=ClassifierTags(),
            input_tags=InputTags(),
        )

    def __sklearn_is_fitted__(self) -> bool:
        return hasattr(self, "coef_")

    # --- fitting and predicting ----------------------------------------------------------

    def fit(self, X: Any, y: Any) -> SoftmaxRegression:
        """Train on ``X`` (n_samples, n_features) and labels ``y`` (n_samples,)."""
        X = _as_features(X, np.float32)  # the engine trains in float32
        y = _as_labels(y, X.shape[0])
        classes, codes = np.unique(y, return_inverse=True)
        if classes.size < 2:
            raise ValueError(
                "SoftmaxRegression needs samples of at least 2 classes in the data, but the "
                f"data contains only one class: {classes[0]!r}"
            )
        config = TrainConfig(
            optimizer=self.solver,
            max_iter=self.max_iter,
            epochs=self.epochs,
            lr=self.lr,
            momentum=self.momentum,
            batch_size=self.batch_size,
            schedule=self.schedule,
            l2=self.l2,
            seed=_seed(self.random_state),
            tol=self.tol,
            report_every=self.report_every,
            augment=self.augment,
            inputs=self.inputs,
        )
        data = Dataset(
            X_train=X,
            y_train=codes.astype(np.int64),
            X_test=np.zeros((0, X.shape[1]), dtype=np.float32),
            y_test=np.zeros(0, dtype=np.int64),
            name=type(self).__name__,
            image_shape=(1, X.shape[1]),
        )
        stop = False

        def on_progress(progress: Progress) -> None:
            nonlocal stop
            if self.callback is not None and self.callback(progress) is True:
                stop = True

        result = run_to_end(train(data, config, should_stop=lambda: stop), on_progress)
        self.classes_ = classes
        self.model_: SoftmaxModel = result.model
        self.result_ = result
        self.coef_ = result.model.W.T.astype(np.float64)
        self.intercept_ = result.model.b.astype(np.float64)
        self.n_iter_ = result.iterations
        self.n_features_in_ = X.shape[1]
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities (n_samples, n_classes), columns in the order of ``classes_``."""
        return softmax(self._logits(X))

    def predict(self, X: Any) -> np.ndarray:
        """The most probable label for each row of ``X``."""
        best = self._logits(X).argmax(axis=1)  # checks fitted before classes_ is read
        return self.classes_[best]

    def score(self, X: Any, y: Any, sample_weight: Any = None) -> float:
        """Mean accuracy on ``X`` and ``y`` (weighted by ``sample_weight`` when given)."""
        right = self.predict(X) == _as_labels(y, _n_rows(X))
        return float(np.average(right, weights=sample_weight))

    def _logits(self, X: Any) -> np.ndarray:
        if not self.__sklearn_is_fitted__():
            raise _sklearn_class("NotFittedError", NotFittedError)(
                f"This {type(self).__name__} instance is not fitted yet. Call 'fit' with "
                "appropriate arguments before using this estimator."
            )
        X = _as_features(X)
        if X.shape[1] != self.n_features_in_:
            raise ValueError(
                f"X has {X.shape[1]} features, but {type(self).__name__} is expecting "
                f"{self.n_features_in_} features as input."
            )
        input_map = self.model_.input_map
        if not input_map.is_identity:
            X = input_map.transform(X).astype(np.float64)  # (n, n_features)
        return X @ self.coef_.T + self.intercept_  # float64: same results row by row


def _as_features(X: Any, dtype: type = np.float64) -> np.ndarray:
    """Array-like ``X`` as a finite 2-D array of ``dtype`` (no copy when it already is one),
    or a ValueError/TypeError naming what is wrong."""
    if hasattr(X, "toarray") or type(X).__module__.startswith("scipy.sparse"):
        raise TypeError("sparse input is not supported; pass a dense array (X.toarray())")
    X = np.asarray(X)
    if X.dtype.kind == "c":
        raise ValueError("Complex data not supported")
    X = X.astype(dtype, copy=False)  # objects that are not numbers raise TypeError here
    if X.ndim != 2:
        raise ValueError(
            f"Expected a 2-D array (n_samples, n_features), got {X.ndim}-D with shape "
            f"{X.shape}. Reshape your data with X.reshape(-1, 1) for a single feature or "
            "X.reshape(1, -1) for a single sample."
        )
    if X.shape[0] == 0:
        raise ValueError(f"Found array with 0 sample(s) (shape={X.shape}); at least 1 is needed")
    if X.shape[1] == 0:
        raise ValueError(f"0 feature(s) (shape={X.shape}) while a minimum of 1 is required.")
    if not np.isfinite(X).all():
        raise ValueError(f"Input X contains NaN or infinity (as {np.dtype(dtype).name})")
    return X


def _as_labels(y: Any, n_samples: int) -> np.ndarray:
    """Array-like labels as a 1-D array of ``n_samples`` discrete labels."""
    warning = _sklearn_class("DataConversionWarning", DataConversionWarning)
    return as_estimator_labels(y, n_samples, warning)


def _n_rows(X: Any) -> int:
    return int(np.shape(X)[0]) if np.ndim(X) else 0


def _seed(random_state: Any) -> int:
    """An int seed for :class:`TrainConfig` from scikit-learn's ``random_state`` forms."""
    if random_state is None:
        return int(np.random.SeedSequence().generate_state(1)[0])
    if isinstance(random_state, np.random.Generator):
        return int(random_state.integers(2**31))
    if isinstance(random_state, np.random.RandomState):
        return int(random_state.randint(2**31))
    if isinstance(random_state, (int, np.integer)) and not isinstance(random_state, bool):
        return int(random_state)
    raise ValueError(
        f"random_state must be an int, a NumPy generator or None, got {random_state!r}"
    )


def _same(a: Any, b: Any) -> bool:
    try:
        return bool(a == b)
    except Exception:  # arrays and the like: shown as given
        return False
