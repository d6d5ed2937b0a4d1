"""The command line with several classes and with regression: ten digits, iris, an "mse" checkpoint."""

import json

import numpy as np
import pytest
from oracles import problem
from test_cli import _ok, nnxp_command
from test_plots import assert_real_png

import nnxp
from nnxp.data.datasets import get_dataset


@pytest.fixture(scope="module")
def digits_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("runs") / "digits"
    _ok("train", "--dataset", "digits", "--classes", 10, "--layers", 64, "--lr", 0.3, "--iterations", 300,
        "--out", out)
    return out


def test_ten_digits_train_a_softmax_network(digits_run):
    metrics = json.loads((digits_run / "metrics.json").read_text())
    assert metrics["layer_dims"] == [64, 64, 10] and metrics["loss"] == "categorical_cross_entropy"
    assert metrics["activations"] == ["relu", "softmax"]
    assert metrics["test_accuracy"] >= 0.95
    assert_real_png(digits_run / "learning_curve.png")
    split = get_dataset("digits", classes=10)
    assert nnxp.load(digits_run / "model.npz").score(split.X_test, split.Y_test) == metrics["test_accuracy"]


def test_evaluate_and_predict_take_the_models_classes(digits_run):
    """``--dataset digits`` with a ten-class checkpoint means the ten-class split, without --classes."""
    metrics = json.loads((digits_run / "metrics.json").read_text())
    lines = _ok("evaluate", digits_run / "model.npz", "--dataset", "digits").stdout.splitlines()
    assert lines[1].startswith(f"test: accuracy {metrics['test_accuracy']:.1%}, cost {metrics['test_cost']:.6f}")
    lines = _ok("predict", digits_run / "model.npz", "--dataset", "digits").stdout.splitlines()
    assert lines[0] == "prediction," + ",".join(f"probability_{c}" for c in range(10))
    table = np.array([line.split(",") for line in lines[1:]], dtype=float)
    split = get_dataset("digits", classes=10)
    assert table.shape == (split.X_test.shape[1], 11)
    np.testing.assert_array_equal(table[:, 0], table[:, 1:].argmax(axis=1))
    np.testing.assert_allclose(table[:, 1:].sum(axis=1), 1.0, atol=1e-5)
    assert np.mean(table[:, 0] == split.Y_test[0]) == metrics["test_accuracy"]


def test_iris_trains_three_classes(tmp_path):
    _ok("train", "--dataset", "iris", "--layers", 8, "--activation", "tanh", "--lr", 0.5, "--iterations", 300,
        "--out", tmp_path)
    metrics = json.loads((tmp_path / "metrics.json").read_text())
    assert metrics["layer_dims"] == [4, 8, 3] and metrics["test_accuracy"] >= 0.9


def test_a_regression_checkpoint_predicts_and_evaluates_files(tmp_path):
    X, Y = problem("mse", m=40)
    model = nnxp.NeuralNetwork([3, 8, 2], loss="mse", learning_rate=0.05, num_iterations=400).fit(X, Y)
    model.save(tmp_path / "model.npz")
    np.save(tmp_path / "X.npy", X)
    np.save(tmp_path / "Y.npy", Y)
    lines = _ok("predict", tmp_path / "model.npz", "--input", tmp_path / "X.npy").stdout.splitlines()
    assert lines[0] == "prediction_0,prediction_1"
    np.testing.assert_allclose(np.array([line.split(",") for line in lines[1:]], dtype=float).T,
                               model.predict(X), rtol=1e-5, atol=1e-6)
    result = _ok("evaluate", tmp_path / "model.npz", "--input", tmp_path / "X.npy", "--labels", tmp_path / "Y.npy")
    assert result.stdout.startswith(f"input: R^2 {model.score(X, Y):.4f}, cost {model.cost(X, Y):.6f}, 40 samples")


@pytest.mark.parametrize("args, message", [
    (["train", "--dataset", "flower", "--classes", "10"], "--classes is only read with --dataset digits"),
    (["train", "--dataset", "digits", "--classes", "3"], "argument --classes: invalid choice: 3"),
])
def test_class_option_errors_print_one_line(args, message):
    result = nnxp_command(*args)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and message in result.stderr
