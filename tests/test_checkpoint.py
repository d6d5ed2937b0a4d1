"""Checkpoints: round trips, exact resumes, other backends, and every kind of bad file refused."""

import json
import pickle

import numpy as np
import pytest

import nnxp
from nnxp.checkpoint import CheckpointError, read_checkpoint
from nnxp.loading import restore
from nnxp.datasets import load as load_dataset

FLOWER = load_dataset("flower")


def _model(iterations=50, **kwargs):
    settings = dict(hidden_activation="tanh", learning_rate=1.2, num_iterations=iterations,
                    init="scaled", cost_every=10, seed=3)
    return nnxp.NeuralNetwork([2, 4, 1], **{**settings, **kwargs})


def _fitted(**kwargs):
    return _model(**kwargs).fit(FLOWER.X_train, FLOWER.Y_train)


def _assert_same_state(a, b, atol=0.0):
    assert a.parameters_.keys() == b.parameters_.keys()
    for key in a.parameters_:
        np.testing.assert_allclose(nnxp.to_numpy(a.parameters_[key]), nnxp.to_numpy(b.parameters_[key]),
                                   rtol=0, atol=atol, err_msg=key)
    assert a.velocities_.keys() == b.velocities_.keys()
    for key in a.velocities_:
        np.testing.assert_allclose(nnxp.to_numpy(a.velocities_[key]), nnxp.to_numpy(b.velocities_[key]),
                                   rtol=0, atol=atol, err_msg=key)
    assert a.iterations_done_ == b.iterations_done_
    np.testing.assert_allclose(a.costs_, b.costs_, rtol=0, atol=atol)


def _rewrite(path, **changes):
    """Rewrite the checkpoint at ``path`` with arrays replaced (None deletes), metadata edited by dict."""
    with np.load(path) as data:
        arrays = {key: data[key] for key in data.files}
    meta = json.loads(str(arrays["metadata"]))
    meta.update(changes.pop("metadata", {}))
    arrays["metadata"] = np.array(json.dumps(meta))
    arrays.update(changes)
    np.savez(path, **{key: value for key, value in arrays.items() if value is not None})


# ---------------------------------------------------------------- round trips


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_save_then_load_gives_the_same_model(tmp_path, dtype):
    model = _fitted(dtype=dtype)
    path = model.save(tmp_path / "model.npz")
    loaded = nnxp.load(path)
    _assert_same_state(model, loaded)
    assert loaded.parameters_["W1"].dtype == np.dtype(dtype)
    assert loaded.get_config() == model.get_config()
    np.testing.assert_array_equal(loaded.predict(FLOWER.X_test), model.predict(FLOWER.X_test))


def test_the_file_holds_plain_arrays_and_metadata(tmp_path):
    path = _fitted(momentum=0.9).save(tmp_path / "model.npz")
    with np.load(path, allow_pickle=False) as data:
        assert all(data[key].dtype != object for key in data.files)
        meta = json.loads(str(data["metadata"]))
        assert {"velocity_dW1", "velocity_db2", "costs", "W2"} <= set(data.files)
    assert meta["layer_dims"] == [2, 4, 1] and meta["activations"] == ["tanh", "sigmoid"]
    assert meta["dtype"] == "float64" and meta["iterations_done"] == 50
    assert meta["nnxp_version"] == nnxp.__version__
    assert meta["config"]["learning_rate"] == 1.2 and meta["config"]["momentum"] == 0.9


def test_no_velocities_are_stored_without_momentum(tmp_path):
    path = _fitted().save(tmp_path / "model.npz")
    with np.load(path) as data:
        assert not [key for key in data.files if key.startswith("velocity_")]
    assert nnxp.load(path).velocities_ == {}


def test_saving_an_unfitted_model_is_refused(tmp_path):
    with pytest.raises(RuntimeError, match="not fitted"):
        _model().save(tmp_path / "model.npz")


# ---------------------------------------------------------------- resume


@pytest.mark.parametrize("options", [{}, {"momentum": 0.9, "batch_size": 64, "l2": 0.1}],
                         ids=["gradient-descent", "momentum-minibatch-l2"])
def test_resume_after_a_reload_equals_one_straight_run(tmp_path, options):
    X, Y = FLOWER.X_train, FLOWER.Y_train
    straight = _model(iterations=2000, **options).fit(X, Y)
    first = _model(iterations=1000, **options).fit(X, Y)
    resumed = nnxp.load(first.save(tmp_path / "half.npz")).fit(X, Y, resume=True)
    _assert_same_state(straight, resumed, atol=1e-12)


def test_resume_with_new_settings_keeps_the_state(tmp_path):
    checkpoint = read_checkpoint(_fitted(iterations=20).save(tmp_path / "model.npz"))
    config = {**checkpoint.config, "learning_rate": 0.5, "num_iterations": 7}
    model = restore(checkpoint, config=config)
    assert (model.learning_rate, model.iterations_done_) == (0.5, 20)
    model.fit(FLOWER.X_train, FLOWER.Y_train, resume=True)
    assert model.iterations_done_ == 27


# ---------------------------------------------------------------- backends


def test_a_model_trained_elsewhere_loads_on_numpy_and_back(tmp_path, backend):
    X, Y = backend.asarray(FLOWER.X_train), backend.asarray(FLOWER.Y_train)
    model = _model().fit(X, Y)
    path = model.save(tmp_path / "model.npz")
    on_cpu = nnxp.load(path)
    assert type(on_cpu.parameters_["W1"]) is np.ndarray
    np.testing.assert_allclose(on_cpu.predict_proba(FLOWER.X_test),
                               backend.check(model.predict_proba(backend.asarray(FLOWER.X_test))), rtol=1e-12)
    there = nnxp.load(path, backend=backend.xp, device=backend.device)
    backend.check(there.parameters_["W1"])
    backend.check(there.predict(backend.asarray(FLOWER.X_test)))


@pytest.mark.gpu
def test_a_gpu_trained_model_loads_on_the_cpu(tmp_path):
    if not nnxp.backend_info().cupy_usable:
        pytest.skip(nnxp.backend_info().reason)
    model = _model(backend="cupy").fit(FLOWER.X_train, FLOWER.Y_train)
    loaded = nnxp.load(model.save(tmp_path / "gpu.npz"), backend="numpy")
    assert type(loaded.parameters_["W1"]) is np.ndarray
    assert loaded.score(FLOWER.X_test, FLOWER.Y_test) == model.score(FLOWER.X_test, FLOWER.Y_test)


# ---------------------------------------------------------------- atomic writes


def test_a_crash_during_save_leaves_the_previous_checkpoint_intact(tmp_path, monkeypatch):
    path = _fitted(iterations=10).save(tmp_path / "model.npz")
    before = path.read_bytes()

    def crash(file, **arrays):
        file.write(b"PK\x03\x04 half a zip")
        raise KeyboardInterrupt

    monkeypatch.setattr(np, "savez", crash)
    with pytest.raises(KeyboardInterrupt):
        _fitted(iterations=20).save(path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["model.npz"]  # no temporary file left
    monkeypatch.undo()
    assert nnxp.load(path).iterations_done_ == 10


# ---------------------------------------------------------------- bad files


def test_a_missing_file_names_its_path(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope.npz"):
        nnxp.load(tmp_path / "nope.npz")


def test_a_truncated_file_is_refused(tmp_path):
    path = _fitted().save(tmp_path / "model.npz")
    path.write_bytes(path.read_bytes()[:-200])
    with pytest.raises(CheckpointError, match="model.npz"):
        nnxp.load(path)


@pytest.mark.parametrize("content", [b"", b"not a checkpoint at all", b"PK\x03\x04broken"])
def test_files_that_are_not_npz_are_refused(tmp_path, content):
    path = tmp_path / "bad.npz"
    path.write_bytes(content)
    with pytest.raises(CheckpointError, match="bad.npz"):
        nnxp.load(path)


def test_a_single_npy_array_is_refused(tmp_path):
    np.save(tmp_path / "one.npy", np.zeros(3))
    with pytest.raises(CheckpointError, match="single array"):
        nnxp.load(tmp_path / "one.npy")


def test_object_arrays_are_refused_without_unpickling(tmp_path, monkeypatch):
    path = _fitted().save(tmp_path / "model.npz")
    _rewrite(path, W1=np.array([{"evil": 1}, None], dtype=object))

    def no_pickles(*args, **kwargs):
        raise AssertionError("nnxp.load unpickled something")

    monkeypatch.setattr(pickle, "load", no_pickles)
    monkeypatch.setattr(pickle, "loads", no_pickles)
    with pytest.raises(CheckpointError, match="objects"):
        nnxp.load(path)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"metadata": {"layer_dims": [2, 5, 1]}}, "another architecture"),
        ({"W2": np.zeros((1, 3))}, "another architecture"),
        ({"b1": None}, "lacks parameter b1"),
        ({"W1": np.zeros((4, 2), dtype=np.float32)}, "float32"),
        ({"extra": np.zeros(2)}, "unexpected arrays"),
        ({"costs": np.zeros((2, 2))}, "costs must be"),
        ({"metadata": {"format_version": 99}}, "format version 99"),
        ({"metadata": {"format": "something-else"}}, "format"),
        ({"metadata": {"iterations_done": -1}}, "iterations_done"),
        ({"metadata": {"layer_dims": [2, "4", 1]}}, "layer_dims"),
        ({"metadata": {"config": {"layer_dims": [2, 4, 1], "learning_rate": -1}}}, "does not build"),
        ({"metadata": {"config": {"layer_dims": [3, 4, 1], "hidden_activation": "tanh"}}}, r"not \[3, 4, 1\]"),
        ({"metadata": {"activations": ["relu", "sigmoid"]}}, r"not \[2, 4, 1\] with \['tanh'"),
        ({"metadata": None}, "no nnxp metadata"),
    ],
)
def test_inconsistent_checkpoints_are_refused(tmp_path, changes, message):
    path = _fitted().save(tmp_path / "model.npz")
    if changes.get("metadata", {}) is None:
        with np.load(path) as data:
            np.savez(path, **{key: data[key] for key in data.files if key != "metadata"})
    else:
        _rewrite(path, **changes)
    with pytest.raises(CheckpointError, match=message):
        nnxp.load(path)


def test_metadata_that_is_not_json_is_refused(tmp_path):
    path = _fitted().save(tmp_path / "model.npz")
    with np.load(path) as data:
        arrays = {key: data[key] for key in data.files}
    np.savez(path, **{**arrays, "metadata": np.array("{not json")})
    with pytest.raises(CheckpointError, match="not valid JSON"):
        nnxp.load(path)


def test_a_loaded_model_refuses_data_of_another_width(tmp_path):
    loaded = nnxp.load(_fitted().save(tmp_path / "model.npz"))
    X = np.zeros((3, 5))
    with pytest.raises(ValueError, match="n_x=2 rows"):
        loaded.predict(X)
    with pytest.raises(ValueError, match="n_x=2 rows"):
        loaded.fit(X, np.zeros((1, 5)), resume=True)


def test_restoring_with_another_architecture_is_refused(tmp_path):
    checkpoint = read_checkpoint(_fitted().save(tmp_path / "model.npz"))
    with pytest.raises(CheckpointError, match=r"holds a \[2, 4, 1\] network"):
        restore(checkpoint, config={**checkpoint.config, "layer_dims": [2, 8, 1]})
