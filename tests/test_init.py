"""initialize_parameters: shapes, scales, seeds reproducible across backends and with the course."""

import numpy as np
import pytest

import nnxp


def test_shapes_and_zero_biases(backend):
    params = nnxp.initialize_parameters([5, 4, 3, 1], backend=backend.xp, device=backend.device)
    assert list(params) == ["W1", "b1", "W2", "b2", "W3", "b3"]
    for l, (n, n_prev) in enumerate([(4, 5), (3, 4), (1, 3)], start=1):
        assert tuple(params[f"W{l}"].shape) == (n, n_prev)
        np.testing.assert_array_equal(backend.check(params[f"b{l}"]), np.zeros((n, 1)))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_same_seed_same_parameters_on_every_backend(backend, dtype):
    reference = nnxp.initialize_parameters([6, 3, 1], seed=7, dtype=dtype, backend="numpy")
    params = nnxp.initialize_parameters([6, 3, 1], seed=7, dtype=dtype, backend=backend.xp, device=backend.device)
    for key, value in reference.items():
        np.testing.assert_array_equal(backend.check(params[key], dtype), value)


@pytest.mark.parametrize(
    "init, factor",
    [("he", np.sqrt(2 / 50)), ("xavier", np.sqrt(1 / 50)), ("scaled", 0.01), ("zeros", 0.0)],
)
def test_init_scales_standard_normal_draws(init, factor):
    params = nnxp.initialize_parameters([50, 40, 1], init=init, seed=3)
    draws = np.random.default_rng(3).standard_normal((40, 50))
    np.testing.assert_allclose(params["W1"], draws * factor, rtol=1e-15)


def test_scale_is_used_by_scaled_init():
    params = nnxp.initialize_parameters([3, 2], init="scaled", scale=0.5, seed=0)
    np.testing.assert_allclose(params["W1"], np.random.default_rng(0).standard_normal((2, 3)) * 0.5)


def test_random_state_reproduces_the_course():
    """The course: np.random.seed(1); W1 = np.random.randn(n1, n0) * 0.01; W2 = np.random.randn(n2, n1) * 0.01."""
    np.random.seed(1)
    W1 = np.random.randn(7, 10) * 0.01
    W2 = np.random.randn(1, 7) * 0.01
    params = nnxp.initialize_parameters([10, 7, 1], init="scaled", seed=np.random.RandomState(1))
    np.testing.assert_array_equal(params["W1"], W1)
    np.testing.assert_array_equal(params["W2"], W2)
    # A published value of the course's initialize_parameters_deep (seed 3, 0.01 scale): W1[0, 0].
    deep = nnxp.initialize_parameters([5, 4, 3], init="scaled", seed=np.random.RandomState(3))
    np.testing.assert_allclose(deep["W1"][0, 0], 0.01788628, atol=5e-9)


def test_generator_seed_is_advanced():
    rng = np.random.default_rng(0)
    first = nnxp.initialize_parameters([3, 2], seed=rng)
    second = nnxp.initialize_parameters([3, 2], seed=rng)
    assert not np.array_equal(first["W1"], second["W1"])


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"layer_dims": [3]}, ValueError, "at least two sizes"),
        ({"layer_dims": [3, 0, 1]}, ValueError, r"layer_dims\[1\] must be positive, got 0"),
        ({"layer_dims": [3, -2]}, ValueError, r"layer_dims\[1\] must be positive, got -2"),
        ({"layer_dims": [3, 2.5]}, TypeError, r"layer_dims\[1\] must be an integer, got 2.5"),
        ({"layer_dims": [3, 2], "init": "lecun"}, ValueError, "init must be one of .*'lecun'"),
        ({"layer_dims": [3, 2], "seed": "abc"}, TypeError, "seed must be an int"),
        ({"layer_dims": [3, 2], "seed": -1}, ValueError, "seed must be a non-negative int, got -1"),
        ({"layer_dims": [3, 2], "dtype": "int32"}, ValueError, "dtype must be float32 or float64"),
        ({"layer_dims": [3, 2], "backend": "tpu"}, ValueError, "backend must be one of .*'tpu'"),
    ],
)
def test_bad_arguments_are_named(kwargs, error, message):
    with pytest.raises(error, match=message):
        nnxp.initialize_parameters(**kwargs)


def test_glorot_draws_weights_then_biases_uniformly_within_scikit_learns_bound():
    """scikit-learn's start: per layer W{l} then b{l}, uniform in (-r, r), r = sqrt(6 / (n[l-1] + n[l]))."""
    params = nnxp.initialize_parameters([300, 100, 1], init="glorot", seed=5)
    rng = np.random.default_rng(5)
    for l, (n_prev, n) in enumerate([(300, 100), (100, 1)], start=1):
        bound = np.sqrt(6 / (n_prev + n))
        np.testing.assert_array_equal(params[f"W{l}"], rng.uniform(-bound, bound, (n, n_prev)))
        np.testing.assert_array_equal(params[f"b{l}"], rng.uniform(-bound, bound, (n, 1)))
    r = np.sqrt(6 / 400)  # 30,000 draws: their variance is r^2 / 3 = 0.005 to within 2%
    assert np.abs(params["W1"]).max() < r and np.var(params["W1"]) == pytest.approx(r**2 / 3, rel=0.02)
