"""The same maths as :mod:`nnxp.kernels`, written with explicit Python loops.

This is how the notes write the maths before vectorizing it: a loop over
samples ``j``, units ``i`` and inputs ``k``, scalar ``math`` functions and plain
Python floats. NumPy arrays go in and come out (in the input's dtype), so the
loops can be compared with the kernels and benchmarked against them; small
enough to trust by reading, they are the kernels' oracle.

Course notation: ``A_prev (n[l-1], m)``, ``W (n[l], n[l-1])``, ``b (n[l], 1)``,
``Z, A (n[l], m)``; a linear cache is ``(A_prev, W, b)``, a layer cache
``((A_prev, W, b), Z)``. Every function has the kernel's name, signature and
return structure.
"""

import math

import numpy as np

LEAKY_SLOPE = 0.01


def _sigmoid(z):
    """1 / (1 + exp(-z)) from exp(-|z|): never overflows (the kernel's formula)."""
    e = math.exp(-abs(z))
    return 1 / (1 + e) if z >= 0 else e / (1 + e)


# name -> (g(z), g'(z) from z and a = g(z))
_ACTIVATIONS = {
    "sigmoid": (_sigmoid, lambda z, a: a * (1 - a)),
    "tanh": (math.tanh, lambda z, a: 1 - a * a),
    "relu": (lambda z: max(z, 0.0), lambda z, a: 1.0 if z > 0 else 0.0),
    "leaky_relu": (lambda z: z if z > 0 else LEAKY_SLOPE * z, lambda z, a: 1.0 if z > 0 else LEAKY_SLOPE),
}


def _activation(name):
    try:
        return _ACTIVATIONS[name]
    except (KeyError, TypeError):
        raise ValueError(f"activation must be one of {sorted(_ACTIVATIONS)}, got {name!r}") from None


def _array(rows, like):
    """Nested lists of floats -> a NumPy array with the dtype of ``like``."""
    return np.array(rows, dtype=like.dtype)


def _elementwise(f, *matrices):
    """[[f(x[i][j], y[i][j], ...)]] over equally shaped nested lists."""
    return [[f(*values) for values in zip(*rows)] for rows in zip(*matrices)]


def linear_forward(A_prev, W, b):
    """Z[i][j] = sum_k W[i][k] A_prev[k][j] + b[i] for unit i and sample j.

    Returns Z ``(n[l], m)`` and the cache ``(A_prev, W, b)``.
    """
    A, Wl, bl = A_prev.tolist(), W.tolist(), b.tolist()
    n, n_prev, m = len(Wl), len(A), A_prev.shape[1]
    Z = [[0.0] * m for _ in range(n)]
    for j in range(m):
        for i in range(n):
            z = 0.0
            for k in range(n_prev):
                z += Wl[i][k] * A[k][j]
            Z[i][j] = z + bl[i][0]
    return _array(Z, A_prev), (A_prev, W, b)


def linear_activation_forward(A_prev, W, b, activation):
    """A[i][j] = g(Z[i][j]) with Z from :func:`linear_forward`.

    Returns A ``(n[l], m)`` and the cache ``((A_prev, W, b), Z)``.
    """
    g, _ = _activation(activation)
    Z, linear_cache = linear_forward(A_prev, W, b)
    A = [[g(z) for z in row] for row in Z.tolist()]
    return _array(A, Z), (linear_cache, Z)


def model_forward(X, parameters, activations):
    """A{l} = g{l}(W{l} A{l-1} + b{l}) for l = 1..L with A0 = X.

    Returns AL ``(n[L], m)`` and the list of L layer caches.
    """
    if len(activations) != len(parameters) // 2:
        raise ValueError(f"activations has {len(activations)} names for {len(parameters) // 2} layers")
    A, caches = X, []
    for l, activation in enumerate(activations, start=1):
        A, cache = linear_activation_forward(A, parameters[f"W{l}"], parameters[f"b{l}"], activation)
        caches.append(cache)
    return A, caches


def compute_cost(AL, Y):
    """J = -(1/m) sum_j [y_j log a_j + (1 - y_j) log(1 - a_j)], a 0-d array.

    AL, Y ``(1, m)``; each a_j is clipped into ``[eps, 1 - eps]`` with ``eps`` the
    machine epsilon of AL's dtype, as the kernel does.
    """
    eps = float(np.finfo(AL.dtype).eps)
    total = 0.0
    for a, y in zip(AL.tolist()[0], Y.tolist()[0]):
        a = min(max(a, eps), 1 - eps)
        total += y * math.log(a) + (1 - y) * math.log1p(-a)
    return np.asarray(-total / AL.shape[1], dtype=AL.dtype)


def compute_cost_from_logits(ZL, Y):
    """J = (1/m) sum_j [max(z_j, 0) - z_j y_j + log(1 + exp(-|z_j|))], a 0-d array."""
    total = 0.0
    for z, y in zip(ZL.tolist()[0], Y.tolist()[0]):
        total += max(z, 0.0) - z * y + math.log1p(math.exp(-abs(z)))
    return np.asarray(total / ZL.shape[1], dtype=ZL.dtype)


def linear_backward(dZ, cache):
    """For cache ``(A_prev, W, b)`` and dZ ``(n[l], m)``:

    dW[i][k] = (1/m) sum_j dZ[i][j] A_prev[k][j], db[i] = (1/m) sum_j dZ[i][j],
    dA_prev[k][j] = sum_i W[i][k] dZ[i][j]. Returns ``(dA_prev, dW, db)``.
    """
    return _linear_backward(dZ, cache, need_dA_prev=True)


def _linear_backward(dZ, cache, need_dA_prev):
    """:func:`linear_backward`; dA_prev is None unless ``need_dA_prev``."""
    A_prev, W, b = cache
    A, Wl, dZl = A_prev.tolist(), W.tolist(), dZ.tolist()
    n, n_prev, m = len(Wl), len(A), A_prev.shape[1]
    dW = [[0.0] * n_prev for _ in range(n)]
    db = [[0.0] for _ in range(n)]
    for j in range(m):
        for i in range(n):
            db[i][0] += dZl[i][j] / m
            for k in range(n_prev):
                dW[i][k] += dZl[i][j] * A[k][j] / m
    if not need_dA_prev:
        return None, _array(dW, W), _array(db, b)
    dA_prev = [[0.0] * m for _ in range(n_prev)]
    for j in range(m):
        for k in range(n_prev):
            for i in range(n):
                dA_prev[k][j] += Wl[i][k] * dZl[i][j]
    return _array(dA_prev, A_prev), _array(dW, W), _array(db, b)


def linear_activation_backward(dA, cache, activation):
    """dZ[i][j] = dA[i][j] g'(Z[i][j]), then :func:`linear_backward`.

    Returns ``(dA_prev, dW, db)``.
    """
    return _linear_activation_backward(dA, cache, activation, need_dA_prev=True)


def _linear_activation_backward(dA, cache, activation, need_dA_prev):
    g, g_prime = _activation(activation)
    linear_cache, Z = cache
    dZ = _elementwise(lambda da, z: da * g_prime(z, g(z)), dA.tolist(), Z.tolist())
    return _linear_backward(_array(dZ, dA), linear_cache, need_dA_prev)


def model_backward(AL, Y, caches, activations):
    """Gradients of the cross-entropy cost through L layers; the output layer is sigmoid.

    dZ{L}[0][j] = AL[0][j] - Y[0][j]; then :func:`linear_backward` and
    :func:`linear_activation_backward` down to layer 1. Returns
    ``{"dA0", ..., "dA{L-1}", "dW1", "db1", ..., "dWL", "dbL"}``.
    """
    return _model_backward(AL, Y, caches, activations, need_dA0=True)


def _model_backward(AL, Y, caches, activations, need_dA0):
    """:func:`model_backward`; without ``need_dA0`` dA0 (which training never uses) is not computed."""
    if activations[-1] != "sigmoid":
        raise ValueError(f"the output layer's activation must be 'sigmoid', got {activations[-1]!r}")
    if len(activations) != len(caches):
        raise ValueError(f"activations has {len(activations)} names but there are {len(caches)} caches")
    L = len(caches)
    dZ = _array(_elementwise(lambda a, y: a - y, AL.tolist(), Y.tolist()), AL)
    grads = {}
    dA, grads[f"dW{L}"], grads[f"db{L}"] = _linear_backward(dZ, caches[-1][0], L > 1 or need_dA0)
    for l in range(L - 1, 0, -1):
        grads[f"dA{l}"] = dA
        dA, grads[f"dW{l}"], grads[f"db{l}"] = _linear_activation_backward(
            dA, caches[l - 1], activations[l - 1], l > 1 or need_dA0
        )
    if need_dA0:
        grads["dA0"] = dA
    return grads


def update_parameters(parameters, grads, learning_rate):
    """P[i][k] := P[i][k] - learning_rate dP[i][k] for every W{l} and b{l}; a new dict."""
    return {
        key: _array(_elementwise(lambda p, dp: p - learning_rate * dp, P.tolist(), grads["d" + key].tolist()), P)
        for key, P in parameters.items()
    }
