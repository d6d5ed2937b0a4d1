"""The preparation a model's data went through, as one validated object that travels with the model.

A training run from a table or a data set (the command line's ``--csv``, ``--zarr``, ``--dataset``)
standardizes the features, and may encode class labels or standardize a regression target; a
later ``predict`` or ``evaluate`` must do exactly the same. :class:`Preprocessing` holds what that
takes as named host arrays (saved in the checkpoint as ``preprocessing_<name>``), checks them when
it is built and when a checkpoint is loaded, and owns their meaning: every other module asks it.

=====================  ==============  =========================================================
name                   shape           meaning
=====================  ==============  =========================================================
``mean``, ``std``      ``(n_x, 1)``    features are used as ``(x - mean) / std``; spreads > 0
``feature_names``      ``(n_x,)``      the CSV columns, in order, unique; comes with ``target``
``target``             ``()``          the CSV target column's name; comes with ``feature_names``
``classes``            ``(C,)``        the labels of class indices ``0..C-1``: unique, sorted,
                                       ``C = n[L]`` (2 for one sigmoid unit); numbers or text
``target_mean``,       ``()`` or       a regression target is used as ``(y - target_mean) /
``target_std``         ``(n[L], 1)``   target_std``; predictions are turned back into its units
``dataset``            ``()``          the name of the built-in data set trained on
=====================  ==============  =========================================================

Labels given later (``evaluate --labels``, a CSV's target column) are class names; where the
classes are text, numbers are read as indices into the sorted class names.
"""

from collections.abc import Mapping

import numpy as np

_SPECS = {
    "mean": ("features", "f", "std"), "std": ("features", "f", "mean"),
    "feature_names": ("names", "U", "target"), "target": ("scalar", "U", "feature_names"),
    "classes": ("classes", "biufU", None),
    "target_mean": ("outputs", "f", "target_std"), "target_std": ("outputs", "f", "target_mean"),
    "dataset": ("scalar", "U", None),
}
"""``name -> (shape rule, dtype kinds, the name it must come with)`` of every array this module reads."""

_SHAPES = {"scalar": "()", "features": "(n_x, 1)", "names": "(n_x,)", "classes": "(C,)",
           "outputs": "() or (n[L], 1)"}
_SIZES = {"features": ", n_x the same for mean and std", "names": ", n_x as mean's",
          "outputs": ", the same for target_mean and target_std"}


class Preprocessing(Mapping):
    """The named host arrays of a model's data preparation (see the module), read-only and checked.

    ``Preprocessing(arrays)`` raises ValueError naming the array when one has the wrong kind, a shape
    that disagrees with the others, lacks its partner (``mean`` without ``std``, ...), repeats a
    class or a feature name, or holds spreads that are not positive and finite. Names it does not
    know are kept as they are. :meth:`check_model` checks the shapes against a model's
    ``layer_dims``. It is a mapping, so ``preprocessing["classes"]`` reads an array.

    >>> p = Preprocessing({"classes": np.array(["cat", "dog"])})
    >>> p.encode_labels(np.array(["dog", "cat"]), "labels"), p.decode(np.array([[1, 0]]))
    (array([[1., 0.]]), array([['dog', 'cat']], dtype='<U3'))
    >>> Preprocessing({"classes": np.array(["cat", "cat"])})
    Traceback (most recent call last):
    ...
    ValueError: preprocessing 'classes' must be unique and sorted, got ['cat', 'cat']
    """

    def __init__(self, arrays=None):
        self._arrays = {str(name): np.asarray(value) for name, value in dict(arrays or {}).items()}
        for name, array in self._arrays.items():
            if name in _SPECS:
                self._check(name, array)

    def __getitem__(self, name):
        return self._arrays[name]

    def __iter__(self):
        return iter(self._arrays)

    def __len__(self):
        return len(self._arrays)

    def __repr__(self):
        return f"Preprocessing({sorted(self._arrays)})"

    # ------------------------------------------------------------ checks

    def _check(self, name, array):
        rule, kinds, partner = _SPECS[name]
        if array.dtype.kind not in kinds:
            raise ValueError(f"preprocessing {name!r} must hold {'text' if kinds == 'U' else 'numbers'}, "
                             f"got a {array.shape} {array.dtype} array")
        if partner is not None and partner not in self._arrays:
            raise ValueError(f"preprocessing {name!r} comes with {partner!r}, which is missing")
        if not self._shape_fits(rule, array.shape):
            raise ValueError(f"preprocessing {name!r} is {array.shape}, which does not fit {_SHAPES[rule]}"
                             f"{_SIZES.get(rule, '')}")
        if kinds == "f" and not np.all(np.isfinite(array)):
            raise ValueError(f"preprocessing {name!r} holds NaN or infinite values")
        if name.endswith("std") and not np.all(array > 0):
            raise ValueError(f"preprocessing {name!r} holds spreads that are not positive")
        if rule in ("names", "classes") and not _unique_sorted(array, sort=rule == "classes"):
            what = "unique and sorted" if rule == "classes" else "unique"
            raise ValueError(f"preprocessing {name!r} must be {what}, got {array.tolist()}")
        if rule == "classes" and array.size < 2:
            raise ValueError(f"preprocessing 'classes' must name at least 2 classes, got {array.tolist()}")

    def _shape_fits(self, rule, shape):
        """Whether ``shape`` fits ``rule`` of :data:`_SHAPES`, sizes agreeing with ``mean``'s and ``target_mean``'s."""
        if rule == "scalar":
            return shape == ()
        if rule in ("features", "names"):
            mean = self._arrays.get("mean")
            if mean is None:  # names without statistics: any one row of them
                return len(shape) == 1
            n_x = mean.shape[0] if mean.ndim else -1
            return shape == ((n_x, 1) if rule == "features" else (n_x,))
        if rule == "classes":
            return len(shape) == 1
        target = self._arrays["target_mean"].shape
        return shape == target and (target == () or (len(target) == 2 and target[1] == 1))

    def check_model(self, layer_dims):
        """``self`` when it fits a ``layer_dims`` model (``n_x`` features, ``n[L]`` outputs), else ValueError."""
        n_x, n_L = layer_dims[0], layer_dims[-1]
        sizes = {"mean": ((n_x, 1),), "feature_names": ((n_x,),), "classes": ((max(n_L, 2),),),
                 "target_mean": (((), (1, 1)) if n_L == 1 else ((n_L, 1),))}
        for name, allowed in sizes.items():
            if name in self._arrays and self._arrays[name].shape not in allowed:
                raise ValueError(f"preprocessing {name!r} is {self._arrays[name].shape}, but a model of layer_dims "
                                 f"{layer_dims} needs {' or '.join(map(str, allowed))}")
        return self

    # ------------------------------------------------------------ features

    def features(self, X):
        """``X (n_x, m)`` as the model was trained on it: ``(X - mean) / std`` when it kept them."""
        if "mean" not in self._arrays:
            return X
        return (np.asarray(X, dtype=np.float64) - self._arrays["mean"]) / self._arrays["std"]

    @property
    def feature_names(self):
        """The CSV columns the model reads, in order (a list of str), or None."""
        names = self._arrays.get("feature_names")
        return None if names is None else names.tolist()

    @property
    def class_names(self):
        """The classes as text (numbers as ``%g``: ``"3"``, ``"0.5"``), or None without classes."""
        classes = self._arrays.get("classes")
        if classes is None:
            return None
        return classes.tolist() if classes.dtype.kind == "U" else [format(value, "g") for value in classes.tolist()]

    def check_dataset(self, name):
        """ValueError unless the built-in data set ``name`` is what the model was trained on, as far as
        the model knows: another data set's name, or a CSV's columns, is a mismatch."""
        if "feature_names" in self._arrays:
            raise ValueError(f"--dataset {name}: this model was trained on a CSV table (target "
                             f"{str(self._arrays['target'])!r}, {len(self.feature_names)} feature columns from "
                             f"{self.feature_names[0]!r}); give it such a table with --csv")
        if "dataset" in self._arrays and str(self._arrays["dataset"]) != name:
            raise ValueError(f"--dataset {name}: this model was trained on the data set "
                             f"{str(self._arrays['dataset'])!r}, whose features and labels differ")

    def check_same_data(self, other, where):
        """ValueError unless ``other`` (a new run's preprocessing) reads the same data set, columns,
        target and classes as ``self`` (a checkpoint's), as far as both know them."""
        for name in ("feature_names", "target", "dataset", "classes"):
            mine, theirs = self._arrays.get(name), other.get(name)
            either = name in ("feature_names", "target")  # a CSV's columns: both runs read a CSV, or neither
            if (mine is None or theirs is None) and not (either and (mine is not None or theirs is not None)):
                continue
            if mine is None or theirs is None or not np.array_equal(mine, theirs):
                raise ValueError(f"{where}: the checkpoint was trained with {name} {_listed(mine)}, but this data "
                                 f"has {_listed(theirs)}")

    # ------------------------------------------------------------ targets

    def encode_labels(self, values, where):
        """Class indices ``(1, m)`` float64 of the labels ``values`` (m,): see :func:`encode_labels`."""
        return encode_labels(values, self._arrays["classes"], where)

    def targets(self, Y, where):
        """Targets ``Y (rows, m)`` as given by a user (labels, or values in the target's units) in the
        model's training form: class indices of one row of labels, the standardized values, or ``Y``
        itself (one-hot rows, or no target preprocessing)."""
        Y = np.asarray(Y)
        if "classes" in self._arrays and Y.ndim == 2 and Y.shape[0] == 1:
            return self.encode_labels(Y.reshape(-1), where)
        if "target_mean" in self._arrays:
            return (np.asarray(Y, dtype=np.float64) - self._target_mean) / self._target_std
        return Y

    @property
    def _target_mean(self):
        return self._arrays["target_mean"].reshape(-1, 1)

    @property
    def _target_std(self):
        return self._arrays["target_std"].reshape(-1, 1)

    def decode(self, predictions):
        """Predictions ``(rows, m)`` in the target's own terms: class indices to labels, standardized
        values to its units; unchanged without target preprocessing."""
        predictions = np.asarray(predictions)
        if "classes" in self._arrays:
            return self._arrays["classes"][predictions.astype(np.intp)]
        if "target_mean" in self._arrays:
            return predictions * self._target_std + self._target_mean
        return predictions

    def regression_metrics(self, predicted, Y):
        """``{"r2", "rmse"}`` of standardized ``predicted`` against ``Y`` (both ``(rows, m)``): R^2
        averaged over the rows, the RMSE over every value, in the target's units."""
        predicted, Y = self.decode(predicted), self.decode(Y)
        residual = np.sum((Y - predicted) ** 2, axis=1)
        spread = np.sum((Y - Y.mean(axis=1, keepdims=True)) ** 2, axis=1)
        r2 = np.where(spread > 0, 1 - residual / np.where(spread > 0, spread, 1), (residual == 0) * 1.0)
        return {"r2": float(np.mean(r2)), "rmse": float(np.sqrt(np.sum(residual) / Y.size))}


def _listed(array, shown=4):
    """``array`` for a message: ``(none)``, its values, or the first few of many and their count."""
    if array is None:
        return "(none)"
    values = array.tolist()
    if array.ndim == 0 or len(values) <= shown:
        return repr(values)
    return f"[{', '.join(map(repr, values[:shown]))}, ... ({len(values)} in all)]"


def _unique_sorted(array, sort):
    unique = np.unique(array)
    return unique.size == array.size and (not sort or bool(np.all(unique == array)))


def encode_labels(values, classes, where):
    """Class indices ``(1, m)`` float64 of the labels ``values`` (m,) among ``classes`` (unique, sorted).

    Labels are class names; with text ``classes``, whole numbers ``0..C-1`` are read as indices into
    them. ValueError naming ``where`` and the labels the classes do not hold."""
    values = np.asarray(values)
    if classes.dtype.kind == "U" and values.dtype.kind in "biuf":
        return _indices(values, classes, where)
    if classes.dtype.kind != "U":
        values = _as_numbers(values, classes, where)
    index = np.clip(np.searchsorted(classes, values), 0, len(classes) - 1)
    unseen = sorted({str(value) for value in values[classes[index] != values]})
    if unseen:
        raise ValueError(f"{where} has labels the model never saw: {unseen[:10]}; it knows {classes.tolist()}")
    return index.astype(np.float64).reshape(1, -1)


def _indices(values, classes, where):
    """Numbers ``values`` read as indices into the text ``classes``: whole numbers from 0 to C-1."""
    wrong = values[~((values == np.round(values)) & (values >= 0) & (values < len(classes)))]
    if wrong.size:
        raise ValueError(f"{where} holds numbers {sorted(set(wrong.tolist()))[:10]}, but the model's classes are "
                         f"the names {classes.tolist()}: give names, or indices 0 to {len(classes) - 1} into them")
    return values.astype(np.float64).reshape(1, -1)


def _as_numbers(values, classes, where):
    """Text labels of numeric ``classes`` (a CSV read as text) as numbers, else ValueError."""
    if values.dtype.kind in "biuf":
        return values
    try:
        return values.astype(classes.dtype)
    except ValueError:
        raise ValueError(f"{where} holds text labels, but the model's classes are the numbers "
                         f"{classes.tolist()}") from None
