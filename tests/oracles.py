"""The tests' oracles, in one place, keyed like the library's registries.

What the tests know without asking nnxp: PyTorch (autograd, its loss functions, ``torch.optim``),
two-sided finite differences and the loop reference :mod:`nnxp.loops`. One row per entry of
``nnxp.LOSSES``, ``nnxp.ACTIVATIONS`` and ``nnxp.OPTIMIZERS``; tests/test_registries.py fails
when an entry has none. A new loss, activation or optimizer is its registry entry plus one row
here:

- :data:`LOSS_ORACLES`: the output activation, torch's cost on the logits, and how
  :func:`problem` makes targets for it (and their training form).
- :data:`ACTIVATION_ORACLES`: the torch function of ``Z (n, m)``.
- :data:`OPTIMIZER_ORACLES`: settings, and the ``torch.optim`` class and settings that make the
  same steps.

Torch is imported only when an oracle that needs it runs (``pytest.importorskip``), so the
builders here work without it.
"""

from dataclasses import dataclass
from typing import Callable

import numpy as np
import pytest

import nnxp
from nnxp import loops

ROWS_LIVE_IN = "tests/oracles.py"


def require_torch():
    """The torch module, or a skip when it is not installed."""
    return pytest.importorskip("torch")


def _F():
    return require_torch().nn.functional


REGISTRIES = {"LOSS_ORACLES": "LOSSES", "ACTIVATION_ORACLES": "ACTIVATIONS", "OPTIMIZER_ORACLES": "OPTIMIZERS"}
"""Oracle table -> the registry of ``nnxp`` whose every entry it must have a row for."""


def unmatched_rows(table):
    """"" when oracle ``table`` (a name of :data:`REGISTRIES`) has one row per entry of its registry and
    no other; else a message naming the rows to add or remove, and where."""
    names, rows = set(getattr(nnxp, REGISTRIES[table])), set(globals()[table])
    problems = [f"{what}: {sorted(which)}; {fix} {table} in {ROWS_LIVE_IN}" for what, which, fix in (
        ("entries without an oracle row", names - rows, "add one row each to"),
        ("oracle rows for no entry", rows - names, "remove them from")) if which]
    return f"nnxp.{REGISTRIES[table]} has " + ", and ".join(problems) if problems else ""


def oracle_row(table, name):
    """The row of ``name`` in oracle ``table`` (a name of :data:`REGISTRIES`); a failure saying where
    to add it when there is none."""
    rows = globals()[table]
    if name not in rows:
        pytest.fail(f"nnxp.{REGISTRIES[table]} entry {name!r} has no oracle row: add one to {table} in {ROWS_LIVE_IN}")
    return rows[name]


# ---------------------------------------------------------------- activations


ACTIVATION_ORACLES = {
    "sigmoid": lambda Z: require_torch().sigmoid(Z),
    "tanh": lambda Z: require_torch().tanh(Z),
    "relu": lambda Z: require_torch().relu(Z),
    "leaky_relu": lambda Z: _F().leaky_relu(Z, 0.01),
    "softmax": lambda Z: require_torch().softmax(Z, dim=0),  # over each column's n units
    "linear": lambda Z: Z,
}
"""Activation name -> the torch function of a tensor ``Z (n, m)``."""


# ---------------------------------------------------------------- losses and the problems they train on


@dataclass(frozen=True)
class LossOracle:
    """A loss as the tests know it.

    ``output``: the output activation; ``cost(ZL, Y)``: J by torch from the logits (tensors,
    ``Y`` in training form), mean over the m samples; ``n_L``: :func:`problem`'s default output
    units; ``scores(X, n_L)``: the host values ``(rows, m)`` targets are read from (noise is
    added to them); ``labels(S)``: targets as a user gives them; ``training_form(Y, n_L)``: as
    the cost takes them.
    """

    output: str
    cost: Callable
    n_L: int
    scores: Callable
    labels: Callable = lambda S: S
    training_form: Callable = lambda Y, n_L: Y


LOSS_ORACLES = {
    "binary_cross_entropy": LossOracle(
        output="sigmoid",
        cost=lambda ZL, Y: _F().binary_cross_entropy_with_logits(ZL, Y),
        n_L=1,
        scores=lambda X, n_L: X[0:1] + X[1:2] * X[2:3],
        labels=lambda S: (S > 0).astype(float),
    ),
    "categorical_cross_entropy": LossOracle(
        output="softmax",
        cost=lambda ZL, Y: _F().cross_entropy(ZL.T, Y.argmax(dim=0)),  # class indices; mean over samples
        n_L=4,
        scores=lambda X, n_L: np.vstack([X, -X[0:1] - X[1:2]])[:n_L],  # the class is the largest
        labels=lambda S: np.argmax(S, axis=0)[None, :].astype(float),
        training_form=lambda Y, n_L: np.eye(n_L)[Y[0].astype(int)].T,
    ),
    "mse": LossOracle(
        output="linear",
        cost=lambda ZL, Y: _F().mse_loss(ZL, Y, reduction="sum") / (2 * ZL.shape[1]),
        n_L=2,
        scores=lambda X, n_L: np.stack([X[0] * X[1], np.sin(X[2]), X[0] - X[1], X[1] * X[2]][:n_L]),
    ),
}
"""Loss name -> :class:`LossOracle`."""


def problem(loss, n_x=3, m=60, seed=0, n_L=None, noise=0.0):
    """``(X, Y)`` on the host for ``loss``: ``X (n_x, m)`` standard normal from ``default_rng(seed)``,
    ``Y`` as a user gives it (0/1, class indices, real values) read from features 0..2 of X, with
    Gaussian noise of standard deviation ``noise`` on the scores first. ``n_L``: the output units
    (None: the row's default). The same arguments give the same arrays.
    """
    row = oracle_row("LOSS_ORACLES", loss)
    n_L = row.n_L if n_L is None else n_L
    if n_x < 3:
        raise ValueError(f"problem reads features 0..2: n_x must be >= 3, got {n_x}")
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_x, m))
    S = row.scores(X, n_L)
    if S.shape[0] != n_L:
        raise ValueError(f"{loss}'s scores give {S.shape[0]} rows, not n_L={n_L}: extend its row in {ROWS_LIVE_IN}")
    if noise:
        S = S + noise * rng.standard_normal(S.shape)
    return X, row.labels(S)


def random_parameters(dims, rng):
    """``{"W1": ..., "b1": ...}`` of the network ``dims``, standard normal from Generator ``rng``, W{l}
    then b{l} per layer (nonzero biases, so db is exercised)."""
    params = {}
    for l in range(1, len(dims)):
        params[f"W{l}"] = rng.standard_normal((dims[l], dims[l - 1]))
        params[f"b{l}"] = rng.standard_normal((dims[l], 1))
    return params


def training_form(loss, Y, n_L=None):
    """``Y`` from :func:`problem` in the form the cost takes (one-hot for categorical)."""
    row = oracle_row("LOSS_ORACLES", loss)
    return row.training_form(Y, row.n_L if n_L is None else n_L)


# ---------------------------------------------------------------- optimizers


@dataclass(frozen=True)
class OptimizerOracle:
    """nnxp's ``settings`` for the optimizer, and ``torch.optim.<torch_name>(**torch_settings(lr))``
    that makes the same steps at learning rate ``lr``."""

    settings: dict
    torch_name: str
    torch_settings: Callable


OPTIMIZER_ORACLES = {
    "gd": OptimizerOracle({}, "SGD", lambda lr: {"lr": lr}),
    # torch's buffer is b = beta b + dW, so the course's v = (1 - beta) b: the same steps at lr (1 - beta).
    "momentum": OptimizerOracle({"beta": 0.8}, "SGD", lambda lr: {"lr": lr * (1 - 0.8), "momentum": 0.8}),
    "rmsprop": OptimizerOracle({"beta": 0.85, "epsilon": 1e-6}, "RMSprop",
                               lambda lr: {"lr": lr, "alpha": 0.85, "eps": 1e-6}),
    "adam": OptimizerOracle({"beta1": 0.8, "beta2": 0.99, "epsilon": 1e-7}, "Adam",
                            lambda lr: {"lr": lr, "betas": (0.8, 0.99), "eps": 1e-7}),
}
"""Optimizer name -> :class:`OptimizerOracle`."""


# ---------------------------------------------------------------- PyTorch autograd and torch.optim


def torch_forward(P, X, activations):
    """The logits ``ZL`` of the network ``P`` (tensors keyed ``W1, b1, ...``) on tensor ``X``; the
    hidden layers by :data:`ACTIVATION_ORACLES`."""
    A = X
    for l, activation in enumerate(activations, start=1):
        Z = P[f"W{l}"] @ A + P[f"b{l}"]
        if l < len(activations):
            A = oracle_row("ACTIVATION_ORACLES", activation)(Z)
    return Z


def torch_gradients(loss, params, X, Y, activations):
    """``(J, {"dW1": ..., "db1": ...})`` of the network by PyTorch autograd and torch's own loss
    functions; host arrays in and out, ``Y`` in training form."""
    torch = require_torch()
    P = {key: torch.tensor(value, requires_grad=True) for key, value in params.items()}
    J = oracle_row("LOSS_ORACLES", loss).cost(torch_forward(P, torch.tensor(X), activations),
                                                           torch.tensor(Y))
    J.backward()
    return float(J.detach()), {"d" + key: value.grad.numpy() for key, value in P.items()}


def torch_trajectory(optimizer, loss, X, Y, dims, steps, learning_rate, torch_name=None, weight_decay=0.0):
    """Costs before each step and the final parameters of the relu network ``dims`` (started from
    ``nnxp.initialize_parameters(dims, seed=0)``) under the torch.optim row of ``optimizer`` (or its
    settings in the torch optimizer ``torch_name``, e.g. AdamW); ``Y`` as :func:`problem` gives it.
    ``weight_decay`` is torch's, on the W's only (the b's in a group without it)."""
    torch = require_torch()
    row = oracle_row("OPTIMIZER_ORACLES", optimizer)
    P = {key: torch.tensor(value, requires_grad=True)
         for key, value in nnxp.initialize_parameters(dims, seed=0).items()}
    groups = [{"params": [P[key] for key in P if key[0] == "W"], "weight_decay": weight_decay},
              {"params": [P[key] for key in P if key[0] == "b"], "weight_decay": 0.0}]
    step = getattr(torch.optim, torch_name or row.torch_name)(groups, **row.torch_settings(learning_rate))
    cost = oracle_row("LOSS_ORACLES", loss).cost
    Xt, Yt, activations = torch.tensor(X), torch.tensor(training_form(loss, Y, dims[-1])), ["relu"] * (len(dims) - 1)
    costs = []
    for _ in range(steps):
        step.zero_grad()
        J = cost(torch_forward(P, Xt, activations), Yt)
        J.backward()
        step.step()
        costs.append(float(J.detach()))
    return costs, {key: value.detach().numpy() for key, value in P.items()}


# ---------------------------------------------------------------- finite differences


def central_differences(cost, parameters, eps=1e-6):
    """``{key: dJ/dkey}`` by two-sided finite differences, ``(J(p + eps) - J(p - eps)) / 2 eps`` per
    entry: ``cost`` maps a dict of host arrays like ``parameters`` to a float."""
    numeric = {}
    for key, value in parameters.items():
        numeric[key] = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            costs = []
            for step in (eps, -eps):
                shifted = {**parameters, key: value.copy()}
                shifted[key][index] += step
                costs.append(cost(shifted))
            numeric[key][index] = (costs[0] - costs[1]) / (2 * eps)
    return numeric


# ---------------------------------------------------------------- the loop reference


def close(actual, expected):
    np.testing.assert_allclose(actual, expected, rtol=1e-12, atol=1e-12)


def assert_same_structure(actual, expected):
    """Nested tuples/lists/dicts of arrays: the same nesting, shapes, dtypes and values."""
    if isinstance(expected, (dict, list, tuple)):
        assert type(actual) is type(expected)
    if isinstance(actual, dict):
        assert sorted(actual) == sorted(expected)
        for key in actual:
            assert_same_structure(actual[key], expected[key])
    elif isinstance(actual, (list, tuple)):
        assert len(actual) == len(expected)
        for a, e in zip(actual, expected):
            assert_same_structure(a, e)
    else:  # NumPy may hand back a 0-d result as a NumPy scalar
        actual, expected = np.asarray(actual), np.asarray(expected)
        assert actual.shape == expected.shape and actual.dtype == expected.dtype
        close(actual, expected)


def _in_loops(function, *args, **kwargs):
    """``nnxp.loops.<function>(*args, **kwargs)``; its refusal of a name it does not know, as a failure
    saying where the loop version goes."""
    try:
        return getattr(loops, function)(*args, **kwargs)
    except ValueError as exc:
        pytest.fail(f"the loop reference refuses it ({exc}): a new loss or activation needs its loop version in "
                    "nnxp/loops.py too")


def assert_loops_agree(X, Y, params, activations, loss="binary_cross_entropy"):
    """The kernels' forward pass, both costs and backward pass equal :mod:`nnxp.loops`' (NumPy, host
    arrays, ``Y`` in training form). Returns the loops' ``(AL, caches, grads)``."""
    forward = _in_loops("model_forward", X, params, activations)
    assert_same_structure(forward, nnxp.model_forward(X, params, activations))
    AL, caches = forward
    assert_same_structure(_in_loops("compute_cost", AL, Y, loss=loss), nnxp.compute_cost(AL, Y, loss=loss))
    ZL = caches[-1][1]
    assert_same_structure(_in_loops("compute_cost_from_logits", ZL, Y, loss=loss),
                          nnxp.compute_cost_from_logits(ZL, Y, loss=loss))
    grads = _in_loops("model_backward", AL, Y, caches, activations)
    assert_same_structure(grads, nnxp.model_backward(AL, Y, caches, activations))
    return AL, caches, grads
