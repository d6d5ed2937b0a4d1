"""The model's boundary: user arrays in, validated arrays of one namespace, device and dtype out.

:class:`~nnxp.NeuralNetwork` calls these once per ``fit``/``predict``/``score``/``cost``: they move
the data to the model's backend when one is set, check ``X (n_x, m)`` and put ``Y`` in the loss's
training form (its checks and errors are the loss's), in the dtype the model trains in.
"""

import os

import array_api_compat

from ..core.backend import as_array, dtype_of, get_namespace, namespace, resolve_device, to_backend
from ..core.checks import check_X


def fitted_parameters(model):
    """The fitted ``parameters_`` of ``model``; RuntimeError when it has not been fitted."""
    if not hasattr(model, "parameters_"):
        raise RuntimeError(f"this {type(model).__name__} is not fitted yet: call fit(X, Y) first")
    return model.parameters_


def _on_target(model, x, name):
    """``x`` as an array, moved to the model's backend/device (or ``$NNXP_BACKEND``) when one is set."""
    x = as_array(x, name)
    target = model.backend if model.backend is not None else os.environ.get("NNXP_BACKEND")
    if target is None:
        return x
    xp = get_namespace(target)
    device = resolve_device(xp, model.device)
    if namespace(x) is xp and (device is None or array_api_compat.device(x) == device):
        return x
    return to_backend(x, xp, device)


def prepare_X(model, X, *others, name="X", fitted=False):
    """``(xp, X)``: X on the backend of ``others`` (and of the parameters when ``fitted``),
    validated and cast to the model's dtype: the parameters' when fitted, else ``model.dtype``,
    else X's own when floating (float32 stays float32), else float64."""
    X = _on_target(model, X, name)
    if fitted:
        others = (*others, fitted_parameters(model)["W1"])
    xp = namespace(X, *others)
    check_X(xp, X, model.layer_dims[0], name)
    if fitted:
        dtype = model.parameters_["W1"].dtype
    elif model.dtype is not None:
        dtype = dtype_of(xp, model.dtype)
    elif xp.isdtype(X.dtype, "real floating"):
        dtype = X.dtype
        if dtype not in (xp.float32, xp.float64):
            raise TypeError(f"{name} has dtype {dtype}; nnxp trains in float32 or float64: convert {name} "
                            "(e.g. to float32), or give the model dtype='float32'")
    else:
        dtype = xp.float64
    return xp, X if X.dtype == dtype else xp.astype(X, dtype)


def prepare_XY(model, X, Y, fitted=False, names=("X", "Y")):
    """``(xp, X, Y)`` validated, with Y in the loss's training form and X's dtype."""
    Y = _on_target(model, Y, names[1])
    xp, X = prepare_X(model, X, Y, name=names[0], fitted=fitted)
    return xp, X, model.loss_object.targets(xp, Y, model.layer_dims[-1], X.shape[1], X.dtype, names[1])


def prepare_validation(model, xp, validation_data, dtype):
    """``(X_v, Y_v)`` of ``validation_data`` prepared like the training data, on its namespace ``xp``
    and in its ``dtype``; TypeError for anything but a pair of arrays of that library."""
    try:
        X_v, Y_v = validation_data
    except (TypeError, ValueError):
        raise TypeError(
            f"validation_data must be a pair (X_v, Y_v), got {type(validation_data).__name__}"
        ) from None
    xp_v, X_v, Y_v = prepare_XY(model, X_v, Y_v, names=("validation X_v", "validation Y_v"))
    if xp_v is not xp:
        raise TypeError(f"validation_data must be arrays of X's library ({xp.__name__}), got {xp_v.__name__}")
    return xp.astype(X_v, dtype, copy=False), xp.astype(Y_v, dtype, copy=False)
