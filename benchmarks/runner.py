"""Run the suites with one pytest-benchmark process per implementation, threads pinned.

Each child gets ``NNXP_BENCH_IMPL=<impl>`` (only that implementation's benchmarks are
collected), ``OMP/MKL/OPENBLAS_NUM_THREADS`` and ``NNXP_BENCH_THREADS`` (torch reads it)
set to the same count, and neither ``OPENBLAS_CORETYPE`` nor ``OPENBLAS_L2_SIZE``: they
are set on some machines for old OpenBLAS builds and slow a current NumPy. Which BLAS
kernel then ran is recorded by threadpoolctl in the JSON.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "NNXP_BENCH_THREADS")
UNSET = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


def pinned_env(threads):
    """This environment with ``threads`` set in every thread variable and the OpenBLAS ones unset."""
    env = {k: v for k, v in os.environ.items() if k not in UNSET}
    env.update({name: str(threads) for name in THREAD_VARIABLES})
    return env


def child_env(impl, threads, full, options):
    """The environment of the process that benchmarks ``impl``; ``options`` are extra NNXP_BENCH_* values."""
    env = pinned_env(threads)
    env.update(NNXP_BENCH_IMPL=impl, **options)
    env["NNXP_BENCH_FULL"] = "1" if full else "0"
    return env


def measure_in_child(module, args, threads):
    """``benchmarks.<module>.measure(*args)`` in a fresh process with ``threads`` threads pinned (as for
    the suites): the JSON it returns. The scripts' way of timing each implementation on its own."""
    code = f"import json; from benchmarks.{module} import measure; print(json.dumps(measure(*{tuple(args)!r})))"
    out = subprocess.run([sys.executable, "-c", code], env=pinned_env(threads), cwd=REPO, check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_impl(impl, raw_dir, *, threads, full, rounds, options, pytest_args=()):
    """Benchmark ``impl`` in a fresh process; its JSON goes to ``raw_dir/<impl>.json``.

    Returns True when pytest passed (or found nothing to run for this implementation).
    """
    out = Path(raw_dir) / f"{impl}.json"
    out.unlink(missing_ok=True)
    command = [sys.executable, "-m", "pytest", str(BENCH_DIR), "-q", "-p", "no:cacheprovider",
               "--benchmark-enable", f"--benchmark-json={out}", f"--benchmark-min-rounds={rounds}", "--benchmark-max-time=2",
               "--benchmark-columns=median,min,rounds", "--benchmark-sort=name", *pytest_args]
    print(f"\n=== {impl}: {threads} thread(s) ===", flush=True)
    code = subprocess.run(command, cwd=REPO, env=child_env(impl, threads, full, options)).returncode
    if code not in (0, 5):  # 5: pytest collected nothing for this implementation
        print(f"warning: pytest exited {code} for {impl}", file=sys.stderr)
    return code in (0, 5)


def run_all(impls, raw_dir, **kwargs):
    """:func:`run_impl` for each implementation in turn; returns those that failed."""
    Path(raw_dir).mkdir(parents=True, exist_ok=True)
    return [impl for impl in impls if not run_impl(impl, raw_dir, **kwargs)]
