"""Backends: the only module that knows NumPy and CuPy by name.

A *backend* is an array-API namespace (``xp``) plus a device. Users name one as
``"numpy"``, ``"cupy"``, ``"auto"`` or pass an array-API module
(``array_api_strict``, ``torch``, ``jax.numpy``); ``$NNXP_BACKEND`` sets the
default. ``"auto"`` takes CuPy only when it imports *and* a CUDA device answers,
otherwise NumPy; :func:`backend_info` says why.
"""

import ctypes
import functools
import importlib.metadata
import importlib.util
import numbers
import os
import sys
from dataclasses import dataclass

import array_api_compat
import numpy as np

BACKEND_NAMES = ("numpy", "cupy", "auto")


class BackendUnavailableError(RuntimeError):
    """The backend that was asked for cannot run on this machine; the message says why.

    Raised for ``backend="cupy"`` when CuPy is not installed, cannot be imported, or finds no
    CUDA driver or device (``"auto"`` falls back to NumPy instead).

    >>> try:
    ...     xp = nnxp.get_namespace("cupy")
    ... except nnxp.BackendUnavailableError:
    ...     xp = nnxp.get_namespace("numpy")
    >>> xp.__name__ in ("array_api_compat.cupy", "array_api_compat.numpy")
    True
    """


@dataclass(frozen=True)
class BackendInfo:
    """What ``"auto"`` picks here, and why."""

    auto: str
    cupy_usable: bool
    reason: str
    gpu_name: str | None = None


def namespace(*arrays):
    """The array-API namespace shared by ``arrays`` (Python scalars and None ignored).

    Raises TypeError when the arrays come from two libraries, ValueError when they
    live on two devices, naming what was seen. Arrays of any shape, e.g. ``X (n_x, m)``.

    >>> nnxp.namespace(np.ones((2, 3)), np.ones((1, 3)), 0.5).__name__
    'array_api_compat.numpy'
    """
    arrays = [a for a in arrays if a is not None and not isinstance(a, (int, float, bool))]
    try:
        xp = array_api_compat.array_namespace(*arrays)
    except TypeError as exc:
        seen = sorted({type(a).__module__.split(".")[0] + "." + type(a).__name__ for a in arrays})
        raise TypeError(
            f"arrays from different libraries were mixed: {', '.join(seen)}; "
            "move them to one backend first (nnxp.to_backend)"
        ) from exc
    devices = {str(array_api_compat.device(a)) for a in arrays}
    if len(devices) > 1:
        raise ValueError(
            f"arrays on different devices were mixed: {', '.join(sorted(devices))}; "
            "move them to one device first (nnxp.to_backend)"
        )
    return xp


NOT_INSTALLED = "CuPy is not installed (pip install 'nnxp[cuda12]' or 'nnxp[cuda13]')"


@functools.cache
def _cupy_status():
    """(usable, reason, gpu name): CuPy importable is not the same as a GPU present."""
    if importlib.util.find_spec("cupy") is None:
        return False, NOT_INSTALLED, None
    missing = _missing_cuda_driver()
    if missing:  # without importing CuPy: a second of every command on a machine without a GPU
        return False, f"CuPy {_cupy_version()} is installed but CUDA is not usable: {missing}", None
    try:
        import cupy
    except ImportError:
        return False, NOT_INSTALLED, None
    except Exception as exc:  # e.g. OSError: its kernel cache under an unwritable $HOME (CUPY_CACHE_DIR)
        return False, f"CuPy is installed but cannot be imported: {exc}", None
    try:
        count = cupy.cuda.runtime.getDeviceCount()
    except Exception as exc:  # CUDARuntimeError and friends: no driver, driver too old
        return False, f"CuPy {cupy.__version__} is installed but CUDA is not usable: {exc}", None
    if count == 0:
        return False, f"CuPy {cupy.__version__} is installed but no CUDA device was found", None
    props = cupy.cuda.runtime.getDeviceProperties(0)
    name = props["name"].decode() if isinstance(props["name"], bytes) else str(props["name"])
    return True, f"CuPy {cupy.__version__} with {count} CUDA device(s): {name}", name


def _missing_cuda_driver():
    """Why no CUDA driver can run here (Linux: ``libcuda.so.1`` does not load), or "" when one may."""
    if not sys.platform.startswith("linux"):
        return ""  # CuPy's own import and device query say
    try:
        ctypes.CDLL("libcuda.so.1")
    except OSError as exc:
        return f"no NVIDIA driver was found ({exc})"
    return ""


CUPY_DISTRIBUTIONS = ("cupy-cuda13x", "cupy-cuda12x", "cupy-cuda11x", "cupy", "cupy-rocm-6-0", "cupy-rocm-5-0")
"""The names CuPy is installed under (its wheels for each CUDA, or ROCm, and its source build)."""


def _cupy_version():
    """The installed CuPy's version, read from its distribution's metadata (one of :data:`CUPY_DISTRIBUTIONS`)."""
    for distribution in CUPY_DISTRIBUTIONS:
        try:
            return importlib.metadata.version(distribution)
        except importlib.metadata.PackageNotFoundError:
            continue
    return "(version unknown)"


def backend_info():
    """Report which backend ``"auto"`` would take on this machine and why.

    Returns a frozen dataclass with ``auto`` (``"cupy"`` or ``"numpy"``), ``cupy_usable``,
    ``reason`` and ``gpu_name`` (None without a GPU). Never raises: no CUDA at all is an answer.

    >>> info = nnxp.backend_info()
    >>> info.auto in ("numpy", "cupy"), info.cupy_usable == (info.auto == "cupy")
    (True, True)
    """
    usable, reason, name = _cupy_status()
    return BackendInfo(auto="cupy" if usable else "numpy", cupy_usable=usable, reason=reason, gpu_name=name)


def cuda_versions():
    """``"CuPy v: CUDA runtime x.y, driver x.y"``, or why CuPy says nothing."""
    try:
        import cupy
    except ImportError:
        return "CuPy: not installed"
    except Exception as exc:  # an unwritable kernel cache folder, ...
        return f"CuPy: cannot be imported ({exc})"

    def version(getter):
        try:
            number = getter()
        except Exception as exc:  # CUDARuntimeError and friends
            return f"unknown ({exc})"
        return f"{number // 1000}.{number % 1000 // 10}" if number else "none found"

    runtime = version(cupy.cuda.runtime.runtimeGetVersion)
    driver = version(cupy.cuda.runtime.driverGetVersion)
    return f"CuPy {cupy.__version__}: CUDA runtime {runtime}, driver {driver}"


def _named_namespace(name):
    if name == "numpy":
        return array_api_compat.array_namespace(np.empty(0))
    if name == "auto":
        return _named_namespace(backend_info().auto)
    usable, reason, _ = _cupy_status()
    if not usable:
        raise BackendUnavailableError(f"backend='cupy' cannot run here: {reason}")
    import cupy

    return array_api_compat.array_namespace(cupy.empty(0))


def default_backend():
    """``$NNXP_BACKEND`` when set, else ``"numpy"``."""
    return os.environ.get("NNXP_BACKEND", "numpy")


def get_namespace(backend=None):
    """The array-API namespace for ``backend``.

    ``backend``: None (``$NNXP_BACKEND``, else NumPy), ``"numpy"``, ``"cupy"``,
    ``"auto"``, or a module implementing the array API (``array_api_strict``,
    ``torch``, ``jax.numpy``; wrapped by array-api-compat where needed).
    Raises ValueError for another name, TypeError for an object that is no array-API
    module, :class:`BackendUnavailableError` for ``"cupy"`` where CuPy cannot run.

    >>> xp = nnxp.get_namespace("numpy")
    >>> xp.zeros((2, 3), dtype=xp.float32).shape
    (2, 3)
    """
    if backend is None:
        backend = default_backend()
    if isinstance(backend, str):
        if backend not in BACKEND_NAMES:
            raise ValueError(
                f"backend must be one of {BACKEND_NAMES} or an array-API module, got {backend!r}"
            )
        return _named_namespace(backend)
    if not hasattr(backend, "asarray"):
        raise TypeError(f"backend must be a name or an array-API module, got {type(backend).__name__}")
    return array_api_compat.array_namespace(backend.asarray(0.0))


def resolve_device(xp, device):
    """A device object of ``xp`` for ``device`` (None: the namespace's default).

    Strings are resolved by the library where it knows them (``"device1"`` for
    array-api-strict, ``"cuda:0"`` for torch); an int picks a CuPy GPU.
    """
    if device is None or not isinstance(device, (str, int)):
        return device
    if array_api_compat.is_array_api_strict_namespace(xp):
        return xp.Device(device)
    if array_api_compat.is_cupy_namespace(xp):
        import cupy

        return cupy.cuda.Device(int(str(device).split(":")[-1]))
    if array_api_compat.is_torch_namespace(xp):
        import torch

        return torch.device(device)
    return device


def host_rng(seed):
    """The host's NumPy random generator for ``seed``: ``numpy.random.default_rng(seed)`` for an
    int (or a tuple of ints), ``seed`` itself for a ``numpy.random.Generator`` or a legacy
    ``numpy.random.RandomState``. Random numbers are drawn here, then moved to a device."""
    if isinstance(seed, (np.random.Generator, np.random.RandomState)):
        return seed
    ints = seed if isinstance(seed, tuple) else (seed,)
    if not all(isinstance(i, numbers.Integral) and not isinstance(i, bool) for i in ints):
        raise TypeError(
            f"seed must be an int, a numpy.random.Generator or a numpy.random.RandomState, got {seed!r}"
        )
    if min(ints) < 0:
        raise ValueError(f"seed must be a non-negative int, got {seed!r}")
    return np.random.default_rng(seed)


EPOCH_SEED_STRIDE = 0x9E3779B9  # 2^32 / golden ratio: epochs' seeds far apart for nearby model seeds


def epoch_seed(seed, epoch):
    """The 32-bit seed of epoch ``epoch``'s random masks: ``(seed + epoch * 0x9E3779B9) mod 2^32``.

    Epoch 0 uses ``seed`` itself (mod 2^32), so NumPy's first epoch draws what the course's
    ``np.random.seed(seed); np.random.rand(...)`` draws.
    """
    return (seed + epoch * EPOCH_SEED_STRIDE) % 2**32


def uniform_source(xp, device, seed):
    """``draw(shape, dtype)``: arrays of ``xp`` on ``device`` uniform in [0, 1), from one generator
    seeded with the 32-bit ``seed``; successive calls continue its stream.

    The backend's own generator where it has one, so nothing crosses the bus: torch's
    ``Generator``, CuPy's Philox ``RandomState``, JAX keys (split once per draw). Elsewhere
    (NumPy, array-api-strict) the host's legacy ``numpy.random.RandomState(seed).rand``, moved to
    ``device``: on NumPy that is the course's ``np.random.rand``.
    """
    if array_api_compat.is_torch_namespace(xp):
        import torch

        generator = torch.Generator(device=device if device is not None else "cpu").manual_seed(seed)
        return lambda shape, dtype: torch.rand(shape, generator=generator, dtype=dtype, device=device)
    if array_api_compat.is_cupy_namespace(xp):
        import cupy

        with device:  # a cupy.cuda.Device: the generator and its draws live on the data's GPU
            generator = cupy.random.RandomState(seed, method=cupy.cuda.curand.CURAND_RNG_PSEUDO_PHILOX4_32_10)

        def draw_cupy(shape, dtype):
            with device:
                return generator.random_sample(shape, dtype=dtype)

        return draw_cupy
    if array_api_compat.is_jax_namespace(xp):
        import jax

        keys = [jax.random.PRNGKey(seed)]

        def draw_jax(shape, dtype):
            keys[0], key = jax.random.split(keys[0])
            return jax.random.uniform(key, shape, dtype=dtype)

        return draw_jax
    generator = np.random.RandomState(seed)
    return lambda shape, dtype: xp.asarray(generator.rand(*shape), dtype=dtype, device=device)


def as_array(value, name):
    """``value`` if it is an array of an array-API library, else a NumPy array of it."""
    if array_api_compat.is_array_api_obj(value):
        return value
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be an array of numbers, got {type(value).__name__} ({exc})") from None
    if array.dtype == object:  # a generator, a set, ragged lists: nothing NumPy reads as numbers
        raise TypeError(f"{name} must be an array of numbers, got {type(value).__name__} "
                        f"(NumPy reads it as objects{'' if array.ndim else ', not a sequence'})")
    return array


def column_major(X):
    """Whether the 2-D array ``X`` keeps each column together in memory and not each row (a row-major
    table's ``X.T``, what the scikit-learn estimators pass): NumPy and CuPy by their flags, torch by
    its strides; False for libraries that do not say (JAX, array-api-strict)."""
    flags = getattr(X, "flags", None)
    if flags is not None and hasattr(flags, "f_contiguous"):  # NumPy, CuPy (array-api-strict has none)
        return bool(flags.f_contiguous and not flags.c_contiguous)
    if array_api_compat.is_torch_array(X) and X.ndim == 2:
        return bool(X.T.is_contiguous() and not X.is_contiguous())
    return False


def floating_point_quiet():
    """A context in which NumPy's overflow and invalid-value warnings are not raised: training's
    divergence guard reports what they would, once, with advice (other libraries warn not at all)."""
    return np.errstate(over="ignore", invalid="ignore", divide="ignore")


def is_out_of_memory(exc):
    """Whether ``exc`` is a library's out-of-memory error (NumPy and CuPy raise MemoryError
    subclasses, torch ``OutOfMemoryError``, JAX/XLA ``RESOURCE_EXHAUSTED``)."""
    return (
        isinstance(exc, MemoryError)
        or type(exc).__name__ == "OutOfMemoryError"
        or "RESOURCE_EXHAUSTED" in str(exc)
    )


def to_numpy(x):
    """A NumPy copy (or view) of array ``x`` from any backend, on the host.

    Any shape, e.g. ``AL (n[L], m)``; the dtype is kept (float32 stays float32). The one
    place a GPU's data comes back: call it at the edges (saving, printing, plotting).

    >>> nnxp.to_numpy(nnxp.to_backend(np.ones((2, 3)), "numpy")).shape
    (2, 3)
    """
    if isinstance(x, np.ndarray):
        return x
    if array_api_compat.is_cupy_array(x):
        return x.get()
    if array_api_compat.is_torch_array(x):
        return x.detach().cpu().numpy()
    if array_api_compat.is_array_api_strict_namespace(array_api_compat.array_namespace(x)):
        import array_api_strict

        x = x.to_device(array_api_strict.Device("CPU_DEVICE"))
    return np.asarray(x)


def to_backend(x, backend=None, device=None, dtype=None):
    """Move array ``x`` to ``backend``/``device`` (one host round trip at most).

    Any shape, e.g. ``X (n_x, m)``, kept. ``dtype`` (a NumPy dtype or name) optionally casts on
    the host first; else the dtype is kept. ``backend`` as for :func:`get_namespace` (its errors).

    >>> nnxp.to_backend(np.ones((2, 3)), "numpy", dtype="float32").dtype
    dtype('float32')
    """
    xp = get_namespace(backend)
    host = to_numpy(x) if dtype is None else np.asarray(to_numpy(x), dtype=dtype)
    return xp.asarray(host, device=resolve_device(xp, device))


def dtype_name(dtype):
    """``"float32"`` or ``"float64"`` for a name, a NumPy dtype or any library's float dtype."""
    try:
        name = np.dtype(dtype).name
    except TypeError:  # torch.float32, array_api_strict.float64, ...
        name = str(dtype).rsplit(".", 1)[-1]
    if name not in ("float32", "float64"):
        raise ValueError(f"dtype must be float32 or float64, got {dtype!r}")
    return name


def dtype_of(xp, dtype):
    """The ``xp`` dtype for ``dtype`` (see :func:`dtype_name`)."""
    return getattr(xp, dtype_name(dtype))
