"""Training control: early stopping, inverted dropout, the divergence guard."""

import math
from functools import partial

import array_api_strict
import numpy as np
import pytest
from oracles import central_differences, problem

import nnxp
from nnxp.data.datasets import get_dataset
from nnxp.core.dropout import dropout_masks
from nnxp.core.step import value_and_grad

_problem = partial(problem, "binary_cross_entropy")  # X (3, 60), Y = X0 + X1 X2 (+ noise) > 0


# ---------------------------------------------------------------- early stopping


def test_early_stopping_keeps_exactly_the_best_validation_parameters():
    X, Y = _problem(noise=1.0)
    X_v, Y_v = _problem(m=40, seed=1, noise=1.0)
    settings = dict(hidden_activation="tanh", learning_rate=1.0, cost_every=5, seed=2)
    model = nnxp.NeuralNetwork([3, 30, 1], num_iterations=3000, early_stopping=3, **settings)
    model.fit(X, Y, validation_data=(X_v, Y_v))
    costs = model.validation_costs_
    best = int(np.argmin(costs))
    assert model.best_iteration_ == 5 * best and len(costs) == best + 4  # three evaluations without a new low
    assert model.iterations_done_ == 5 * (len(costs) - 1) < 3000  # stopped at the last evaluation
    assert min(costs[best + 1:]) >= costs[best]
    again = nnxp.NeuralNetwork([3, 30, 1], num_iterations=model.best_iteration_, **settings).fit(X, Y)
    for key in again.parameters_:
        np.testing.assert_array_equal(model.parameters_[key], again.parameters_[key])
    assert model.cost(X_v, Y_v) == costs[best]


def test_without_a_stop_early_stopping_still_keeps_the_best():
    X, Y = _problem()
    model = nnxp.NeuralNetwork([3, 5, 1], num_iterations=20, cost_every=4, early_stopping=50, learning_rate=0.5)
    model.fit(X, Y, validation_data=_problem(m=30, seed=3))
    assert model.iterations_done_ == 20
    assert model.best_iteration_ == 4 * int(np.argmin(model.validation_costs_))


def test_early_stopping_tol_counts_only_decreases_larger_than_it():
    """Replaying the recorded validation costs by hand: an evaluation is progress only when it is below
    the best so far by more than tol, and the kept epoch is the last such one."""
    X, Y = _problem(noise=1.0)
    tol, settings = 1e-2, dict(hidden_activation="tanh", learning_rate=0.1, num_iterations=3000, cost_every=5,
                               early_stopping=3, seed=2)
    model = nnxp.NeuralNetwork([3, 8, 1], tol=tol, **settings)
    model.fit(X, Y, validation_data=_problem(m=40, seed=1, noise=1.0))
    best, kept, waited = math.inf, None, 0
    for k, cost in enumerate(model.validation_costs_):
        best, kept, waited = (cost, k, 0) if cost < best - tol else (best, kept, waited + 1)
    assert waited == 3 and model.best_iteration_ == 5 * kept and model.iterations_done_ < 3000
    assert any(0 < best - cost <= tol for cost in model.validation_costs_[kept + 1:])  # small gains ignored
    patient = nnxp.NeuralNetwork([3, 8, 1], **settings).fit(X, Y, validation_data=_problem(m=40, seed=1, noise=1.0))
    assert patient.iterations_done_ > model.iterations_done_  # tol=0: those small gains count
    with pytest.raises(ValueError, match=r"tol must be in \[0.0, inf\), got -1"):
        nnxp.NeuralNetwork([3, 1], tol=-1)


@pytest.mark.parametrize("make, message", [
    (lambda: nnxp.NeuralNetwork([3, 1], early_stopping=5).fit(*_problem()),
     r"early_stopping=5 needs validation_data=\(X_v, Y_v\)"),
    (lambda: nnxp.NeuralNetwork([3, 1], early_stopping=-2), "early_stopping must be None or an integer >= 1, got -2"),
])
def test_early_stopping_settings_are_checked(make, message):
    with pytest.raises(ValueError, match=message):
        make()


# ---------------------------------------------------------------- dropout


def test_dropout_reproduces_the_course_on_numpy():
    """One epoch of the course's dropout network, written here: np.random.seed(1); D1 = rand < keep_prob;
    A1 = A1 * D1 / keep_prob; the same masks in the backward pass; then gradient descent."""
    X, Y = _problem(m=8)
    keep, lr = 0.7, 0.3
    model = nnxp.NeuralNetwork([3, 5, 4, 1], learning_rate=lr, num_iterations=1, seed=1, keep_prob=keep).fit(X, Y)
    P = nnxp.initialize_parameters([3, 5, 4, 1], seed=1)
    np.random.seed(1)
    Z1 = P["W1"] @ X + P["b1"]
    D1 = np.random.rand(*Z1.shape) < keep
    A1 = np.maximum(Z1, 0) * D1 / keep
    Z2 = P["W2"] @ A1 + P["b2"]
    D2 = np.random.rand(*Z2.shape) < keep
    A2 = np.maximum(Z2, 0) * D2 / keep
    A3 = 1 / (1 + np.exp(-(P["W3"] @ A2 + P["b3"])))
    dZ3 = A3 - Y
    dA2 = (P["W3"].T @ dZ3) * D2 / keep
    dZ2 = dA2 * (Z2 > 0)
    dA1 = (P["W2"].T @ dZ2) * D1 / keep
    dZ1 = dA1 * (Z1 > 0)
    for key, dZ, A_prev in (("1", dZ1, X), ("2", dZ2, A1), ("3", dZ3, A2)):
        W = P["W" + key] - lr * dZ @ A_prev.T / 8
        b = P["b" + key] - lr * dZ.sum(axis=1, keepdims=True) / 8
        np.testing.assert_allclose(model.parameters_["W" + key], W, rtol=1e-13, atol=1e-15)
        np.testing.assert_allclose(model.parameters_["b" + key], b, rtol=1e-13, atol=1e-15)


def test_keep_prob_one_is_bit_identical_to_no_dropout(backend):
    X, Y = (backend.asarray(a) for a in _problem())
    plain = nnxp.NeuralNetwork([3, 5, 4, 1], num_iterations=3, batch_size=16, optimizer="adam").fit(X, Y)
    kept = nnxp.NeuralNetwork([3, 5, 4, 1], num_iterations=3, batch_size=16, optimizer="adam",
                              keep_prob=[1.0, 1.0]).fit(X, Y)
    assert kept.costs_ == plain.costs_
    for key in plain.parameters_:
        np.testing.assert_array_equal(backend.check(kept.parameters_[key]), backend.check(plain.parameters_[key]))


def test_the_same_seed_gives_the_same_masks_on_every_backend(backend):
    X, Y = (backend.asarray(a) for a in _problem())

    def fit(seed):
        model = nnxp.NeuralNetwork([3, 6, 1], num_iterations=6, keep_prob=0.6, seed=seed, learning_rate=0.3)
        return backend.check(model.fit(X, Y).parameters_["W1"])

    np.testing.assert_array_equal(fit(4), fit(4))
    assert not np.array_equal(fit(4), fit(5))
    no_dropout = nnxp.NeuralNetwork([3, 6, 1], num_iterations=6, seed=4, learning_rate=0.3).fit(X, Y)
    assert not np.array_equal(fit(4), backend.check(no_dropout.parameters_["W1"]))


def test_masks_keep_the_expected_fraction_and_mean(backend):
    draw = nnxp.core.backend.uniform_source(backend.xp, backend.device, seed=7)
    masks = dropout_masks(backend.xp, draw, [2, 200, 300, 1], (0.8, 0.25), 500, backend.xp.float64)
    for mask, keep in zip(masks, (0.8, 0.25)):
        host = backend.check(mask)
        kept = np.mean(host > 0)
        assert abs(kept - keep) < 4 * math.sqrt(keep * (1 - keep) / host.size)  # 4 standard errors
        np.testing.assert_array_equal(np.unique(host), [0.0, 1 / keep])
        assert abs(host.mean() - 1) < 0.02  # inverted dropout keeps the expected activation
    assert dropout_masks(backend.xp, draw, [2, 3, 1], (1.0,), 5, backend.xp.float64) is None


def test_the_dropout_backward_pass_is_the_gradient_of_the_thinned_network():
    """With the masks held fixed, value_and_grad's gradients match central differences of its cost."""
    xp = nnxp.get_namespace("numpy")
    X, Y = _problem(m=10)
    parameters = nnxp.initialize_parameters([3, 5, 4, 1], seed=3)
    activations = ["tanh", "sigmoid", "sigmoid"]
    masks = dropout_masks(xp, nnxp.core.backend.uniform_source(xp, None, 3), [3, 5, 4, 1], (0.5, 0.7), 10, xp.float64)
    loss = nnxp.LOSSES["binary_cross_entropy"]
    _, grads = value_and_grad(xp, X, Y, parameters, activations, loss, masks=masks)
    numeric = central_differences(
        lambda shifted: float(value_and_grad(xp, X, Y, shifted, activations, loss, masks=masks)[0]), parameters)
    for key, value in numeric.items():
        for index in np.ndindex(value.shape):
            assert grads["d" + key][index] == pytest.approx(value[index], rel=1e-6, abs=1e-9)


def test_dropout_is_off_at_prediction_and_evaluation():
    X, Y = _problem()
    model = nnxp.NeuralNetwork([3, 8, 1], num_iterations=30, keep_prob=0.5, learning_rate=0.3).fit(X, Y)
    AL, _ = nnxp.model_forward(X, model.parameters_, model.activations)
    np.testing.assert_array_equal(model.predict_proba(X), AL)
    assert model.cost(X, Y) == float(nnxp.compute_cost_from_logits(nnxp.model_forward(
        X, model.parameters_, model.activations)[1][-1][1], Y))


@pytest.mark.parametrize("keep_prob, error, message", [
    (0.0, ValueError, r"keep_prob values must be in \(0, 1\], got 0.0"),
    (1.5, ValueError, r"keep_prob values must be in \(0, 1\], got 1.5"),
    ([0.5], ValueError, r"keep_prob must give one value per hidden layer \(2\), got \[0.5\]"),
    ("0.5", TypeError, "keep_prob must be a number or one number per hidden layer"),
])
def test_bad_keep_prob(keep_prob, error, message):
    with pytest.raises(error, match=message):
        nnxp.NeuralNetwork([3, 4, 4, 1], keep_prob=keep_prob)


def test_keep_prob_needs_hidden_layers():
    with pytest.raises(ValueError, match="keep_prob=0.5 drops hidden units, but layer_dims has no hidden layer"):
        nnxp.NeuralNetwork([3, 1], keep_prob=0.5)


# ---------------------------------------------------------------- the divergence guard


def test_a_huge_learning_rate_is_refused_not_saved_as_a_model():
    """The issue's case: tanh at learning_rate=1e6 used to 'succeed' with a cost of 1e5."""
    flower = get_dataset("flower")
    model = nnxp.NeuralNetwork([2, 4, 1], hidden_activation="tanh", learning_rate=1e6, num_iterations=200,
                               cost_every=10)
    with pytest.raises(nnxp.TrainingDivergedError, match=r"the cost became \d.* at iteration 10 .*diverged"):
        model.fit(flower.X_train, flower.Y_train)
    assert not hasattr(model, "parameters_")


def test_the_bound_is_a_hundred_times_the_larger_of_the_first_cost_and_chance():
    from nnxp.training.loop import TrainingState, divergence_bound

    state = TrainingState({}, {}, 0, costs=[0.5])
    assert divergence_bound(state, 0.5, nnxp.LOSSES["binary_cross_entropy"], 1) == 100 * math.log(2)
    assert divergence_bound(state, 0.5, nnxp.LOSSES["categorical_cross_entropy"], 10) == 100 * math.log(10)
    assert divergence_bound(state, 0.5, nnxp.LOSSES["mse"], 3) == 50.0
    state.costs = [0.0]
    assert divergence_bound(state, 0.0, nnxp.LOSSES["mse"], 3) == math.inf


def test_a_large_first_cost_that_falls_is_not_divergence():
    """The course's large-weights initialization starts far above chance, then learns."""
    X, Y = _problem()
    model = nnxp.NeuralNetwork([3, 10, 5, 1], init="scaled", scale=10.0, learning_rate=0.01, num_iterations=200,
                               cost_every=50).fit(X, Y)
    assert model.costs_[0] > 100 * math.log(2) and model.costs_[-1] < model.costs_[0]


def test_a_regression_whose_cost_explodes_diverges():
    X, _ = _problem()
    with pytest.raises(nnxp.TrainingDivergedError):
        nnxp.NeuralNetwork([3, 8, 1], loss="mse", learning_rate=2.0, num_iterations=100, cost_every=1).fit(
            X, 3 * X[0:1])


@pytest.mark.parametrize("num_iterations", [20, 100])
def test_a_run_shorter_than_cost_every_is_guarded_too(num_iterations):
    """No cost is logged after the first (taken before any update): the final parameters' cost is checked."""
    flower = get_dataset("flower")
    model = nnxp.NeuralNetwork([2, 4, 1], hidden_activation="tanh", learning_rate=1e6, init="scaled",
                               num_iterations=num_iterations)
    with pytest.raises(nnxp.TrainingDivergedError, match=rf"the cost became \d.* after iteration {num_iterations} "):
        model.fit(flower.X_train, flower.Y_train)
    assert not hasattr(model, "parameters_")


@pytest.mark.parametrize("optimizer", ["gd", "momentum", "rmsprop", "adam"])
def test_every_optimizer_on_mini_batches_is_guarded_from_its_starting_cost(optimizer):
    """Adam at a huge learning rate on mini-batches used to 'succeed' at a cost of 2369: its first
    logged cost, an average over batches already wrecked, had become the guard's scale. The scale is
    now the starting parameters' cost (hand-checked here as the first full-batch forward pass)."""
    X, Y = _problem(m=200)
    model = nnxp.NeuralNetwork([3, 8, 1], optimizer=optimizer, batch_size=32, learning_rate=1e6, num_iterations=30,
                               cost_every=5)
    with pytest.raises(nnxp.TrainingDivergedError, match=r"the cost became \d.* at iteration 0 .*smaller learning"):
        model.fit(X, Y)
    start = nnxp.NeuralNetwork([3, 8, 1], num_iterations=0).fit(X, Y)
    assert start.cost(X, Y) < 1.0  # the scale the first epoch's cost is held to: 100 times at most log 2


@pytest.mark.parametrize("estimator", ["NeuralNetClassifier", "NeuralNetRegressor"])
def test_the_estimators_are_guarded_too(estimator):
    sklearn = pytest.importorskip("nnxp.sklearn")
    X, Y = _problem(m=300)
    y = Y.ravel() if estimator == "NeuralNetClassifier" else X[0] * 3 + 1
    with pytest.raises(nnxp.TrainingDivergedError, match="learning_rate=1000000.0; training diverged"):
        getattr(sklearn, estimator)(learning_rate_init=1e6, max_iter=20).fit(X.T, y)


def test_unscaled_features_that_diverge_are_told_to_be_standardized_and_no_warning_of_numpy_leaks():
    """RuntimeWarnings are errors in this suite: an overflow inside the diverging run would fail it."""
    X, Y = _problem(m=200)
    X = X * np.array([[1e-2], [1.0], [1e4]])
    with pytest.warns(UserWarning, match="standard deviations"), pytest.raises(
            nnxp.TrainingDivergedError, match=r"X's features have standard deviations from .* over 1e\+03 apart: "
                                              r"standardize them first"):
        nnxp.NeuralNetwork([3, 8, 1], learning_rate=0.5, num_iterations=100, cost_every=10).fit(X, Y)


def test_search_ranks_a_diverged_run_last():
    """The issue's case at the default cost_every (100): a 100-iteration search never logs a second cost."""
    flower = get_dataset("flower")
    rows = nnxp.search({"learning_rate": [1e6, 1.2]}, flower.X_train, flower.Y_train, flower.X_test, flower.Y_test,
                       hidden_activation="tanh", num_iterations=100, init="scaled")
    assert [row["learning_rate"] for row in rows] == [1.2, 1e6]
    assert rows[1]["diverged"] and math.isnan(rows[1]["validation_accuracy"])


# ---------------------------------------------------------------- on device1


def test_adam_and_dropout_read_back_only_the_logged_costs(monkeypatch):
    """Mini-batches read the logged costs, and twice per fit the divergence guard's cost: the starting
    parameters' (its scale) and the final ones': a read count that grows with the logged costs only."""
    device1 = array_api_strict.Device("device1")
    counts = {"float": 0, "bool": 0}
    Array = type(array_api_strict.asarray(0.0))
    for kind in counts:
        original = getattr(Array, f"__{kind}__")

        def counted(self, _original=original, _kind=kind):
            counts[_kind] += self.device == device1
            return _original(self)

        monkeypatch.setattr(Array, f"__{kind}__", counted)
    X, Y = (array_api_strict.asarray(a, device=device1) for a in _problem(m=40))
    reads = []
    for iterations in (20, 40):
        counts.update(float=0, bool=0)
        model = nnxp.NeuralNetwork([3, 6, 1], optimizer="adam", keep_prob=0.8, batch_size=16, decay_rate=0.1,
                                   num_iterations=iterations, cost_every=5, learning_rate=0.01).fit(X, Y)
        assert counts["float"] == len(model.costs_) + 2 == iterations // 5 + 2
        reads.append(counts["bool"])
    assert reads[0] == reads[1]
    assert all(value.device == device1 for group in model.optimizer_state_.values() for value in group.values())
