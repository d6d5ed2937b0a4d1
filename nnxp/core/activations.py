"""Activation functions g(Z) and the backward step dZ = dA * g'(Z).

Every function takes the namespace ``xp`` first, so a caller looks it up once
and passes it down. Shapes: ``Z``, ``A``, ``dA``, ``dZ`` are all ``(n[l], m)``.
All are elementwise except softmax, which works on each column (over the
``n[l]`` units, axis 0) and whose backward step is its Jacobian-vector product.
"""

LEAKY_SLOPE = 0.01


def sigmoid(xp, Z):
    """sigma(Z) = 1 / (1 + exp(-Z)), computed from exp(-|Z|) so it never overflows."""
    E = xp.exp(-xp.abs(Z))
    S = 1 / (1 + E)  # sigma(|Z|); sigma(-|Z|) = E sigma(|Z|)
    return xp.where(Z >= 0, S, E * S)


def sigmoid_backward(xp, dA, Z, A):
    """dZ = dA * sigma'(Z) = dA * A (1 - A)."""
    return dA * A * (1 - A)


def tanh(xp, Z):
    """tanh(Z)."""
    return xp.tanh(Z)


def tanh_backward(xp, dA, Z, A):
    """dZ = dA * (1 - A^2)."""
    return dA * (1 - A * A)


def relu(xp, Z):
    """max(0, Z)."""
    return xp.maximum(Z, 0)


def relu_backward(xp, dA, Z, A):
    """dZ = dA * [Z > 0] (the derivative at 0 is taken as 0), read from A: A > 0 exactly where Z > 0,
    so the training step need not keep Z.

    A multiply by the mask cast to dA's dtype, not ``where``: on random signs
    ``where`` mispredicts a branch per element (NumPy and PyTorch CPU, 8-15x slower).
    """
    dZ = xp.astype(A > 0, dA.dtype)
    dZ *= dA  # in place on the fresh mask (JAX rebinds): one temporary fewer
    return dZ


def leaky_relu(xp, Z):
    """max(0.01 Z, Z)."""
    return xp.maximum(Z, LEAKY_SLOPE * Z)  # the slope is below 1; branch-free


def leaky_relu_backward(xp, dA, Z, A):
    """dZ = dA where Z > 0, else 0.01 dA; read from A (A > 0 exactly where Z > 0, as for ReLU)."""
    return dA * (xp.astype(A > 0, dA.dtype) * (1 - LEAKY_SLOPE) + LEAKY_SLOPE)


def softmax(xp, Z):
    """A[i, j] = exp(Z[i, j]) / sum_k exp(Z[k, j]): each column of A sums to 1.

    Computed after subtracting each column's max, so exp never overflows (in float32 too)
    and a column holds at least one 1 before normalising.
    """
    E = xp.exp(Z - xp.max(Z, axis=0, keepdims=True))
    E /= xp.sum(E, axis=0, keepdims=True)  # in place on the fresh exponentials (JAX rebinds)
    return E


def softmax_backward(xp, dA, Z, A):
    """dZ = A * (dA - sum_k A[k] dA[k]) per column: the softmax Jacobian applied to dA."""
    return A * (dA - xp.sum(A * dA, axis=0, keepdims=True))


def identity(xp, Z):
    """g(Z) = Z: the "linear" activation of regression outputs."""
    return Z


def identity_backward(xp, dA, Z, A):
    """dZ = dA."""
    return dA


ACTIVATIONS = {
    "sigmoid": (sigmoid, sigmoid_backward),
    "tanh": (tanh, tanh_backward),
    "relu": (relu, relu_backward),
    "leaky_relu": (leaky_relu, leaky_relu_backward),
    "softmax": (softmax, softmax_backward),
    "linear": (identity, identity_backward),
}
"""Name -> ``(g, g_backward)``: ``g(xp, Z) -> A`` and ``g_backward(xp, dA, Z, A) -> dZ``, all ``(n[l], m)``.
Every ``g_backward`` reads A, not Z (the training step keeps no hidden Z)."""


def get_activation(name):
    """The ``(forward, backward)`` pair of activation ``name``."""
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"activation must be one of {sorted(ACTIVATIONS)}, got {name!r}"
        ) from None
