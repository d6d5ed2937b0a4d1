"""The command line's optimizer and training-control options, run as real processes."""

import json

import pytest
from test_cli import FLOWER_RUN, _ok, nnxp_command

import nnxp


def test_adam_dropout_decay_and_early_stopping_from_the_command_line(tmp_path):
    _ok("train", "--dataset", "flower", "--layers", 8, "--activation", "tanh", "--optimizer", "adam", "--lr", 0.01,
        "--beta1", 0.8, "--keep-prob", 0.9, "--decay-rate", 0.001, "--early-stopping", 5, "--cost-every", 50,
        "--iterations", 5000, "--out", tmp_path)
    metrics = json.loads((tmp_path / "metrics.json").read_text())
    assert metrics["optimizer"] == {"name": "adam", "beta1": 0.8, "beta2": 0.999, "epsilon": 1e-8}
    assert metrics["best_iteration"] % 50 == 0 and metrics["best_iteration"] < metrics["iterations_done"] < 5000
    assert metrics["test_accuracy"] > 0.85
    model = nnxp.load(tmp_path / "model.npz")
    assert (model.keep_prob, model.decay_rate, model.early_stopping) == (0.9, 0.001, 5)
    assert model.best_iteration_ == metrics["best_iteration"]


def test_resume_with_another_optimizer(tmp_path):
    _ok("train", *FLOWER_RUN, "--iterations", 20, "--out", tmp_path / "first")
    _ok("train", "--dataset", "flower", "--resume", tmp_path / "first" / "model.npz", "--optimizer", "rmsprop",
        "--lr", 0.01, "--iterations", 20, "--out", tmp_path / "second")
    model = nnxp.load(tmp_path / "second" / "model.npz")
    assert model.optimizer == nnxp.RMSprop() and model.iterations_done_ == 40 and model.steps_done_ == 20


def test_a_diverging_run_prints_one_line_and_saves_nothing(tmp_path):
    result = nnxp_command("train", "--dataset", "flower", "--activation", "tanh", "--lr", "1e6", "--iterations",
                          "100", "--cost-every", "10", "--out", tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "training diverged" in result.stderr
    assert not (tmp_path / "model.npz").exists()


@pytest.mark.parametrize("args, message", [
    (["--beta1", "0.5"], "--beta1 tune an optimizer: give --optimizer too"),
    (["--optimizer", "sgd"], "argument --optimizer: expected one of gd, momentum, rmsprop, adam, got 'sgd'"),
    (["--optimizer", "adam", "--momentum", "0.9"], "momentum=0.9 means optimizer Momentum"),
    (["--keep-prob", "0"], "argument --keep-prob: expected keep probabilities, comma-separated, got '0': "
                           "'0' is not a number in (0, 1]"),
    (["--layers", "4,4", "--keep-prob", "0.5,0.5,0.5"], "keep_prob must give one value per hidden layer (2)"),
])
def test_bad_training_options_print_one_line(tmp_path, args, message):
    result = nnxp_command("train", "--dataset", "flower", "--iterations", "5", *args, "--out", tmp_path)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and message in result.stderr


def test_search_takes_lists_of_optimizers_and_their_settings(tmp_path):
    _ok("search", "--dataset", "flower", "--layers", "4", "--activation", "tanh", "--optimizer", "gd,adam",
        "--lr", "0.01,1.2", "--beta2", "0.99", "--keep-prob", "1,0.8", "--iterations", 200, "--out", tmp_path)
    rows = json.loads((tmp_path / "search.json").read_text())
    assert len(rows) == 8
    assert {(row["optimizer"], row["learning_rate"], row["keep_prob"]) for row in rows} == {
        (name, lr, keep) for name in ("gd", "adam") for lr in (0.01, 1.2) for keep in (1.0, 0.8)}
    assert all(row["beta2"] == 0.99 for row in rows)
