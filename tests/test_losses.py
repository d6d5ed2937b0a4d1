"""The losses and the new activations at the kernel level: softmax, one_hot and costs.

Oracles: the course's published softmax numbers, values worked by hand and the loop oracle
``nnxp.loops``. Every loss's gradients against PyTorch autograd, finite differences and the loops
are in tests/test_registries.py.
"""

import math

import numpy as np
import pytest
from oracles import oracle_row

import nnxp
from nnxp import loops

# The course's Python-basics exercise: softmax over each *row* of x, and its printed result.
COURSE_X = [[9.0, 2.0, 5.0, 0.0, 0.0], [7.0, 5.0, 0.0, 0.0, 0.0]]
COURSE_SOFTMAX = [[9.80897665e-01, 8.94462891e-04, 1.79657674e-02, 1.21052389e-04, 1.21052389e-04],
                  [8.78679856e-01, 1.18916387e-01, 8.01252314e-04, 8.01252314e-04, 8.01252314e-04]]


# ---------------------------------------------------------------- softmax and one_hot


def test_softmax_reproduces_the_course_numbers(backend):
    """The notes' rows are nnxp's columns: softmax(x.T).T is the course's softmax(x)."""
    S = backend.check(nnxp.softmax(backend.asarray(np.array(COURSE_X).T))).T
    np.testing.assert_allclose(S, COURSE_SOFTMAX, rtol=5e-9)
    by_hand = math.exp(9) / (math.exp(9) + math.exp(2) + math.exp(5) + 2)  # first entry, derived
    np.testing.assert_allclose(S[0, 0], by_hand, rtol=1e-15)
    np.testing.assert_allclose(S.sum(axis=1), 1.0, rtol=1e-15)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_softmax_never_overflows(backend, dtype):
    """Logits far beyond exp's range (float32 overflows at 89) give exact, finite probabilities."""
    Z = backend.asarray([[1000.0, -1e37, 0.0], [1000.0, 1e37, -1e4], [-1000.0, 0.0, 1e4]], dtype)
    S = backend.check(nnxp.softmax(Z), dtype)
    np.testing.assert_array_equal(S, np.array([[0.5, 0.0, 0.0], [0.5, 1.0, 0.0], [0.0, 0.0, 1.0]], dtype))


def test_softmax_and_linear_as_layer_activations(backend):
    A_prev, W, b = backend.asarray([[1.0, 2.0]]), backend.asarray([[1.0], [-1.0]]), backend.asarray([[0.0], [0.0]])
    A, (_, Z) = nnxp.linear_activation_forward(A_prev, W, b, "softmax")  # Z = [[1, 2], [-1, -2]]
    def sigma(z):
        return 1 / (1 + math.exp(-z))

    # softmax of the column (z, -z) is (sigma(2z), sigma(-2z))
    np.testing.assert_allclose(backend.check(A), [[sigma(2), sigma(4)], [sigma(-2), sigma(-4)]], rtol=1e-14)
    A, _ = nnxp.linear_activation_forward(A_prev, W, b, "linear")
    np.testing.assert_array_equal(backend.check(A), [[1.0, 2.0], [-1.0, -2.0]])


def test_one_hot_is_the_course_convert_to_one_hot(backend):
    """convert_to_one_hot(Y, C) = np.eye(C)[Y.reshape(-1)].T, on the course's example labels."""
    labels = np.array([[1, 2, 3, 0, 2, 1]])
    expected = np.eye(4)[labels.reshape(-1)].T
    for given in (backend.asarray(labels, "int64"), backend.asarray(labels, "float64")):
        np.testing.assert_array_equal(backend.check(nnxp.one_hot(given, 4)), expected)
    assert backend.check(nnxp.one_hot(backend.asarray(labels, "int64"), 4, dtype=backend.xp.float32),
                         "float32").shape == (4, 6)


@pytest.mark.parametrize("labels, C, message", [
    ([[0, 3, 1]], 3, r"labels must hold class indices in \[0, C\) = \[0, 3\), got values \[3.0\] outside it"),
    ([[0, -1, 1]], 3, r"got values \[-1.0\] outside it"),
    ([[0, 1.5, 1]], 3, r"labels must hold whole class indices 0..2, got fractional values \[1.5\]"),
    ([[0, np.nan, 1]], 3, "labels contains NaN or infinite values"),
    ([0, 1, 1], 3, r"labels must have shape \(1, m\), got \(3,\)"),
    ([[0, 1]], 0, "C must be a positive number of classes, got 0"),
])
def test_one_hot_refuses_bad_labels(labels, C, message):
    with pytest.raises(ValueError, match=message):
        nnxp.one_hot(np.array(labels), C)


# ---------------------------------------------------------------- costs


def test_costs_by_hand(backend):
    # Categorical, two classes, two samples: AL columns (0.25, 0.75) and (0.5, 0.5), labels 1 and 0.
    AL, Y = backend.asarray([[0.25, 0.5], [0.75, 0.5]]), backend.asarray([[0.0, 1.0], [1.0, 0.0]])
    J = nnxp.compute_cost(AL, Y, loss="categorical_cross_entropy")
    np.testing.assert_allclose(backend.check(J), -(math.log(0.75) + math.log(0.5)) / 2, rtol=1e-15)
    # Squared error: (1/2m) sum ||AL - Y||^2 = ((0.25^2 + 0.25^2) + (0.5^2 + 0.5^2)) / 4
    J = nnxp.compute_cost(AL, Y, loss="mse")
    np.testing.assert_allclose(backend.check(J), (0.125 + 0.5) / 4, rtol=1e-15)
    # Binary stays the default: -(ln 0.5 + ln 0.25) / 2 on AL = [0.5, 0.75], Y = [1, 0].
    J = nnxp.compute_cost(backend.asarray([[0.5, 0.75]]), backend.asarray([[1.0, 0.0]]))
    np.testing.assert_allclose(backend.check(J), 1.5 * math.log(2.0), rtol=1e-15)


@pytest.mark.parametrize("loss", ["categorical_cross_entropy", "mse"])
def test_cost_from_logits_equals_cost_from_outputs(backend, loss):
    ZL = backend.asarray([[-3.0, 0.2, 1.0, 4.0], [0.5, -0.2, 1.0, -4.0], [2.0, 0.0, 1.0, 0.0]])
    Y = backend.asarray([[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 1.0], [0.0, 0.0, 1.0, 0.0]])
    AL, _ = nnxp.linear_activation_forward(ZL, backend.asarray(np.eye(3)), backend.asarray(np.zeros((3, 1))),
                                           oracle_row("LOSS_ORACLES", loss).output)
    np.testing.assert_allclose(backend.check(nnxp.compute_cost_from_logits(ZL, Y, loss=loss)),
                               backend.check(nnxp.compute_cost(AL, Y, loss=loss)), rtol=1e-14)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_saturated_softmax_gives_exact_finite_cost_and_gradients(backend, dtype):
    """Logits 1e4 apart: AL is exactly 0 and 1, the cost from the logits is still exact."""
    ZL = backend.asarray([[1e4, -1e4, 0.0], [-1e4, 1e4, 0.0]], dtype)
    Y = backend.asarray([[0.0, 0.0, 1.0], [1.0, 1.0, 0.0]], dtype)  # the first sample is wrong by 2e4
    J = backend.check(nnxp.compute_cost_from_logits(ZL, Y, loss="categorical_cross_entropy"), dtype)
    np.testing.assert_allclose(J, (2e4 + 0.0 + math.log(2.0)) / 3, rtol=1e-6)
    cache = ((ZL, backend.asarray(np.eye(2), dtype), backend.asarray(np.zeros((2, 1)), dtype)), ZL)
    AL, _ = nnxp.linear_activation_forward(*cache[0], "softmax")
    assert np.isfinite(backend.check(nnxp.compute_cost(AL, Y, loss="categorical_cross_entropy"), dtype))
    for g in nnxp.model_backward(AL, Y, [cache], ["softmax"]).values():
        assert np.all(np.isfinite(backend.check(g, dtype)))


def test_unknown_loss_is_named(backend):
    with pytest.raises(ValueError, match=r"loss must be one of \[.*'mse'\], got 'hinge'"):
        nnxp.compute_cost(backend.asarray([[0.5]]), backend.asarray([[1.0]]), loss="hinge")


def test_model_backward_refuses_an_output_no_loss_pairs_with(backend):
    cache = ((backend.asarray([[1.0]]), backend.asarray([[1.0]]), backend.asarray([[0.0]])), backend.asarray([[1.0]]))
    with pytest.raises(ValueError, match=r"output layer's activation must be one of \['linear', 'sigmoid', "
                                         r"'softmax'\].*got 'relu'"):
        nnxp.model_backward(backend.asarray([[1.0]]), backend.asarray([[1.0]]), [cache], ["relu"])


# ---------------------------------------------------------------- the loop oracle


def test_loop_oracle_softmax_layer_backward_agrees():
    rng = np.random.default_rng(8)
    A_prev, W, b, dA = (rng.standard_normal(shape) for shape in ((3, 5), (4, 3), (4, 1), (4, 5)))
    _, cache = nnxp.linear_activation_forward(A_prev, W, b, "softmax")
    for got, expected in zip(loops.linear_activation_backward(dA, cache, "softmax"),
                             nnxp.linear_activation_backward(dA, cache, "softmax")):
        np.testing.assert_allclose(got, expected, rtol=1e-12)
