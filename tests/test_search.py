"""nnxp.search: one model per grid point, ranked by validation accuracy."""

import math

import numpy as np
import pytest

import nnxp
from nnxp.data.datasets import get_dataset
from nnxp.model.grid_search import grid_points


@pytest.fixture(scope="module")
def flower():
    return get_dataset("flower")


def test_grid_points_are_every_combination_in_order():
    points = grid_points({"learning_rate": [0.1, 1.0], "hidden_layers": [(), (4,), (8, 4)]})
    assert len(points) == 6
    assert points[0] == {"learning_rate": 0.1, "hidden_layers": ()}
    assert points[-1] == {"learning_rate": 1.0, "hidden_layers": (8, 4)}


def test_search_ranks_hidden_layers_above_logistic_regression(flower):
    calls = []
    rows = nnxp.search(
        {"hidden_layers": [(), (4,)], "learning_rate": [1.2, 0.01], "hidden_activation": ["tanh"]},
        flower.X_train, flower.Y_train, flower.X_test, flower.Y_test,
        num_iterations=1500, init="scaled", cost_every=500, progress=lambda done, total: calls.append((done, total)),
    )
    assert calls == [(1, 4), (2, 4), (3, 4), (4, 4)]
    accuracies = [row["validation_accuracy"] for row in rows]
    assert accuracies == sorted(accuracies, reverse=True)
    assert rows[0]["hidden_layers"] == (4,) and rows[0]["learning_rate"] == 1.2
    assert rows[0]["validation_accuracy"] > 0.75
    logistic = next(r for r in rows if r["hidden_layers"] == () and r["learning_rate"] == 1.2)
    assert logistic["validation_accuracy"] < 0.65
    model = nnxp.NeuralNetwork([2, 4, 1], learning_rate=1.2, num_iterations=1500, init="scaled",
                               cost_every=500, hidden_activation="tanh").fit(flower.X_train, flower.Y_train)
    assert rows[0]["validation_accuracy"] == model.score(flower.X_test, flower.Y_test)
    assert rows[0]["validation_cost"] == pytest.approx(model.cost(flower.X_test, flower.Y_test))
    assert rows[0]["train_accuracy"] == model.score(flower.X_train, flower.Y_train)
    assert rows[0]["final_cost"] == model.costs_[-1]


@pytest.mark.filterwarnings("ignore:overflow:RuntimeWarning", "ignore:invalid value:RuntimeWarning")
def test_diverged_runs_score_nan_and_sort_last(flower):
    rows = nnxp.search(
        {"learning_rate": [1e300, 0.1], "hidden_layers": [(8, 8)]},
        flower.X_train * 1e3, flower.Y_train, flower.X_test, flower.Y_test, num_iterations=50,
    )
    assert [r["diverged"] for r in rows] == [False, True]
    assert rows[1]["learning_rate"] == 1e300 and math.isnan(rows[1]["validation_accuracy"])


@pytest.mark.parametrize(
    "grid, message",
    [
        ({}, "grid must be a non-empty dict"),
        ([0.1], "grid must be a non-empty dict"),
        ({"learning_rate": []}, r"grid\['learning_rate'\] must be a non-empty list"),
        ({"learning_rate": 0.1}, r"grid\['learning_rate'\] must be a non-empty list"),
        ({"lr": [0.1]}, r"grid has unknown keys \['lr'\]"),
    ],
)
def test_bad_grids_are_named(grid, message):
    X, Y = np.ones((2, 4)), np.array([[0.0, 1.0, 0.0, 1.0]])
    with pytest.raises(ValueError, match=message):
        nnxp.search(grid, X, Y, X, Y)


def test_bad_settings_fail_before_any_training():
    X, Y = np.ones((2, 4)), np.array([[0.0, 1.0, 0.0, 1.0]])
    with pytest.raises(ValueError, match="momentum must be in"):
        nnxp.search({"momentum": [0.5, 1.5]}, X, Y, X, Y, progress=pytest.fail)


def test_search_builds_softmax_networks_for_several_classes():
    iris = get_dataset("iris")
    rows = nnxp.search({"hidden_layers": [(), (6,)]}, iris.X_train, iris.Y_train, iris.X_test, iris.Y_test,
                       learning_rate=0.5, num_iterations=200)
    assert len(rows) == 2 and rows[0]["validation_accuracy"] >= 0.9
    model = nnxp.NeuralNetwork([4, 6, 3], learning_rate=0.5, num_iterations=200).fit(iris.X_train, iris.Y_train)
    assert model.score(iris.X_test, iris.Y_test) in [row["validation_accuracy"] for row in rows]
