"""Gradient checking, as the course teaches it: backpropagation against two-sided differences.

For debugging one's own changes to the kernels: a correct backward pass gives a relative
difference around 1e-7 or below in float64; a wrong one gives something near 1.
"""

import math

import array_api_compat

from .core.backend import namespace, to_numpy
from .core.losses import loss_for_output
from .core.penalties import penalties_of
from .core.step import forward_cost, value_and_grad


def _cost(xp, parameters, X, Y, activations, loss, l2):
    return float(forward_cost(xp, X, Y, parameters, activations, loss, penalties_of(l2))[2])


def _two_sided_differences(xp, parameters, key, X, Y, activations, loss, epsilon, l2):
    """``(J(theta + eps e_i) - J(theta - eps e_i)) / (2 eps)`` for every entry i of ``parameters[key]``,
    in row-major order; the shifted copies are made on the parameters' device."""
    P = parameters[key]
    index = xp.reshape(xp.arange(P.shape[0] * P.shape[1], device=array_api_compat.device(P)), P.shape)
    differences = []
    for i in range(P.shape[0] * P.shape[1]):
        costs = [
            _cost(xp, {**parameters, key: xp.where(index == i, P + step, P)}, X, Y, activations, loss, l2)
            for step in (epsilon, -epsilon)
        ]
        differences.append((costs[0] - costs[1]) / (2 * epsilon))
    return differences


def gradient_check(parameters, X, Y, activations, epsilon=1e-7, *, l2=0.0):
    """``||grad - gradapprox|| / (||grad|| + ||gradapprox||)`` over every parameter.

    ``grad`` comes from backpropagation (plus ``(l2/m) W`` when ``l2``);
    ``gradapprox[i] = (J(theta + eps e_i) - J(theta - eps e_i)) / (2 eps)`` with J the cost of
    the loss that the output activation means (sigmoid: binary cross-entropy, softmax:
    categorical with one-hot ``Y (C, m)``, linear: squared error), plus the L2 penalty:
    2 forward passes per parameter, each read back to the host, so keep the network small.
    Use float64 parameters and data: X ``(n_x, m)``, Y ``(n[L], m)``, ``parameters`` as from
    :func:`initialize_parameters`, one activation name per layer. Returns a Python float. Raises
    ValueError for an output activation that is not sigmoid, softmax or linear.

    >>> X, Y = np.array([[1.0, -2.0, 0.5], [0.3, 1.0, 3.0]]), np.array([[1.0, 0.0, 1.0]])
    >>> parameters = nnxp.initialize_parameters([2, 3, 1], seed=1)
    >>> nnxp.gradient_check(parameters, X, Y, ["tanh", "sigmoid"]) < 1e-7
    True
    """
    xp = namespace(X, Y, *parameters.values())
    loss = loss_for_output(activations[-1])
    _, grads = value_and_grad(xp, X, Y, parameters, activations, loss, penalties=penalties_of(l2), with_cost=False)
    grad, approx = [], []
    for key in parameters:
        grad += to_numpy(xp.reshape(grads["d" + key], (-1,))).tolist()
        approx += _two_sided_differences(xp, parameters, key, X, Y, activations, loss, epsilon, l2)
    return _norm([g - a for g, a in zip(grad, approx)]) / (_norm(grad) + _norm(approx))


def _norm(values):
    return math.sqrt(sum(v * v for v in values))
