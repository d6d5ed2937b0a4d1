"""Suite 2: logistic regression forward and backward, loops against vectorized, at growing (n_x, m).

One sigmoid unit: Z = W X + b, A = sigmoid(Z), dZ = A - Y, dW = (1/m) dZ X^T,
db = (1/m) sum dZ (dA0 is not computed: training never uses it).
"""

import functools

import numpy as np
import pytest

import nnxp
from nnxp.core.step import value_and_grad

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


@pytest.mark.one_jax_instance("impl")  # each JAX implementation at one size and dtype when quick
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
    # the gradients it timed are the formula's: dW = (1/m) (A - Y) X^T, db = (1/m) sum (A - Y)
    W, b = problem.params["W1"], problem.params["b1"]
    dZ = 1 / (1 + np.exp(-(W @ problem.X + b))) - problem.Y
    np.testing.assert_allclose(nnxp.to_numpy(grads["dW1"]), dZ @ problem.X.T / m, rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(nnxp.to_numpy(grads["db1"]), dZ.sum(axis=1, keepdims=True) / m, rtol=1e-9,
                               atol=1e-15)
