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
from .backend import namespace


def _linear_forward(xp, A_prev, W, b):
    Z = xp.matmul(W, A_prev)
    Z += b  # in place on the fresh product (JAX rebinds): one (n[l], m) temporary fewer
    return Z


def linear_forward(A_prev, W, b):
    """Z = W A_prev + b.

    A_prev ``(n[l-1], m)``, W ``(n[l], n[l-1])``, b ``(n[l], 1)`` -> Z ``(n[l], m)``,
    cache ``(A_prev, W, b)``.
    """
    xp = namespace(A_prev, W, b)
    return _linear_forward(xp, A_prev, W, b), (A_prev, W, b)


def _linear_activation_forward(xp, A_prev, W, b, activation):
    forward, _ = get_activation(activation)
    Z = _linear_forward(xp, A_prev, W, b)
    return forward(xp, Z), ((A_prev, W, b), Z)


def linear_activation_forward(A_prev, W, b, activation):
    """A = g(W A_prev + b) for g in sigmoid, tanh, relu, leaky_relu.

    Returns A ``(n[l], m)`` and the cache ``((A_prev, W, b), Z)``.
    """
    return _linear_activation_forward(namespace(A_prev, W, b), A_prev, W, b, activation)


def _model_forward(xp, X, parameters, activations):
    A, caches = X, []
    for l, activation in enumerate(activations, start=1):
        A, cache = _linear_activation_forward(xp, A, parameters[f"W{l}"], parameters[f"b{l}"], activation)
        caches.append(cache)
    return A, caches


def model_forward(X, parameters, activations):
    """Forward propagation through L layers: A{l} = g{l}(W{l} A{l-1} + b{l}), A0 = X.

    ``activations`` has one name per layer (L names). Returns AL ``(n[L], m)``
    and the list of L layer caches.
    """
    if len(activations) != len(parameters) // 2:
        raise ValueError(
            f"activations has {len(activations)} names but parameters hold "
            f"{len(parameters) // 2} layers; give one activation per layer"
        )
    return _model_forward(namespace(X, *parameters.values()), X, parameters, activations)


def compute_cost(AL, Y):
    """Mean binary cross-entropy J = -(1/m) sum(Y log AL + (1 - Y) log(1 - AL)).

    AL, Y ``(1, m)`` -> 0-d array. AL is clipped into ``[eps, 1 - eps]``
    (``eps`` the dtype's machine epsilon) so a saturated output never gives
    ``log(0)``; :func:`compute_cost_from_logits` is exact there.
    """
    xp = namespace(AL, Y)
    eps = xp.finfo(AL.dtype).eps
    AL = xp.clip(AL, eps, 1 - eps)
    m = AL.shape[1]
    return -xp.sum(Y * xp.log(AL) + (1 - Y) * xp.log1p(-AL)) / m


def _cost_from_logits(xp, ZL, Y):
    return xp.sum(xp.maximum(ZL, 0) - ZL * Y + xp.log1p(xp.exp(-xp.abs(ZL)))) / ZL.shape[1]


def compute_cost_from_logits(ZL, Y):
    """The same cross-entropy from the output layer's Z, AL = sigmoid(ZL):

    J = (1/m) sum(max(ZL, 0) - ZL Y + log(1 + exp(-|ZL|))), finite for every finite ZL.
    """
    return _cost_from_logits(namespace(ZL, Y), ZL, Y)


def _accuracy(xp, AL, Y):
    """The fraction of columns where the prediction ``AL > 0.5`` matches the label: a 0-d array."""
    return xp.mean(xp.astype((AL > 0.5) == (Y > 0.5), AL.dtype))


def _linear_backward(xp, dZ, cache, need_dA_prev=True):
    A_prev, W, _ = cache
    m = A_prev.shape[1]
    dW = xp.matmul(dZ, A_prev.T)  # .T: the standard's transpose of a 2-D array, a view
    dW /= m
    db = xp.sum(dZ, axis=1, keepdims=True)
    db /= m
    dA_prev = xp.matmul(W.T, dZ) if need_dA_prev else None
    return dA_prev, dW, db


def linear_backward(dZ, cache):
    """From dZ ``(n[l], m)`` and cache ``(A_prev, W, b)``:

    dW = (1/m) dZ A_prev^T, db = (1/m) sum over samples of dZ, dA_prev = W^T dZ.
    Returns ``(dA_prev, dW, db)`` shaped like A_prev, W and b.
    """
    return _linear_backward(namespace(dZ, *cache), dZ, cache)


def _activation_backward(xp, dA, cache, activation, A, need_dA_prev=True):
    _, backward = get_activation(activation)
    linear_cache, Z = cache
    return _linear_backward(xp, backward(xp, dA, Z, A), linear_cache, need_dA_prev)


def linear_activation_backward(dA, cache, activation):
    """dZ = dA * g'(Z), then :func:`linear_backward`. Returns ``(dA_prev, dW, db)``."""
    (A_prev, W, b), Z = cache
    xp = namespace(dA, A_prev, W, b, Z)
    forward, _ = get_activation(activation)
    return _activation_backward(xp, dA, cache, activation, forward(xp, Z))


def _model_backward(xp, AL, Y, caches, activations, need_dA0=True):
    L = len(caches)
    grads = {}
    dZ = AL - Y  # sigmoid output with cross-entropy: dJ/dZL without dividing by AL(1 - AL)
    dA, grads[f"dW{L}"], grads[f"db{L}"] = _linear_backward(xp, dZ, caches[-1][0], L > 1 or need_dA0)
    for l in range(L - 1, 0, -1):
        grads[f"dA{l}"] = dA
        A = caches[l][0][0]  # A{l} is the A_prev of layer l + 1: no recomputation
        dA, grads[f"dW{l}"], grads[f"db{l}"] = _activation_backward(
            xp, dA, caches[l - 1], activations[l - 1], A, l > 1 or need_dA0
        )
    if need_dA0:
        grads["dA0"] = dA
    return grads


def model_backward(AL, Y, caches, activations):
    """Backpropagation of the cross-entropy cost through L layers.

    The output layer must be sigmoid: its dZ{L} = AL - Y. Then for l = L..1:
    dW{l} = (1/m) dZ{l} A{l-1}^T, db{l} = (1/m) sum dZ{l}, dA{l-1} = W{l}^T dZ{l},
    dZ{l-1} = dA{l-1} * g'(Z{l-1}). Returns ``{"dA0", ..., "dA{L-1}", "dW1", "db1", ...}``.
    """
    if activations[-1] != "sigmoid":
        raise ValueError(
            f"the output layer's activation must be 'sigmoid' for the cross-entropy cost, "
            f"got {activations[-1]!r}"
        )
    if len(activations) != len(caches):
        raise ValueError(f"activations has {len(activations)} names but there are {len(caches)} caches")
    return _model_backward(namespace(AL, Y, caches[0][0][0]), AL, Y, caches, activations)


def update_parameters(parameters, grads, learning_rate):
    """Gradient descent: W{l} := W{l} - alpha dW{l}, b{l} := b{l} - alpha db{l}.

    Returns a new dict; ``parameters`` is not mutated.
    """
    return {key: _descend(P, grads["d" + key], learning_rate) for key, P in parameters.items()}


def _descend(P, dP, learning_rate):
    """P - learning_rate dP with one temporary: (-learning_rate dP) + P, bitwise the same."""
    new = dP * -learning_rate
    new += P
    return new

