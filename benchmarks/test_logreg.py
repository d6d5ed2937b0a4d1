"""Suite 2: logistic regression forward and backward, loops against vectorized, at growing (n_x, m).

One sigmoid unit: Z = W X + b, A = sigmoid(Z), dZ = A - Y, dW = (1/m) dZ X^T,
db = (1/m) sum dZ (dA0 is not computed: training never uses it).
"""

import functools

import pytest

from nnxp.step import value_and_grad

from .backends import get_backend
from .config import LOGREG_SIZES, LOOP_ROUNDS
from .problems import make_problem
from .steps import LOSS, loops_value_and_grad, on_device

IMPLS = ["loops"] + [f"nnxp-{b}" for b in ("numpy", "torch", "torch-cuda", "jax", "cupy")]


def nnxp_forward_backward(xp, X, Y, parameters):
    """AL and the caches, then the gradients dW1, db1 (no cost), as ``fit`` computes them."""
    return value_and_grad(xp, X, Y, parameters, ["sigmoid"], LOSS, with_cost=False)[1]


def loops_forward_backward(X, Y, parameters):
    return loops_value_and_grad(["sigmoid"], parameters, X, Y, with_cost=False)[1]


@pytest.mark.parametrize("impl", IMPLS)
@pytest.mark.parametrize("n_x, m", LOGREG_SIZES)
def test_logistic_regression(measure, impl, n_x, m):
    problem = make_problem([n_x, 1], m, "float64")
    if impl == "loops":
        run = functools.partial(loops_forward_backward, problem.X, problem.Y, problem.params)
        sync, rounds = None, LOOP_ROUNDS
    else:
        backend = get_backend(impl.removeprefix("nnxp-"))
        run = functools.partial(nnxp_forward_backward, backend.xp, *on_device(backend, problem))
        sync, rounds = backend.sync, None
    grads = measure(run, sync=sync, rounds=rounds,
                    group=f"logreg n_x={n_x} m={m}", impl=impl, n_x=n_x, m=m, flops=4 * n_x * m)
    assert grads["dW1"].shape == (1, n_x)
