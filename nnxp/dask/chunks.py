"""The work of one chunk of samples, run where the chunk lives (a Dask worker), and the reduction.

Each function takes a chunk ``X_c (n_x, m_c)`` / ``Y_c (n[L] or 1, m_c)`` of the user's arrays and
a :class:`ChunkSpec`, and returns **sums** over the chunk's samples (never means), computed with
nnxp's own kernels (:func:`nnxp.core.step.value_and_grad`, the loss's ``total``), so that the driver can
add the chunks' sums and divide by m once. Parameters arrive as a list of arrays in
``spec.keys`` order (scattered as a list: a dict would be scattered under the keys "W1", ...).
"""

from dataclasses import dataclass

import array_api_compat

from ..core.backend import namespace, uniform_source
from ..core.dropout import dropout_masks
from ..core.kernels import _model_forward
from ..core.step import value_and_grad
from ..core.checks import check_X


@dataclass(frozen=True)
class ChunkSpec:
    """What a chunk's task needs of the model: its layers, loss, dtype and the parameters' order."""

    layer_dims: tuple
    activations: tuple
    loss: object  # a nnxp.core.losses.Loss (pickled to the workers: a user's own loss travels too)
    dtype: str
    keep_probs: tuple
    keys: tuple

    def parameters(self, packed):
        """``{"W1": ..., "b1": ...}`` from the list ``packed`` in ``keys`` order."""
        return dict(zip(self.keys, packed))


def _prepared(X_c, Y_c, spec, columns=None):
    """``(xp, X_c, Y_c)``: the chunk in the model's dtype, Y in the loss's training form, optionally
    only its ``columns`` (a host index array)."""
    xp = namespace(X_c)
    dtype = getattr(xp, spec.dtype)
    if columns is not None:
        index = xp.asarray(columns, device=array_api_compat.device(X_c))
        X_c, Y_c = xp.take(X_c, index, axis=1), xp.take(Y_c, index, axis=1)
    X_c = X_c if X_c.dtype == dtype else xp.astype(X_c, dtype)
    Y_c = spec.loss.targets(xp, Y_c, spec.layer_dims[-1], X_c.shape[1], dtype)
    return xp, X_c, Y_c


def check_chunk(X_c, Y_c, packed, spec, index):
    """``(m_c, 0, [sum x, sum x^2])`` per feature (``(2, n_x)``) of a chunk whose X and labels are
    valid; a ValueError or TypeError naming the chunk ``index`` otherwise. Runs on the worker: nothing
    lazy is read back. ``packed`` (no parameters) is unused."""
    try:
        check_X(namespace(X_c), X_c, spec.layer_dims[0])
        xp, X_c, _ = _prepared(X_c, Y_c, spec)
    except (ValueError, TypeError) as exc:
        raise type(exc)(f"chunk {index} of the samples: {exc}") from None
    return X_c.shape[1], 0.0, xp.stack([xp.sum(X_c, axis=1), xp.sum(X_c * X_c, axis=1)])


def gradient_sums(X_c, Y_c, packed, spec, columns=None, with_cost=True, mask_seed=None):
    """``(m_c, J_sum, {"dW1": sum, "db1": sum, ...})`` of the chunk (or its ``columns``): the cost and
    gradients summed over its samples, no L2 term; dropout masks from ``mask_seed`` when given.
    An empty selection gives ``(0, 0.0, None)``."""
    xp, X_c, Y_c = _prepared(X_c, Y_c, spec, columns)
    m_c = X_c.shape[1]
    if m_c == 0:
        return 0, 0.0, None
    masks = None
    if mask_seed is not None:
        draw = uniform_source(xp, array_api_compat.device(X_c), mask_seed)
        masks = dropout_masks(xp, draw, spec.layer_dims, spec.keep_probs, m_c, X_c.dtype)
    J, grads = value_and_grad(xp, X_c, Y_c, spec.parameters(packed), spec.activations, spec.loss,
                              with_cost=with_cost, masks=masks)
    sums = {"d" + key: grads["d" + key] * m_c for key in spec.keys}
    return m_c, J * m_c if with_cost else 0.0, sums


def evaluation_sums(X_c, Y_c, packed, spec):
    """``(m_c, J_sum, score_sums)``: the chunk's summed cost (no L2, no dropout) and the sums its
    loss's score is made of (:meth:`nnxp.core.losses.Loss.score_sums`)."""
    xp, X_c, Y_c = _prepared(X_c, Y_c, spec)
    loss = spec.loss
    parameters = spec.parameters(packed)
    AL, caches = _forward(xp, X_c, parameters, spec)
    return X_c.shape[1], loss.total(xp, caches[-1][1], Y_c), loss.score_sums(xp, AL, Y_c)


def _forward(xp, X_c, parameters, spec):
    return _model_forward(xp, X_c, parameters, spec.activations)


def output(X_c, packed, spec, finish):
    """The chunk's network output ``AL (n[L], m_c)``, passed through ``finish`` ("proba": as it is,
    "predict": the loss's predictions); for ``map_blocks``."""
    xp = namespace(X_c)
    X_c = X_c if X_c.dtype == getattr(xp, spec.dtype) else xp.astype(X_c, getattr(xp, spec.dtype))
    AL = _forward(xp, X_c, spec.parameters(packed), spec)[0]
    return AL if finish == "proba" else spec.loss.predict(xp, AL)


def add(a, b):
    """The sum of two ``(m, J, sums)`` results (a dict of arrays, an array or None for ``sums``)."""
    m_a, J_a, s_a = a
    m_b, J_b, s_b = b
    if s_a is None or s_b is None:
        s = s_b if s_a is None else s_a
    elif isinstance(s_a, dict):
        s = {key: s_a[key] + s_b[key] for key in s_a}
    else:
        s = s_a + s_b
    return m_a + m_b, J_a + J_b, s
