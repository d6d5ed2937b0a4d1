"""One training iteration by nnxp (vectorized on a backend, jitted by JAX, or the loops), and its
matrix products alone.

A builder takes a :class:`~benchmarks.problems.Problem` and returns ``(run, sync)``:
``run()`` does one iteration on data already on the device, keeping the new
parameters for the next call as training does; ``sync(result)`` waits for the device.
"""

import functools

from nnxp import loops
from nnxp.core.kernels import update_parameters
from nnxp.core.losses import LOSSES
from nnxp.core.step import value_and_grad

from .backends import get_backend, require
from .config import LEARNING_RATE

LOSS = LOSSES["binary_cross_entropy"]  # the problems' sigmoid output


def train_step(xp, activations, parameters, X, Y):
    """The body of ``NeuralNetwork.fit``: :func:`nnxp.core.step.value_and_grad` (forward, the cost from
    ZL left on the device, backward without dA0), then the gradient-descent update.
    Returns ``(parameters, cost)``."""
    J, grads = value_and_grad(xp, X, Y, parameters, activations, LOSS)
    return update_parameters(parameters, grads, LEARNING_RATE), J


def loops_value_and_grad(activations, parameters, X, Y, with_cost=True):
    """``(J, grads)`` with nnxp.loops: forward, the cost from ZL, backward without dA0."""
    AL, caches = loops.model_forward(X, parameters, activations)
    J = loops.compute_cost_from_logits(caches[-1][1], Y) if with_cost else None
    return J, loops._model_backward(AL, Y, caches, activations, need_dA0=False)


def loops_train_step(activations, parameters, X, Y):
    """The same iteration written with nnxp.loops."""
    J, grads = loops_value_and_grad(activations, parameters, X, Y)
    return loops.update_parameters(parameters, grads, LEARNING_RATE), J


def stepper(step, X, Y, parameters):
    """``run()`` applying ``step(parameters, X, Y) -> (parameters, cost)``, keeping the new parameters."""
    state = {"parameters": parameters}

    def run():
        state["parameters"], J = step(state["parameters"], X, Y)
        return state["parameters"], J

    return run


def on_device(backend, problem):
    """``(X, Y, parameters)`` of ``problem`` moved to ``backend`` in the problem's dtype."""
    move = functools.partial(backend.asarray, dtype=problem.dtype)
    return move(problem.X), move(problem.Y), {k: move(v) for k, v in problem.params.items()}


def nnxp_step(backend_name, problem):
    """nnxp's vectorized kernels on ``backend_name``, data moved there before timing."""
    backend = get_backend(backend_name)
    X, Y, params = on_device(backend, problem)
    step = functools.partial(train_step, backend.xp, problem.activations)
    return stepper(step, X, Y, params), backend.sync


def nnxp_jax_jit_step(problem):
    """nnxp's kernels traced once by ``jax.jit`` (parameters donated): the same code, compiled."""
    jax, backend = require("jax"), get_backend("jax")
    X, Y, params = on_device(backend, problem)
    step = functools.partial(train_step, backend.xp, problem.activations)
    return stepper(jax.jit(step, donate_argnums=0), X, Y, params), backend.sync


def loops_step(problem):
    """nnxp.loops: the same iteration with Python loops over samples, units and inputs."""
    step = functools.partial(loops_train_step, problem.activations)
    return stepper(step, problem.X, problem.Y, dict(problem.params)), None


def matmul_step(backend_name, problem):
    """Only the iteration's matrix products: Z = W A_prev, dW = dZ A_prev^T, dA_prev = W^T dZ (l >= 2).

    No implementation of the step can beat this on the same backend.
    """
    backend = get_backend(backend_name)
    xp = backend.xp
    X, _, params = on_device(backend, problem)
    ones = lambda n: xp.ones((n, problem.m), dtype=X.dtype, device=backend.device)  # noqa: E731
    layers = [(l, params[f"W{l}"], X if l == 1 else ones(problem.dims[l - 1]), ones(problem.dims[l]))
              for l in range(1, len(problem.dims))]

    def run():
        for l, W, A_prev, dZ in layers:
            out = xp.matmul(W, A_prev)
            out = xp.matmul(dZ, xp.matrix_transpose(A_prev))
            if l > 1:
                out = xp.matmul(xp.matrix_transpose(W), dZ)
        return out

    return run, backend.sync
