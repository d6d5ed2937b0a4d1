"""nnxp.loops, the loop-based oracle: values derived by hand, then agreement with the kernels.

The hand example, used throughout (n_x = 2 inputs, m = 2 samples, one unit)::

    X = [[ 1, 2],      W = [[0.5, 2]]    b = [[0]]
         [-1, 0]]
    Z = W X + b = [[0.5*1 + 2*(-1), 0.5*2 + 2*0]] = [[-1.5, 1.0]]
"""

import inspect
import math

import numpy as np
import pytest
from oracles import assert_loops_agree, assert_same_structure, central_differences, close, random_parameters

import nnxp
from nnxp import loops

X = np.array([[1.0, 2.0], [-1.0, 0.0]])
W = np.array([[0.5, 2.0]])
b = np.array([[0.0]])
Z = np.array([[-1.5, 1.0]])
PUBLIC = [
    "linear_forward", "linear_activation_forward", "model_forward", "compute_cost",
    "compute_cost_from_logits", "linear_backward", "linear_activation_backward",
    "model_backward", "update_parameters",
]
HIDDEN = ["relu", "leaky_relu", "tanh", "sigmoid"]


def sigmoid(z):
    return 1 / (1 + math.exp(-z))


@pytest.mark.parametrize("name", PUBLIC)
def test_same_signatures_as_the_kernels(name):
    assert inspect.signature(getattr(loops, name)) == inspect.signature(getattr(nnxp, name))


def test_linear_forward_by_hand():
    Z_loops, cache = loops.linear_forward(X, W, b)
    close(Z_loops, Z)
    assert cache[0] is X and cache[1] is W and cache[2] is b


@pytest.mark.parametrize("activation, expected", [
    ("relu", [[0.0, 1.0]]),                       # max(0, z)
    ("leaky_relu", [[-0.015, 1.0]]),              # 0.01 * -1.5 = -0.015
    ("tanh", [[math.tanh(-1.5), math.tanh(1.0)]]),
    ("sigmoid", [[sigmoid(-1.5), sigmoid(1.0)]]),  # 0.1824..., 0.7310...
])
def test_linear_activation_forward_by_hand(activation, expected):
    A, ((A_prev, _, _), Z_cached) = loops.linear_activation_forward(X, W, b, activation)
    close(A, expected)
    close(Z_cached, Z)
    assert A_prev is X


def test_compute_cost_by_hand():
    # J = -(1/2) [log(1 - 0.5) + log(0.8)] = -(1/2) log(0.4)
    cost = loops.compute_cost(np.array([[0.5, 0.8]]), np.array([[0.0, 1.0]]))
    assert cost.shape == ()
    close(cost, -0.5 * math.log(0.4))


def test_compute_cost_clips_saturated_outputs():
    # AL = 0 with y = 1 and AL = 1 with y = 0: both clipped, each term is log(eps)
    cost = loops.compute_cost(np.array([[0.0, 1.0]]), np.array([[1.0, 0.0]]))
    close(cost, -math.log(np.finfo(np.float64).eps))


def test_cost_from_logits_by_hand():
    # Z = [-1.5, 1], Y = [0, 1]: terms max(z, 0) - z y + log(1 + e^-|z|) are
    # 0 - 0 + log(1 + e^-1.5) and 1 - 1 + log(1 + e^-1)
    expected = 0.5 * (math.log1p(math.exp(-1.5)) + math.log1p(math.exp(-1.0)))
    close(loops.compute_cost_from_logits(Z, np.array([[0.0, 1.0]])), expected)


def test_linear_backward_by_hand():
    # dZ = [[1, -2]]: dW = (1/2) [1*1 + (-2)*2, 1*(-1) + (-2)*0] = [[-1.5, -0.5]],
    # db = (1/2)(1 - 2) = -0.5, dA_prev = W^T dZ = [[0.5, -1], [2, -4]]
    dA_prev, dW, db = loops.linear_backward(np.array([[1.0, -2.0]]), (X, W, b))
    close(dW, [[-1.5, -0.5]])
    close(db, [[-0.5]])
    close(dA_prev, [[0.5, -1.0], [2.0, -4.0]])


@pytest.mark.parametrize("activation, dZ", [
    ("relu", [0.0, -2.0]),             # z = -1.5 blocks, z = 1 passes
    ("leaky_relu", [0.01, -2.0]),      # z = -1.5 passes 1%
    ("tanh", [1 - math.tanh(-1.5) ** 2, -2 * (1 - math.tanh(1.0) ** 2)]),
    ("sigmoid", [sigmoid(-1.5) * (1 - sigmoid(-1.5)), -2 * sigmoid(1.0) * (1 - sigmoid(1.0))]),
])
def test_linear_activation_backward_by_hand(activation, dZ):
    # dA = [[1, -2]], dZ = dA * g'(Z); then dW = (1/2) [dZ0*1 + dZ1*2, -dZ0], db = (dZ0 + dZ1)/2
    dA_prev, dW, db = loops.linear_activation_backward(np.array([[1.0, -2.0]]), ((X, W, b), Z), activation)
    close(dW, [[(dZ[0] + 2 * dZ[1]) / 2, -dZ[0] / 2]])
    close(db, [[(dZ[0] + dZ[1]) / 2]])
    close(dA_prev, [[0.5 * dZ[0], 0.5 * dZ[1]], [2 * dZ[0], 2 * dZ[1]]])


def test_logistic_regression_backward_by_hand():
    # one sigmoid layer, Y = [0, 1]: dZ = AL - Y, dW = (1/2) dZ X^T, dA0 = W^T dZ
    Y = np.array([[0.0, 1.0]])
    AL, caches = loops.model_forward(X, {"W1": W, "b1": b}, ["sigmoid"])
    dZ = [sigmoid(-1.5), sigmoid(1.0) - 1]
    grads = loops.model_backward(AL, Y, caches, ["sigmoid"])
    assert sorted(grads) == ["dA0", "dW1", "db1"]
    close(grads["dW1"], [[(dZ[0] + 2 * dZ[1]) / 2, -dZ[0] / 2]])
    close(grads["db1"], [[(dZ[0] + dZ[1]) / 2]])
    close(grads["dA0"], [[0.5 * dZ[0], 0.5 * dZ[1]], [2 * dZ[0], 2 * dZ[1]]])


def test_update_parameters_by_hand():
    # W - 0.1 dW = [0.5 + 0.15, 2 + 0.05], b - 0.1 db = 0 + 0.05
    new = loops.update_parameters({"W1": W, "b1": b}, {"dW1": np.array([[-1.5, -0.5]]),
                                                       "db1": np.array([[-0.5]])}, 0.1)
    close(new["W1"], [[0.65, 2.05]])
    close(new["b1"], [[0.05]])
    close(W, [[0.5, 2.0]])  # not mutated


def test_output_dtype_follows_the_input():
    Z32, _ = loops.linear_forward(X.astype(np.float32), W.astype(np.float32), b.astype(np.float32))
    assert Z32.dtype == np.float32


def test_errors_name_the_problem():
    with pytest.raises(ValueError, match="activation must be one of"):
        loops.linear_activation_forward(X, W, b, "swish")
    with pytest.raises(ValueError, match="'sigmoid'"):
        loops.model_backward(Z, Z, [((X, W, b), Z)], ["relu"])
    with pytest.raises(ValueError, match="names"):
        loops.model_forward(X, {"W1": W, "b1": b}, ["relu", "sigmoid"])


def test_loop_gradients_match_central_differences():
    """The oracle checked without the kernels: dW1 of a tanh net against finite differences."""
    dims, activations = [3, 4, 1], ["tanh", "sigmoid"]
    Xr, Yr, params = random_problem(dims, m=5, seed=3)

    def cost(p):
        return float(loops.compute_cost(loops.model_forward(Xr, p, activations)[0], Yr))

    AL, caches = loops.model_forward(Xr, params, activations)
    dW1 = loops.model_backward(AL, Yr, caches, activations)["dW1"]
    numeric = central_differences(lambda W1: cost({**params, **W1}), {"W1": params["W1"]})["W1"]
    np.testing.assert_allclose(dW1, numeric, rtol=1e-6, atol=1e-9)


# ---- the oracle against the vectorized kernels ----------------------------------------------

def random_problem(dims, m, seed):
    """X (n_x, m), Y (1, m) with labels 0/1, and parameters W{l}, b{l} with nonzero b."""
    rng = np.random.default_rng(seed)
    params = random_parameters(dims, rng)
    Y = (rng.random((1, m)) > 0.5).astype(np.float64)
    return rng.standard_normal((dims[0], m)), Y, params


NETWORKS = [
    pytest.param(dims, hidden, id=f"{'-'.join(map(str, dims))}-{hidden}")
    for dims in ([4, 1], [4, 3, 1], [5, 4, 3, 1], [3, 5, 4, 2, 1])
    for hidden in HIDDEN
]


@pytest.mark.parametrize("dims, hidden", NETWORKS)
def test_model_functions_agree_with_kernels(dims, hidden):
    Xr, Yr, params = random_problem(dims, m=6, seed=len(dims))
    activations = [hidden] * (len(dims) - 2) + ["sigmoid"]
    AL, caches, grads = assert_loops_agree(Xr, Yr, params, activations)
    assert_same_structure(loops.update_parameters(params, grads, 0.05),
                          nnxp.update_parameters(params, grads, 0.05))
    without_dA0 = loops._model_backward(AL, Yr, caches, activations, need_dA0=False)
    assert_same_structure(without_dA0, {k: v for k, v in grads.items() if k != "dA0"})


@pytest.mark.parametrize("activation", HIDDEN)
def test_layer_functions_agree_with_kernels(activation):
    Xr, _, params = random_problem([4, 3], m=7, seed=11)
    Wr, br = params["W1"], params["b1"]
    assert_same_structure(loops.linear_forward(Xr, Wr, br), nnxp.linear_forward(Xr, Wr, br))
    forward = loops.linear_activation_forward(Xr, Wr, br, activation)
    assert_same_structure(forward, nnxp.linear_activation_forward(Xr, Wr, br, activation))
    dA = np.random.default_rng(12).standard_normal((3, 7))
    cache = forward[1]
    assert_same_structure(loops.linear_activation_backward(dA, cache, activation),
                          nnxp.linear_activation_backward(dA, cache, activation))
    assert_same_structure(loops.linear_backward(dA, cache[0]), nnxp.linear_backward(dA, cache[0]))
