"""NeuralNetwork: the course's L-layer binary classifier, trained by gradient descent.

Logistic regression is ``layer_dims=[n_x, 1]``, the shallow network
``[n_x, n_h, 1]``, the deep network ``[n_x, n_1, ..., n_{L-1}, 1]``: hidden
layers use ``hidden_activation``, the output layer sigmoid.
"""

import math
import os

import array_api_compat

from .activations import ACTIVATIONS
from .backend import BACKEND_NAMES, dtype_name, dtype_of, get_namespace, namespace, resolve_device, to_backend
from .init import INITS, check_layer_dims, initialize_parameters
from .kernels import _cost_from_logits, _model_backward, _model_forward, update_parameters
from .validation import (
    as_array,
    check_choice,
    check_count,
    check_positive_number,
    check_X,
    check_Y,
)


class TrainingDivergedError(FloatingPointError):
    """The cost stopped being finite: the learning rate is too large for this problem."""


class NeuralNetwork:
    """A binary classifier ``P(y = 1 | x) = AL`` with ``layer_dims = [n[0], ..., n[L]]``, ``n[L] = 1``.

    ``fit(X, Y)`` runs ``num_iterations`` of full-batch gradient descent on
    ``X (n_x, m)``, ``Y (1, m)`` on the data's own library and device (or on
    ``backend``/``device`` when given, or ``$NNXP_BACKEND`` when set: the data
    is moved there once). ``dtype`` None follows ``X`` (float32 stays float32;
    integer data becomes float64). The cost is read back to the host only at
    iterations 0, ``cost_every``, 2 ``cost_every``, ...: those values, taken
    before that iteration's update, are ``costs_``.
    """

    def __init__(self, layer_dims, *, hidden_activation="relu", learning_rate=0.0075,
                 num_iterations=2500, init="he", scale=0.01, seed=0, dtype=None,
                 backend=None, device=None, cost_every=100, print_cost=False):
        self.layer_dims = check_layer_dims(layer_dims)
        if self.layer_dims[-1] != 1:
            raise ValueError(
                f"layer_dims must end with 1 output unit (binary classification), got {self.layer_dims}"
            )
        self.hidden_activation = check_choice(hidden_activation, "hidden_activation", ACTIVATIONS)
        self.learning_rate = check_positive_number(learning_rate, "learning_rate")
        self.num_iterations = check_count(num_iterations, "num_iterations", 0)
        self.init = check_choice(init, "init", INITS)
        self.scale = check_positive_number(scale, "scale")
        self.cost_every = check_count(cost_every, "cost_every", 1)
        if dtype is not None:
            dtype_name(dtype)
        if isinstance(backend, str):
            check_choice(backend, "backend", BACKEND_NAMES)
        self.seed, self.dtype, self.backend, self.device = seed, dtype, backend, device
        self.print_cost = print_cost

    @property
    def activations(self):
        """One activation name per layer: the hidden ones, then ``"sigmoid"``."""
        return [self.hidden_activation] * (len(self.layer_dims) - 2) + ["sigmoid"]

    def _target_backend(self):
        return self.backend if self.backend is not None else os.environ.get("NNXP_BACKEND")

    def _on_target(self, x, name):
        """``x`` as an array, moved to the target backend/device when one is set."""
        x = as_array(x, name)
        target = self._target_backend()
        if target is None:
            return x
        xp = get_namespace(target)
        device = resolve_device(xp, self.device)
        if namespace(x) is xp and (device is None or array_api_compat.device(x) == device):
            return x
        return to_backend(x, xp, device)

    def _prepare_X(self, X, *others):
        """``(xp, X, others...)`` on one backend, X validated and cast to the model's dtype."""
        X = self._on_target(X, "X")
        xp = namespace(X, *others)
        check_X(xp, X, self.layer_dims[0])
        if hasattr(self, "parameters_"):
            dtype = self.parameters_["W1"].dtype
        elif self.dtype is not None:
            dtype = dtype_of(xp, self.dtype)
        else:
            dtype = X.dtype if xp.isdtype(X.dtype, "real floating") else xp.float64
        return xp, X if X.dtype == dtype else xp.astype(X, dtype)

    def _prepare_XY(self, X, Y):
        X, Y = self._on_target(X, "X"), self._on_target(Y, "Y")
        xp, X = self._prepare_X(X, Y)
        check_Y(xp, Y, X.shape[1])
        return xp, X, xp.astype(Y, X.dtype)

    def fit(self, X, Y):
        """Train from fresh parameters on ``X (n_x, m)``, ``Y (1, m)``; returns ``self``.

        Raises :class:`TrainingDivergedError` (and keeps no NaN parameters) when the
        cost stops being finite.
        """
        xp, X, Y = self._prepare_XY(X, Y)
        parameters = initialize_parameters(
            self.layer_dims, init=self.init, scale=self.scale, seed=self.seed,
            dtype=X.dtype, backend=xp, device=array_api_compat.device(X),
        )
        activations, costs = self.activations, []
        for i in range(self.num_iterations):
            AL, caches = _model_forward(xp, X, parameters, activations)
            if i % self.cost_every == 0:
                costs.append(self._read_cost(xp, caches[-1][1], Y, i))
            grads = _model_backward(xp, AL, Y, caches, activations, need_dA0=False)
            parameters = update_parameters(parameters, grads, self.learning_rate)
        self._check_finite(xp, parameters)
        self.parameters_, self.costs_ = parameters, costs
        return self

    def _read_cost(self, xp, ZL, Y, iteration):
        """The cost as a Python float: the one host synchronisation of an iteration that logs."""
        cost = float(_cost_from_logits(xp, ZL, Y))
        if not math.isfinite(cost):
            raise TrainingDivergedError(
                f"the cost became {cost} at iteration {iteration} with learning_rate="
                f"{self.learning_rate}; training diverged, try a smaller learning rate"
            )
        if self.print_cost:
            print(f"Cost after iteration {iteration}: {cost:.6f}")
        return cost

    def _check_finite(self, xp, parameters):
        if not all(bool(xp.all(xp.isfinite(P))) for P in parameters.values()):
            raise TrainingDivergedError(
                f"the parameters stopped being finite after the last logged cost with "
                f"learning_rate={self.learning_rate}; training diverged, try a smaller learning rate"
            )

    def _fitted_parameters(self):
        if not hasattr(self, "parameters_"):
            raise RuntimeError("this NeuralNetwork is not fitted yet: call fit(X, Y) first")
        return self.parameters_

    def predict_proba(self, X):
        """AL = P(y = 1 | x) for each column of ``X (n_x, m)``: shape ``(1, m)``."""
        parameters = self._fitted_parameters()
        xp, X = self._prepare_X(X, parameters["W1"])
        return _model_forward(xp, X, parameters, self.activations)[0]

    def predict(self, X):
        """Labels 0/1, ``(1, m)``, in the model's dtype: 1 where AL > 0.5."""
        AL = self.predict_proba(X)
        xp = namespace(AL)
        return xp.astype(AL > 0.5, AL.dtype)

    def score(self, X, Y):
        """Accuracy, the fraction of columns where ``predict(X)`` equals ``Y``: a Python float."""
        xp, X, Y = self._prepare_XY(X, Y)
        return float(xp.mean(xp.astype(self.predict(X) == Y, X.dtype)))
