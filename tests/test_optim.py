"""Momentum, L2 regularization, mini-batches and gradient checking, on every backend."""

import numpy as np
import pytest

import nnxp
from nnxp.core import activations as activations_module


def test_momentum_update_by_hand(backend):
    parameters = {"W1": backend.asarray([[1.0, -1.0]]), "b1": backend.asarray([[0.0]])}
    grads = {"dW1": backend.asarray([[2.0, 0.0]]), "db1": backend.asarray([[-1.0]])}
    v = {"dW1": backend.asarray([[0.5, 1.0]]), "db1": backend.asarray([[0.0]])}
    new, new_v = nnxp.update_parameters_with_momentum(parameters, grads, v, beta=0.9, learning_rate=0.1)
    # v = 0.9 v + 0.1 dW: [0.45 + 0.2, 0.9 + 0], [0 - 0.1]; W = W - 0.1 v
    np.testing.assert_allclose(backend.check(new_v["dW1"]), [[0.65, 0.9]], rtol=1e-15)
    np.testing.assert_allclose(backend.check(new_v["db1"]), [[-0.1]], rtol=1e-15)
    np.testing.assert_allclose(backend.check(new["W1"]), [[0.935, -1.09]], rtol=1e-15)
    np.testing.assert_allclose(backend.check(new["b1"]), [[0.01]], rtol=1e-15)
    np.testing.assert_array_equal(backend.check(v["dW1"]), [[0.5, 1.0]])  # not mutated


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_initialize_velocity_is_zeros_like_the_parameters(backend, dtype):
    parameters = nnxp.initialize_parameters([3, 2, 1], dtype=dtype, backend=backend.xp, device=backend.device)
    v = nnxp.initialize_velocity(parameters)
    assert list(v) == ["dW1", "db1", "dW2", "db2"]
    for key, value in v.items():
        np.testing.assert_array_equal(backend.check(value, dtype), np.zeros(parameters[key[1:]].shape))


def test_l2_cost_and_gradients_by_hand(backend):
    parameters = {"W1": backend.asarray([[1.0, 2.0]]), "b1": backend.asarray([[5.0]]), "W2": backend.asarray([[3.0]]), "b2": backend.asarray([[7.0]])}
    # lambda / 2m * (1 + 4 + 9) with lambda = 0.5, m = 2
    np.testing.assert_allclose(backend.check(nnxp.l2_cost(parameters, 0.5, 2)), 1.75, rtol=1e-15)
    grads = {"dW1": backend.asarray([[0.0, 1.0]]), "db1": backend.asarray([[1.0]]), "dW2": backend.asarray([[1.0]]), "db2": backend.asarray([[0.0]])}
    new = nnxp.add_l2_gradients(grads, parameters, 0.5, 2)
    np.testing.assert_allclose(backend.check(new["dW1"]), [[0.25, 1.5]], rtol=1e-15)  # dW + 0.25 W
    np.testing.assert_allclose(backend.check(new["dW2"]), [[1.75]], rtol=1e-15)
    np.testing.assert_array_equal(backend.check(new["db1"]), [[1.0]])  # biases are not regularized


def test_random_mini_batches_shuffle_columns_together(backend):
    X_host = np.arange(2 * 10, dtype=float).reshape(2, 10)
    X, Y = backend.asarray(X_host), backend.asarray(np.arange(10.0)[None, :])
    batches = nnxp.random_mini_batches(X, Y, 4, seed=3)
    assert [b[0].shape[1] for b in batches] == [4, 4, 2]  # the last partial batch is kept
    columns = np.concatenate([backend.check(b[1])[0] for b in batches])
    assert sorted(columns) == list(range(10)) and list(columns) != list(range(10))
    for X_t, Y_t in batches:
        np.testing.assert_array_equal(backend.check(X_t), X_host[:, backend.check(Y_t)[0].astype(int)])
    again = nnxp.random_mini_batches(X, Y, 4, seed=3)
    np.testing.assert_array_equal(backend.check(again[0][1]), backend.check(batches[0][1]))
    other_epoch = nnxp.random_mini_batches(X, Y, 4, seed=3, epoch=1)
    assert not np.array_equal(backend.check(other_epoch[0][1]), backend.check(batches[0][1]))


def _network(backend, seed=0):
    rng = np.random.default_rng(seed)
    parameters = {k: backend.asarray(v) for k, v in nnxp.initialize_parameters([3, 4, 2, 1], seed=rng).items()}
    X = backend.asarray(rng.standard_normal((3, 6)))
    Y = backend.asarray([[0.0, 1.0, 1.0, 0.0, 1.0, 0.0]])
    return parameters, X, Y


@pytest.mark.one_jax_instance("backend")
@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "leaky_relu"])
@pytest.mark.parametrize("l2", [0.0, 0.7])
def test_gradient_check_passes_for_the_real_backward(backend, activation, l2):
    """The L2-regularized cost's gradients, verified by two-sided finite differences."""
    parameters, X, Y = _network(backend)
    assert nnxp.gradient_check(parameters, X, Y, [activation, activation, "sigmoid"], l2=l2) < 1e-7


def test_gradient_check_catches_a_wrong_backward(monkeypatch):
    parameters, X, Y = _network(type("B", (), {"asarray": staticmethod(np.asarray)}))
    forward, _ = activations_module.ACTIVATIONS["tanh"]
    monkeypatch.setitem(activations_module.ACTIVATIONS, "tanh", (forward, lambda xp, dA, Z, A: dA * (1 - A)))
    assert nnxp.gradient_check(parameters, X, Y, ["tanh", "tanh", "sigmoid"]) > 1e-3
