"""The training contract: fit builds one frozen config that training reads, settings are checked
again at fit, one state object is the fitted state, and a new engine is one class and one
registration."""

import dataclasses
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import nnxp
from nnxp import model_engines
from nnxp.config import TrainingConfig
from nnxp.training import TrainingState

ROOT = Path(__file__).resolve().parents[1]


def _problem(m=40):
    X = np.random.default_rng(0).standard_normal((3, m))
    return X, (X[0:1] > 0).astype(float)


def test_training_reads_a_frozen_config_built_once_per_fit(monkeypatch):
    seen = []
    original = nnxp.model.train

    def spy(runner, state, config, loss, progress):
        seen.append(config)
        return original(runner, state, config, loss, progress)

    monkeypatch.setattr(nnxp.model, "train", spy)
    model = nnxp.NeuralNetwork([3, 4, 1], optimizer="adam", l2=0.5, keep_prob=0.9, num_iterations=3).fit(*_problem())
    (config,) = seen
    assert isinstance(config, TrainingConfig) and config.loss is model.loss_object
    assert config.layer_dims == (3, 4, 1) and config.keep_probs == (0.9,) and config.penalties[0].l2 == 0.5
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.learning_rate = 1.0


@pytest.mark.parametrize("name, value, error, message", [
    ("num_iterations", -1, ValueError, "num_iterations must be >= 0, got -1"),
    ("learning_rate", "fast", TypeError, "learning_rate must be a number"),
    ("tol", -0.5, ValueError, r"tol must be in \[0.0, inf\)"),
    ("early_stopping", 0, ValueError, "early_stopping must be >= 1"),
])
def test_a_setting_changed_after_construction_is_checked_again_at_fit(name, value, error, message):
    model = nnxp.NeuralNetwork([3, 4, 1], num_iterations=2)
    setattr(model, name, value)
    with pytest.raises(error, match=message):
        model.fit(*_problem())
    assert not hasattr(model, "parameters_")


def test_the_fitted_state_is_one_object_that_checkpoints_carry(tmp_path):
    model = nnxp.NeuralNetwork([3, 4, 1], optimizer="adam", num_iterations=7, cost_every=2).fit(*_problem())
    assert isinstance(model.state_, TrainingState)
    assert model.parameters_ is model.state_.parameters and model.costs_ is model.state_.costs
    loaded = nnxp.load(model.save(tmp_path / "model.npz"))
    assert (loaded.state_.iterations_done, loaded.state_.steps_done, loaded.state_.costs) == (7, 7, model.costs_)
    np.testing.assert_array_equal(loaded.state_.optimizer_state["squared"]["dW1"],
                                  model.state_.optimizer_state["squared"]["dW1"])


class Tagged(np.ndarray):
    """Arrays that a toy engine claims."""


class CountingEngine(model_engines.LocalEngine):
    """A toy engine: the local one, counting what it is asked."""

    def __init__(self):
        self.calls = []

    def runner(self, model, config, X, Y, validation_data, resume, compile=None):
        self.calls.append("runner")
        return super().runner(model, config, np.asarray(X), Y, validation_data, resume, compile)

    def output(self, model, X, finish):
        self.calls.append(finish)
        return super().output(model, np.asarray(X), finish)

    def evaluation(self, model, X, Y):
        self.calls.append("evaluation")
        return super().evaluation(model, np.asarray(X), Y)


def test_a_new_engine_is_one_class_and_one_registration(monkeypatch):
    engine = CountingEngine()
    monkeypatch.setattr(model_engines, "_ENGINES", list(model_engines._ENGINES))
    model_engines.register_engine(lambda X: isinstance(X, Tagged), lambda: engine)
    X, Y = _problem()
    tagged = X.view(Tagged)
    model = nnxp.NeuralNetwork([3, 4, 1], num_iterations=5).fit(tagged, Y)
    model.predict(tagged), model.predict_proba(tagged), model.score(tagged, Y), model.cost(tagged, Y)
    assert engine.calls == ["runner", "predict", "proba", "evaluation", "evaluation"]
    assert model.score(tagged, Y) == model.score(X, Y) and engine.calls[-1] == "evaluation"


def test_the_layout_check_passes():
    """The rings of ../shared/design.md (no circles, the model ring imports no edge, ...)."""
    check = ROOT.parent / "shared" / "tools" / "layout_check.py"
    if not check.is_file():
        pytest.skip("../shared/tools/layout_check.py is not beside this checkout")
    result = subprocess.run([sys.executable, str(check)], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_epoch_gathers_its_batches_in_one_take_per_array_whatever_the_layout(monkeypatch):
    """Mini-batches are slices of one shuffled copy of X and Y: a column-major X (a row-major
    table's X.T, what the scikit-learn estimators pass) is never gathered column by column."""
    import array_api_compat.numpy as xp_numpy

    from nnxp.optim import _mini_batches, shuffled_batches

    takes = []
    original = xp_numpy.take
    monkeypatch.setattr(xp_numpy, "take", lambda x, index, **kw: takes.append(x.shape) or original(x, index, **kw))
    rows = np.random.default_rng(0).standard_normal((103, 4))
    X, Y = rows.T, (rows[:, :1].T > 0).astype(float)  # X (4, 103) column-major
    batches = _mini_batches(xp_numpy, X, Y, 10, seed=3, epoch=2)
    assert takes == [(4, 103), (1, 103)] and len(batches) == 11
    for (X_t, Y_t), index in zip(batches, shuffled_batches(103, 10, 3, 2)):
        np.testing.assert_array_equal(X_t, X[:, index])
        np.testing.assert_array_equal(Y_t, Y[:, index])
