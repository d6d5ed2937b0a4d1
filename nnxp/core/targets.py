"""What the losses ask of targets, in one place: labels checked, class indices one-hot encoded.

The checks read one boolean back to the host when the targets are right, more only to explain a
refusal (the distinct values seen, the fractional or out-of-range ones). Written once against the
array API, like the losses that use them (:mod:`nnxp.core.losses`).
"""

import array_api_compat

from .backend import namespace, to_numpy


def _unique(xp, Y):
    """The distinct values of ``Y`` as a sorted host list (for error messages)."""
    return sorted(to_numpy(xp.unique_values(Y)).tolist())


def _refuse_non_finite(xp, Y, name):
    """ValueError when floating ``Y`` holds NaN or infinity (read only to explain a refusal)."""
    if xp.isdtype(Y.dtype, "real floating") and not bool(xp.all(xp.isfinite(Y))):
        raise ValueError(f"{name} contains NaN or infinite values; targets must be finite numbers")


def _as_real(xp, Y, dtype, name):
    """``Y`` itself when it is floating, else cast to ``dtype``; TypeError when it is not numeric."""
    if not xp.isdtype(Y.dtype, ("real floating", "integral", "bool")):
        raise TypeError(f"{name} must hold real numbers, got dtype {Y.dtype}")
    return Y if xp.isdtype(Y.dtype, "real floating") else xp.astype(Y, dtype)


def _shape_hint(shape, rows, m, name):
    """A hint for a ``Y`` of ``shape`` that was meant to be ``(rows, m)``."""
    if shape in ((m,), (m, 1)) and rows == 1:
        return f"; reshape {name} to (1, m)"
    if shape == (m, rows) and rows > 1:
        return f"; {name}.T has that shape: samples must be columns"
    return ""


def _one_hot(xp, labels, C, dtype):
    """``(C, m)``: row ``c`` is 1 where real ``labels (1, m)`` equal ``c`` (labels already checked)."""
    classes = xp.arange(C, dtype=labels.dtype, device=array_api_compat.device(labels))
    return xp.astype(labels == classes[:, None], dtype)


def one_hot(labels, C, *, dtype=None):
    """The course's ``convert_to_one_hot``: class indices ``labels (1, m)`` -> ``(C, m)`` of 0/1.

    ``labels`` hold integers 0..C-1 (an integer dtype, or floats holding integers); column
    ``j`` of the result is 1 in row ``labels[0, j]``. ``dtype``: the result's (None: float64).
    Raises ValueError for labels outside ``[0, C)``, fractional or non-finite labels, labels not
    ``(1, m)`` or a ``C`` that is not a positive int; TypeError for labels that are not numbers.

    >>> nnxp.one_hot(np.array([[2, 0, 1, 2]]), 3)
    array([[0., 1., 0., 0.],
           [0., 0., 1., 0.],
           [1., 0., 0., 1.]])
    """
    xp = namespace(labels)
    if isinstance(C, bool) or not isinstance(C, int) or C < 1:
        raise ValueError(f"C must be a positive number of classes, got {C!r}")
    if labels.ndim != 2 or labels.shape[0] != 1:
        raise ValueError(f"labels must have shape (1, m), got {tuple(labels.shape)}")
    dtype = xp.float64 if dtype is None else dtype
    values = _as_real(xp, labels, dtype, "labels")
    _check_class_indices(xp, values, C, "labels")
    return _one_hot(xp, values, C, dtype)


def _check_class_indices(xp, values, C, name):
    """ValueError unless real ``values`` hold whole numbers in ``[0, C)``: one host read when they do."""
    if bool(xp.all((values >= 0) & (values < C) & (values == xp.floor(values)))):  # NaN fails too
        return
    _refuse_non_finite(xp, values, name)
    seen = _unique(xp, values)
    fractional = [v for v in seen if v != int(v)]
    if fractional:
        raise ValueError(f"{name} must hold whole class indices 0..{C - 1}, got fractional values {fractional[:10]}")
    outside = [v for v in seen if not 0 <= v < C]
    raise ValueError(f"{name} must hold class indices in [0, C) = [0, {C}), got values {outside[:10]} outside it")


def _check_one_hot(xp, Y, name):
    """ValueError unless real ``Y (C, m)`` holds 0s and 1s with exactly one 1 per column."""
    sums = xp.sum(Y, axis=0)
    if bool(xp.all((Y == 0) | (Y == 1)) & xp.all(sums == 1)):
        return
    _refuse_non_finite(xp, Y, name)
    seen = _unique(xp, Y)
    problem = f"values {seen[:10]}" if not set(seen) <= {0, 1} else f"column sums {_unique(xp, sums)[:10]}"
    raise ValueError(
        f"{name} of shape {tuple(Y.shape)} must be one-hot (0s and 1s, each column summing to 1), got {problem}"
    )
