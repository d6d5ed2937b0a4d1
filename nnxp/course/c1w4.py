"""Course 1, week 4: the deep network step by step, and the application's models on the cat images,
with the notebooks' names (and ``dnn_utils``' ``sigmoid``, ``relu`` and their backward steps).

``L_model_forward`` runs ``[LINEAR -> RELU] * (L-1) -> LINEAR -> SIGMOID`` and keeps every layer's
cache ``((A_prev, W, b), Z)``; ``L_model_backward`` starts, as the course does, from
``dAL = -(Y / AL - (1 - Y) / (1 - AL))`` and the sigmoid's derivative at the cached ``Z``, so any
``AL`` gives the course's gradients (not only ``AL = sigmoid(Z)``, where ``dZ = AL - Y``).
The layer functions are nnxp's kernels themselves.
"""

import numpy as np

from ..core import activations
from ..core.backend import namespace
from ..core.kernels import (
    compute_cost as _cost,
    linear_activation_backward,
    linear_activation_forward,
    linear_backward,
    linear_forward,
    model_forward,
    update_parameters as _update,
)
from ._shared import layers, load_cat_images, on_device_of, randn, real, zero_d

__all__ = ["sigmoid", "relu", "sigmoid_backward", "relu_backward", "initialize_parameters",
           "initialize_parameters_deep", "linear_forward", "linear_activation_forward", "L_model_forward",
           "compute_cost", "linear_backward", "linear_activation_backward", "L_model_backward",
           "update_parameters", "two_layer_model", "L_layer_model", "predict", "load_data"]

load_data = load_cat_images
"""``dnn_app_utils_v3.load_data()``: the cat images as the notebook reads them from ``datasets/``."""


def sigmoid(Z):
    """``(A, cache)``: ``A = 1 / (1 + exp(-Z))``, ``cache = Z``."""
    return activations.sigmoid(namespace(Z), Z), Z


def relu(Z):
    """``(A, cache)``: ``A = max(0, Z)``, ``cache = Z``."""
    return activations.relu(namespace(Z), Z), Z


def sigmoid_backward(dA, cache):
    """``dZ = dA * s (1 - s)`` with ``s = sigmoid(Z)``, ``Z = cache``."""
    xp = namespace(dA, cache)
    return activations.sigmoid_backward(xp, dA, cache, activations.sigmoid(xp, cache))


def relu_backward(dA, cache):
    """``dZ = dA`` where ``Z > 0``, else 0, ``Z = cache``."""
    xp = namespace(dA, cache)
    return activations.relu_backward(xp, dA, cache, activations.relu(xp, cache))


def initialize_parameters(n_x, n_h, n_y):
    """``{"W1", "b1", "W2", "b2"}``: ``np.random.seed(1)``, then ``randn * 0.01`` for W1 and W2, zero biases."""
    np.random.seed(1)
    return layers((n_x, n_h, n_y), lambda n, n_prev: randn(n, n_prev) * 0.01)


def initialize_parameters_deep(layer_dims):
    """``{"W1", "b1", ..., "WL", "bL"}`` of the step-by-step notebook: ``np.random.seed(3)``, then
    ``W{l} = randn(n[l], n[l-1]) * 0.01`` layer by layer, zero biases."""
    np.random.seed(3)
    return layers(layer_dims, lambda n, n_prev: randn(n, n_prev) * 0.01)


def _initialize_parameters_deep_application(layer_dims):
    """The application's ``initialize_parameters_deep`` (``dnn_app_utils_v3``): ``np.random.seed(1)``,
    then ``W{l} = randn(n[l], n[l-1]) / sqrt(n[l-1])``."""
    np.random.seed(1)
    return layers(layer_dims, lambda n, n_prev: randn(n, n_prev) / np.sqrt(n_prev))


def L_model_forward(X, parameters):
    """``(AL, caches)``: ``[LINEAR -> RELU] * (L-1) -> LINEAR -> SIGMOID``, one cache per layer (a list)."""
    L = len(parameters) // 2
    return model_forward(X, parameters, ["relu"] * (L - 1) + ["sigmoid"])


def compute_cost(AL, Y):
    """The cross-entropy cost ``-(1/m) sum(Y log AL + (1 - Y) log(1 - AL))``: a 0-d array."""
    xp = namespace(AL, Y)
    return zero_d(xp, _cost(AL, real(xp, Y, AL)))


def L_model_backward(AL, Y, caches):
    """``{"dA0", ..., "dA{L-1}", "dW1", "db1", ..., "dWL", "dbL"}`` from ``dAL = -(Y/AL - (1-Y)/(1-AL))``."""
    xp = namespace(AL, Y)
    Y = real(xp, xp.reshape(Y, AL.shape), AL)
    L = len(caches)
    grads = {}
    dA = -(Y / AL - (1 - Y) / (1 - AL))
    for l in range(L, 0, -1):
        dA, grads[f"dW{l}"], grads[f"db{l}"] = linear_activation_backward(
            dA, caches[l - 1], "sigmoid" if l == L else "relu")
        grads[f"dA{l - 1}"] = dA
    return grads


def update_parameters(params, grads, learning_rate):
    """A new dict of ``W{l} - learning_rate dW{l}``, ``b{l} - learning_rate db{l}`` (``params`` unchanged)."""
    return _update(params, grads, learning_rate)


def _train(X, Y, parameters, forward_backward, learning_rate, num_iterations, print_cost):
    """The application's loop: ``(parameters, costs)``, the cost of iterations 0, 100, 200, ... kept; with
    ``print_cost`` printed at those, and at the last iteration always (the notebook's precedence)."""
    costs = []
    for i in range(num_iterations):
        cost, grads = forward_backward(parameters)
        parameters = update_parameters(parameters, grads, learning_rate)
        if print_cost and i % 100 == 0 or i == num_iterations - 1:
            print("Cost after iteration {}: {}".format(i, float(cost)))
        if i % 100 == 0:
            costs.append(cost)
    return parameters, costs


def two_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):
    """``(parameters, costs)`` of ``LINEAR -> RELU -> LINEAR -> SIGMOID`` trained by gradient descent from
    :func:`initialize_parameters` (``layers_dims = (n_x, n_h, n_y)``)."""
    np.random.seed(1)
    n_x, n_h, n_y = layers_dims

    def forward_backward(parameters):
        A1, cache1 = linear_activation_forward(X, parameters["W1"], parameters["b1"], "relu")
        A2, cache2 = linear_activation_forward(A1, parameters["W2"], parameters["b2"], "sigmoid")
        xp = namespace(A2, Y)
        Y_real = real(xp, Y, A2)
        dA2 = -(Y_real / A2 - (1 - Y_real) / (1 - A2))
        dA1, dW2, db2 = linear_activation_backward(dA2, cache2, "sigmoid")
        _, dW1, db1 = linear_activation_backward(dA1, cache1, "relu")
        return compute_cost(A2, Y), {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}

    parameters = on_device_of(initialize_parameters(n_x, n_h, n_y), X)
    return _train(X, Y, parameters, forward_backward, learning_rate, num_iterations, print_cost)


def L_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):
    """``(parameters, costs)`` of ``[LINEAR -> RELU] * (L-1) -> LINEAR -> SIGMOID`` trained by gradient
    descent from the application's initialization (seed 1, ``randn / sqrt(n[l-1])``)."""
    np.random.seed(1)

    def forward_backward(parameters):
        AL, caches = L_model_forward(X, parameters)
        return compute_cost(AL, Y), L_model_backward(AL, Y, caches)

    parameters = on_device_of(_initialize_parameters_deep_application(layers_dims), X)
    return _train(X, Y, parameters, forward_backward, learning_rate, num_iterations, print_cost)


def predict(X, y, parameters):
    """``p (1, m)``: 1.0 where ``AL > 0.5``, else 0.0; prints ``Accuracy: `` the fraction equal to ``y``."""
    AL, _ = L_model_forward(X, parameters)
    xp = namespace(AL)
    p = xp.astype(AL > 0.5, AL.dtype)
    m = X.shape[1]
    print("Accuracy: " + str(float(xp.sum(xp.astype(p == real(xp, y, p), p.dtype) / m))))
    return p
