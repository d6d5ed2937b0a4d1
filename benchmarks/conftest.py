"""pytest setup for the benchmark suites.

``pytest benchmarks --benchmark-disable``: every benchmark once, small sizes (CI).
``NNXP_BENCH_IMPL=name``: only that implementation's benchmarks (one process each).
Every benchmark records its implementation, sizes and thread count in ``extra_info``;
the session records the BLAS libraries and versions in ``machine_info``.
"""

import pytest

from .config import IMPL, THREADS
from .machine import machine_details


def pytest_collection_modifyitems(config, items):
    """With ``NNXP_BENCH_IMPL`` set, deselect every benchmark of another implementation."""
    if IMPL is None:
        return
    keep, drop = [], []
    for item in items:
        params = getattr(item, "callspec", None)
        (keep if params is not None and params.params.get("impl") == IMPL else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
    items[:] = keep


def pytest_benchmark_update_machine_info(config, machine_info):
    machine_info["nnxp"] = machine_details()


@pytest.fixture
def measure(benchmark):
    """``measure(run, sync=None, group=..., rounds=None, **info)``: time ``run()`` (then ``sync``).

    Warms up twice first (JIT compilation, allocator pools, BLAS threads) unless
    benchmarks are disabled; ``rounds`` fixes the round count for slow Python loops.
    """

    def run_measure(run, *, group, sync=None, rounds=None, **info):
        benchmark.group = group
        benchmark.extra_info.update(info, threads=THREADS)
        timed = run if sync is None else lambda: sync(run())
        if rounds is not None:
            return benchmark.pedantic(timed, rounds=rounds)
        if not benchmark.disabled:
            timed()
            timed()
        return benchmark(timed)

    return run_measure
