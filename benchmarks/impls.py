"""Every implementation the suites time, by name: one process each under ``benchmarks.report --run``.

``nnxp-<backend>`` is nnxp's vectorized code on that backend (and, in the dot and
logistic-regression suites, the backend's own vectorized operations); ``loops`` is
nnxp.loops and plain Python loops; ``matmul-<backend>`` is a step's matrix products alone;
the rest are peers.
"""

import functools

from . import peers, steps

VECTORIZED_BACKENDS = ["numpy", "torch", "torch-cuda", "jax", "cupy"]

STEP_BUILDERS = {
    **{f"nnxp-{b}": functools.partial(steps.nnxp_step, b) for b in VECTORIZED_BACKENDS},
    "nnxp-jax-jit": steps.nnxp_jax_jit_step,
    "loops": steps.loops_step,
    "numpy-minimal": peers.numpy_minimal_step,
    "torch-eager": functools.partial(peers.torch_eager_step, "cpu"),
    "torch-eager-cuda": functools.partial(peers.torch_eager_step, "cuda"),
    "sklearn": peers.sklearn_step,
    "jax-jit": peers.jax_jit_step,
    **{f"matmul-{b}": functools.partial(steps.matmul_step, b) for b in VECTORIZED_BACKENDS},
}

ALL = list(STEP_BUILDERS)
