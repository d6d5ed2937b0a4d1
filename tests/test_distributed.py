"""Data-parallel training on Dask: on a real 2-worker LocalCluster (processes, one thread each), the same
results as the single-process fit, a constant number of tasks per step, out-of-core data, bad input."""

import json
import logging

import numpy as np
import pytest
from oracles import problem

da = pytest.importorskip("dask.array")
distributed = pytest.importorskip("distributed")

import nnxp  # noqa: E402
from nnxp.data.datasets import get_dataset  # noqa: E402

pytestmark = pytest.mark.filterwarnings("error::UserWarning")  # no scheduler or unscaled-data warnings


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, memory_limit="400MiB",
                                       dashboard_address=":0")
    with cluster, distributed.Client(cluster) as client:
        yield client


@pytest.fixture
def scheduler_warnings(caplog):
    """The warnings the scheduler and workers log (none expected: no reused keys, no memory alarms)."""
    caplog.set_level(logging.WARNING, logger="distributed")
    yield caplog
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


def _chunked(X, Y, size=97):
    return da.from_array(X, chunks=(X.shape[0], size)), da.from_array(Y, chunks=(Y.shape[0], size))


def _assert_same_parameters(model, reference, rtol=1e-12):
    for key, value in reference.parameters_.items():
        np.testing.assert_allclose(model.parameters_[key], value, rtol=rtol, atol=rtol * np.abs(value).max())


def _problems():
    """Per loss: layer_dims, X, Y (course layout, NumPy)."""
    flower, iris = get_dataset("flower"), get_dataset("iris")
    return {"binary_cross_entropy": ([2, 5, 1], flower.X_train, flower.Y_train),
            "categorical_cross_entropy": ([4, 6, 3], iris.X_train, iris.Y_train),
            "mse": ([3, 4, 2], *problem("mse", m=300))}


PROBLEMS = _problems()


@pytest.mark.parametrize("optimizer", ["gd", "momentum", "rmsprop", "adam"])
@pytest.mark.parametrize("loss", list(PROBLEMS))
def test_full_batch_on_the_cluster_equals_one_process(client, scheduler_warnings, loss, optimizer):
    dims, X, Y = PROBLEMS[loss]
    settings = dict(loss=loss, optimizer=optimizer, learning_rate=0.05, num_iterations=12, cost_every=3, l2=0.1,
                    weight_decay=0.2, hidden_activation="tanh")
    reference = nnxp.NeuralNetwork(dims, **settings).fit(X, Y)
    model = nnxp.NeuralNetwork(dims, **settings).fit(*_chunked(X, Y))
    _assert_same_parameters(model, reference)
    np.testing.assert_allclose(model.costs_, reference.costs_, rtol=1e-12)
    assert isinstance(model.parameters_["W1"], np.ndarray)  # the parameters live on the driver


def test_the_workers_memory_is_asked_of_the_scheduler(client):
    """Persisting the data depends on it; the client's cached scheduler_info() can list no workers."""
    from nnxp.dask.runner import worker_memory

    assert worker_memory(client) == {address: 400 * 2**20 for address in client.nthreads()}
    assert len(client.nthreads()) == 2


def test_each_step_is_one_task_per_chunk_plus_the_tree_on_the_workers(client, scheduler_warnings):
    dims, X, Y = PROBLEMS["binary_cross_entropy"]
    Xd, Yd = _chunked(X, Y, size=40)  # 8 chunks of the 320 samples
    counts = []
    for iterations in (4, 8):
        with distributed.get_task_stream(client) as stream:
            nnxp.NeuralNetwork(dims, num_iterations=iterations, cost_every=4).fit(Xd, Yd)
        names = [task["key"][0] if isinstance(task["key"], tuple) else task["key"] for task in stream.data]
        counts.append({prefix: sum(name.startswith(prefix) for name in names)
                       for prefix in ("gradient_sums", "add", "check_chunk", "evaluation_sums")})
        assert {task["worker"] for task in stream.data} <= set(client.nthreads())
    assert counts[0]["gradient_sums"] == 4 * 8 and counts[1]["gradient_sums"] == 8 * 8
    assert counts[1]["add"] - counts[0]["add"] == 4 * 7  # a tree of 7 additions per step
    assert counts[0]["check_chunk"] == counts[1]["check_chunk"] == 8  # the input checks, once
    assert counts[0]["evaluation_sums"] == counts[1]["evaluation_sums"] == 8  # the final guard's pass


@pytest.mark.slow
def test_validation_and_early_stopping_on_the_cluster(client, scheduler_warnings):
    digits = get_dataset("digits", classes=10)
    settings = dict(learning_rate=0.5, num_iterations=300, cost_every=5, early_stopping=2, tol=1e-3, seed=1)
    reference = nnxp.NeuralNetwork([64, 8, 10], **settings).fit(
        digits.X_train, digits.Y_train, validation_data=(digits.X_test, digits.Y_test))
    model = nnxp.NeuralNetwork([64, 8, 10], **settings).fit(
        *_chunked(digits.X_train, digits.Y_train, 500), validation_data=_chunked(digits.X_test, digits.Y_test, 200))
    assert model.best_iteration_ == reference.best_iteration_ and model.iterations_done_ < 300
    np.testing.assert_allclose(model.validation_costs_, reference.validation_costs_, rtol=1e-10)
    np.testing.assert_allclose(model.validation_scores_, reference.validation_scores_, rtol=1e-12)
    _assert_same_parameters(model, reference, rtol=1e-10)


@pytest.mark.slow
def test_mini_batches_are_reproducible_resume_exactly_and_learn(client, scheduler_warnings, tmp_path):
    digits = get_dataset("digits", classes=10)
    Xd, Yd = _chunked(digits.X_train, digits.Y_train, 300)
    settings = dict(optimizer="adam", learning_rate=0.01, batch_size=128, cost_every=2, keep_prob=0.9, seed=3)
    straight = nnxp.NeuralNetwork([64, 32, 10], num_iterations=6, **settings).fit(Xd, Yd)
    again = nnxp.NeuralNetwork([64, 32, 10], num_iterations=6, **settings).fit(Xd, Yd)
    _assert_same_parameters(again, straight, rtol=0)
    half = nnxp.NeuralNetwork([64, 32, 10], num_iterations=3, **settings).fit(Xd, Yd)
    half.save(tmp_path / "half.npz")
    resumed = nnxp.load(tmp_path / "half.npz").fit(Xd, Yd, resume=True)
    _assert_same_parameters(resumed, straight, rtol=0)
    assert resumed.costs_ == straight.costs_ and resumed.steps_done_ == 6 * 11  # 11 batches of the 1347
    assert straight.score(*_chunked(digits.X_test, digits.Y_test)) > 0.9


def test_predict_score_and_cost_work_chunk_by_chunk(client, scheduler_warnings):
    dims, X, Y = PROBLEMS["categorical_cross_entropy"]
    model = nnxp.NeuralNetwork(dims, learning_rate=0.5, num_iterations=50).fit(X, Y)
    Xd, Yd = _chunked(X, Y, 30)
    predicted, proba = model.predict(Xd), model.predict_proba(Xd)
    assert isinstance(predicted, da.Array) and predicted.chunks[1] == Xd.chunks[1]
    np.testing.assert_array_equal(predicted.compute(), model.predict(X))
    np.testing.assert_allclose(proba.compute(), model.predict_proba(X), rtol=1e-13)
    assert model.score(Xd, Yd) == pytest.approx(model.score(X, Y), abs=1e-15)
    assert model.cost(Xd, Yd) == pytest.approx(model.cost(X, Y), rel=1e-13)
    regression = nnxp.NeuralNetwork(PROBLEMS["mse"][0], loss="mse", num_iterations=30).fit(*PROBLEMS["mse"][1:])
    Xr, Yr = _chunked(*PROBLEMS["mse"][1:], 70)
    assert regression.score(Xr, Yr) == pytest.approx(regression.score(*PROBLEMS["mse"][1:]), rel=1e-10)


def test_without_a_client_dasks_local_scheduler_does_the_same():
    dims, X, Y = PROBLEMS["binary_cross_entropy"]
    reference = nnxp.NeuralNetwork(dims, num_iterations=10, cost_every=2).fit(X, Y)
    model = nnxp.NeuralNetwork(dims, num_iterations=10, cost_every=2).fit(*_chunked(X, Y))
    _assert_same_parameters(model, reference)


@pytest.mark.slow
def test_out_of_core_zarr_larger_than_a_worker_trains(tmp_path, scheduler_warnings):
    """768 MB of float32 in zarr, more than the two workers' 300 MiB each together: it streams chunk by
    chunk, never held whole, and gives the single-process result."""
    zarr = pytest.importorskip("zarr")
    n_x, m, chunk = 48, 4_000_000, 100_000
    X = da.random.default_rng(0).standard_normal((n_x, m), chunks=(n_x, chunk), dtype=np.float32)
    Y = (X[0:1] + X[1:2] * X[2:3] > 0).astype(np.float32)
    da.to_zarr(X, tmp_path / "X.zarr")
    da.to_zarr(Y, tmp_path / "Y.zarr")
    settings = dict(hidden_activation="tanh", learning_rate=0.5, num_iterations=2, cost_every=1)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, memory_limit="300MiB",
                                  dashboard_address=":0") as cluster, distributed.Client(cluster):
        Xz, Yz = da.from_zarr(tmp_path / "X.zarr"), da.from_zarr(tmp_path / "Y.zarr")
        assert Xz.nbytes > 2 * 300 * 2**20
        model = nnxp.NeuralNetwork([n_x, 4, 1], **settings).fit(Xz, Yz)
    reference = nnxp.NeuralNetwork([n_x, 4, 1], **settings).fit(zarr.open_array(tmp_path / "X.zarr")[...],
                                                                   zarr.open_array(tmp_path / "Y.zarr")[...])
    _assert_same_parameters(model, reference, rtol=1e-5)  # float32 sums in another order
    np.testing.assert_allclose(model.costs_, reference.costs_, rtol=1e-5)


def _restarting_workers_before_step(client, monkeypatch, step):
    """Make the ``step``-th ``client.compute`` of a fit restart every worker first: the parameters just
    scattered to them are lost, as when a nanny restarts workers that ran out of memory."""
    compute, calls = client.compute, []

    def compute_after_a_restart(*args, **kwargs):
        calls.append(1)
        if len(calls) == step:
            client.restart_workers(list(client.nthreads()))
        return compute(*args, **kwargs)

    monkeypatch.setattr(client, "compute", compute_after_a_restart)
    return calls


def test_a_step_whose_workers_were_lost_runs_again(monkeypatch):
    dims, X, Y = PROBLEMS["binary_cross_entropy"]
    settings = dict(optimizer="adam", num_iterations=6, cost_every=2)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=":0") as cluster, \
            distributed.Client(cluster) as client:
        calls = _restarting_workers_before_step(client, monkeypatch, step=4)
        model = nnxp.NeuralNetwork(dims, **settings).fit(*_chunked(X, Y))
    assert len(calls) == 1 + 6 + 1 + 1  # the input check, 6 steps, the final guard, step 3 run again
    _assert_same_parameters(model, nnxp.NeuralNetwork(dims, **settings).fit(X, Y))


@pytest.mark.slow
def test_chunks_too_big_for_the_workers_are_named():
    X = da.random.default_rng(0).standard_normal((50, 400_000), chunks=(50, 400_000), dtype=np.float32)
    Y = (X[:1] > 0).astype(np.float32)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, memory_limit="150MiB",
                                  dashboard_address=":0") as cluster, distributed.Client(cluster):
        with pytest.raises(nnxp.DeviceMemoryError, match=r"Dask workers died .* a chunk of X \(76.3 MiB\)"):
            nnxp.NeuralNetwork([50, 4, 1], num_iterations=2).fit(X, Y)


def test_an_hdf5_file_trains_through_h5py(client, scheduler_warnings, tmp_path):
    h5py = pytest.importorskip("h5py")
    dims, X, Y = PROBLEMS["binary_cross_entropy"]
    with h5py.File(tmp_path / "data.h5", "w") as file:
        file["X"], file["Y"] = X, Y
    with h5py.File(tmp_path / "data.h5", "r") as file:
        Xh, Yh = da.from_array(file["X"], chunks=(2, 80)), da.from_array(file["Y"], chunks=(1, 80))
        model = nnxp.NeuralNetwork(dims, num_iterations=5).fit(Xh, Yh)
    _assert_same_parameters(model, nnxp.NeuralNetwork(dims, num_iterations=5).fit(X, Y))


def test_bad_dask_input_is_named(client):
    dims, X, Y = PROBLEMS["binary_cross_entropy"]
    Xd, Yd = _chunked(X, Y)
    model = nnxp.NeuralNetwork(dims, num_iterations=2)
    with pytest.raises(ValueError, match=r"X has unknown chunk sizes along axis 0 \(features\).*compute_chunk_sizes"):
        model.fit(Xd[Xd[:, 0] > -100, :], Yd)
    with pytest.raises(ValueError, match=r"X must have n_x=2 rows .*X.T has that shape"):
        model.fit(Xd.T, Yd)
    with pytest.raises(ValueError, match=r"chunk 1 of the samples: X contains NaN"):
        model.fit(da.from_array(np.where(np.arange(320) == 100, np.nan, X), chunks=(2, 97)), Yd)
    with pytest.raises(ValueError, match=r"chunk 2 of the samples: Y must hold binary labels 0 and 1, got values \[.*2"):
        model.fit(Xd, da.from_array(np.where(np.arange(320) == 200, 2.0, Y), chunks=(1, 97)))
    torch = pytest.importorskip("torch")
    with pytest.raises(TypeError, match="Y must be a Dask or NumPy array to go with a Dask X, got torch"):
        model.fit(Xd, torch.asarray(Y))
    other = da.from_array(Y, chunks=(1, 50))  # another chunking along the samples is rechunked to X's
    _assert_same_parameters(nnxp.NeuralNetwork(dims, num_iterations=2).fit(Xd, other), model.fit(Xd, Yd), rtol=0)


@pytest.mark.slow
def test_the_command_line_trains_on_a_local_cluster(tmp_path):
    from test_cli import _ok, nnxp_command

    common = ["train", "--dataset", "flower", "--layers", "4", "--activation", "tanh", "--lr", "1.2",
              "--iterations", "30", "--backend", "numpy"]
    _ok(*common, "--out", tmp_path / "here")
    _ok(*common, "--scheduler", "local:2", "--out", tmp_path / "cluster", process=True)  # its own cluster
    here, there = (json.loads((tmp_path / name / "metrics.json").read_text()) for name in ("here", "cluster"))
    assert there["final_cost"] == pytest.approx(here["final_cost"], rel=1e-12)
    assert there["test_accuracy"] == here["test_accuracy"]
    result = nnxp_command(*common, "--scheduler", "local:none", "--out", tmp_path / "bad")
    assert result.returncode == 1 and result.stderr.strip().endswith("local:N needs a number of workers N >= 1")


def test_the_command_line_saves_the_work_done_when_the_workers_keep_being_lost(tmp_path, monkeypatch, capsys):
    from nnxp.dask import runner as nnxp_distributed
    from nnxp.cli import main

    reduce, calls = nnxp_distributed.DaskRunner._reduce, []

    def lost_at_the_twelfth_call(self, *args, **kwargs):  # the input check, then one call per full-batch step
        calls.append(1)
        if len(calls) == 12:
            raise nnxp_distributed.WorkersLostError("the Dask workers kept being lost")
        return reduce(self, *args, **kwargs)

    monkeypatch.setattr(nnxp_distributed.DaskRunner, "_reduce", lost_at_the_twelfth_call)
    code = main(["train", "--dataset", "flower", "--layers", "4", "--iterations", "30", "--backend", "numpy",
                 "--scheduler", "local:1", "--out", str(tmp_path)])
    stderr = capsys.readouterr().err
    assert code == 1 and len(stderr.strip().splitlines()) == 1
    assert stderr.startswith("stopped (the Dask workers kept being lost) after 10 iterations; checkpoint saved to ")
    assert "--resume" in stderr and nnxp.load(tmp_path / "model.npz").iterations_done_ == 10


@pytest.fixture(scope="module")
def lazy_files(tmp_path_factory):
    """A zarr group (X, Y: 20,000 samples, binary), breast cancer as three CSV parts with word labels,
    Friedman #1 as two CSV parts (regression)."""
    pandas = pytest.importorskip("pandas")
    sk_datasets = pytest.importorskip("sklearn.datasets")
    pytest.importorskip("zarr")
    folder = tmp_path_factory.mktemp("lazy")
    X = np.random.default_rng(0).standard_normal((6, 20_000))
    da.to_zarr(da.from_array(X, chunks=(6, 5000)), folder / "g.zarr", component="X")
    da.to_zarr(da.from_array((X[:1] + X[1:2] * X[2:3] > 0).astype(float), chunks=(1, 5000)), folder / "g.zarr",
               component="Y")
    cancer = sk_datasets.load_breast_cancer(as_frame=True)
    frame = cancer.data.assign(diagnosis=np.where(cancer.target == 1, "benign", "malignant"))
    for k in range(3):
        frame.iloc[k::3].to_csv(folder / f"cancer-{k}.csv", index=False)
    X, y = sk_datasets.make_friedman1(600, random_state=0)
    friedman = pandas.DataFrame(X, columns=[f"x{i}" for i in range(10)]).assign(y=y)
    friedman.iloc[:300].to_csv(folder / "friedman-0.csv", index=False)
    friedman.iloc[300:].to_csv(folder / "friedman-1.csv", index=False)
    return folder


@pytest.mark.slow
def test_the_command_line_trains_on_a_zarr_group(lazy_files, tmp_path):
    from test_cli import _ok

    _ok("train", "--zarr", lazy_files / "g.zarr", "--layers", "8", "--activation", "tanh", "--lr", "0.5",
        "--iterations", "400", "--scheduler", "local:2", "--out", tmp_path, process=True)
    metrics = json.loads((tmp_path / "metrics.json").read_text())
    assert metrics["layer_dims"] == [6, 8, 1] and metrics["test_accuracy"] > 0.9
    assert set(nnxp.load(tmp_path / "model.npz").preprocessing_) == {"mean", "std", "classes"}


@pytest.mark.slow
def test_the_command_line_trains_on_a_glob_of_csv_files(lazy_files, tmp_path):
    from test_cli import _ok

    _ok("train", "--csv", lazy_files / "cancer-*.csv", "--target", "diagnosis", "--layers", "16", "--optimizer",
        "adam", "--lr", "0.01", "--iterations", "100", "--out", tmp_path / "cancer")
    metrics = json.loads((tmp_path / "cancer" / "metrics.json").read_text())
    assert metrics["loss"] == "binary_cross_entropy" and metrics["test_accuracy"] > 0.9
    lines = _ok("predict", tmp_path / "cancer" / "model.npz", "--csv", lazy_files / "cancer-1.csv").stdout.splitlines()
    assert lines[0] == "prediction,probability_benign,probability_malignant"
    assert {line.split(",")[0] for line in lines[1:]} == {"benign", "malignant"}
    _ok("train", "--csv", lazy_files / "friedman-*.csv", "--target", "y", "--layers", "32", "--optimizer", "adam",
        "--lr", "0.01", "--iterations", "200", "--early-stopping", "5", "--out", tmp_path / "friedman")
    metrics = json.loads((tmp_path / "friedman" / "metrics.json").read_text())
    assert metrics["loss"] == "mse" and metrics["test_r2"] > 0.8 and metrics["test_rmse"] < 2.0


@pytest.mark.slow
def test_lazy_sources_name_their_mistakes(lazy_files, tmp_path):
    from test_cli import nnxp_command

    cases = [(["train", "--zarr", tmp_path / "absent.zarr"], "is not a zarr group with arrays X (n_x, m) and Y"),
             (["train", "--csv", lazy_files / "cancer-*.csv", "--target", "label"], "has no column 'label'"),
             (["search", "--csv", lazy_files / "cancer-*.csv", "--target", "diagnosis"], "search takes one file")]
    for args, message in cases:
        result = nnxp_command(*args, "--out", tmp_path / "out")
        assert result.returncode == 1 and message in result.stderr and len(result.stderr.splitlines()) == 1


@pytest.mark.gpu
def test_cupy_backed_chunks_train_on_the_gpu():
    """CuPy chunks (``map_blocks(cupy.asarray)``): the parameters live on the driver's GPU, the result
    equals NumPy's. Runs when a GPU is lent; dask_cuda's LocalCUDACluster is the multi-GPU form."""
    if not nnxp.backend_info().cupy_usable:
        pytest.skip(nnxp.backend_info().reason)
    import cupy

    dims, X, Y = PROBLEMS["binary_cross_entropy"]
    Xd, Yd = (array.map_blocks(cupy.asarray) for array in _chunked(X, Y))
    model = nnxp.NeuralNetwork(dims, num_iterations=10).fit(Xd, Yd)
    assert isinstance(model.parameters_["W1"], cupy.ndarray)
    reference = nnxp.NeuralNetwork(dims, num_iterations=10).fit(X, Y)
    for key, value in reference.parameters_.items():
        np.testing.assert_allclose(cupy.asnumpy(model.parameters_[key]), value, rtol=1e-10)
