"""One training step's maths, in one place: the cost and its gradients on a batch, then the update.

``fit``, :func:`nnxp.gradient_check`, the validation scores and the benchmarks all go through
:func:`forward_cost` and :func:`value_and_grad`, so "forward, then the cost from the output
layer's Z, then backward" is written once, for every loss. Course layout: ``X (n_x, m)``,
``Y (n[L], m)`` in the loss's training form (one-hot for categorical cross-entropy).
"""

from collections import OrderedDict, namedtuple

from .compilers import loop_compiler, step_compiler
from .dropout import dropout_masks
from .kernels import _model_backward, _model_forward
from .optim import _l2_cost, add_l2_gradients


def _cost(xp, caches, Y, parameters, loss, l2):
    """J from the output layer's cached Z, plus the L2 penalty when ``l2``."""
    J = loss.cost(xp, caches[-1][1], Y)
    return J + _l2_cost(xp, parameters, l2, Y.shape[1]) if l2 else J


def forward_cost(xp, X, Y, parameters, activations, loss, l2=0.0):
    """``(AL, caches, J)``: forward propagation and the cost ``J`` (a 0-d device array).

    ``J`` comes from the output layer's Z (``loss.cost``: stable, no ``log(0)``), plus
    ``(l2 / 2m) sum ||W||^2`` when ``l2``.
    """
    AL, caches = _model_forward(xp, X, parameters, activations)
    return AL, caches, _cost(xp, caches, Y, parameters, loss, l2)


def value_and_grad(xp, X, Y, parameters, activations, loss, *, l2=0.0, with_cost=True, need_dA0=False,
                   masks=None):
    """``(J, grads)`` of the batch: the cost (None unless ``with_cost``) and its gradients.

    ``grads`` holds ``dW{l}``, ``db{l}`` (plus ``(l2 / m) W{l}`` when ``l2``) and, with
    ``need_dA0``, ``dA0``; the hidden layers' Z are not kept (without dropout), and each layer's A and dA is
    freed as soon as the backward pass is past it. ``masks``: dropout's ``D{l} / keep_prob{l}`` per hidden layer
    (see :mod:`nnxp.dropout`), applied in both passes; J is then the cost of the thinned network.
    One forward and one backward pass; no host reads.
    """
    AL, caches = _model_forward(xp, X, parameters, activations, masks, keep_Z=masks is not None)
    J = _cost(xp, caches, Y, parameters, loss, l2) if with_cost else None
    grads = _model_backward(xp, AL, Y, caches, activations, need_dA0, masks, consume=True)
    if l2:
        grads = add_l2_gradients(grads, parameters, l2, X.shape[1])
    return J, grads


def update_step(xp, X, Y, parameters, state, settings, loss, with_cost, learning_rate, t, masks=None):
    """One forward/backward/update on the batch ``X (n_x, m_t)``, ``Y (n[L], m_t)``, with the dropout
    ``masks`` given (None: none): a pure function of arrays, the one the compilers take.

    ``settings`` gives ``activations``, ``l2`` and ``optimizer``; ``state`` is the optimizer's, ``t``
    the update's number (from 1). Returns ``(parameters, state, cost)``; ``cost`` (before the update,
    L2 term included) is a 0-d device array when ``with_cost``, else None.
    """
    cost, grads = value_and_grad(xp, X, Y, parameters, settings.activations, loss, l2=settings.l2,
                                 with_cost=with_cost, masks=masks)
    parameters, state = settings.optimizer.update(parameters, grads, state, learning_rate, t)
    return parameters, state, cost


def gradient_step(xp, X, Y, parameters, state, settings, loss, with_cost, *, learning_rate, t, draw=None,
                  compiled=None):
    """:func:`update_step` with this step's dropout masks drawn from ``draw`` (the uniform source of the
    masks; None: no dropout), eagerly or through ``compiled`` (:func:`compiled`'s step)."""
    masks = None
    if draw is not None:
        masks = dropout_masks(xp, draw, settings.layer_dims, settings.keep_probs, X.shape[1], X.dtype)
    if compiled is not None:
        return compiled(X, Y, parameters, state, learning_rate, t, masks, with_cost)
    return update_step(xp, X, Y, parameters, state, settings, loss, with_cost, learning_rate, t, masks)


StepSettings = namedtuple("StepSettings", "activations l2 optimizer")
"""What a compiled step holds of a model's settings (not the model, nor its parameters)."""

_COMPILED = OrderedDict()
_COMPILED_KEPT = 16


def compiled(xp, settings, loss, compile=None):
    """``(step, epochs)``: :func:`update_step` for ``settings`` and ``loss`` compiled by ``xp``'s library
    (:func:`nnxp.compilers.step_compiler`), and :func:`update_step` run for several cost-free full-batch
    epochs in one call where the library compiles loops (:func:`nnxp.compilers.loop_compiler`); None for
    either where nothing compiles (``compile`` None: where it is known to help, False: never).

    ``step(X, Y, parameters, state, learning_rate, t, masks, with_cost)`` is one update;
    ``epochs(X, Y, parameters, state, learning_rates, t, n) -> (parameters, state)`` runs updates
    ``t + 1 .. t + n`` at ``learning_rates[0 .. n-1]`` (a 1-d array, longer than n allowed) without
    costs or dropout. Both are kept for the last few settings, so models of the same settings share
    their traces.
    """
    held = StepSettings(tuple(settings.activations), settings.l2, settings.optimizer)
    key = (xp.__name__, compile, held.activations, held.l2, repr(held.optimizer), loss)
    if key not in _COMPILED:
        _COMPILED[key] = (_compiled_step(xp, held, loss, compile), _compiled_epochs(xp, held, loss, compile))
        while len(_COMPILED) > _COMPILED_KEPT:
            _COMPILED.popitem(last=False)
    _COMPILED.move_to_end(key)
    return _COMPILED[key]


def _compiled_step(xp, settings, loss, compile):
    compiler = step_compiler(xp, compile)
    if compiler is None:
        return None

    def step(X, Y, parameters, state, learning_rate, t, masks, with_cost):
        return update_step(xp, X, Y, parameters, state, settings, loss, with_cost, learning_rate, t, masks)

    return compiler(step, static="with_cost")


def _compiled_epochs(xp, settings, loss, compile):
    compiler = loop_compiler(xp, compile)
    if compiler is None:
        return None

    def step(X, Y, parameters, state, learning_rate, t):
        return update_step(xp, X, Y, parameters, state, settings, loss, False, learning_rate, t)[:2]

    return compiler(step)
