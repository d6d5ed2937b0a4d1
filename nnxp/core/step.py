"""One training step's maths, in one place: the cost and its gradients on a batch, then the update.

``fit``, :func:`nnxp.gradient_check`, the validation scores and the benchmarks all go through
:func:`forward_cost` and :func:`value_and_grad`, so "forward, then the cost from the output
layer's Z, then backward" is written once, for every loss. Course layout: ``X (n_x, m)``,
``Y (n[L], m)`` in the loss's training form (one-hot for categorical cross-entropy).
"""

from collections import OrderedDict, namedtuple

from .compilers import function_compiler, loop_compiler, step_compiler
from .dropout import dropout_masks
from .kernels import _model_backward, _model_forward
from .penalties import penalize, update


def forward_cost(xp, X, Y, parameters, activations, loss, penalties=()):
    """``(AL, caches, J)``: forward propagation and the cost ``J`` (a 0-d device array).

    ``J`` comes from the output layer's Z (``loss.cost``: stable, no ``log(0)``), plus each of
    ``penalties`` (:mod:`nnxp.core.penalties`, e.g. ``(l2 / 2m) sum ||W||^2``).
    """
    AL, caches = _model_forward(xp, X, parameters, activations)
    return AL, caches, penalize(xp, loss.cost(xp, caches[-1][1], Y), {}, parameters, penalties, Y.shape[1])[0]


def value_and_grad(xp, X, Y, parameters, activations, loss, *, penalties=(), with_cost=True, need_dA0=False,
                   masks=None):
    """``(J, grads)`` of the batch: the cost (None unless ``with_cost``) and its gradients.

    ``grads`` holds ``dW{l}``, ``db{l}`` (each of ``penalties`` added, e.g. ``(l2 / m) W{l}``) and, with
    ``need_dA0``, ``dA0``; the hidden layers' Z are not kept (without dropout), and each layer's A and dA is
    freed as soon as the backward pass is past it. ``masks``: dropout's ``D{l} / keep_prob{l}`` per hidden layer
    (see :mod:`nnxp.core.dropout`), applied in both passes; J is then the cost of the thinned network.
    One forward and one backward pass; no host reads.
    """
    AL, caches = _model_forward(xp, X, parameters, activations, masks, keep_Z=masks is not None)
    J = loss.cost(xp, caches[-1][1], Y) if with_cost else None  # before the backward pass frees ZL
    grads = _model_backward(xp, AL, Y, caches, activations, loss, need_dA0, masks, consume=True)
    return penalize(xp, J, grads, parameters, penalties, X.shape[1])


def update_step(xp, X, Y, parameters, state, settings, loss, with_cost, learning_rate, t, masks=None):
    """One forward/backward/update on the batch ``X (n_x, m_t)``, ``Y (n[L], m_t)``, with the dropout
    ``masks`` given (None: none): a pure function of arrays, the one the compilers take.

    ``settings`` gives ``activations``, ``penalties`` and ``optimizer``; ``state`` is the optimizer's, ``t``
    the update's number (from 1). Returns ``(parameters, state, cost)``; ``cost`` (before the update,
    L2 term included) is a 0-d device array when ``with_cost``, else None.
    """
    cost, grads = value_and_grad(xp, X, Y, parameters, settings.activations, loss, penalties=settings.penalties,
                                 with_cost=with_cost, masks=masks)
    parameters, state = update(settings.optimizer, parameters, grads, state, learning_rate, t, settings.penalties)
    return parameters, state, cost


def gradient_step(xp, X, Y, parameters, state, settings, loss, with_cost, *, learning_rate, t, draw=None,
                  compiled=None):
    """:func:`update_step` with this step's dropout masks drawn from ``draw`` (the uniform source of the
    masks; None: no dropout), eagerly or through ``compiled`` (:func:`compiled`'s step)."""
    masks = None
    if draw is not None:
        masks = dropout_masks(xp, draw, settings.layer_dims, settings.keep_probs, X.shape[1], X.dtype)
    if compiled is not None:
        parameters, state, cost = compiled(X, Y, parameters, state, learning_rate, t, masks)
        return parameters, state, cost if with_cost else None
    return update_step(xp, X, Y, parameters, state, settings, loss, with_cost, learning_rate, t, masks)


def evaluation(xp, X, Y, parameters, activations, loss):
    """``(J, score)`` of ``parameters`` on ``X (n_x, m)``, ``Y`` (training form): the cost without penalties
    and ``loss.score`` (accuracy, R^2), 0-d device arrays from one forward pass."""
    AL, _, J = forward_cost(xp, X, Y, parameters, activations, loss)
    return J, loss.score(xp, AL, Y)


def prediction(xp, X, parameters, activations, loss):
    """``(AL, predictions)``: the output ``AL (n[L], m)`` of ``X (n_x, m)`` and ``loss.predict(AL)``."""
    AL = _model_forward(xp, X, parameters, activations)[0]
    return AL, loss.predict(xp, AL)


StepSettings = namedtuple("StepSettings", "activations penalties optimizer")
"""What a compiled step holds of a model's settings (not the model, nor its parameters)."""

Compiled = namedtuple("Compiled", "step epochs inference")
"""A model's compiled functions (:func:`compiled`): ``step`` and ``epochs`` None where nothing compiles
them, ``inference`` always an :class:`Inference`."""

Inference = namedtuple("Inference", "evaluation prediction")
"""``evaluation(X, Y, parameters) -> (J, score)`` and ``prediction(X, parameters) -> (AL, predictions)``
(:func:`inference`)."""

_COMPILED = OrderedDict()
_COMPILED_KEPT = 16


def _kept(key, make):
    """``make()``, kept under ``key`` with the last :data:`_COMPILED_KEPT` others, so that models of the
    same settings share their traces."""
    if key not in _COMPILED:
        _COMPILED[key] = make()
        while len(_COMPILED) > _COMPILED_KEPT:
            _COMPILED.popitem(last=False)
    _COMPILED.move_to_end(key)
    return _COMPILED[key]


def compiled(xp, settings, loss, compile=None):
    """The :class:`Compiled` functions of ``settings`` and ``loss`` for ``xp``'s library (``compile`` None:
    where compiling is known to help, False: never):

    - ``step(X, Y, parameters, state, learning_rate, t, masks)``: one :func:`update_step` with its cost
      (:func:`nnxp.core.compilers.step_compiler`): the cost is a few operations on the output layer's Z,
      where compiling the step twice, with and without it, would double the compile time of a ``fit``;
    - ``epochs(X, Y, parameters, state, learning_rates, t, n) -> (parameters, state, cost)``: updates
      ``t + 1 .. t + n`` at ``learning_rates[0 .. n-1]`` (a 1-d array, longer than n allowed) and the cost
      before the first: full-batch epochs without dropout, a logged one and those up to the next, in one
      call where the library compiles loops (:func:`nnxp.core.compilers.loop_compiler`);
    - ``inference``: :func:`inference`'s, the divergence guard's and the validation's.
    """
    held = StepSettings(tuple(settings.activations), tuple(settings.penalties), settings.optimizer)
    key = (xp.__name__, compile, held.activations, held.penalties, repr(held.optimizer), loss)

    def make():
        step = _step(xp, held, loss)
        return Compiled(_apply(step_compiler(xp, compile), step), _apply(loop_compiler(xp, compile), step),
                        inference(xp, held.activations, loss, compile))

    return _kept(key, make)


def inference(xp, activations, loss, compile=None):
    """The :class:`Inference` of ``activations`` and ``loss`` on ``xp``: :func:`evaluation` and
    :func:`prediction` with those bound, each compiled by
    :func:`nnxp.core.compilers.function_compiler` where that helps (``jax.jit``: each eager JAX operation
    compiles for each new shape, dozens in a first ``predict``, where one program per shape does), else eager.
    On JAX the loss's ``score`` and ``predict`` are traced: array operations only, no host reads."""
    activations = tuple(activations)

    def make():
        compiler = function_compiler(xp, compile) or (lambda fn: fn)

        def evaluate(X, Y, parameters):
            return evaluation(xp, X, Y, parameters, activations, loss)

        def predict(X, parameters):
            return prediction(xp, X, parameters, activations, loss)

        return Inference(compiler(evaluate), compiler(predict))

    return _kept(("inference", xp.__name__, compile, activations, loss), make)


def _step(xp, settings, loss):
    """:func:`update_step` of ``settings`` and ``loss`` with its cost, as the pure function of arrays
    ``step(X, Y, parameters, state, learning_rate, t, masks=None)`` that the compilers take."""

    def step(X, Y, parameters, state, learning_rate, t, masks=None):
        return update_step(xp, X, Y, parameters, state, settings, loss, True, learning_rate, t, masks)

    return step


def _apply(compiler, fn):
    """``compiler(fn)``, or None where there is no compiler."""
    return None if compiler is None else compiler(fn)
