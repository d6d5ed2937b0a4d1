"""Gradient checking, as the course teaches it: backpropagation against two-sided differences.

For debugging one's own changes to the kernels: a correct backward pass gives a relative
difference around 1e-7 or below in float64; a wrong one gives something near 1.
"""

import array_api_compat
import numpy as np

from .backend import namespace, to_numpy
from .kernels import _cost_from_logits, _model_backward, _model_forward
from .optim import add_l2_gradients, l2_cost


def _cost(xp, parameters, X, Y, activations, l2):
    _, caches = _model_forward(xp, X, parameters, activations)
    cost = _cost_from_logits(xp, caches[-1][1], Y)
    return float(cost + l2_cost(parameters, l2, X.shape[1])) if l2 else float(cost)


def gradient_check(parameters, X, Y, activations, epsilon=1e-7, *, l2=0.0):
    """``||grad - gradapprox|| / (||grad|| + ||gradapprox||)`` over every parameter.

    ``grad`` comes from :func:`nnxp.model_backward` (plus ``(l2/m) W`` when ``l2``);
    ``gradapprox[i] = (J(theta + eps e_i) - J(theta - eps e_i)) / (2 eps)`` with J the
    cross-entropy (plus the L2 penalty). Perturbations are made on the host and each
    perturbed set is moved to the parameters' device: 2 forward passes per parameter,
    so keep the network small. Use float64 parameters and data.
    """
    xp = namespace(X, Y, *parameters.values())
    device = array_api_compat.device(X)
    AL, caches = _model_forward(xp, X, parameters, activations)
    grads = _model_backward(xp, AL, Y, caches, activations, need_dA0=False)
    if l2:
        grads = add_l2_gradients(grads, parameters, l2, X.shape[1])
    host = {key: to_numpy(P).astype(np.float64) for key, P in parameters.items()}
    grad, approx = [], []
    for key, value in host.items():
        for index in np.ndindex(value.shape):
            costs = []
            for step in (epsilon, -epsilon):
                shifted = dict(host, **{key: value.copy()})
                shifted[key][index] += step
                moved = {k: xp.asarray(v, dtype=X.dtype, device=device) for k, v in shifted.items()}
                costs.append(_cost(xp, moved, X, Y, activations, l2))
            approx.append((costs[0] - costs[1]) / (2 * epsilon))
        grad.append(to_numpy(grads["d" + key]).ravel())
    grad, approx = np.concatenate(grad), np.array(approx)
    return float(np.linalg.norm(grad - approx) / (np.linalg.norm(grad) + np.linalg.norm(approx)))
