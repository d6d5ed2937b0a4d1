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
from nnxp.model import engines as model_engines
from nnxp.training.config import TrainingConfig
from nnxp.training.loop import TrainingState

ROOT = Path(__file__).resolve().parents[1]


def _problem(m=40):
    X = np.random.default_rng(0).standard_normal((3, m))
    return X, (X[0:1] > 0).astype(float)


def test_training_reads_a_frozen_config_built_once_per_fit(monkeypatch):
    seen = []
    original = nnxp.model.network.train

    def spy(runner, state, config, loss, progress):
        seen.append(config)
        return original(runner, state, config, loss, progress)

    monkeypatch.setattr(nnxp.model.network, "train", spy)
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
    ("early_stopping", 0, ValueError, "early_stopping must be None or an integer >= 1"),
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


@pytest.mark.parametrize("layout", ["column-major", "row-major"])
def test_an_epoch_gathers_its_batches_in_one_contiguous_take_per_array(monkeypatch, layout):
    """Mini-batches are slices of one shuffled copy of X and Y, gathered along the axis that is
    contiguous in memory: a column-major X (a row-major table's X.T, what the scikit-learn estimators
    pass) is gathered as rows of its transpose, never column by column nor through a full copy."""
    import array_api_compat.numpy as xp_numpy

    from nnxp.training.batches import _mini_batches, shuffled_batches

    takes = []
    original = xp_numpy.take
    monkeypatch.setattr(xp_numpy, "take", lambda x, index, axis: takes.append(
        (x.shape, axis, x.flags.c_contiguous)) or original(x, index, axis=axis))
    rows = np.random.default_rng(0).standard_normal((103, 4))
    X = rows.T if layout == "column-major" else np.ascontiguousarray(rows.T)  # X (4, 103)
    Y = (rows[:, :1].T > 0).astype(float)
    batches = _mini_batches(xp_numpy, X, Y, 10, seed=3, epoch=2)
    gathered_X = ((103, 4), 0, True) if layout == "column-major" else ((4, 103), 1, True)
    assert takes == [gathered_X, ((1, 103), 1, True)] and len(batches) == 11
    for (X_t, Y_t), index in zip(batches, shuffled_batches(103, 10, 3, 2)):
        np.testing.assert_array_equal(X_t, X[:, index])
        np.testing.assert_array_equal(Y_t, Y[:, index])
        assert X_t.flags.f_contiguous == (layout == "column-major")  # each batch one block of memory


@pytest.mark.parametrize("layout", ["column-major", "row-major"])
def test_a_mini_batch_epoch_holds_the_data_and_one_shuffled_copy_at_most(layout):
    """tracemalloc's peak of a one-epoch fit (batches of 256, [50, 8, 1]) over the data already held:
    one shuffled copy of X and Y (15.6 MiB) plus the batches' small temporaries, in either layout."""
    import tracemalloc

    rows = np.random.default_rng(0).standard_normal((40_000, 50))
    X = rows.T if layout == "column-major" else np.ascontiguousarray(rows.T)
    Y = (X[:1] > 0).astype(float)
    model = nnxp.NeuralNetwork([50, 8, 1], batch_size=256, num_iterations=1, cost_every=1).fit(X, Y)
    tracemalloc.start()
    model.fit(X, Y, resume=True)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 1.1 * (X.nbytes + Y.nbytes)


# ---------------------------------------------------------------- one way to check arguments


def test_every_setting_of_the_network_and_the_estimators_has_a_constraint():
    import inspect

    from nnxp.model.network import SETTINGS

    arguments = set(inspect.signature(nnxp.NeuralNetwork).parameters)
    dependent = {"layer_dims", "loss", "optimizer", "keep_prob", "backend", "device"}  # checked beside others
    assert set(SETTINGS) == arguments - dependent
    pytest.importorskip("sklearn")
    from nnxp.sklearn import NeuralNetClassifier
    from nnxp.sklearn.base import PARAMETERS

    theirs = {"random_state", "verbose", "early_stopping"}  # scikit-learn's checks and plain flags
    networks = {"backend", "device", "dtype"}  # passed to NeuralNetwork, which checks them
    assert set(PARAMETERS) == set(NeuralNetClassifier().get_params()) - theirs - networks


@pytest.mark.parametrize("value, error, message", [
    (None, None, None),
    (3, None, None),
    (0, ValueError, r"batch_size must be None or an integer >= 1, got 0"),
    (2.5, TypeError, r"batch_size must be None or an integer >= 1, got 2.5"),  # no option takes a float
    ("3", TypeError, r"batch_size must be None or an integer >= 1, got '3'"),
])
def test_either_names_every_option_and_says_type_error_when_no_option_takes_the_type(value, error, message):
    from nnxp.core.checks import Count, Either, Is

    batch_size = Either(Is(None), Count(1))
    if error is None:
        assert batch_size(value, "batch_size") == value
        return
    with pytest.raises(error, match=message):
        batch_size(value, "batch_size")


def test_a_string_setting_out_of_its_choices_is_a_value_error():
    from nnxp.core.checks import Count, Either, Is

    with pytest.raises(ValueError, match=r"batch_size must be 'auto' or an integer >= 1, got 'big'"):
        Either(Is("auto"), Count(1))("big", "batch_size")
