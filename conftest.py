"""Doctests: every ``>>>`` example in nnxp's docstrings and in the docs' ``.rst`` pages runs with the
quick suite (``--doctest-modules --doctest-glob='*.rst'`` in pyproject.toml), with ``np`` and
``nnxp`` imported, as the docs say. The course tutorial's scripts run in the Sphinx build instead.

The marker ``numerics`` selects the tests whose outcome could depend on how this CPU rounds: those
that compare numbers computed here with numbers computed on another machine (the doctests, the
commands shown in the docs, the course's published numbers, a stored checkpoint), and those that
assert bit-identity of a resumed run. CI runs ``-m numerics`` once more under a second OpenBLAS
kernel (``.ci/run``, docs/guide/testing.rst). The doctests are marked here by their kind, the
others by the names in :data:`NUMERICS`.
"""

import os
import re

import numpy as np
import pytest
from _pytest.doctest import DoctestItem

import nnxp

collect_ignore = ["nnxp/__main__.py", "docs/conf.py"]
collect_ignore_glob = ["docs/tutorial/*", "docs/_build/*", "docs/course/*"]

NUMERICS = {
    "tests/test_checkpoint.py": [
        "test_resume_after_a_reload_equals_one_straight_run",  # bit-identity within the run
        "test_resume_with_new_settings_keeps_the_state",
    ],
    "tests/test_model_losses.py": [
        "test_a_checkpoint_of_nnxp_0_1_still_loads_and_resumes",  # a stored checkpoint's numbers
        "test_every_loss_round_trips_through_a_checkpoint",
    ],
    # The course's published numbers; its cat/non-cat logistic regression, also a test of
    # tests/test_model.py, is checked by docs/tutorial/1_logistic_regression.py in the docs build.
    "tests/test_model.py": ["test_flower_needs_a_hidden_layer"],
    "tests/test_cli.py": ["test_train_resume_equals_one_longer_run"],  # a resume, on the command line
    "tests/test_docs_pages.py": ["test_page_commands_run_as_shown"],  # the outputs the pages show
}
"""Test functions marked ``numerics`` (every parametrized instance), by module."""


def pytest_configure(config):
    """Under pytest-xdist (the README's ``-n 2``) each worker computes with one thread (BLAS, OpenMP,
    torch, and the processes it starts): two workers of two threads each on two cores fight over
    them. Matrix products split their rows, not their sums, across threads: the same numbers."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        import threadpoolctl

        for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[name] = "1"
        threadpoolctl.threadpool_limits(1)


@pytest.fixture(autouse=True)
def _doctest_names(doctest_namespace):
    doctest_namespace.update(np=np, nnxp=nnxp)


@pytest.hookimpl(tryfirst=True)  # before ``-m`` selects
def pytest_collection_modifyitems(config, items):
    _mark_numerics(items)
    _thin_jax_crosses(items)


def _thin_jax_crosses(items):
    """A test marked ``one_jax_instance(parameter)`` crosses settings whose maths or harness is the same
    code on every backend (activations, penalties, depths, losses; a benchmark's sizes and dtypes): where
    ``parameter`` names JAX, whose eager operations each compile for each new shape (50–70 ms here),
    the first instance collected runs in the quick selection and the others are marked ``slow``, so CI
    still runs them all."""
    first_seen = set()
    for item in items:
        marker = item.get_closest_marker("one_jax_instance")
        if marker is None or not hasattr(item, "callspec"):
            continue
        value = item.callspec.params[marker.args[0]]
        name = getattr(value, "__name__", value)
        if "jax" in re.split(r"[-_]", str(name)):
            key = (item.function, str(name))
            if key in first_seen:
                item.add_marker(pytest.mark.slow)
            first_seen.add(key)


def _mark_numerics(items):
    modules = {}
    for item in items:
        path, _, name = item.nodeid.partition("::")
        if isinstance(item, DoctestItem) or name.partition("[")[0] in NUMERICS.get(path, ()):
            item.add_marker(pytest.mark.numerics)
        if path in NUMERICS:
            modules[path] = item.getparent(pytest.Module).obj
    # A renamed or removed test must not silently leave the selection.
    missing = [f"{path}::{name}" for path, module in modules.items() for name in NUMERICS[path]
               if not hasattr(module, name)]
    if missing:
        raise pytest.UsageError(f"conftest.py's NUMERICS names tests that do not exist: {missing}")
