"""The backend shim: namespace lookup, backend choice, moves between libraries, GPU fallback."""

import subprocess
import sys

import array_api_strict
import numpy as np
import pytest

import nnxp
from nnxp.core import backend as backend_module


def test_namespace_of_mixed_libraries_is_a_type_error():
    with pytest.raises(TypeError, match="different libraries.*array_api_strict.*numpy"):
        nnxp.namespace(np.ones(2), array_api_strict.ones(2))


def test_namespace_of_mixed_devices_is_a_value_error():
    a = array_api_strict.ones(2)
    b = array_api_strict.ones(2, device=array_api_strict.Device("device1"))
    with pytest.raises(ValueError, match="different devices.*CPU_DEVICE.*device1"):
        nnxp.namespace(a, b)


def test_mixed_libraries_in_a_kernel_are_refused():
    with pytest.raises(TypeError, match="different libraries"):
        nnxp.linear_forward(np.ones((2, 3)), array_api_strict.ones((1, 2)), np.zeros((1, 1)))


def test_round_trip_through_every_backend(backend):
    host = np.arange(6.0).reshape(2, 3)
    moved = nnxp.to_backend(host, backend.xp, backend.device)
    np.testing.assert_array_equal(backend.check(moved), host)
    np.testing.assert_array_equal(nnxp.to_numpy(moved), host)


def test_to_backend_casts_on_the_host():
    moved = nnxp.to_backend(np.arange(3), "numpy", dtype="float32")
    assert moved.dtype == np.float32


@pytest.mark.parametrize("name", ["numpy", "auto"])
def test_named_backends_without_a_gpu(name, monkeypatch):
    monkeypatch.setattr(backend_module, "_cupy_status", lambda: (False, "no GPU here", None))
    xp = nnxp.get_namespace(name)
    assert xp.__name__.endswith("numpy")


def test_cupy_unavailable_says_why(monkeypatch):
    monkeypatch.setattr(backend_module, "_cupy_status", lambda: (False, "CuPy is not installed (pip install ...)", None))
    with pytest.raises(nnxp.BackendUnavailableError, match="backend='cupy' cannot run here: CuPy is not installed"):
        nnxp.get_namespace("cupy")
    info = nnxp.backend_info()
    assert (info.auto, info.cupy_usable) == ("numpy", False)
    assert "not installed" in info.reason


def test_backend_info_on_this_machine_is_consistent():
    info = nnxp.backend_info()
    assert info.auto == ("cupy" if info.cupy_usable else "numpy")
    assert info.reason


def test_env_variable_sets_the_default(monkeypatch):
    monkeypatch.setenv("NNXP_BACKEND", "tpu")
    with pytest.raises(ValueError, match="backend must be one of .*'tpu'"):
        nnxp.initialize_parameters([2, 1])
    monkeypatch.setenv("NNXP_BACKEND", "numpy")
    assert isinstance(nnxp.initialize_parameters([2, 1])["W1"], np.ndarray)


def test_a_module_is_a_backend():
    params = nnxp.initialize_parameters([2, 1], backend=array_api_strict, device="device1")
    assert params["W1"].device == array_api_strict.Device("device1")


def test_import_works_without_any_cuda():
    """``import nnxp`` must not touch CUDA: nothing GPU-related runs at import time."""
    code = "import sys, nnxp; assert 'cupy' not in sys.modules, 'cupy imported at import time'"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_import_stays_light():
    """``import nnxp`` loads none of the optional libraries: Dask, CuPy, torch, JAX, pandas, scikit-learn."""
    heavy = ["dask", "distributed", "cupy", "torch", "jax", "pandas", "sklearn", "zarr", "matplotlib"]
    code = f"import sys, nnxp; print([name for name in {heavy!r} if name in sys.modules])"
    assert subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout == "[]\n"
