"""Parameter initialization: drawn on the host with NumPy, moved to the backend once.

One seed therefore gives identical parameters on every backend and device.
"""

import numbers

import numpy as np

from .backend import dtype_of, get_namespace, resolve_device
from .validation import check_layer_dims, check_seed

INITS = ("he", "xavier", "scaled", "zeros")


def _weight_scale(init, n_prev, scale):
    if init == "he":
        return np.sqrt(2.0 / n_prev)
    if init == "xavier":
        return np.sqrt(1.0 / n_prev)
    if init == "scaled":
        return scale
    return 0.0


def _host_parameters(dims, init, scale, seed):
    """float64 NumPy parameters; W{l} = standard_normal((n[l], n[l-1])) * scale(init)."""
    seed = check_seed(seed)
    if init == "zeros":
        draw = np.zeros  # no random numbers consumed
    elif isinstance(seed, int):
        draw = np.random.default_rng(seed).standard_normal
    else:
        draw = seed.standard_normal
    params = {}
    for l in range(1, len(dims)):
        params[f"W{l}"] = draw((dims[l], dims[l - 1])) * _weight_scale(init, dims[l - 1], scale)
        params[f"b{l}"] = np.zeros((dims[l], 1))
    return params


def initialize_parameters(
    layer_dims, *, init="he", scale=0.01, seed=0, dtype="float64", backend=None, device=None
):
    """Parameters ``{"W1", "b1", ..., "WL", "bL"}`` for ``layer_dims = [n[0], ..., n[L]]``.

    W{l} ``(n[l], n[l-1])`` is drawn from N(0, 1) and scaled by ``init``:
    ``"he"`` sqrt(2 / n[l-1]), ``"xavier"`` sqrt(1 / n[l-1]) (as the course names it),
    ``"scaled"`` ``scale`` (the course's 0.01), ``"zeros"`` 0. b{l} ``(n[l], 1)`` is zeros.

    ``seed``: an int (``numpy.random.default_rng``), a ``numpy.random.Generator``
    or a legacy ``numpy.random.RandomState``; weights are drawn layer by layer with
    ``standard_normal``, so ``RandomState(1)`` reproduces the course's
    ``np.random.seed(1); np.random.randn(...)`` exactly. A Generator or
    RandomState is advanced. ``dtype``: float32 or float64. ``backend``/``device``:
    see :func:`nnxp.get_namespace` and :func:`nnxp.backend.resolve_device`.
    """
    dims = check_layer_dims(layer_dims)
    if init not in INITS:
        raise ValueError(f"init must be one of {INITS}, got {init!r}")
    if init == "scaled" and not (isinstance(scale, numbers.Real) and scale > 0):
        raise ValueError(f"scale must be a positive number, got {scale!r}")
    xp = get_namespace(backend)
    xp_dtype, device = dtype_of(xp, dtype), resolve_device(xp, device)
    host = _host_parameters(dims, init, scale, seed)
    return {key: xp.asarray(P, dtype=xp_dtype, device=device) for key, P in host.items()}
