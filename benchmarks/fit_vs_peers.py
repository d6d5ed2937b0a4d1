"""``NeuralNetwork.fit`` per iteration against each library's own hand-written step, and peak memory.

``python -m benchmarks.fit_vs_peers`` runs every (implementation, network) in its own process with
``--threads`` BLAS/OpenMP/torch threads (OPENBLAS_CORETYPE unset there only) and prints a markdown
table of seconds per iteration and nnxp's ratio to its peer:

- ``fit`` on NumPy, torch and JAX arrays (JAX: compiled, the default: the epochs between two cost
  reads in one ``lax.fori_loop``), full batch, gradient descent: the slope of the time of
  ``fit(resume=True)`` between two iteration counts (20 and 220 at the small size, 5 and 25 at the
  others), so the per-call work of ``fit`` (input checks, the final guard's pass) cancels out;
- the peers of :mod:`benchmarks.peers`: a minimal hand-written NumPy step, PyTorch eager autograd +
  SGD, a hand-written ``jax.jit`` step, each timed over 20 calls, and the same JAX update 20 times
  in one ``lax.fori_loop`` call.

Float32, ``[64,16,8,1]`` at m = 256 and ``[784,256,128,1]``, ``[4096,1024,1024,1]`` at m = 2048;
median of ``--rounds``. ``--memory`` adds tracemalloc's peak for one NumPy iteration of each.
"""

import argparse
import json
import statistics
import time
from pathlib import Path

from .results import load_benchmarks
from .runner import measure_in_child
from .tables import FIT_PAIRS, fit_table

NETWORKS = [((64, 16, 8, 1), 256), ((784, 256, 128, 1), 2048), ((4096, 1024, 1024, 1), 2048)]
LOOP_ITERATIONS = 20
"""Updates per call of the ``jax-fori-loop`` peer."""


def _counts(problem):
    """The two iteration counts whose times' difference is timed: enough work to stand above the noise."""
    return (20, 220) if problem.dims[1] < 100 else (5, 25)


def _fit_seconds(backend, problem, rounds):
    """Seconds per iteration of ``fit`` on ``backend``: the slope between 5- and 25-iteration resumed fits."""
    import nnxp

    from .backends import get_backend
    from .steps import on_device

    device = get_backend(backend)
    X, Y, _ = on_device(device, problem)
    model = nnxp.NeuralNetwork(list(problem.dims), learning_rate=0.01, num_iterations=2, cost_every=10**6)
    model.fit(X, Y)

    def timed(iterations):
        model.num_iterations = iterations
        start = time.perf_counter()
        model.fit(X, Y, resume=True)  # ends with a host read: the device has finished
        return time.perf_counter() - start

    low, high = _counts(problem)
    timed(high), timed(low)  # warm-up: JAX traces its fused loop once per length bucket
    return [(timed(high) - timed(low)) / (high - low) for _ in range(rounds)]


def _peer_seconds(name, problem, rounds):
    from . import peers
    from .impls import STEP_BUILDERS

    if name == "jax-fori-loop":
        run, sync = peers.jax_fori_loop_steps(problem, LOOP_ITERATIONS)
        return [seconds / LOOP_ITERATIONS for seconds in _peer_seconds_of(run, sync, rounds)]
    return _peer_seconds_of(*STEP_BUILDERS[name](problem), rounds)


def _peer_seconds_of(run, sync, rounds):
    sync = sync or (lambda result: result)
    sync(run())

    def timed():
        start = time.perf_counter()
        for _ in range(20):
            result = run()
        sync(result)
        return (time.perf_counter() - start) / 20

    return [timed() for _ in range(rounds)]


def _peak_bytes(name, problem):
    """tracemalloc's peak over one NumPy iteration (after a warm-up), in bytes."""
    import tracemalloc

    import nnxp

    if name == "numpy-minimal":
        from .impls import STEP_BUILDERS

        run, _ = STEP_BUILDERS[name](problem)
        run()
        step = run
    else:
        model = nnxp.NeuralNetwork(list(problem.dims), learning_rate=0.01, num_iterations=1, cost_every=10**6)
        model.fit(problem.X, problem.Y)

        def step():
            model.fit(problem.X, problem.Y, resume=True)
    tracemalloc.start()
    step()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def measure(name, dims, m, rounds, memory):
    """One implementation on one network, in this process: a benchmark of the report's JSON (its
    ``stats``: median and fastest of ``rounds`` seconds per iteration; ``extra_info``: the sizes and,
    with ``memory``, tracemalloc's ``peak`` bytes of a NumPy iteration)."""
    from .config import THREADS
    from .problems import make_problem

    problem = make_problem(list(dims), m, "float32")
    if name.startswith("nnxp-fit-jax") or name.startswith("jax-"):
        import jax

        jax.config.update("jax_enable_x64", True)
    if name.startswith("nnxp-fit-"):
        seconds = _fit_seconds(name.removeprefix("nnxp-fit-"), problem, rounds)
    else:
        seconds = _peer_seconds(name, problem, rounds)
    peak = _peak_bytes(name, problem) if memory and name in ("nnxp-fit-numpy", "numpy-minimal") else None
    return {"group": f"fit {problem.label}",
            "stats": {"median": statistics.median(seconds), "min": min(seconds), "rounds": rounds},
            "extra_info": {"impl": name, "dims": list(dims), "m": m, "dtype": "float32", "peak": peak,
                           "threads": THREADS}}


def run(threads=2, rounds=5, memory=True, networks=NETWORKS):
    """Every implementation of :data:`benchmarks.tables.FIT_PAIRS` on every network, each in its own process: the report's
    JSON (``{"machine_info", "benchmarks"}``, one benchmark per implementation and network)."""
    from .machine import machine_details

    names = dict.fromkeys(name for pair in FIT_PAIRS for name in pair)
    benchmarks = [measure_in_child("fit_vs_peers", (name, tuple(dims), m, rounds, memory), threads)
                  for dims, m in networks for name in names]
    return {"machine_info": {"nnxp": {**machine_details(), "impl": "fit_vs_peers", "threads": threads}},
            "benchmarks": benchmarks}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--memory", action="store_true", help="also tracemalloc's peak of a NumPy iteration")
    parser.add_argument("--json", type=Path, help="also write the results there (the report reads results/raw/fit.json)")
    args = parser.parse_args(argv)
    data = run(args.threads, args.rounds, args.memory)
    if args.json:
        args.json.write_text(json.dumps(data, indent=1))
    print(fit_table(load_benchmarks(data["benchmarks"])))


if __name__ == "__main__":
    main()
