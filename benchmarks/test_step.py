"""Suite 3: one full training iteration (forward, cost, backward, update) of deep networks.

nnxp on every backend, the loops where they finish in reasonable time, the peers,
and the step's matrix products alone, at every size, m and dtype of :mod:`benchmarks.config`.
"""

import pytest

from .config import DTYPES, LOOP_MAX_MACS, LOOP_ROUNDS, STEP_DIMS, STEP_M
from .impls import STEP_BUILDERS
from .problems import make_problem


@pytest.mark.parametrize("impl", STEP_BUILDERS)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("m", STEP_M)
@pytest.mark.parametrize("dims", STEP_DIMS, ids=lambda dims: "-".join(map(str, dims)))
def test_training_step(measure, impl, dims, m, dtype):
    problem = make_problem(dims, m, dtype)
    if impl == "loops" and problem.flops // 2 > LOOP_MAX_MACS:
        pytest.skip(f"{problem.flops // 2:.1e} multiply-adds is too many for Python loops "
                    f"(limit {LOOP_MAX_MACS:.0e}, about 10^7 a second)")
    run, sync = STEP_BUILDERS[impl](problem)
    measure(run, sync=sync, group=f"step {problem.label}", rounds=LOOP_ROUNDS if impl == "loops" else None,
            impl=impl, dims=list(dims), m=m, dtype=dtype, flops=problem.flops)
