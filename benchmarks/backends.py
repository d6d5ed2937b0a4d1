"""The array libraries a benchmark can run on, with the one thing timing needs from each: a sync.

GPU work and JAX dispatch are asynchronous: a timed call must wait for the device
(``sync(result)``) or it measures only the launch. Data is moved to the device
before timing, so transfers are never counted.
"""

import functools
import importlib.util
from dataclasses import dataclass
from typing import Callable

import array_api_compat
import numpy as np
import pytest

import nnxp

from .config import THREADS

INSTALL_HINT = {"torch": "pip install 'nnxp[torch]'", "jax": "pip install 'nnxp[jax]'",
                "sklearn": "pip install scikit-learn"}


def _no_sync(result):
    return result


@dataclass(frozen=True)
class Backend:
    """An array-API namespace ``xp`` on ``device``; ``sync(result)`` waits until result is computed."""

    name: str
    xp: object
    device: object = None
    sync: Callable = _no_sync

    def asarray(self, host, dtype):
        """A host NumPy array -> this backend's array of ``dtype`` ("float32"/"float64") on its device."""
        return self.xp.asarray(np.asarray(host), dtype=getattr(self.xp, dtype), device=self.device)


def require(module):
    """Import ``module`` or skip the test, saying how to install it."""
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed ({INSTALL_HINT.get(module, 'pip install ' + module)})")
    return importlib.import_module(module)


@functools.cache
def import_torch():
    torch = require("torch")
    torch.set_num_threads(THREADS)
    return torch


def _torch_backend(device):
    torch = import_torch()
    if device == "cuda" and not torch.cuda.is_available():
        pytest.skip("torch has no usable CUDA device here")
    sync = (lambda r: (torch.cuda.synchronize(), r)[1]) if device == "cuda" else _no_sync
    return Backend(f"torch-{device}", array_api_compat.array_namespace(torch.empty(0)), torch.device(device), sync)


def _jax_backend():
    jax = require("jax")
    jax.config.update("jax_enable_x64", True)  # float64 means float64
    return Backend("jax", array_api_compat.array_namespace(jax.numpy.empty(0)), None, jax.block_until_ready)


def _cupy_backend():
    info = nnxp.backend_info()
    if not info.cupy_usable:
        pytest.skip(info.reason)
    import cupy

    def sync(result):
        cupy.cuda.get_current_stream().synchronize()
        return result

    return Backend("cupy", nnxp.get_namespace("cupy"), None, sync)


def get_backend(name):
    """``"numpy"``, ``"torch"`` (CPU), ``"torch-cuda"``, ``"jax"`` or ``"cupy"``; skips when unusable."""
    if name == "numpy":
        return Backend("numpy", nnxp.get_namespace("numpy"))
    if name in ("torch", "torch-cuda"):
        return _torch_backend("cuda" if name == "torch-cuda" else "cpu")
    if name == "jax":
        return _jax_backend()
    if name == "cupy":
        return _cupy_backend()
    raise ValueError(f"unknown backend {name!r}")


VECTORIZED_BACKENDS = ["numpy", "torch", "jax", "cupy"]
