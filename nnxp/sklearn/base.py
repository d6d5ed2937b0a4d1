"""What :mod:`nnxp.sklearn`'s two estimators share: their parameters, scikit-learn's input checks (or
the shape checks alone for arrays that stay on their own library), and the training run around
:class:`~nnxp.NeuralNetwork` with scikit-learn's stopping rule and fitted attributes."""

import numbers
import warnings

import array_api_compat
import numpy as np
from sklearn import get_config
from sklearn.base import BaseEstimator
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.utils.validation import check_is_fitted, check_random_state, validate_data

from ..core.activations import ACTIVATIONS
from ..core.backend import namespace, to_backend, to_numpy
from ..core.checks import Check, Count, Either, InRange, Instance, Is, OneOf, Positive, check_settings
from ..core.initialization import INITS
from ..core.optimizers import OPTIMIZERS, Optimizer, make_optimizer
from ..model.network import NeuralNetwork

_NO_Y = "no_validation"
"""What ``validate_data`` calls the absent ``y`` of a prediction."""

ACTIVATION_ALIASES = {"logistic": "sigmoid", "identity": "linear"}
"""scikit-learn's activation names -> nnxp's (nnxp's own names are taken as they are)."""


def _layer_sizes(sizes):
    """``hidden_layer_sizes`` as a list: one integer, or several, each >= 1."""
    sizes = [sizes] if isinstance(sizes, numbers.Integral) else list(sizes)
    return [Count(1)(n, "hidden_layer_sizes") for n in sizes]


PARAMETERS = {
    "hidden_layer_sizes": Check(_layer_sizes, "an integer or a sequence of integers >= 1"),
    "activation": OneOf({*ACTIVATIONS, *ACTIVATION_ALIASES}),
    "optimizer": Either(OneOf(OPTIMIZERS), Instance(Optimizer, "an nnxp optimizer object")),
    "alpha": InRange(0.0),
    "batch_size": Either(Is("auto"), Count(1)),
    "learning_rate_init": Positive(),
    "max_iter": Count(1),
    "momentum": InRange(0.0, 1.0),
    "beta_1": InRange(0.0, 1.0),
    "beta_2": InRange(0.0, 1.0),
    "epsilon": Positive(),
    "validation_fraction": InRange(0.0, 1.0),
    "n_iter_no_change": Count(1),
    "tol": InRange(0.0),
    "init": OneOf(INITS),
}
"""The constraints of the estimators' parameters (:mod:`nnxp.core.checks`), read at each ``fit`` and
``partial_fit`` (scikit-learn's rule: ``__init__`` stores, ``fit`` checks). ``random_state`` is
scikit-learn's to check; ``backend``, ``device`` and ``dtype`` the network's."""



def _foreign(X):
    """Whether ``X`` is an array of another library than NumPy that scikit-learn would not keep
    (its array-API dispatch off)."""
    numpy_or_not_array = array_api_compat.is_numpy_array(X) or not array_api_compat.is_array_api_obj(X)
    return not numpy_or_not_array and not get_config()["array_api_dispatch"]


class _StopWhenFlat:
    """scikit-learn's rule on the training loss: stop once more than ``patience`` epochs in a row
    lowered the best loss by no more than ``tol``; prints each epoch's loss when ``verbose``."""

    def __init__(self, tol, patience, verbose, watch):
        self.tol, self.patience, self.verbose, self.watch = tol, patience, verbose, watch
        self.best, self.flat, self.stopped = np.inf, 0, False

    def __call__(self, done, loss):
        if self.verbose:
            print(f"Iteration {done}, loss = {loss:.8f}")
        if not self.watch:
            return False
        self.flat = self.flat + 1 if loss > self.best - self.tol else 0
        self.best = min(self.best, loss)
        self.stopped = self.flat > self.patience
        return self.stopped


class _NeuralNetEstimator(BaseEstimator):
    """What the classifier and the regressor share: parameters, validation, the training run."""

    def __init__(self, hidden_layer_sizes=(100,), activation="relu", *, optimizer="adam", alpha=0.0001,
                 batch_size="auto", learning_rate_init=0.001, max_iter=200, random_state=None, momentum=0.9,
                 beta_1=0.9, beta_2=0.999, epsilon=1e-8, early_stopping=False, validation_fraction=0.1,
                 n_iter_no_change=10, tol=1e-4, verbose=False, init="glorot", backend=None, device=None,
                 dtype=None):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.optimizer = optimizer
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate_init = learning_rate_init
        self.max_iter = max_iter
        self.random_state = random_state
        self.momentum = momentum
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.verbose = verbose
        self.init = init
        self.backend = backend
        self.device = device
        self.dtype = dtype

    # ------------------------------------------------------------ checks

    def _optimizer(self):
        """The optimizer ``optimizer`` names, from nnxp's one registry (:func:`~nnxp.core.optimizers.make_optimizer`):
        ``beta_1`` (``momentum`` for "momentum") is its beta1, ``beta_2`` its beta2."""
        if not isinstance(self.optimizer, str):
            return self.optimizer
        beta1 = self.momentum if self.optimizer == "momentum" else self.beta_1
        return make_optimizer(self.optimizer, beta1=beta1, beta2=self.beta_2, epsilon=self.epsilon)

    def _network(self, n_features, n_L, loss, n_samples, seed):
        """The NeuralNetwork ``[n_features, *hidden_layer_sizes, n_L]`` these settings describe."""
        return NeuralNetwork(
            [n_features, *_layer_sizes(self.hidden_layer_sizes), n_L],
            hidden_activation=ACTIVATION_ALIASES.get(self.activation, self.activation),
            learning_rate=self.learning_rate_init, num_iterations=self.max_iter, seed=seed, dtype=self.dtype,
            init=self.init, backend=self.backend, device=self.device, cost_every=1,
            batch_size=min(200 if self.batch_size == "auto" else self.batch_size, n_samples),
            l2=self.alpha, loss=loss, optimizer=self._optimizer(),
        )

    _y_checks = {}
    """What ``validate_data`` checks of ``y`` besides its length and finiteness."""

    def _sklearn_checked(self, X, y, reset):
        xp = namespace(X) if array_api_compat.is_array_api_obj(X) else np
        dtype = (xp.float64, xp.float32)
        if y is _NO_Y:
            return validate_data(self, X, reset=reset, dtype=dtype), None
        return validate_data(self, X, y, reset=reset, dtype=dtype, **self._y_checks)

    def _validate(self, X, y=None, reset=True):
        """``(X, y, host)``: scikit-learn's checks for NumPy, pandas and lists (``host`` True), the
        shape checks alone for arrays of another array-API library, which stay where they are.
        ``y``: the targets of a fit (None is refused), or ``_NO_Y`` for prediction."""
        if not _foreign(X):
            X, y = self._sklearn_checked(X, y, reset)
            return X, y, array_api_compat.is_numpy_array(X)
        if X.ndim != 2:
            raise ValueError(f"X must be 2-D (n_samples, n_features), got shape {tuple(X.shape)}")
        if reset:
            self.n_features_in_ = X.shape[1]
        elif X.shape[1] != self.n_features_in_:
            raise ValueError(f"X has {X.shape[1]} features, but {type(self).__name__} is expecting "
                             f"{self.n_features_in_} features as input.")
        if y is None:
            raise ValueError(f"{type(self).__name__} requires y to be passed, but the target y is None")
        if y is not _NO_Y and y.shape[0] != X.shape[0]:
            raise ValueError(f"y must have one row per sample of X ({X.shape[0]}), got shape {tuple(y.shape)}")
        return X, None if y is _NO_Y else y, False

    def _answer(self, array, host):
        """``array`` in the library of the input: NumPy for host input."""
        return to_numpy(array) if host else array

    # ------------------------------------------------------------ training

    def _fit(self, X, y, *, first, watch, classes=None):
        """Validate, encode, build the network when ``first``, train ``max_iter`` epochs (one when not
        ``watch``: partial_fit) and record scikit-learn's fitted attributes."""
        check_settings(PARAMETERS, self.get_params())
        X, y, _ = self._validate(X, y, reset=first)
        xp = namespace(X)
        Y = self._targets(xp, X, y, first=first, classes=classes)
        if first:
            seed = int(check_random_state(self.random_state).randint(np.iinfo(np.int32).max))
            self.model_ = self._network(X.shape[1], self._units(Y), self._loss(), X.shape[0], seed)
        model, X, validation = self.model_, X.T, None
        model.num_iterations = self.max_iter if watch else 1
        model.early_stopping = self.n_iter_no_change + 1 if watch and self.early_stopping else None
        model.tol = self.tol if model.early_stopping else 0.0
        if model.early_stopping:
            X, Y, validation = self._held_out(xp, X, Y, model.seed)
        monitor = _StopWhenFlat(self.tol, self.n_iter_no_change, self.verbose, watch and not self.early_stopping)
        done = model.iterations_done_ if not first else 0
        model.fit(X, Y, resume=not first, validation_data=validation, progress=monitor)
        self._record(model, watch and model.iterations_done_ - done == self.max_iter and not monitor.stopped)
        return self

    def _held_out(self, xp, X, Y, seed):
        """``(X_train, Y_train, (X_v, Y_v))``: ``validation_fraction`` of the columns held out, stratified
        by class for classifiers (indices drawn on the host, the columns taken where they live)."""
        m = X.shape[1]
        stratify = self._strata(Y)
        train, held = train_test_split(np.arange(m), test_size=self.validation_fraction, random_state=seed,
                                       stratify=stratify)
        device = array_api_compat.device(X)

        def take(A, index):
            return xp.take(A, to_backend(index, xp, device), axis=1)

        return take(X, train), take(Y, train), (take(X, held), take(Y, held))

    def _strata(self, Y):
        return None

    def _record(self, model, unconverged):
        """The fitted attributes of scikit-learn's networks, from the trained ``model``."""
        self.n_iter_, self.t_ = model.iterations_done_, model.steps_done_
        self.loss_curve_ = list(model.costs_)
        self.loss_ = self.loss_curve_[-1] if self.loss_curve_ else None
        if model.early_stopping is not None:
            self.validation_scores_ = list(model.validation_scores_)
            self.best_validation_score_ = max(self.validation_scores_, default=None)
            self.best_loss_ = None
        else:
            self.validation_scores_ = self.best_validation_score_ = None
            self.best_loss_ = min(self.loss_curve_, default=None)
        if unconverged:
            warnings.warn(f"{type(self).__name__}: maximum iterations ({self.max_iter}) reached and the "
                          "optimization hasn't converged yet.", ConvergenceWarning, stacklevel=4)

    def _score_where_it_lives(self, X, y):
        """The model's score (accuracy, or R^2 averaged over the outputs) for arrays of another library."""
        check_is_fitted(self, "model_")
        X, y, _ = self._validate(X, y, reset=False)
        return self.model_.score(X.T, self._targets(namespace(X), X, y, first=False, classes=None))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.array_api_support = True  # trains where the data lives
        return tags

    def _output(self, X, method):
        """``(xp, AL, host)``: the network's output ``(n[L], n_samples)`` for rows-first ``X``; ``X`` of
        another library than the data of ``fit`` is a ValueError naming ``method`` (unless ``backend``
        moves every input to one)."""
        check_is_fitted(self, "model_")
        X, _, host = self._validate(X, _NO_Y, reset=False)
        try:
            AL = self.model_._output(X.T)[1]
        except TypeError as exc:  # nnxp.namespace: X and the parameters of two libraries
            raise ValueError(f"{type(self).__name__}.{method}(): X must use the same namespace as the "
                             f"data the estimator was fitted on ({exc})") from None
        return namespace(AL), AL, host
