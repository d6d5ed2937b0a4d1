"""Course 1, week 2: logistic regression with a neural network mindset, with the notebook's names.

``w (n_x, 1)``, ``b`` a number, ``X (n_x, m)``, ``Y (1, m)``. ``A = sigmoid(w^T X + b)``, the cost
``J = -(1/m) sum(Y log A + (1 - Y) log(1 - A))``, its gradients ``dw = (1/m) X (A - Y)^T`` and
``db = (1/m) sum(A - Y)``: nnxp's kernels with ``W = w^T``, a network of one sigmoid unit.
"""

import array_api_compat
import numpy as np

from ..core import activations
from ..core.backend import namespace
from ..core.kernels import _linear_backward, compute_cost, linear_activation_forward
from ._shared import load_cat_images, real, scalar, zero_d

__all__ = ["sigmoid", "initialize_with_zeros", "propagate", "optimize", "predict", "model", "load_dataset"]

load_dataset = load_cat_images
"""``lr_utils.load_dataset()``: the cat images as the notebook reads them from ``datasets/``."""


def sigmoid(z):
    """``1 / (1 + exp(-z))`` of a number or an array (computed from ``exp(-|z|)``: no overflow)."""
    if not array_api_compat.is_array_api_obj(z):
        z = np.asarray(z, dtype=np.float64)
    xp = namespace(z)
    if not xp.isdtype(z.dtype, "real floating"):
        z = xp.astype(z, xp.float64)
    return activations.sigmoid(xp, z)


def initialize_with_zeros(dim):
    """``(w, b)``: ``w = zeros((dim, 1))`` and ``b = 0.0``, a Python float."""
    return np.zeros((dim, 1)), 0.0


def _forward(xp, w, b, X):
    """``(A (1, m), linear cache)`` of the one sigmoid unit ``W = w^T``."""
    A, (linear_cache, _) = linear_activation_forward(X, xp.permute_dims(w, (1, 0)), b, "sigmoid")
    return A, linear_cache


def propagate(w, b, X, Y):
    """``(grads, cost)``: ``grads = {"dw": (n_x, 1), "db": a number}`` and the cost, a 0-d array."""
    xp = namespace(w, X)
    A, linear_cache = _forward(xp, w, b, X)
    Y = real(xp, Y, A)
    cost = zero_d(xp, compute_cost(A, Y))
    _, dW, db = _linear_backward(xp, A - Y, linear_cache, need_dA_prev=False)
    return {"dw": xp.permute_dims(dW, (1, 0)), "db": scalar(xp, db)}, cost


def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    """``(params, grads, costs)`` after ``num_iterations`` steps of gradient descent from ``(w, b)`` (not
    changed): ``params = {"w", "b"}``, the last step's ``grads`` and the cost of every 100th step."""
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["db"]
        if i % 100 == 0:
            costs.append(cost)
            if print_cost:
                print("Cost after iteration %i: %f" % (i, cost))
    return {"w": w, "b": b}, grads, costs


def predict(w, b, X):
    """``Y_prediction (1, m)``: 1.0 where ``A > 0.5``, else 0.0."""
    xp = namespace(w, X)
    A, _ = _forward(xp, xp.reshape(w, (X.shape[0], 1)), b, X)
    return xp.astype(A > 0.5, A.dtype)


def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5, print_cost=False):
    """Logistic regression from zeros: the dict ``{"costs", "Y_prediction_test", "Y_prediction_train",
    "w", "b", "learning_rate", "num_iterations"}``; with ``print_cost``, the costs and accuracies."""
    w, b = initialize_with_zeros(X_train.shape[0])
    if not array_api_compat.is_numpy_array(X_train):
        xp = namespace(X_train)
        w = xp.asarray(w, dtype=X_train.dtype, device=array_api_compat.device(X_train))
    params, grads, costs = optimize(w, b, X_train, Y_train, num_iterations, learning_rate, print_cost)
    w, b = params["w"], params["b"]
    Y_prediction_test, Y_prediction_train = predict(w, b, X_test), predict(w, b, X_train)
    if print_cost:
        xp = namespace(X_train)
        for name, prediction, Y in (("train", Y_prediction_train, Y_train), ("test", Y_prediction_test, Y_test)):
            error = float(xp.mean(xp.abs(prediction - real(xp, Y, prediction))))
            print("{} accuracy: {} %".format(name, 100 - error * 100))
    return {"costs": costs, "Y_prediction_test": Y_prediction_test, "Y_prediction_train": Y_prediction_train,
            "w": w, "b": b, "learning_rate": learning_rate, "num_iterations": num_iterations}
