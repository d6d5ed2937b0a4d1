"""Train/test splits in course layout and the standardization of their features.

A :class:`Split` holds ``X_* (n_x, m_*)`` and ``Y_* (rows, m_*)`` with the samples as columns;
:func:`train_test_split` makes one, stratified by class, and :func:`standardize` scales both sets'
features by the training set's statistics. :mod:`nnxp.data.datasets` gives them to users.
"""

import math
import numbers
from collections import namedtuple

import numpy as np

Split = namedtuple("Split", "X_train Y_train X_test Y_test")
Split.__doc__ = """A train/test split in course layout, float64: ``X_* (n_x, m_*)`` and ``Y_* (1, m_*)`` of class
indices (or whatever rows ``Y`` had, e.g. one-hot ``(C, m_*)``, when split by ``train_test_split``).

>>> from nnxp.data.datasets import get_dataset
>>> X_train, Y_train, X_test, Y_test = get_dataset("flower")
>>> X_train.shape, Y_test.shape
((2, 320), (1, 80))
"""


def check_real(name, value, low, high=math.inf, *, open_low=False):
    """``value`` as a float, else ValueError naming ``name``: low <= value < high (low < value if open)."""
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool)
    ok = ok and (value > low if open_low else value >= low) and value < high
    if not ok:
        bounds = f"{'(' if open_low else '['}{low}, {high})"
        raise ValueError(f"{name} must be a real number in {bounds}, got {value!r}")
    return float(value)


def train_test_split(X, Y, *, test_size=0.2, seed=0, stratify=True):
    """Stratified, deterministic split of ``X (n_x, m)`` and labels ``Y (C, m)`` into a ``Split``.

    ``Y`` may be ``(1, m)`` of labels (0/1, class indices 0..C-1, any values) or ``(C, m)``,
    e.g. one-hot: each distinct value of a ``(1, m)`` Y, or each distinct column of a
    ``(C, m)`` one, is a class. Each class puts ``round(test_size * its count)`` of its
    samples, the first in one shuffled order (``numpy.random.default_rng(seed)``), in the
    test set; both sets keep that shuffled order and ``Y``'s rows. ``stratify=False`` (for
    regression targets) takes the first ``round(test_size * m)`` of that order instead.
    Raises ValueError for ``test_size`` outside (0, 1), X and Y not 2-D with m columns each, or
    a split leaving one side empty.

    >>> from nnxp.data.datasets import train_test_split
    >>> X, Y = np.arange(12.0).reshape(2, 6), np.array([[0.0, 0.0, 0.0, 1.0, 1.0, 1.0]])
    >>> split = train_test_split(X, Y, test_size=1/3)            # one sample of each class to test
    >>> split.X_train.shape, split.Y_test
    ((2, 4), array([[1., 0.]]))
    """
    test_size = check_real("test_size", test_size, 0, 1, open_low=True)
    if np.ndim(X) != 2 or np.ndim(Y) != 2 or np.shape(X)[1] != np.shape(Y)[1]:
        raise ValueError(
            f"X and Y must be (n_x, m) and (C, m) with samples as columns, got {np.shape(X)} and {np.shape(Y)}"
        )
    order = np.random.default_rng(seed).permutation(Y.shape[1])
    in_test = np.zeros(Y.shape[1], dtype=bool)
    if stratify:
        _, label_of = np.unique(Y, axis=1, return_inverse=True)  # column j is class label_of[j]
    else:
        label_of = np.zeros(Y.shape[1], dtype=np.intp)  # one class: a plain shuffled split
    label_of = label_of.reshape(-1)
    for label in range(label_of.max() + 1 if label_of.size else 0):
        members = order[label_of[order] == label]
        in_test[members[: round(test_size * members.size)]] = True
    train, test = order[~in_test[order]], order[in_test[order]]
    if train.size == 0 or test.size == 0:
        raise ValueError(f"test_size={test_size} leaves an empty train or test set for m={Y.shape[1]}")
    return Split(X[:, train], Y[:, train], X[:, test], Y[:, test])


def standardization(X_train):
    """``(mean, std)``, each ``(n_x, 1)``, of each feature (row) of ``X_train (n_x, m)``; a feature
    constant there gets std 1, so it is only centred. NumPy in, NumPy out.

    >>> from nnxp.data.datasets import standardization
    >>> standardization(np.array([[1.0, 3.0], [5.0, 5.0]]))
    (array([[2.],
           [5.]]), array([[1.],
           [1.]]))
    """
    mean = X_train.mean(axis=1, keepdims=True)
    std = X_train.std(axis=1, keepdims=True)
    std[std == 0] = 1.0
    return mean, std


def standardize(split):
    """``split`` with both X scaled by the train set's :func:`standardization`: ``(X - mean) / std``.

    ``X_train (n_x, m_train)`` and ``X_test (n_x, m_test)`` change; the Y's are kept.

    >>> from nnxp.data.datasets import get_dataset, standardize
    >>> split = standardize(get_dataset("moons"))
    >>> np.round(split.X_train.mean(axis=1), 6), np.round(split.X_train.std(axis=1), 6)
    (array([0., 0.]), array([1., 1.]))
    """
    mean, std = standardization(split.X_train)
    return split._replace(X_train=(split.X_train - mean) / std, X_test=(split.X_test - mean) / std)
