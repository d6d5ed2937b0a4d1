"""Your own data on the command line: CSV files made here (string labels, three classes, regression),
preprocessing that travels with the model, and no lost work (unwritable folders, SIGTERM)."""

import json
import shlex
import signal
import time

import numpy as np
import pytest
from test_cli import _ok, nnxp_command, stopped_run

import nnxp
from nnxp.data.datasets import get_dataset

pandas = pytest.importorskip("pandas")
sk_datasets = pytest.importorskip("sklearn.datasets")


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """cancer.csv (30 features, labels "benign"/"malignant"), iris.csv (3 numeric classes), friedman.csv
    (regression, target in the thousands), and cancer_new.csv (no target column, 25 rows)."""
    folder = tmp_path_factory.mktemp("csv")
    cancer = sk_datasets.load_breast_cancer(as_frame=True)
    frame = cancer.data.assign(diagnosis=np.where(cancer.target == 1, "benign", "malignant"))
    frame.to_csv(folder / "cancer.csv", index=False)
    frame.drop(columns="diagnosis").iloc[::23].to_csv(folder / "cancer_new.csv", index=False)
    sk_datasets.load_iris(as_frame=True).frame.to_csv(folder / "iris.csv", index=False)
    X, y = sk_datasets.make_friedman1(n_samples=400, random_state=0)
    pandas.DataFrame(X, columns=[f"x{k}" for k in range(10)]).assign(y=1000 * y).to_csv(folder / "friedman.csv",
                                                                                        index=False)
    return folder


@pytest.fixture(scope="module")
def cancer_run(files):
    out = files / "cancer_run"
    _ok("train", "--csv", files / "cancer.csv", "--target", "diagnosis", "--layers", 16, "--optimizer", "adam",
        "--lr", 0.01, "--iterations", 200, "--out", out)
    return out


def test_string_labels_train_and_predict_in_their_own_words(files, cancer_run):
    metrics = json.loads((cancer_run / "metrics.json").read_text())
    assert metrics["loss"] == "binary_cross_entropy" and metrics["test_accuracy"] >= 0.95
    assert metrics["dataset"] == str(files / "cancer.csv")
    model = nnxp.load(cancer_run / "model.npz")
    assert model.preprocessing_["classes"].tolist() == ["benign", "malignant"]
    assert model.preprocessing_["feature_names"].tolist()[:2] == ["mean radius", "mean texture"]
    lines = _ok("predict", cancer_run / "model.npz", "--csv", files / "cancer_new.csv").stdout.splitlines()
    assert lines[0] == "prediction,probability_benign,probability_malignant" and len(lines) == 1 + 25
    table = [line.split(",") for line in lines[1:]]
    assert {row[0] for row in table} <= {"benign", "malignant"}
    for label, benign, malignant in table:
        assert float(benign) + float(malignant) == pytest.approx(1.0, abs=2e-6)
        assert label == ("benign" if float(benign) > 0.5 else "malignant")
    truth = np.where(sk_datasets.load_breast_cancer().target[::23] == 1, "benign", "malignant")
    assert np.mean([row[0] for row in table] == truth) >= 0.9


def test_predict_csv_writes_the_output_file(files, cancer_run, tmp_path):
    """``--output p.csv``: the table printed otherwise, labels in their own words, probabilities of each."""
    printed = _ok("predict", cancer_run / "model.npz", "--csv", files / "cancer_new.csv").stdout
    result = _ok("predict", cancer_run / "model.npz", "--csv", files / "cancer_new.csv", "--output", tmp_path / "p.csv")
    assert result.stdout == f"wrote 25 predictions to {tmp_path / 'p.csv'}\n" and result.stderr == ""
    assert (tmp_path / "p.csv").read_text() == printed
    table = pandas.read_csv(tmp_path / "p.csv")
    assert list(table.columns) == ["prediction", "probability_benign", "probability_malignant"]
    assert set(table["prediction"]) <= {"benign", "malignant"} and len(table) == 25
    np.testing.assert_allclose(table["probability_benign"] + table["probability_malignant"], 1, atol=2e-6)


def test_evaluate_csv_scores_the_target_column(files, cancer_run):
    line = _ok("evaluate", cancer_run / "model.npz", "--csv", files / "cancer.csv").stdout.strip()
    assert line.startswith("csv: accuracy ") and line.endswith("569 samples")
    assert float(line.split()[2].rstrip("%,")) >= 95.0


def test_three_numeric_classes(files, tmp_path):
    _ok("train", "--csv", files / "iris.csv", "--target", "target", "--layers", 8, "--optimizer", "adam",
        "--lr", 0.01, "--iterations", 500, "--out", tmp_path)
    metrics = json.loads((tmp_path / "metrics.json").read_text())
    assert metrics["layer_dims"] == [4, 8, 3] and metrics["loss"] == "categorical_cross_entropy"
    assert metrics["test_accuracy"] >= 0.9
    lines = _ok("predict", tmp_path / "model.npz", "--csv", files / "iris.csv").stdout.splitlines()
    assert lines[0] == "prediction,probability_0,probability_1,probability_2"
    assert {line.split(",")[0] for line in lines[1:]} == {"0", "1", "2"}


def test_regression_reports_r2_and_rmse_in_the_targets_units(files, tmp_path):
    _ok("train", "--csv", files / "friedman.csv", "--target", "y", "--layers", 32, "--optimizer", "adam",
        "--lr", 0.01, "--iterations", 400, "--out", tmp_path)
    metrics = json.loads((tmp_path / "metrics.json").read_text())
    assert metrics["loss"] == "mse" and metrics["test_r2"] > 0.8 and "test_accuracy" not in metrics
    frame = pandas.read_csv(files / "friedman.csv")
    lines = _ok("predict", tmp_path / "model.npz", "--csv", files / "friedman.csv").stdout.splitlines()
    assert lines[0] == "prediction"
    predicted = np.array(lines[1:], dtype=float)
    residual = np.sqrt(np.mean((predicted - frame["y"].to_numpy()) ** 2))
    assert residual < 0.5 * frame["y"].std()  # in the target's own units, thousands
    assert metrics["test_rmse"] < 0.5 * frame["y"].std()
    assert _ok("evaluate", tmp_path / "model.npz", "--csv", files / "friedman.csv").stdout.startswith("csv: R^2 ")


@pytest.mark.slow
def test_a_built_in_data_sets_scaling_travels_with_the_model(tmp_path):
    """Trained on breast cancer (standardized by the run), evaluated on raw features: the same accuracy."""
    _ok("train", "--dataset", "breast_cancer", "--layers", 8, "--iterations", 300, "--lr", 0.1, "--out", tmp_path)
    metrics = json.loads((tmp_path / "metrics.json").read_text())
    raw = get_dataset("breast_cancer", standardize=False)
    np.save(tmp_path / "X.npy", raw.X_test)
    np.save(tmp_path / "Y.npy", raw.Y_test)
    line = _ok("evaluate", tmp_path / "model.npz", "--input", tmp_path / "X.npy", "--labels",
               tmp_path / "Y.npy").stdout
    assert line.startswith(f"input: accuracy {metrics['test_accuracy']:.1%}") and metrics["test_accuracy"] > 0.9
    standardized = get_dataset("breast_cancer")  # what the loader gives: the same numbers the run trained on
    np.testing.assert_allclose(nnxp.load(tmp_path / "model.npz").score(standardized.X_test, standardized.Y_test),
                               metrics["test_accuracy"])


MISTAKES = {
    "missing target column": (["train", "--csv", "{cancer}", "--target", "label"], "has no column 'label'"),
    "no target": (["train", "--csv", "{cancer}"], "--csv needs --target"),
    "empty file": (["train", "--csv", "{empty}", "--target", "y"], "is not a readable CSV table"),
    "header only": (["train", "--csv", "{header}", "--target", "y"], "has a header but no rows"),
    "missing file": (["train", "--csv", "{folder}/absent.csv", "--target", "y"], "absent.csv: no such file"),
    "text feature": (["train", "--csv", "{text}", "--target", "y"], "feature columns ['colour'] are not numeric"),
    "both sources": (["train", "--csv", "{cancer}", "--dataset", "flower", "--target", "y"],
                     "needs exactly one of --dataset and --csv"),
    "differing columns": (["predict", "{model}", "--csv", "{iris}"], "lacks the model's feature columns ['mean radius'"),
    "csv for a non-csv model": (["predict", "{flower}", "--csv", "{iris}"], "was not trained on a CSV file"),
    "unseen label": (["evaluate", "{model}", "--csv", "{relabelled}"], "labels the model never saw: ['unknown']"),
    "evaluate without the target": (["evaluate", "{model}", "--csv", "{new}"], "has no column 'diagnosis'"),
    "differing columns to evaluate": (["evaluate", "{model}", "--csv", "{iris}"],
                                      "lacks the model's feature columns ['mean radius'"),
    "output into no folder": (["predict", "{model}", "--csv", "{new}", "--output", "{folder}/absent/p.csv"],
                              "absent/p.csv: cannot write the predictions (No such file or directory)"),
}


@pytest.fixture(scope="module")
def mistakes(files, cancer_run, tmp_path_factory):
    folder = tmp_path_factory.mktemp("mistakes")
    (folder / "empty.csv").write_text("")
    (folder / "header.csv").write_text("a,b,y\n")
    (folder / "text.csv").write_text("a,colour,y\n1,red,0\n2,blue,1\n3,red,0\n4,blue,1\n5,red,1\n")
    frame = pandas.read_csv(files / "cancer.csv")
    frame.assign(diagnosis=["unknown"] + frame["diagnosis"].tolist()[1:]).to_csv(folder / "relabelled.csv",
                                                                               index=False)
    flower = folder / "flower"
    _ok("train", "--dataset", "flower", "--iterations", 5, "--out", flower)
    return {"folder": folder, "cancer": files / "cancer.csv", "iris": files / "iris.csv",
            "model": cancer_run / "model.npz", "flower": flower / "model.npz", "new": files / "cancer_new.csv",
            **{name: folder / f"{name}.csv" for name in ("empty", "header", "text", "relabelled")}}


@pytest.mark.parametrize("case", MISTAKES)
def test_every_csv_mistake_is_one_line(case, mistakes):
    args, message = MISTAKES[case]
    result = nnxp_command(*(arg.format(**mistakes) for arg in args), "--out", mistakes["folder"] / "out")
    if args[0] != "train":
        result = nnxp_command(*(arg.format(**mistakes) for arg in args))
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert message in result.stderr


# ---------------------------------------------------------------- no lost work


def test_an_unwritable_out_fails_before_training(tmp_path):
    (tmp_path / "a-file").write_text("")
    start = time.perf_counter()
    result = nnxp_command("train", "--dataset", "flower", "--iterations", 100000000, "--out", tmp_path / "a-file" / "run")
    assert time.perf_counter() - start < 30  # not after a hundred million iterations
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "is not a writable folder" in result.stderr and "nothing was trained" in result.stderr


def test_sigterm_saves_a_checkpoint_and_prints_a_complete_resume_command(tmp_path):
    out = tmp_path / "terminated"
    code, stderr = stopped_run(["train", "--dataset", "moons", "--layers", 4, "--iterations", 100000000,
                                "--print-every", 100, "--out", out], lambda process: process.send_signal(signal.SIGTERM))
    assert code == 128 + signal.SIGTERM and "Traceback" not in stderr
    assert "terminated (SIGTERM) after" in stderr and len(stderr.strip().splitlines()) == 1
    done = nnxp.load(out / "model.npz").iterations_done_
    words = shlex.split(stderr.split("continue with: ")[1])
    assert words[:2] == ["nnxp", "train"] and words[words.index("--resume") + 1] == str(out / "model.npz")
    assert int(words[words.index("--iterations") + 1]) == 100000000 - done
    words[words.index("--iterations") + 1] = "7"  # the command as printed, but a short run
    _ok(*words[1:])
    assert nnxp.load(out / "model.npz").iterations_done_ == done + 7


def test_out_of_memory_is_one_line(monkeypatch, capsys):
    from nnxp import cli
    from nnxp.training.loop import DeviceMemoryError

    def exhausted(args):
        raise DeviceMemoryError("out of memory on cuda:0 training layer_dims=[2, 1] ...")

    monkeypatch.setitem(cli.COMMANDS, "info", exhausted)
    assert cli.main(["info"]) == 1
    assert capsys.readouterr().err == "nnxp info: error: out of memory on cuda:0 training layer_dims=[2, 1] ...\n"


# ---------------------------------------------------------------- CSV patterns (read with Dask)


@pytest.fixture(scope="module")
def parts(tmp_path_factory):
    """A folder of two CSV parts of iris (``part-1.csv``, ``part-2.csv``) and a malformed one (``bad-1.csv``)."""
    pytest.importorskip("dask.dataframe")
    folder = tmp_path_factory.mktemp("parts")
    iris = sk_datasets.load_iris(as_frame=True).frame
    iris.iloc[::2].to_csv(folder / "part-1.csv", index=False)
    iris.iloc[1::2].to_csv(folder / "part-2.csv", index=False)
    (folder / "bad-1.csv").write_text('a,target\n1,0\n"2,1\n')
    return folder


@pytest.mark.parametrize("pattern, reason", [
    ("none/*.csv", "the pattern matches no file"),
    ("part-[789].csv", "the pattern matches no file"),
    ("bad-*.csv", None),  # pandas' own words, which depend on where the file breaks
])
def test_a_csv_pattern_that_matches_nothing_or_a_malformed_file_says_so(pattern, reason, parts):
    result = nnxp_command("train", "--csv", parts / pattern, "--target", "target", "--out", parts / "out")
    assert result.returncode == 1 and len(result.stderr.strip().splitlines()) == 1, result.stderr
    prefix = f"nnxp train: error: --csv {parts / pattern}: "
    assert result.stderr.startswith(prefix) and len(result.stderr.strip()) > len(prefix)
    assert reason is None or result.stderr == prefix + reason + "\n"
    assert "read_csv method" not in result.stderr and "Traceback" not in result.stderr


def test_a_csv_pattern_with_brackets_trains_on_the_files_it_matches(parts, tmp_path):
    """``[12]`` is a pattern as ``*`` and ``?`` are (nnxp.data.out_of_core.is_glob): Dask reads what it matches."""
    _ok("train", "--csv", parts / "part-[12].csv", "--target", "target", "--layers", 4, "--iterations", 5,
        "--out", tmp_path)
    metrics = json.loads((tmp_path / "metrics.json").read_text())
    assert metrics["layer_dims"] == [4, 4, 3] and metrics["iterations_done"] == 5
