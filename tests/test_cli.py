"""The ``nnxp`` command, run as a real process: train, resume, predict, evaluate, info, errors, Ctrl-C."""

import contextlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from test_plots import assert_real_png

import nnxp
from nnxp import cli
from nnxp.data.datasets import get_dataset

FLOWER_RUN = ["--dataset", "flower", "--layers", "4", "--activation", "tanh", "--lr", "1.2",
              "--init", "scaled", "--seed", "1"]


def nnxp_command(*args, process=False, cwd=None, timeout=120):
    """``nnxp ARGS`` as ``python -m nnxp ARGS`` runs it, NNXP_BACKEND unset: a CompletedProcess (exit
    code, standard output and error).

    It runs in this process (``nnxp.cli.main``, its output captured, SystemExit's code kept), so the
    imports a command needs (pandas, Dask, matplotlib, scikit-learn's data sets: up to 4 s each) are
    paid once per test process; an uncaught exception fails the test with its traceback. With
    ``process=True`` it runs in a subprocess (``timeout`` seconds at most): for what only a process
    shows, its start-up and environment."""
    args = [str(arg) for arg in args]
    if process:
        env = {key: value for key, value in os.environ.items() if key != "NNXP_BACKEND"}
        return subprocess.run([sys.executable, "-m", "nnxp", *args], capture_output=True, text=True,
                              timeout=timeout, env=env, cwd=cwd)
    stdout, stderr = io.StringIO(), io.StringIO()
    backend, here = os.environ.pop("NNXP_BACKEND", None), os.getcwd()
    try:
        os.chdir(cwd or here)
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            try:
                code = cli.main(args)
            except SystemExit as exit:  # argparse's errors, --help and --version
                code = exit.code
    finally:
        os.chdir(here)
        if backend is not None:
            os.environ["NNXP_BACKEND"] = backend
    return subprocess.CompletedProcess(["nnxp", *args], code or 0, stdout.getvalue(), stderr.getvalue())


def _ok(*args, **kwargs):
    result = nnxp_command(*args, **kwargs)
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def flower_run(tmp_path_factory):
    """One ``nnxp train`` of the notes' flower network: its folder and its output."""
    out = tmp_path_factory.mktemp("runs") / "flower"
    result = _ok("train", *FLOWER_RUN, "--iterations", 2000, "--print-every", 500, "--out", out)
    return out, result


def test_train_writes_checkpoint_metrics_and_plots(flower_run):
    out, result = flower_run
    assert sorted(p.name for p in out.iterdir()) == [
        "decision_boundary.png", "learning_curve.png", "metrics.json", "model.npz"]
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["train_accuracy"] > 0.85 and metrics["test_accuracy"] > 0.8
    assert metrics["final_cost"] < 0.35 and metrics["seconds"] > 0
    assert (metrics["backend"], metrics["device"], metrics["dtype"]) == ("numpy", "cpu", "float64")
    assert (metrics["layer_dims"], metrics["iterations_done"]) == ([2, 4, 1], 2000)
    assert_real_png(out / "learning_curve.png")
    assert_real_png(out / "decision_boundary.png", min_bytes=20_000)


def test_train_prints_the_notes_costs_and_no_bar_off_a_terminal(flower_run):
    out, result = flower_run
    printed = [line for line in result.stdout.splitlines() if line.startswith("Cost after")]
    assert [line.split(":")[0] for line in printed] == [
        f"Cost after iteration {i}" for i in (0, 500, 1000, 1500)]
    assert "it/s" not in result.stdout + result.stderr
    assert str(out / "model.npz") in result.stdout


def test_the_checkpoint_is_the_trained_model(flower_run):
    out, _ = flower_run
    model = nnxp.load(out / "model.npz")
    split = get_dataset("flower")
    metrics = json.loads((out / "metrics.json").read_text())
    assert model.score(split.X_test, split.Y_test) == metrics["test_accuracy"]
    assert model.learning_rate == 1.2 and model.activations == ["tanh", "sigmoid"]


def test_evaluate_reports_the_accuracy_of_metrics_json(flower_run):
    out, _ = flower_run
    metrics = json.loads((out / "metrics.json").read_text())
    lines = _ok("evaluate", out / "model.npz", "--dataset", "flower").stdout.splitlines()
    assert lines[0].startswith(f"train: accuracy {metrics['train_accuracy']:.1%}")
    assert lines[1].startswith(f"test: accuracy {metrics['test_accuracy']:.1%}, cost {metrics['test_cost']:.6f}")


def test_evaluate_and_predict_read_npy_and_csv_inputs(flower_run, tmp_path):
    out, _ = flower_run
    split = get_dataset("flower")
    np.save(tmp_path / "X.npy", split.X_test)
    np.savetxt(tmp_path / "Y.csv", split.Y_test, delimiter=",")
    evaluated = _ok("evaluate", out / "model.npz", "--input", tmp_path / "X.npy", "--labels", tmp_path / "Y.csv")
    assert evaluated.stdout.startswith("input: accuracy ")
    _ok("predict", out / "model.npz", "--input", tmp_path / "X.npy", "--output", tmp_path / "p.csv")
    table = np.loadtxt(tmp_path / "p.csv", delimiter=",", skiprows=1, ndmin=2)
    model = nnxp.load(out / "model.npz")
    np.testing.assert_array_equal(table[:, 0], model.predict(split.X_test)[0])
    np.testing.assert_allclose(table[:, 1], model.predict_proba(split.X_test)[0], atol=1e-6)


def test_predict_prints_csv_for_a_dataset(flower_run):
    out, _ = flower_run
    lines = _ok("predict", out / "model.npz", "--dataset", "flower").stdout.splitlines()
    assert lines[0] == "prediction,probability" and len(lines) == 1 + get_dataset("flower").X_test.shape[1]


def _arrays(path):
    """The checkpoint's arrays of numbers (its metadata and preprocessing's text left out)."""
    with np.load(path) as data:
        return {key: data[key] for key in data.files if data[key].dtype.kind == "f"}


@pytest.mark.slow
def test_train_resume_equals_one_longer_run(tmp_path):
    options = [*FLOWER_RUN, "--momentum", "0.9", "--batch-size", "100", "--cost-every", "10"]
    _ok("train", *options, "--iterations", 40, "--out", tmp_path / "straight")
    _ok("train", *options, "--iterations", 20, "--out", tmp_path / "first")
    resumed = _ok("train", "--dataset", "flower", "--resume", tmp_path / "first" / "model.npz",
                  "--iterations", 20, "--out", tmp_path / "second")
    assert "after 40 iterations" in resumed.stdout
    straight, second = _arrays(tmp_path / "straight" / "model.npz"), _arrays(tmp_path / "second" / "model.npz")
    assert straight.keys() == second.keys()
    for key in straight:
        np.testing.assert_allclose(second[key], straight[key], rtol=0, atol=1e-12, err_msg=key)


@pytest.mark.slow
def test_deep_and_logistic_networks_from_layer_lists(tmp_path):
    _ok("train", "--dataset", "breast_cancer", "--layers", "5,3", "--iterations", 50, "--out", tmp_path / "deep")
    metrics = json.loads((tmp_path / "deep" / "metrics.json").read_text())
    assert metrics["layer_dims"] == [30, 5, 3, 1]
    assert not (tmp_path / "deep" / "decision_boundary.png").exists()  # 30 features: no 2-D plot
    _ok("train", "--dataset", "moons", "--layers", "none", "--lr", "0.5", "--iterations", 50,
        "--dtype", "float32", "--out", tmp_path / "logistic")
    metrics = json.loads((tmp_path / "logistic" / "metrics.json").read_text())
    assert (metrics["layer_dims"], metrics["dtype"]) == ([2, 1], "float32")


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory, flower_run):
    """Checkpoints that must be refused: garbage, truncated; and a file where a folder belongs."""
    folder = tmp_path_factory.mktemp("bad")
    (folder / "garbage.npz").write_bytes(b"not a checkpoint")
    good = (flower_run[0] / "model.npz").read_bytes()
    (folder / "truncated.npz").write_bytes(good[: len(good) // 2])
    return folder, flower_run[0] / "model.npz"


USER_ERRORS = {
    "unknown dataset": (["train", "--dataset", "mnist"], "invalid choice: 'mnist'"),
    "bad layers": (["train", "--dataset", "flower", "--layers", "4,-2"], "--layers"),
    "bad option value": (["train", "--dataset", "flower", "--lr", "-1"], "argument --lr: expected a positive number"),
    "unknown option": (["train", "--dataset", "flower", "--epochs", "3"], "unrecognized arguments: --epochs"),
    "cat without folder": (["train", "--dataset", "cat"], "needs --data-dir"),
    "missing cat files": (["train", "--dataset", "cat", "--data-dir", "{bad}/none"], "train_catvnoncat.h5"),
    "out is a file": (["train", "--dataset", "flower", "--out", "{bad}/garbage.npz"], "is a file"),
    "missing checkpoint": (["evaluate", "{bad}/absent.npz", "--dataset", "flower"], "absent.npz: no such file"),
    "corrupt checkpoint": (["predict", "{bad}/garbage.npz", "--dataset", "flower"], "garbage.npz is not a readable"),
    "truncated checkpoint": (["evaluate", "{bad}/truncated.npz", "--dataset", "flower"], "truncated.npz"),
    "other data set": (["evaluate", "{good}", "--dataset", "digits"], "this model was trained on the data set 'flower'"),
    "other architecture": (["evaluate", "{good}", "--input", "{bad}/wide.csv", "--labels", "{bad}/wide.csv"],
                           "takes 2 features, but --input {bad}/wide.csv has 3"),
    "resume other layers": (["train", "--dataset", "flower", "--resume", "{good}", "--layers", "8"], "--layers asks for"),
    "no input": (["predict", "{good}"], "exactly one of --dataset and --input"),
    "bad input suffix": (["predict", "{good}", "--input", "{bad}/garbage.npz"], "expected a .npy or .csv"),
    "no gpu": (["train", "--dataset", "flower", "--backend", "cupy"], "backend='cupy' cannot run here"),
}


@pytest.mark.parametrize("case", USER_ERRORS)
def test_user_errors_print_one_line_and_exit_non_zero(case, bad_files):
    args, message = USER_ERRORS[case]
    if case == "no gpu" and nnxp.backend_info().cupy_usable:
        pytest.skip("a GPU is usable here")
    folder, good = bad_files
    args = [arg.format(bad=folder, good=good) for arg in args]
    (folder / "wide.csv").write_text("1,2\n3,4\n5,6\n")  # X (3, 2): three features, two samples
    result = nnxp_command(*args, cwd=folder)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert message.format(bad=folder) in result.stderr


def _signal_status(pid):
    """The Sig*/ShdPnd lines of each thread of process ``pid`` (Linux), for a failure message."""
    lines = []
    for status in sorted(Path(f"/proc/{pid}/task").glob("*/status")):
        fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
        lines.append(status.parent.name + " " + " ".join(f"{key}={fields[key].strip()}" for key in fields
                                                         if key.startswith(("Sig", "ShdPnd"))))
    return "; ".join(lines)


AS_FROM_A_TERMINAL = ("import runpy, signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
                      "runpy.run_module('nnxp', run_name='__main__', alter_sys=True)")
"""``python -m nnxp`` with Ctrl-C at Python's default, as a terminal starts it. A process starts with the
signal dispositions of the one that forked it, and glibc's ``system()``, run by a library in another
thread of a test process, ignores SIGINT and SIGQUIT while its command runs: a run forked then would
start with Ctrl-C ignored (seen as ``SigIgn`` in /proc), and Python keeps an ignored SIGINT ignored."""


def stopped_run(args, stop, timeout=60, **popen):
    """``python -m nnxp ARGS`` (NNXP_BACKEND unset; :data:`AS_FROM_A_TERMINAL`) stopped by ``stop(process)``
    once its first cost line is out (training has begun): ``(exit code, stderr)``. A run still going
    ``timeout`` seconds later is aborted and the test fails with its signal masks and every thread's
    stack (faulthandler): where the signal went."""
    env = {key: value for key, value in os.environ.items() if key != "NNXP_BACKEND"}
    process = subprocess.Popen([sys.executable, "-c", AS_FROM_A_TERMINAL, *map(str, args)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True,
                               env={**env, "PYTHONUNBUFFERED": "1", "PYTHONFAULTHANDLER": "1"}, **popen)
    try:
        assert process.stdout.readline().startswith("Cost after iteration 0")
        stop(process)
        try:
            _, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            signals = _signal_status(process.pid)
            process.send_signal(signal.SIGABRT)
            _, stderr = process.communicate(timeout=30)
            pytest.fail(f"the run went on {timeout} s after the signal; its signal masks: {signals}; "
                        f"its threads' stacks:\n{stderr[-8000:]}")
    finally:
        process.kill()
    return process.returncode, stderr


def test_ctrl_c_saves_a_checkpoint_and_says_where(tmp_path):
    out = tmp_path / "interrupted"
    code, stderr = stopped_run(["train", *FLOWER_RUN, "--iterations", "100000000", "--print-every", "100",
                                "--out", out], lambda process: process.send_signal(signal.SIGINT))
    assert code == 130
    assert f"checkpoint saved to {out / 'model.npz'}" in stderr and "Traceback" not in stderr
    model = nnxp.load(out / "model.npz")
    assert 0 < model.iterations_done_ < 100000000
    assert [p.name for p in out.iterdir()] == ["model.npz"]


def test_info_names_versions_and_backends():
    lines = _ok("info").stdout
    for expected in (f"nnxp {nnxp.__version__}", f"NumPy {np.__version__}", "auto backend: ",
                     "  numpy ", "  cupy ", "  torch ", "  jax ", "GPU: "):
        assert expected in lines
    assert ("CuPy: not installed" in lines) or ("CUDA runtime" in lines)


def test_no_arguments_runs_the_demo():
    result = _ok(process=True, timeout=300)  # the README's first command
    assert "[2, 4, 1] tanh network on the flower data" in result.stdout
    assert "Cost after iteration 9000" in result.stdout and "test accuracy" in result.stdout


def test_the_console_script_runs():
    script = shutil.which("nnxp", path=str(Path(sys.executable).parent))
    if script is None:
        pytest.skip("the nnxp console script is not installed beside this Python")
    result = subprocess.run([script, "--version"], capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout.strip()) == (0, f"nnxp {nnxp.__version__}")


# ---------------------------------------------------------------- no library noise


def test_raw_unscaled_inputs_give_results_without_warnings(flower_run, tmp_path):
    """Features a million times what the model saw (one row a millionth): numbers out, nothing on stderr."""
    out, _ = flower_run
    flower = get_dataset("flower")
    X = flower.X_test * np.array([[1e6], [1e-6]])
    np.save(tmp_path / "X.npy", X)
    np.save(tmp_path / "Y.npy", flower.Y_test)
    checkpoint = out / "model.npz"
    evaluated = _ok("evaluate", checkpoint, "--input", tmp_path / "X.npy", "--labels", tmp_path / "Y.npy")
    predicted = _ok("predict", checkpoint, "--input", tmp_path / "X.npy", "--output", tmp_path / "p.csv")
    assert evaluated.stdout.startswith("input: accuracy ") and (evaluated.stderr, predicted.stderr) == ("", "")
    assert len((tmp_path / "p.csv").read_text().splitlines()) == 1 + X.shape[1]


def test_warnings_are_one_line_each_and_numpys_runtime_warnings_none(monkeypatch, capsys):
    """The scale warning of a fit on raw breast-cancer features: one ``nnxp info: warning:`` line, no
    ``UserWarning`` class or source line; a division by zero in NumPy: nothing."""
    import warnings

    from nnxp import cli

    raw = get_dataset("breast_cancer", standardize=False)

    def unscaled(args):
        np.log(np.zeros(1))  # RuntimeWarning: divide by zero
        nnxp.NeuralNetwork([30, 1], num_iterations=3).fit(raw.X_train, raw.Y_train)
        return 0

    shown = warnings.showwarning
    monkeypatch.setitem(cli.COMMANDS, "info", unscaled)
    assert cli.main(["info"]) == 0
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("nnxp info: warning: X's features have standard deviations")
    assert "standardize" in lines[0] and "UserWarning" not in lines[0]
    assert warnings.showwarning is shown  # put back for whoever called main


def test_an_unwritable_home_trains_without_noise(tmp_path):
    """matplotlib's and CuPy's caches live under $HOME: a read-only home (a container's) costs no
    error and no log lines."""
    home = tmp_path / "home-is-a-file"
    home.write_text("")
    unset = ("MPLCONFIGDIR", "CUPY_CACHE_DIR", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "NNXP_BACKEND")
    env = {**{key: value for key, value in os.environ.items() if key not in unset}, "HOME": str(home)}
    result = subprocess.run([sys.executable, "-m", "nnxp", "train", "--dataset", "flower", "--iterations", "10",
                             "--out", str(tmp_path / "run")], capture_output=True, text=True, timeout=300, env=env)
    assert (result.returncode, result.stderr) == (0, "")
    assert (tmp_path / "run" / "learning_curve.png").is_file()


# ---------------------------------------------------------------- option values and their ranges


OUT_OF_RANGE = {  # option: (value, what the message says is expected)
    "--lr": ("-0.1", "expected a positive number, got '-0.1'"),
    "--scale": ("0", "expected a positive number, got '0'"),
    "--epsilon": ("nan", "expected a positive number, got 'nan'"),
    "--l2": ("-1", "expected a number >= 0, got '-1'"),
    "--decay-rate": ("-0.5", "expected a number >= 0, got '-0.5'"),
    "--momentum": ("1", "expected a number in [0, 1), got '1'"),
    "--beta1": ("1.5", "expected a number in [0, 1), got '1.5'"),
    "--beta2": ("-0.1", "expected a number in [0, 1), got '-0.1'"),
    "--keep-prob": ("0", "got '0': '0' is not a number in (0, 1]"),
    "--validation-size": ("1.5", "expected a fraction in (0, 1), got '1.5'"),
}


@pytest.mark.parametrize("option", OUT_OF_RANGE)
def test_an_option_value_out_of_its_range_exits_2_naming_option_value_and_range(option, tmp_path, capsys):
    """As the CLI page's table says: argparse refuses it (exit 2), before any data is read."""
    from nnxp import cli

    value, expected = OUT_OF_RANGE[option]
    with pytest.raises(SystemExit) as exit:
        cli.main(["train", "--dataset", "flower", "--iterations", "1", "--out", str(tmp_path), option, value])
    stderr = capsys.readouterr().err
    assert exit.value.code == 2 and len(stderr.strip().splitlines()) == 1, stderr
    assert f"nnxp train: error: argument {option}: " in stderr and expected in stderr
    assert not (tmp_path / "model.npz").exists()


def test_validation_size_without_early_stopping_is_an_error_naming_both(tmp_path):
    result = nnxp_command("train", *FLOWER_RUN, "--iterations", 5, "--validation-size", 0.3, "--out", tmp_path)
    assert result.returncode == 1 and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "--validation-size 0.3" in result.stderr and "--early-stopping" in result.stderr
    assert not (tmp_path / "model.npz").exists()
    _ok("train", *FLOWER_RUN, "--iterations", 5, "--validation-size", 0.3, "--early-stopping", 2, "--out", tmp_path)


# ---------------------------------------------------------------- stopping a run on a Dask cluster


@pytest.mark.slow
@pytest.mark.parametrize("stop", ["ctrl-c", "sigterm"])
def test_stopping_a_run_on_a_local_cluster_prints_only_the_save_line(stop, tmp_path):
    """Ctrl-C in a terminal signals the whole process group (the cluster's worker processes too);
    SIGTERM comes to nnxp alone. Either way: the checkpoint, one line, no Dask log or traceback."""
    out = tmp_path / "stopped"
    command = ["train", "--dataset", "moons", "--layers", "4", "--iterations", "100000000", "--print-every", "100",
               "--backend", "numpy", "--scheduler", "local:2", "--out", out]
    send = {"ctrl-c": lambda process: os.killpg(process.pid, signal.SIGINT),  # the terminal's whole group
            "sigterm": lambda process: process.send_signal(signal.SIGTERM)}[stop]
    returncode, stderr = stopped_run(command, send, timeout=120, start_new_session=True)
    said, code = ("interrupted", 130) if stop == "ctrl-c" else ("terminated (SIGTERM)", 143)
    assert returncode == code and len(stderr.strip().splitlines()) == 1, stderr
    assert stderr.startswith(f"{said} after ") and f"checkpoint saved to {out / 'model.npz'}" in stderr
    assert nnxp.load(out / "model.npz").iterations_done_ >= 1
