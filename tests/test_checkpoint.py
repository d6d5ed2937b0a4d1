"""Checkpoints: round trips, exact resumes, other backends, and every kind of bad file refused."""

import json
import pickle
import re
import signal
import struct
import subprocess
import sys
import zipfile

import numpy as np
import pytest

import nnxp
from nnxp.model import npz
from nnxp.model.checkpoint import CheckpointError, read_checkpoint
from nnxp.model.loading import restore
from nnxp.data.datasets import get_dataset

FLOWER = get_dataset("flower")


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
    """Rewrite the checkpoint at ``path`` with arrays replaced (None deletes), metadata and its config
    edited by dict."""
    with np.load(path) as data:
        arrays = {key: data[key] for key in data.files}
    meta = json.loads(str(arrays["metadata"]))
    meta.update(changes.pop("metadata", {}))
    meta["config"].update(changes.pop("config", {}))
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
        ({"config": {"learning_rate": -1}}, "does not build"),
        ({"config": {"layer_dims": [3, 4, 1]}}, r"not \[3, 4, 1\]"),
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


# ---------------------------------------------------------------- stale temporary files

STALE = [".model.npz.0123456789ab.tmp", ".model.npz.fedcba987654.tmp"]
NOT_OURS = ["notes.txt", ".other.npz.0123456789ab.tmp", "model.npz.0123456789ab.tmp", ".model.npz.tmp",
            ".model.npz.0123456789ab.tmp.keep", ".model.npz.0123456789abc.tmp", ".model.npz.0123456789AB.tmp",
            ".model.npz.zzzzzzzzzzzz.tmp", ".model.npz.0123456789ab.tmp~"]


def test_the_next_save_removes_stale_temporary_files_and_nothing_else(tmp_path):
    for name in STALE + NOT_OURS:
        (tmp_path / name).write_bytes(b"PK\x03\x04 half a zip")
    (tmp_path / ".model.npz.aaaaaaaaaaaa.tmp").mkdir()  # a folder of that name is not a save's
    _fitted(iterations=10).save(tmp_path / "model.npz")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(NOT_OURS + [".model.npz.aaaaaaaaaaaa.tmp", "model.npz"])
    assert nnxp.load(tmp_path / "model.npz").iterations_done_ == 10


@pytest.mark.skipif(npz.fcntl is None, reason="a save's lock needs fcntl (POSIX)")
def test_the_temporary_file_of_a_save_in_progress_is_kept(tmp_path):
    busy = tmp_path / STALE[0]
    with open(busy, "wb") as file:  # what a save still writing holds
        npz.fcntl.flock(file.fileno(), npz.fcntl.LOCK_EX)
        _fitted(iterations=10).save(tmp_path / "model.npz")
        assert busy.exists()
    _fitted(iterations=10).save(tmp_path / "model.npz")
    assert not busy.exists()


KILLED_MID_SAVE = """
import os, signal, sys
import numpy as np
import nnxp
from nnxp.data.datasets import get_dataset

flower = get_dataset("flower")
model = nnxp.NeuralNetwork([2, 4, 1], num_iterations=5).fit(flower.X_train, flower.Y_train)

def killed(file, **arrays):  # half the zip written, then the process is gone
    file.write(b"PK\\x03\\x04 half a zip")
    file.flush()
    os.kill(os.getpid(), signal.SIGKILL)

np.savez = killed
model.save(sys.argv[1])
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_saves_killed_midway_leave_temporaries_that_the_next_save_removes(tmp_path):
    path = _fitted(iterations=10).save(tmp_path / "model.npz")
    before = path.read_bytes()
    for _ in range(2):
        killed = subprocess.run([sys.executable, "-c", KILLED_MID_SAVE, str(path)], capture_output=True, timeout=120)
        assert killed.returncode == -signal.SIGKILL, killed.stderr
    left = sorted(p.name for p in tmp_path.iterdir() if p != path)
    assert len(left) == 2 and all(re.fullmatch(r"\.model\.npz\.[0-9a-f]{12}\.tmp", name) for name in left)
    assert path.read_bytes() == before  # the checkpoint itself untouched
    _fitted(iterations=20).save(path)
    assert [p.name for p in tmp_path.iterdir()] == ["model.npz"]
    assert nnxp.load(path).iterations_done_ == 20


# ---------------------------------------------------------------- damaged files

PREPROCESSING = {"mean": np.zeros((2, 1)), "std": np.ones((2, 1)), "feature_names": np.array(["x1", "x2"]),
                 "target": np.array("label"), "classes": np.array(["blue", "red"])}


@pytest.fixture(scope="module")
def rich(tmp_path_factory):
    """``(path, model)``: a checkpoint with every part of the format: Adam's two slots, early stopping's
    best iteration, validation histories, preprocessing of numbers and of text."""
    model = _model(iterations=30, optimizer="adam", learning_rate=0.01, early_stopping=5)
    model.fit(FLOWER.X_train, FLOWER.Y_train, validation_data=(FLOWER.X_test, FLOWER.Y_test))
    model.preprocessing_ = dict(PREPROCESSING)
    assert model.best_iteration_ is not None and set(model.optimizer_state_) == {"velocity", "squared"}
    return model.save(tmp_path_factory.mktemp("rich") / "model.npz"), model


def _members(path):
    """The zip members of ``path``: name -> stored bytes, in order."""
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _write_zip(path, members):
    """A zip of ``members`` (name -> bytes), stored uncompressed as np.savez does."""
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _edited(source, path, *, metadata=None, config=None, drop=()):
    """A copy of the checkpoint ``source`` at ``path``: metadata fields set (a value of DROP deletes),
    config keys set likewise, arrays in ``drop`` left out."""
    with np.load(source) as data:
        arrays = {key: data[key] for key in data.files if key not in drop}
    meta = json.loads(str(arrays["metadata"]))
    for target, changes in ((meta, metadata or {}), (meta["config"], config or {})):
        for key, value in changes.items():
            target.pop(key) if value is DROP else target.__setitem__(key, value)
    np.savez(path, **{**arrays, "metadata": np.array(json.dumps(meta))})
    return path


DROP = object()


def _same_model(a, b):
    """Whether two models hold the same fitted state, settings and preprocessing."""
    state = lambda m: {**m.parameters_, **{f"{s}_{k}": v for s, g in m.optimizer_state_.items() for k, v in g.items()},
                       **{f"p_{k}": v for k, v in m.preprocessing_.items()}}
    sa, sb = state(a), state(b)
    return (sa.keys() == sb.keys() and all(np.array_equal(sa[k], sb[k]) for k in sa)
            and a.get_config() == b.get_config() and a.costs_ == b.costs_
            and a.validation_scores_ == b.validation_scores_
            and (a.iterations_done_, a.steps_done_, a.best_iteration_) == (b.iterations_done_, b.steps_done_,
                                                                           b.best_iteration_))


def test_the_rich_checkpoint_round_trips(rich):
    path, model = rich
    assert _same_model(nnxp.load(path), model)


@pytest.mark.parametrize(("member", "message"), [
    ("W1.npy", "lacks parameter W1"), ("b2.npy", "lacks parameter b2"),
    ("velocity_dW1.npy", "lacks optimizer velocity velocity_dW1"), ("squared_db2.npy", "lacks optimizer squared"),
    ("costs.npy", "lacks history costs"), ("validation_scores.npy", "lacks history validation_scores"),
    ("preprocessing_mean.npy", "lacks preprocessing array 'mean'"),
    ("preprocessing_classes.npy", "lacks preprocessing array 'classes'"),
    ("metadata.npy", "no nnxp metadata"),
])
def test_a_missing_member_is_refused(rich, tmp_path, member, message):
    members = _members(rich[0])
    assert member in members
    del members[member]
    with pytest.raises(CheckpointError, match=message):
        nnxp.load(_write_zip(tmp_path / "model.npz", members))


def _data_offset(raw, info):
    """Where the member ``info``'s stored bytes begin in the zip ``raw``: after its local header."""
    name_length, extra_length = struct.unpack("<HH", raw[info.header_offset + 26:info.header_offset + 30])
    return info.header_offset + 30 + name_length + extra_length


def _flipped(source, path, offset):
    raw = bytearray(source.read_bytes())
    raw[offset] ^= 0x55
    path.write_bytes(raw)
    return path


@pytest.mark.parametrize("member", ["W1", "b2", "velocity_dW1", "squared_db1", "costs", "validation_costs",
                                    "preprocessing_classes", "metadata"])
@pytest.mark.parametrize("where", ["magic", "header", "payload", "last byte"])
def test_a_flipped_byte_inside_a_member_fails_its_crc(rich, tmp_path, member, where):
    raw = rich[0].read_bytes()
    with zipfile.ZipFile(rich[0]) as archive:
        info = archive.getinfo(member + ".npy")
    start, size = _data_offset(raw, info), info.file_size
    header = 10 + struct.unpack("<H", raw[start + 8:start + 10])[0]  # .npy 1.0: magic, version, length, dict
    offset = start + {"magic": 0, "header": 20, "payload": (header + size) // 2, "last byte": size - 1}[where]
    with pytest.raises(CheckpointError, match=f"Bad CRC-32 for file '{member}.npy'"):
        nnxp.load(_flipped(rich[0], tmp_path / "model.npz", offset))


@pytest.mark.parametrize("where", ["local signature", "local name", "central directory", "central name",
                                   "end record", "end record offset"])
def test_a_flipped_byte_in_the_zip_structure_is_refused(rich, tmp_path, where):
    raw = rich[0].read_bytes()
    with zipfile.ZipFile(rich[0]) as archive:
        info = archive.infolist()[3]
    central = raw.rindex(b"PK\x01\x02")  # the last member's central directory entry
    end = raw.rindex(b"PK\x05\x06")
    offset = {"local signature": info.header_offset, "local name": info.header_offset + 31,
              "central directory": central, "central name": central + 47, "end record": end,
              "end record offset": end + 16}[where]
    with pytest.raises(CheckpointError, match="model.npz"):
        nnxp.load(_flipped(rich[0], tmp_path / "model.npz", offset))


@pytest.mark.slow
def test_no_flipped_byte_anywhere_gives_another_model(rich, tmp_path):
    """Every 3rd byte of the file flipped in turn: refused, or (a timestamp, a spare field) the same model."""
    path, model = rich
    same = 0
    for offset in range(0, path.stat().st_size, 3):
        try:
            loaded = nnxp.load(_flipped(path, tmp_path / "model.npz", offset))
        except CheckpointError:
            continue
        assert _same_model(loaded, model), f"a flip at byte {offset} loaded another model"
        same += 1
    assert same < path.stat().st_size // 3 // 5  # most flips are caught


FIELDS = ["format", "format_version", "nnxp_version", "config", "layer_dims", "activations", "loss", "dtype",
          "optimizer_slots", "iterations_done", "steps_done", "shuffle_seed", "best_iteration"]


def test_the_field_lists_cover_the_metadata(rich):
    with np.load(rich[0]) as data:
        meta = json.loads(str(data["metadata"]))
    assert set(meta) == {*FIELDS, "preprocessing"}
    assert set(meta["config"]) == {*CONFIG_KEYS, "tol", "weight_decay"}


@pytest.mark.parametrize("field", FIELDS)
def test_metadata_without_a_field_is_refused(rich, tmp_path, field):
    with pytest.raises(CheckpointError, match="format" if field.startswith("format") else f"lacks .*'{field}'"):
        nnxp.load(_edited(rich[0], tmp_path / "model.npz", metadata={field: DROP}))


def test_metadata_without_preprocessing_loads_only_without_preprocessing_arrays(rich, tmp_path):
    """Checkpoints written before preprocessing travelled lack the field; it then means none."""
    with pytest.raises(CheckpointError, match="unexpected arrays .*preprocessing_classes"):
        nnxp.load(_edited(rich[0], tmp_path / "model.npz", metadata={"preprocessing": DROP}))
    drop = [f"preprocessing_{name}" for name in PREPROCESSING]
    loaded = nnxp.load(_edited(rich[0], tmp_path / "model.npz", metadata={"preprocessing": DROP}, drop=drop))
    assert loaded.preprocessing_ == {} and loaded.best_iteration_ == rich[1].best_iteration_


CONFIG_KEYS = ["layer_dims", "hidden_activation", "learning_rate", "num_iterations", "init", "scale", "seed", "dtype",
               "backend", "device", "cost_every", "print_cost", "batch_size", "momentum", "l2", "loss", "optimizer",
               "decay_rate", "decay_interval", "early_stopping", "keep_prob"]


@pytest.mark.parametrize("key", CONFIG_KEYS)
def test_a_config_without_a_key_is_refused(rich, tmp_path, key):
    with pytest.raises(CheckpointError, match=f"config lacks \\['{key}'\\]"):
        nnxp.load(_edited(rich[0], tmp_path / "model.npz", config={key: DROP}))


def test_a_config_without_a_later_key_takes_its_default(rich, tmp_path):
    """``tol`` came after format version 2's first files: absent, it is the default (0)."""
    loaded = nnxp.load(_edited(rich[0], tmp_path / "model.npz", config={"tol": DROP}))
    assert loaded.tol == 0.0 and _same_model(loaded, rich[1])


@pytest.mark.parametrize(("metadata", "config"), [
    *[({"config": value}, None) for value in ("x", [1], None, 3, True)],
    *[(None, {key: value}) for key, value in [
        ("layer_dims", "2,4,1"), ("layer_dims", [2, 4]), ("hidden_activation", 3), ("hidden_activation", "swish"),
        ("learning_rate", "fast"), ("learning_rate", None), ("num_iterations", 2.5), ("init", ["he"]),
        ("seed", "3"), ("seed", -1), ("dtype", 32), ("cost_every", 0), ("print_cost", "yes"), ("batch_size", 2.5),
        ("momentum", [0.9]), ("l2", -1), ("loss", "hinge"), ("loss", None), ("optimizer", "adam"),
        ("optimizer", {"name": "adam", "beta1": "x"}), ("optimizer", {"name": "nope"}), ("optimizer", [1]),
        ("optimizer", {"beta1": 0.9}), ("decay_rate", {}), ("decay_interval", 0), ("early_stopping", "5"),
        ("keep_prob", "x"), ("keep_prob", [0.5, 0.5]), ("tol", "x"), ("backend", 3), ("device", [0]),
        ("unknown_setting", 1),
    ]],
])
def test_a_config_with_wrong_values_is_refused(rich, tmp_path, metadata, config):
    with pytest.raises(CheckpointError, match="config"):
        nnxp.load(_edited(rich[0], tmp_path / "model.npz", metadata=metadata, config=config))


@pytest.mark.parametrize(("field", "value"), [
    ("layer_dims", "x"), ("layer_dims", [2, 4]), ("layer_dims", [2, 0, 1]), ("layer_dims", [2.0, 4, 1]),
    ("activations", "tanh"), ("activations", ["tanh"]), ("activations", ["tanh", 1]),
    ("activations", ["relu", "sigmoid"]),
    ("loss", 3), ("loss", "mse"), ("dtype", "int8"), ("dtype", None), ("optimizer_slots", "velocity"),
    ("optimizer_slots", ["velocity"]), ("optimizer_slots", ["velocity", "squared", "third"]),
    ("iterations_done", "30"), ("iterations_done", -1), ("iterations_done", 1.5), ("steps_done", None),
    ("shuffle_seed", True), ("best_iteration", "3"), ("best_iteration", -1), ("best_iteration", 31),
    ("nnxp_version", 1), ("preprocessing", "mean"), ("preprocessing", ["mean"]), ("preprocessing", [1]),
])
def test_metadata_with_wrong_values_is_refused(rich, tmp_path, field, value):
    with pytest.raises(CheckpointError):
        nnxp.load(_edited(rich[0], tmp_path / "model.npz", metadata={field: value}))


@pytest.mark.parametrize("version", [0, 3, 99, "2", 2.0, True, None, [2]])
def test_a_checkpoint_of_another_format_version_is_refused(rich, tmp_path, version):
    with pytest.raises(CheckpointError, match=re.escape(f"format version {version!r}")):
        nnxp.load(_edited(rich[0], tmp_path / "model.npz", metadata={"format_version": version}))


def _npy(header, payload=b""):
    """A hand-made .npy of version 1.0 with ``header`` (a dict's text) and ``payload``."""
    text = header.encode("latin1")
    text += b" " * (63 - (10 + len(text)) % 64) + b"\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(text)) + text + payload


NOT_NPZ = {
    "a zip of text": {"hello.txt": b"hi"},
    "an empty zip": {},
    "a member that is not .npy": {"metadata.npy": b"not a .npy at all"},
    "a .npy header asking for a terabyte": {"W1.npy": _npy("{'descr': '<f8', 'fortran_order': False, "
                                                         "'shape': (1000000000000,), }", b"\0" * 16)},
    "a .npy shorter than its header says": {"W1.npy": _npy("{'descr': '<f8', 'fortran_order': False, "
                                                         "'shape': (4, 2), }", b"\0" * 16)},
    "a .npy of a later version": {"W1.npy": b"\x93NUMPY\x09\x00" + b"\0" * 64},
}


@pytest.mark.parametrize("case", NOT_NPZ)
def test_a_zip_that_is_not_an_npz_is_refused(rich, tmp_path, case):
    members = {**_members(rich[0]), **NOT_NPZ[case]} if "W1.npy" in NOT_NPZ[case] else NOT_NPZ[case]
    with pytest.raises(CheckpointError, match="model.npz"):
        nnxp.load(_write_zip(tmp_path / "model.npz", members))


def test_a_recompressed_checkpoint_still_loads(rich, tmp_path):
    with np.load(rich[0]) as data:
        np.savez_compressed(tmp_path / "model.npz", **{key: data[key] for key in data.files})
    assert _same_model(nnxp.load(tmp_path / "model.npz"), rich[1])


# ---------------------------------------------------------------- damaged files on the command line

DAMAGE = {
    "missing member": lambda source, path: _write_zip(
        path, {name: data for name, data in _members(source).items() if name != "b2.npy"}),
    "flipped byte": lambda source, path: _flipped(
        source, path, _data_offset(source.read_bytes(), zipfile.ZipFile(source).getinfo("W1.npy")) + 100),
    "field missing": lambda source, path: _edited(source, path, metadata={"iterations_done": DROP}),
    "config key missing": lambda source, path: _edited(source, path, config={"hidden_activation": DROP}),
    "config of a wrong type": lambda source, path: _edited(source, path, metadata={"config": "tanh"}),
    "another version": lambda source, path: _edited(source, path, metadata={"format_version": 3}),
    "not an npz": lambda source, path: _write_zip(path, {"hello.txt": b"hi"}),
    "preprocessing of another shape": lambda source, path: _replaced(source, path, "preprocessing_mean",
                                                                     np.zeros((3, 1))),
    "preprocessing without its partner": lambda source, path: _edited(
        source, path, drop=["preprocessing_std"], metadata={"preprocessing": ["mean", "feature_names", "target",
                                                                              "classes"]}),
    "a repeated feature name": lambda source, path: _replaced(source, path, "preprocessing_feature_names",
                                                              np.array(["x1", "x1"])),
    "a repeated class": lambda source, path: _replaced(source, path, "preprocessing_classes", np.array(["red", "red"])),
    "NaN weights": lambda source, path: _replaced(source, path, "W1", _with(np.load(source)["W1"], np.nan)),
    "an infinite optimizer state": lambda source, path: _replaced(
        source, path, "velocity_db2", _with(np.load(source)["velocity_db2"], np.inf)),
}


def _with(array, value):
    """A copy of ``array`` with its first entry set to ``value``."""
    array = array.copy()
    array.flat[0] = value
    return array


def _replaced(source, path, name, value):
    """A copy of the checkpoint ``source`` at ``path`` with the array ``name`` replaced by ``value``."""
    with np.load(source) as data:
        np.savez(path, **{**{key: data[key] for key in data.files}, name: value})
    return path


@pytest.mark.parametrize("command", ["predict", "evaluate", "train"])
@pytest.mark.parametrize("damage", DAMAGE)
def test_the_command_line_reports_a_damaged_checkpoint_in_one_line(rich, tmp_path, capsys, command, damage):
    from nnxp import cli

    path = DAMAGE[damage](rich[0], tmp_path / "model.npz")
    args = {"predict": ["predict", path, "--dataset", "flower"], "evaluate": ["evaluate", path, "--dataset", "flower"],
            "train": ["train", "--dataset", "flower", "--resume", path, "--iterations", "5", "--out", tmp_path / "run"]}
    assert cli.main(list(map(str, args[command]))) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and len(captured.err.splitlines()) == 1, captured.err
    assert captured.err.startswith(f"nnxp {command}: error: checkpoint {path}")


def test_a_damaged_checkpoint_in_a_real_process_is_one_line(rich, tmp_path):
    path = DAMAGE["flipped byte"](rich[0], tmp_path / "model.npz")
    result = subprocess.run([sys.executable, "-m", "nnxp", "evaluate", str(path), "--dataset", "flower"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"nnxp evaluate: error: checkpoint {path} is not a readable nnxp .npz")
    assert "Bad CRC-32" in result.stderr and len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize("damage, message", [
    ("a repeated feature name", "preprocessing 'feature_names' must be unique, got ['x1', 'x1']"),
    ("a repeated class", "preprocessing 'classes' must be unique and sorted, got ['red', 'red']"),
    ("NaN weights", "parameter W1 holds NaN or infinite values"),
    ("an infinite optimizer state", "optimizer velocity velocity_db2 holds NaN or infinite values"),
])
def test_repeated_names_and_non_finite_numbers_are_refused_when_loaded(rich, tmp_path, damage, message):
    path = DAMAGE[damage](rich[0], tmp_path / "model.npz")
    with pytest.raises(CheckpointError, match=re.escape(f"checkpoint {path}: {message}")):
        nnxp.load(path)


def test_a_save_names_the_checkpoint_and_keeps_the_previous_one_when_the_disk_is_full(rich, tmp_path, monkeypatch):
    import errno

    model = nnxp.load(rich[0])
    before = model.save(tmp_path / "model.npz").read_bytes()
    with pytest.raises(IsADirectoryError, match=f"cannot save a checkpoint to {re.escape(str(tmp_path))}: it is a "
                                                "folder; give a file name such as"):
        model.save(tmp_path)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(np, "savez", full)
    for name, kept in (("model.npz", "the previous checkpoint there is intact"), ("new.npz", "nothing was written")):
        with pytest.raises(OSError, match=re.escape(f"cannot save the checkpoint {tmp_path / name} (No space left "
                                                    f"on device); {kept}")):
            model.save(tmp_path / name)
    assert (tmp_path / "model.npz").read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["model.npz"]


def test_a_model_whose_parameters_are_not_finite_is_not_saved(rich, tmp_path):
    model = nnxp.load(rich[0])
    model.parameters_["b2"] = model.parameters_["b2"] * np.inf
    with pytest.raises(ValueError, match="not saved to .*: parameter b2 holds NaN or infinite values"):
        model.save(tmp_path / "model.npz")
    assert not (tmp_path / "model.npz").exists()
