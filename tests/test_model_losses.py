"""NeuralNetwork with each loss: trajectories against a reference, labels, predictions, scores,
bad input, checkpoints (old ones too) and the ten-digit task."""

from pathlib import Path

import array_api_strict
import numpy as np
import pytest
from oracles import oracle_row, problem, training_form

import nnxp
from nnxp.data.datasets import get_dataset

V1_CHECKPOINT = Path(__file__).parent / "data" / "checkpoint_v1.npz"


def _dims(loss):
    return [3, 5, oracle_row("LOSS_ORACLES", loss).n_L]


def _reference(loss, X, Y, learning_rate, steps):
    """Full-batch gradient descent with tanh hidden layers, written here in plain NumPy."""
    outputs = {"sigmoid": lambda Z: 1 / (1 + np.exp(-Z)), "linear": lambda Z: Z,
               "softmax": lambda Z: np.exp(Z - Z.max(0)) / np.exp(Z - Z.max(0)).sum(0)}
    params, L, m = nnxp.initialize_parameters(_dims(loss), seed=0), len(_dims(loss)) - 1, X.shape[1]
    for _ in range(steps):
        A = [X]
        for l in range(1, L + 1):
            Z = params[f"W{l}"] @ A[-1] + params[f"b{l}"]
            A.append(np.tanh(Z) if l < L else outputs[oracle_row("LOSS_ORACLES", loss).output](Z))
        dZ = A[L] - Y
        for l in range(L, 0, -1):
            dW, db = dZ @ A[l - 1].T / m, dZ.sum(axis=1, keepdims=True) / m
            dZ = (params[f"W{l}"].T @ dZ) * (1 - A[l - 1] ** 2)
            params[f"W{l}"], params[f"b{l}"] = params[f"W{l}"] - learning_rate * dW, params[f"b{l}"] - learning_rate * db
    return params


def _model(loss, **kwargs):
    settings = dict(hidden_activation="tanh", learning_rate=0.2, num_iterations=25, cost_every=5, loss=loss)
    return nnxp.NeuralNetwork(_dims(loss), **{**settings, **kwargs})


# ---------------------------------------------------------------- training


@pytest.mark.parametrize("loss", nnxp.LOSSES)
def test_trajectories_equal_the_reference_on_every_backend(backend, loss):
    X, Y = problem(loss, m=30)
    expected = _reference(loss, X, training_form(loss, Y), 0.2, 25)
    model = _model(loss).fit(backend.asarray(X), backend.asarray(Y))
    assert model.activations == ["tanh", oracle_row("LOSS_ORACLES", loss).output]
    for key, value in expected.items():
        np.testing.assert_allclose(backend.check(model.parameters_[key]), value, rtol=1e-10, atol=1e-13, err_msg=key)
    assert model.costs_[0] > model.costs_[-1]


def test_class_indices_and_one_hot_train_bit_for_bit_alike(backend):
    X, Y = problem("categorical_cross_entropy", m=30)
    kwargs = dict(batch_size=8, momentum=0.9, l2=0.1, num_iterations=5)
    by_index = _model("categorical_cross_entropy", **kwargs).fit(backend.asarray(X), backend.asarray(Y))
    one_hot = _model("categorical_cross_entropy", **kwargs).fit(
        backend.asarray(X), backend.asarray(training_form("categorical_cross_entropy", Y)))
    as_int = _model("categorical_cross_entropy", **kwargs).fit(backend.asarray(X), backend.asarray(Y, "int64"))
    for other in (one_hot, as_int):
        assert other.costs_ == by_index.costs_
        for key in by_index.parameters_:
            np.testing.assert_array_equal(backend.check(other.parameters_[key]), backend.check(by_index.parameters_[key]))


def test_loss_none_follows_the_output_units():
    assert nnxp.NeuralNetwork([3, 1]).loss == "binary_cross_entropy"
    assert nnxp.NeuralNetwork([3, 4, 2]).loss == "categorical_cross_entropy"
    assert nnxp.NeuralNetwork([3, 4, 2], loss="mse").activations == ["relu", "linear"]
    assert repr(nnxp.NeuralNetwork([3, 4, 2])) == "NeuralNetwork([3, 4, 2])"
    assert repr(nnxp.NeuralNetwork([3, 1], loss="mse")) == "NeuralNetwork([3, 1], loss='mse')"


def test_validation_scores_are_what_score_measures():
    X, Y = problem("mse", m=30)
    X_v, Y_v = problem("mse", m=12, seed=1)
    model = _model("mse", num_iterations=11).fit(X, Y, validation_data=(X_v, Y_v))
    again = _model("mse", num_iterations=10).fit(X, Y)  # the parameters at the last logged iteration
    assert model.validation_scores_[-1] == pytest.approx(again.score(X_v, Y_v), rel=1e-12)
    assert model.validation_costs_[-1] == pytest.approx(again.cost(X_v, Y_v), rel=1e-12)


@pytest.mark.slow
def test_ten_digits_with_plain_gradient_descent_reach_95_percent():
    digits = get_dataset("digits", classes=10)
    model = nnxp.NeuralNetwork([64, 64, 10], learning_rate=0.3, num_iterations=500, cost_every=100)
    model.fit(digits.X_train, digits.Y_train)
    assert model.loss == "categorical_cross_entropy"
    assert model.score(digits.X_test, digits.Y_test) >= 0.95
    assert model.costs_ == sorted(model.costs_, reverse=True)


# ---------------------------------------------------------------- predictions and scores


def test_categorical_predictions_probabilities_and_accuracy(backend):
    X, Y = problem("categorical_cross_entropy", m=30)
    model = _model("categorical_cross_entropy", num_iterations=200, learning_rate=1.0).fit(backend.asarray(X), backend.asarray(Y))
    proba = backend.check(model.predict_proba(backend.asarray(X)))
    assert proba.shape == (4, 30)
    np.testing.assert_allclose(proba.sum(axis=0), 1.0, rtol=1e-14)
    predicted = nnxp.to_numpy(model.predict(backend.asarray(X)))
    np.testing.assert_array_equal(predicted, proba.argmax(axis=0)[None, :])
    assert model.score(backend.asarray(X), backend.asarray(Y)) == np.mean(predicted[0] == Y[0]) > 0.9


def test_regression_predictions_and_r2_match_scikit_learn(backend):
    metrics = pytest.importorskip("sklearn.metrics")
    X, Y = problem("mse", m=30)
    model = _model("mse", num_iterations=300, learning_rate=0.1).fit(backend.asarray(X), backend.asarray(Y))
    predicted = backend.check(model.predict(backend.asarray(X)))
    assert predicted.shape == (2, 30)
    expected = metrics.r2_score(Y.T, predicted.T)  # rows-first, the mean R^2 over the two outputs
    assert model.score(backend.asarray(X), backend.asarray(Y)) == pytest.approx(expected, rel=1e-12)
    assert expected > 0.3
    with pytest.raises(ValueError, match="predict_proba needs a classifier; this model's loss is 'mse'"):
        model.predict_proba(backend.asarray(X))


def test_r2_of_a_constant_target_follows_scikit_learn():
    X = np.random.default_rng(0).standard_normal((3, 10))
    model = _model("mse", num_iterations=1).fit(X, np.zeros((2, 10)))
    assert model.score(X, np.zeros((2, 10))) == 0.0  # predictions are not exactly 0


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize("loss, Y, error, message", [
    ("categorical_cross_entropy", [[0, 1, 4, 2] * 2], ValueError,
     r"Y must hold class indices in \[0, C\) = \[0, 4\), got values \[4.0\] outside it"),
    ("categorical_cross_entropy", [[0, 1, -1, 2] * 2], ValueError, r"got values \[-1.0\] outside it"),
    ("categorical_cross_entropy", [[0, 1, 2.5, 2] * 2], ValueError, r"whole class indices 0..3, got fractional values \[2.5\]"),
    ("categorical_cross_entropy", [[0, 1, np.nan, 2] * 2], ValueError, "Y contains NaN or infinite values"),
    ("categorical_cross_entropy", np.eye(4)[[0, 1, 2, 3, 0, 1, 2, 3]].T * 2, ValueError,
     r"Y of shape \(4, 8\) must be one-hot .*got values \[0.0, 2.0\]"),
    ("categorical_cross_entropy", np.ones((4, 8)), ValueError, r"must be one-hot .*got column sums \[4.0\]"),
    ("categorical_cross_entropy", np.zeros((3, 8)), ValueError,
     r"Y must be class indices of shape \(1, m\) = \(1, 8\) or one-hot of shape \(C, m\) = \(4, 8\), got \(3, 8\)"),
    ("categorical_cross_entropy", np.zeros((8, 4)), ValueError, r"got \(8, 4\); Y.T has that shape"),
    ("categorical_cross_entropy", np.zeros(8), ValueError, r"got \(8,\); reshape Y to \(1, m\)"),
    ("mse", np.zeros((1, 8)), ValueError, r"Y must have shape \(n\[L\], m\) = \(2, 8\), got \(1, 8\)"),
    ("mse", np.full((2, 8), np.inf), ValueError, "Y contains NaN or infinite values"),
    ("mse", np.full((2, 8), "a"), TypeError, "Y must hold real numbers"),
    ("binary_cross_entropy", [[0, 1, np.nan, 1] * 2], ValueError, "Y contains NaN or infinite values"),
])
def test_bad_targets_are_named(loss, Y, error, message):
    X = np.random.default_rng(0).standard_normal((3, 8))
    with pytest.raises(error, match=message):
        _model(loss).fit(X, np.asarray(Y))


def test_bad_validation_targets_are_named():
    X, Y = problem("categorical_cross_entropy", m=30)
    with pytest.raises(ValueError, match=r"validation Y_v must hold class indices in \[0, C\) = \[0, 4\)"):
        _model("categorical_cross_entropy").fit(X, Y, validation_data=(X[:, :5], np.full((1, 5), 7.0)))


def test_labels_are_checked_on_device1_with_one_read():
    device1 = array_api_strict.Device("device1")
    X, Y = problem("categorical_cross_entropy", m=30)
    with pytest.raises(ValueError, match=r"got values \[9.0\] outside it"):
        _model("categorical_cross_entropy").fit(array_api_strict.asarray(X, device=device1),
                                                array_api_strict.asarray(np.where(Y == 3, 9.0, Y), device=device1))


# ---------------------------------------------------------------- checkpoints


@pytest.mark.parametrize("loss", nnxp.LOSSES)
def test_every_loss_round_trips_through_a_checkpoint(tmp_path, loss):
    X, Y = problem(loss, m=30)
    model = _model(loss, momentum=0.9).fit(X, Y, validation_data=(X, Y))
    loaded = nnxp.load(model.save(tmp_path / "model.npz"))
    assert (loaded.loss, loaded.activations) == (loss, model.activations)
    assert loaded.validation_scores_ == model.validation_scores_
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))
    loaded.fit(X, Y, resume=True)
    straight = _model(loss, momentum=0.9, num_iterations=50).fit(X, Y)
    for key in straight.parameters_:
        np.testing.assert_array_equal(loaded.parameters_[key], straight.parameters_[key])


V1_SETTINGS = dict(hidden_activation="tanh", learning_rate=1.2, init="scaled", cost_every=10, seed=3, momentum=0.9)

# The stored file's numbers were computed on another machine. Its BLAS kernel sums the 320 products
# of each gradient entry (dW = dZ A^T / m) in its own order, so each iteration may round differently
# in the last bit (2^-53 = 1.1e-16 relative); over 30 + 10 iterations of a contracting run these stay
# at that scale (measured: 3e-16 relative, 6e-17 absolute, against OpenBLAS's Haswell kernels). The
# tolerance leaves room for other kernels and still catches any real fault: a lost velocity moves a
# weight by 0.09, one iteration more or less by 0.018.
V1_RTOL, V1_ATOL = 1e-12, 1e-14


def _format_1_copy(model, path):
    """tests/data/checkpoint_v1.npz with its arrays replaced by those of ``model``, trained in this run:
    a format-1 file whose numbers this machine computed."""
    with np.load(V1_CHECKPOINT) as stored:
        arrays = dict(stored)
    arrays.update(model.parameters_)
    arrays.update({f"velocity_{key}": value for key, value in model.optimizer_state_["velocity"].items()})
    arrays.update(costs=np.asarray(model.costs_), validation_costs=np.asarray(model.validation_costs_),
                  validation_accuracies=np.asarray(model.validation_scores_))
    np.savez(path, **arrays)
    return path


def test_a_checkpoint_of_nnxp_0_1_still_loads_and_resumes(tmp_path):
    """tests/data/checkpoint_v1.npz was written by nnxp 0.1 (format 1): [2, 4, 1] tanh on the flower
    data, 30 iterations, momentum 0.9, validation data; its numbers were printed then.

    Bit-identity is asserted only between computations of this run: a format-1 file of a model trained
    here resumes exactly as one straight run. The stored file, computed elsewhere, agrees with both to
    the rounding of another CPU's kernels (V1_RTOL)."""
    flower = get_dataset("flower")
    old = nnxp.load(V1_CHECKPOINT)
    assert old.loss == "binary_cross_entropy" and old.activations == ["tanh", "sigmoid"]
    # Read back from the file, not computed: exactly the numbers printed when it was written.
    np.testing.assert_allclose(old.costs_, [0.6931534361573839, 0.6927560461755993, 0.690319171637223], rtol=1e-15)
    assert old.validation_accuracies_ == old.validation_scores_ == [0.4, 0.5625, 0.5125]
    np.testing.assert_allclose(old.predict_proba(flower.X_test[:, :3]), [[0.53868716, 0.5255365, 0.50353646]], rtol=1e-7)

    here = nnxp.NeuralNetwork([2, 4, 1], num_iterations=30, **V1_SETTINGS).fit(
        flower.X_train, flower.Y_train, validation_data=(flower.X_test, flower.Y_test))
    for key in here.parameters_:  # the file holds what this code computes, to another machine's rounding
        np.testing.assert_allclose(old.parameters_[key], here.parameters_[key], rtol=V1_RTOL, atol=V1_ATOL)
        np.testing.assert_allclose(old.optimizer_state_["velocity"][f"d{key}"],
                                   here.optimizer_state_["velocity"][f"d{key}"], rtol=V1_RTOL, atol=V1_ATOL)
    copy = nnxp.load(_format_1_copy(here, tmp_path / "checkpoint_v1.npz"))
    assert copy.costs_ == here.costs_ and copy.validation_scores_ == here.validation_scores_

    straight = nnxp.NeuralNetwork([2, 4, 1], num_iterations=40, **V1_SETTINGS).fit(flower.X_train, flower.Y_train)
    for resumed in (old, copy):
        resumed.num_iterations = 10
        resumed.fit(flower.X_train, flower.Y_train, resume=True)
    for key in straight.parameters_:
        np.testing.assert_array_equal(copy.parameters_[key], straight.parameters_[key])  # both computed here
        np.testing.assert_allclose(old.parameters_[key], straight.parameters_[key], rtol=V1_RTOL, atol=V1_ATOL)


def test_a_checkpoint_whose_loss_disagrees_is_refused(tmp_path):
    from nnxp.model.checkpoint import read_checkpoint
    from nnxp.model.loading import restore

    X, Y = problem("mse", m=30)
    saved = read_checkpoint(_model("mse").fit(X, Y).save(tmp_path / "model.npz"))
    with pytest.raises(nnxp.CheckpointError, match="and loss 'mse', not"):
        restore(saved, config={**saved.config, "loss": "categorical_cross_entropy"})


def test_one_linear_unit_converges_to_least_squares():
    """Linear regression as a one-neuron network: gradient descent on J = 1/(2m) ||WX + b - Y||^2
    ends at the normal equations' solution."""
    rng = np.random.default_rng(3)
    X = rng.standard_normal((3, 50))
    Y = np.array([[1.5, -2.0, 0.5]]) @ X + 0.3 + 0.1 * rng.standard_normal((1, 50))
    model = nnxp.NeuralNetwork([3, 1], loss="mse", learning_rate=0.5, num_iterations=500).fit(X, Y)
    solution, *_ = np.linalg.lstsq(np.vstack([X, np.ones((1, 50))]).T, Y[0], rcond=None)
    np.testing.assert_allclose(model.parameters_["W1"][0], solution[:3], rtol=1e-9)
    np.testing.assert_allclose(model.parameters_["b1"][0, 0], solution[3], rtol=1e-9)
