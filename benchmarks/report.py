"""``python -m benchmarks.report``: run the suites (``--run``) or read their JSON (``--from-json``),
then write ``benchmarks/results/report.md`` and two PNG plots.

    python -m benchmarks.report --run                      # every implementation, full sizes
    python -m benchmarks.report --run --impl nnxp-numpy,numpy-minimal --m 2048 --dtypes float32
    python -m benchmarks.report --from-json                # rebuild the report from results/raw/*.json

``--run`` ends with :mod:`benchmarks.fit_vs_peers` (``fit`` per iteration against each library's
own step, about 3 minutes; ``--no-fit`` skips it), into ``results/raw/fit.json``.

Each implementation runs in its own pytest process with its thread count pinned
(:mod:`benchmarks.runner`); its JSON lands in ``results/raw/<impl>.json``, so a later
run of a few implementations (on a GPU machine, say) adds to the earlier ones.
"""

import argparse
import json
import os
import sys
from pathlib import Path

from . import fit_vs_peers, plots, tables
from .impls import ALL
from .results import load
from .runner import run_all

RESULTS = Path(__file__).resolve().parent / "results"


def machine_section(machines):
    """One table row per benchmark process: where it ran, with which threads and BLAS."""
    rows = []
    for impl, info in sorted(machines.items()):
        nnxp = info.get("nnxp", {})
        loaded = nnxp.get("blas", {}).get("loaded", [])
        blas = ", ".join(f"{lib['internal_api']} {lib['version']} {lib['architecture'] or ''} ({lib['num_threads']} thr)"
                         for lib in loaded) if isinstance(loaded, list) else loaded
        torch = nnxp.get("blas", {}).get("torch")
        blas += f"; torch: {torch['blas']} ({torch['threads']} thr)" if torch else ""
        load = " / ".join(f"{x:.1f}" for x in nnxp.get("load_average", []))
        rows.append([impl, nnxp.get("threads", "?"), blas or "—", load, (info.get("datetime") or "")[:19]])
    first = next(iter(machines.values()), {}).get("nnxp", {})
    versions = ", ".join(f"{k} {v}" for k, v in first.get("versions", {}).items())
    return (f"- CPU: {first.get('cpu_model', '?')}, {first.get('cores', '?')} cores; {first.get('platform', '')}\n"
            f"- GPU: {first.get('gpu', '?')}\n- Python {next(iter(machines.values()), {}).get('python_version', '?')}; "
            f"{versions}\n- NumPy built with: {first.get('blas', {}).get('numpy_build')}\n"
            f"- OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset in every benchmark process\n\n"
            + tables.markdown(["process (implementation)", "threads", "BLAS / OpenMP loaded (threadpoolctl)",
                               "load average 1/5/15 min at its end", "run at"],
                              rows))


def write_report(raw_dir, out_dir):
    """report.md, speedup.png and backends.png in ``out_dir`` from the JSON in ``raw_dir``."""
    records, machines = load(raw_dir)
    if not records:
        sys.exit(f"no benchmark results in {raw_dir}: run `python -m benchmarks.report --run` first")
    plots.plot_speedup(records, out_dir / "speedup.png")
    plots.plot_backends(records, out_dir / "backends.png")
    text = "\n\n".join([
        "# nnxp benchmarks",
        "Each implementation ran in its own process. Ratios and GFLOP/s use each benchmark's fastest round "
        "(the least disturbed when other jobs share the machine; see the load averages), the median is shown beside it. "
        "Reproduce: `python -m benchmarks.report --run` (full sizes), or "
        "`python -m benchmarks.report --from-json` to rebuild this page.",
        "## Machine\n\n" + machine_section(machines),
        "## Targets of the issue\n\nRatios are time over time: below 1 means nnxp is faster.\n\n"
        + tables.targets_table(records),
        "## 1. Dot product: Python loop vs vectorized\n\n" + tables.dot_table(records),
        "## 2. Logistic regression forward + backward\n\n" + tables.logreg_table(records),
        "## 3. One training iteration: summary\n\nSpeedups are how many times faster; `nnxp-numpy / peer` "
        "is nnxp's time over the peer's; the matrix products' share is their time alone over nnxp's step.\n\n"
        + tables.comparison_table(records),
        "![speedup](speedup.png)\n\n![backends](backends.png)",
        "## 3. One training iteration: every implementation\n\n" + tables.step_tables(records),
        "## 4. `fit` per iteration against each library's own step\n\nFloat32, full batch, gradient descent; "
        "`fit` timed as the slope between two resumed fits' lengths, the peers over 20 calls "
        "(`python -m benchmarks.fit_vs_peers`).\n\n" + tables.fit_table(records),
    ])
    (out_dir / "report.md").write_text(text + "\n")
    print(f"wrote {out_dir / 'report.md'}, speedup.png, backends.png")


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.report", description=__doc__.split("\n\n")[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--run", action="store_true", help="run the suites, then write the report")
    mode.add_argument("--from-json", action="store_true", help="only read results/raw/*.json")
    parser.add_argument("--results", type=Path, default=RESULTS, help="output folder (default: %(default)s)")
    parser.add_argument("--impl", default=",".join(ALL), help="comma-separated implementations (default: all)")
    parser.add_argument("--threads", type=int, default=os.cpu_count(), help="threads per process (default: all cores)")
    parser.add_argument("--rounds", type=int, default=3, help="minimum rounds per benchmark (default: 3)")
    parser.add_argument("--m", help="comma-separated m for the training step (default 256,2048,8192)")
    parser.add_argument("--dtypes", help="comma-separated dtypes (default float32,float64)")
    parser.add_argument("--fast", action="store_true", help="the small CI sizes instead of the full ones")
    parser.add_argument("--no-fit", action="store_true", help="skip `fit` against the peers (benchmarks.fit_vs_peers)")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    raw = args.results / "raw"
    if args.run:
        options = {k: v for k, v in (("NNXP_BENCH_M", args.m), ("NNXP_BENCH_DTYPES", args.dtypes)) if v}
        impls = [i.strip() for i in args.impl.split(",") if i.strip()]
        unknown = sorted(set(impls) - set(ALL))
        if unknown:
            sys.exit(f"unknown implementation(s) {unknown}; known: {ALL}")
        failed = run_all(impls, raw, threads=args.threads, full=not args.fast, rounds=args.rounds, options=options)
        if not args.no_fit:
            print("\n=== fit per iteration against each library's own step ===", flush=True)
            fit = fit_vs_peers.run(args.threads, max(args.rounds, 3), memory=True)
            (raw / "fit.json").write_text(json.dumps(fit, indent=1))
        if failed:
            print(f"warning: benchmarks failed for {failed}", file=sys.stderr)
    write_report(raw, args.results)


if __name__ == "__main__":
    main()
