"""Kernels against hand-derived values and central finite differences, on every backend."""

import math

import numpy as np
import pytest
from oracles import central_differences

import nnxp

ACTIVATIONS = ["sigmoid", "tanh", "relu", "leaky_relu"]

# A tiny example worked by hand: n[0] = 2 inputs, m = 2 samples, one unit.
A_PREV = [[1.0, 2.0], [3.0, 4.0]]
W = [[2.0, -1.0]]
B = [[0.5]]
Z = [[-0.5, 0.5]]  # 2*1 - 3 + 0.5, 2*2 - 4 + 0.5


def test_linear_forward_by_hand(backend):
    Zb, cache = nnxp.linear_forward(backend.asarray(A_PREV), backend.asarray(W), backend.asarray(B))
    np.testing.assert_array_equal(backend.check(Zb), Z)
    assert len(cache) == 3 and cache[1] is not None


@pytest.mark.parametrize(
    "activation, z, expected",
    [
        ("sigmoid", [0.0, math.log(3.0)], [0.5, 0.75]),
        ("tanh", [0.0, math.log(2.0)], [0.0, 0.6]),  # (2 - 1/2) / (2 + 1/2)
        ("relu", [-1.0, 2.0], [0.0, 2.0]),
        ("leaky_relu", [-2.0, 2.0], [-0.02, 2.0]),
    ],
)
def test_linear_activation_forward_by_hand(backend, activation, z, expected):
    # W = identity-like row picks the single input so Z = z exactly.
    A_prev = backend.asarray([z])
    A, ((A_prev_c, W_c, b_c), Zb) = nnxp.linear_activation_forward(
        A_prev, backend.asarray([[1.0]]), backend.asarray([[0.0]]), activation
    )
    np.testing.assert_allclose(backend.check(A), [expected], rtol=1e-15, atol=1e-15)
    np.testing.assert_array_equal(backend.check(Zb), [z])


@pytest.mark.parametrize(
    "activation, dZ_expected",
    [
        ("sigmoid", [[0.25 * 1.0, 0.1875 * 2.0]]),  # sigma'(0) = 1/4, sigma'(ln 3) = 3/4 * 1/4
        ("tanh", [[1.0, 0.64 * 2.0]]),  # 1 - tanh^2: 1, 1 - 0.36
        ("relu", [[0.0, 2.0]]),
        ("leaky_relu", [[0.01, 2.0]]),
    ],
)
def test_linear_activation_backward_by_hand(backend, activation, dZ_expected):
    z = {"sigmoid": [0.0, math.log(3.0)], "tanh": [0.0, math.log(2.0)]}.get(activation, [-1.0, 2.0])
    cache = ((backend.asarray([[1.0, 1.0]]), backend.asarray([[3.0]]), backend.asarray([[0.0]])),
             backend.asarray([z]))
    dA_prev, dW, db = nnxp.linear_activation_backward(backend.asarray([[1.0, 2.0]]), cache, activation)
    dZ = np.array(dZ_expected)
    np.testing.assert_allclose(backend.check(dA_prev), 3.0 * dZ, rtol=1e-14)  # W^T dZ
    np.testing.assert_allclose(backend.check(dW), [[dZ.sum() / 2]], rtol=1e-14)  # dZ A^T / m
    np.testing.assert_allclose(backend.check(db), [[dZ.sum() / 2]], rtol=1e-14)


def test_linear_backward_by_hand(backend):
    cache = (backend.asarray(A_PREV), backend.asarray(W), backend.asarray(B))
    dA_prev, dW, db = nnxp.linear_backward(backend.asarray([[1.0, -1.0]]), cache)
    np.testing.assert_array_equal(backend.check(dW), [[-0.5, -0.5]])  # [[1 - 2, 3 - 4]] / 2
    np.testing.assert_array_equal(backend.check(db), [[0.0]])
    np.testing.assert_array_equal(backend.check(dA_prev), [[2.0, -2.0], [-1.0, 1.0]])


def test_compute_cost_by_hand(backend):
    cost = nnxp.compute_cost(backend.asarray([[0.5, 0.75]]), backend.asarray([[1.0, 0.0]]))
    assert cost.shape == ()
    np.testing.assert_allclose(backend.check(cost), 1.5 * math.log(2.0), rtol=1e-15)  # (ln 2 + ln 4) / 2


def test_cost_from_logits_matches_cost(backend):
    ZL = backend.asarray([[-3.0, -0.2, 0.0, 1.5, 7.0]])
    Y = backend.asarray([[0.0, 1.0, 1.0, 0.0, 1.0]])
    AL, _ = nnxp.linear_activation_forward(ZL, backend.asarray([[1.0]]), backend.asarray([[0.0]]), "sigmoid")
    np.testing.assert_allclose(
        backend.check(nnxp.compute_cost_from_logits(ZL, Y)), backend.check(nnxp.compute_cost(AL, Y)), rtol=1e-14
    )


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_saturated_outputs_give_finite_cost_and_gradients(backend, dtype):
    """An output saturated to exactly 0 or 1 must not produce log(0), inf or NaN."""
    ZL = backend.asarray([[-1e4, 1e4, -800.0, 800.0, 0.0]], dtype)
    Y = backend.asarray([[1.0, 0.0, 0.0, 1.0, 1.0]], dtype)
    AL, cache = nnxp.linear_activation_forward(ZL, backend.asarray([[1.0]], dtype), backend.asarray([[0.0]], dtype), "sigmoid")
    AL_host = backend.check(AL, dtype)
    np.testing.assert_array_equal(AL_host, np.array([[0.0, 1.0, 0.0, 1.0, 0.5]], dtype))
    assert np.isfinite(backend.check(nnxp.compute_cost(AL, Y), dtype))
    exact = (1e4 + 1e4 + 0.0 + 0.0 + math.log(2.0)) / 5
    np.testing.assert_allclose(backend.check(nnxp.compute_cost_from_logits(ZL, Y), dtype), exact, rtol=1e-6)
    grads = nnxp.model_backward(AL, Y, [cache], ["sigmoid"])
    for g in grads.values():
        assert np.all(np.isfinite(backend.check(g, dtype)))


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_activations_do_not_overflow(backend, activation):
    Z = backend.asarray([[-1e308, -710.0, 710.0, 1e308]])
    A, _ = nnxp.linear_activation_forward(Z, backend.asarray([[1.0]]), backend.asarray([[0.0]]), activation)
    assert not np.any(np.isnan(backend.check(A)))


def test_update_parameters_by_hand_and_does_not_mutate(backend):
    params = {"W1": backend.asarray([[1.0, 2.0]]), "b1": backend.asarray([[3.0]])}
    grads = {"dW1": backend.asarray([[10.0, -10.0]]), "db1": backend.asarray([[1.0]]), "dA0": None}
    new = nnxp.update_parameters(params, grads, 0.1)
    np.testing.assert_allclose(backend.check(new["W1"]), [[0.0, 3.0]], rtol=1e-15)
    np.testing.assert_allclose(backend.check(new["b1"]), [[2.9]], rtol=1e-15)
    np.testing.assert_array_equal(backend.check(params["W1"]), [[1.0, 2.0]])
    assert set(new) == {"W1", "b1"}


def _random_network(backend, depth, activation, seed=0, m=5):
    rng = np.random.default_rng(seed)
    dims = [3, 4, 3, 2][:depth] + [1]
    params = {k: backend.asarray(v) for k, v in nnxp.initialize_parameters(dims, seed=rng).items()}
    # Random non-zero biases, so db is exercised too.
    params.update({f"b{l}": backend.asarray(rng.standard_normal((dims[l], 1))) for l in range(1, len(dims))})
    X = backend.asarray(rng.standard_normal((dims[0], m)))
    Y = backend.asarray((np.arange(m) % 2)[None, :])
    return dims, params, X, Y, [activation] * (depth - 1) + ["sigmoid"]


# Depth 1 is the output layer alone, where a hidden activation would go unused: once, not once per activation.
NETWORKS = [(1, "sigmoid")] + [(depth, activation) for depth in (2, 3, 4) for activation in ACTIVATIONS]


@pytest.mark.one_jax_instance("backend")
@pytest.mark.parametrize("depth, activation", NETWORKS)
def test_gradients_match_central_differences(backend, depth, activation):
    dims, params, X, Y, activations = _random_network(backend, depth, activation)
    AL, caches = nnxp.model_forward(X, params, activations)
    grads = nnxp.model_backward(AL, Y, caches, activations)
    assert set(grads) == {f"dA{l}" for l in range(depth)} | {f"d{k}" for k in params}

    host = {k: nnxp.to_numpy(v) for k, v in params.items()}

    def cost(shifted):  # moves only the shifted array to the backend
        moved = {k: params[k] if v is host[k] else backend.asarray(v) for k, v in shifted.items()}
        return float(nnxp.compute_cost(nnxp.model_forward(X, moved, activations)[0], Y))

    numeric = np.concatenate([value.ravel() for value in central_differences(cost, host).values()])
    analytic = np.concatenate([backend.check(grads["d" + key]).ravel() for key in host])
    relative = np.linalg.norm(analytic - numeric) / (np.linalg.norm(analytic) + np.linalg.norm(numeric))
    assert relative < 1e-7


def test_dA0_is_the_input_gradient(backend):
    """dA0 = W1^T dZ1: checked by finite differences on X itself."""
    _, params, X, Y, activations = _random_network(backend, 2, "tanh")
    AL, caches = nnxp.model_forward(X, params, activations)
    dA0 = backend.check(nnxp.model_backward(AL, Y, caches, activations)["dA0"])

    def cost(shifted):
        return float(nnxp.compute_cost(nnxp.model_forward(backend.asarray(shifted["X"]), params, activations)[0], Y))

    numeric = central_differences(cost, {"X": nnxp.to_numpy(X)})["X"]
    for index in [(0, 0), (2, 4)]:
        # J averages over m samples while dA0 is the per-sample dL/dA0 (the course's convention).
        np.testing.assert_allclose(dA0[index] / X.shape[1], numeric[index], rtol=1e-6)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_dtype_follows_the_inputs(backend, dtype):
    params = nnxp.initialize_parameters([3, 2, 1], dtype=dtype, backend=backend.xp, device=backend.device)
    X = backend.asarray(np.ones((3, 4)), dtype)
    Y = backend.asarray(np.ones((1, 4)), dtype)
    AL, caches = nnxp.model_forward(X, params, ["relu", "sigmoid"])
    backend.check(AL, dtype)
    backend.check(nnxp.compute_cost(AL, Y), dtype)
    grads = nnxp.model_backward(AL, Y, caches, ["relu", "sigmoid"])
    for value in nnxp.update_parameters(params, grads, 0.1).values():
        backend.check(value, dtype)


def test_model_backward_requires_a_sigmoid_output(backend):
    _, params, X, Y, _ = _random_network(backend, 2, "relu")
    AL, caches = nnxp.model_forward(X, params, ["relu", "tanh"])
    with pytest.raises(ValueError, match="output layer.*sigmoid.*'tanh'"):
        nnxp.model_backward(AL, Y, caches, ["relu", "tanh"])


def test_model_forward_wants_one_activation_per_layer(backend):
    _, params, X, _, _ = _random_network(backend, 3, "relu")
    with pytest.raises(ValueError, match="activations has 2 names but parameters hold 3 layers"):
        nnxp.model_forward(X, params, ["relu", "sigmoid"])


def test_unknown_activation_is_named(backend):
    with pytest.raises(ValueError, match="activation must be one of .* got 'swish'"):
        nnxp.linear_activation_forward(backend.asarray(A_PREV), backend.asarray(W), backend.asarray(B), "swish")
