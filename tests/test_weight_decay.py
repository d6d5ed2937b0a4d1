"""Decoupled weight decay (nnxp.core.penalties.WeightDecay) against torch.optim: AdamW for Adam, and
SGD's weight_decay for plain gradient descent (where decoupled and coupled decay are one rule)."""

import numpy as np
import pytest
from oracles import oracle_row, problem, torch_trajectory

import nnxp

LOSS, STEPS, LEARNING_RATE, DECAY = "categorical_cross_entropy", 15, 0.01, 0.3


@pytest.mark.parametrize("optimizer, torch_name", [("adam", "AdamW"), ("gd", "SGD")])
def test_weight_decay_is_torchs(backend, optimizer, torch_name):
    X, Y = problem(LOSS, n_x=4, m=40)
    dims = [4, 6, 5, oracle_row("LOSS_ORACLES", LOSS).n_L]
    costs, parameters = torch_trajectory(optimizer, LOSS, X, Y, dims, STEPS, LEARNING_RATE, torch_name, DECAY)
    settings = oracle_row("OPTIMIZER_ORACLES", optimizer).settings
    model = nnxp.NeuralNetwork(dims, learning_rate=LEARNING_RATE, num_iterations=STEPS, cost_every=1,
                               optimizer=nnxp.OPTIMIZERS[optimizer](**settings), weight_decay=DECAY)
    model.fit(backend.asarray(X), backend.asarray(Y))
    np.testing.assert_allclose(model.costs_, costs, rtol=1e-9)  # no cost term: J is the loss alone
    for key, value in parameters.items():
        np.testing.assert_allclose(backend.check(model.parameters_[key]), value, rtol=1e-9, atol=1e-12, err_msg=key)


def test_weight_decay_is_not_l2_under_adam_but_is_under_gradient_descent():
    X, Y = problem(LOSS, n_x=4, m=40)
    dims, m = [4, 6, oracle_row("LOSS_ORACLES", LOSS).n_L], X.shape[1]

    def fit(**settings):
        return nnxp.NeuralNetwork(dims, num_iterations=20, learning_rate=0.05, **settings).fit(X, Y).parameters_

    decayed, l2 = fit(weight_decay=DECAY), fit(l2=DECAY * m)  # W - a(dW + d W) = W - a(dW + (lambda/m) W)
    for key in decayed:
        np.testing.assert_allclose(decayed[key], l2[key], rtol=1e-12, err_msg=key)
    adamw, adam_l2 = fit(optimizer="adam", weight_decay=DECAY), fit(optimizer="adam", l2=DECAY * m)
    assert np.abs(adamw["W1"] - adam_l2["W1"]).max() > 1e-3  # Adam rescales the L2 gradient; AdamW does not


def test_weight_decay_is_a_checked_saved_setting(tmp_path):
    with pytest.raises(ValueError, match=r"weight_decay must be in \[0.0, inf\), got -0.1"):
        nnxp.NeuralNetwork([2, 1], weight_decay=-0.1)
    X, Y = problem("binary_cross_entropy", m=30)
    model = nnxp.NeuralNetwork([3, 1], weight_decay=0.01, num_iterations=3).fit(X, Y)
    model.save(tmp_path / "m.npz")
    assert nnxp.load(tmp_path / "m.npz").weight_decay == 0.01
