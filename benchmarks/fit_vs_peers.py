"""``NeuralNetwork.fit`` per iteration against each library's own hand-written step, and peak memory.

``python -m benchmarks.fit_vs_peers`` runs every (implementation, network) in its own process with
``--threads`` BLAS/OpenMP/torch threads (OPENBLAS_CORETYPE unset there only) and prints a markdown
table of seconds per iteration and nnxp's ratio to its peer:

- ``fit`` on NumPy, torch and JAX arrays (JAX: the jitted step, the default), full batch, gradient
  descent: the slope of the time of ``fit(resume=True)`` between 5 and 25 iterations, so the
  per-call work of ``fit`` (input checks, the final guard's pass, tracing) cancels out;
- the peers of :mod:`benchmarks.peers`: a minimal hand-written NumPy step, PyTorch eager autograd +
  SGD, a hand-written ``jax.jit`` step, each timed over 20 calls.

Float32, ``[64,16,8,1]`` at m = 256 and ``[784,256,128,1]``, ``[4096,1024,1024,1]`` at m = 2048;
median of ``--rounds``. ``--memory`` adds tracemalloc's peak for one NumPy iteration of each.
"""

import argparse
import statistics
import time

from .runner import measure_in_child

NETWORKS = [((64, 16, 8, 1), 256), ((784, 256, 128, 1), 2048), ((4096, 1024, 1024, 1), 2048)]
PAIRS = [("nnxp-fit-numpy", "numpy-minimal"), ("nnxp-fit-torch", "torch-eager"), ("nnxp-fit-jax", "jax-jit")]


def _fit_seconds(backend, problem, rounds):
    """Seconds per iteration of ``fit`` on ``backend``: the slope between 5- and 25-iteration resumed fits."""
    import nnxp

    from .backends import get_backend
    from .steps import on_device

    device = get_backend(backend)
    X, Y, _ = on_device(device, problem)
    model = nnxp.NeuralNetwork(list(problem.dims), learning_rate=0.01, num_iterations=2, cost_every=10**6)
    model.fit(X, Y)  # warm-up: the first trace or allocation

    def timed(iterations):
        model.num_iterations = iterations
        start = time.perf_counter()
        model.fit(X, Y, resume=True)  # ends with a host read: the device has finished
        return time.perf_counter() - start

    return statistics.median((timed(25) - timed(5)) / 20 for _ in range(rounds))


def _peer_seconds(name, problem, rounds):
    from .impls import STEP_BUILDERS

    run, sync = STEP_BUILDERS[name](problem)
    sync = sync or (lambda result: result)
    sync(run())

    def timed():
        start = time.perf_counter()
        for _ in range(20):
            result = run()
        sync(result)
        return (time.perf_counter() - start) / 20

    return statistics.median(timed() for _ in range(rounds))


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
    """``{"seconds": ..., "peak": ...}`` of one implementation on one network, in this process."""
    from .problems import make_problem

    problem = make_problem(list(dims), m, "float32")
    if name.startswith("nnxp-fit-jax") or name == "jax-jit":
        import jax

        jax.config.update("jax_enable_x64", True)
    if name.startswith("nnxp-fit-"):
        seconds = _fit_seconds(name.removeprefix("nnxp-fit-"), problem, rounds)
    else:
        seconds = _peer_seconds(name, problem, rounds)
    peak = _peak_bytes(name, problem) if memory and name in ("nnxp-fit-numpy", "numpy-minimal") else None
    return {"seconds": seconds, "peak": peak}


def _child(name, dims, m, args):
    return measure_in_child("fit_vs_peers", (name, tuple(dims), m, args.rounds, args.memory), args.threads)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--memory", action="store_true", help="also tracemalloc's peak of a NumPy iteration")
    args = parser.parse_args(argv)
    print("| network, m | nnxp `fit` | peer | nnxp / peer |\n| --- | --- | --- | --- |")
    for dims, m in NETWORKS:
        for ours, theirs in PAIRS:
            a, b = _child(ours, dims, m, args), _child(theirs, dims, m, args)
            memory = f"; peak {a['peak'] / 2**20:.1f} / {b['peak'] / 2**20:.1f} MiB" if a.get("peak") else ""
            print(f"| `{list(dims)}`, {m} | {ours}: {1000 * a['seconds']:.3f} ms | {theirs}: "
                  f"{1000 * b['seconds']:.3f} ms | {a['seconds'] / b['seconds']:.2f}x{memory} |", flush=True)


if __name__ == "__main__":
    main()
