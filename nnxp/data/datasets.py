"""Binary and multi-class classification data sets in the course layout, ready for ``NeuralNetwork.fit``.

Every loader returns NumPy float64 arrays with samples as columns: ``X (n_x, m)`` and
``Y (1, m)`` holding class indices as floats (so ``A - Y`` needs no cast on any backend):
0.0 and 1.0 for a binary task, 0.0 .. C-1 for a C-class one (the model one-hot encodes them).

- Generated, NumPy only, deterministic for a seed: ``flower``, ``moons``, ``circles``,
  ``gaussian_quantiles`` return binary ``(X (2, m), Y (1, m))`` (the first three with class 0 first).
- Shipped with scikit-learn (extra ``datasets``), no download: ``breast_cancer`` (binary),
  ``digits`` (binary by default, ``classes=10`` for one class per digit), ``iris`` (3 classes).
- Files from the course: ``load_catvnoncat(data_dir)`` reads the two HDF5 files with h5py.

``get_dataset(name, **kwargs)`` gives every data set as a ``Split(X_train, Y_train, X_test, Y_test)``;
generated sets are split 80/20 with ``train_test_split``.
"""

import functools
import importlib
import numbers
import warnings
from pathlib import Path

import numpy as np

from .splits import Split, check_real, standardization, standardize, train_test_split

__all__ = [
    "flower", "moons", "circles", "gaussian_quantiles", "breast_cancer", "digits", "iris", "load_catvnoncat",
    "get_dataset", "DATASETS", "Split", "train_test_split", "standardization", "standardize", "DatasetError",
]

_EXTRA_HINT = "pip install 'nnxp[datasets]'"


class DatasetError(ValueError):
    """A data file exists but is not what the loader expects; the message names the file.

    >>> import pathlib, tempfile
    >>> from nnxp.data.datasets import load_catvnoncat
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     _ = (pathlib.Path(folder) / "train_catvnoncat.h5").write_text("not HDF5")
    ...     load_catvnoncat(folder)
    Traceback (most recent call last):
    ...
    nnxp.data.datasets.DatasetError: .../train_catvnoncat.h5 is not a readable HDF5 file (...)
    """


# ---------------------------------------------------------------- argument checks


def _check_m(m):
    if isinstance(m, bool) or not isinstance(m, numbers.Integral) or m < 2:
        raise ValueError(f"m must be an integer >= 2 (at least one sample per class), got {m!r}")
    return int(m)


def _labels(n_zeros, n_ones):
    """``Y (1, n_zeros + n_ones)``: n_zeros 0.0 then n_ones 1.0."""
    return np.concatenate([np.zeros(n_zeros), np.ones(n_ones)]).reshape(1, -1)


# ---------------------------------------------------------------- generated data sets


def flower(m=400, *, seed=1):
    """The course's planar "flower": two classes of petals, ``X (2, m)``, ``Y (1, m)``.

    Built exactly as the course's ``load_planar_dataset`` (m=400, a=4, N = m//2 per class,
    class 0 first) and with the same legacy ``np.random.RandomState(seed)`` stream, so the
    defaults reproduce the course's data bit for bit: logistic regression fits about 47% of
    it, a [2, 4, 1] tanh network about 90%. Odd m gives class 1 the extra point. NumPy float64.
    Raises ValueError for m not an integer >= 2.

    >>> from nnxp.data.datasets import flower
    >>> X, Y = flower()
    >>> X.shape, Y.shape, float(Y.mean())
    ((2, 400), (1, 400), 0.5)
    """
    m = _check_m(m)
    rng = np.random.RandomState(seed)
    columns = []
    for j, n in enumerate((m // 2, m - m // 2)):
        t = np.linspace(j * 3.12, (j + 1) * 3.12, n) + rng.randn(n) * 0.2  # theta
        r = 4 * np.sin(4 * t) + rng.randn(n) * 0.2  # radius, a = 4
        columns.append(np.stack([r * np.sin(t), r * np.cos(t)]))
    return np.concatenate(columns, axis=1), _labels(m // 2, m - m // 2)


def _arc(n, stop, *, endpoint=True):
    """``(2, n)``: n points on the unit circle at angles ``linspace(0, stop, n)``."""
    angle = np.linspace(0, stop, n, endpoint=endpoint)
    return np.stack([np.cos(angle), np.sin(angle)])


def _two_classes(class0, class1, noise, seed):
    """``(X, Y)`` from points ``class0 (2, n0)`` and ``class1 (2, n1)``, X plus N(0, noise^2)."""
    X = np.concatenate([class0, class1], axis=1)
    noisy = X + np.random.default_rng(seed).normal(0, noise, X.shape)
    return noisy, _labels(class0.shape[1], class1.shape[1])


def moons(m=400, *, noise=0.1, seed=0):
    """Two interleaving half circles, ``X (2, m)``, ``Y (1, m)``, class 0 first.

    Class 0 (m//2 points): the upper unit half circle centred at (0, 0); class 1: the lower
    one centred at (1, 0.5). Gaussian noise of standard deviation ``noise`` is added to X.
    NumPy float64. Raises ValueError for m not an integer >= 2 or a negative ``noise``.

    >>> from nnxp.data.datasets import moons
    >>> X, Y = moons(100, noise=0.2)
    >>> X.shape, Y[0, [0, -1]]
    ((2, 100), array([0., 1.]))
    """
    m, noise = _check_m(m), check_real("noise", noise, 0)
    lower = np.array([[1.0], [0.5]]) - _arc(m - m // 2, np.pi)
    return _two_classes(_arc(m // 2, np.pi), lower, noise, seed)


def circles(m=400, *, noise=0.05, factor=0.5, seed=0):
    """Two concentric circles, ``X (2, m)``, ``Y (1, m)``, class 0 first.

    Class 0 (m//2 points) lies evenly on the unit circle, class 1 on the circle of radius
    ``factor`` (0 < factor < 1); Gaussian noise of standard deviation ``noise`` is added to X.
    NumPy float64. Raises ValueError for m not an integer >= 2, a negative ``noise`` or a
    ``factor`` outside (0, 1).

    >>> from nnxp.data.datasets import circles
    >>> X, Y = circles(8, noise=0.0)
    >>> np.round(np.hypot(X[0], X[1]), 2), Y
    (array([1. , 1. , 1. , 1. , 0.5, 0.5, 0.5, 0.5]), array([[0., 0., 0., 0., 1., 1., 1., 1.]]))
    """
    m, noise = _check_m(m), check_real("noise", noise, 0)
    factor = check_real("factor", factor, 0, 1, open_low=True)
    outer = _arc(m // 2, 2 * np.pi, endpoint=False)
    inner = factor * _arc(m - m // 2, 2 * np.pi, endpoint=False)
    return _two_classes(outer, inner, noise, seed)


def gaussian_quantiles(m=400, *, seed=0):
    """Standard 2-D Gaussian split at its median radius, ``X (2, m)``, ``Y (1, m)``, as drawn.

    Like scikit-learn's ``make_gaussian_quantiles`` with two classes: the m//2 points nearest
    the origin are class 0, the others class 1, so the classes are balanced exactly.
    NumPy float64. Raises ValueError for m not an integer >= 2.

    >>> from nnxp.data.datasets import gaussian_quantiles
    >>> X, Y = gaussian_quantiles(100)
    >>> X.shape, float(Y.mean())
    ((2, 100), 0.5)
    """
    m = _check_m(m)
    X = np.random.default_rng(seed).standard_normal((2, m))
    Y = np.zeros((1, m))
    Y[0, np.argsort(np.sum(X**2, axis=0), kind="stable")[m // 2 :]] = 1.0
    return X, Y


# ---------------------------------------------------------------- splitting


def _split_generated(generator, *, test_size=0.2, **kwargs):
    """``generator(**kwargs)`` split by ``train_test_split`` with its seed (0 if not given)."""
    X, Y = generator(**kwargs)
    return train_test_split(X, Y, test_size=test_size, seed=kwargs.get("seed", 0))


# ---------------------------------------------------------------- scikit-learn's bundled data


def _import_optional(module, user):
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise ImportError(f"{user} needs {module.split('.')[0]}: {_EXTRA_HINT}") from exc


STANDARDIZED = ("breast_cancer", "digits", "iris")
"""The loaders that standardize their features, and take ``standardize=False`` for the raw ones."""


def _table_split(features, labels, test_size, seed, standardized):
    """Rows-as-samples ``features (m, n_x)`` to a ``Split``, standardized by the train set's statistics."""
    X = np.asarray(features, dtype=np.float64).T
    Y = np.asarray(labels, dtype=np.float64).reshape(1, -1)
    split = train_test_split(X, Y, test_size=test_size, seed=seed)
    return standardize(split) if standardized else split


def breast_cancer(*, test_size=0.25, seed=0, standardize=True):
    """Wisconsin breast cancer (569 samples, 30 features), standardized, as a ``Split``.

    ``X_* (30, m_*)``; ``Y`` keeps scikit-learn's coding: 1 = benign (357), 0 = malignant (212).
    ``standardize=False`` gives the raw features. Needs scikit-learn (extra ``datasets``):
    ImportError saying so without it.

    >>> from nnxp.data.datasets import breast_cancer
    >>> data = breast_cancer()
    >>> data.X_train.shape, data.X_test.shape
    ((30, 427), (30, 142))
    """
    sk_datasets = _import_optional("sklearn.datasets", "breast_cancer")
    data = sk_datasets.load_breast_cancer()
    return _table_split(data.data, data.target, test_size, seed, standardize)


def _check_digits(positive):
    """``positive`` (an int or an iterable of ints) as a set: some but not all of 0-9."""
    try:
        chosen = {positive} if isinstance(positive, numbers.Integral) else set(positive)
    except TypeError:
        chosen = set()
    if not chosen or not chosen < set(range(10)):
        raise ValueError(f"positive must be a digit 0-9 or some but not all of them, got {positive!r}")
    return sorted(chosen)


_EVEN_DIGITS = (0, 2, 4, 6, 8)  # digits' default ``positive``; identity tells "not given"


def digits(*, classes=2, positive=_EVEN_DIGITS, test_size=0.25, seed=0, standardize=True):
    """8x8 handwritten digits (1797 samples, 64 pixels), standardized, as a ``Split``.

    ``classes=2`` (binary): ``Y`` is 1 where the digit is in ``positive`` (an int or some of
    0-9): the default asks even versus odd (balanced); ``positive=3`` asks 3 versus the rest
    (about 10% positive). ``classes=10``: ``Y`` holds the digit itself, 0.0 .. 9.0, and
    ``positive`` must be left out. ``X_* (64, m_*)``, ``Y_* (1, m_*)``, split stratified by
    ``Y``. ``standardize=False`` gives the raw pixels. Needs scikit-learn (extra ``datasets``).
    Raises ValueError for ``classes`` other than 2 and 10, a bad ``positive``, or ``positive``
    with ``classes=10``.

    >>> from nnxp.data.datasets import digits
    >>> data = digits(classes=10)
    >>> data.X_train.shape, np.unique(data.Y_train).size
    ((64, 1347), 10)
    """
    if isinstance(classes, bool) or not isinstance(classes, numbers.Integral) or classes not in (2, 10):
        raise ValueError(
            f"classes must be 2 (a binary task given by positive) or 10 (one class per digit), got {classes!r}"
        )
    if classes == 10 and positive is not _EVEN_DIGITS:
        raise ValueError(f"positive applies to classes=2 only; leave it out with classes=10, got positive={positive!r}")
    positive = _check_digits(positive) if classes == 2 else None
    sk_datasets = _import_optional("sklearn.datasets", "digits")
    data = sk_datasets.load_digits()
    labels = np.isin(data.target, positive) if classes == 2 else data.target
    return _table_split(data.data, labels, test_size, seed, standardize)


def iris(*, test_size=0.25, seed=0, standardize=True):
    """Fisher's iris (150 samples, 4 features, 3 classes of 50), standardized, as a ``Split``.

    ``X_* (4, m_*)``; ``Y_* (1, m_*)`` keeps scikit-learn's coding: 0 = setosa, 1 = versicolor,
    2 = virginica; split stratified by class. ``standardize=False`` gives the raw measurements.
    Needs scikit-learn (extra ``datasets``).

    >>> from nnxp.data.datasets import iris
    >>> data = iris()
    >>> data.X_train.shape, np.unique(data.Y_test)
    ((4, 114), array([0., 1., 2.]))
    """
    sk_datasets = _import_optional("sklearn.datasets", "iris")
    data = sk_datasets.load_iris()
    return _table_split(data.data, data.target, test_size, seed, standardize)


# ---------------------------------------------------------------- the course's cat files


def _read_h5(path, x_key, y_key):
    """``(x (m, 64, 64, 3) uint8, y (m,))`` from one course file; DatasetError naming it if not."""
    h5py = _import_optional("h5py", "load_catvnoncat")
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file (the course's {path.name} is expected here)")
    try:
        with h5py.File(path, "r") as f:
            missing = [key for key in (x_key, y_key) if key not in f]
            if missing:
                raise DatasetError(f"{path} lacks dataset(s) {missing}; expected keys {x_key!r} and {y_key!r}")
            x, y = f[x_key][()], f[y_key][()]
    except OSError as exc:
        raise DatasetError(f"{path} is not a readable HDF5 file ({exc})") from exc
    if x.dtype != np.uint8 or x.ndim != 4 or x.shape[1:] != (64, 64, 3) or y.shape != x.shape[:1]:
        raise DatasetError(
            f"{path}: expected {x_key} (m, 64, 64, 3) uint8 and {y_key} (m,), "
            f"got {x.shape} {x.dtype} and {y.shape}"
        )
    if not np.isin(y, (0, 1)).all():
        raise DatasetError(f"{path}: {y_key} must hold labels 0 and 1 only, got {np.unique(y)[:5]}")
    return x, y


def load_catvnoncat(data_dir):
    """The course's cat / non-cat images from ``data_dir`` as a ``Split``.

    Reads ``train_catvnoncat.h5`` and ``test_catvnoncat.h5`` and flattens them as the course
    does, ``x.reshape(m, -1).T / 255.``: ``X_train (12288, 209)``, ``X_test (12288, 50)`` in
    [0, 1], ``Y_* (1, m)`` with 1 = cat. Needs h5py (extra ``datasets``). A missing file raises
    FileNotFoundError; a file that is not HDF5, lacks a key or has other shapes, DatasetError.

    >>> from nnxp.data.datasets import load_catvnoncat
    >>> load_catvnoncat("no/such/folder")   # the folder holding the course's two .h5 files
    Traceback (most recent call last):
    ...
    FileNotFoundError: no/such/folder/train_catvnoncat.h5: no such file (...)
    """
    arrays = []
    for part in ("train", "test"):
        x, y = _read_h5(Path(data_dir) / f"{part}_catvnoncat.h5", f"{part}_set_x", f"{part}_set_y")
        arrays += [x.reshape(x.shape[0], -1).T / 255.0, y.reshape(1, -1).astype(np.float64)]
    return Split(*arrays)


# ---------------------------------------------------------------- registry

DATASETS = {
    "flower": functools.partial(_split_generated, flower),
    "moons": functools.partial(_split_generated, moons),
    "circles": functools.partial(_split_generated, circles),
    "gaussian_quantiles": functools.partial(_split_generated, gaussian_quantiles),
    "breast_cancer": breast_cancer,
    "digits": digits,
    "iris": iris,
    "cat": load_catvnoncat,
}
"""Name -> loader returning a ``Split``. Generated sets take their generator's keywords plus
``test_size=0.2`` and are split with their ``seed`` (0 when not given); "cat" needs ``data_dir``."""


def get_dataset(name, **kwargs):
    """The data set called ``name`` (a key of ``DATASETS``) as a ``Split``; kwargs go to its loader.

    ``get_dataset("flower")``, ``get_dataset("moons", noise=0.2, seed=3)``, ``get_dataset("cat", data_dir="datasets")``.
    Raises ValueError for an unknown ``name``, and whatever its loader raises.

    >>> from nnxp.data.datasets import get_dataset
    >>> [array.shape for array in get_dataset("moons", m=100, noise=0.2, seed=3)]
    [(2, 80), (1, 80), (2, 20), (1, 20)]
    """
    try:
        loader = DATASETS[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown dataset {name!r}; known: {', '.join(DATASETS)}") from None
    return loader(**kwargs)


def __getattr__(name):
    """``load``, nnxp 0.1's name of :func:`get_dataset`, with a DeprecationWarning: ``load`` is the
    checkpoint's verb (:func:`nnxp.load`)."""
    if name == "load":
        warnings.warn("nnxp.data.datasets.load is get_dataset now (nnxp.load loads a checkpoint)",
                      DeprecationWarning, stacklevel=2)
        return get_dataset
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
