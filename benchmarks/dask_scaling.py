"""Seconds per full-batch epoch of ``[784, 128, 1]`` on Dask against plain NumPy, at growing m.

``python -m benchmarks.dask_scaling`` runs each (implementation, m) in its own process: ``numpy``
(one process, ``--threads`` BLAS threads) and ``dask`` (a ``LocalCluster`` of ``--threads`` worker
processes with one thread each, the data made and persisted on the workers, two chunks per worker).
Each trains ``--epochs`` full-batch epochs of float32 data after one warm-up epoch and reports the
median time between epochs (the progress callback's clock: the per-fit input checks and the final
guard are outside it). It prints a markdown table and the per-step overhead of Dask at the smallest m.
"""

import argparse
import statistics
import time

from .runner import measure_in_child

DIMS = [784, 128, 1]


def _problem(m, seed=0):
    import numpy as np

    rng = np.random.default_rng(seed)
    X = rng.standard_normal((DIMS[0], m), dtype=np.float32)
    return X, (X[:1] + X[1:2] * X[2:3] > 0).astype(np.float32)


def _epoch_seconds(model, X, Y, epochs):
    """The median seconds between the ends of successive epochs of ``model.fit`` (after a warm-up)."""
    stamps = []
    model.num_iterations = epochs + 1
    model.fit(X, Y, progress=lambda done, cost: stamps.append(time.perf_counter()))
    return statistics.median(b - a for a, b in zip(stamps, stamps[1:]))


def measure(kind, m, epochs, workers):
    """Seconds per epoch of one implementation, in this process."""
    import nnxp

    model = nnxp.NeuralNetwork(DIMS, learning_rate=0.01, cost_every=10**6, dtype="float32")
    if kind == "numpy":
        return _epoch_seconds(model, *_problem(m), epochs)
    import dask.array as da
    import distributed

    with distributed.LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=":0") as cluster, \
            distributed.Client(cluster) as client:
        chunk = -(-m // (2 * workers))
        X = da.random.default_rng(0).standard_normal((DIMS[0], m), chunks=(DIMS[0], chunk), dtype="float32")
        X, Y = client.persist([X, (X[:1] + X[1:2] * X[2:3] > 0).astype("float32")])
        return _epoch_seconds(model, X, Y, epochs)


def _child(kind, m, epochs, workers):
    """``measure`` in its own process: NumPy with ``workers`` threads, Dask's workers with one each."""
    return measure_in_child("dask_scaling", (kind, m, epochs, workers), workers if kind == "numpy" else 1)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,20000,50000,100000,200000")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2, help="NumPy's BLAS threads = Dask's workers (default 2)")
    args = parser.parse_args(argv)
    print(f"| m | NumPy, {args.threads} threads (s/epoch) | Dask, {args.threads} workers (s/epoch) | Dask / NumPy |")
    print("| --- | --- | --- | --- |")
    rows = []
    for m in map(int, args.sizes.split(",")):
        numpy_s, dask_s = (_child(kind, m, args.epochs, args.threads) for kind in ("numpy", "dask"))
        rows.append((m, numpy_s, dask_s))
        print(f"| {m:,} | {numpy_s:.4f} | {dask_s:.4f} | {dask_s / numpy_s:.2f}x |", flush=True)
    m, numpy_s, dask_s = rows[0]
    print(f"\nDask's overhead per step at m = {m:,}: about {1000 * (dask_s - numpy_s):.0f} ms")


if __name__ == "__main__":
    main()
