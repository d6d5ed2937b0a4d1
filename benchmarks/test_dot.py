"""Suite 1: the dot product of n random numbers, a Python loop against one vectorized call.

The notes: "Vectorized version: about 1.5 ms, for loop: about 480 ms" for n = 10^6.
"""

import math

import numpy as np
import pytest

from .backends import get_backend
from .config import DOT_N, LOOP_ROUNDS

rng = np.random.default_rng(0)
A, B = rng.random(DOT_N), rng.random(DOT_N)
EXPECTED = float(A @ B)
GROUP = f"dot n={DOT_N}"


def loop_dot(a, b):
    """c = sum_i a[i] b[i], one multiply-add per Python iteration, as the notes write it."""
    c = 0.0
    for i in range(len(a)):
        c += a[i] * b[i]
    return c


LOOP_INPUTS = {
    "numpy-elements": lambda: (A, B),  # the notes' loop, indexing NumPy arrays
    "python-floats": lambda: (A.tolist(), B.tolist()),  # the best case for a loop: plain floats
}


@pytest.mark.parametrize("impl", ["loops"])
@pytest.mark.parametrize("variant", LOOP_INPUTS)
def test_dot_loop(measure, impl, variant):
    a, b = LOOP_INPUTS[variant]()
    c = measure(lambda: loop_dot(a, b), group=GROUP, rounds=LOOP_ROUNDS, impl=impl, variant=variant, n=DOT_N)
    assert math.isclose(c, EXPECTED, rel_tol=1e-9)


@pytest.mark.parametrize("impl", [f"nnxp-{b}" for b in ("numpy", "torch", "torch-cuda", "jax", "cupy")])
def test_dot_vectorized(measure, impl):
    backend = get_backend(impl.removeprefix("nnxp-"))
    a, b = backend.asarray(A, "float64"), backend.asarray(B, "float64")
    c = measure(lambda: backend.xp.matmul(a, b), sync=backend.sync, group=GROUP, impl=impl,
                variant="vectorized", n=DOT_N)
    assert math.isclose(float(c), EXPECTED, rel_tol=1e-9)
