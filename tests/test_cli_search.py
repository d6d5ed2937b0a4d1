"""``nnxp search``, run as a real process, and its plot."""

import csv
import json

import numpy as np
import pytest
from test_cli import nnxp_command
from test_plots import assert_real_png

from nnxp.cli.plots import search_results


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
        (["--momentum", "1.5"], 2, "'1.5' is not a number in [0, 1)"),
        (["--validation-size", "1.5"], 2, "argument --validation-size: expected a fraction in (0, 1), got '1.5'"),
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
    assert bottom_to_top == ["learning_rate=1000000000.0", "learning_rate=0.1", "learning_rate=1.0"]  # best on top
    assert (tmp_path / "s.png").stat().st_size > 5_000


@pytest.mark.parametrize(
    "option, value, message",
    [
        ("--lr", "0.1,-1", "argument --lr: expected learning rates, comma-separated, got '0.1,-1': "
                           "'-1' is not a positive number"),
        ("--momentum", "0.5,1", "'1' is not a number in [0, 1)"),
        ("--l2", "0,-1", "'-1' is not a number >= 0"),
        ("--keep-prob", "1,0", "'0' is not a number in (0, 1]"),
        ("--beta2", "1", "'1' is not a number in [0, 1)"),
        ("--epsilon", "0", "'0' is not a positive number"),
        ("--decay-rate", "-1", "'-1' is not a number >= 0"),
        ("--validation-size", "1.5", "argument --validation-size: expected a fraction in (0, 1), got '1.5'"),
    ],
)
def test_search_list_values_out_of_range_exit_2_naming_the_value(option, value, message, tmp_path, capsys):
    from nnxp import cli

    with pytest.raises(SystemExit) as exit:
        cli.main(["search", "--dataset", "flower", "--iterations", "1", "--out", str(tmp_path), option, value])
    stderr = capsys.readouterr().err
    assert exit.value.code == 2 and len(stderr.strip().splitlines()) == 1, stderr
    assert message in stderr and "test_size" not in stderr


def _labels_bottom_to_top(ax):
    return [label for _, label in sorted(zip(ax.get_yticks(), ax.get_yticklabels()), key=lambda pair: pair[0])]


def test_a_diverged_run_is_drawn_marked_and_no_warning_leaks(tmp_path):
    """``--lr 1e6,1.2``: stderr stays empty, and the plot has both runs, the diverged one at the
    bottom, its label red beside a "diverged" note."""
    result = nnxp_command("search", "--dataset", "flower", "--lr", "1e6,1.2", "--activation", "tanh",
                          "--iterations", "50", "--backend", "numpy", "--out", tmp_path)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert_real_png(tmp_path / "search.png", size=(800, 220))  # 8 x (1.5 + 0.35 * 2) inches at 100 dpi
    rows = json.loads((tmp_path / "search.json").read_text())
    ax = search_results(rows, tmp_path / "again.png").axes[0]
    labels = _labels_bottom_to_top(ax)
    assert [label.get_text() for label in labels] == ["learning_rate=1000000.0", "learning_rate=1.2"]
    assert labels[0].get_color() == "tab:red" and labels[1].get_color() != "tab:red"
    assert [text.get_text() for text in ax.texts] == ["diverged: no score"]
    assert [bar.get_width() for bar in ax.patches] == [rows[0]["validation_accuracy"], 0.0]


def _rows(*scores, **settings):
    """Rows of nnxp.search with ``settings`` and one score each (None: diverged)."""
    return [{**settings, "validation_accuracy": float("nan") if score is None else score, "validation_cost": 0.1,
             "train_accuracy": 0.9, "final_cost": 0.1, "seconds": 1.0, "diverged": score is None}
            for score in scores]


def test_search_plot_keeps_long_labels_inside_the_figure_without_warnings(tmp_path):
    """One setting (nothing varies, so every setting labels it): the label is wrapped to fit, all of it
    inside the PNG, and matplotlib warns of nothing."""
    import warnings

    rows = _rows(None, hidden_layers=(4,), learning_rate=1e6, hidden_activation="tanh", batch_size=None,
                 momentum=0.0, l2=0.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = search_results(rows, tmp_path / "s.png")
    for artist in (*fig.axes[0].get_yticklabels(), *fig.axes[0].texts):
        box = artist.get_window_extent()  # as laid out and drawn by savefig
        assert 0 <= box.x0 and box.x1 <= fig.bbox.width and 0 <= box.y0 and box.y1 <= fig.bbox.height
    assert "learning_rate=1000000.0" in fig.axes[0].get_yticklabels()[0].get_text()


def test_search_plot_of_a_regression_draws_a_negative_r2(tmp_path):
    rows = _rows(0.8, learning_rate=0.1) + _rows(-0.5, learning_rate=3.0)
    fig = search_results(rows, tmp_path / "s.png", metric="validation R^2")
    ax = fig.axes[0]
    assert ax.get_xlabel() == "validation R^2" and ax.get_xlim()[0] <= -0.5
