"""L2 regularization and mini-batches (the optimizers are in :mod:`nnxp.optimizers`).

Written against the array API like the kernels; names follow the course (``random_mini_batches``).
"""

import array_api_compat

from .backend import host_rng, namespace


def _l2_cost(xp, parameters, l2, m):
    weights = [W for key, W in parameters.items() if key.startswith("W")]
    return sum(xp.sum(W * W) for W in weights) * (l2 / (2 * m))


def l2_cost(parameters, l2, m):
    """The L2 penalty (lambda / 2m) sum_l ||W{l}||_F^2 to add to the cost J.

    ``parameters`` ``{"W1": (n[1], n[0]), "b1": (n[1], 1), ...}`` (the b's are not penalised),
    ``l2`` lambda, ``m`` the samples. A 0-d array in the weights' dtype.

    >>> parameters = {"W1": np.array([[1.0, 2.0]]), "b1": np.array([[5.0]])}
    >>> float(nnxp.l2_cost(parameters, l2=0.1, m=2))  # 0.1 / 4 * (1 + 4)
    0.125
    """
    return _l2_cost(namespace(*parameters.values()), parameters, l2, m)


def add_l2_gradients(grads, parameters, l2, m):
    """The gradients of J + L2 penalty: dW{l} + (lambda / m) W{l}; db{l} unchanged. A new dict.

    ``grads`` ``{"dW1": (n[1], n[0]), "db1": (n[1], 1), ...}`` (other keys, e.g. ``dA1``, are kept)
    and ``parameters`` as for :func:`l2_cost`.

    >>> parameters = {"W1": np.array([[1.0, 2.0]]), "b1": np.array([[5.0]])}
    >>> grads = {"dW1": np.array([[0.5, 0.5]]), "db1": np.array([[1.0]])}
    >>> nnxp.add_l2_gradients(grads, parameters, l2=0.1, m=2)
    {'dW1': array([[0.55, 0.6 ]]), 'db1': array([[1.]])}
    """
    scale = l2 / m
    return {
        key: g + scale * parameters[key[1:]] if key.startswith("dW") else g
        for key, g in grads.items()
    }


def shuffled_batches(m, batch_size, seed, epoch):
    """Host index arrays of the mini-batches of ``epoch``: a permutation of ``range(m)`` cut into
    ``batch_size`` pieces, the last partial one kept.

    The permutation comes from ``numpy.random.default_rng((seed, epoch))``, so epoch k is shuffled
    the same way whether training ran straight through or was resumed.
    """
    permutation = host_rng((seed, epoch)).permutation(m)
    return [permutation[k : k + batch_size] for k in range(0, m, batch_size)]


def _mini_batches(xp, X, Y, mini_batch_size, seed, epoch):
    device = array_api_compat.device(X)
    batches = []
    for index in shuffled_batches(X.shape[1], mini_batch_size, seed, epoch):
        index = xp.asarray(index, device=device)
        batches.append((xp.take(X, index, axis=1), xp.take(Y, index, axis=1)))
    return batches


def random_mini_batches(X, Y, mini_batch_size=64, seed=0, epoch=0):
    """``[(X_t, Y_t), ...]``: the columns of ``X (n_x, m)`` and ``Y (n[L], m)`` shuffled together
    (indices drawn on the host, applied on the device with ``take``) and cut into mini-batches.

    Each batch has ``mini_batch_size`` columns, the last one the rest. The shuffle is
    ``numpy.random.default_rng((seed, epoch)).permutation(m)``: the same for the same seed and epoch.

    >>> X, Y = np.array([[0.0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]), np.array([[0.0, 1.0, 0.0, 1.0, 1.0]])
    >>> [X_t.shape for X_t, Y_t in nnxp.random_mini_batches(X, Y, mini_batch_size=2)]
    [(2, 2), (2, 2), (2, 1)]
    """
    return _mini_batches(namespace(X, Y), X, Y, mini_batch_size, seed, epoch)
