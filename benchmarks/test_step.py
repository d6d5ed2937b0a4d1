"""Suite 3: one full training iteration (forward, cost, backward, update) of deep networks.

nnxp on every backend, the loops where they finish in reasonable time, the peers,
and the step's matrix products alone, at every size, m and dtype of :mod:`benchmarks.config`.
"""

import pytest

import nnxp

from .config import DTYPES, LOOP_MAX_MACS, LOOP_ROUNDS, STEP_DIMS, STEP_M
from .impls import STEP_BUILDERS
from .problems import make_problem


@pytest.mark.one_jax_instance("impl")  # each JAX implementation at one size and dtype when quick
@pytest.mark.parametrize("impl", STEP_BUILDERS)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("m", STEP_M)
@pytest.mark.parametrize("dims", STEP_DIMS, ids=lambda dims: "-".join(map(str, dims)))
def test_training_step(measure, benchmark, impl, dims, m, dtype):
    problem = make_problem(dims, m, dtype)
    if impl == "loops" and problem.flops // 2 > LOOP_MAX_MACS:
        pytest.skip(f"{problem.flops // 2:.1e} multiply-adds is too many for Python loops "
                    f"(limit {LOOP_MAX_MACS:.0e}, about 10^7 a second)")
    run, sync = STEP_BUILDERS[impl](problem)
    result = measure(run, sync=sync, group=f"step {problem.label}", rounds=LOOP_ROUNDS if impl == "loops" else None,
                     impl=impl, dims=list(dims), m=m, dtype=dtype, flops=problem.flops)
    if benchmark.disabled and not impl.startswith(("matmul-", "sklearn")):
        # run once (CI's smoke mode): the cost it computed is the problem's, from its initial parameters
        cost = result[1] if isinstance(result, tuple) else result
        tolerance = 1e-4 if dtype == "float32" else 1e-10
        assert float(nnxp.to_numpy(cost)) == pytest.approx(_reference_cost(problem), rel=tolerance)


def _reference_cost(problem):
    """The cross-entropy of the problem's initial parameters, in float64 on NumPy."""
    params = {key: value.astype("float64") for key, value in problem.params.items()}
    AL, caches = nnxp.model_forward(problem.X.astype("float64"), params, problem.activations)
    return float(nnxp.compute_cost_from_logits(caches[-1][1], problem.Y.astype("float64")))
