"""Gradient checking, as the course teaches it: backpropagation against two-sided differences.

For debugging one's own changes to the kernels: a correct backward pass gives a relative
difference around 1e-7 or below in float64; a wrong one gives something near 1.
"""

import math

import array_api_compat

from .backend import namespace, to_numpy
from .kernels import _cost_from_logits, _model_backward, _model_forward
from .optim import _l2_cost, add_l2_gradients


def _cost(xp, parameters, X, Y, activations, l2):
    _, caches = _model_forward(xp, X, parameters, activations)
    cost = _cost_from_logits(xp, caches[-1][1], Y)
    return float(cost + _l2_cost(xp, parameters, l2, X.shape[1])) if l2 else float(cost)


def _two_sided_differences(xp, parameters, key, X, Y, activations, epsilon, l2):
    """``(J(theta + eps e_i) - J(theta - eps e_i)) / (2 eps)`` for every entry i of ``parameters[key]``,
    in row-major order; the shifted copies are made on the parameters' device."""
    P = parameters[key]
    index = xp.reshape(xp.arange(P.shape[0] * P.shape[1], device=array_api_compat.device(P)), P.shape)
    differences = []
    for i in range(P.shape[0] * P.shape[1]):
        costs = [
            _cost(xp, {**parameters, key: xp.where(index == i, P + step, P)}, X, Y, activations, l2)
            for step in (epsilon, -epsilon)
        ]
        differences.append((costs[0] - costs[1]) / (2 * epsilon))
    return differences


def gradient_check(parameters, X, Y, activations, epsilon=1e-7, *, l2=0.0):
    """``||grad - gradapprox|| / (||grad|| + ||gradapprox||)`` over every parameter.

    ``grad`` comes from :func:`nnxp.model_backward` (plus ``(l2/m) W`` when ``l2``);
    ``gradapprox[i] = (J(theta + eps e_i) - J(theta - eps e_i)) / (2 eps)`` with J the
    cross-entropy (plus the L2 penalty): 2 forward passes per parameter, each read back to
    the host, so keep the network small. Use float64 parameters and data.
    """
    xp = namespace(X, Y, *parameters.values())
    AL, caches = _model_forward(xp, X, parameters, activations)
    grads = _model_backward(xp, AL, Y, caches, activations, need_dA0=False)
    if l2:
        grads = add_l2_gradients(grads, parameters, l2, X.shape[1])
    grad, approx = [], []
    for key in parameters:
        grad += to_numpy(xp.reshape(grads["d" + key], (-1,))).tolist()
        approx += _two_sided_differences(xp, parameters, key, X, Y, activations, epsilon, l2)
    return _norm([g - a for g, a in zip(grad, approx)]) / (_norm(grad) + _norm(approx))


def _norm(values):
    return math.sqrt(sum(v * v for v in values))
