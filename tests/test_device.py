"""GPU behaviour, proven on the CPU through array-api-strict's device1, and on CuPy when present."""

import importlib.util
import subprocess
import sys

import array_api_strict
import numpy as np
import pytest
from oracles import problem

import nnxp
from nnxp.core import backend as backend_module

DEVICE1 = array_api_strict.Device("device1")


@pytest.fixture
def host_reads(monkeypatch):
    """Count every read of a device1 value back to the host (float(), bool(), int())."""
    counts = {"float": 0, "bool": 0, "int": 0}
    Array = type(array_api_strict.asarray(0.0))
    for kind in counts:
        original = getattr(Array, f"__{kind}__")

        def counted(self, _original=original, _kind=kind):
            if self.device == DEVICE1:
                counts[_kind] += 1
            return _original(self)

        monkeypatch.setattr(Array, f"__{kind}__", counted)
    return counts


def _data(loss="binary_cross_entropy", m=40, n_L=None):
    """problem's X, Y on device1."""
    return tuple(array_api_strict.asarray(a, device=DEVICE1) for a in problem(loss, m=m, n_L=n_L))


@pytest.mark.parametrize("batch_size", [None, 16])
def test_fit_reads_back_only_the_logged_costs(host_reads, batch_size):
    X, Y = _data()
    reads = []
    for iterations in (20, 40):
        host_reads.update(float=0, bool=0, int=0)
        model = nnxp.NeuralNetwork([3, 4, 1], num_iterations=iterations, cost_every=5, batch_size=batch_size).fit(X, Y)
        # the final parameters' cost (the divergence guard), and with mini-batches its scale, once per fit
        guard = 1 + (batch_size is not None)
        assert host_reads["float"] == len(model.costs_) + guard == iterations // 5 + guard
        reads.append(dict(host_reads))
    # The other reads (the input checks, once) do not grow with the iterations.
    assert reads[0]["bool"] == reads[1]["bool"] and reads[0]["int"] == reads[1]["int"] == 0
    assert model.parameters_["W1"].device == DEVICE1 and model.velocities_ == {}


@pytest.mark.parametrize("loss, n_L", [("categorical_cross_entropy", 3), ("mse", 2)])  # class indices; real values
def test_every_loss_reads_back_only_the_logged_costs(host_reads, loss, n_L):
    X1, Y1 = _data(loss, n_L=n_L)
    reads = []
    for iterations in (20, 40):
        host_reads.update(float=0, bool=0, int=0)
        model = nnxp.NeuralNetwork([3, 4, n_L], loss=loss, num_iterations=iterations, cost_every=5)
        model.fit(X1, Y1, validation_data=(X1, Y1))
        # each logged epoch's cost, validation cost and score; the final parameters' cost (the guard)
        assert host_reads["float"] == 3 * len(model.costs_) + 1 == 3 * iterations // 5 + 1
        reads.append(dict(host_reads))
    assert reads[0]["bool"] == reads[1]["bool"] and reads[0]["int"] == reads[1]["int"] == 0
    assert model.parameters_["W2"].device == DEVICE1 and model.predict(X1).device == DEVICE1


def test_no_hidden_host_copies_on_device1():
    """device1 refuses conversion to NumPy: a fit that silently copied to the host would fail."""
    X, Y = _data()
    with pytest.raises(RuntimeError, match="Can't convert"):
        np.asarray(X)
    model = nnxp.NeuralNetwork([3, 4, 1], num_iterations=30, momentum=0.9, l2=0.1, batch_size=8, cost_every=10)
    model.fit(X, Y, validation_data=_data(m=12))
    for value in [*model.parameters_.values(), *model.velocities_.values(), model.predict(X)]:
        assert value.device == DEVICE1
    assert nnxp.to_numpy(model.predict_proba(X)).shape == (1, 40)


def test_cupy_installed_without_a_gpu_falls_back_to_numpy():
    """CI installs CuPy on a machine with no GPU: auto must pick NumPy and say why."""
    pytest.importorskip("cupy")
    info = nnxp.backend_info()
    if info.cupy_usable:
        pytest.skip("a GPU is usable here")
    assert info.auto == "numpy" and "CuPy" in info.reason and "installed" in info.reason
    with pytest.raises(nnxp.BackendUnavailableError, match="backend='cupy' cannot run here: CuPy .* is installed but"):
        nnxp.get_namespace("cupy")
    X, Y = np.ones((2, 4)), np.array([[0.0, 1.0, 0.0, 1.0]])
    model = nnxp.NeuralNetwork([2, 1], num_iterations=2, backend="auto").fit(X, Y)
    assert isinstance(model.parameters_["W1"], np.ndarray)


@pytest.mark.gpu
def test_training_on_the_gpu_stays_on_the_gpu_in_float32():
    if not nnxp.backend_info().cupy_usable:
        pytest.skip(nnxp.backend_info().reason)
    import cupy

    rng = np.random.default_rng(0)
    X = rng.standard_normal((5, 300)).astype(np.float32)
    Y = (X[0:1] > 0).astype(np.float32)
    model = nnxp.NeuralNetwork([5, 8, 1], num_iterations=200, learning_rate=0.5, backend="cupy").fit(X, Y)
    for value in model.parameters_.values():
        assert isinstance(value, cupy.ndarray) and value.dtype == cupy.float32
    reference = nnxp.NeuralNetwork([5, 8, 1], num_iterations=200, learning_rate=0.5).fit(X, Y)
    np.testing.assert_allclose(model.costs_, reference.costs_, rtol=1e-4)
    assert model.score(X, Y) == pytest.approx(reference.score(X, Y), abs=0.01)


def test_no_cuda_driver_is_answered_without_importing_cupy():
    """CuPy installed, no NVIDIA driver (CI): "auto" says why without importing CuPy
    (about a second, in every command)."""
    if importlib.util.find_spec("cupy") is None:
        pytest.skip("CuPy is not installed")
    if not backend_module._missing_cuda_driver():
        pytest.skip("an NVIDIA driver loads here")
    code = "import sys, nnxp; print(nnxp.backend_info().reason); print('cupy' in sys.modules)"
    reason, imported = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                      check=True).stdout.splitlines()
    import cupy

    assert imported == "False"
    assert reason.startswith(f"CuPy {cupy.__version__} is installed but CUDA is not usable: no NVIDIA driver was found")
    assert "libcuda.so.1" in reason
