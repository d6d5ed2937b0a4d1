"""Bad input: a clear error naming the argument, what was seen and what was expected."""

import array_api_strict
import numpy as np
import pytest

import nnxp


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    return rng.standard_normal((3, 8)), (np.arange(8)[None, :] % 2).astype(float)


def fit(X, Y, **kwargs):
    return nnxp.NeuralNetwork([3, 2, 1], num_iterations=2, **kwargs).fit(X, Y)


def test_X_with_samples_as_rows_suggests_transposing(data):
    X, Y = data
    with pytest.raises(ValueError, match=r"X must have n_x=3 rows.*got shape \(8, 3\); X.T has that shape"):
        fit(X.T, Y)


def test_X_with_wrong_rows_names_the_shape(data):
    _, Y = data
    with pytest.raises(ValueError, match=r"X must have n_x=3 rows .*got shape \(5, 8\)$"):
        fit(np.ones((5, 8)), Y)


def test_X_one_dimensional(data):
    with pytest.raises(ValueError, match=r"X must be 2-D with shape \(n_x=3, m\), got shape \(8,\)"):
        fit(np.ones(8), data[1])


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_X(data, bad):
    X, Y = data
    X[1, 2] = bad
    with pytest.raises(ValueError, match=r"X contains NaN or infinite values in feature rows \[1\]; clean or impute "
                                         r"them first$"):
        fit(X, Y)
    model = fit(np.ones_like(X), Y)
    with pytest.raises(ValueError, match=r"X contains NaN or infinite values in feature rows \[1\]; clean"):
        model.predict(X)


def test_X_of_half_precision_is_named(data):
    X, Y = data
    with pytest.raises(TypeError, match="X has dtype float16; nnxp trains in float32 or float64: convert X"):
        fit(X.astype(np.float16), Y)
    with pytest.raises(TypeError, match="validation X_v has dtype float16"):
        nnxp.NeuralNetwork([3, 2, 1], num_iterations=2, early_stopping=2).fit(
            X, Y, validation_data=(X.astype(np.float16), Y))


@pytest.mark.parametrize("make, seen", [(lambda X: (x for x in X), "generator"), (lambda X: {1.0, 2.0}, "set"),
                                        (lambda X: [[1.0, 2.0], [3.0]], "list")])
def test_X_that_is_not_an_array_of_numbers_names_its_type(data, make, seen):
    with pytest.raises(TypeError, match=f"X must be an array of numbers, got {seen}"):
        fit(make(data[0]), data[1])


def test_no_samples():
    with pytest.raises(ValueError, match=r"X has no samples: shape \(3, 0\)"):
        fit(np.ones((3, 0)), np.ones((1, 0)))


def test_non_numeric_X(data):
    with pytest.raises(TypeError, match="X must hold real numbers"):
        fit(np.full((3, 8), "a"), data[1])


@pytest.mark.parametrize("shape, hint", [((8,), "reshape"), ((8, 1), "reshape"), ((1, 7), "")])
def test_Y_shape(data, shape, hint):
    X, _ = data
    with pytest.raises(ValueError, match=r"Y must have shape \(1, m\) = \(1, 8\), got") as err:
        fit(X, np.zeros(shape))
    assert str(shape) in str(err.value)
    assert hint in str(err.value)


@pytest.mark.parametrize("labels", [[0, 1, 2, 0, 1, 0, 1, 0], [0, 1, -1, 0, 1, 0, 1, 0], [0.5] * 8])
def test_Y_labels_other_than_zero_and_one(data, labels):
    with pytest.raises(ValueError, match=r"Y must hold binary labels 0 and 1, got values \["):
        fit(data[0], np.array([labels], dtype=float))


def test_Y_labels_checked_on_device1_without_host_copies(data):
    device1 = array_api_strict.Device("device1")
    X = array_api_strict.asarray(data[0], device=device1)
    Y = array_api_strict.asarray([[0.0, 3.0] * 4], device=device1)
    with pytest.raises(ValueError, match=r"got values \[0.0, 3.0\]"):
        fit(X, Y)


def test_arrays_of_two_libraries(data):
    X, Y = data
    with pytest.raises(TypeError, match="different libraries.*array_api_strict.*numpy"):
        fit(array_api_strict.asarray(X), Y)


def test_predict_with_data_of_another_library(data):
    model = fit(*data)
    with pytest.raises(TypeError, match="different libraries"):
        model.predict(array_api_strict.asarray(data[0]))


def test_predict_before_fit(data):
    with pytest.raises(RuntimeError, match=r"not fitted yet: call fit\(X, Y\) first"):
        nnxp.NeuralNetwork([3, 1]).predict(data[0])


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"learning_rate": 0}, ValueError, "learning_rate must be a positive finite number, got 0"),
        ({"learning_rate": -0.1}, ValueError, r"learning_rate must be a positive finite number, got -0.1"),
        ({"learning_rate": float("nan")}, ValueError, "learning_rate must be a positive finite number, got nan"),
        ({"learning_rate": "0.1"}, TypeError, "learning_rate must be a number, got '0.1'"),
        ({"num_iterations": -1}, ValueError, "num_iterations must be >= 0, got -1"),
        ({"num_iterations": 10.5}, TypeError, "num_iterations must be an integer, got 10.5"),
        ({"cost_every": 0}, ValueError, "cost_every must be >= 1, got 0"),
        ({"hidden_activation": "swish"}, ValueError, r"hidden_activation must be one of \[.*'relu'.*\], got 'swish'"),
        ({"init": "lecun"}, ValueError, r"init must be one of \[.*\], got 'lecun'"),
        ({"dtype": "int8"}, ValueError, "dtype must be None or float32 or float64, got 'int8'"),
        ({"backend": "tpu"}, ValueError, r"backend must be one of \[.*\], got 'tpu'"),
        ({"layer_dims": [3]}, ValueError, "layer_dims must list at least two sizes"),
        ({"layer_dims": [3, 0, 1]}, ValueError, r"layer_dims\[1\] must be positive, got 0"),
        ({"layer_dims": [3, "4", 1]}, TypeError, r"layer_dims\[1\] must be an integer, got '4'"),
        ({"layer_dims": [3, 4, 2], "loss": "binary_cross_entropy"}, ValueError,
         r"loss='binary_cross_entropy' needs 1 output unit .*got 2 units"),
        ({"layer_dims": [3, 4, 1], "loss": "categorical_cross_entropy"}, ValueError,
         r"loss='categorical_cross_entropy' needs C >= 2 output units, one per class, got 1"),
        ({"loss": "hinge"}, ValueError, r"loss must be one of \['binary_cross_entropy', 'categorical_cross_entropy', "
                                        r"'mse'\], got 'hinge'"),
    ],
)
def test_bad_hyperparameters_are_refused_at_construction(kwargs, error, message):
    kwargs = {"layer_dims": [3, 2, 1], **kwargs}
    with pytest.raises(error, match=message):
        nnxp.NeuralNetwork(kwargs.pop("layer_dims"), **kwargs)


def test_features_of_wildly_different_scales_draw_one_warning():
    from nnxp.data.datasets import get_dataset

    raw = get_dataset("breast_cancer", standardize=False)  # std from 0.0025 (fractal dimension) to 602 (worst area)
    with pytest.warns(UserWarning, match=r"standard deviations from 0.00254 to 602, over 1e\+03 apart: standardize"):
        nnxp.NeuralNetwork([30, 1], num_iterations=1).fit(raw.X_train, raw.Y_train)
    scaled = get_dataset("breast_cancer")
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nnxp.NeuralNetwork([30, 1], num_iterations=1).fit(scaled.X_train, scaled.Y_train)


def test_a_feature_constant_up_to_rounding_is_not_a_scale():
    """Standardized data whose subset leaves a column constant up to rounding (std 1e-16, not 0) is
    scaled: no warning; a real feature a million times smaller still draws one."""
    import warnings

    rng = np.random.default_rng(0)
    X = rng.standard_normal((3, 50))
    X[2] = 0.3 + 1e-16 * rng.standard_normal(50)
    Y = (X[0:1] > 0).astype(float)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nnxp.NeuralNetwork([3, 1], num_iterations=1).fit(X, Y)
    X[2] = 1e-6 * rng.standard_normal(50)
    with pytest.warns(UserWarning, match="over 1e\\+03 apart"):
        nnxp.NeuralNetwork([3, 1], num_iterations=1).fit(X, Y)
