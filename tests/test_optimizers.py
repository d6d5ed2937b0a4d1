"""Optimizers and schedules: the course's functions against their formulas, decay, exact resumes,
bad settings. Every optimizer's trajectory against torch.optim is in tests/test_registries.py."""

import math

import numpy as np
import pytest
from oracles import problem

import nnxp
from nnxp.core.optimizers import get_optimizer, make_optimizer


def test_adam_counts_updates_over_mini_batches():
    """t counts mini-batches: 3 epochs of 4 batches end at t = 12, as 12 calls of the course's function."""
    X, Y = problem("binary_cross_entropy", n_x=4, m=40)
    model = nnxp.NeuralNetwork([4, 3, 1], optimizer="adam", learning_rate=0.01, num_iterations=3, batch_size=10)
    model.fit(X, Y)
    parameters = nnxp.initialize_parameters([4, 3, 1], seed=0)
    v, s = nnxp.initialize_adam(parameters)
    t = 0
    for epoch in range(3):
        for X_t, Y_t in nnxp.random_mini_batches(X, Y, 10, 0, epoch):
            AL, caches = nnxp.model_forward(X_t, parameters, ["relu", "sigmoid"])
            grads = nnxp.model_backward(AL, Y_t, caches, ["relu", "sigmoid"])
            t += 1
            parameters, v, s, _, _ = nnxp.update_parameters_with_adam(parameters, grads, v, s, t, 0.01)
    assert model.steps_done_ == t == 12
    for key, value in parameters.items():
        np.testing.assert_array_equal(model.parameters_[key], value)


# ---------------------------------------------------------------- the course's functions


def test_update_parameters_with_adam_is_the_course_formula(backend):
    rng = np.random.default_rng(1)
    host = {key: rng.standard_normal(shape) for key, shape in (("W1", (2, 3)), ("b1", (2, 1)))}
    grads = {"d" + key: rng.standard_normal(value.shape) for key, value in host.items()}
    v0 = {key: rng.standard_normal(value.shape) for key, value in grads.items()}
    s0 = {key: rng.random(value.shape) for key, value in grads.items()}
    on = {name: {key: backend.asarray(value) for key, value in group.items()}
          for name, group in (("p", host), ("g", grads), ("v", v0), ("s", s0))}
    parameters, v, s, v_hat, s_hat = nnxp.update_parameters_with_adam(on["p"], on["g"], on["v"], on["s"], t=3,
                                                                      learning_rate=0.02)
    for key in grads:
        v_expected = 0.9 * v0[key] + 0.1 * grads[key]
        s_expected = 0.999 * s0[key] + 0.001 * grads[key] ** 2
        v_corrected, s_corrected = v_expected / (1 - 0.9**3), s_expected / (1 - 0.999**3)
        np.testing.assert_allclose(backend.check(v[key]), v_expected, rtol=1e-14)
        np.testing.assert_allclose(backend.check(s[key]), s_expected, rtol=1e-14)
        np.testing.assert_allclose(backend.check(v_hat[key]), v_corrected, rtol=1e-14)
        np.testing.assert_allclose(backend.check(s_hat[key]), s_corrected, rtol=1e-14)
        W = host[key[1:]] - 0.02 * v_corrected / (np.sqrt(s_corrected) + 1e-8)
        np.testing.assert_allclose(backend.check(parameters[key[1:]]), W, rtol=1e-14)
    np.testing.assert_array_equal(backend.check(on["v"]["dW1"]), v0["dW1"])  # not mutated


def test_initialize_adam_gives_zeros_like_the_parameters(backend):
    parameters = nnxp.initialize_parameters([3, 2, 1], backend=backend.xp, device=backend.device)
    v, s = nnxp.initialize_adam(parameters)
    assert list(v) == list(s) == ["dW1", "db1", "dW2", "db2"]
    for key, value in [*v.items(), *s.items()]:
        np.testing.assert_array_equal(backend.check(value), np.zeros(parameters[key[1:]].shape))


def test_rmsprop_update_by_hand(backend):
    parameters = {"W1": backend.asarray([[1.0, -1.0]]), "b1": backend.asarray([[0.5]])}
    grads = {"dW1": backend.asarray([[2.0, 0.0]]), "db1": backend.asarray([[-1.0]])}
    state = {"squared": {"dW1": backend.asarray([[1.0, 4.0]]), "db1": backend.asarray([[0.0]])}}
    new, state = nnxp.RMSprop(beta=0.5, epsilon=1e-8).update(parameters, grads, state, 0.1, t=1)
    # s = 0.5 s + 0.5 dW^2 = [[2.5, 2]], [[0.5]]; W -= 0.1 dW / (sqrt(s) + eps)
    np.testing.assert_allclose(backend.check(state["squared"]["dW1"]), [[2.5, 2.0]], rtol=1e-15)
    np.testing.assert_allclose(backend.check(new["W1"]), [[1 - 0.2 / (math.sqrt(2.5) + 1e-8), -1.0]], rtol=1e-15)
    np.testing.assert_allclose(backend.check(new["b1"]), [[0.5 + 0.1 / (math.sqrt(0.5) + 1e-8)]], rtol=1e-15)


@pytest.mark.parametrize("epoch, decay_rate, expected", [(2, 1.0, 0.5 / 3), (0, 5.0, 0.5), (10, 0.1, 0.25)])
def test_update_lr(epoch, decay_rate, expected):
    assert nnxp.update_lr(0.5, epoch, decay_rate) == pytest.approx(expected, rel=1e-15)


@pytest.mark.parametrize("epoch, interval, expected", [(999, 1000, 0.5), (1000, 1000, 0.25), (2999, 1000, 0.5 / 3),
                                                       (10, 5, 0.5 / 3)])
def test_schedule_lr_decay(epoch, interval, expected):
    assert nnxp.schedule_lr_decay(0.5, epoch, 1.0, interval) == pytest.approx(expected, rel=1e-15)


@pytest.mark.parametrize("interval", [None, 3])
def test_decay_in_the_model_follows_the_schedule(interval):
    X, Y = problem("binary_cross_entropy", n_x=4, m=40)
    model = nnxp.NeuralNetwork([4, 3, 1], learning_rate=0.5, num_iterations=10, decay_rate=0.3,
                               decay_interval=interval).fit(X, Y)
    parameters = nnxp.initialize_parameters([4, 3, 1], seed=0)
    for epoch in range(10):
        rate = nnxp.update_lr(0.5, epoch, 0.3) if interval is None else nnxp.schedule_lr_decay(0.5, epoch, 0.3, 3)
        AL, caches = nnxp.model_forward(X, parameters, ["relu", "sigmoid"])
        parameters = nnxp.update_parameters(parameters, nnxp.model_backward(AL, Y, caches, ["relu", "sigmoid"]), rate)
    for key, value in parameters.items():
        np.testing.assert_array_equal(model.parameters_[key], value)


# ---------------------------------------------------------------- resume, checkpoints


RESUMABLE = [("gd", {}), ("momentum", {}), ("rmsprop", {}), ("adam", {}),
             ("adam", {"keep_prob": 0.7, "decay_rate": 0.1, "decay_interval": 4, "l2": 0.2})]


@pytest.mark.parametrize("optimizer, extra", RESUMABLE, ids=["gd", "momentum", "rmsprop", "adam", "adam-dropout-decay"])
def test_ten_and_ten_epochs_equal_twenty_for_every_optimizer(tmp_path, optimizer, extra):
    X, Y = problem("categorical_cross_entropy", n_x=4, m=50, n_L=3)
    settings = dict(optimizer=optimizer, learning_rate=0.01, batch_size=16, cost_every=3, **extra)
    straight = nnxp.NeuralNetwork([4, 8, 6, 3], num_iterations=20, **settings).fit(X, Y)
    first = nnxp.NeuralNetwork([4, 8, 6, 3], num_iterations=10, **settings).fit(X, Y)
    resumed = nnxp.load(first.save(tmp_path / "half.npz"))
    assert resumed.optimizer == straight.optimizer and resumed.steps_done_ == 40
    resumed.fit(X, Y, resume=True)
    assert resumed.costs_ == straight.costs_ and resumed.steps_done_ == straight.steps_done_ == 80
    for key in straight.parameters_:
        np.testing.assert_array_equal(resumed.parameters_[key], straight.parameters_[key])
    for slot, group in straight.optimizer_state_.items():
        for key in group:
            np.testing.assert_array_equal(resumed.optimizer_state_[slot][key], group[key])


def test_the_file_holds_adams_two_moments(tmp_path):
    X, Y = problem("binary_cross_entropy", n_x=4, m=40)
    path = nnxp.NeuralNetwork([4, 3, 1], optimizer="adam", num_iterations=3).fit(X, Y).save(tmp_path / "m.npz")
    with np.load(path) as data:
        assert {"velocity_dW1", "squared_dW1", "velocity_db2", "squared_db2"} <= set(data.files)
    loaded = nnxp.load(path)
    assert loaded.optimizer == nnxp.Adam() and loaded.velocities_.keys() == {"dW1", "db1", "dW2", "db2"}


def test_resuming_with_another_optimizer_starts_its_state_afresh():
    X, Y = problem("binary_cross_entropy", n_x=4, m=40)
    model = nnxp.NeuralNetwork([4, 3, 1], momentum=0.9, num_iterations=5).fit(X, Y)
    model.optimizer, model.momentum = nnxp.Adam(), 0.0
    model.fit(X, Y, resume=True)
    assert set(model.optimizer_state_) == {"velocity", "squared"} and model.steps_done_ == 5
    assert model.iterations_done_ == 10


# ---------------------------------------------------------------- settings


def test_names_objects_and_momentum_resolve_to_optimizers():
    assert nnxp.NeuralNetwork([2, 1]).optimizer == nnxp.GradientDescent()
    assert nnxp.NeuralNetwork([2, 1], momentum=0.8).optimizer == nnxp.Momentum(0.8)
    assert nnxp.NeuralNetwork([2, 1], optimizer="momentum", momentum=0.5).optimizer == nnxp.Momentum(0.5)
    assert nnxp.NeuralNetwork([2, 1], optimizer="adam").optimizer == nnxp.Adam(0.9, 0.999, 1e-8)
    assert nnxp.NeuralNetwork([2, 1], optimizer="rmsprop").optimizer == nnxp.RMSprop(0.9, 1e-8)
    custom = nnxp.Adam(beta1=0.5)
    model = nnxp.NeuralNetwork([2, 1], optimizer=custom)
    assert model.optimizer is custom and nnxp.NeuralNetwork.from_config(model.get_config()).optimizer == custom
    assert make_optimizer("rmsprop", beta1=0.1, beta2=0.7) == nnxp.RMSprop(beta=0.7)
    assert make_optimizer("momentum", beta1=0.3, epsilon=1.0) == nnxp.Momentum(0.3)
    assert get_optimizer({"name": "adam", "beta2": 0.9}) == nnxp.Adam(beta2=0.9)


@pytest.mark.parametrize("make, message", [
    (lambda: nnxp.Momentum(beta=1.0), r"beta must be a number in \[0, 1\), got 1.0"),
    (lambda: nnxp.RMSprop(beta=-0.1), r"beta must be a number in \[0, 1\), got -0.1"),
    (lambda: nnxp.Adam(beta1=1.5), r"beta1 must be a number in \[0, 1\), got 1.5"),
    (lambda: nnxp.Adam(beta2=1), r"beta2 must be a number in \[0, 1\), got 1"),
    (lambda: nnxp.Adam(epsilon=0), "epsilon must be a positive number, got 0"),
    (lambda: nnxp.RMSprop(epsilon=-1e-8), "epsilon must be a positive number, got -1e-08"),
    (lambda: nnxp.NeuralNetwork([2, 1], optimizer="sgd"), r"optimizer must be one of \['adam', 'gd', 'momentum', "
                                                           r"'rmsprop'\] or an nnxp.core.optimizers object, got 'sgd'"),
    (lambda: nnxp.NeuralNetwork([2, 1], optimizer="adam", momentum=0.9), "momentum=0.9 means optimizer Momentum"),
    (lambda: get_optimizer({"name": "gd", "beta": 0.5}), "has settings GradientDescent does not take"),
    (lambda: nnxp.NeuralNetwork([2, 1], decay_rate=-0.1), r"decay_rate must be in \[0.0, inf\), got -0.1"),
    (lambda: nnxp.NeuralNetwork([2, 1], decay_interval=0), "decay_interval must be None or an integer >= 1, got 0"),
    (lambda: nnxp.NeuralNetwork([2, 1], early_stopping=0), "early_stopping must be None or an integer >= 1, got 0"),
])
def test_bad_settings_are_refused_when_made(make, message):
    with pytest.raises(ValueError, match=message):
        make()
