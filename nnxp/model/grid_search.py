"""Hyperparameter search: one model per point of a grid, ranked on a validation set.

The notes' advice — try a range of hyperparameters systematically and keep what works
on a validation set — as one function.
"""

import itertools
import math
import time

from ..core.losses import output_units
from ..core.optimizers import SHARED_SETTINGS, make_optimizer
from .network import NeuralNetwork
from ..training.loop import TrainingDivergedError

GRID_KEYS = (
    "learning_rate", "hidden_layers", "hidden_activation", "batch_size", "momentum", "l2",
    "num_iterations", "init", "optimizer", "beta1", "beta2", "epsilon", "decay_rate", "decay_interval",
    "early_stopping", "keep_prob",
)


def grid_points(grid):
    """Every combination of ``grid`` (``{key: [values, ...]}``) as a list of dicts, in order."""
    if not isinstance(grid, dict) or not grid:
        raise ValueError(f"grid must be a non-empty dict of lists, got {grid!r}")
    unknown = sorted(set(grid) - set(GRID_KEYS))
    if unknown:
        raise ValueError(f"grid has unknown keys {unknown}; known: {', '.join(GRID_KEYS)}")
    for key, values in grid.items():
        if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__") or not list(values):
            raise ValueError(f"grid[{key!r}] must be a non-empty list of values, got {values!r}")
    keys = list(grid)
    return [dict(zip(keys, values)) for values in itertools.product(*(list(grid[k]) for k in keys))]


def _model_for(point, n_x, n_L, fixed):
    settings = {**fixed, **point}
    hidden = tuple(settings.pop("hidden_layers", ()))
    tuning = {key: settings.pop(key) for key in SHARED_SETTINGS if key in settings}
    tuning = {key: value for key, value in tuning.items() if value is not None}
    if tuning:
        if not isinstance(settings.get("optimizer"), str):
            raise ValueError(f"{', '.join(tuning)} tune an optimizer: give optimizer names in the grid too")
        settings["optimizer"] = make_optimizer(settings["optimizer"], **tuning)
    return NeuralNetwork([n_x, *hidden, n_L], **settings)


def search(grid, X, Y, X_val, Y_val, *, progress=None, **fixed):
    """Train one model per grid point on ``(X, Y)`` and rank them on ``(X_val, Y_val)``.

    ``grid`` maps keys to lists: ``hidden_layers`` gives the hidden sizes (``(4,)`` for one
    layer of 4 units, ``()`` for logistic regression); ``learning_rate``, ``hidden_activation``,
    ``batch_size``, ``momentum``, ``l2``, ``num_iterations``, ``init``, ``optimizer``,
    ``decay_rate``, ``decay_interval``, ``early_stopping`` and ``keep_prob`` are
    :class:`NeuralNetwork` arguments. ``fixed`` holds arguments shared by every model
    (``num_iterations=...``, ``seed=...``, ``loss=...``). ``beta1``, ``beta2`` and ``epsilon``
    tune the ``optimizer`` named (:func:`nnxp.core.optimizers.make_optimizer`); with
    ``early_stopping`` the validation set is watched as well as ranked on. The output layer has
    one unit for 0/1 labels, else C (the rows of one-hot ``Y``, or the largest class index + 1).
    ``progress(done, total)`` is called after each model.

    Returns rows (dicts: the point, ``validation_accuracy``, ``validation_cost``,
    ``train_accuracy``, ``final_cost``, ``seconds``, ``diverged``) sorted by validation
    accuracy (for ``loss="mse"``: R^2, what ``score`` measures), best first; a diverged run
    scores NaN and sorts last. ``X (n_x, m)``, ``Y (1, m)`` or ``(C, m)``, and the validation
    set likewise. Raises ValueError for an empty grid, unknown keys or empty lists, and every
    model's bad settings before any training.

    >>> from nnxp.data.datasets import get_dataset
    >>> data = get_dataset("flower", m=200)
    >>> rows = nnxp.search({"hidden_layers": [(), (4,)], "learning_rate": [1.2]}, data.X_train, data.Y_train,
    ...                    data.X_test, data.Y_test, num_iterations=500, hidden_activation="tanh", init="scaled")
    >>> [(row["hidden_layers"], round(row["validation_accuracy"], 2)) for row in rows]
    [((4,), 0.9), ((), 0.45)]
    """
    points = grid_points(grid)
    n_x, n_L = X.shape[0], output_units(Y, fixed.get("loss"))
    models = [_model_for(point, n_x, n_L, fixed) for point in points]  # bad settings fail before training
    rows = []
    for done, (point, model) in enumerate(zip(points, models), start=1):
        rows.append({**point, **_evaluate(model, X, Y, X_val, Y_val)})
        if progress is not None:
            progress(done, len(points))
    return sorted(rows, key=lambda row: -row["validation_accuracy"] if not row["diverged"] else math.inf)


def _evaluate(model, X, Y, X_val, Y_val):
    start = time.perf_counter()
    watched = {"validation_data": (X_val, Y_val)} if model.early_stopping is not None else {}
    try:
        model.fit(X, Y, **watched)
    except TrainingDivergedError:
        nan = math.nan
        return {"validation_accuracy": nan, "validation_cost": nan, "train_accuracy": nan,
                "final_cost": nan, "seconds": time.perf_counter() - start, "diverged": True}
    # One forward pass on each set, after training: the costs come from the logits.
    return {
        "validation_accuracy": model.score(X_val, Y_val),
        "validation_cost": model.cost(X_val, Y_val),
        "train_accuracy": model.score(X, Y),
        "final_cost": model.costs_[-1] if model.costs_ else math.nan,
        "seconds": time.perf_counter() - start,
        "diverged": False,
    }
