"""Tables in, course layout out: CSV files, and the preprocessing that travels with a model.

A CSV file has samples as rows and one column per feature, one of them the target. Its numeric
columns are the features (a non-numeric one is an error naming it: encode it first, e.g. with
``pandas.get_dummies``); missing or infinite values are an error naming their columns too. A first
column named ``Unnamed: 0`` holding 0, 1, 2, ... is the index pandas saved with ``to_csv``: it is
dropped, with a warning. The run's preparation (feature statistics, column names, classes,
target statistics) is a :class:`~nnxp.model.preprocessing.Preprocessing`, saved with the model
(``NeuralNetwork.preprocessing_``) and applied by every later ``predict``/``evaluate``.

Needs pandas for CSV (extra ``csv``).
"""

import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .datasets import Split, standardization, train_test_split
from ..model.preprocessing import Preprocessing, encode_labels

MAX_CLASSES = 20
"""A numeric target of whole numbers with at most this many distinct values is taken as classes."""

TASKS = ("classification", "regression")


@dataclass(frozen=True)
class Prepared:
    """A training run's data: the standardized ``split``, its ``preprocessing`` and the ``loss``
    (None: the model's default for its output units; ``"mse"`` for regression)."""

    split: Split
    preprocessing: Preprocessing
    loss: str | None = None


# ---------------------------------------------------------------- reading


def read_csv(path, option="--csv"):
    """The CSV file at ``path`` as a pandas DataFrame; one-line errors naming ``option`` otherwise."""
    try:
        import pandas
    except ImportError as exc:
        raise ImportError(f"{option} reads CSV files with pandas: pip install 'nnxp[csv]'") from exc
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{option} {path}: no such file")
    try:
        frame = pandas.read_csv(path)
    except (pandas.errors.EmptyDataError, pandas.errors.ParserError, UnicodeDecodeError) as exc:
        raise ValueError(f"{option} {path} is not a readable CSV table: {str(exc).strip()}") from None
    if frame.shape[0] == 0:
        raise ValueError(f"{option} {path} has a header but no rows")
    return _without_saved_index(frame, f"{option} {path}")


SAVED_INDEX = "Unnamed: 0"
"""The name pandas reads for the unnamed first column that ``DataFrame.to_csv`` writes (the index)."""


def _without_saved_index(frame, where):
    """``frame`` less its first column when that is a saved pandas index (``Unnamed: 0``: 0, 1, 2, ...)."""
    first = frame.columns[0]
    if first != SAVED_INDEX or not np.array_equal(frame[first].to_numpy(), np.arange(frame.shape[0])):
        return frame
    warnings.warn(f"{where}: its first column {SAVED_INDEX!r} is a saved pandas index (0, 1, 2, ...), not a "
                  "feature: it is left out (write the file with to_csv(index=False) to avoid it)", UserWarning,
                  stacklevel=3)
    return frame.drop(columns=first)


def _column(frame, name, where):
    if name not in frame.columns:
        raise ValueError(f"{where} has no column {name!r}; its columns are {list(map(str, frame.columns))}")
    return frame[name]


def feature_matrix(frame, names, where):
    """``X (n_x, m)`` float64 from the columns ``names`` of ``frame``: all present, numeric, complete."""
    missing = [name for name in names if name not in frame.columns]
    if missing:
        raise ValueError(f"{where} lacks the model's feature columns {missing}")
    table = frame[list(names)]
    text = {name: _first_text(table[name]) for name in names if not _is_numeric(table[name])}
    if text:
        shown = ", ".join(f"{name!r} holds {value!r} in row {row}" for name, (row, value) in text.items())
        raise ValueError(f"{where}: feature columns {list(text)} are not numeric ({shown}); fix the values, or "
                         "encode categories as numbers (e.g. one 0/1 column per category with pandas.get_dummies)")
    holes = [name for name in names if table[name].isna().any()]
    if holes:
        raise ValueError(f"{where}: feature columns {holes} have missing values; fill or drop them first")
    X = table.to_numpy(dtype=np.float64).T
    infinite = [name for name, row in zip(names, X) if not np.all(np.isfinite(row))]
    if infinite:
        raise ValueError(f"{where}: feature columns {infinite} hold infinite values; fix or drop those rows")
    return X


def _first_text(column):
    """``(row, value)``: the first value of ``column`` that does not read as a number (rows from 1)."""
    import pandas

    numbers = pandas.to_numeric(column, errors="coerce")
    row = int(np.flatnonzero(numbers.isna().to_numpy() & column.notna().to_numpy())[0])
    return row + 1, column.iloc[row]


def _is_numeric(column):
    return column.dtype.kind in "biuf"


# ---------------------------------------------------------------- the target


def infer_task(column):
    """``"classification"`` for text, booleans and whole numbers with few distinct values
    (:data:`MAX_CLASSES`), else ``"regression"``."""
    if not _is_numeric(column) or column.dtype.kind == "b":
        return "classification"
    values = column.to_numpy(dtype=np.float64)
    whole = bool(np.all(values == np.round(values)))
    return "classification" if whole and column.nunique() <= MAX_CLASSES else "regression"


def _labels(column, where):
    """The target's values as a 1-D array: numbers stay numbers, anything else becomes text."""
    if column.isna().any():
        raise ValueError(f"{where}: the target column {column.name!r} has missing values")
    return column.to_numpy() if _is_numeric(column) else column.astype(str).to_numpy(dtype=str)


def _targets(column, task, where):
    """``(Y (1, m), preprocessing)`` of the target for ``task``; regression targets standardized later."""
    values = _labels(column, where)
    if task == "classification":
        classes = np.unique(values)
        if classes.size < 2:
            raise ValueError(f"{where}: the target column {column.name!r} holds a single class {classes.tolist()}")
        warn_if_continuous(classes, values.size, f"{where}: the target column {column.name!r}")
        return encode_labels(values, classes, where), {"classes": classes}
    if values.dtype.kind not in "biuf":
        raise ValueError(f"{where}: --task regression needs a numeric target; {column.name!r} holds text")
    return values.astype(np.float64).reshape(1, -1), {}


def warn_if_continuous(classes, m, what):
    """Warn when ``classes`` (the distinct labels of ``m`` samples) look like a continuous target's values:
    numbers that are not all whole, or more than :data:`MAX_CLASSES` of them and over a tenth of ``m``."""
    if classes.dtype.kind not in "biuf":
        return
    fractional = not np.all(classes == np.round(classes))
    if fractional or (classes.size > MAX_CLASSES and classes.size > m / 10):
        warnings.warn(f"{what} is taken as {classes.size} classes from {m} samples"
                      f"{', some not whole numbers' if fractional else ''}: is it a continuous target? "
                      "(--task regression)", UserWarning, stacklevel=4)


# ---------------------------------------------------------------- a training run


def prepare_csv(frame, target, task, *, test_size=0.2, seed=0, where="--csv"):
    """:class:`Prepared` data of ``frame``: the other numeric columns as features, ``target`` as
    labels (``task`` None: :func:`infer_task`), a test split held out (stratified for classes),
    features standardized with the training split's statistics (regression targets too)."""
    column = _column(frame, target, where)
    task = infer_task(column) if task is None else task
    names = [str(name) for name in frame.columns if name != target]
    if not names:
        raise ValueError(f"{where} has no feature column besides the target {target!r}")
    Y, preprocessing = _targets(column, task, where)
    split = train_test_split(feature_matrix(frame, names, where), Y, test_size=test_size, seed=seed,
                             stratify=task == "classification")
    preprocessing.update(feature_names=np.array(names), target=np.array(str(target)))
    if task == "regression":
        mean, std = standardization(split.Y_train)
        preprocessing.update(target_mean=mean.reshape(()), target_std=std.reshape(()))
        split = split._replace(Y_train=(split.Y_train - mean) / std, Y_test=(split.Y_test - mean) / std)
    return _scaled(split, preprocessing, "mse" if task == "regression" else None)


def prepare_split(split, standardized, name):
    """:class:`Prepared` data of the built-in data set ``name``'s raw ``split``: standardized with its
    training statistics (kept in the preprocessing) when ``standardized``, else as it is."""
    preprocessing = {"dataset": np.array(name)}
    return _scaled(split, preprocessing, None) if standardized else Prepared(split, Preprocessing(preprocessing))


def _scaled(split, preprocessing, loss):
    mean, std = standardization(split.X_train)
    scaled = split._replace(X_train=(split.X_train - mean) / std, X_test=(split.X_test - mean) / std)
    return Prepared(scaled, Preprocessing({**preprocessing, "mean": mean, "std": std}), loss)


# ---------------------------------------------------------------- a saved model's columns


def csv_features(preprocessing, frame, where):
    """The model's scaled features ``(n_x, m)`` from the columns of ``frame`` it was trained on."""
    if preprocessing.feature_names is None:
        raise ValueError(f"{where}: this model was not trained on a CSV file, so it has no column names to look up")
    return preprocessing.features(feature_matrix(frame, preprocessing.feature_names, where))


def csv_targets(preprocessing, frame, where):
    """The model's training-form ``Y (1, m)`` from ``frame``'s target column: class indices, or the
    standardized values."""
    column = _column(frame, str(preprocessing["target"]), where)
    return preprocessing.targets(_labels(column, where).reshape(1, -1), where)
