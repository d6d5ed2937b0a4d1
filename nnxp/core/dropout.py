"""Inverted dropout, as the course teaches it: hidden layers only, during training only.

For hidden layer l with keep probability ``keep_prob{l}``: ``D{l} = (rand(n[l], m) < keep_prob{l})``,
``A{l} = A{l} * D{l} / keep_prob{l}`` in the forward pass and ``dA{l} = dA{l} * D{l} / keep_prob{l}``
in the backward pass, with the same mask. The kernels take the masks ``D{l} / keep_prob{l}``
(:func:`dropout_masks`); a layer kept whole (``keep_prob`` 1) has none and costs nothing.
"""

import numbers


def check_keep_prob(keep_prob, n_hidden):
    """``keep_prob`` (one number for every hidden layer, or one per hidden layer), each in (0, 1],
    as a tuple of ``n_hidden`` floats; ValueError/TypeError naming ``keep_prob`` otherwise."""
    many = not isinstance(keep_prob, numbers.Real)
    if many and (isinstance(keep_prob, (str, bytes)) or not hasattr(keep_prob, "__iter__")):
        raise TypeError(f"keep_prob must be a number or one number per hidden layer, got {keep_prob!r}")
    values = list(keep_prob) if many else [keep_prob] * n_hidden
    if many and len(values) != n_hidden:
        raise ValueError(f"keep_prob must give one value per hidden layer ({n_hidden}), got {keep_prob!r}")
    for value in values:
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 < value <= 1:
            raise ValueError(f"keep_prob values must be in (0, 1], got {keep_prob!r}")
    if not many and keep_prob != 1 and n_hidden == 0:
        raise ValueError(f"keep_prob={keep_prob!r} drops hidden units, but layer_dims has no hidden layer")
    return tuple(float(value) for value in values)


def dropout_masks(xp, draw, layer_dims, keep_probs, m, dtype):
    """One mask ``D{l} / keep_prob{l}`` of shape ``(n[l], m)`` per hidden layer (None where
    ``keep_prob{l}`` is 1), in layer order, drawn by ``draw(shape, dtype)`` (uniform [0, 1));
    None when no layer drops anything."""
    if all(keep == 1 for keep in keep_probs):
        return None
    masks = []
    for n, keep in zip(layer_dims[1:-1], keep_probs):
        masks.append(None if keep == 1 else xp.astype(draw((n, m), dtype) < keep, dtype) / keep)
    return masks
