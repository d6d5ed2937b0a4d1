"""Checkpoints: the ``.npz`` format only — host arrays and JSON metadata in, the same out.

The file holds plain arrays only: ``W1, b1, ...``, the optimizer's state as
``<slot>_dW1, <slot>_db1, ...`` per slot (``velocity_dW1`` for momentum and Adam,
``squared_dW1`` for RMSprop and Adam), the float64 histories ``costs``,
``validation_costs`` and ``validation_scores``, and ``metadata``, a 0-d unicode
array of JSON (format version, nnxp version, constructor config, layer dims,
activations, loss, dtype, the optimizer's slots, epochs and updates done, the
seed of the shuffles and dropout masks, the epoch early stopping kept). It is written atomically and read with
``allow_pickle=False``: loading never unpickles anything, and a file that is
truncated, holds object arrays or disagrees with its own metadata is refused
with :class:`CheckpointError`. Arrays are stored on the host, so a model
trained on one backend loads on any.

Format version 1 (nnxp 0.1, binary classifiers only) is still read: its loss is binary
cross-entropy, its ``velocity_`` arrays momentum's state and its ``validation_accuracies``
the validation scores. The model
(:mod:`nnxp.model`) turns itself into a :class:`Checkpoint` and back; this module never
sees a model.
"""

import json
import os
import secrets
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .backend import dtype_name

FORMAT = "nnxp-checkpoint"
FORMAT_VERSION = 2
_PREPROCESSING = "preprocessing_"
HISTORIES = ("costs", "validation_costs", "validation_scores")
"""The per-logged-iteration lists of a fitted model, saved as arrays of these names."""

_VERSION_1 = {"histories": ("costs", "validation_costs", "validation_accuracies"), "loss": "binary_cross_entropy"}
"""What format version 1 files hold instead: the old name of the validation scores, the only loss."""


class CheckpointError(ValueError):
    """A file is not a valid nnxp checkpoint; the message names the file and what is wrong."""


@dataclass(frozen=True)
class Checkpoint:
    """A checkpoint's contents on the host: NumPy arrays and its metadata.

    ``optimizer_state`` maps slot names to dicts keyed like the gradients (``"dW1"``, ...);
    ``histories`` maps each name of :data:`HISTORIES` to a list of floats.
    """

    config: dict
    layer_dims: list
    activations: list
    loss: str
    parameters: dict
    optimizer_state: dict
    iterations_done: int
    steps_done: int
    shuffle_seed: int
    histories: dict
    best_iteration: int | None = None
    nnxp_version: str = ""
    preprocessing: dict = field(default_factory=dict)
    """Named host arrays of numbers or strings that the data's preparation needs (feature names,
    scaling statistics, class labels): stored as ``preprocessing_<name>``, never interpreted here."""


# ---------------------------------------------------------------- writing


def _metadata(checkpoint, dtype):
    from . import __version__  # the package finishes importing before any save

    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "nnxp_version": __version__,
        "config": checkpoint.config,
        "layer_dims": list(checkpoint.layer_dims),
        "activations": list(checkpoint.activations),
        "loss": checkpoint.loss,
        "dtype": dtype,
        "optimizer_slots": list(checkpoint.optimizer_state),
        "iterations_done": int(checkpoint.iterations_done),
        "steps_done": int(checkpoint.steps_done),
        "shuffle_seed": int(checkpoint.shuffle_seed),
        "best_iteration": checkpoint.best_iteration,
        "preprocessing": sorted(checkpoint.preprocessing),
    }


def _arrays(checkpoint):
    """Every array of the file, on the host, keyed by its name in the ``.npz``."""
    arrays = dict(checkpoint.parameters)
    for slot, group in checkpoint.optimizer_state.items():
        arrays.update({f"{slot}_{key}": value for key, value in group.items()})
    arrays.update({_PREPROCESSING + name: np.asarray(value) for name, value in checkpoint.preprocessing.items()})
    arrays.update({name: np.asarray(checkpoint.histories[name], dtype=np.float64) for name in HISTORIES})
    arrays["metadata"] = np.array(json.dumps(_metadata(checkpoint, dtype_name(arrays["W1"].dtype))))
    return arrays


def save(checkpoint, path):
    """Write ``checkpoint`` (NumPy arrays) to ``path`` (a ``.npz``) atomically; returns ``path`` as a Path.

    The arrays go to a temporary file beside ``path`` that is then renamed over it,
    so a crash or Ctrl-C during a save leaves any previous checkpoint intact.
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise FileNotFoundError(f"cannot save a checkpoint to {path}: no folder {path.parent}")
    arrays = _arrays(checkpoint)
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
    if meta.get("format_version") not in (1, FORMAT_VERSION):
        raise CheckpointError(
            f"checkpoint {path} has format version {meta.get('format_version')!r}; "
            f"this nnxp reads versions 1 to {FORMAT_VERSION}"
        )
    if meta["format_version"] == 1:
        meta.setdefault("loss", _VERSION_1["loss"])
        meta.setdefault("optimizer_slots", ["velocity"] if "velocity_dW1" in arrays else [])
        meta.setdefault("steps_done", 0)
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
    return {key: arrays[key] for key in expected}


def _check_counts(path, meta):
    """``(iterations_done, steps_done, shuffle_seed, best_iteration)`` of the metadata, checked."""
    counts = [meta.get(key) for key in ("iterations_done", "steps_done", "shuffle_seed")]
    best = meta.get("best_iteration")
    if not all(type(n) is int and n >= 0 for n in counts) or not (best is None or type(best) is int):
        raise CheckpointError(
            f"checkpoint {path}: iterations_done, steps_done and shuffle_seed must be integers >= 0 and "
            f"best_iteration one or null, got {counts + [best]!r}"
        )
    return (*counts, best)


def _optimizer_state(path, meta, arrays, dims, dtype):
    """``{slot: {"dW1": ..., ...}}`` for each slot the metadata lists, checked like the parameters."""
    slots = meta.get("optimizer_slots")
    if not isinstance(slots, list) or not all(isinstance(slot, str) and slot.isalpha() for slot in slots):
        raise CheckpointError(f"checkpoint {path}: metadata has optimizer_slots={slots!r}, expected a list of names")
    state = {}
    for slot in slots:
        group = _check_group(path, arrays, _expected_shapes(dims, f"{slot}_d"), dtype, f"optimizer {slot}")
        state[slot] = {key.removeprefix(f"{slot}_"): value for key, value in group.items()}
    return state


def _preprocessing(path, meta, arrays):
    """The ``preprocessing_<name>`` arrays the metadata lists: numbers or strings, nothing else."""
    names = meta.get("preprocessing", [])
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        raise CheckpointError(f"checkpoint {path}: metadata has preprocessing={names!r}, expected a list of names")
    found = {}
    for name in names:
        array = arrays.get(_PREPROCESSING + name)
        if array is None or array.dtype.kind not in "biufU":
            raise CheckpointError(f"checkpoint {path} lacks preprocessing array {name!r} of numbers or strings")
        found[name] = array
    return found


def _check_contents(path, meta, arrays):
    """Parameters, optimizer state and costs checked against the metadata; returns a Checkpoint."""
    dims, dtype = meta.get("layer_dims"), meta.get("dtype")
    dims_ok = isinstance(dims, list) and len(dims) >= 2
    dims_ok = dims_ok and all(type(n) is int and n > 0 for n in dims)
    if dtype not in ("float32", "float64") or not dims_ok:
        raise CheckpointError(f"checkpoint {path}: metadata has layer_dims={dims!r}, dtype={dtype!r}")
    parameters = _check_group(path, arrays, _expected_shapes(dims), dtype, "parameter")
    optimizer_state = _optimizer_state(path, meta, arrays, dims, dtype)
    stored = _VERSION_1["histories"] if meta["format_version"] == 1 else HISTORIES
    histories = {name: _history(path, arrays, key) for name, key in zip(HISTORIES, stored)}
    slot_keys = {f"{slot}_{key}" for slot, group in optimizer_state.items() for key in group}
    preprocessing = _preprocessing(path, meta, arrays)
    known = slot_keys | set(stored) | {_PREPROCESSING + name for name in preprocessing}
    unknown = arrays.keys() - parameters.keys() - known
    if unknown:
        raise CheckpointError(f"checkpoint {path} holds unexpected arrays {sorted(unknown)}")
    done, steps, seed, best = _check_counts(path, meta)
    if not isinstance(meta.get("loss"), str):
        raise CheckpointError(f"checkpoint {path}: metadata has loss={meta.get('loss')!r}, expected a loss name")
    return Checkpoint(
        config=meta.get("config"), layer_dims=dims, activations=meta.get("activations"), loss=meta["loss"],
        parameters=parameters, optimizer_state=optimizer_state, iterations_done=done, steps_done=steps,
        shuffle_seed=seed, histories=histories, best_iteration=best, nnxp_version=meta.get("nnxp_version"),
        preprocessing=preprocessing,
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
