"""Tables in, course layout out: CSV files, and the preprocessing that travels with a model.

A CSV file has samples as rows and one column per feature, one of them the target. Its numeric
columns are the features (a non-numeric one is an error naming it: encode it first, e.g. with
``pandas.get_dummies``); missing values are an error too. The preprocessing of a training run
is a dict of plain host arrays, saved in the checkpoint (``NeuralNetwork.preprocessing_``):

- ``mean``, ``std`` ``(n_x, 1)``: the training split's feature statistics; features are used
  as ``(x - mean) / std`` in training and in every later ``predict``/``evaluate``;
- ``feature_names`` (CSV): the columns, in order; a later file must have them all;
- ``target`` (CSV, 0-d): the target column's name; ``classes`` (classification): the labels in
  the order of the class indices, strings staying strings;
- ``target_mean``, ``target_std`` (CSV regression, 0-d): the target is standardized too, and
  predictions are turned back into its units.

Needs pandas for CSV (extra ``csv``).
"""

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .checkpoint import CheckpointError
from .datasets import Split, standardization, train_test_split

MAX_CLASSES = 20
"""A numeric target of whole numbers with at most this many distinct values is taken as classes."""

TASKS = ("classification", "regression")


@dataclass(frozen=True)
class Prepared:
    """A training run's data: the standardized ``split``, its ``preprocessing`` and the ``loss``
    (None: the model's default for its output units; ``"mse"`` for regression)."""

    split: Split
    preprocessing: dict
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
    return frame


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
    text = [name for name in names if not _is_numeric(table[name])]
    if text:
        raise ValueError(f"{where}: feature columns {text} are not numeric; encode them as numbers first "
                         "(e.g. one 0/1 column per category with pandas.get_dummies)")
    holes = [name for name in names if table[name].isna().any()]
    if holes:
        raise ValueError(f"{where}: feature columns {holes} have missing values; fill or drop them first")
    return table.to_numpy(dtype=np.float64).T


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


def encode_labels(values, classes, where):
    """Class indices ``(1, m)`` float64 of ``values`` in ``classes``; ValueError naming unseen labels."""
    index = np.clip(np.searchsorted(classes, values), 0, len(classes) - 1)
    unseen = sorted({str(value) for value in values[classes[index] != values]})
    if unseen:
        raise ValueError(f"{where} has labels the model never saw: {unseen[:10]}; it knows {classes.tolist()}")
    return index.astype(np.float64).reshape(1, -1)


def _targets(column, task, where):
    """``(Y (1, m), preprocessing)`` of the target for ``task``; regression targets standardized later."""
    values = _labels(column, where)
    if task == "classification":
        classes = np.unique(values)
        if classes.size < 2:
            raise ValueError(f"{where}: the target column {column.name!r} holds a single class {classes.tolist()}")
        return encode_labels(values, classes, where), {"classes": classes}
    if values.dtype.kind not in "biuf":
        raise ValueError(f"{where}: --task regression needs a numeric target; {column.name!r} holds text")
    return values.astype(np.float64).reshape(1, -1), {}


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


def prepare_split(split, standardized):
    """:class:`Prepared` data of a built-in data set's raw ``split``: standardized with its training
    statistics (kept in the preprocessing) when ``standardized``, else as it is."""
    return _scaled(split, {}, None) if standardized else Prepared(split, {})


def _scaled(split, preprocessing, loss):
    mean, std = standardization(split.X_train)
    scaled = split._replace(X_train=(split.X_train - mean) / std, X_test=(split.X_test - mean) / std)
    return Prepared(scaled, {**preprocessing, "mean": mean, "std": std}, loss)


# ---------------------------------------------------------------- a saved model's preprocessing


def _shapes(layer_dims):
    """``{name: (shape, kinds, partner)}`` of the preprocessing arrays of a ``layer_dims`` model: the
    array's shape, its dtype kinds, and the array that must come with it."""
    n_x, outputs = layer_dims[0], layer_dims[-1]
    return {"mean": ((n_x, 1), "f", "std"), "std": ((n_x, 1), "f", "mean"),
            "feature_names": ((n_x,), "U", "target"), "target": ((), "U", "feature_names"),
            "classes": ((max(outputs, 2),), "biufU", "target"),
            "target_mean": ((), "f", "target_std"), "target_std": ((), "f", "target_mean")}


def check_preprocessing(preprocessing, layer_dims, where):
    """CheckpointError unless the arrays of ``preprocessing`` that this module reads fit a ``layer_dims``
    model: each with its shape, kind and partner (``mean`` with ``std``, ...), spreads positive."""
    expected = _shapes(layer_dims)
    for name, array in preprocessing.items():
        shape, kinds, partner = expected.get(name, (array.shape, array.dtype.kind, name))
        if array.shape != shape or array.dtype.kind not in kinds or partner not in preprocessing:
            raise CheckpointError(f"{where}: its preprocessing {name!r} is a {array.shape} {array.dtype} array"
                                  f"{'' if partner in preprocessing else f' without {partner!r}'}; a model of "
                                  f"layer_dims {layer_dims} needs {shape} of kind {kinds!r} with {partner!r}")
        if name in ("std", "target_std") and not np.all(array > 0):
            raise CheckpointError(f"{where}: its preprocessing {name!r} holds spreads that are not positive")
    return preprocessing


def scale_features(preprocessing, X):
    """``X (n_x, m)`` as the model was trained on it: ``(X - mean) / std`` when the model kept them."""
    if "mean" not in preprocessing:
        return X
    return (np.asarray(X, dtype=np.float64) - preprocessing["mean"]) / preprocessing["std"]


def csv_features(preprocessing, frame, where):
    """The model's scaled features ``(n_x, m)`` from the columns of ``frame`` it was trained on."""
    if "feature_names" not in preprocessing:
        raise ValueError(f"{where}: this model was not trained on a CSV file, so it has no column names to look up")
    return scale_features(preprocessing, feature_matrix(frame, preprocessing["feature_names"].tolist(), where))


def csv_targets(preprocessing, frame, where):
    """The model's training-form ``Y (1, m)`` from ``frame``'s target column: class indices, or the
    standardized values."""
    column = _column(frame, str(preprocessing["target"]), where)
    values = _labels(column, where)
    if "classes" in preprocessing:
        return encode_labels(values, preprocessing["classes"], where)
    return (values.astype(np.float64).reshape(1, -1) - preprocessing["target_mean"]) / preprocessing["target_std"]


def decode(preprocessing, predictions):
    """Predictions ``(1, m)`` in the target's own terms: class indices to labels, standardized values to
    its units; unchanged without a CSV target."""
    predictions = np.asarray(predictions)
    if "classes" in preprocessing:
        return preprocessing["classes"][predictions.astype(np.intp)]
    if "target_mean" in preprocessing:
        return predictions * preprocessing["target_std"] + preprocessing["target_mean"]
    return predictions


def regression_metrics(preprocessing, predicted, Y):
    """``{"r2", "rmse"}`` of standardized ``predicted`` against ``Y`` (both ``(1, m)``), the RMSE in the
    target's units."""
    predicted, Y = decode(preprocessing, predicted), decode(preprocessing, Y)
    residual, spread = np.sum((Y - predicted) ** 2), np.sum((Y - Y.mean()) ** 2)
    r2 = 1 - residual / spread if spread > 0 else float(residual == 0)
    return {"r2": float(r2), "rmse": math.sqrt(residual / Y.size)}
