"""The same maths as the kernels (:func:`nnxp.linear_forward` and the rest), written with explicit Python loops.

This is how the notes write the maths before vectorizing it: a loop over
samples ``j``, units ``i`` and inputs ``k``, scalar ``math`` functions and plain
Python floats. NumPy arrays go in and come out (in the input's dtype), so the
loops can be compared with the kernels and benchmarked against them; small
enough to trust by reading, they are the kernels' oracle.

Course notation: ``A_prev (n[l-1], m)``, ``W (n[l], n[l-1])``, ``b (n[l], 1)``,
``Z, A (n[l], m)``; a linear cache is ``(A_prev, W, b)``, a layer cache
``((A_prev, W, b), Z)``. Every function has the kernel's name, signature and
return structure. Softmax, the one activation that is not elementwise, loops over
each column's units; the three losses loop over samples and units.
"""

import math

import numpy as np

__all__ = [
    "linear_forward", "linear_activation_forward", "model_forward", "compute_cost", "compute_cost_from_logits",
    "linear_backward", "linear_activation_backward", "model_backward", "update_parameters",
]

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
    "linear": (lambda z: z, lambda z, a: 1.0),
}


def _softmax(column):
    """[exp(z_i - max) / sum_k exp(z_k - max)] for one column's list of z."""
    top = max(column)
    exps = [math.exp(z - top) for z in column]
    total = sum(exps)
    return [e / total for e in exps]


def _softmax_backward(dA_column, a_column):
    """dz_i = a_i (da_i - sum_k a_k da_k) for one column."""
    dot = sum(a * da for a, da in zip(a_column, dA_column))
    return [a * (da - dot) for a, da in zip(a_column, dA_column)]


# name -> (a = g(z) of a column, dz of a column from da and a): activations over each column
_COLUMN_ACTIVATIONS = {"softmax": (_softmax, _softmax_backward)}


def _columns(rows):
    return [list(column) for column in zip(*rows)]


def _activate(name, Z_rows):
    """A = g(Z) as nested lists: elementwise, or column by column."""
    if name in _COLUMN_ACTIVATIONS:
        g_column, _ = _COLUMN_ACTIVATIONS[name]
        return _columns([g_column(column) for column in _columns(Z_rows)])
    g, _ = _activation(name)
    return [[g(z) for z in row] for row in Z_rows]


def _activation_backward(name, dA_rows, Z_rows):
    """dZ = dA * g'(Z) as nested lists (column activations: their Jacobian applied to each column)."""
    if name in _COLUMN_ACTIVATIONS:
        _, backward_column = _COLUMN_ACTIVATIONS[name]
        A_columns = _columns(_activate(name, Z_rows))
        return _columns([backward_column(d, a) for d, a in zip(_columns(dA_rows), A_columns)])
    g, g_prime = _activation(name)
    return _elementwise(lambda da, z: da * g_prime(z, g(z)), dA_rows, Z_rows)


def _activation(name):
    try:
        return _ACTIVATIONS[name]
    except (KeyError, TypeError):
        known = sorted([*_ACTIVATIONS, *_COLUMN_ACTIVATIONS])
        raise ValueError(f"activation must be one of {known}, got {name!r}") from None


def _array(rows, like):
    """Nested lists of floats -> a NumPy array with the dtype of ``like``."""
    return np.array(rows, dtype=like.dtype)


def _elementwise(f, *matrices):
    """[[f(x[i][j], y[i][j], ...)]] over equally shaped nested lists."""
    return [[f(*values) for values in zip(*rows)] for rows in zip(*matrices)]


def linear_forward(A_prev, W, b):
    """Z[i][j] = sum_k W[i][k] A_prev[k][j] + b[i] for unit i and sample j.

    A_prev ``(n[l-1], m)``, W ``(n[l], n[l-1])``, b ``(n[l], 1)``. Returns Z ``(n[l], m)`` and
    the cache ``(A_prev, W, b)``.

    >>> from nnxp import loops
    >>> A_prev, W, b = np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[0.5, -1.0]]), np.array([[0.1]])
    >>> loops.linear_forward(A_prev, W, b)[0]
    array([[-2.4, -2.9]])
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

    Returns A ``(n[l], m)`` and the cache ``((A_prev, W, b), Z)``. Raises ValueError for an
    unknown ``activation``.

    >>> from nnxp import loops
    >>> A_prev, W, b = np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[0.5, -1.0]]), np.array([[0.1]])
    >>> loops.linear_activation_forward(A_prev, W, b, "relu")[0]
    array([[0., 0.]])
    """
    Z, linear_cache = linear_forward(A_prev, W, b)
    return _array(_activate(activation, Z.tolist()), Z), (linear_cache, Z)


def model_forward(X, parameters, activations):
    """A{l} = g{l}(W{l} A{l-1} + b{l}) for l = 1..L with A0 = X.

    X ``(n_x, m)``; returns AL ``(n[L], m)`` and the list of L layer caches. Raises ValueError
    when ``activations`` does not name one activation per layer.

    >>> from nnxp import loops
    >>> X, parameters = np.array([[1.0, -2.0, 0.5], [0.0, 1.0, 3.0]]), nnxp.initialize_parameters([2, 3, 1])
    >>> np.allclose(loops.model_forward(X, parameters, ["tanh", "sigmoid"])[0],
    ...             nnxp.model_forward(X, parameters, ["tanh", "sigmoid"])[0])
    True
    """
    if len(activations) != len(parameters) // 2:
        raise ValueError(f"activations has {len(activations)} names for {len(parameters) // 2} layers")
    A, caches = X, []
    for l, activation in enumerate(activations, start=1):
        A, cache = linear_activation_forward(A, parameters[f"W{l}"], parameters[f"b{l}"], activation)
        caches.append(cache)
    return A, caches


def _binary(a_column, y_column, info):
    """-(y log a + (1 - y) log(1 - a)) for the one unit, a clipped into [eps, 1 - eps]."""
    eps = float(info.eps)
    a, y = min(max(a_column[0], eps), 1 - eps), y_column[0]
    return -(y * math.log(a) + (1 - y) * math.log1p(-a))


def _binary_from_logit(z_column, y_column):
    """max(z, 0) - z y + log(1 + exp(-|z|)) for the one unit."""
    z, y = z_column[0], y_column[0]
    return max(z, 0.0) - z * y + math.log1p(math.exp(-abs(z)))


def _categorical(a_column, y_column, info):
    """-sum_i y_i log a_i, each a_i raised to at least the smallest normal number."""
    return -sum(y * math.log(max(a, float(info.smallest_normal))) for a, y in zip(a_column, y_column))


def _categorical_from_logits(z_column, y_column):
    """sum_i y_i (logsumexp_k z_k - z_i), the logsumexp taken from the column's max."""
    top = max(z_column)
    log_sum = top + math.log(sum(math.exp(z - top) for z in z_column))
    return sum(y * (log_sum - z) for z, y in zip(z_column, y_column))


def _squared_error(a_column, y_column, info=None):
    """(1/2) sum_i (a_i - y_i)^2."""
    return sum((a - y) ** 2 for a, y in zip(a_column, y_column)) / 2


# loss name -> (per-sample loss from the output column, per-sample loss from the logit column)
_LOSSES = {
    "binary_cross_entropy": (_binary, _binary_from_logit),
    "categorical_cross_entropy": (_categorical, _categorical_from_logits),
    "mse": (_squared_error, _squared_error),
}


def _loss(name):
    try:
        return _LOSSES[name]
    except (KeyError, TypeError):
        raise ValueError(f"loss must be one of {sorted(_LOSSES)}, got {name!r}") from None


def _mean_over_samples(per_sample, A, Y):
    """(1/m) sum_j per_sample(column j of A, column j of Y), a 0-d array in A's dtype."""
    total = 0.0
    for a_column, y_column in zip(_columns(A.tolist()), _columns(Y.tolist())):
        total += per_sample(a_column, y_column)
    return np.asarray(total / A.shape[1], dtype=A.dtype)


def compute_cost(AL, Y, loss="binary_cross_entropy"):
    """J = (1/m) sum_j L(a_j, y_j) over the columns of ``AL`` and ``Y``, a 0-d array.

    Binary: L = -(y log a + (1 - y) log(1 - a)), a clipped into ``[eps, 1 - eps]`` (``eps``
    the dtype's machine epsilon) as the kernel does; categorical: L = -sum_i y_i log a_i;
    "mse": L = (1/2) sum_i (a_i - y_i)^2. AL and Y ``(n[L], m)``. Raises ValueError for an
    unknown ``loss``.

    >>> from nnxp import loops
    >>> round(float(loops.compute_cost(np.array([[0.8, 0.1]]), np.array([[1.0, 0.0]]))), 4)
    0.1643
    """
    from_output, _ = _loss(loss)
    info = np.finfo(AL.dtype)
    return _mean_over_samples(lambda a, y: from_output(a, y, info), AL, Y)


def compute_cost_from_logits(ZL, Y, loss="binary_cross_entropy"):
    """The same J from the output layer's Z: binary ``L = max(z, 0) - z y + log(1 + exp(-|z|))``,
    categorical ``L = sum_i y_i (logsumexp(z) - z_i)``, "mse" the squared error of a = z.

    ZL and Y ``(n[L], m)``; a 0-d array in ZL's dtype. Raises ValueError for an unknown ``loss``.

    >>> from nnxp import loops
    >>> float(loops.compute_cost_from_logits(np.array([[3.0], [1.0]]), np.array([[1.0], [2.0]]), "mse"))
    2.5
    """
    return _mean_over_samples(_loss(loss)[1], ZL, Y)


def linear_backward(dZ, cache):
    """For cache ``(A_prev, W, b)`` and dZ ``(n[l], m)``:

    dW[i][k] = (1/m) sum_j dZ[i][j] A_prev[k][j], db[i] = (1/m) sum_j dZ[i][j],
    dA_prev[k][j] = sum_i W[i][k] dZ[i][j]. Returns ``(dA_prev, dW, db)``.

    >>> from nnxp import loops
    >>> cache = (np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[0.5, -1.0]]), np.array([[0.1]]))
    >>> loops.linear_backward(np.array([[1.0, -1.0]]), cache)[1:]
    (array([[-0.5, -0.5]]), array([[0.]]))
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

    dA ``(n[l], m)``, cache ``((A_prev, W, b), Z)``. Returns ``(dA_prev, dW, db)``. Raises
    ValueError for an unknown ``activation``.

    >>> from nnxp import loops
    >>> linear_cache = (np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[0.5, -1.0]]), np.array([[0.1]]))
    >>> loops.linear_activation_backward(np.array([[1.0, 1.0]]), (linear_cache, np.array([[2.0, -1.0]])), "relu")[1]
    array([[0.5, 1.5]])
    """
    return _linear_activation_backward(dA, cache, activation, need_dA_prev=True)


def _linear_activation_backward(dA, cache, activation, need_dA_prev):
    linear_cache, Z = cache
    dZ = _activation_backward(activation, dA.tolist(), Z.tolist())
    return _linear_backward(_array(dZ, dA), linear_cache, need_dA_prev)


OUTPUTS = ("linear", "sigmoid", "softmax")
"""Output activations with their canonical loss (squared error, binary and categorical
cross-entropy), for which dZ{L} = AL - Y."""


def model_backward(AL, Y, caches, activations):
    """Gradients of the cost through L layers; the output activation is linear, sigmoid or softmax.

    dZ{L}[i][j] = AL[i][j] - Y[i][j]; then :func:`linear_backward` and
    :func:`linear_activation_backward` down to layer 1. AL and Y ``(n[L], m)``. Returns
    ``{"dA0", ..., "dA{L-1}", "dW1", "db1", ..., "dWL", "dbL"}``. Raises ValueError for another
    output activation, or when the names and caches differ in number.

    >>> from nnxp import loops
    >>> X, Y = np.array([[1.0, -2.0, 0.5], [0.0, 1.0, 3.0]]), np.array([[1.0, 0.0, 1.0]])
    >>> AL, caches = nnxp.model_forward(X, nnxp.initialize_parameters([2, 3, 1]), ["tanh", "sigmoid"])
    >>> expected = nnxp.model_backward(AL, Y, caches, ["tanh", "sigmoid"])
    >>> grads = loops.model_backward(AL, Y, caches, ["tanh", "sigmoid"])
    >>> all(np.allclose(grads[key], expected[key]) for key in expected)
    True
    """
    return _model_backward(AL, Y, caches, activations, need_dA0=True)


def _model_backward(AL, Y, caches, activations, need_dA0):
    """:func:`model_backward`; without ``need_dA0`` dA0 (which training never uses) is not computed."""
    if activations[-1] not in OUTPUTS:
        raise ValueError(f"the output layer's activation must be one of {list(OUTPUTS)}, got {activations[-1]!r}")
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
    """P[i][k] := P[i][k] - learning_rate dP[i][k] for every W{l} and b{l}; a new dict.

    ``parameters`` ``{"W1": (n[1], n[0]), "b1": (n[1], 1), ...}``, ``grads`` keyed ``"dW1", ...``.

    >>> from nnxp import loops
    >>> loops.update_parameters({"W1": np.array([[1.0, 2.0]])}, {"dW1": np.array([[0.1, -0.1]])}, 0.5)
    {'W1': array([[0.95, 2.05]])}
    """
    return {
        key: _array(_elementwise(lambda p, dp: p - learning_rate * dp, P.tolist(), grads["d" + key].tolist()), P)
        for key, P in parameters.items()
    }
