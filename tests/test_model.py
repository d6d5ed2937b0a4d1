"""NeuralNetwork: training results, backends agreeing, the course's published numbers."""

import numpy as np
import pytest

import nnxp
from nnxp.data.datasets import flower, load_catvnoncat


def _small_problem(seed=0, n_x=4, m=40):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_x, m))
    Y = (X[0:1] + 0.5 * X[1:2] > 0).astype(np.float64)
    return X, Y


def test_costs_are_logged_before_the_update_every_cost_every_iterations():
    X, Y = _small_problem()
    model = nnxp.NeuralNetwork([4, 3, 1], learning_rate=0.1, num_iterations=25, cost_every=10).fit(X, Y)
    assert len(model.costs_) == 3  # iterations 0, 10, 20
    initial = nnxp.initialize_parameters([4, 3, 1], seed=0)
    AL, _ = nnxp.model_forward(X, initial, ["relu", "sigmoid"])
    np.testing.assert_allclose(model.costs_[0], float(nnxp.compute_cost(AL, Y)), rtol=1e-14)
    assert model.costs_[0] > model.costs_[1] > model.costs_[2]


def test_fit_equals_the_functional_api_step_by_step():
    X, Y = _small_problem()
    model = nnxp.NeuralNetwork([4, 3, 1], hidden_activation="tanh", learning_rate=0.3, num_iterations=7).fit(X, Y)
    params = nnxp.initialize_parameters([4, 3, 1], seed=0)
    for _ in range(7):
        AL, caches = nnxp.model_forward(X, params, ["tanh", "sigmoid"])
        params = nnxp.update_parameters(params, nnxp.model_backward(AL, Y, caches, ["tanh", "sigmoid"]), 0.3)
    for key, value in params.items():
        np.testing.assert_array_equal(model.parameters_[key], value)


@pytest.mark.one_jax_instance("backend")
@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "leaky_relu"])
def test_cost_histories_agree_across_backends(backend, activation):
    X, Y = _small_problem(m=30)
    kwargs = dict(hidden_activation=activation, learning_rate=0.5, num_iterations=60, cost_every=5)
    reference = nnxp.NeuralNetwork([4, 5, 3, 1], **kwargs).fit(X, Y)
    model = nnxp.NeuralNetwork([4, 5, 3, 1], **kwargs).fit(backend.asarray(X), backend.asarray(Y))
    np.testing.assert_allclose(model.costs_, reference.costs_, rtol=1e-10)
    for key, value in reference.parameters_.items():
        np.testing.assert_allclose(backend.check(model.parameters_[key]), value, rtol=1e-9, atol=1e-12)
    proba = backend.check(model.predict_proba(backend.asarray(X)))
    np.testing.assert_allclose(proba, reference.predict_proba(X), rtol=1e-9)
    np.testing.assert_array_equal(backend.check(model.predict(backend.asarray(X))), reference.predict(X))
    assert model.score(backend.asarray(X), backend.asarray(Y)) == reference.score(X, Y)


def test_float32_stays_float32(backend):
    X, Y = _small_problem()
    model = nnxp.NeuralNetwork([4, 3, 1], num_iterations=5).fit(backend.asarray(X, "float32"), backend.asarray(Y, "float32"))
    for value in model.parameters_.values():
        backend.check(value, "float32")
    backend.check(model.predict_proba(backend.asarray(X, "float32")), "float32")


def test_refit_follows_the_new_data_and_resume_keeps_the_model_dtype():
    X, Y = _small_problem()
    model = nnxp.NeuralNetwork([4, 3, 1], num_iterations=2).fit(X.astype(np.float32), Y)
    assert model.parameters_["W1"].dtype == np.float32
    model.fit(X, Y, resume=True)
    assert model.parameters_["W1"].dtype == np.float32 and model.iterations_done_ == 4
    model.fit(X, Y, validation_data=(X.astype(np.float32), Y))
    assert model.parameters_["W1"].dtype == np.float64 and model.iterations_done_ == 2


def test_dtype_argument_casts_the_data():
    X, Y = _small_problem()
    model = nnxp.NeuralNetwork([4, 1], num_iterations=3, dtype="float32").fit(X, Y)
    assert model.parameters_["W1"].dtype == np.float32
    assert model.predict(X).dtype == np.float32


def test_integer_data_trains_in_float64():
    X, Y = _small_problem()
    model = nnxp.NeuralNetwork([4, 1], num_iterations=3).fit(np.round(X * 10).astype(np.int64), Y.astype(np.int64))
    assert model.parameters_["W1"].dtype == np.float64


def test_backend_argument_moves_the_data_once():
    import array_api_strict

    X, Y = _small_problem()
    model = nnxp.NeuralNetwork([4, 3, 1], num_iterations=5, backend=array_api_strict, device="device1").fit(X, Y)
    assert model.parameters_["W1"].device == array_api_strict.Device("device1")
    assert model.predict(X).device == array_api_strict.Device("device1")


def test_predict_thresholds_above_one_half():
    model = nnxp.NeuralNetwork([1, 1], num_iterations=0)
    model.parameters_ = {"W1": np.array([[1.0]]), "b1": np.array([[0.0]])}
    np.testing.assert_array_equal(model.predict(np.array([[-1.0, 0.0, 1e-9, 2.0]])), [[0.0, 0.0, 1.0, 1.0]])


@pytest.mark.filterwarnings("ignore:overflow:RuntimeWarning", "ignore:invalid value:RuntimeWarning")
@pytest.mark.parametrize("cost_every", [1, 1000])
def test_diverging_training_stops_with_a_clear_error(cost_every):
    """Overflowing weights give a NaN cost; caught at the next logged cost or at the end."""
    X, Y = _small_problem()
    model = nnxp.NeuralNetwork([4, 8, 8, 1], learning_rate=1e300, num_iterations=50, cost_every=cost_every)
    with pytest.raises(nnxp.TrainingDivergedError, match="learning_rate=1e\\+300.*smaller learning rate"):
        model.fit(X * 1e3, Y)
    assert not hasattr(model, "parameters_")


def test_flower_needs_a_hidden_layer():
    """The notes' point: a [2, 4, 1] tanh network separates the petals; logistic regression cannot."""
    X, Y = flower(400)
    shallow = nnxp.NeuralNetwork(
        [2, 4, 1], hidden_activation="tanh", learning_rate=1.2, num_iterations=10000, init="scaled", cost_every=1000
    ).fit(X, Y)
    assert shallow.score(X, Y) >= 0.88
    logistic = nnxp.NeuralNetwork([2, 1], learning_rate=1.2, num_iterations=2000, init="zeros").fit(X, Y)
    assert 0.35 <= logistic.score(X, Y) <= 0.65


@pytest.fixture(scope="module")
def cat(cat_dir):
    return load_catvnoncat(cat_dir)


def test_cat_logistic_regression_reaches_the_course_accuracy(cat):
    """Course 1 week 2: w = 0, b = 0, learning rate 0.005, 2000 iterations -> 70% test accuracy."""
    X_train, Y_train, X_test, Y_test = cat[:4]
    model = nnxp.NeuralNetwork([12288, 1], init="zeros", learning_rate=0.005, num_iterations=2000).fit(X_train, Y_train)
    np.testing.assert_allclose(model.costs_[:2], [0.693147, 0.584508], atol=1e-6)  # published costs
    assert model.score(X_test, Y_test) >= 0.70
    assert model.score(X_train, Y_train) >= 0.99


# The course's deep cat networks ([12288, 7, 1] and [12288, 20, 7, 5, 1]) and their published costs
# and accuracies are checked by the docs build (docs/tutorial/3_deep_network.py), which CI runs.
