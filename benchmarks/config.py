"""What the suites measure, read from the environment once.

``NNXP_BENCH_FULL=1``    the full sizes (default: the fast CI sizes, each benchmark runs in seconds)
``NNXP_BENCH_IMPL``      run only this implementation (the report's runner sets it per process)
``NNXP_BENCH_THREADS``   the thread count pinned for BLAS, OpenMP and torch (default: all cores)
``NNXP_BENCH_M``         full mode: comma-separated sample counts m for the training step
``NNXP_BENCH_DTYPES``    comma-separated dtypes for the training step (default float32,float64)
"""

import os

FULL = os.environ.get("NNXP_BENCH_FULL", "") == "1"
IMPL = os.environ.get("NNXP_BENCH_IMPL") or None
THREADS = int(os.environ.get("NNXP_BENCH_THREADS") or os.cpu_count() or 1)


def _list(name, default, convert=str):
    return [convert(v) for v in os.environ.get(name, default).split(",") if v.strip()]


DTYPES = _list("NNXP_BENCH_DTYPES", "float32,float64")

# 1. dot product of n random numbers
DOT_N = 10**6 if FULL else 10**5

# 2. logistic regression forward + backward, (n_x, m)
LOGREG_SIZES = [(16, 64), (64, 256), (256, 1024), (1024, 2048)] if FULL else [(8, 32), (64, 256)]

# 3. one training iteration of deep networks
STEP_DIMS = (
    [[64, 16, 8, 1], [784, 256, 128, 1], [4096, 1024, 1024, 1]] if FULL else [[8, 4, 3, 1], [64, 16, 8, 1]]
)
STEP_M = _list("NNXP_BENCH_M", "256,2048,8192", int) if FULL else [64]

# The Python loops do about 10^7 multiply-adds a second: above this many per call, skip them.
LOOP_MAX_MACS = 3 * 10**6 if FULL else 10**5
LOOP_ROUNDS = 3 if FULL else 1
LEARNING_RATE = 0.01
