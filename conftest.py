"""Doctests: every ``>>>`` example in nnxp's docstrings and in the docs' ``.rst`` pages runs with the
quick suite (``--doctest-modules --doctest-glob='*.rst'`` in pyproject.toml), with ``np`` and
``nnxp`` imported, as the docs say. The course tutorial's scripts run in the Sphinx build instead."""

import numpy as np
import pytest

import nnxp

collect_ignore = ["nnxp/__main__.py", "docs/conf.py"]
collect_ignore_glob = ["docs/tutorial/*", "docs/_build/*", "docs/course/*"]


@pytest.fixture(autouse=True)
def _doctest_names(doctest_namespace):
    doctest_namespace.update(np=np, nnxp=nnxp)
