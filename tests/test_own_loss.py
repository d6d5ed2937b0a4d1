"""A loss of the user's own, end to end: the model keeps the object, its delta drives the backward
pass (checked by finite differences), and it trains, predicts, scores and saves once registered."""

import numpy as np
import pytest

import nnxp
from nnxp.core.losses import BinaryCrossEntropy
from nnxp.core.step import forward_cost, value_and_grad


class SigmoidSquaredError(BinaryCrossEntropy):
    """A sigmoid unit with the squared error, a pair that is not canonical: ``J = 1/(2m) sum (AL - Y)^2``
    and ``dZ[L] = (AL - Y) AL (1 - AL)``, not ``AL - Y``. Labels, predictions and score: binary's."""

    name = "sigmoid_squared_error"

    def total(self, xp, ZL, Y):
        AL = 1 / (1 + xp.exp(-ZL))
        return xp.sum((AL - Y) ** 2) / 2

    def delta(self, xp, AL, Y):
        return (AL - Y) * AL * (1 - AL)


def _problem(m=80):
    rng = np.random.default_rng(3)
    X = rng.standard_normal((3, m))
    return X, (X[0:1] - X[2:3] > 0).astype(float)


def test_the_model_keeps_the_loss_object_and_its_delta_gives_the_gradients():
    loss = SigmoidSquaredError()
    X, Y = _problem()
    model = nnxp.NeuralNetwork([3, 4, 1], hidden_activation="tanh", loss=loss, num_iterations=0).fit(X, Y)
    assert model.loss_object is loss and model.loss == "sigmoid_squared_error"
    parameters, activations = model.parameters_, model.activations
    _, grads = value_and_grad(np, X, Y, parameters, activations, loss)
    eps = 1e-6
    for key in parameters:
        numeric = np.zeros_like(parameters[key])
        for index in np.ndindex(parameters[key].shape):
            costs = []
            for sign in (1, -1):
                shifted = {**parameters, key: parameters[key].copy()}
                shifted[key][index] += sign * eps
                costs.append(float(forward_cost(np, X, Y, shifted, activations, loss)[2]))
            numeric[index] = (costs[0] - costs[1]) / (2 * eps)
        np.testing.assert_allclose(grads["d" + key], numeric, rtol=1e-6, atol=1e-9)
    canonical = value_and_grad(np, X, Y, parameters, activations, nnxp.LOSSES["binary_cross_entropy"])[1]
    assert not np.allclose(canonical["dW2"], grads["dW2"])  # the delta is the loss's, not AL - Y


def test_it_trains_predicts_scores_and_saves_once_registered(tmp_path, monkeypatch):
    X, Y = _problem()
    model = nnxp.NeuralNetwork([3, 8, 1], hidden_activation="tanh", loss=SigmoidSquaredError(), learning_rate=2.0,
                               num_iterations=300).fit(X, Y)
    assert model.costs_[-1] < model.costs_[0] / 2 and model.score(X, Y) > 0.9
    assert model.predict(X).shape == (1, 80) and model.predict_proba(X).shape == (1, 80)
    with pytest.raises(ValueError, match="register it first"):
        model.save(tmp_path / "model.npz")
    monkeypatch.setitem(nnxp.LOSSES, "sigmoid_squared_error", model.loss_object)
    loaded = nnxp.load(model.save(tmp_path / "model.npz"))
    assert loaded.loss_object is model.loss_object
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))
