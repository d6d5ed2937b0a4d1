"""The registries' contract: every entry of ``nnxp.LOSSES``, ``nnxp.ACTIVATIONS`` and
``nnxp.OPTIMIZERS`` against its row in tests/oracles.py, on every backend.

- A loss: its output activation, its cost from the logits, and ``dZ[L] = AL - Y``, against
  torch's loss function and autograd; a network's gradients against autograd, central finite
  differences (``gradient_check``) and the loop reference.
- An activation: the layer's forward values and backward step against torch and autograd.
- An optimizer: a training trajectory against the same steps of ``torch.optim``.

A new entry with no oracle row fails here, saying where to add it.
"""

import functools

import numpy as np
import pytest
from oracles import (
    REGISTRIES,
    assert_loops_agree,
    oracle_row,
    problem,
    random_parameters,
    require_torch,
    torch_gradients,
    torch_trajectory,
    training_form,
    unmatched_rows,
)

import nnxp


@pytest.mark.parametrize("table", REGISTRIES)
def test_every_registry_entry_has_an_oracle_row(table):
    message = unmatched_rows(table)
    if message:
        pytest.fail(message)


# ---------------------------------------------------------------- losses


@pytest.mark.parametrize("loss", nnxp.LOSSES)
def test_a_loss_is_its_output_its_cost_and_dZ_equal_to_AL_minus_Y(backend, loss):
    """One layer with W = I and b = 0 fed ZL: its Z is ZL, so AL, the costs and dA0 = W^T dZ = dZ[L]
    are the loss's own, checked against torch's output, loss function and autograd."""
    torch = require_torch()
    row = oracle_row("LOSS_ORACLES", loss)
    assert nnxp.LOSSES[loss].output_activation == row.output
    n_L, m = row.n_L, 7
    ZL = 3 * np.random.default_rng(1).standard_normal((n_L, m))
    Y = training_form(loss, problem(loss, m=m, n_L=n_L)[1], n_L)
    Zt = torch.tensor(ZL, requires_grad=True)
    J = row.cost(Zt, torch.tensor(Y))
    J.backward()
    Yb = backend.asarray(Y)
    AL, caches = nnxp.model_forward(backend.asarray(ZL), {"W1": backend.asarray(np.eye(n_L)),
                                                          "b1": backend.asarray(np.zeros((n_L, 1)))}, [row.output])
    AL_host = backend.check(AL)
    np.testing.assert_allclose(AL_host, oracle_row("ACTIVATION_ORACLES", row.output)(Zt).detach().numpy(), rtol=1e-13)
    np.testing.assert_allclose(backend.check(nnxp.compute_cost_from_logits(caches[-1][1], Yb, loss=loss)),
                               J.item(), rtol=1e-12)
    np.testing.assert_allclose(backend.check(nnxp.compute_cost(AL, Yb, loss=loss)), J.item(), rtol=1e-12)
    dZ = backend.check(nnxp.model_backward(AL, Yb, caches, [row.output])["dA0"])  # per sample: m dJ/dZL
    np.testing.assert_allclose(dZ, AL_host - Y, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(dZ, m * Zt.grad.numpy(), rtol=1e-12, atol=1e-15)


def _network(loss, dims, hidden, seed=0, m=7):
    """Host parameters (nonzero biases), X, Y in training form from :func:`problem`, and the activations
    of the network ``dims`` with the loss's output units."""
    row = oracle_row("LOSS_ORACLES", loss)
    dims = [*dims, row.n_L]
    params = random_parameters(dims, np.random.default_rng(seed))
    X, Y = problem(loss, n_x=dims[0], m=m, seed=seed, n_L=dims[-1])
    return params, X, training_form(loss, Y, dims[-1]), [hidden] * (len(dims) - 2) + [row.output]


NETWORKS = [([4], "relu"), ([4, 3], "tanh"), ([5, 4, 3], "leaky_relu"), ([3, 5, 4, 2], "sigmoid")]  # less the output
CASES = [pytest.param(loss, dims, hidden, id=f"{loss}-{len(dims)}-layers-{hidden}")
         for loss in nnxp.LOSSES for dims, hidden in NETWORKS]


@pytest.mark.one_jax_instance("backend")
@pytest.mark.parametrize("loss, dims, hidden", CASES)
def test_gradients_match_pytorch_autograd(backend, loss, dims, hidden):
    params, X, Y, activations = _network(loss, dims, hidden)
    J_torch, expected = torch_gradients(loss, params, X, Y, activations)
    P = {key: backend.asarray(value) for key, value in params.items()}
    AL, caches = nnxp.model_forward(backend.asarray(X), P, activations)
    grads = nnxp.model_backward(AL, backend.asarray(Y), caches, activations)
    for key, value in expected.items():
        np.testing.assert_allclose(backend.check(grads[key]), value, rtol=1e-9, atol=1e-12, err_msg=key)
    J = nnxp.compute_cost_from_logits(caches[-1][1], backend.asarray(Y), loss=loss)
    np.testing.assert_allclose(backend.check(J), J_torch, rtol=1e-12)


@pytest.mark.parametrize("l2", [0.0, 0.7])
@pytest.mark.parametrize("loss, dims, hidden", CASES)
def test_gradient_check_passes_for_every_loss(loss, dims, hidden, l2):
    params, X, Y, activations = _network(loss, dims, hidden, seed=1, m=5)
    assert nnxp.gradient_check(params, X, Y, activations, l2=l2) < 1e-7


def test_gradient_check_catches_a_wrong_label_encoding():
    """gradient_check is not vacuous for softmax: Y that is not one-hot breaks dZ = AL - Y."""
    params, X, Y, activations = _network("categorical_cross_entropy", [4, 3], "tanh")
    assert nnxp.gradient_check(params, X, 2 * Y, activations) > 1e-3


@pytest.mark.parametrize("loss, dims, hidden", CASES)
def test_loop_oracle_agrees_with_the_kernels(loss, dims, hidden):
    params, X, Y, activations = _network(loss, dims, hidden, seed=2)
    assert_loops_agree(X, Y, params, activations, loss=loss)


# ---------------------------------------------------------------- activations


@pytest.mark.parametrize("activation", nnxp.ACTIVATIONS)
def test_an_activation_layer_matches_pytorch_forward_and_backward(backend, activation):
    """linear_activation_forward and _backward through the activation, for an arbitrary upstream dA."""
    torch = require_torch()
    g = oracle_row("ACTIVATION_ORACLES", activation)
    rng = np.random.default_rng(5)
    A_prev, W, b, dA = (rng.standard_normal(shape) for shape in ((4, 6), (3, 4), (3, 1), (3, 6)))
    Wt, bt, At = (torch.tensor(v, requires_grad=True) for v in (W, b, A_prev))
    A_torch = g(Wt @ At + bt)
    (A_torch * torch.tensor(dA)).sum().backward()
    A, cache = nnxp.linear_activation_forward(*(backend.asarray(v) for v in (A_prev, W, b)), activation)
    np.testing.assert_allclose(backend.check(A), A_torch.detach().numpy(), rtol=1e-13, atol=1e-15)
    dA_prev, dW, db = nnxp.linear_activation_backward(backend.asarray(dA), cache, activation)
    m = A_prev.shape[1]  # nnxp's dW, db average over the samples; dA_prev does not
    np.testing.assert_allclose(backend.check(dW), Wt.grad.numpy() / m, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(backend.check(db), bt.grad.numpy() / m, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(backend.check(dA_prev), At.grad.numpy(), rtol=1e-12, atol=1e-15)


# ---------------------------------------------------------------- optimizers


TRAJECTORY = dict(n_x=4, m=40, steps=15, learning_rate=0.01)


@functools.cache
def _torch_optim(optimizer, loss):
    """The problem, the network and torch.optim's costs and final parameters on it (one run for all backends)."""
    X, Y = problem(loss, n_x=TRAJECTORY["n_x"], m=TRAJECTORY["m"])
    dims = [TRAJECTORY["n_x"], 6, 5, oracle_row("LOSS_ORACLES", loss).n_L]
    return X, Y, dims, torch_trajectory(optimizer, loss, X, Y, dims, TRAJECTORY["steps"], TRAJECTORY["learning_rate"])


# Every optimizer on a softmax output; Adam and RMSprop on a sigmoid output too (each pair compiles once on JAX).
TRAJECTORIES = [(optimizer, "categorical_cross_entropy") for optimizer in nnxp.OPTIMIZERS] + [
    ("adam", "binary_cross_entropy"), ("rmsprop", "binary_cross_entropy")]


@pytest.mark.parametrize("optimizer, loss", TRAJECTORIES)
def test_trajectories_equal_torch_optim(backend, optimizer, loss):
    X, Y, dims, (costs, parameters) = _torch_optim(optimizer, loss)
    settings = oracle_row("OPTIMIZER_ORACLES", optimizer).settings
    model = nnxp.NeuralNetwork(dims, learning_rate=TRAJECTORY["learning_rate"], num_iterations=TRAJECTORY["steps"],
                               cost_every=1, optimizer=nnxp.OPTIMIZERS[optimizer](**settings))
    model.fit(backend.asarray(X), backend.asarray(Y))
    np.testing.assert_allclose(model.costs_, costs, rtol=1e-9)
    for key, value in parameters.items():
        np.testing.assert_allclose(backend.check(model.parameters_[key]), value, rtol=1e-9, atol=1e-12, err_msg=key)
    assert model.steps_done_ == TRAJECTORY["steps"]
