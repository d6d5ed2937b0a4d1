"""Fitted models from checkpoints: :func:`load` a file, :func:`restore` a read checkpoint.

The model writes itself (``NeuralNetwork.save``); this module builds one back, so neither
:mod:`nnxp.model.checkpoint` nor :mod:`nnxp.model.network` imports the other's dependants.
"""

from . import checkpoint
from ..core.backend import to_backend
from .network import NeuralNetwork
from .preprocessing import Preprocessing


def _model_from_config(saved, config, path):
    """``NeuralNetwork.from_config(config)``, refused unless it has the checkpoint's architecture."""
    try:
        model = NeuralNetwork.from_config(config)
    except (TypeError, ValueError) as exc:
        raise checkpoint.CheckpointError(
            f"checkpoint {path}: its config does not build a NeuralNetwork ({exc})"
        ) from None
    held = (model.layer_dims, model.activations, model.loss)
    if held != (saved.layer_dims, saved.activations, saved.loss):
        raise checkpoint.CheckpointError(
            f"checkpoint {path} holds a {saved.layer_dims} network with activations "
            f"{saved.activations} and loss {saved.loss!r}, not {held[0]} with {held[1]} and {held[2]!r}"
        )
    return model


_ENVIRONMENT = ("backend", "device", "seed")
"""Config keys that may not read back as written: where to compute (replaced when loading) and a
Generator seed (recorded as None, rebuilt as 0)."""


def _check_saved_config(saved, path):
    """The checkpoint's own config must be one ``NeuralNetwork.get_config`` wrote: it builds a model
    that gives back each of its values, so a damaged or edited one is refused, not silently changed."""
    config = {**saved.config, "backend": None, "device": None}
    rebuilt = _model_from_config(saved, config, path).get_config()
    changed = sorted(key for key, value in saved.config.items()
                     if key not in _ENVIRONMENT and rebuilt.get(key, value) != value)
    placed = [key for key in ("backend", "device") if not isinstance(saved.config.get(key), (str, type(None)))]
    if changed or placed:
        raise checkpoint.CheckpointError(
            f"checkpoint {path}: its config's {changed + placed} are not values nnxp writes: damaged or edited?"
        )


def _preprocessing(saved, path):
    """The checkpoint's :class:`~nnxp.model.preprocessing.Preprocessing`, checked against its layers."""
    try:
        return Preprocessing(saved.preprocessing).check_model(saved.layer_dims)
    except ValueError as exc:
        raise checkpoint.CheckpointError(f"checkpoint {path}: {exc}") from None


def restore(saved, *, config=None, backend=None, device=None, path="<memory>"):
    """A fitted NeuralNetwork from the :class:`~nnxp.model.checkpoint.Checkpoint` ``saved``, its arrays
    moved to ``backend``/``device``.

    ``config`` (default: the checkpoint's, with ``backend``/``device`` replaced)
    builds the model; it must keep the checkpoint's ``layer_dims``,
    ``hidden_activation`` and ``loss``. Other hyperparameters (learning rate, iterations, ...)
    may differ, for a resume with new settings.
    """
    _check_saved_config(saved, path)
    if config is None:
        config = {**saved.config, "backend": backend, "device": device}
    model = _model_from_config(saved, config, path)

    def move(arrays):
        return {key: to_backend(a, backend, device) for key, a in arrays.items()}

    model.state_ = saved.state(move)
    model.preprocessing_ = _preprocessing(saved, path)
    return model


def load(path, backend=None, device=None):
    """The fitted NeuralNetwork saved at ``path``, on ``backend``/``device``.

    ``backend`` None means ``$NNXP_BACKEND``, else NumPy; ``"cupy"``, ``"auto"`` or an
    array-API module as elsewhere. The model predicts, scores and resumes
    (``fit(X, Y, resume=True)``) there. Raises FileNotFoundError for a missing
    file and :class:`~nnxp.CheckpointError` for anything that is not a valid checkpoint
    (checkpoints of nnxp 0.1, binary classifiers, load too). The parameters keep their saved
    shapes (``W{l} (n[l], n[l-1])``) and dtype.

    >>> import tempfile
    >>> X, Y = np.array([[0.0, 1.0, 2.0, 3.0]]), np.array([[0.0, 0.0, 1.0, 1.0]])
    >>> model = nnxp.NeuralNetwork([1, 1], learning_rate=0.5, num_iterations=50).fit(X, Y)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = model.save(f"{folder}/model.npz")
    ...     loaded = nnxp.load(path)
    >>> loaded.predict(X), loaded.iterations_done_
    (array([[0., 0., 1., 1.]]), 50)
    """
    return restore(checkpoint.read_checkpoint(path), backend=backend, device=device, path=path)
