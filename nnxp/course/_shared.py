"""What the course's modules share: the course's randomness, its return types and its data files."""

from pathlib import Path

import array_api_compat
import numpy as np

from ..core.backend import namespace


def randn(*shape):
    """``np.random.randn(*shape)``: a draw from NumPy's global state, which the course seeds with
    ``np.random.seed`` (its functions' results depend on that order of draws)."""
    return np.random.randn(*shape)


def layers(layer_dims, weight):
    """``{"W1", "b1", ..., "WL", "bL"}`` on the host: ``W{l} = weight(n[l], n[l-1])`` drawn layer by layer
    (the course's order of draws), ``b{l} = zeros((n[l], 1))``."""
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters[f"W{l}"] = weight(layer_dims[l], layer_dims[l - 1])
        parameters[f"b{l}"] = np.zeros((layer_dims[l], 1))
    return parameters


def on_device_of(parameters, X):
    """``parameters`` (host NumPy arrays) moved to ``X``'s library and device, once; unchanged for NumPy."""
    if array_api_compat.is_numpy_array(X):
        return parameters
    xp, device = namespace(X), array_api_compat.device(X)
    return {key: xp.asarray(value, device=device) for key, value in parameters.items()}


def real(xp, Y, like):
    """``Y`` in ``like``'s floating dtype: the course's tests give labels as booleans or integers
    (``np.random.randn(1, 3) > 0``), which the array API does not mix with floats."""
    return Y if Y.dtype == like.dtype else xp.astype(Y, like.dtype)


def zero_d(xp, value):
    """``value`` as a 0-d array of ``xp`` (the course's ``np.squeeze(np.array(cost))``): an ``np.ndarray``
    on NumPy, not a NumPy scalar."""
    return xp.reshape(xp.asarray(value), ())


def scalar(xp, value):
    """The one number of ``value`` (shape ``(1, 1)`` or ``()``): ``np.float64`` on NumPy, as the course's
    ``np.sum(...)`` gives; a 0-d array on other libraries (no host read)."""
    return xp.reshape(value, ())[()]


def load_cat_images(data_dir="datasets"):
    """The course's ``load_dataset()`` / ``load_data()``: ``(train_x_orig (209, 64, 64, 3), train_y
    (1, 209), test_x_orig (50, 64, 64, 3), test_y (1, 50), classes)`` from ``train_catvnoncat.h5`` and
    ``test_catvnoncat.h5`` in ``data_dir`` (the notebooks' ``datasets/``). Needs h5py."""
    import h5py

    with h5py.File(Path(data_dir) / "train_catvnoncat.h5", "r") as train, \
            h5py.File(Path(data_dir) / "test_catvnoncat.h5", "r") as test:
        return (np.array(train["train_set_x"][:]), np.array(train["train_set_y"][:]).reshape(1, -1),
                np.array(test["test_set_x"][:]), np.array(test["test_set_y"][:]).reshape(1, -1),
                np.array(test["list_classes"][:]))
