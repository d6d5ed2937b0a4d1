"""Course 1, week 3: planar data classification with one hidden layer, with the notebook's names.

``[n_x, n_h, n_y]`` with a tanh hidden layer and a sigmoid output: ``Z1 = W1 X + b1``,
``A1 = tanh(Z1)``, ``Z2 = W2 A1 + b2``, ``A2 = sigmoid(Z2)``; backwards ``dZ2 = A2 - Y``,
``dZ1 = W2^T dZ2 * (1 - A1^2)``, read from the cached ``A1`` and ``A2`` (nnxp's kernels).
"""

import numpy as np

from ..core.activations import tanh_backward
from ..core.backend import namespace
from ..core.kernels import _linear_backward, compute_cost as _cost, linear_activation_forward, update_parameters as _update
from ..data.datasets import flower
from ._shared import layers, on_device_of, randn, real
from .c1w2 import sigmoid

__all__ = ["sigmoid", "layer_sizes", "initialize_parameters", "forward_propagation", "compute_cost",
           "backward_propagation", "update_parameters", "nn_model", "predict", "load_planar_dataset"]


def load_planar_dataset():
    """``planar_utils.load_planar_dataset()``: the 400 "flower" points, ``X (2, 400)``, ``Y (1, 400)`` of
    uint8 labels, the course's to the bit (:func:`nnxp.data.datasets.flower`)."""
    X, Y = flower()
    return X, Y.astype(np.uint8)


def layer_sizes(X, Y):
    """``(n_x, n_h, n_y)``: ``X``'s rows, 4 hidden units, ``Y``'s rows."""
    return X.shape[0], 4, Y.shape[0]


def initialize_parameters(n_x, n_h, n_y):
    """``{"W1" (n_h, n_x), "b1" (n_h, 1), "W2" (n_y, n_h), "b2" (n_y, 1)}``: ``randn * 0.01`` (W1, then
    W2) from NumPy's global state (seeded by the caller, as the course's tests do), zero biases."""
    return layers((n_x, n_h, n_y), lambda n, n_prev: randn(n, n_prev) * 0.01)


def forward_propagation(X, parameters):
    """``(A2 (1, m), cache)``, ``cache = {"Z1", "A1", "Z2", "A2"}``."""
    A1, (_, Z1) = linear_activation_forward(X, parameters["W1"], parameters["b1"], "tanh")
    A2, (_, Z2) = linear_activation_forward(A1, parameters["W2"], parameters["b2"], "sigmoid")
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


def compute_cost(A2, Y):
    """The cross-entropy cost ``-(1/m) sum(Y log A2 + (1 - Y) log(1 - A2))``, ``m`` from ``Y (1, m)``,
    as a Python float (``A2`` may also be 1-D)."""
    xp = namespace(A2, Y)
    A2 = xp.reshape(A2, Y.shape)
    return float(_cost(A2, real(xp, Y, A2)))


def backward_propagation(parameters, cache, X, Y):
    """``{"dW1", "db1", "dW2", "db2"}`` from the cached ``A1`` and ``A2``."""
    xp = namespace(X, cache["A2"])
    W1, b1, W2, b2 = (parameters[key] for key in ("W1", "b1", "W2", "b2"))
    A1, A2 = cache["A1"], cache["A2"]
    dA1, dW2, db2 = _linear_backward(xp, A2 - real(xp, Y, A2), (A1, W2, b2))
    _, dW1, db1 = _linear_backward(xp, tanh_backward(xp, dA1, None, A1), (X, W1, b1), need_dA_prev=False)
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}


def update_parameters(parameters, grads, learning_rate=1.2):
    """A new dict of ``theta - learning_rate * dtheta`` for W1, b1, W2, b2 (``parameters`` unchanged)."""
    return _update(parameters, grads, learning_rate)


def nn_model(X, Y, n_h, num_iterations=10000, print_cost=False):
    """The trained parameters: ``np.random.seed(3)``, then :func:`initialize_parameters` and
    ``num_iterations`` steps of gradient descent at 1.2; the cost printed every 1000 with ``print_cost``."""
    np.random.seed(3)
    n_x, _, n_y = layer_sizes(X, Y)
    parameters = on_device_of(initialize_parameters(n_x, n_h, n_y), X)
    for i in range(num_iterations):
        A2, cache = forward_propagation(X, parameters)
        if print_cost and i % 1000 == 0:
            print("Cost after iteration %i: %f" % (i, compute_cost(A2, Y)))
        grads = backward_propagation(parameters, cache, X, Y)
        parameters = update_parameters(parameters, grads)
    return parameters


def predict(parameters, X):
    """``(1, m)`` booleans: ``A2 > 0.5``."""
    A2, _ = forward_propagation(X, parameters)
    return A2 > 0.5
