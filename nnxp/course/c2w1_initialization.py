"""Course 2, week 1, Initialization: the notebook's three initializations and ``model``, with
``init_utils``' three-layer network, as in the current notebook (``Initialization.ipynb``, 2023+,
checked against the shivamaggarwal513 copy).

``init_utils`` runs the network of :mod:`nnxp.course.c2w1_regularization` (the same forward pass and
12-tuple cache, the same ``(1/m) nansum`` cost, here ``compute_loss``), but its backward pass folds the
``1/m`` into ``dz3 = (1/m)(a3 - Y)`` and names the gradients in lower case: ``dz{l}`` and ``da{l}`` are
that module's ``dZ{l}`` and ``dA{l}`` divided by ``m``, ``dW{l}`` and ``db{l}`` are the same.
``load_dataset`` (scikit-learn's ``make_circles``, not one of nnxp's generators) and the plots are not
here.
"""

import numpy as np

from ._shared import layers, on_device_of, randn
from .c2w1_regularization import (
    _backprop,
    compute_cost as compute_loss,
    forward_propagation,
    predict,
    predict_dec,
    relu,
    sigmoid,
    update_parameters,
)

__all__ = ["sigmoid", "relu", "forward_propagation", "backward_propagation", "compute_loss", "update_parameters",
           "predict", "predict_dec", "initialize_parameters_zeros", "initialize_parameters_random",
           "initialize_parameters_he", "model"]

_PER_SAMPLE = ("dZ3", "dA2", "dZ2", "dA1", "dZ1")
"""The gradients ``init_utils`` gives divided by ``m`` (its ``1/m`` sits in ``dz3``), under lower-case names."""


def backward_propagation(X, Y, cache):
    """``{"dz3", "dW3", "db3", "da2", "dz2", "dW2", "db2", "da1", "dz1", "dW1", "db1"}`` of
    :func:`forward_propagation`'s ``cache``: ``dz3 = (1/m)(a3 - Y)``, ``dW3 = dz3 a2^T``, ``db3 = sum dz3``,
    ``da2 = W3^T dz3``, ``dz2 = da2 * [a2 > 0]``, and so on down to layer 1."""
    m = X.shape[1]
    return {key.lower() if key in _PER_SAMPLE else key: value / m if key in _PER_SAMPLE else value
            for key, value in _backprop(X, Y, cache).items()}


def initialize_parameters_zeros(layers_dims):
    """``{"W1", "b1", ..., "WL", "bL"}``, all zeros: ``W{l} (n[l], n[l-1])``, ``b{l} (n[l], 1)``."""
    return layers(layers_dims, lambda n, n_prev: np.zeros((n, n_prev)))


def initialize_parameters_random(layers_dims):
    """``np.random.seed(3)``, then ``W{l} = randn(n[l], n[l-1]) * 10`` layer by layer, zero biases."""
    np.random.seed(3)
    return layers(layers_dims, lambda n, n_prev: randn(n, n_prev) * 10)


def initialize_parameters_he(layers_dims):
    """He initialization: ``np.random.seed(3)``, then ``W{l} = randn(n[l], n[l-1]) * sqrt(2 / n[l-1])``
    layer by layer, zero biases."""
    np.random.seed(3)
    return layers(layers_dims, lambda n, n_prev: randn(n, n_prev) * np.sqrt(2. / n_prev))


_INITIALIZATIONS = {"zeros": initialize_parameters_zeros, "random": initialize_parameters_random,
                    "he": initialize_parameters_he}


def model(X, Y, learning_rate=0.01, num_iterations=15000, print_cost=True, initialization="he"):
    """The trained parameters of ``[n_x, 10, 5, 1]`` initialized by ``initialization`` (``"zeros"``,
    ``"random"`` or ``"he"``, else ValueError), by full-batch gradient descent; with ``print_cost`` the
    cost every 1000 iterations. The notebook's plot of the costs is left out."""
    if initialization not in _INITIALIZATIONS:
        raise ValueError(f"initialization must be one of {sorted(_INITIALIZATIONS)}, got {initialization!r}")
    parameters = on_device_of(_INITIALIZATIONS[initialization]([X.shape[0], 10, 5, 1]), X)
    for i in range(num_iterations):
        a3, cache = forward_propagation(X, parameters)
        cost = compute_loss(a3, Y)
        grads = backward_propagation(X, Y, cache)
        parameters = update_parameters(parameters, grads, learning_rate)
        if print_cost and i % 1000 == 0:
            print("Cost after iteration {}: {}".format(i, float(cost)))
    return parameters
