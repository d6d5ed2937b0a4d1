"""Plots: real PNG files of sensible size, drawn from what the model holds."""

import matplotlib.image
import numpy as np
import pytest

import nnxp
from nnxp.cli import plots
from nnxp.data.datasets import get_dataset

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def assert_real_png(path, min_bytes=5_000, size=(640, 480)):
    """``path`` is a PNG of ``size`` (width, height) pixels, over ``min_bytes``, and not one flat colour."""
    assert path.read_bytes()[:8] == PNG_SIGNATURE, f"{path} is not a PNG"
    assert path.stat().st_size > min_bytes, f"{path} is only {path.stat().st_size} bytes"
    pixels = matplotlib.image.imread(path)
    assert pixels.shape[:2] == size[::-1]
    assert len(np.unique(pixels.reshape(-1, pixels.shape[-1]), axis=0)) > 20, f"{path} is nearly blank"


@pytest.fixture(scope="module")
def flower():
    return get_dataset("flower")


def _fitted(split, validation=False, **kwargs):
    model = nnxp.NeuralNetwork([2, 4, 1], hidden_activation="tanh", learning_rate=1.2,
                               num_iterations=300, init="scaled", cost_every=20, **kwargs)
    data = {"validation_data": (split.X_test, split.Y_test)} if validation else {}
    return model.fit(split.X_train, split.Y_train, **data)


def test_learning_curve_plots_every_logged_cost_against_its_iteration(tmp_path, flower):
    model = _fitted(flower)
    fig = plots.learning_curve(model, tmp_path / "curve.png")
    assert_real_png(tmp_path / "curve.png")
    ax = fig.axes[0]
    (line,) = ax.get_lines()
    np.testing.assert_array_equal(line.get_xdata(), np.arange(0, 300, 20))
    np.testing.assert_array_equal(line.get_ydata(), model.costs_)
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == ("iterations", "cost", "Learning rate = 1.2")


def test_learning_curve_shows_validation_costs_and_epochs(tmp_path, flower):
    model = _fitted(flower, validation=True, batch_size=64)
    ax = plots.learning_curve(model, tmp_path / "curve.png").axes[0]
    training, validation = ax.get_lines()
    np.testing.assert_array_equal(validation.get_ydata(), model.validation_costs_)
    assert ax.get_xlabel() == "epochs"


def test_decision_boundary_is_a_real_png(tmp_path, flower):
    model = _fitted(flower)
    fig = plots.decision_boundary(model, flower.X_train, flower.Y_train, tmp_path / "boundary.png")
    assert_real_png(tmp_path / "boundary.png", min_bytes=20_000)
    assert fig.axes[0].get_title() == "Decision boundary"


def test_decision_boundary_predicts_the_mesh_on_the_model_backend(tmp_path, flower, backend):
    model = _fitted(flower, backend=backend.xp, device=backend.device)
    X, Y = backend.asarray(flower.X_train), backend.asarray(flower.Y_train)
    plots.decision_boundary(model, X, Y, tmp_path / "boundary.png", steps=50)
    assert_real_png(tmp_path / "boundary.png")


def test_decision_boundary_needs_two_features(tmp_path):
    model = nnxp.NeuralNetwork([3, 1], num_iterations=2).fit(np.zeros((3, 4)), np.array([[0.0, 1, 0, 1]]))
    with pytest.raises(ValueError, match=r"X \(2, m\), got shape \(3, 4\)"):
        plots.decision_boundary(model, np.zeros((3, 4)), np.zeros((1, 4)), tmp_path / "b.png")


def _three_blobs(m=150):
    rng = np.random.default_rng(0)
    labels = np.arange(m) % 3
    centres = np.array([[0.0, 3.0, -3.0], [3.0, -2.0, -2.0]])
    return centres[:, labels] + rng.standard_normal((2, m)), labels[None, :].astype(float)


def test_decision_boundary_of_three_classes_has_a_region_each(tmp_path):
    X, Y = _three_blobs()
    model = nnxp.NeuralNetwork([2, 8, 3], learning_rate=0.5, num_iterations=200).fit(X, Y)
    fig = plots.decision_boundary(model, X, Y, tmp_path / "boundary.png", steps=100)
    assert_real_png(tmp_path / "boundary.png", min_bytes=20_000)
    regions, points = fig.axes[0].collections
    np.testing.assert_array_equal(regions.levels, [-0.5, 0.5, 1.5, 2.5])
    np.testing.assert_array_equal(points.get_array(), Y[0])  # coloured by class index
    assert (points.norm.vmin, points.norm.vmax) == (0, 2)
    one_hot = plots.decision_boundary(model, X, nnxp.one_hot(Y.astype(int), 3), tmp_path / "b.png", steps=20)
    np.testing.assert_array_equal(one_hot.axes[0].collections[1].get_array(), Y[0])


@pytest.mark.parametrize("loss, dims", [("categorical_cross_entropy", [2, 8, 3]), ("mse", [2, 8, 1])])
def test_learning_curve_of_every_loss(tmp_path, loss, dims):
    X, Y = _three_blobs()
    model = nnxp.NeuralNetwork(dims, loss=loss, learning_rate=0.05, num_iterations=100, cost_every=10).fit(X, Y)
    (line,) = plots.learning_curve(model, tmp_path / "curve.png").axes[0].get_lines()
    assert_real_png(tmp_path / "curve.png")
    np.testing.assert_array_equal(line.get_ydata(), model.costs_)
    assert model.costs_[-1] < model.costs_[0]


def test_decision_boundary_needs_a_classifier(tmp_path):
    X, Y = _three_blobs()
    model = nnxp.NeuralNetwork([2, 1], loss="mse", num_iterations=2).fit(X, Y)
    with pytest.raises(ValueError, match="decision_boundary needs a classifier; this model's loss is 'mse'"):
        plots.decision_boundary(model, X, Y, tmp_path / "b.png")
