"""Course 2, week 2, Optimization Methods: the notebook's updates (gradient descent, momentum, Adam),
mini-batches, learning-rate decays and ``model``, with ``opt_utils``' three-layer network, as in the
current notebook (``Optimization_methods.ipynb``, 2023+, checked against the shivamaggarwal513 copy,
whose tests take ``W2 (3, 2)``).

Momentum, Adam and the decays are :mod:`nnxp.core.optimizers`' own functions, which have the course's
signatures, formulas and returns (Adam's five: ``parameters, v, s, v_corrected, s_corrected``); gradient
descent is the kernels' update. ``opt_utils`` runs the network of :mod:`nnxp.course.c2w1_initialization`
(He initialization, lower-case gradients) but its ``compute_cost`` is the SUM of the per-sample losses
over a mini-batch: ``model`` divides the epoch's total by ``m``. ``random_mini_batches`` shuffles the
columns by ``np.random.seed(seed); np.random.permutation(m)`` on the host, then takes them on the data's
device. ``load_dataset`` (scikit-learn's ``make_moons``) and the plots are not here.
"""

import array_api_compat
import numpy as np

from ..core.backend import namespace
from ..core.kernels import update_parameters as _update
from ..core.optimizers import (
    Adam,
    GradientDescent,
    Momentum,
    initialize_adam,
    initialize_velocity,
    schedule_lr_decay,
    update_lr,
    update_parameters_with_adam,
    update_parameters_with_momentum,
)
from ._shared import on_device_of, scalar
from .c2w1_initialization import backward_propagation, forward_propagation, initialize_parameters_he
from .c2w1_regularization import _logprobs, predict, predict_dec

__all__ = ["initialize_parameters", "forward_propagation", "backward_propagation", "compute_cost", "predict",
           "predict_dec", "update_parameters_with_gd", "random_mini_batches", "initialize_velocity",
           "update_parameters_with_momentum", "initialize_adam", "update_parameters_with_adam", "update_lr",
           "schedule_lr_decay", "model"]


def initialize_parameters(layer_dims):
    """``opt_utils``' He initialization: ``np.random.seed(3)``, then
    ``W{l} = randn(n[l], n[l-1]) * sqrt(2 / n[l-1])``, zero biases."""
    return initialize_parameters_he(layer_dims)


def compute_cost(a3, Y):
    """The SUM (not the mean) ``sum(-log(a3) Y - log(1 - a3) (1 - Y))`` over the mini-batch ``Y (1, m)``:
    ``np.float64`` on NumPy (0-d array elsewhere)."""
    xp = namespace(a3, Y)
    return scalar(xp, xp.sum(_logprobs(xp, a3, Y)))


def update_parameters_with_gd(parameters, grads, learning_rate):
    """A new dict of ``W{l} - learning_rate dW{l}``, ``b{l} - learning_rate db{l}`` for ``l = 1..L``."""
    return _update(parameters, grads, learning_rate)


def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    """A list of ``(mini_batch_X (n_x, size), mini_batch_Y (1, size))`` tuples: the columns of ``X (n_x, m)``
    and ``Y (1, m)`` shuffled alike by ``np.random.seed(seed); np.random.permutation(m)``, cut into
    ``floor(m / mini_batch_size)`` full batches and one of the ``m % mini_batch_size`` left, if any."""
    xp = namespace(X, Y)
    np.random.seed(seed)
    m = X.shape[1]
    permutation = xp.asarray(np.random.permutation(m), device=array_api_compat.device(X))
    shuffled_X = xp.take(X, permutation, axis=1)
    shuffled_Y = xp.reshape(xp.take(Y, permutation, axis=1), (1, m))
    batches = [(k, min(k + mini_batch_size, m)) for k in range(0, m, mini_batch_size)]
    return [(shuffled_X[:, start:stop], shuffled_Y[:, start:stop]) for start, stop in batches]


_OPTIMIZERS = {
    "gd": lambda beta, beta1, beta2, epsilon: GradientDescent(),
    "momentum": lambda beta, beta1, beta2, epsilon: Momentum(beta),
    "adam": lambda beta, beta1, beta2, epsilon: Adam(beta1, beta2, epsilon),
}
"""The notebook's ``optimizer`` names: their updates are :func:`update_parameters_with_gd`,
:func:`update_parameters_with_momentum` and :func:`update_parameters_with_adam`, as nnxp optimizers."""


def model(X, Y, layers_dims, optimizer, learning_rate=0.0007, mini_batch_size=64, beta=0.9, beta1=0.9,
          beta2=0.999, epsilon=1e-8, num_epochs=5000, print_cost=True, decay=None, decay_rate=1):
    """The trained parameters of ``layers_dims`` from :func:`initialize_parameters`, by mini-batch
    ``optimizer`` (``"gd"``, ``"momentum"`` or ``"adam"``, else ValueError). Epoch ``i`` shuffles with
    seed ``11 + i``; Adam's ``t`` counts the mini-batches. With ``decay``, the learning rate after epoch
    ``i`` is ``decay(learning_rate, i, decay_rate)`` (:func:`update_lr`, :func:`schedule_lr_decay`). With
    ``print_cost``, every 1000 epochs the cost ``(1/m) sum`` over the epoch (and the learning rate). The
    notebook's plot of the costs is left out."""
    if optimizer not in _OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {sorted(_OPTIMIZERS)}, got {optimizer!r}")
    update = _OPTIMIZERS[optimizer](beta, beta1, beta2, epsilon)
    m, learning_rate0, t = X.shape[1], learning_rate, 0
    parameters = on_device_of(initialize_parameters(layers_dims), X)
    state = update.init(parameters)
    for i in range(num_epochs):
        cost_total = 0
        for minibatch_X, minibatch_Y in random_mini_batches(X, Y, mini_batch_size, 11 + i):
            a3, caches = forward_propagation(minibatch_X, parameters)
            cost_total += compute_cost(a3, minibatch_Y)
            grads = backward_propagation(minibatch_X, minibatch_Y, caches)
            t = t + 1
            parameters, state = update.update(parameters, grads, state, learning_rate, t)
        if decay:
            learning_rate = decay(learning_rate0, i, decay_rate)
        if print_cost and i % 1000 == 0:
            print("Cost after epoch %i: %f" % (i, cost_total / m))
            if decay:
                print("learning rate after epoch %i: %f" % (i, learning_rate))
    return parameters
