"""Parameter initialization: weights drawn on the host with NumPy, moved to the backend once.

One seed therefore gives identical parameters on every backend and device.
"""

import math
import numbers

from .backend import dtype_of, get_namespace, host_rng, resolve_device
from .checks import check_layer_dims

INITS = ("he", "xavier", "glorot", "scaled", "zeros")


def _weight_scale(init, n_prev, scale):
    if init == "he":
        return math.sqrt(2.0 / n_prev)
    if init == "xavier":
        return math.sqrt(1.0 / n_prev)
    return scale


def _host_layer(rng, init, n_prev, n, scale):
    """``(W, b)`` of one layer drawn on the host in float64; None for what starts at zero."""
    if init == "glorot":
        bound = math.sqrt(6.0 / (n_prev + n))
        return rng.uniform(-bound, bound, (n, n_prev)), rng.uniform(-bound, bound, (n, 1))
    if init == "zeros":
        return None, None
    return rng.standard_normal((n, n_prev)) * _weight_scale(init, n_prev, scale), None


def initialize_parameters(
    layer_dims, *, init="he", scale=0.01, seed=0, dtype="float64", backend=None, device=None
):
    """Parameters ``{"W1", "b1", ..., "WL", "bL"}`` for ``layer_dims = [n[0], ..., n[L]]``.

    W{l} ``(n[l], n[l-1])`` is drawn from N(0, 1) and scaled by ``init``:
    ``"he"`` sqrt(2 / n[l-1]), ``"xavier"`` sqrt(1 / n[l-1]) (as the course names it),
    ``"scaled"`` ``scale`` (the course's 0.01), ``"zeros"`` 0; b{l} ``(n[l], 1)`` is zeros.
    ``"glorot"`` is scikit-learn's networks' start instead: W{l}, then b{l}, uniform in ``(-r, r)``
    with r = sqrt(6 / (n[l-1] + n[l])) (Glorot and Bengio's uniform, variance r^2 / 3).

    ``seed``: an int (``numpy.random.default_rng``), a ``numpy.random.Generator``
    or a legacy ``numpy.random.RandomState``; weights are drawn on the host in float64,
    layer by layer with ``standard_normal``, so ``RandomState(1)`` reproduces the course's
    ``np.random.seed(1); np.random.randn(...)`` exactly, then moved once. A Generator or
    RandomState is advanced. ``dtype``: float32 or float64. ``backend``/``device``:
    see :func:`nnxp.get_namespace` (``device``: a device of that library, e.g. ``"cuda:0"``).

    Raises ValueError for fewer than two or non-positive sizes, an unknown ``init``, a
    ``scale`` <= 0, a negative seed or another dtype; TypeError for sizes that are not ints or a
    seed of another type; :class:`nnxp.BackendUnavailableError` for ``"cupy"`` without a GPU.

    >>> parameters = nnxp.initialize_parameters([2, 4, 1], init="he", seed=0)
    >>> {key: P.shape for key, P in parameters.items()}
    {'W1': (4, 2), 'b1': (4, 1), 'W2': (1, 4), 'b2': (1, 1)}
    >>> parameters["W1"].dtype, nnxp.initialize_parameters([2, 1], dtype="float32")["W1"].dtype
    (dtype('float64'), dtype('float32'))
    """
    dims = check_layer_dims(layer_dims)
    if init not in INITS:
        raise ValueError(f"init must be one of {INITS}, got {init!r}")
    if init == "scaled" and not (isinstance(scale, numbers.Real) and scale > 0):
        raise ValueError(f"scale must be a positive number, got {scale!r}")
    rng = host_rng(seed)
    xp = get_namespace(backend)
    on_device = {"dtype": dtype_of(xp, dtype), "device": resolve_device(xp, device)}
    parameters = {}
    for l in range(1, len(dims)):
        W, b = _host_layer(rng, init, dims[l - 1], dims[l], scale)
        for name, host, shape in ((f"W{l}", W, (dims[l], dims[l - 1])), (f"b{l}", b, (dims[l], 1))):
            parameters[name] = xp.zeros(shape, **on_device) if host is None else xp.asarray(host, **on_device)
    return parameters
