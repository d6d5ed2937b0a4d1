"""Mini-batches (the optimizers are in :mod:`nnxp.core.optimizers`, L2 in :mod:`nnxp.core.penalties`).

Written against the array API like the kernels; names follow the course (``random_mini_batches``).
"""

import array_api_compat

from ..core.backend import column_major, host_rng, namespace


def shuffled_batches(m, batch_size, seed, epoch):
    """Host index arrays of the mini-batches of ``epoch``: a permutation of ``range(m)`` cut into
    ``batch_size`` pieces, the last partial one kept.

    The permutation comes from ``numpy.random.default_rng((seed, epoch))``, so epoch k is shuffled
    the same way whether training ran straight through or was resumed.
    """
    permutation = host_rng((seed, epoch)).permutation(m)
    return [permutation[k : k + batch_size] for k in range(0, m, batch_size)]


def _shuffled(xp, A, order):
    """The columns of ``A`` in ``order``, gathered in the layout ``A`` has: a column-major ``A`` (each
    sample's features together) as rows of its transpose, so every sample is one contiguous read and
    the copy is column-major too. NumPy's ``take`` along a non-contiguous axis first copies the whole
    array (measured: twice the data at the peak, every epoch)."""
    if column_major(A):
        return xp.permute_dims(xp.take(xp.permute_dims(A, (1, 0)), order, axis=0), (1, 0))
    return xp.take(A, order, axis=1)


def _mini_batches(xp, X, Y, mini_batch_size, seed, epoch):
    """The batches of :func:`shuffled_batches`, gathered in one ``take`` per array and epoch: ``X`` and
    ``Y`` permuted once (one shuffled copy, ``X``'s in its own layout), each batch a slice of that copy
    (a view, no gather). Peak memory: the data and that one copy. (``Y``'s batches are row-major
    whatever its layout, so one-hot targets and class indices train bit for bit alike.)

    One gather of all the columns reads ``X`` at memory speed in either layout; a gather per batch of
    a few scattered columns would read a column-major ``X`` (a row-major table's ``X.T``, what the
    scikit-learn estimators pass) stride by stride, 25 times slower (measured)."""
    m = X.shape[1]
    order = xp.asarray(host_rng((seed, epoch)).permutation(m), device=array_api_compat.device(X))
    X_p, Y_p = _shuffled(xp, X, order), xp.take(Y, order, axis=1)  # Y's few rows: its batches row-major
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
