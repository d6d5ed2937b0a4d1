"""The backend matrix: every kernel test runs on every array library available here.

NumPy and array-api-strict (its CPU device and ``device1``, which refuses silent
host copies) always; PyTorch and JAX (64-bit) when installed; CuPy only when a
CUDA device is usable (marker ``gpu``). ``NNXP_TEST_BACKENDS=numpy,torch`` limits
the matrix.
"""

import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path

# scikit-learn's array-API estimator checks (tests/test_sklearn.py) need SciPy's array-API mode,
# which is read once when SciPy is first imported: before anything imports it.
os.environ.setdefault("SCIPY_ARRAY_API", "1")

import array_api_compat
import numpy as np
import pytest

import nnxp
from nnxp.core.backend import backend_info

CAT_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "catvnoncat"


@dataclass(frozen=True)
class Backend:
    """An array library and device under test, with helpers to make and check arrays."""

    name: str
    xp: object
    device: object = None

    def asarray(self, values, dtype="float64"):
        """Host values -> an array of this backend (drawn on the host, moved once)."""
        host = np.asarray(values, dtype=dtype)
        return self.xp.asarray(host, dtype=getattr(self.xp, dtype), device=self.device)

    def check(self, array, dtype="float64"):
        """Assert ``array`` is this backend's, on its device, of ``dtype``; return it on the host."""
        assert array_api_compat.array_namespace(array) is self.xp, f"{type(array)} is not {self.name}"
        assert array.dtype == getattr(self.xp, dtype), f"dtype {array.dtype}, expected {dtype}"
        if self.device is not None:
            assert array_api_compat.device(array) == self.device
        return nnxp.to_numpy(array)


def _strict(device_name):
    import array_api_strict

    return Backend(f"strict-{device_name}", array_api_strict, array_api_strict.Device(device_name))


def _torch():
    import torch

    return Backend("torch", array_api_compat.array_namespace(torch.empty(0)))


def _jax():
    import jax

    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp

    return Backend("jax", jnp)


def _cupy():
    import cupy

    return Backend("cupy", array_api_compat.array_namespace(cupy.empty(0)))


def _installed(module):
    return importlib.util.find_spec(module) is not None


def _backend_params():
    gpu_skip = pytest.mark.skipif(not backend_info().cupy_usable, reason=backend_info().reason)
    candidates = [
        ("numpy", lambda: Backend("numpy", array_api_compat.array_namespace(np.empty(0))), []),
        ("strict-CPU_DEVICE", lambda: _strict("CPU_DEVICE"), []),
        ("strict-device1", lambda: _strict("device1"), []),
        ("torch", _torch, [pytest.mark.skipif(not _installed("torch"), reason="torch is not installed")]),
        ("jax", _jax, [pytest.mark.skipif(not _installed("jax"), reason="jax is not installed")]),
        ("cupy", _cupy, [pytest.mark.gpu, gpu_skip]),
    ]
    wanted = os.environ.get("NNXP_TEST_BACKENDS")
    if wanted:
        candidates = [c for c in candidates if c[0] in wanted.split(",")]
    return [pytest.param(make, id=name, marks=marks) for name, make, marks in candidates]


@pytest.fixture(params=_backend_params())
def backend(request):
    """One available array library (and device) per test instance."""
    return request.param()


@pytest.fixture(autouse=True)
def _no_backend_env(monkeypatch):
    """Tests choose backends explicitly; a developer's ``$NNXP_BACKEND`` must not leak in."""
    monkeypatch.delenv("NNXP_BACKEND", raising=False)


@pytest.fixture(scope="session")
def cat_dir():
    """The course's cat/non-cat files, when the shared data folder is beside the project."""
    if not (CAT_DIR / "train_catvnoncat.h5").is_file():
        pytest.skip(f"cat/non-cat data not found in {CAT_DIR}")
    return CAT_DIR
