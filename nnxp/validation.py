"""Checks at the boundary: user arrays and hyperparameters, with errors that say what to do.

Each check runs once per ``fit``/``predict`` call, never inside the training loop.
The one that reads data back (non-finite ``X``) costs one host synchronisation; the
labels and targets are checked by their loss (:mod:`nnxp.losses`), one more.
"""

import math
import numbers
import warnings

from .backend import host_rng, to_numpy


def check_X(xp, X, n_x, name="X"):
    """X must be ``(n_x, m)``, m >= 1, numeric, finite. Returns m."""
    if X.ndim != 2:
        hint = f" (one feature: reshape {name} to (1, m))" if X.ndim == 1 else ""
        raise ValueError(f"{name} must be 2-D with shape (n_x={n_x}, m), got shape {tuple(X.shape)}{hint}")
    if not xp.isdtype(X.dtype, ("real floating", "integral", "bool")):
        raise TypeError(f"{name} must hold real numbers, got dtype {X.dtype}")
    n_rows, m = X.shape
    if n_rows != n_x:
        hint = f"; {name}.T has that shape: samples must be columns" if m == n_x else ""
        raise ValueError(
            f"{name} must have n_x={n_x} rows (one per feature), got shape {tuple(X.shape)}{hint}"
        )
    if m == 0:
        raise ValueError(f"{name} has no samples: shape {tuple(X.shape)}, expected m >= 1 columns")
    if xp.isdtype(X.dtype, "real floating") and not bool(xp.all(xp.isfinite(X))):
        rows = to_numpy(xp.any(~xp.isfinite(X), axis=1)).nonzero()[0].tolist()
        shown = f"{rows[:10]}{' and more' if len(rows) > 10 else ''}"
        raise ValueError(f"{name} contains NaN or infinite values in feature rows {shown}; clean or impute them first")
    return m


SCALE_SPREAD = 1e3
"""Feature standard deviations further apart than this factor draw :func:`warn_if_unscaled`'s warning."""


def warn_if_unscaled(xp, X, name="X"):
    """Warn once when the features' standard deviations (each row's, over the samples) are more than
    :data:`SCALE_SPREAD` apart: gradient descent then crawls along the small ones. One host read.
    Returns what was found (``"X's features have standard deviations from ..."``), or None."""
    return warn_if_spread(xp, xp.std(X, axis=1), name, stacklevel=4)


def warn_if_spread(xp, std, name="X", stacklevel=3):
    """:func:`warn_if_unscaled` from the features' standard deviations ``std (n_x,)``. Features
    constant up to rounding (a standard deviation within 1000 epsilons of the largest) are left out."""
    largest = xp.max(std)
    floor = 1e3 * xp.finfo(std.dtype).eps * largest
    smallest = xp.min(xp.where(std > floor, std, xp.full_like(std, math.inf)))
    if not bool(largest > SCALE_SPREAD * smallest):
        return None
    found = (f"{name}'s features have standard deviations from {float(smallest):.3g} to {float(largest):.3g}, "
             f"over {SCALE_SPREAD:.0e} apart")
    warnings.warn(
        f"{found}: standardize them (subtract each feature's mean and divide by its "
        "standard deviation, from the training data) or training may crawl or stall",
        UserWarning, stacklevel=stacklevel,
    )
    return found


def check_seed(seed):
    """An int, a ``numpy.random.Generator`` or a ``numpy.random.RandomState``."""
    host_rng(seed)  # raises TypeError naming the seed
    return int(seed) if isinstance(seed, numbers.Integral) else seed


def check_layer_dims(layer_dims):
    """``layer_dims`` = [n[0], n[1], ..., n[L]]: at least two positive integers."""
    dims = list(layer_dims) if not isinstance(layer_dims, (str, bytes)) else None
    if dims is None or len(dims) < 2:
        raise ValueError(
            f"layer_dims must list at least two sizes [n_x, ..., n_L], got {layer_dims!r}"
        )
    for l, n in enumerate(dims):
        if isinstance(n, bool) or not isinstance(n, numbers.Integral):
            raise TypeError(f"layer_dims[{l}] must be an integer, got {n!r} ({type(n).__name__})")
        if n <= 0:
            raise ValueError(f"layer_dims[{l}] must be positive, got {n}")
    return [int(n) for n in dims]


def check_positive_number(value, name):
    """A finite real number > 0."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {value!r}")
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    return float(value)


def check_in_range(value, name, low, high=math.inf):
    """A real number with ``low <= value < high``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {value!r}")
    if not low <= value < high:
        raise ValueError(f"{name} must be in [{low}, {high}), got {value!r}")
    return float(value)


def check_count(value, name, minimum):
    """An integer >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)


def check_choice(value, name, choices):
    """One of ``choices``."""
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{name} must be one of {sorted(choices)}, got {value!r}")
    return value
