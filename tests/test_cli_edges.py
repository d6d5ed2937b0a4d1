"""The command line at its edges: zarr-trained models that predict, evaluate and resume, labels and
targets read in their own terms, checkpoints kept apart from data they were not trained on, one run
per output folder, and CSV faults named by their column."""

import json

import numpy as np
import pytest

import nnxp
from nnxp import cli
from nnxp.cli import folder

da = pytest.importorskip("dask.array")
pytest.importorskip("zarr")
pandas = pytest.importorskip("pandas")
sk_datasets = pytest.importorskip("sklearn.datasets")
sk_metrics = pytest.importorskip("sklearn.metrics")


def _main(*args):
    return cli.main([str(arg) for arg in args])


def ok(capsys, *args):
    """Run ``nnxp ARGS`` in this process; its standard output once it exits 0."""
    code = _main(*args)
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def fails(capsys, *args, message, code=1):
    """Run ``nnxp ARGS``: it must exit ``code`` with one line on stderr holding ``message``."""
    returned = _main(*args)
    out, err = capsys.readouterr()
    assert returned == code and len(err.splitlines()) == 1 and message in err, err
    return err


def _zarr(path, X, Y):
    da.to_zarr(da.from_array(X, chunks=(X.shape[0], 100)), path, component="X")
    da.to_zarr(da.from_array(Y, chunks=(Y.shape[0], 100)), path, component="Y")
    return path


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """iris as a zarr group (labels 0..2) and as .npy; diabetes (regression, targets in the hundreds)
    as a CSV, a zarr group and raw .npy files; zarr groups whose Y has more or fewer samples than X."""
    here = tmp_path_factory.mktemp("edges")
    X, y = sk_datasets.load_iris(return_X_y=True)
    np.save(here / "iris_X.npy", X.T)
    np.save(here / "iris_Y.npy", y.reshape(1, -1).astype(float))
    _zarr(here / "iris.zarr", X.T.copy(), y.reshape(1, -1).astype(float))
    diabetes = sk_datasets.load_diabetes(as_frame=True).frame
    diabetes.to_csv(here / "diabetes.csv", index=False)
    Xd, yd = diabetes.drop(columns="target").to_numpy().T.copy(), diabetes["target"].to_numpy().reshape(1, -1)
    np.save(here / "diabetes_X.npy", Xd)
    np.save(here / "diabetes_Y.npy", yd)
    _zarr(here / "diabetes.zarr", Xd, yd)
    _zarr(here / "longer.zarr", Xd, np.concatenate([yd, yd[:, :10]], axis=1))
    _zarr(here / "shorter.zarr", Xd, yd[:, :400])
    return here


@pytest.fixture(scope="module")
def iris_run(files):
    assert _main("train", "--zarr", files / "iris.zarr", "--layers", 8, "--optimizer", "adam", "--lr", 0.05,
                 "--iterations", 60, "--out", files / "iris_run") == 0
    return files / "iris_run" / "model.npz"


def test_a_zarr_classifier_predicts_evaluates_and_resumes(files, iris_run, capsys):
    lines = ok(capsys, "predict", iris_run, "--input", files / "iris_X.npy").splitlines()
    assert lines[0] == "prediction,probability_0,probability_1,probability_2"
    assert {line.split(",")[0] for line in lines[1:]} <= {"0", "1", "2"} and len(lines) == 151
    out = ok(capsys, "evaluate", iris_run, "--input", files / "iris_X.npy", "--labels", files / "iris_Y.npy")
    model, X, y = nnxp.load(iris_run), np.load(files / "iris_X.npy"), np.load(files / "iris_Y.npy")
    mean, std = X.mean(axis=1, keepdims=True), X.std(axis=1, keepdims=True)  # all 150 samples, not the train split
    by_hand = np.mean(model.predict((X - model.preprocessing_["mean"]) / model.preprocessing_["std"]) == y)
    assert f"accuracy {by_hand:.1%}" in out and by_hand > 0.8
    assert not np.allclose(model.preprocessing_["mean"], mean) or not np.allclose(model.preprocessing_["std"], std)
    ok(capsys, "train", "--zarr", files / "iris.zarr", "--resume", iris_run, "--iterations", 5, "--out",
       files / "iris_resumed")
    assert nnxp.load(files / "iris_resumed" / "model.npz").iterations_done_ == 65


@pytest.mark.parametrize("source", ["--csv", "--zarr"])
def test_a_regression_is_scored_alike_from_its_table_and_from_raw_arrays(files, tmp_path, capsys, source):
    """``evaluate --input/--labels`` takes targets in their own units, as ``--csv`` does; both R^2 equal
    scikit-learn's on the predictions turned back into those units."""
    data = files / ("diabetes.csv" if source == "--csv" else "diabetes.zarr")
    target = ["--target", "target"] if source == "--csv" else []
    ok(capsys, "train", source, data, *target, "--layers", 8, "--optimizer", "adam", "--lr", 0.01, "--iterations",
       100, "--out", tmp_path)
    model = nnxp.load(tmp_path / "model.npz")
    X, Y = np.load(files / "diabetes_X.npy"), np.load(files / "diabetes_Y.npy")
    predicted = model.preprocessing_.decode(model.predict(model.preprocessing_.features(X)))
    r2 = sk_metrics.r2_score(Y.ravel(), predicted.ravel())
    out = ok(capsys, "evaluate", tmp_path / "model.npz", "--input", files / "diabetes_X.npy", "--labels",
             files / "diabetes_Y.npy")
    assert f"R^2 {r2:.4f}" in out and r2 > 0.3
    if source == "--csv":
        assert f"R^2 {r2:.4f}" in ok(capsys, "evaluate", tmp_path / "model.npz", "--csv", data)


@pytest.mark.parametrize("group, m_Y", [("longer", 452), ("shorter", 400)])
def test_a_zarr_group_whose_Y_has_other_samples_than_X_is_refused(files, tmp_path, capsys, group, m_Y):
    fails(capsys, "train", "--zarr", files / f"{group}.zarr", "--iterations", 5, "--out", tmp_path,
          message=f"the same m samples (columns), got X (10, 442) and Y (1, {m_Y})")
    assert not (tmp_path / "model.npz").exists()


def test_a_second_run_on_a_folder_in_use_stops_at_once_and_writes_nothing(tmp_path, capsys):
    with folder.claimed(tmp_path / "run", "train"):
        fails(capsys, "train", "--dataset", "flower", "--iterations", 5, "--out", tmp_path / "run",
              message=f"--out {tmp_path / 'run'} is in use by another nnxp run; wait for it to end")
        assert not (tmp_path / "run" / "model.npz").exists()
    ok(capsys, "train", "--dataset", "flower", "--iterations", 5, "--out", tmp_path / "run")
    metrics = json.loads((tmp_path / "run" / "metrics.json").read_text())
    assert metrics["iterations_done"] == nnxp.load(tmp_path / "run" / "model.npz").iterations_done_ == 5


def test_a_search_on_a_folder_in_use_stops_before_it_trains(tmp_path, capsys):
    with folder.claimed(tmp_path, "train"):
        fails(capsys, "search", "--dataset", "flower", "--lr", "0.1,1", "--iterations", 5, "--out", tmp_path,
              message=f"--out {tmp_path} is in use by another nnxp run")
    assert list(tmp_path.iterdir()) == []


def test_a_model_is_not_scored_on_a_data_set_it_was_not_trained_on(files, tmp_path, capsys):
    ok(capsys, "train", "--csv", files / "diabetes.csv", "--target", "target", "--iterations", 5, "--out",
       tmp_path / "csv")
    for command in ("evaluate", "predict"):
        fails(capsys, command, tmp_path / "csv" / "model.npz", "--dataset", "iris",
              message="this model was trained on a CSV table (target 'target', 10 feature columns")
    ok(capsys, "train", "--dataset", "flower", "--iterations", 5, "--out", tmp_path / "flower")
    fails(capsys, "evaluate", tmp_path / "flower" / "model.npz", "--dataset", "moons",
          message="--dataset moons: this model was trained on the data set 'flower'")
    fails(capsys, "train", "--dataset", "moons", "--resume", tmp_path / "flower" / "model.npz", "--iterations", 5,
          "--out", tmp_path / "moons", message="the checkpoint was trained with dataset 'flower', but this data has "
                                               "'moons'")


@pytest.fixture(scope="module")
def cancer(tmp_path_factory):
    """breast cancer as a CSV with word labels, a model trained on it, and its X as .npy."""
    here = tmp_path_factory.mktemp("cancer")
    data = sk_datasets.load_breast_cancer(as_frame=True)
    frame = data.data.assign(diagnosis=np.where(data.target == 1, "benign", "malignant"))
    frame.to_csv(here / "cancer.csv", index=False)
    np.save(here / "X.npy", data.data.to_numpy().T)
    assert _main("train", "--csv", here / "cancer.csv", "--target", "diagnosis", "--layers", 8, "--optimizer",
                 "adam", "--lr", 0.01, "--iterations", 100, "--out", here / "run") == 0
    return here, frame


def test_labels_are_class_names_or_indices_into_the_sorted_names(cancer, capsys):
    here, frame = cancer
    names = frame["diagnosis"].to_numpy().reshape(1, -1)
    np.savetxt(here / "names.csv", names, fmt="%s", delimiter=",")
    np.save(here / "indices.npy", (names == "malignant").astype(float))  # sorted: benign 0, malignant 1
    np.save(here / "flipped.npy", (names == "benign").astype(float))
    model = here / "run" / "model.npz"
    scores = [ok(capsys, "evaluate", model, "--input", here / "X.npy", "--labels", here / name).split(",")[0]
              for name in ("names.csv", "indices.npy", "flipped.npy")]
    assert scores[0] == scores[1] == f"input: accuracy {float(scores[0][-5:-1]) / 100:.1%}"
    assert float(scores[0][-5:-1]) > 90 and float(scores[2][-5:-1]) < 10  # the other coding scores the complement
    np.save(here / "twos.npy", np.full((1, 569), 2.0))
    fails(capsys, "evaluate", model, "--input", here / "X.npy", "--labels", here / "twos.npy",
          message="holds numbers [2.0], but the model's classes are the names ['benign', 'malignant']")


@pytest.mark.parametrize("edit, message", [
    (lambda frame: frame.assign(**{"mean radius": frame["mean radius"].replace(frame["mean radius"][3], np.inf)}),
     "feature columns ['mean radius'] hold infinite values"),
    (lambda frame: frame.astype({"mean area": object}).assign(**{"mean area": ["12,5"] + frame["mean area"].tolist()[1:]}),
     "feature columns ['mean area'] are not numeric ('mean area' holds '12,5' in row 1)"),
])
def test_a_bad_value_at_predict_time_is_named_by_its_column(cancer, tmp_path, capsys, edit, message):
    here, frame = cancer
    edit(frame.drop(columns="diagnosis")).to_csv(tmp_path / "new.csv", index=False)
    fails(capsys, "predict", here / "run" / "model.npz", "--csv", tmp_path / "new.csv", message=message)


def test_a_saved_pandas_index_is_left_out_with_a_warning(cancer, tmp_path, capsys):
    here, frame = cancer
    frame.to_csv(tmp_path / "indexed.csv")  # index=True: a first column "Unnamed: 0" of 0, 1, 2, ...
    assert _main("train", "--csv", tmp_path / "indexed.csv", "--target", "diagnosis", "--iterations", 5,
                 "--out", tmp_path / "run") == 0
    err = capsys.readouterr().err
    assert "nnxp train: warning:" in err and "'Unnamed: 0' is a saved pandas index" in err
    assert nnxp.load(tmp_path / "run" / "model.npz").preprocessing_.feature_names == frame.columns[:-1].tolist()


def test_classes_asked_of_a_continuous_target_draw_a_warning(files, tmp_path, capsys):
    assert _main("train", "--csv", files / "diabetes.csv", "--target", "target", "--task", "classification",
                 "--iterations", 2, "--out", tmp_path) == 0
    err = capsys.readouterr().err
    assert "is taken as 214 classes from 442 samples: is it a continuous target? (--task regression)" in err


def test_a_csv_pattern_of_too_few_rows_to_hold_out_a_test_split_says_so(tmp_path, capsys):
    for part in (1, 2):
        (tmp_path / f"part-{part}.csv").write_text(f"a,b,y\n{part},2,{part - 1}\n")
    fails(capsys, "train", "--csv", tmp_path / "part-*.csv", "--target", "y", "--iterations", 3, "--out",
          tmp_path / "run", message="holding out 0.2 of m=2 samples leaves an empty part: too few samples")


def test_the_progress_bar_advances_by_the_epochs_of_each_call(capsys):
    """JAX runs the epochs between two logged costs in one call: the bar takes them at once, and the
    notes' printout still names the logged iterations."""
    import io

    from tqdm import tqdm

    from nnxp.cli.fitting import Progress

    progress = Progress(nnxp.NeuralNetwork([2, 1], num_iterations=12), print_every=5)
    progress.bar.close()
    progress.bar = tqdm(total=12, file=io.StringIO())  # drawn, as on a terminal
    for done, cost in [(1, 0.7), (5, 0.7), (6, 0.6), (10, 0.6), (11, 0.5), (12, 0.5)]:
        progress(done, cost)
    assert progress.bar.n == 12
    progress.close()
    printed = [line for line in capsys.readouterr().out.splitlines() if line.startswith("Cost")]
    assert printed == ["Cost after iteration 0: 0.700000", "Cost after iteration 5: 0.600000",
                       "Cost after iteration 10: 0.500000"]
