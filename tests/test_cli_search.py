"""``nnxp search``, run as a real process, and its plot."""

import csv
import json

import numpy as np
import pytest
from test_cli import nnxp_command
from test_plots import assert_real_png

from nnxp.plots import search_results


def test_search_ranks_a_grid_on_a_validation_split(tmp_path):
    result = nnxp_command("search", "--dataset", "flower", "--layers", "none", "--layers", "4",
                          "--lr", "0.5,1.2", "--activation", "tanh", "--iterations", "1500",
                          "--backend", "numpy", "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    rows = json.loads((tmp_path / "search.json").read_text())
    assert len(rows) == 4
    accuracies = [row["validation_accuracy"] for row in rows]
    assert accuracies == sorted(accuracies, reverse=True)
    assert rows[0]["hidden_layers"] == [4] and rows[-1]["hidden_layers"] == []
    assert rows[0]["validation_accuracy"] > 0.8 > rows[-1]["validation_accuracy"]
    with (tmp_path / "search.csv").open() as file:
        assert len(list(csv.DictReader(file))) == 4
    assert result.stdout.splitlines()[0].startswith(" 1. validation accuracy")
    assert_real_png(tmp_path / "search.png", size=(800, 290))  # 8 x (1.5 + 0.35 * 4) inches at 100 dpi


def test_a_diverged_run_is_said_and_ranked_last(tmp_path):
    result = nnxp_command("search", "--dataset", "flower", "--lr", "1e6,1.2", "--activation", "tanh",
                          "--iterations", "50", "--backend", "numpy", "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(" 1. validation accuracy") and "learning_rate=1.2," in lines[0]
    assert lines[1].startswith(" 2. diverged: hidden_layers=(4,), learning_rate=1000000.0,")


def test_a_regression_search_says_r2(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((200, 3))
    table = np.column_stack([X, X @ [1.0, -2.0, 0.5] + 0.1 * rng.standard_normal(200)])
    np.savetxt(tmp_path / "linear.csv", table, delimiter=",", header="a,b,c,y", comments="")
    result = nnxp_command("search", "--csv", tmp_path / "linear.csv", "--target", "y", "--lr", "0.1,0.3",
                          "--layers", "none", "--iterations", "200", "--backend", "numpy", "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(" 1. validation R^2 0.99") and lines[1].startswith(" 2. validation R^2 0.9")


@pytest.mark.parametrize(
    "args, status, message",
    [
        (["--lr", "abc"], 2, "argument --lr: expected learning rates, comma-separated, got 'abc'"),
        (["--activation", "tanh,swish"], 2, "expected activations of"),
        (["--batch-size", "0"], 2, "expected batch sizes or none"),
        (["--momentum", "1.5"], 1, "momentum must be in [0.0, 1.0), got 1.5"),
        (["--validation-size", "1.5"], 1, "test_size"),
    ],
)
def test_bad_search_options_give_one_line(args, status, message, tmp_path):
    result = nnxp_command("search", "--dataset", "flower", *args, "--iterations", "2", "--out", tmp_path)
    assert result.returncode == status
    assert message in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_search_plot_labels_the_settings_that_vary(tmp_path):
    rows = [
        {"learning_rate": lr, "l2": 0.0, "validation_accuracy": acc, "validation_cost": 0.1,
         "train_accuracy": 0.9, "final_cost": 0.1, "seconds": 1.0, "diverged": diverged}
        for lr, acc, diverged in [(1.0, 0.9, False), (0.1, 0.7, False), (1e9, float("nan"), True)]
    ]
    fig = search_results(rows, tmp_path / "s.png")
    ax = fig.axes[0]
    bottom_to_top = [label for _, label in sorted(zip(ax.get_yticks(), (t.get_text() for t in ax.get_yticklabels())))]
    assert bottom_to_top == ["learning_rate=0.1", "learning_rate=1.0"]  # the best at the top
    assert (tmp_path / "s.png").stat().st_size > 5_000
