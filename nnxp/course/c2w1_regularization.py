"""Course 2, week 1, Regularization: the notebook's L2 and dropout functions and ``model``, with
``reg_utils``' three-layer network, as in the current notebook (``Regularization.ipynb``, 2023+,
checked against the shivamaggarwal513 copy).

``LINEAR -> RELU -> LINEAR -> RELU -> LINEAR -> SIGMOID`` with the course's 12-tuple cache
``(Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)``; backwards from ``dZ3 = A3 - Y``, each layer by
nnxp's kernels (``dW = (1/m) dZ A_prev^T``, ``db = (1/m) sum dZ``, ``dA_prev = W^T dZ``), the ReLU's
derivative read from the cached ``A``. The costs are the course's own: ``(1/m) nansum(logprobs)`` with
``logprobs = -log(A3) Y - log(1 - A3) (1 - Y)``, not clipped, so a saturated output gives the course's
``inf``. Dropout draws its masks with ``np.random.rand`` after ``np.random.seed(1)``, on the host.
``load_2D_dataset`` (the course's ``data.mat``) and the plots are not here. The other course-2 modules
build on this one.
"""

import array_api_compat
import numpy as np

from ..core import activations
from ..core.activations import relu_backward
from ..core.backend import namespace
from ..core.kernels import _linear_backward, linear_activation_forward, update_parameters as _update
from ..core.penalties import add_l2_gradients, l2_cost
from ._shared import layers, on_device_of, randn, real, scalar
from .c1w2 import sigmoid

__all__ = ["sigmoid", "relu", "initialize_parameters", "forward_propagation", "backward_propagation",
           "compute_cost", "update_parameters", "predict", "predict_dec", "compute_cost_with_regularization",
           "backward_propagation_with_regularization", "forward_propagation_with_dropout",
           "backward_propagation_with_dropout", "model"]


def relu(x):
    """``max(0, x)`` of an array, elementwise."""
    return activations.relu(namespace(x), x)


def initialize_parameters(layer_dims):
    """``reg_utils``' initialization: ``np.random.seed(3)``, then ``W{l} = randn(n[l], n[l-1]) / sqrt(n[l-1])``,
    zero biases."""
    np.random.seed(3)
    return layers(layer_dims, lambda n, n_prev: randn(n, n_prev) / np.sqrt(n_prev))


def forward_propagation(X, parameters):
    """``(A3 (1, m), cache)`` of ``LINEAR -> RELU -> LINEAR -> RELU -> LINEAR -> SIGMOID`` on ``X (n_x, m)``,
    ``cache = (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)``."""
    W1, b1, W2, b2, W3, b3 = (parameters[key] for key in ("W1", "b1", "W2", "b2", "W3", "b3"))
    A1, (_, Z1) = linear_activation_forward(X, W1, b1, "relu")
    A2, (_, Z2) = linear_activation_forward(A1, W2, b2, "relu")
    A3, (_, Z3) = linear_activation_forward(A2, W3, b3, "sigmoid")
    return A3, (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)


def _dropped(xp, A, D, keep_prob):
    """``A * D / keep_prob`` (inverted dropout), ``D`` a 0/1 or boolean mask; ``A`` itself without one."""
    return A if D is None else A * xp.astype(D, A.dtype) / keep_prob


def _backprop(X, Y, cache, masks=(None, None), keep_prob=1):
    """The 11 gradients ``{"dZ3", "dW3", "db3", "dA2", "dZ2", "dW2", "db2", "dA1", "dZ1", "dW1", "db1"}``
    from the 12-tuple ``cache``; with dropout ``masks = (D1, D2)``, ``dA{l} * D{l} / keep_prob``."""
    Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3 = cache
    xp = namespace(X, A3)
    dZ3 = A3 - real(xp, Y, A3)
    dA2, dW3, db3 = _linear_backward(xp, dZ3, (A2, W3, b3))
    dA2 = _dropped(xp, dA2, masks[1], keep_prob)
    dZ2 = relu_backward(xp, dA2, Z2, A2)
    dA1, dW2, db2 = _linear_backward(xp, dZ2, (A1, W2, b2))
    dA1 = _dropped(xp, dA1, masks[0], keep_prob)
    dZ1 = relu_backward(xp, dA1, Z1, A1)
    _, dW1, db1 = _linear_backward(xp, dZ1, (X, W1, b1), need_dA_prev=False)
    return {"dZ3": dZ3, "dW3": dW3, "db3": db3, "dA2": dA2, "dZ2": dZ2, "dW2": dW2, "db2": db2,
            "dA1": dA1, "dZ1": dZ1, "dW1": dW1, "db1": db1}


def backward_propagation(X, Y, cache):
    """The 11 gradients ``{"dZ3", "dW3", "db3", "dA2", "dZ2", "dW2", "db2", "dA1", "dZ1", "dW1", "db1"}``
    of :func:`forward_propagation`'s ``cache``: ``dZ3 = A3 - Y``, then the kernels layer by layer."""
    return _backprop(X, Y, cache)


def _logprobs(xp, A3, Y):
    """``-log(A3) Y - log(1 - A3) (1 - Y)``, the course's per-sample losses, unclipped (``Y`` broadcast)."""
    Y = real(xp, Y, A3)
    return -xp.log(A3) * Y + -xp.log(1 - A3) * (1 - Y)


def compute_cost(a3, Y):
    """``(1/m) nansum(logprobs)`` over ``a3`` and ``Y (1, m)``: ``np.float64`` on NumPy (0-d array elsewhere)."""
    xp = namespace(a3, Y)
    logprobs = _logprobs(xp, a3, Y)
    return 1. / Y.shape[1] * scalar(xp, xp.sum(xp.where(xp.isnan(logprobs), 0.0, logprobs)))


def update_parameters(parameters, grads, learning_rate):
    """A new dict of ``W{l} - learning_rate dW{l}``, ``b{l} - learning_rate db{l}``."""
    return _update(parameters, grads, learning_rate)


def predict_dec(parameters, X):
    """``(1, m)`` booleans: ``A3 > 0.5``."""
    a3, _ = forward_propagation(X, parameters)
    return a3 > 0.5


def predict(X, y, parameters):
    """``p (1, m)`` of int64, 1 where ``A3 > 0.5``; prints ``Accuracy: `` the fraction of ``p`` equal to ``y``."""
    a3, _ = forward_propagation(X, parameters)
    xp = namespace(a3)
    p = xp.astype(a3 > 0.5, xp.int64)
    hits = xp.astype(xp.astype(p[0, :], a3.dtype) == real(xp, y, a3)[0, :], a3.dtype)
    print("Accuracy: " + str(float(xp.mean(hits))))
    return p


def compute_cost_with_regularization(A3, Y, parameters, lambd):
    """:func:`compute_cost` plus ``(lambd / 2m) (||W1||^2 + ||W2||^2 + ||W3||^2)``: ``np.float64`` on NumPy."""
    xp = namespace(A3, Y)
    return scalar(xp, compute_cost(A3, Y) + l2_cost(parameters, lambd, Y.shape[1]))


def backward_propagation_with_regularization(X, Y, cache, lambd):
    """:func:`backward_propagation`'s 11 gradients with ``(lambd / m) W{l}`` added to each ``dW{l}``."""
    _, _, W1, _, _, _, W2, _, _, _, W3, _ = cache
    return add_l2_gradients(_backprop(X, Y, cache), {"W1": W1, "W2": W2, "W3": W3}, lambd, X.shape[1])


def _drop(A, keep_prob):
    """``(A * D / keep_prob, D)``: ``D = np.random.rand(*A.shape) < keep_prob`` drawn on the host (the
    course's order of draws), moved to ``A``'s device as booleans."""
    xp = namespace(A)
    D = xp.asarray(np.random.rand(*A.shape) < keep_prob, device=array_api_compat.device(A))
    return _dropped(xp, A, D, keep_prob), D


def forward_propagation_with_dropout(X, parameters, keep_prob=0.5):
    """``(A3 (1, m), cache)`` with inverted dropout on the two hidden layers: ``np.random.seed(1)``, then
    ``D1`` and ``D2`` in turn; ``cache = (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)``,
    ``A1`` and ``A2`` after their masks and the ``1 / keep_prob`` scaling."""
    np.random.seed(1)
    W1, b1, W2, b2, W3, b3 = (parameters[key] for key in ("W1", "b1", "W2", "b2", "W3", "b3"))
    A1, (_, Z1) = linear_activation_forward(X, W1, b1, "relu")
    A1, D1 = _drop(A1, keep_prob)
    A2, (_, Z2) = linear_activation_forward(A1, W2, b2, "relu")
    A2, D2 = _drop(A2, keep_prob)
    A3, (_, Z3) = linear_activation_forward(A2, W3, b3, "sigmoid")
    return A3, (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)


def backward_propagation_with_dropout(X, Y, cache, keep_prob):
    """The 11 gradients of :func:`forward_propagation_with_dropout`'s ``cache``: ``dA2`` and ``dA1``
    multiplied by ``D2`` and ``D1`` and divided by ``keep_prob``, as their activations were."""
    Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3 = cache
    return _backprop(X, Y, (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3), (D1, D2), keep_prob)


def _forward_cost_backward(X, Y, parameters, lambd, keep_prob):
    """``(cost, grads)`` of one iteration of the notebook's ``model``: dropout when ``keep_prob < 1``,
    the L2 penalty when ``lambd != 0``, plain otherwise."""
    if keep_prob < 1:
        a3, cache = forward_propagation_with_dropout(X, parameters, keep_prob)
        return compute_cost(a3, Y), backward_propagation_with_dropout(X, Y, cache, keep_prob)
    a3, cache = forward_propagation(X, parameters)
    if lambd != 0:
        return (compute_cost_with_regularization(a3, Y, parameters, lambd),
                backward_propagation_with_regularization(X, Y, cache, lambd))
    return compute_cost(a3, Y), backward_propagation(X, Y, cache)


def model(X, Y, learning_rate=0.3, num_iterations=30000, print_cost=True, lambd=0, keep_prob=1):
    """The trained parameters of ``[n_x, 20, 3, 1]`` from :func:`initialize_parameters`, by gradient
    descent with L2 (``lambd``) or dropout (``keep_prob``), not both (ValueError); with ``print_cost``
    the cost every 10000 iterations. The notebook's plot of the costs is left out."""
    if lambd != 0 and keep_prob != 1:
        raise ValueError("the notebook's model uses L2 (lambd) or dropout (keep_prob), one at a time")
    parameters = on_device_of(initialize_parameters([X.shape[0], 20, 3, 1]), X)
    for i in range(num_iterations):
        cost, grads = _forward_cost_backward(X, Y, parameters, lambd, keep_prob)
        parameters = update_parameters(parameters, grads, learning_rate)
        if print_cost and i % 10000 == 0:
            print("Cost after iteration {}: {}".format(i, float(cost)))
    return parameters
