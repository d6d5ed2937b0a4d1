"""Data larger than one machine's memory on the command line: ``--zarr`` stores and ``--csv`` globs,
read lazily as Dask arrays in course layout and prepared like :mod:`nnxp.data.tables`'s tables.

- ``--zarr PATH``: a zarr group holding ``X (n_x, m)`` and ``Y (1 or n[L], m)`` in course layout, of
  numbers (class indices 0..C-1 or 0/1 labels, or real targets);
- ``--csv 'parts/*.csv'`` (a pattern with ``*``, ``?`` or ``[``): the files read with
  ``dask.dataframe``, one sample per row, as a single table; the numeric columns other than
  ``--target`` are the features, as for one CSV file.

The task is inferred as for one file (text or at most :data:`nnxp.data.tables.MAX_CLASSES` whole
numbers: classes) from the target's distinct values, computed once. A test split of ``test_size``
is held out (drawn from ``seed``; not stratified), the features are standardized with the training
split's statistics (one pass), regression targets too, and everything stays lazy: training streams
the chunks (:mod:`nnxp.dask.runner`). Needs Dask (extra ``dask``).
"""

import numpy as np

from .datasets import Split
from ..model.preprocessing import Preprocessing, encode_labels
from .tables import MAX_CLASSES, Prepared, warn_if_continuous


def is_glob(path):
    """Whether a ``--csv`` value is a pattern of several files."""
    return any(char in str(path) for char in "*?[")


def read_zarr(path, option="--zarr"):
    """``(X, Y)``: the Dask arrays ``X`` and ``Y`` of the zarr group at ``path``; one line if not there."""
    import dask.array as da

    try:
        X, Y = da.from_zarr(str(path), component="X"), da.from_zarr(str(path), component="Y")
    except (FileNotFoundError, KeyError, ValueError, OSError) as exc:
        raise ValueError(f"{option} {path} is not a zarr group with arrays X (n_x, m) and Y (rows, m): "
                         f"{type(exc).__name__}: {exc}") from None
    return check_pair(X, Y, f"{option} {path}")


def check_pair(X, Y, where):
    """``(X, Y)`` when ``X`` is ``(n_x, m)`` and ``Y`` is ``(m,)`` or ``(rows, m)``, of numbers: the same
    samples (columns); ValueError naming ``where`` and both shapes otherwise."""
    if X.ndim != 2 or Y.ndim not in (1, 2) or Y.shape[-1] != X.shape[1]:
        raise ValueError(f"{where}: X must be (n_x, m) and Y (rows, m) with the same m samples (columns), "
                         f"got X {tuple(X.shape)} and Y {tuple(Y.shape)}")
    for name, array in (("X", X), ("Y", Y)):
        if array.dtype.kind not in "biuf":
            raise TypeError(f"{where}: {name} must hold numbers, got dtype {array.dtype}")
    return X, Y


def read_csv_glob(pattern, target, option="--csv"):
    """``(X, y, names)``: the numeric feature columns of the files matching ``pattern`` as a Dask
    ``X (n_x, m)``, the ``target`` column as a Dask ``y (m,)``, and the feature names.

    A pattern that matches no file, or files that cannot be read, is a ValueError naming ``option``,
    the pattern and the reader's own reason (not Dask's wrapper around it)."""
    import dask.dataframe as dd
    import fsspec

    def unreadable(exc):
        reason = exc.__cause__ or exc  # dask wraps it: "An error occurred while calling the read_csv method ..."
        return ValueError(f"{option} {pattern}: {str(reason).strip().splitlines()[0]}")

    fs, path = fsspec.core.url_to_fs(str(pattern))  # the file systems that dask reads through
    files = [fs.unstrip_protocol(name) for name in sorted(fs.glob(path)) if not fs.isdir(name)]  # *, ?, [...]
    if not files:
        raise ValueError(f"{option} {pattern}: the pattern matches no file")
    try:
        frame = dd.read_csv(files)
    except (OSError, ValueError) as exc:
        raise unreadable(exc) from None
    if target not in frame.columns:
        raise ValueError(f"{option} {pattern} has no column {target!r}; its columns are {list(frame.columns)}")
    names = [str(name) for name in frame.columns if name != target]
    text = [name for name in names if frame[name].dtype.kind not in "biuf"]
    if text:
        raise ValueError(f"{option} {pattern}: feature columns {text} are not numeric; encode them as numbers first")
    y = frame[target] if frame[target].dtype.kind in "biuf" else frame[target].astype(object)  # text: str objects
    try:  # lengths=True reads every file once: a malformed one fails here
        X = frame[names].to_dask_array(lengths=True).astype(np.float64).T
        return X, y.to_dask_array(lengths=True), np.array(names)
    except (OSError, ValueError) as exc:
        raise unreadable(exc) from None


def _task(values):
    """``"classification"`` for text or few whole numbers among the target's distinct ``values``."""
    if values.dtype.kind not in "biuf":
        return "classification"
    whole = bool(np.all(values == np.round(values)))
    return "classification" if whole and values.size <= MAX_CLASSES else "regression"


def _targets(y, task, where):
    """``(Y (rows, m) lazy, preprocessing)``: class indices of the labels, or the target as it is."""
    import dask.array as da

    if task == "classification":
        classes = np.unique(da.unique(y.ravel()).compute())
        classes = classes if classes.dtype.kind in "biuf" else classes.astype(str)  # text: plain strings
        if classes.size < 2:
            raise ValueError(f"{where}: the target holds a single class {classes.tolist()}")
        warn_if_continuous(classes, y.size, f"{where}: the target")
        encoded = y.reshape(1, -1).map_blocks(encode_labels, classes, where, dtype=np.float64)
        return encoded, {"classes": classes}
    if y.dtype.kind not in "biuf":
        raise ValueError(f"{where}: a regression needs a numeric target")
    return (y.reshape(1, -1) if y.ndim == 1 else y).astype(np.float64), {}


def split_columns(X, Y, fraction, seed):
    """A :class:`~nnxp.data.datasets.Split` of lazy ``X``, ``Y``: ``fraction`` of the columns, drawn from
    ``seed`` (not stratified), held out; both parts keep the columns' order."""
    m = X.shape[1]
    held = np.sort(np.random.default_rng(seed).permutation(m)[: round(fraction * m)])
    kept = np.setdiff1d(np.arange(m), held)
    if held.size == 0 or kept.size == 0:
        raise ValueError(f"holding out {fraction} of m={m} samples leaves an empty part: too few samples")
    return Split(X[:, kept], Y[:, kept], X[:, held], Y[:, held])


def _statistics(A):
    """``(mean, std)``, each ``(rows, 1)``, of lazy ``A`` over its columns in one pass; a constant row
    gets std 1, as :func:`nnxp.data.datasets.standardization` gives it."""
    import dask

    mean, std = dask.compute(A.mean(axis=1, keepdims=True), A.std(axis=1, keepdims=True))
    std[std == 0] = 1.0
    return mean, std


def prepare(X, y, task, *, test_size=0.2, seed=0, where="--zarr", names=None, target=None):
    """:class:`~nnxp.data.tables.Prepared` lazy data of Dask ``X (n_x, m)`` and targets ``y``: the task
    (``task`` None: inferred), the test split, the standardized features (and regression targets)."""
    import dask.array as da

    if task is None:
        values = da.unique(y.ravel()).compute() if y.ndim == 1 or y.shape[0] == 1 else np.zeros(0)
        task = _task(values) if values.size else "regression"
    Y, preprocessing = _targets(y, task, where)
    split = split_columns(X, Y, test_size, seed)
    mean, std = _statistics(split.X_train)
    preprocessing.update(mean=mean, std=std)
    if names is not None:
        preprocessing.update(feature_names=names, target=np.array(str(target)))
    split = split._replace(X_train=(split.X_train - mean) / std, X_test=(split.X_test - mean) / std)
    if task == "regression":
        y_mean, y_std = _statistics(split.Y_train)
        split = split._replace(Y_train=(split.Y_train - y_mean) / y_std, Y_test=(split.Y_test - y_mean) / y_std)
        shape = () if y_mean.size == 1 else y_mean.shape
        preprocessing.update(target_mean=y_mean.reshape(shape), target_std=y_std.reshape(shape))
    return Prepared(split, Preprocessing(preprocessing), "mse" if task == "regression" else None)
