"""The data every implementation of a benchmark is fed: drawn once on the host with NumPy.

Shapes follow the notes: X ``(n_x, m)``, Y ``(1, m)`` with labels 0/1, W{l}
``(n[l], n[l-1])`` He-initialized, b{l} ``(n[l], 1)``. Hidden layers are ReLU,
the output sigmoid, as in ``NeuralNetwork``'s default.
"""

from dataclasses import dataclass

import numpy as np

import nnxp


@dataclass(frozen=True)
class Problem:
    """One network and data set: ``dims = [n[0], ..., n[L]]``, m samples, host arrays in ``dtype``."""

    dims: tuple
    m: int
    dtype: str
    X: np.ndarray
    Y: np.ndarray
    params: dict

    @property
    def activations(self):
        return ["relu"] * (len(self.dims) - 2) + ["sigmoid"]

    @property
    def flops(self):
        """Floating-point operations in the matrix products of one training iteration.

        Per layer 2 m n[l] n[l-1] for Z = W A_prev and again for dW = dZ A_prev^T, plus
        the same for dA_prev = W^T dZ in layers 2..L (dA0 is not needed).
        """
        sizes = [self.dims[l] * self.dims[l - 1] for l in range(1, len(self.dims))]
        return 2 * self.m * (2 * sum(sizes) + sum(sizes[1:]))

    @property
    def label(self):
        return f"[{','.join(map(str, self.dims))}] m={self.m} {self.dtype}"


def make_problem(dims, m, dtype, seed=0):
    """Random X, Y and He-initialized parameters, all NumPy arrays of ``dtype``."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((dims[0], m)).astype(dtype)
    Y = (rng.random((1, m)) > 0.5).astype(dtype)
    params = nnxp.initialize_parameters(dims, seed=seed, dtype=dtype, backend="numpy")
    return Problem(tuple(dims), m, dtype, X, Y, params)
