"""Suite 2: logistic regression forward and backward, loops against vectorized, at growing (n_x, m).

One sigmoid unit: Z = W X + b, A = sigmoid(Z), dZ = A - Y, dW = (1/m) dZ X^T,
db = (1/m) sum dZ (dA0 is not computed: training never uses it).
"""

import functools

import pytest

from .backends import get_backend
from .config import LOGREG_SIZES, LOOP_ROUNDS
from .problems import make_problem
from .steps import LOOP_OPS, nnxp_ops, on_device

IMPLS = ["loops"] + [f"nnxp-{b}" for b in ("numpy", "torch", "torch-cuda", "jax", "cupy")]


def forward_backward(ops, X, Y, parameters):
    """AL and the caches, then the gradients dW1, db1."""
    forward, _, backward, _ = ops
    AL, caches = forward(X, parameters, ["sigmoid"])
    return backward(AL, Y, caches, ["sigmoid"], need_dA0=False)


@pytest.mark.parametrize("impl", IMPLS)
@pytest.mark.parametrize("n_x, m", LOGREG_SIZES)
def test_logistic_regression(measure, impl, n_x, m):
    problem = make_problem([n_x, 1], m, "float64")
    if impl == "loops":
        ops, (X, Y, params), sync, rounds = LOOP_OPS, (problem.X, problem.Y, problem.params), None, LOOP_ROUNDS
    else:
        backend = get_backend(impl.removeprefix("nnxp-"))
        ops, (X, Y, params), sync, rounds = nnxp_ops(backend.xp), on_device(backend, problem), backend.sync, None
    grads = measure(functools.partial(forward_backward, ops, X, Y, params), sync=sync, rounds=rounds,
                    group=f"logreg n_x={n_x} m={m}", impl=impl, n_x=n_x, m=m, flops=4 * n_x * m)
    assert grads["dW1"].shape == (1, n_x)
