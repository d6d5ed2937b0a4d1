"""Checkpoints: a fitted ``NeuralNetwork`` as one ``.npz`` file, and back.

The file holds plain arrays only: ``W1, b1, ...``, the momentum velocities as
``velocity_dW1, velocity_db1, ...`` (when momentum is used), the float64
histories ``costs``, ``validation_costs`` and ``validation_accuracies``, and
``metadata``, a 0-d unicode array of JSON (format version, nnxp version,
constructor config, layer dims, activations, dtype, iterations done, the
mini-batch shuffle seed). It is
written atomically and read with ``allow_pickle=False``: loading never
unpickles anything, and a file that is truncated, holds object arrays or
disagrees with its own metadata is refused with :class:`CheckpointError`.
Arrays are stored on the host, so a model trained on one backend loads on any.
"""

import json
import os
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .backend import dtype_name, to_backend, to_numpy

FORMAT = "nnxp-checkpoint"
FORMAT_VERSION = 1
_VELOCITY = "velocity_"
HISTORIES = ("costs", "validation_costs", "validation_accuracies")
"""The per-logged-iteration lists of a fitted model, saved as arrays of these names."""


class CheckpointError(ValueError):
    """A file is not a valid nnxp checkpoint; the message names the file and what is wrong."""


@dataclass(frozen=True)
class Checkpoint:
    """A checkpoint's contents on the host: NumPy arrays and its metadata."""

    config: dict
    layer_dims: list
    activations: list
    parameters: dict
    velocities: dict
    iterations_done: int
    shuffle_seed: int
    histories: dict
    nnxp_version: str


# ---------------------------------------------------------------- writing


def _metadata(model, dtype):
    from . import __version__  # the package finishes importing before any save

    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "nnxp_version": __version__,
        "config": model.get_config(),
        "layer_dims": list(model.layer_dims),
        "activations": list(model.activations),
        "dtype": dtype,
        "iterations_done": int(model.iterations_done_),
        "shuffle_seed": int(model.shuffle_seed_),
    }


def _arrays(model):
    """Every array of the file, on the host, keyed by its name in the ``.npz``."""
    if not hasattr(model, "parameters_"):
        raise RuntimeError("this NeuralNetwork is not fitted yet: call fit(X, Y) before save")
    arrays = {key: to_numpy(P) for key, P in model.parameters_.items()}
    arrays.update({_VELOCITY + key: to_numpy(v) for key, v in model.velocities_.items()})
    arrays.update({name: np.asarray(getattr(model, name + "_"), dtype=np.float64) for name in HISTORIES})
    dtype = dtype_name(arrays["W1"].dtype)
    arrays["metadata"] = np.array(json.dumps(_metadata(model, dtype)))
    return arrays


def save(model, path):
    """Write fitted ``model`` to ``path`` (a ``.npz``) atomically; returns ``path`` as a Path.

    The arrays go to a temporary file beside ``path`` that is then renamed over it,
    so a crash or Ctrl-C during a save leaves any previous checkpoint intact.
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise FileNotFoundError(f"cannot save a checkpoint to {path}: no folder {path.parent}")
    arrays = _arrays(model)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        with open(temporary, "xb") as file:  # permissions from the umask, as for any new file
            np.savez(file, **arrays)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path


# ---------------------------------------------------------------- reading


def _read_arrays(path):
    """Every array of the ``.npz`` at ``path`` as a dict, pickles refused."""
    try:
        data = np.load(path, allow_pickle=False)
        if not isinstance(data, np.lib.npyio.NpzFile):
            raise ValueError("it holds a single array, not an .npz archive")
        with data:
            return {key: data[key] for key in data.files}
    except FileNotFoundError:
        raise FileNotFoundError(f"checkpoint {path}: no such file") from None
    except (ValueError, OSError, EOFError, zipfile.BadZipFile) as exc:
        raise CheckpointError(
            f"checkpoint {path} is not a readable nnxp .npz (truncated, corrupt or holding objects): {exc}"
        ) from None


def _read_metadata(path, arrays):
    raw = arrays.pop("metadata", None)
    if raw is None or raw.ndim != 0 or raw.dtype.kind != "U":
        raise CheckpointError(f"checkpoint {path} has no nnxp metadata: not an nnxp checkpoint")
    try:
        meta = json.loads(str(raw))
    except json.JSONDecodeError as exc:
        raise CheckpointError(f"checkpoint {path}: its metadata is not valid JSON ({exc})") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise CheckpointError(f"checkpoint {path}: metadata format is not {FORMAT!r}")
    if meta.get("format_version") != FORMAT_VERSION:
        raise CheckpointError(
            f"checkpoint {path} has format version {meta.get('format_version')!r}; "
            f"this nnxp reads version {FORMAT_VERSION}"
        )
    return meta


def _expected_shapes(layer_dims, prefix=""):
    """``{"W1": (n1, n0), "b1": (n1, 1), ...}`` for ``layer_dims``, names prefixed by ``prefix``."""
    shapes = {}
    for l in range(1, len(layer_dims)):
        shapes[f"{prefix}W{l}"] = (layer_dims[l], layer_dims[l - 1])
        shapes[f"{prefix}b{l}"] = (layer_dims[l], 1)
    return shapes


def _check_group(path, arrays, expected, dtype, what):
    """The arrays named in ``expected`` with those shapes and ``dtype``, else CheckpointError."""
    for key, shape in expected.items():
        array = arrays.get(key)
        if array is None:
            raise CheckpointError(f"checkpoint {path} lacks {what} {key}")
        if array.shape != shape or array.dtype != dtype:
            raise CheckpointError(
                f"checkpoint {path}: {key} is {array.shape} {array.dtype}, but its metadata "
                f"(layer_dims, dtype) asks for {shape} {dtype}: another architecture?"
            )
    return {key.removeprefix(_VELOCITY): arrays[key] for key in expected}


def _check_contents(path, meta, arrays):
    """Parameters, velocities and costs checked against the metadata; returns a Checkpoint."""
    dims, dtype = meta.get("layer_dims"), meta.get("dtype")
    dims_ok = isinstance(dims, list) and len(dims) >= 2
    dims_ok = dims_ok and all(type(n) is int and n > 0 for n in dims)
    if dtype not in ("float32", "float64") or not dims_ok:
        raise CheckpointError(f"checkpoint {path}: metadata has layer_dims={dims!r}, dtype={dtype!r}")
    parameters = _check_group(path, arrays, _expected_shapes(dims), dtype, "parameter")
    velocity_keys = {_VELOCITY + "d" + key for key in parameters}
    velocities = {}
    if velocity_keys & arrays.keys():
        velocities = _check_group(path, arrays, _expected_shapes(dims, _VELOCITY + "d"), dtype, "velocity")
    histories = {name: _history(path, arrays, name) for name in HISTORIES}
    unknown = arrays.keys() - parameters.keys() - velocity_keys - set(HISTORIES)
    if unknown:
        raise CheckpointError(f"checkpoint {path} holds unexpected arrays {sorted(unknown)}")
    done, seed = meta.get("iterations_done"), meta.get("shuffle_seed")
    if not all(type(n) is int and n >= 0 for n in (done, seed)):
        raise CheckpointError(
            f"checkpoint {path}: iterations_done and shuffle_seed must be integers >= 0, "
            f"got {done!r} and {seed!r}"
        )
    return Checkpoint(
        meta.get("config"), dims, meta.get("activations"), parameters, velocities, done, seed,
        histories, meta.get("nnxp_version"),
    )


def _history(path, arrays, name):
    """The 1-D float64 array ``name`` as a list of floats, else CheckpointError."""
    history = arrays.get(name)
    if history is None or history.ndim != 1 or history.dtype != np.float64:
        raise CheckpointError(f"checkpoint {path}: {name} must be a 1-D float64 array")
    return history.tolist()


def read_checkpoint(path):
    """The validated contents of the checkpoint at ``path``, as NumPy arrays on the host."""
    path = Path(path)
    arrays = _read_arrays(path)
    meta = _read_metadata(path, arrays)
    return _check_contents(path, meta, arrays)


# ---------------------------------------------------------------- restoring


def _model_from_config(checkpoint, config, path):
    """``NeuralNetwork.from_config(config)``, refused unless it has the checkpoint's architecture."""
    from .model import NeuralNetwork  # model.py imports this module in NeuralNetwork.save

    try:
        model = NeuralNetwork.from_config(config)
    except (TypeError, ValueError) as exc:
        raise CheckpointError(
            f"checkpoint {path}: its config does not build a NeuralNetwork ({exc})"
        ) from None
    if model.layer_dims != checkpoint.layer_dims or model.activations != checkpoint.activations:
        raise CheckpointError(
            f"checkpoint {path} holds a {checkpoint.layer_dims} network with activations "
            f"{checkpoint.activations}, not {model.layer_dims} with {model.activations}"
        )
    return model


def restore(checkpoint, *, config=None, backend=None, device=None, path="<memory>"):
    """A fitted NeuralNetwork from ``checkpoint``, its arrays moved to ``backend``/``device``.

    ``config`` (default: the checkpoint's, with ``backend``/``device`` replaced)
    builds the model; it must keep the checkpoint's ``layer_dims`` and
    ``hidden_activation``. Other hyperparameters (learning rate, iterations, ...)
    may differ, for a resume with new settings.
    """
    if config is None:
        config = {**checkpoint.config, "backend": backend, "device": device}
    model = _model_from_config(checkpoint, config, path)

    def move(arrays):
        return {key: to_backend(a, backend, device) for key, a in arrays.items()}

    model.parameters_ = move(checkpoint.parameters)
    model.velocities_ = move(checkpoint.velocities)
    model.iterations_done_, model.shuffle_seed_ = checkpoint.iterations_done, checkpoint.shuffle_seed
    for name, history in checkpoint.histories.items():
        setattr(model, name + "_", list(history))
    return model


def load(path, backend=None, device=None):
    """The fitted NeuralNetwork saved at ``path``, on ``backend``/``device``.

    ``backend`` None means ``$NNXP_BACKEND``, else NumPy; ``"cupy"``, ``"auto"`` or an
    array-API module as elsewhere. The model predicts, scores and resumes
    (``fit(X, Y, resume=True)``) there. Raises FileNotFoundError for a missing
    file and :class:`CheckpointError` for anything that is not a valid checkpoint.
    """
    return restore(read_checkpoint(path), backend=backend, device=device, path=path)
