"""Vectorized forward and backward propagation, written once against the array API.

Course notation: ``X = A0`` is ``(n[0], m)``, samples are columns; ``W{l}`` is
``(n[l], n[l-1])``, ``b{l}`` is ``(n[l], 1)``; ``Z{l}`` and ``A{l}`` are ``(n[l], m)``.
A linear cache is ``(A_prev, W, b)``; a layer cache is ``((A_prev, W, b), Z)``.

Kernels trust their inputs (the model validates at the boundary) and never
print or read values back to the host. Public functions look the namespace up
once and hand it to the ``_``-prefixed workers, so a whole training step costs
one lookup.
"""

from .activations import get_activation
from .activations import softmax as _softmax
from .backend import namespace
from .losses import get_loss, loss_for_output


def _linear_forward(xp, A_prev, W, b):
    Z = W @ A_prev  # the standard's operator: no wrapper call on the hot path
    Z += b  # in place on the fresh product (JAX rebinds): one (n[l], m) temporary fewer
    return Z


def linear_forward(A_prev, W, b):
    """Z = W A_prev + b: the linear part of layer l.

    A_prev ``(n[l-1], m)``, W ``(n[l], n[l-1])``, b ``(n[l], 1)`` -> Z ``(n[l], m)`` in their
    dtype, and the cache ``(A_prev, W, b)``. Raises TypeError (ValueError) when the arrays come
    from two libraries (devices).

    >>> A_prev = np.array([[1.0, 2.0], [3.0, 4.0]])
    >>> Z, cache = nnxp.linear_forward(A_prev, np.array([[0.5, -1.0]]), np.array([[0.1]]))
    >>> Z
    array([[-2.4, -2.9]])
    """
    xp = namespace(A_prev, W, b)
    return _linear_forward(xp, A_prev, W, b), (A_prev, W, b)


def _linear_activation_forward(xp, A_prev, W, b, activation):
    forward, _ = get_activation(activation)
    Z = _linear_forward(xp, A_prev, W, b)
    return forward(xp, Z), ((A_prev, W, b), Z)


def linear_activation_forward(A_prev, W, b, activation):
    """A = g(W A_prev + b) for g of :data:`nnxp.ACTIVATIONS` (sigmoid, tanh, relu, leaky_relu,
    softmax over each column, linear).

    A_prev ``(n[l-1], m)``, W ``(n[l], n[l-1])``, b ``(n[l], 1)`` -> A ``(n[l], m)`` in their
    dtype, and the cache ``((A_prev, W, b), Z)``. Raises ValueError for an unknown ``activation``.

    >>> A_prev = np.array([[1.0, 2.0], [3.0, 4.0]])
    >>> A, ((_, W, b), Z) = nnxp.linear_activation_forward(
    ...     A_prev, np.array([[0.5, -1.0]]), np.array([[0.1]]), "sigmoid")
    >>> np.round(A, 4)
    array([[0.0832, 0.0522]])
    """
    return _linear_activation_forward(namespace(A_prev, W, b), A_prev, W, b, activation)


def _model_forward(xp, X, parameters, activations, masks=None, keep_Z=True):
    """Forward propagation; ``masks`` (inverted dropout): one ``D{l} / keep_prob{l}`` array or None
    per hidden layer, multiplied into A{l} before the next layer takes it. Without ``keep_Z`` (the
    training step, no masks) the hidden layers' caches hold None for Z, freed as soon as A is made:
    backpropagation reads A (the next layer's A_prev) instead."""
    A, caches, L = X, [], len(activations)
    for l, activation in enumerate(activations, start=1):
        A, cache = _linear_activation_forward(xp, A, parameters[f"W{l}"], parameters[f"b{l}"], activation)
        caches.append(cache if keep_Z or l == L else (cache[0], None))
        if masks and l < len(activations) and masks[l - 1] is not None:
            A = A * masks[l - 1]
    return A, caches


def model_forward(X, parameters, activations):
    """Forward propagation through L layers: A{l} = g{l}(W{l} A{l-1} + b{l}), A0 = X.

    X ``(n_x, m)``; ``parameters`` ``{"W1": (n[1], n[0]), "b1": (n[1], 1), ...}``;
    ``activations`` one name per layer (L names). Returns AL ``(n[L], m)`` in X's dtype and the
    list of L caches ``((A_prev, W, b), Z)``. Raises ValueError when the number of names is not L
    or a name is unknown.

    >>> X = np.array([[1.0, -2.0, 0.5], [0.0, 1.0, 3.0]])
    >>> parameters = nnxp.initialize_parameters([2, 3, 1], seed=0)
    >>> AL, caches = nnxp.model_forward(X, parameters, ["relu", "sigmoid"])
    >>> AL.shape, len(caches)
    ((1, 3), 2)
    """
    if len(activations) != len(parameters) // 2:
        raise ValueError(
            f"activations has {len(activations)} names but parameters hold "
            f"{len(parameters) // 2} layers; give one activation per layer"
        )
    return _model_forward(namespace(X, *parameters.values()), X, parameters, activations)


def compute_cost(AL, Y, loss="binary_cross_entropy"):
    """The cost J of the outputs ``AL`` against ``Y`` for ``loss`` (a name of :data:`nnxp.LOSSES`).

    Binary cross-entropy (the default) ``-(1/m) sum(Y log AL + (1 - Y) log(1 - AL))`` on
    ``(1, m)``; categorical ``-(1/m) sum(Y * log AL)`` on one-hot ``(C, m)``; ``"mse"``
    ``1/(2m) sum ||AL - Y||^2`` on ``(n[L], m)``. A 0-d array in AL's dtype. Probabilities are
    clipped (to ``[eps, 1 - eps]``, or up from the smallest normal number) so a saturated output
    never gives ``log(0)``; :func:`compute_cost_from_logits` is exact there. Raises ValueError
    for an unknown ``loss``.

    >>> J = nnxp.compute_cost(np.array([[0.8, 0.1]]), np.array([[1.0, 0.0]]))
    >>> round(float(J), 4)
    0.1643
    """
    return get_loss(loss).cost_from_output(namespace(AL, Y), AL, Y)


def compute_cost_from_logits(ZL, Y, loss="binary_cross_entropy"):
    """The cost of :func:`compute_cost` from the output layer's ``ZL`` (AL = sigmoid, softmax or ZL).

    Binary ``(1/m) sum(max(ZL, 0) - ZL Y + log(1 + exp(-|ZL|)))``, categorical
    ``-(1/m) sum(Y * log_softmax(ZL))``, ``"mse"`` ``1/(2m) sum ||ZL - Y||^2``; ZL and Y
    ``(n[L], m)``. A 0-d array in ZL's dtype, finite for every finite ZL. Raises ValueError for
    an unknown ``loss``.

    >>> float(nnxp.compute_cost_from_logits(np.array([[-800.0]]), np.array([[1.0]])))  # AL = 0, no log(0)
    800.0
    """
    return get_loss(loss).cost(namespace(ZL, Y), ZL, Y)


def softmax(Z):
    """Softmax over each column of ``Z (C, m)`` (over classes, axis 0): ``exp(Z) / sum(exp(Z))``.

    Returns ``(C, m)`` in Z's dtype, each column summing to 1. Computed after subtracting each
    column's max, so it never overflows, in float32 too.

    >>> np.round(nnxp.softmax(np.array([[1.0, 0.0], [1.0, 0.0], [2.0, 1000.0]])), 4)
    array([[0.2119, 0.    ],
           [0.2119, 0.    ],
           [0.5761, 1.    ]])
    """
    return _softmax(namespace(Z), Z)


def _linear_backward(xp, dZ, cache, need_dA_prev=True):
    A_prev, W, _ = cache
    m = A_prev.shape[1]
    dW = dZ @ A_prev.T  # .T: the standard's transpose of a 2-D array, a view
    dW /= m
    db = xp.sum(dZ, axis=1, keepdims=True)
    db /= m
    dA_prev = W.T @ dZ if need_dA_prev else None
    return dA_prev, dW, db


def linear_backward(dZ, cache):
    """The linear part of layer l backwards, from dZ ``(n[l], m)`` and cache ``(A_prev, W, b)``:

    dW = (1/m) dZ A_prev^T, db = (1/m) sum over samples of dZ, dA_prev = W^T dZ.
    Returns ``(dA_prev, dW, db)`` shaped ``(n[l-1], m)``, ``(n[l], n[l-1])``, ``(n[l], 1)``.

    >>> cache = (np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[0.5, -1.0]]), np.array([[0.1]]))
    >>> dA_prev, dW, db = nnxp.linear_backward(np.array([[1.0, -1.0]]), cache)
    >>> dW, db
    (array([[-0.5, -0.5]]), array([[0.]]))
    """
    return _linear_backward(namespace(dZ, *cache), dZ, cache)


def _activation_backward(xp, dA, cache, activation, A, need_dA_prev=True):
    """dZ = dA * g'(Z), then the linear backward step; A = g(Z) is recomputed when None."""
    forward, backward = get_activation(activation)
    linear_cache, Z = cache
    A = forward(xp, Z) if A is None else A
    return _linear_backward(xp, backward(xp, dA, Z, A), linear_cache, need_dA_prev)


def linear_activation_backward(dA, cache, activation):
    """dZ = dA * g'(Z), then :func:`linear_backward`: layer l backwards.

    dA ``(n[l], m)``, cache ``((A_prev, W, b), Z)`` -> ``(dA_prev, dW, db)`` shaped
    ``(n[l-1], m)``, ``(n[l], n[l-1])``, ``(n[l], 1)``. Raises ValueError for an unknown ``activation``.

    >>> linear_cache = (np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[0.5, -1.0]]), np.array([[0.1]]))
    >>> Z = np.array([[2.0, -1.0]])
    >>> dA_prev, dW, db = nnxp.linear_activation_backward(np.array([[1.0, 1.0]]), (linear_cache, Z), "relu")
    >>> dW, db
    (array([[0.5, 1.5]]), array([[0.5]]))
    """
    (A_prev, W, b), Z = cache
    return _activation_backward(namespace(dA, A_prev, W, b, Z), dA, cache, activation, None)


def _model_backward(xp, AL, Y, caches, activations, loss, need_dA0=True, masks=None, consume=False):
    """Backpropagation of ``loss`` (its output-layer delta ``dZ{L}``, :meth:`~nnxp.core.losses.Loss.delta`);
    with dropout ``masks`` (as for :func:`_model_forward`) dA{l} is multiplied by the same mask as
    A{l} was. With ``consume`` (the training step, which owns ``caches``) each layer's cache is
    dropped from the list once used and dA1..dA{L-1} are not kept, so every Z, A and dA is freed as
    soon as the pass is past it."""
    L = len(caches)
    grads = {}
    dZ = loss.delta(xp, AL, Y)
    dA, grads[f"dW{L}"], grads[f"db{L}"] = _linear_backward(xp, dZ, caches[-1][0], L > 1 or need_dA0)
    for l in range(L - 1, 0, -1):
        mask = masks[l - 1] if masks else None
        if mask is not None:
            dA = dA * mask
        if not consume:
            grads[f"dA{l}"] = dA
        # A{l} is the A_prev of layer l + 1, unless dropout scaled that one: then it is recomputed
        A = caches[l][0][0] if mask is None else None
        if consume:
            caches[l] = None
        dA, grads[f"dW{l}"], grads[f"db{l}"] = _activation_backward(
            xp, dA, caches[l - 1], activations[l - 1], A, l > 1 or need_dA0
        )
    if need_dA0:
        grads["dA0"] = dA
    return grads


def model_backward(AL, Y, caches, activations):
    """Backpropagation of the cost through L layers; the loss follows the output activation.

    A sigmoid output means binary cross-entropy, softmax categorical cross-entropy (one-hot
    ``Y (C, m)``), linear the squared error: canonical pairs, so dZ{L} = AL - Y for each.
    Then for l = L..1: dW{l} = (1/m) dZ{l} A{l-1}^T, db{l} = (1/m) sum dZ{l},
    dA{l-1} = W{l}^T dZ{l}, dZ{l-1} = dA{l-1} * g'(Z{l-1}). AL and Y ``(n[L], m)``, ``caches``
    from :func:`model_forward`. Returns ``{"dA0", ..., "dA{L-1}", "dW1", "db1", ...}``, each
    shaped like its A, W or b. Raises ValueError for an output activation that is not sigmoid,
    softmax or linear, or when the names and caches differ in number.

    >>> X, Y = np.array([[1.0, -2.0, 0.5], [0.0, 1.0, 3.0]]), np.array([[1.0, 0.0, 1.0]])
    >>> parameters = nnxp.initialize_parameters([2, 3, 1], seed=0)
    >>> AL, caches = nnxp.model_forward(X, parameters, ["relu", "sigmoid"])
    >>> grads = nnxp.model_backward(AL, Y, caches, ["relu", "sigmoid"])
    >>> sorted(grads), grads["dW1"].shape
    (['dA0', 'dA1', 'dW1', 'dW2', 'db1', 'db2'], (3, 2))
    """
    loss = loss_for_output(activations[-1])  # raises for an output no loss pairs with
    if len(activations) != len(caches):
        raise ValueError(f"activations has {len(activations)} names but there are {len(caches)} caches")
    return _model_backward(namespace(AL, Y, caches[0][0][0]), AL, Y, caches, activations, loss)


def update_parameters(parameters, grads, learning_rate):
    """Gradient descent: W{l} := W{l} - alpha dW{l}, b{l} := b{l} - alpha db{l}.

    ``parameters`` ``{"W1": (n[1], n[0]), "b1": (n[1], 1), ...}`` and ``grads`` with the same
    keys prefixed by ``d``. Returns a new dict; ``parameters`` is not mutated.

    >>> parameters = {"W1": np.array([[1.0, 2.0]]), "b1": np.array([[0.5]])}
    >>> grads = {"dW1": np.array([[0.1, -0.1]]), "db1": np.array([[1.0]])}
    >>> nnxp.update_parameters(parameters, grads, learning_rate=0.5)
    {'W1': array([[0.95, 2.05]]), 'b1': array([[0.]])}
    """
    return {key: _descend(P, grads["d" + key], learning_rate) for key, P in parameters.items()}


def _descend(P, dP, learning_rate):
    """P - learning_rate dP with one temporary: (-learning_rate dP) + P, bitwise the same."""
    new = dP * -learning_rate
    new += P
    return new

