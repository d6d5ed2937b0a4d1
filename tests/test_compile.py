"""Compiled training steps: ``jax.jit`` on JAX arrays by default, ``torch.compile`` when asked, the same
results as the eager step to rounding, and warnings where nothing compiles."""

from collections import OrderedDict

import numpy as np
import pytest

import nnxp
import nnxp.core.step
import nnxp.training.loop
from nnxp.data.datasets import get_dataset

SETTINGS = dict(optimizer="adam", learning_rate=0.01, batch_size=100, keep_prob=0.8, l2=0.1, decay_rate=0.1,
                num_iterations=6, cost_every=2, seed=4)
"""Everything a step holds: mini-batches (the last one partial), dropout, L2, Adam, decay."""


@pytest.fixture
def traced(monkeypatch):
    """Counts the calls of the step's Python function: once per step eagerly, once per trace compiled
    (the compiled steps of earlier tests forgotten)."""
    monkeypatch.setattr(nnxp.core.step, "_COMPILED", OrderedDict())
    calls = []
    original = nnxp.core.step.update_step

    def counted(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(nnxp.core.step, "update_step", counted)
    return calls


def _digits():
    digits = get_dataset("digits", classes=10)
    return digits.X_train[:, :450], digits.Y_train[:, :450]  # 5 batches: 4 of 100 and one of 50


@pytest.mark.slow
def test_jax_fit_runs_one_jitted_step_with_the_eager_results(traced):
    jax = pytest.importorskip("jax")
    jax.config.update("jax_enable_x64", True)
    X, Y = (jax.numpy.asarray(a) for a in _digits())
    eager = nnxp.NeuralNetwork([64, 16, 10], **SETTINGS).fit(X, Y, compile=False)
    assert len(traced) == 6 * 5  # every step ran the Python function
    traced.clear()
    jitted = nnxp.NeuralNetwork([64, 16, 10], **SETTINGS).fit(X, Y)  # compile=None: jax.jit
    assert len(traced) == 2  # traced once per batch width (100 and 50), its cost always computed
    for key, value in eager.parameters_.items():
        np.testing.assert_allclose(np.asarray(jitted.parameters_[key]), np.asarray(value), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(jitted.costs_, eager.costs_, rtol=1e-12)
    assert isinstance(jitted.parameters_["W1"], jax.Array)


def test_jax_reads_the_guard_and_validation_costs_through_one_compiled_forward(monkeypatch):
    """Each eager JAX operation compiles for each new shape: the divergence guard's slices and the
    validation data go through one jitted forward pass and cost, traced once per shape."""
    jax = pytest.importorskip("jax")
    jax.config.update("jax_enable_x64", True)
    monkeypatch.setattr(nnxp.core.step, "_COMPILED", OrderedDict())
    shapes, original = [], nnxp.core.step.forward_cost

    def counted(xp, X, *args, **kwargs):
        shapes.append(X.shape)
        return original(xp, X, *args, **kwargs)

    monkeypatch.setattr(nnxp.core.step, "forward_cost", counted)
    X, Y = (a[:, :250] for a in _digits())  # batches of 100, 100 and 50
    X, validation = X[:16], (X[:16, :90], Y[:, :90])
    settings = {**SETTINGS, "keep_prob": 1.0, "num_iterations": 2}
    eager = nnxp.NeuralNetwork([16, 10], **settings).fit(X, Y, validation_data=validation, compile=False)
    shapes.clear()
    on_jax = [jax.numpy.asarray(a) for a in (X, Y, *validation)]
    jitted = nnxp.NeuralNetwork([16, 10], **settings).fit(*on_jax[:2], validation_data=on_jax[2:])
    assert sorted(set(shapes)) == [(16, 50), (16, 90), (16, 100)]
    assert len(shapes) == 3  # traced once per shape: the guard's two widths, the validation data
    np.testing.assert_allclose(jitted.validation_costs_, eager.validation_costs_, rtol=1e-12)
    np.testing.assert_allclose(jitted.validation_scores_, eager.validation_scores_, rtol=1e-12)


def test_jax_predicts_and_scores_through_one_compiled_program_per_shape(monkeypatch):
    """A first ``predict`` on JAX was a few dozen eager operations, each compiling for its shape (1.8 s
    here): ``predict_proba`` and ``predict`` share one jitted forward pass, ``score`` and ``cost`` another,
    traced once per shape, with the eager results."""
    jax = pytest.importorskip("jax")
    jax.config.update("jax_enable_x64", True)
    monkeypatch.setattr(nnxp.core.step, "_COMPILED", OrderedDict())
    traced = []
    for name in ("prediction", "evaluation"):
        def counted(*args, _name=name, _original=getattr(nnxp.core.step, name)):
            traced.append(_name)
            return _original(*args)

        monkeypatch.setattr(nnxp.core.step, name, counted)
    X, Y = _digits()
    settings = {**SETTINGS, "keep_prob": 1.0, "batch_size": None, "num_iterations": 2}
    eager = nnxp.NeuralNetwork([64, 10], **settings).fit(X, Y)
    jitted = nnxp.NeuralNetwork([64, 10], **settings).fit(jax.numpy.asarray(X), jax.numpy.asarray(Y))
    widths = (120, 120, 30)
    expected = [(eager.predict_proba(X[:, :w]), eager.predict(X[:, :w]), eager.score(X[:, :w], Y[:, :w]),
                 eager.cost(X[:, :w], Y[:, :w])) for w in widths]
    traced.clear()
    for width, (proba, labels, score, cost) in zip(widths, expected):
        X_j, Y_j = jax.numpy.asarray(X[:, :width]), jax.numpy.asarray(Y[:, :width])
        np.testing.assert_allclose(jitted.predict_proba(X_j), proba, rtol=1e-12)
        np.testing.assert_array_equal(jitted.predict(X_j), labels)
        assert jitted.score(X_j, Y_j) == score
        assert jitted.cost(X_j, Y_j) == pytest.approx(cost, rel=1e-12)
    assert traced == ["prediction", "evaluation"] * 2  # once per shape: 120, then 30


def test_compile_true_where_nothing_compiles_warns_and_runs_eagerly(traced):
    X, Y = _digits()
    with pytest.warns(UserWarning, match="has no compiler nnxp uses; the step runs eagerly"):
        model = nnxp.NeuralNetwork([64, 16, 10], **SETTINGS).fit(X, Y, compile=True)
    assert len(traced) == 6 * 5
    reference = nnxp.NeuralNetwork([64, 16, 10], **SETTINGS).fit(X, Y)
    for key, value in reference.parameters_.items():
        np.testing.assert_array_equal(model.parameters_[key], value)


@pytest.mark.slow
def test_torch_compile_when_asked_gives_the_eager_results():
    """``torch.compile`` (inductor: about half a minute of compiling here), or its warned fallback."""
    torch = pytest.importorskip("torch")
    X, Y = (torch.asarray(a) for a in _digits())
    settings = {**SETTINGS, "keep_prob": 1.0, "num_iterations": 2}
    eager = nnxp.NeuralNetwork([64, 16, 10], **settings).fit(X, Y)
    compiled = nnxp.NeuralNetwork([64, 16, 10], **settings).fit(X, Y, compile=True)
    for key, value in eager.parameters_.items():
        torch.testing.assert_close(compiled.parameters_[key], value, rtol=1e-12, atol=1e-15)


def test_a_failing_torch_compile_falls_back_with_a_warning(monkeypatch):
    torch = pytest.importorskip("torch")
    monkeypatch.setattr(nnxp.core.step, "_COMPILED", OrderedDict())  # not a step compiled before

    def broken(fn):
        def fail(*args):
            raise RuntimeError("no C++ compiler found")
        return fail

    monkeypatch.setattr(torch, "compile", broken)
    X, Y = (torch.asarray(a) for a in _digits())
    with pytest.warns(UserWarning, match=r"torch.compile failed \(RuntimeError: no C\+\+ compiler found\)"):
        model = nnxp.NeuralNetwork([64, 16, 10], **SETTINGS).fit(X, Y, compile=True)
    reference = nnxp.NeuralNetwork([64, 16, 10], **SETTINGS).fit(X, Y)
    for key, value in reference.parameters_.items():
        torch.testing.assert_close(model.parameters_[key], value, rtol=0, atol=0)


@pytest.mark.slow
def test_resumed_fits_reuse_the_compiled_step_and_models_still_pickle(traced):
    import pickle

    jax = pytest.importorskip("jax")
    X, Y = (jax.numpy.asarray(a) for a in _digits())
    model = nnxp.NeuralNetwork([64, 16, 10], **{**SETTINGS, "num_iterations": 2}).fit(X, Y)
    traced_once = len(traced)
    for _ in range(3):
        model.fit(X, Y, resume=True)
    assert len(traced) == traced_once  # no new trace for the same settings
    model.l2 = 0.0
    model.fit(X, Y, resume=True)
    assert len(traced) > traced_once  # another step: traced again
    copy = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(np.asarray(copy.predict(X)), np.asarray(model.predict(X)))


@pytest.mark.slow
def test_models_of_the_same_settings_share_one_trace(traced):
    jax = pytest.importorskip("jax")
    X, Y = (jax.numpy.asarray(a) for a in _digits())
    settings = {**SETTINGS, "num_iterations": 1}
    nnxp.NeuralNetwork([64, 16, 10], **settings).fit(X, Y)
    traced_once = len(traced)
    nnxp.NeuralNetwork([64, 16, 10], **settings).fit(X, Y)
    assert len(traced) == traced_once
    nnxp.NeuralNetwork([64, 16, 10], **{**settings, "l2": 0.2}).fit(X, Y)
    assert len(traced) > traced_once


@pytest.mark.parametrize("optimizer", ["gd", "momentum", "adam"])
def test_jax_runs_a_logged_epoch_and_those_up_to_the_next_in_one_call_with_the_eager_results(traced, optimizer):
    """Full batch, no dropout: a logged epoch and the 9 after it are one ``lax.fori_loop`` call, one
    compiled program (no step compiled besides), at each epoch's decayed learning rate and Adam's ``t``."""
    jax = pytest.importorskip("jax")
    jax.config.update("jax_enable_x64", True)
    X, Y = (jax.numpy.asarray(a) for a in _digits())
    settings = dict(optimizer=optimizer, learning_rate=0.05, decay_rate=0.3, l2=0.1, num_iterations=23,
                    cost_every=10, seed=4)
    eager = nnxp.NeuralNetwork([64, 16, 10], **settings).fit(X, Y, compile=False)
    assert len(traced) == 23
    traced.clear()
    fused = nnxp.NeuralNetwork([64, 16, 10], **settings).fit(X, Y)
    assert len(traced) == 2  # loops of up to 16 and of up to 4 epochs (10, 10, 3)
    assert (fused.iterations_done_, fused.steps_done_) == (23, 23)
    for key, value in eager.parameters_.items():
        np.testing.assert_allclose(np.asarray(fused.parameters_[key]), np.asarray(value), rtol=1e-12, atol=1e-15)
    for ours, theirs in zip(jax.tree.leaves(fused.optimizer_state_), jax.tree.leaves(eager.optimizer_state_),
                            strict=True):
        np.testing.assert_allclose(np.asarray(ours), np.asarray(theirs), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(fused.costs_, eager.costs_, rtol=1e-12)
    resumed = nnxp.NeuralNetwork([64, 16, 10], **{**settings, "num_iterations": 11}).fit(X, Y)
    resumed.num_iterations = 12
    resumed.fit(X, Y, resume=True)
    for key, value in fused.parameters_.items():
        np.testing.assert_allclose(np.asarray(resumed.parameters_[key]), np.asarray(value), rtol=1e-12, atol=1e-15)


def test_jax_early_stopping_in_fused_blocks_stops_where_the_eager_run_does():
    """The validation data is scored at a block's first parameters; a stop there discards the block: the
    same stop, best epoch and parameters as NumPy's epoch-by-epoch run."""
    jax = pytest.importorskip("jax")
    jax.config.update("jax_enable_x64", True)
    X, Y = _digits()
    train, validation = (X[:, :300], Y[:, :300]), (X[:, 300:], Y[:, 300:])
    settings = dict(optimizer="adam", learning_rate=0.05, num_iterations=400, cost_every=7, early_stopping=2,
                    tol=1e-3, seed=4)
    on_jax = [jax.numpy.asarray(a) for a in (*train, *validation)]
    fused = nnxp.NeuralNetwork([64, 32, 10], **settings).fit(*on_jax[:2], validation_data=on_jax[2:])
    eager = nnxp.NeuralNetwork([64, 32, 10], **settings).fit(*train, validation_data=validation)  # NumPy
    assert fused.iterations_done_ < 400  # it stopped
    assert (fused.iterations_done_, fused.best_iteration_) == (eager.iterations_done_, eager.best_iteration_)
    np.testing.assert_allclose(fused.validation_costs_, eager.validation_costs_, rtol=1e-10)
    for key, value in eager.parameters_.items():
        np.testing.assert_allclose(np.asarray(fused.parameters_[key]), np.asarray(value), rtol=1e-10, atol=1e-13)


def test_a_progress_callback_advances_per_fused_call_and_keeps_the_fused_results():
    """``nnxp train``'s bar no longer turns JAX's fused epochs off: it hears of them once per call."""
    jax = pytest.importorskip("jax")
    X, Y = (jax.numpy.asarray(a) for a in _digits())
    seen = []
    settings = dict(num_iterations=12, cost_every=5)
    model = nnxp.NeuralNetwork([64, 16, 10], **settings).fit(X, Y, progress=lambda done, cost: seen.append(
        (done, cost)))
    silent = nnxp.NeuralNetwork([64, 16, 10], **settings).fit(X, Y)
    assert [done for done, _ in seen] == [5, 10, 12]  # epochs 0-4, 5-9 and 10-11: one call each
    assert [cost for _, cost in seen] == model.costs_
    for key, value in silent.parameters_.items():
        np.testing.assert_array_equal(np.asarray(model.parameters_[key]), np.asarray(value))


def test_a_progress_callback_can_stop_after_a_fused_call():
    jax = pytest.importorskip("jax")
    X, Y = (jax.numpy.asarray(a) for a in _digits())
    model = nnxp.NeuralNetwork([64, 16, 10], num_iterations=20, cost_every=5).fit(
        X, Y, progress=lambda done, cost: done >= 3)
    assert model.iterations_done_ == 5  # epochs 0-4 ran in one call; it stopped after it


def test_one_fused_call_runs_at_most_its_share_of_work(monkeypatch):
    """Ctrl-C waits for a compiled call: each runs at most ``FUSED_MULTIPLY_ADDS`` of matrix products."""
    jax = pytest.importorskip("jax")
    jax.config.update("jax_enable_x64", True)
    X, Y = (jax.numpy.asarray(a) for a in _digits())
    settings = dict(optimizer="adam", learning_rate=0.01, num_iterations=23, cost_every=10, seed=4)
    whole = nnxp.NeuralNetwork([64, 16, 10], **settings).fit(X, Y)
    ran, original = [], nnxp.training.loop.LocalRunner.fused_epochs

    def spied(self, *args):
        result = original(self, *args)
        ran.append(result[2])
        return result

    monkeypatch.setattr(nnxp.training.loop.LocalRunner, "fused_epochs", spied)
    monkeypatch.setattr(nnxp.training.loop, "FUSED_MULTIPLY_ADDS", 3 * (3 * 450 * (64 * 16 + 16 * 10)))  # 3 epochs
    capped = nnxp.NeuralNetwork([64, 16, 10], **settings).fit(X, Y)
    assert ran == [3, 3, 3, 1] * 2 + [3]  # each block of 10 epochs (the last of 3) in calls of at most 3
    for key, value in whole.parameters_.items():
        np.testing.assert_allclose(np.asarray(capped.parameters_[key]), np.asarray(value), rtol=1e-12, atol=1e-15)
