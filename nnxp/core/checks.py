"""Checks at the boundary: user arrays and hyperparameters, with errors that say what to do.

Each check runs once per ``fit``/``predict`` call, never inside the training loop.
The one that reads data back (non-finite ``X``) costs one host synchronisation; the
labels and targets are checked by their loss (:mod:`nnxp.core.losses`), one more.
"""

import math
import numbers
import warnings
from dataclasses import dataclass

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
    """:func:`warn_if_unscaled` from the features' standard deviations ``std (n_x,)``, read to the host
    at once (n_x numbers; no further device operation). Features constant up to rounding (a standard
    deviation within 1000 epsilons of the largest) are left out."""
    eps = xp.finfo(std.dtype).eps
    std = to_numpy(std).tolist()
    largest = max(std)
    smallest = min((value for value in std if value > 1e3 * eps * largest), default=math.inf)
    if not largest > SCALE_SPREAD * smallest:
        return None
    found = (f"{name}'s features have standard deviations from {smallest:.3g} to {largest:.3g}, "
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


def _real(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {value!r}")


# Constraints: one per kind of setting, a callable ``(value, name) -> checked value`` that raises
# TypeError or ValueError naming the setting. A class's settings are a table of them (as
# scikit-learn's ``_parameter_constraints``), read by :func:`check_settings`.


@dataclass(frozen=True)
class Positive:
    """A finite real number > 0 (a float)."""

    def describe(self):
        return "a positive finite number"

    def __call__(self, value, name):
        _real(value, name)
        if not (math.isfinite(value) and value > 0):
            raise ValueError(f"{name} must be {self.describe()}, got {value!r}")
        return float(value)


@dataclass(frozen=True)
class InRange:
    """A real number with ``low <= value < high`` (a float)."""

    low: float
    high: float = math.inf

    def describe(self):
        return f"a number in [{self.low}, {self.high})"

    def __call__(self, value, name):
        _real(value, name)
        if not self.low <= value < self.high:
            raise ValueError(f"{name} must be in [{self.low}, {self.high}), got {value!r}")
        return float(value)


@dataclass(frozen=True)
class Count:
    """An integer >= ``minimum`` (an int)."""

    minimum: int

    def describe(self):
        return f"an integer >= {self.minimum}"

    def __call__(self, value, name):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise TypeError(f"{name} must be an integer, got {value!r}")
        if value < self.minimum:
            raise ValueError(f"{name} must be >= {self.minimum}, got {value}")
        return int(value)


@dataclass(frozen=True)
class OneOf:
    """One of the strings ``choices`` (a registry's keys, say)."""

    choices: tuple

    def __init__(self, choices):
        object.__setattr__(self, "choices", tuple(sorted(choices)))

    def describe(self):
        return f"one of {list(self.choices)}"

    def __call__(self, value, name):
        if not isinstance(value, str) or value not in self.choices:
            raise ValueError(f"{name} must be {self.describe()}, got {value!r}")
        return value


@dataclass(frozen=True)
class Is:
    """Exactly ``value`` (None, ``"auto"``): a constraint for :class:`Either`."""

    value: object

    def describe(self):
        return repr(self.value)

    def __call__(self, value, name):
        if not (value is self.value or isinstance(value, str) and value == self.value):
            refused = ValueError if type(value) is type(self.value) else TypeError
            raise refused(f"{name} must be {self.describe()}, got {value!r}")
        return value


@dataclass(frozen=True)
class Either:
    """The first of ``options`` that accepts the value (``Either(Is(None), Count(1))``)."""

    options: tuple

    def __init__(self, *options):
        object.__setattr__(self, "options", options)

    def describe(self):
        return " or ".join(option.describe() for option in self.options)

    def __call__(self, value, name):
        refusals = set()
        for option in self.options:
            try:
                return option(value, name)
            except (TypeError, ValueError) as exc:
                refusals.add(type(exc))
        refused = TypeError if refusals == {TypeError} else ValueError  # TypeError: no option takes its type
        raise refused(f"{name} must be {self.describe()}, got {value!r}")


@dataclass(frozen=True)
class Instance:
    """An instance of ``kind`` (an optimizer object, say)."""

    kind: type
    what: str

    def describe(self):
        return self.what

    def __call__(self, value, name):
        if not isinstance(value, self.kind):
            raise TypeError(f"{name} must be {self.describe()}, got {value!r}")
        return value


@dataclass(frozen=True)
class Check:
    """A setting checked by a function ``check(value) -> checked`` of its own (a seed, a dtype)."""

    check: object
    what: str

    def describe(self):
        return self.what

    def __call__(self, value, name):
        return self.check(value)


def check_settings(constraints, values):
    """``{name: checked value}`` for each name of the table ``constraints`` (name -> constraint),
    read from the mapping ``values``; the first setting refused raises, naming it."""
    return {name: constraint(values[name], name) for name, constraint in constraints.items()}


def check_positive_number(value, name):
    """A finite real number > 0."""
    return Positive()(value, name)


def check_in_range(value, name, low, high=math.inf):
    """A real number with ``low <= value < high``."""
    return InRange(low, high)(value, name)


def check_count(value, name, minimum):
    """An integer >= ``minimum``."""
    return Count(minimum)(value, name)


def check_choice(value, name, choices):
    """One of ``choices``."""
    return OneOf(choices)(value, name)
