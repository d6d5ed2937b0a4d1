"""NeuralNetwork's training options: mini-batches, momentum, L2, validation data, resume."""

import itertools
from functools import partial

import numpy as np
import pytest
from oracles import problem

import nnxp

LAYERS = [4, 5, 3, 1]
ACTIVATIONS = ["tanh", "tanh", "sigmoid"]
_problem = partial(problem, "binary_cross_entropy", n_x=4, m=23)


def _reference(X, Y, epochs, *, batch_size=None, momentum=0.0, l2=0.0, lr=0.3, seed=0):
    """The same training written with the public functions, one step at a time (NumPy)."""
    parameters = nnxp.initialize_parameters(LAYERS, seed=seed)
    v = nnxp.initialize_velocity(parameters)
    costs = []
    for epoch in range(epochs):
        batches = [(X, Y)] if batch_size is None else nnxp.random_mini_batches(X, Y, batch_size, seed, epoch)
        total = 0.0
        for X_t, Y_t in batches:
            AL, caches = nnxp.model_forward(X_t, parameters, ACTIVATIONS)
            m_t = X_t.shape[1]
            total += float(nnxp.compute_cost_from_logits(caches[-1][1], Y_t) + nnxp.l2_cost(parameters, l2, m_t)) * m_t
            grads = nnxp.add_l2_gradients(nnxp.model_backward(AL, Y_t, caches, ACTIVATIONS), parameters, l2, m_t)
            if momentum:
                parameters, v = nnxp.update_parameters_with_momentum(parameters, grads, v, momentum, lr)
            else:
                parameters = nnxp.update_parameters(parameters, grads, lr)
        costs.append(total / X.shape[1])
    return parameters, costs


def _model(**kwargs):
    settings = dict(hidden_activation="tanh", learning_rate=0.3, cost_every=1, num_iterations=6)
    return nnxp.NeuralNetwork(LAYERS, **{**settings, **kwargs})


COMBINATIONS = list(itertools.product([None, 7], [0.0, 0.9], [0.0, 0.3]))


@pytest.mark.parametrize("batch_size, momentum, l2", COMBINATIONS)
def test_every_combination_matches_the_step_by_step_reference(backend, batch_size, momentum, l2):
    X, Y = _problem()
    parameters, costs = _reference(X, Y, 6, batch_size=batch_size, momentum=momentum, l2=l2)
    model = _model(batch_size=batch_size, momentum=momentum, l2=l2).fit(backend.asarray(X), backend.asarray(Y))
    np.testing.assert_allclose(model.costs_, costs, rtol=1e-10)
    for key, value in parameters.items():
        np.testing.assert_allclose(backend.check(model.parameters_[key]), value, rtol=1e-10, atol=1e-13)
    for value in model.velocities_.values():
        backend.check(value)
    assert bool(model.velocities_) == bool(momentum)


def test_default_options_give_exactly_the_plain_results():
    X, Y = _problem()
    plain = _model().fit(X, Y)
    parameters, _ = _reference(X, Y, 6)
    for batch_size in (None, 23, 1000):
        model = _model(batch_size=batch_size, momentum=0.0, l2=0.0).fit(X, Y)
        for key, value in parameters.items():
            np.testing.assert_array_equal(model.parameters_[key], value)
            np.testing.assert_array_equal(plain.parameters_[key], value)


def test_mini_batches_shuffle_differently_each_epoch_and_learn():
    X, Y = _problem(m=200)
    model = _model(batch_size=16, num_iterations=30, cost_every=10).fit(X, Y)
    assert len(model.costs_) == 3 and model.costs_[0] > model.costs_[-1]
    assert model.score(X, Y) > 0.9


@pytest.mark.parametrize("batch_size, momentum", [(None, 0.0), (None, 0.9), (5, 0.9)])
def test_resume_equals_one_uninterrupted_run(batch_size, momentum):
    X, Y = _problem()
    straight = _model(batch_size=batch_size, momentum=momentum, num_iterations=10).fit(X, Y)
    halves = _model(batch_size=batch_size, momentum=momentum, num_iterations=5).fit(X, Y)
    halves.fit(X, Y, resume=True)
    assert halves.iterations_done_ == 10 and halves.costs_ == straight.costs_
    for key, value in straight.parameters_.items():
        np.testing.assert_array_equal(halves.parameters_[key], value)


def test_validation_data_is_recorded_at_the_logged_iterations(backend):
    X, Y = _problem()
    X_v, Y_v = _problem(m=11, seed=1)
    model = _model(num_iterations=7, cost_every=3).fit(
        backend.asarray(X), backend.asarray(Y), validation_data=(backend.asarray(X_v), backend.asarray(Y_v))
    )
    assert len(model.validation_costs_) == len(model.validation_accuracies_) == len(model.costs_) == 3
    initial = _model(num_iterations=0).fit(X, Y)  # the parameters before iteration 0's update
    assert model.validation_costs_[0] == pytest.approx(initial.cost(X_v, Y_v), rel=1e-12)
    assert model.validation_accuracies_[0] == initial.score(X_v, Y_v)


def test_keyboard_interrupt_keeps_the_last_completed_iteration():
    X, Y = _problem()

    def stop_after_three(done, cost):
        if done == 3:
            raise KeyboardInterrupt

    model = _model(num_iterations=100, momentum=0.5)
    with pytest.raises(KeyboardInterrupt):
        model.fit(X, Y, progress=stop_after_three)
    three = _model(num_iterations=3, momentum=0.5).fit(X, Y)
    assert model.iterations_done_ == 3
    for key, value in three.parameters_.items():
        np.testing.assert_array_equal(model.parameters_[key], value)


@pytest.mark.filterwarnings("ignore:overflow:RuntimeWarning", "ignore:invalid value:RuntimeWarning")
def test_a_diverging_resume_leaves_the_model_as_it_was():
    X, Y = _problem()
    model = _model(num_iterations=3, hidden_activation="relu").fit(X, Y)
    before = {k: v.copy() for k, v in model.parameters_.items()}
    model.learning_rate = 1e300
    with pytest.raises(nnxp.TrainingDivergedError):
        model.fit(X * 1e3, Y, resume=True)
    assert model.iterations_done_ == 3
    for key, value in before.items():
        np.testing.assert_array_equal(model.parameters_[key], value)


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"batch_size": 0}, ValueError, "batch_size must be None or an integer >= 1, got 0"),
        ({"batch_size": -4}, ValueError, "batch_size must be None or an integer >= 1, got -4"),
        ({"batch_size": 2.5}, TypeError, "batch_size must be None or an integer >= 1, got 2.5"),
        ({"momentum": -0.1}, ValueError, r"momentum must be in \[0.0, 1.0\), got -0.1"),
        ({"momentum": 1.0}, ValueError, r"momentum must be in \[0.0, 1.0\), got 1.0"),
        ({"l2": -1.0}, ValueError, r"l2 must be in \[0.0, inf\), got -1.0"),
        ({"seed": "x"}, TypeError, "seed must be an int, a numpy.random.Generator"),
    ],
)
def test_bad_training_options_are_named(kwargs, error, message):
    with pytest.raises(error, match=message):
        _model(**kwargs)


@pytest.mark.parametrize(
    "validation_data, error, message",
    [
        ((np.ones((3, 5)), np.ones((1, 5))), ValueError, r"validation X_v must have n_x=4 rows.*\(3, 5\)"),
        ((np.ones((4, 5)), np.ones((1, 4))), ValueError, r"validation Y_v must have shape \(1, m\) = \(1, 5\)"),
        ((np.ones((4, 5)), 2 * np.ones((1, 5))), ValueError, "validation Y_v must hold binary labels"),
        (np.ones((4, 5)), TypeError, "validation_data must be a pair"),
    ],
)
def test_bad_validation_data_is_named(validation_data, error, message):
    X, Y = _problem()
    with pytest.raises(error, match=message):
        _model().fit(X, Y, validation_data=validation_data)


def test_resume_before_fit_is_refused():
    X, Y = _problem()
    with pytest.raises(RuntimeError, match="not fitted yet"):
        _model().fit(X, Y, resume=True)


def test_repr_shows_what_differs_from_the_defaults():
    model = nnxp.NeuralNetwork([4, 5, 1], hidden_activation="tanh", batch_size=8)
    assert repr(model) == "NeuralNetwork([4, 5, 1], hidden_activation='tanh', batch_size=8)"
    assert repr(nnxp.NeuralNetwork([3, 1])) == "NeuralNetwork([3, 1])"


def test_config_round_trip():
    model = _model(batch_size=8, momentum=0.9, l2=0.1, dtype="float32")
    again = nnxp.NeuralNetwork.from_config(model.get_config())
    assert again.get_config() == model.get_config()


@pytest.mark.parametrize("error", ["cupy", "numpy", "torch"])
def test_running_out_of_memory_names_the_sizes(monkeypatch, error):
    """A library's out-of-memory error during fit becomes a DeviceMemoryError with the sizes."""
    if error == "cupy":
        cupy = pytest.importorskip("cupy")
        raised = cupy.cuda.memory.OutOfMemoryError(2**30, 2**29, 2**31)
    elif error == "torch":
        torch = pytest.importorskip("torch")
        raised = torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 1.00 GiB")
    else:
        raised = MemoryError("Unable to allocate 1.00 GiB for an array")

    def out_of_memory(*args, **kwargs):
        raise raised

    monkeypatch.setattr("nnxp.model.network.train", out_of_memory)
    X, Y = _problem()
    with pytest.raises(nnxp.DeviceMemoryError, match=r"layer_dims=\[4, 5, 3, 1\] on m=23 samples in float64 \(data X 0.0 MiB") as err:
        _model(batch_size=8).fit(X, Y)
    assert err.value.__cause__ is raised and "batch_size" in str(err.value)


@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_the_training_step_keeps_no_hidden_Z(activation):
    """tracemalloc's peak of one step of [200, 64, 32, 1] on m = 512 (float64: A1 is 256 KiB, A2 128 KiB).

    The backward pass at layer 2 needs A1, A2, dA2, dZ2 and the new dA1 at once: 896 KiB, plus the
    gradients (dW1 is 100 KiB) and a mask's 64 KiB of bools. Keeping the hidden Z1 and Z2 adds 384 KiB."""
    import tracemalloc

    from nnxp.core.losses import LOSSES
    from nnxp.core.step import value_and_grad

    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((200, 512)), (rng.random((1, 512)) > 0.5).astype(float)
    parameters = nnxp.initialize_parameters([200, 64, 32, 1], seed=0)
    activations = [activation, activation, "sigmoid"]
    xp = nnxp.core.backend.namespace(X)
    tracemalloc.start()
    _, grads = value_and_grad(xp, X, Y, parameters, activations, LOSSES["binary_cross_entropy"])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < (896 + 100 + 64 + 80) * 2**10
    AL, caches = nnxp.model_forward(X, parameters, activations)  # the course's: every Z kept
    reference = nnxp.model_backward(AL, Y, caches, activations)
    for key, value in grads.items():
        np.testing.assert_array_equal(value, reference[key])
