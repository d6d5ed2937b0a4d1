"""What machine and software a benchmark process ran on: recorded into every JSON it writes."""

import importlib.metadata
import os
import platform
import re
import sys

import numpy as np

import nnxp

from .config import IMPL, THREADS

PACKAGES = ["nnxp", "numpy", "array-api-compat", "torch", "jax", "jaxlib", "cupy-cuda12x",
            "cupy-cuda13x", "scikit-learn", "pytest-benchmark"]
THREAD_VARIABLES = ["OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                    "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"]


def cpu_model():
    """The CPU's model name from /proc/cpuinfo (Linux), else what ``platform`` knows."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def versions():
    """Installed versions of the libraries that matter, by distribution name."""
    found = {}
    for name in PACKAGES:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            pass
    return found


def blas():
    """The BLAS/OpenMP libraries loaded in this process (threadpoolctl), and NumPy's build BLAS."""
    try:
        from threadpoolctl import threadpool_info
        loaded = [{k: lib.get(k) for k in ("internal_api", "version", "architecture", "num_threads", "filepath")}
                  for lib in threadpool_info()]
    except ImportError:
        loaded = "threadpoolctl is not installed"
    build = np.show_config(mode="dicts").get("Build Dependencies", {}).get("blas", {})
    found = {"loaded": loaded, "numpy_build": {k: build.get(k) for k in ("name", "version")}}
    if "torch" in sys.modules:  # torch links its BLAS statically: threadpoolctl cannot see it
        torch = sys.modules["torch"]
        blas_info = re.search(r"BLAS_INFO=(\w+)", torch.__config__.show())
        found["torch"] = {"blas": blas_info and blas_info.group(1), "threads": torch.get_num_threads()}
    return found


def gpu():
    """The CUDA device's name, or why there is none."""
    info = nnxp.backend_info()
    return info.gpu_name or f"none ({info.reason})"


def machine_details():
    """Everything above plus the implementation, the pinned threads, the thread variables and the
    load average when the session ended (above the thread count: other jobs were running)."""
    return {
        "impl": IMPL, "threads": THREADS, "cpu_model": cpu_model(), "cores": os.cpu_count(),
        "load_average": os.getloadavg(),
        "platform": platform.platform(), "gpu": gpu(), "blas": blas(), "versions": versions(),
        "environment": {name: os.environ.get(name) for name in THREAD_VARIABLES},
    }
