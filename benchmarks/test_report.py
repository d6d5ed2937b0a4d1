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


def fit(impl, dims, seconds, peak=None):
    return bench(f"fit {dims} m=2048 float32", seconds, impl=impl, dims=dims, m=2048, dtype="float32", peak=peak,
                 threads=2)


def test_fit_rows_judge_each_library_against_its_own_step(tmp_path):
    raw = tmp_path / "raw"
    write_results(raw)
    (raw / "fit.json").write_text(json.dumps({"machine_info": {}, "benchmarks": [
        fit("nnxp-fit-numpy", [784, 256, 128, 1], 0.99, peak=12 * 2**20),
        fit("numpy-minimal", [784, 256, 128, 1], 1.0, peak=10 * 2**20),
        fit("nnxp-fit-jax", [784, 256, 128, 1], 1.1), fit("jax-jit", [784, 256, 128, 1], 1.0),
    ]}))
    records, _ = load(raw)
    verdicts = {d: (round(value, 3), ok) for d, _, value, _, ok in tables.fit_target_rows(records)}
    assert verdicts == {tables.FIT_TARGETS[0][0]: (0.99, True), tables.FIT_TARGETS[3][0]: (1.1, False),
                        "peak memory of a NumPy `fit` step at most 1.2x the minimal step's": (1.2, True)}
    report.write_report(raw, tmp_path)
    text = (tmp_path / "report.md").read_text()
    assert "| [784, 256, 128, 1], 2048 | nnxp-fit-numpy | 990 ms | numpy-minimal | 1 s | 0.99x | 12.0 / 10.0 MiB |" in text
    assert "| [784, 256, 128, 1], 2048 | nnxp-fit-jax | 1.1 s | jax-jit | 1 s | 1.1x |  |" in text


def test_fit_vs_peers_times_fit_and_the_minimal_step_on_the_same_problem():
    from . import fit_vs_peers

    ours = fit_vs_peers.measure("nnxp-fit-numpy", (16, 8, 1), 64, 2, True)
    theirs = fit_vs_peers.measure("numpy-minimal", (16, 8, 1), 64, 2, True)
    assert ours["group"] == theirs["group"] == "fit [16,8,1] m=64 float32"
    for result in (ours, theirs):
        assert 0 < result["stats"]["min"] <= result["stats"]["median"] < 0.01  # seconds per iteration
    # a tracemalloc peak of the iteration's arrays: more than Z1 and A1's (8, 64) float32 each, far less than 1 MiB
    assert 2 * 8 * 64 * 4 < theirs["extra_info"]["peak"] <= ours["extra_info"]["peak"] < 2**20
