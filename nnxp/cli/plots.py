"""A fitted model's plots as PNG files: the course's learning curve (every loss) and the 2-D
decision boundary (two classes or more).

Drawn on matplotlib ``Figure`` objects (the Agg canvas, no pyplot): no display is needed and
no global matplotlib state is touched. Needs matplotlib.
"""

import math

import array_api_compat
import numpy as np
from matplotlib.figure import Figure

from ..core.backend import namespace, to_backend, to_numpy


def learning_curve(model, path):
    """Save the cost against iterations (epochs with mini-batches) of fitted ``model`` to ``path``.

    One point per logged cost, at iterations 0, ``cost_every``, ... over the whole history
    (resumed runs included), titled with the learning rate as in the course's notes. The
    validation cost, when ``fit`` was given validation data, is drawn beside it. Returns the
    matplotlib Figure.
    """
    unit = "iterations" if model.batch_size is None else "epochs"
    fig = Figure(figsize=(6.4, 4.8))
    ax = fig.add_subplot()
    steps = model.cost_every * np.arange(len(model.costs_))
    ax.plot(steps, model.costs_, label="training cost")
    if model.validation_costs_:
        ax.plot(steps, model.validation_costs_, label="validation cost")
        ax.legend()
    ax.set(xlabel=unit, ylabel="cost", title=f"Learning rate = {model.learning_rate:g}")
    ax.grid(alpha=0.3)
    fig.savefig(path, dpi=100)
    return fig


def _grid(X, steps):
    """``(xx, yy)``: a ``steps`` x ``steps`` mesh over the range of ``X (2, m)`` plus a margin of 1."""
    axes = [np.linspace(row.min() - 1, row.max() + 1, steps) for row in X]
    return np.meshgrid(*axes)


def decision_boundary(model, X, Y, path, *, title=None, steps=300):
    """Save the regions where fitted classifier ``model`` predicts each class, with the points
    ``X (2, m)`` coloured by their labels ``Y`` (0/1 or class indices ``(1, m)``, or one-hot ``(C, m)``).

    The mesh is predicted on the model's own backend and device, in one batch; two classes or
    many, each gets its own colour. Returns the matplotlib Figure.
    """
    X, Y = to_numpy(X), to_numpy(Y)
    if X.ndim != 2 or X.shape[0] != 2:
        raise ValueError(f"decision_boundary needs 2-D data X (2, m), got shape {X.shape}")
    if not model.is_classifier:
        raise ValueError(f"decision_boundary needs a classifier; this model's loss is {model.loss!r}")
    loss, xp = model.loss_object, namespace(Y)
    labels = to_numpy(loss.class_indices(xp, loss.targets(xp, xp.asarray(Y), model.layer_dims[-1], Y.shape[1],
                                                          xp.float64)))
    xx, yy = _grid(X, steps)
    W1 = model.parameters_["W1"]
    mesh = to_backend(np.stack([xx.ravel(), yy.ravel()]), namespace(W1), array_api_compat.device(W1))
    regions = to_numpy(model.predict(mesh)).reshape(xx.shape)
    classes = max(2, model.layer_dims[-1])
    fig = Figure(figsize=(6.4, 4.8))
    ax = fig.add_subplot()
    ax.contourf(xx, yy, regions, levels=np.arange(classes + 1) - 0.5, cmap="Spectral", alpha=0.8)
    ax.scatter(X[0], X[1], c=labels, cmap="Spectral", vmin=0, vmax=classes - 1, s=14, edgecolors="k",
               linewidths=0.4)
    ax.set(xlabel="$x_1$", ylabel="$x_2$", title=title or "Decision boundary")
    fig.savefig(path, dpi=100)
    return fig


def search_results(rows, path, *, keys=None, metric="validation accuracy"):
    """Save a bar chart of the validation score of each row of :func:`nnxp.search` to ``path``.

    One horizontal bar per setting in the rows' order (best at the top), labelled with the values
    of ``keys`` (by default every key that varies between rows), long labels wrapped; a diverged
    run keeps its row, at the bottom where :func:`nnxp.search` ranks it, marked "diverged" in red
    with no bar. ``metric`` names the score (``"validation R^2"`` for a regression, which may be
    negative). The layout makes room for the labels at the figure's size. Returns the Figure.
    """
    settings = [key for key in rows[0] if key not in _RESULT_KEYS] if rows else []
    keys = keys or [key for key in settings if len({str(row[key]) for row in rows}) > 1] or settings
    labels = [_wrapped_label(row, keys) for row in rows]
    lines = max((label.count("\n") + 1 for label in labels), default=1)
    fig = Figure(figsize=(8, 1.5 + 0.35 * lines * len(rows)), layout="constrained")
    ax = fig.add_subplot()
    heights = range(len(rows))[::-1]
    scores = [0.0 if row["diverged"] else row["validation_accuracy"] for row in rows]
    ax.barh(heights, scores, tick_label=labels)
    ax.set(xlabel=metric, xlim=(min([0.0, *filter(math.isfinite, scores)]), 1), title="Hyperparameter search")
    for height, row, tick in zip(heights, rows, ax.get_yticklabels()):
        if row["diverged"]:
            _mark_diverged(ax, height, tick)
    fig.savefig(path, dpi=100)
    return fig


_LABEL_WIDTH = 60
"""Characters per line of a setting's label: under half the figure's width at matplotlib's 10 points."""


def _wrapped_label(row, keys):
    """``key=value, ...`` of ``row``, broken after a comma where a line would pass :data:`_LABEL_WIDTH`."""
    lines = [""]
    for part in (f"{key}={row[key]}" for key in keys):
        if lines[-1] and len(lines[-1]) + len(part) + 2 > _LABEL_WIDTH:
            lines[-1] += ","
            lines.append(part)
        else:
            lines[-1] += (", " if lines[-1] else "") + part
    return "\n".join(lines)


def _mark_diverged(ax, height, tick):
    """A diverged run's row: "diverged" in red where its bar would start, and its label in red."""
    ax.text(0.01, height, "diverged: no score", color="tab:red", va="center", style="italic",
            transform=ax.get_yaxis_transform())
    tick.set_color("tab:red")


_RESULT_KEYS = ("validation_accuracy", "validation_cost", "train_accuracy", "final_cost", "seconds", "diverged")
