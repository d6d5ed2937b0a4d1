"""nnxp: the neural networks of deep learning's first course, written once against the array API.

Course notation throughout: ``X (n_x, m)`` with samples as columns, ``Y (n[L], m)``
(``(1, m)`` for binary labels or class indices), ``W{l} (n[l], n[l-1])``, ``b{l} (n[l], 1)``.
The same kernels run on NumPy, CuPy, array-api-strict, PyTorch and JAX arrays; the output
layer and its cost are a loss of :data:`LOSSES` (binary and categorical cross-entropy,
squared error).
"""

import array_api_compat

from . import _moved
from ._version import __version__  # pyproject.toml reads it from nnxp._version

from .core.activations import ACTIVATIONS
from .core.backend import (
    BackendUnavailableError,
    backend_info,
    get_namespace,
    namespace,
    to_backend,
    to_numpy,
)
from .model.checkpoint import CheckpointError
from .gradcheck import gradient_check
from .core.initialization import initialize_parameters
from .core.kernels import (
    compute_cost,
    compute_cost_from_logits,
    linear_activation_backward,
    linear_activation_forward,
    linear_backward,
    linear_forward,
    model_backward,
    model_forward,
    softmax,
    update_parameters,
)
from .core.losses import LOSSES, one_hot
from .model.loading import load
from .model.network import NeuralNetwork
from .training.batches import random_mini_batches
from .core.penalties import add_l2_gradients, l2_cost
from .core.optimizers import (
    OPTIMIZERS,
    Adam,
    GradientDescent,
    Momentum,
    RMSprop,
    initialize_adam,
    initialize_velocity,
    schedule_lr_decay,
    update_lr,
    update_parameters_with_adam,
    update_parameters_with_momentum,
)
from .model.engines import register_engine
from .model.grid_search import search
from .training.loop import DeviceMemoryError, TrainingDivergedError


def _dask_engine():
    """The engine of Dask arrays, imported when the first ones arrive (Dask is an optional extra)."""
    from .dask import runner

    return runner.ENGINE


register_engine(array_api_compat.is_dask_array, _dask_engine)  # the package wires its edges in: the model imports none
_moved.install()  # nnxp 0.1's module paths (nnxp.kernels, ...) still import, with a DeprecationWarning

__all__ = [
    "ACTIVATIONS",
    "Adam",
    "BackendUnavailableError",
    "CheckpointError",
    "DeviceMemoryError",
    "GradientDescent",
    "LOSSES",
    "Momentum",
    "NeuralNetwork",
    "OPTIMIZERS",
    "RMSprop",
    "TrainingDivergedError",
    "add_l2_gradients",
    "backend_info",
    "compute_cost",
    "compute_cost_from_logits",
    "get_namespace",
    "gradient_check",
    "initialize_adam",
    "initialize_parameters",
    "initialize_velocity",
    "l2_cost",
    "linear_activation_backward",
    "linear_activation_forward",
    "linear_backward",
    "linear_forward",
    "load",
    "model_backward",
    "model_forward",
    "namespace",
    "one_hot",
    "random_mini_batches",
    "schedule_lr_decay",
    "search",
    "softmax",
    "to_backend",
    "to_numpy",
    "update_lr",
    "update_parameters",
    "update_parameters_with_adam",
    "update_parameters_with_momentum",
]
