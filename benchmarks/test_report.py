"""The report and the runner, on made-up results (no timing): they must not rot either."""

import json

from . import report, runner, tables
from .results import load


def bench(group, median, **info):
    return {"group": group, "stats": {"median": median, "min": median, "rounds": 3}, "extra_info": info}


def step(impl, dims, seconds):
    return bench(f"step {dims} m=2048 float32", seconds, impl=impl, dims=dims, m=2048, dtype="float32",
                 flops=10**9, threads=2)


RESULTS = {
    "nnxp-numpy": [bench("dot n=1e6", 1e-3, impl="nnxp-numpy", variant="vectorized", n=10**6),
                   bench("logreg n_x=8 m=32", 2e-5, impl="nnxp-numpy", n_x=8, m=32, flops=1024),
                   step("nnxp-numpy", [784, 256, 128, 1], 1.05), step("nnxp-numpy", [64, 16, 8, 1], 1.3)],
    "loops": [bench("dot n=1e6", 0.5, impl="loops", variant="numpy-elements", n=10**6),
              bench("logreg n_x=8 m=32", 2e-3, impl="loops", n_x=8, m=32, flops=1024),
              step("loops", [64, 16, 8, 1], 130.0)],
    "numpy-minimal": [step("numpy-minimal", [784, 256, 128, 1], 1.0), step("numpy-minimal", [64, 16, 8, 1], 1.0)],
}


def write_results(raw):
    raw.mkdir()
    for impl, benchmarks in RESULTS.items():
        machine = {"python_version": "3.11", "nnxp": {"threads": 2, "cpu_model": "CPU", "load_average": [0.1] * 3,
                                                      "blas": {"loaded": []}}}
        (raw / f"{impl}.json").write_text(json.dumps({"machine_info": machine, "benchmarks": benchmarks}))


def test_targets_are_judged_against_their_bounds(tmp_path):
    write_results(tmp_path / "raw")
    records, machines = load(tmp_path / "raw")
    assert sorted(machines) == ["loops", "nnxp-numpy", "numpy-minimal"]
    verdicts = {(d, size): ok for d, size, _, _, ok in tables.target_rows(records)}
    assert verdicts[(tables.TARGETS[0][0], "[784, 256, 128, 1] m=2048 float32")]  # 1.05 <= 1.10
    assert not verdicts[(tables.TARGETS[3][0], "[64, 16, 8, 1] m=2048 float32")]  # 1.3 > 1.2
    dot = [ok for d, _, value, _, ok in tables.target_rows(records) if d.startswith("10^6 dot")]
    assert dot == [True]  # 500x


def test_report_writes_markdown_and_plots(tmp_path):
    write_results(tmp_path / "raw")
    report.write_report(tmp_path / "raw", tmp_path)
    text = (tmp_path / "report.md").read_text()
    assert "| 8 | 32 | 2 ms | 20 µs | 100x |" in text  # logistic regression: loops over vectorized
    assert "100x" in text and "**no**" in text
    assert (tmp_path / "speedup.png").stat().st_size > 0 and (tmp_path / "backends.png").stat().st_size > 0


def test_child_processes_pin_threads_and_unset_openblas_coretype(monkeypatch):
    monkeypatch.setenv("OPENBLAS_CORETYPE", "Haswell")
    monkeypatch.setenv("OPENBLAS_L2_SIZE", "1048576")
    env = runner.child_env("torch-eager", 3, True, {"NNXP_BENCH_M": "2048"})
    assert "OPENBLAS_CORETYPE" not in env and "OPENBLAS_L2_SIZE" not in env
    assert all(env[name] == "3" for name in runner.THREAD_VARIABLES)
    assert (env["NNXP_BENCH_IMPL"], env["NNXP_BENCH_FULL"], env["NNXP_BENCH_M"]) == ("torch-eager", "1", "2048")
