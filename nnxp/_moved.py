"""Module paths of nnxp 0.1, moved into the rings' packages in 0.2: still importable, with a DeprecationWarning.

``import nnxp.kernels`` gives the module object of ``nnxp.core.kernels`` itself (not a copy), so
monkeypatching and pickles made under an old path keep working. One table, one import hook.
The old ``nnxp.search`` module is not kept: its name is the :func:`nnxp.search` function's.
"""

import importlib
import importlib.abc
import importlib.util
import sys
import warnings

MOVED = {
    "nnxp.activations": "nnxp.core.activations",
    "nnxp.backend": "nnxp.core.backend",
    "nnxp.compilers": "nnxp.core.compilers",
    "nnxp.dropout": "nnxp.core.dropout",
    "nnxp.init": "nnxp.core.initialization",
    "nnxp.kernels": "nnxp.core.kernels",
    "nnxp.losses": "nnxp.core.losses",
    "nnxp.losses_targets": "nnxp.core.targets",
    "nnxp.optimizers": "nnxp.core.optimizers",
    "nnxp.penalties": "nnxp.core.penalties",
    "nnxp.step": "nnxp.core.step",
    "nnxp.validation": "nnxp.core.checks",
    "nnxp.config": "nnxp.training.config",
    "nnxp.optim": "nnxp.training.batches",
    "nnxp.checkpoint": "nnxp.model.checkpoint",
    "nnxp.inputs": "nnxp.model.inputs",
    "nnxp.loading": "nnxp.model.loading",
    "nnxp.model_engines": "nnxp.model.engines",
    "nnxp.npz": "nnxp.model.npz",
    "nnxp.preprocessing": "nnxp.model.preprocessing",
    "nnxp.datasets": "nnxp.data.datasets",
    "nnxp.splits": "nnxp.data.splits",
    "nnxp.tabular": "nnxp.data.tables",
    "nnxp.tabular_dask": "nnxp.data.out_of_core",
    "nnxp.distributed": "nnxp.dask.runner",
    "nnxp.distributed_chunks": "nnxp.dask.chunks",
    "nnxp.sklearn_base": "nnxp.sklearn.base",
    "nnxp.plots": "nnxp.cli.plots",
}
"""Old module path -> new one. ``nnxp.model`` and ``nnxp.training`` are packages now, whose old
names :func:`forward` serves (``from nnxp.model import NeuralNetwork`` still works)."""


def _warn(old, new):
    # stacklevel 3 (this function, the hook, then the importer): warnings skips importlib's own
    # frames, so the warning names the line that imported the old path
    warnings.warn(f"{old} moved to {new} in nnxp 0.2; import it from there", DeprecationWarning, stacklevel=3)


class _Alias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds an old path of :data:`MOVED` and loads it as the new module."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname not in MOVED:
            return None
        return importlib.util.spec_from_loader(fullname, self)

    def create_module(self, spec):
        new = MOVED[spec.name]
        _warn(spec.name, new)
        return importlib.import_module(new)

    def exec_module(self, module):
        """The new module ran when it was imported; importlib gave it the old path's spec, taken back."""
        module.__spec__ = importlib.util.spec_from_file_location(module.__name__, module.__file__)


def install():
    """Put the alias hook on ``sys.meta_path`` once (``import nnxp`` does)."""
    if not any(isinstance(f, _Alias) for f in sys.meta_path):
        sys.meta_path.append(_Alias())


def forward(package, old_module):
    """A package's module ``__getattr__`` serving the names its module of the same path had in 0.1
    (``nnxp.model.NeuralNetwork`` from ``nnxp.model.network``), with a DeprecationWarning."""

    def __getattr__(name):
        module = importlib.import_module(old_module)
        if name.startswith("__") or not hasattr(module, name):
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        warnings.warn(f"{package}.{name} moved to {old_module}.{name} in nnxp 0.2; import it from there",
                      DeprecationWarning, stacklevel=2)
        return getattr(module, name)

    return __getattr__
