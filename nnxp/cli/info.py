"""``nnxp info``: versions, which backends are usable here, and the GPU."""

import importlib.metadata
import platform

import numpy as np

from .._version import __version__
from ..core import backend

ARRAY_API_PEERS = {"array_api_strict": "array-api-strict", "torch": "torch", "jax": "jax"}
"""Array-API libraries nnxp runs on from Python (``backend=module``): module -> distribution."""


def _module_status(distribution):
    """Whether an array-API library is installed, read from its metadata (no slow import)."""
    try:
        return f"installed ({importlib.metadata.version(distribution)}): pass the module as backend="
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def info(args):
    """Versions, which backends are usable here (and why not), and the GPU."""
    status = backend.backend_info()
    print(f"nnxp {__version__}, Python {platform.python_version()}, NumPy {np.__version__}")
    print(backend.cuda_versions())
    print(f"GPU: {status.gpu_name or 'none usable'}")
    print(f"auto backend: {status.auto}")
    print("backends:")
    print(f"  {'numpy':<17} usable")
    print(f"  {'cupy':<17} {'usable' if status.cupy_usable else 'not usable'}: {status.reason}")
    for module, distribution in ARRAY_API_PEERS.items():
        print(f"  {module:<17} {_module_status(distribution)}")
    return 0


def add_info(commands):
    """The ``info`` subcommand (no options)."""
    commands.add_parser("info", help="versions and backend availability")
