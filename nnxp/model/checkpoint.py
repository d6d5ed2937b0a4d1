"""Checkpoints: the ``.npz`` format only — host arrays and JSON metadata in, the same out.

The file holds plain arrays only: ``W1, b1, ...``, the optimizer's state as
``<slot>_dW1, <slot>_db1, ...`` per slot (``velocity_dW1`` for momentum and Adam,
``squared_dW1`` for RMSprop and Adam), the float64 histories ``costs``,
``validation_costs`` and ``validation_scores``, and ``metadata``, a 0-d unicode
array of JSON (format version, nnxp version, constructor config, layer dims,
activations, loss, dtype, the optimizer's slots, epochs and updates done, the
seed of the shuffles and dropout masks, the epoch early stopping kept). It is written atomically
(a save also deletes the temporary files that interrupted saves to the same path left) and read
with ``allow_pickle=False``: loading never unpickles anything, and a file that is truncated or
damaged (the zip's CRCs and each ``.npy`` header's size are checked), holds object arrays, lacks
an array or a metadata field, holds NaN or infinite parameters or optimizer state, or disagrees
with its own metadata is refused with :class:`CheckpointError` (the file layer is :mod:`nnxp.model.npz`).
A save refuses parameters that are not finite, and one that fails (a full disk) says so, naming
the file, and leaves the previous checkpoint there intact. Arrays are stored on the host, so a
model trained on one backend loads on any. The preprocessing arrays are checked and given their
meaning by :mod:`nnxp.model.preprocessing` when the model is loaded (:mod:`nnxp.model.loading`).

Format version 1 (nnxp 0.1, binary classifiers only) is still read: its loss is binary
cross-entropy, its ``velocity_`` arrays momentum's state and its ``validation_accuracies``
the validation scores. The model
(:mod:`nnxp.model.network`) turns itself into a :class:`Checkpoint` and back; this module never
sees a model.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .._version import __version__
from ..core.backend import dtype_name, to_numpy
from .npz import read_arrays, write_atomically
from ..training.loop import TrainingState

FORMAT = "nnxp-checkpoint"
FORMAT_VERSION = 2
_PREPROCESSING = "preprocessing_"
HISTORIES = ("costs", "validation_costs", "validation_scores")
"""The per-logged-iteration lists of a fitted model, saved as arrays of these names."""

_VERSION_1 = {"histories": ("costs", "validation_costs", "validation_accuracies"), "loss": "binary_cross_entropy"}
"""What format version 1 files hold instead: the old name of the validation scores, the only loss."""


class CheckpointError(ValueError):
    """A file is not a valid nnxp checkpoint; the message names the file and what is wrong.

    Raised by :func:`nnxp.load` for truncated or damaged files (each member's CRC is checked),
    missing members or metadata, arrays of objects, or metadata the arrays disagree with.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     _ = open(f"{folder}/bad.npz", "wb").write(b"not a zip")
    ...     nnxp.load(f"{folder}/bad.npz")
    Traceback (most recent call last):
    ...
    nnxp.model.checkpoint.CheckpointError: checkpoint .../bad.npz is not a readable nnxp .npz ...
    """


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

    @classmethod
    def of(cls, state, *, config, layer_dims, activations, loss, preprocessing):
        """The checkpoint of the fitted :class:`~nnxp.training.loop.TrainingState` ``state`` (its arrays
        brought to the host) and the model's description: constructor ``config``, layers, loss name."""
        def host(arrays):
            return {key: to_numpy(value) for key, value in arrays.items()}

        histories = {name: list(getattr(state, name)) for name in HISTORIES}
        return cls(config=config, layer_dims=list(layer_dims), activations=list(activations), loss=loss,
                   parameters=host(state.parameters),
                   optimizer_state={slot: host(group) for slot, group in state.optimizer_state.items()},
                   iterations_done=state.iterations_done, steps_done=state.steps_done,
                   shuffle_seed=state.shuffle_seed, histories=histories, best_iteration=state.best_iteration,
                   preprocessing=dict(preprocessing))

    def state(self, move=dict):
        """The :class:`~nnxp.training.loop.TrainingState` this checkpoint holds, each dict of arrays passed
        through ``move`` (e.g. to a backend)."""
        return TrainingState(move(self.parameters), {slot: move(group) for slot, group in self.optimizer_state.items()},
                             self.shuffle_seed, self.iterations_done, self.steps_done,
                             *(list(self.histories[name]) for name in HISTORIES), self.best_iteration)


# ---------------------------------------------------------------- writing


def _metadata(checkpoint, dtype):
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

    The arrays go to a temporary file beside ``path`` (``.model.npz.<hex>.tmp``, locked while
    written) that is then renamed over it, so a crash or Ctrl-C during a save leaves any previous
    checkpoint intact. A successful save removes the temporary files earlier, interrupted saves to
    ``path`` left behind.
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise FileNotFoundError(f"cannot save a checkpoint to {path}: no folder {path.parent}")
    if path.is_dir():
        raise IsADirectoryError(f"cannot save a checkpoint to {path}: it is a folder; give a file name such as "
                                f"{path / 'model.npz'}")
    if problem := _non_finite(checkpoint.parameters, checkpoint.parameters):
        raise ValueError(f"not saved to {path}: parameter {problem}")
    try:
        write_atomically(path, _arrays(checkpoint))
    except OSError as exc:
        kept = "the previous checkpoint there is intact" if path.exists() else "nothing was written there"
        raise OSError(exc.errno, f"cannot save the checkpoint {path} ({exc.strerror or exc}); {kept}") from None
    return path


# ---------------------------------------------------------------- reading


_FIELDS = ("nnxp_version", "config", "layer_dims", "activations", "loss", "dtype", "optimizer_slots",
           "iterations_done", "steps_done", "shuffle_seed", "best_iteration")
"""The metadata fields every checkpoint has (format version 1 files: with :data:`_VERSION_1`'s defaults);
``preprocessing`` may be absent (files written before it: none)."""

_CONFIG_KEYS = {1: ("layer_dims", "hidden_activation", "learning_rate", "num_iterations", "init", "scale", "seed",
                    "dtype", "backend", "device", "cost_every", "print_cost", "batch_size", "momentum", "l2")}
_CONFIG_KEYS[2] = _CONFIG_KEYS[1] + ("loss", "optimizer", "decay_rate", "decay_interval", "early_stopping",
                                     "keep_prob")
"""The constructor arguments each format version's config always names; later ones (``tol``, ``weight_decay``) may be
absent, meaning their default then."""


def _read_metadata(path, arrays):
    """The metadata as a dict, every field of :data:`_FIELDS` present; CheckpointError otherwise."""
    raw = arrays.pop("metadata", None)
    if raw is None or raw.ndim != 0 or raw.dtype.kind != "U":
        raise CheckpointError(f"checkpoint {path} has no nnxp metadata: not an nnxp checkpoint")
    try:
        meta = json.loads(str(raw))
    except json.JSONDecodeError as exc:
        raise CheckpointError(f"checkpoint {path}: its metadata is not valid JSON ({exc})") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise CheckpointError(f"checkpoint {path}: metadata format is not {FORMAT!r}")
    version = meta.get("format_version")
    if type(version) is not int or version not in (1, FORMAT_VERSION):
        raise CheckpointError(
            f"checkpoint {path} has format version {version!r}; this nnxp reads versions 1 to {FORMAT_VERSION}"
        )
    if version == 1:
        meta.setdefault("loss", _VERSION_1["loss"])
        meta.setdefault("optimizer_slots", ["velocity"] if "velocity_dW1" in arrays else [])
        meta.setdefault("steps_done", 0)
        meta.setdefault("best_iteration", None)
    meta.setdefault("preprocessing", [])
    missing = [name for name in _FIELDS if name not in meta]
    if missing:
        raise CheckpointError(f"checkpoint {path}: its metadata lacks {missing}")
    _check_config(path, meta["config"], _CONFIG_KEYS[version])
    if not isinstance(meta["nnxp_version"], str):
        raise CheckpointError(f"checkpoint {path}: metadata has nnxp_version={meta['nnxp_version']!r}, expected text")
    return meta


def _check_config(path, config, keys):
    """The constructor arguments must be a JSON object naming at least ``keys``."""
    if not isinstance(config, dict):
        raise CheckpointError(f"checkpoint {path}: metadata has config={config!r}, expected a JSON object")
    missing = [key for key in keys if key not in config]
    if missing:
        raise CheckpointError(f"checkpoint {path}: its config lacks {missing}")


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
    if problem := _non_finite(arrays, expected):
        raise CheckpointError(f"checkpoint {path}: {what} {problem}")
    return {key: arrays[key] for key in expected}


def _non_finite(arrays, names):
    """Which of the arrays ``names`` hold NaN or infinite values, said in words ("" if none)."""
    bad = [key for key in names if not np.all(np.isfinite(arrays[key]))]
    return f"{', '.join(bad)} hold{'s' if len(bad) == 1 else ''} NaN or infinite values: a diverged or damaged model" \
        if bad else ""


def _check_counts(path, meta):
    """``(iterations_done, steps_done, shuffle_seed, best_iteration)`` of the metadata, checked."""
    counts = [meta[key] for key in ("iterations_done", "steps_done", "shuffle_seed")]
    best = meta["best_iteration"]
    counts_ok = all(type(n) is int and n >= 0 for n in counts)
    if not (counts_ok and (best is None or (type(best) is int and 0 <= best <= counts[0]))):
        raise CheckpointError(
            f"checkpoint {path}: iterations_done, steps_done and shuffle_seed must be integers >= 0 and "
            f"best_iteration null or one up to iterations_done, got {counts + [best]!r}"
        )
    return (*counts, best)


def _optimizer_state(path, meta, arrays, dims, dtype):
    """``{slot: {"dW1": ..., ...}}`` for each slot the metadata lists, checked like the parameters."""
    slots = meta["optimizer_slots"]
    if not isinstance(slots, list) or not all(isinstance(slot, str) and slot.isalpha() for slot in slots):
        raise CheckpointError(f"checkpoint {path}: metadata has optimizer_slots={slots!r}, expected a list of names")
    state = {}
    for slot in slots:
        group = _check_group(path, arrays, _expected_shapes(dims, f"{slot}_d"), dtype, f"optimizer {slot}")
        state[slot] = {key.removeprefix(f"{slot}_"): value for key, value in group.items()}
    return state


def _preprocessing(path, meta, arrays):
    """The ``preprocessing_<name>`` arrays the metadata lists: numbers or strings, nothing else."""
    names = meta["preprocessing"]
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
    dims, dtype, activations = meta["layer_dims"], meta["dtype"], meta["activations"]
    dims_ok = isinstance(dims, list) and len(dims) >= 2
    dims_ok = dims_ok and all(type(n) is int and n > 0 for n in dims)
    if dtype not in ("float32", "float64") or not dims_ok:
        raise CheckpointError(f"checkpoint {path}: metadata has layer_dims={dims!r}, dtype={dtype!r}")
    if not (isinstance(activations, list) and len(activations) == len(dims) - 1
            and all(isinstance(name, str) for name in activations)):
        raise CheckpointError(f"checkpoint {path}: metadata has activations={activations!r}, expected "
                              f"{len(dims) - 1} names for layer_dims {dims}")
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
    if not isinstance(meta["loss"], str):
        raise CheckpointError(f"checkpoint {path}: metadata has loss={meta['loss']!r}, expected a loss name")
    return Checkpoint(
        config=meta["config"], layer_dims=dims, activations=activations, loss=meta["loss"],
        parameters=parameters, optimizer_state=optimizer_state, iterations_done=done, steps_done=steps,
        shuffle_seed=seed, histories=histories, best_iteration=best, nnxp_version=meta["nnxp_version"],
        preprocessing=preprocessing,
    )


def _history(path, arrays, name):
    """The 1-D float64 array ``name`` as a list of floats, else CheckpointError."""
    history = arrays.get(name)
    if history is None:
        raise CheckpointError(f"checkpoint {path} lacks history {name}")
    if history.ndim != 1 or history.dtype != np.float64:
        raise CheckpointError(f"checkpoint {path}: {name} must be a 1-D float64 array")
    return history.tolist()


def read_checkpoint(path):
    """The validated contents of the checkpoint at ``path``, as NumPy arrays on the host."""
    path = Path(path)
    arrays = read_arrays(path, "checkpoint", CheckpointError)
    meta = _read_metadata(path, arrays)
    return _check_contents(path, meta, arrays)
