"""Mini-batches (the optimizers are in :mod:`nnxp.optimizers`, L2 in :mod:`nnxp.penalties`).

Written against the array API like the kernels; names follow the course (``random_mini_batches``).
"""

import array_api_compat

from .backend import host_rng, namespace


def shuffled_batches(m, batch_size, seed, epoch):
    """Host index arrays of the mini-batches of ``epoch``: a permutation of ``range(m)`` cut into
    ``batch_size`` pieces, the last partial one kept.

    The permutation comes from ``numpy.random.default_rng((seed, epoch))``, so epoch k is shuffled
    the same way whether training ran straight through or was resumed.
    """
    permutation = host_rng((seed, epoch)).permutation(m)
    return [permutation[k : k + batch_size] for k in range(0, m, batch_size)]


def _mini_batches(xp, X, Y, mini_batch_size, seed, epoch):
    """The batches of :func:`shuffled_batches`, gathered in one ``take`` per array and epoch: ``X`` and
    ``Y`` permuted once (one shuffled copy), each batch a slice of that copy (a view, no gather).

    One gather of all the columns reads ``X`` in whatever layout it has at memory speed; a gather
    per batch of a few scattered columns would read a column-major ``X`` (a row-major table's
    ``X.T``, what the scikit-learn estimators pass) stride by stride, 25 times slower (measured)."""
    m = X.shape[1]
    order = xp.asarray(host_rng((seed, epoch)).permutation(m), device=array_api_compat.device(X))
    X_p, Y_p = xp.take(X, order, axis=1), xp.take(Y, order, axis=1)
    starts = range(0, m, mini_batch_size)
    return [(X_p[:, k:min(k + mini_batch_size, m)], Y_p[:, k:min(k + mini_batch_size, m)]) for k in starts]


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
