"""Course 2, week 1, Gradient Checking: the notebook's one-parameter and N-parameter checks and its
given network, with ``gc_utils``' vector helpers, as in the current notebook (``Gradient_Checking.ipynb``,
2023+, checked against the shivamaggarwal513 copy).

``difference = ||grad - gradapprox|| / (||grad|| + ||gradapprox||)`` with
``gradapprox[i] = (J(theta + eps e_i) - J(theta - eps e_i)) / (2 eps)``; above ``2e-7`` it reports a
mistake. ``forward_propagation_n`` is the network of :mod:`nnxp.course.c2w1_regularization` with the
cost ``(1/m) sum(-log(A3) Y - log(1 - A3) (1 - Y))``; ``backward_propagation_n`` is its CORRECT
backward pass, not the notebook's version with the two planted bugs (``dW2`` doubled, ``db1`` times 4),
so a check of it passes (about ``1.19e-7`` on the notebook's test case). ``vector_to_dictionary`` is,
as in ``gc_utils``, written for that notebook's ``[4, 5, 3, 1]`` network.
"""

import array_api_compat
import numpy as np

from ..core.backend import namespace
from ._shared import scalar
from .c2w1_regularization import (
    _logprobs,
    backward_propagation as _backward_n,
    forward_propagation as _forward_n,
    relu,
    sigmoid,
)

__all__ = ["sigmoid", "relu", "dictionary_to_vector", "vector_to_dictionary", "gradients_to_vector",
           "forward_propagation", "backward_propagation", "gradient_check", "forward_propagation_n",
           "backward_propagation_n", "gradient_check_n"]

_SHAPES = {"W1": (5, 4), "b1": (5, 1), "W2": (3, 5), "b2": (3, 1), "W3": (1, 3), "b3": (1, 1)}
"""``gc_utils``' parameters, in the order they are rolled into one vector, with their shapes."""


def _roll(arrays):
    """The arrays flattened row by row and stacked into one ``(n, 1)`` column."""
    arrays = list(arrays)
    xp = namespace(*arrays)
    return xp.concat([xp.reshape(a, (-1, 1)) for a in arrays], axis=0)


def dictionary_to_vector(parameters):
    """``(theta (47, 1), keys)``: ``W1, b1, W2, b2, W3, b3`` flattened row by row into one column, and
    the list of the key each entry came from."""
    keys = [key for key in _SHAPES for _ in range(parameters[key].shape[0] * parameters[key].shape[1])]
    return _roll(parameters[key] for key in _SHAPES), keys


def vector_to_dictionary(theta):
    """``{"W1" (5, 4), "b1" (5, 1), "W2" (3, 5), "b2" (3, 1), "W3" (1, 3), "b3" (1, 1)}`` unrolled from
    ``theta (47, 1)``."""
    xp = namespace(theta)
    parameters, start = {}, 0
    for key, shape in _SHAPES.items():
        parameters[key] = xp.reshape(theta[start:start + shape[0] * shape[1], :], shape)
        start += shape[0] * shape[1]
    return parameters


def gradients_to_vector(gradients):
    """``dW1, db1, dW2, db2, dW3, db3`` flattened row by row into one column ``(47, 1)`` (other keys ignored)."""
    return _roll(gradients["d" + key] for key in _SHAPES)


def forward_propagation(x, theta):
    """``J = theta * x``."""
    return theta * x


def backward_propagation(x, theta):
    """``dtheta = dJ/dtheta = x``."""
    return x


def _difference(grad, gradapprox):
    """``||grad - gradapprox|| / (||grad|| + ||gradapprox||)``, 2-norms over all entries (numbers as
    float64 NumPy): ``np.float64`` on NumPy, a 0-d array elsewhere."""
    if not (array_api_compat.is_array_api_obj(grad) or array_api_compat.is_array_api_obj(gradapprox)):
        grad, gradapprox = np.asarray(grad, dtype=np.float64), np.asarray(gradapprox, dtype=np.float64)
    xp = namespace(grad, gradapprox)
    norm = xp.linalg.vector_norm
    return scalar(xp, norm(grad - gradapprox) / (norm(grad) + norm(gradapprox)))


def _report(difference, print_msg):
    """``difference``; with ``print_msg``, the notebook's verdict on it (a mistake above ``2e-7``)."""
    if print_msg:
        if difference > 2e-7:
            print("\033[93m" + "There is a mistake in the backward propagation! difference = "
                  + str(float(difference)) + "\033[0m")
        else:
            print("\033[92m" + "Your backward propagation works perfectly fine! difference = "
                  + str(float(difference)) + "\033[0m")
    return difference


def gradient_check(x, theta, epsilon=1e-7, print_msg=False):
    """The difference between ``dtheta = x`` and ``(J(theta + eps) - J(theta - eps)) / (2 eps)``
    (``np.float64`` for numbers); with ``print_msg`` the verdict."""
    gradapprox = (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta - epsilon)) / (2 * epsilon)
    return _report(_difference(backward_propagation(x, theta), gradapprox), print_msg)


def forward_propagation_n(X, Y, parameters):
    """``(cost, cache)``: ``LINEAR -> RELU -> LINEAR -> RELU -> LINEAR -> SIGMOID`` on ``X (n_x, m)``, the
    cost ``(1/m) sum(-log(A3) Y - log(1 - A3) (1 - Y))`` (``np.float64`` on NumPy; ``Y (1, m)`` or ``(m,)``)
    and ``cache = (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)``."""
    A3, cache = _forward_n(X, parameters)
    xp = namespace(X, A3)
    return 1. / X.shape[1] * scalar(xp, xp.sum(_logprobs(xp, A3, Y))), cache


def backward_propagation_n(X, Y, cache):
    """The 11 gradients ``{"dZ3", "dW3", "db3", "dA2", "dZ2", "dW2", "db2", "dA1", "dZ1", "dW1", "db1"}``
    of :func:`forward_propagation_n`'s ``cache``, without the notebook's planted bugs."""
    return _backward_n(X, Y, cache)


def _shifted_cost(X, Y, theta):
    """:func:`forward_propagation_n`'s cost at the parameters unrolled from ``theta (47, 1)``."""
    cost, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta))
    return cost


def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    """The difference between ``gradients`` (rolled by :func:`gradients_to_vector`) and the two-sided
    differences of :func:`forward_propagation_n`'s cost, one parameter at a time (94 forward passes);
    ``np.float64`` on NumPy. With ``print_msg`` the verdict."""
    theta, _ = dictionary_to_vector(parameters)
    xp = namespace(theta)
    index = xp.reshape(xp.arange(theta.shape[0], device=array_api_compat.device(theta)), theta.shape)
    J_plus, J_minus = [], []
    for i in range(theta.shape[0]):
        J_plus.append(_shifted_cost(X, Y, xp.where(index == i, theta + epsilon, theta)))
        J_minus.append(_shifted_cost(X, Y, xp.where(index == i, theta - epsilon, theta)))
    gradapprox = xp.reshape((xp.stack(J_plus) - xp.stack(J_minus)) / (2 * epsilon), theta.shape)
    return _report(_difference(gradients_to_vector(gradients), gradapprox), print_msg)
