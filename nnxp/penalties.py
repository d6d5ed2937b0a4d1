"""Penalties: transformations beside the optimizer (the optax idea), applied in one place.

A penalty adds a term to the cost and its gradient to the gradients, before the optimizer's
update. :func:`penalize` is the one call every runner makes (the local step and the Dask
driver), so a new penalty is one class here and one entry in :func:`penalties_of`.

- :class:`L2` (the course's regularization): ``J + (lambda / 2m) sum_l ||W{l}||_F^2``, gradients
  ``dW{l} + (lambda / m) W{l}``; the b's are not penalised. ``m`` is the batch's samples.

Written against the array API like the kernels.
"""

from dataclasses import dataclass

from .backend import namespace


def _l2_cost(xp, parameters, l2, m):
    weights = [W for key, W in parameters.items() if key.startswith("W")]
    return sum(xp.sum(W * W) for W in weights) * (l2 / (2 * m))


def l2_cost(parameters, l2, m):
    """The L2 penalty (lambda / 2m) sum_l ||W{l}||_F^2 to add to the cost J.

    ``parameters`` ``{"W1": (n[1], n[0]), "b1": (n[1], 1), ...}`` (the b's are not penalised),
    ``l2`` lambda, ``m`` the samples. A 0-d array in the weights' dtype.

    >>> parameters = {"W1": np.array([[1.0, 2.0]]), "b1": np.array([[5.0]])}
    >>> float(nnxp.l2_cost(parameters, l2=0.1, m=2))  # 0.1 / 4 * (1 + 4)
    0.125
    """
    return _l2_cost(namespace(*parameters.values()), parameters, l2, m)


def add_l2_gradients(grads, parameters, l2, m):
    """The gradients of J + L2 penalty: dW{l} + (lambda / m) W{l}; db{l} unchanged. A new dict.

    ``grads`` ``{"dW1": (n[1], n[0]), "db1": (n[1], 1), ...}`` (other keys, e.g. ``dA1``, are kept)
    and ``parameters`` as for :func:`l2_cost`.

    >>> parameters = {"W1": np.array([[1.0, 2.0]]), "b1": np.array([[5.0]])}
    >>> grads = {"dW1": np.array([[0.5, 0.5]]), "db1": np.array([[1.0]])}
    >>> nnxp.add_l2_gradients(grads, parameters, l2=0.1, m=2)
    {'dW1': array([[0.55, 0.6 ]]), 'db1': array([[1.]])}
    """
    scale = l2 / m
    return {
        key: g + scale * parameters[key[1:]] if key.startswith("dW") else g
        for key, g in grads.items()
    }


@dataclass(frozen=True)
class L2:
    """The course's L2 regularization of strength ``l2`` (lambda > 0)."""

    l2: float

    def cost(self, xp, parameters, m):
        """``(lambda / 2m) sum ||W||^2``: a 0-d array."""
        return _l2_cost(xp, parameters, self.l2, m)

    def gradients(self, grads, parameters, m):
        """``grads`` with ``(lambda / m) W`` added to each ``dW``."""
        return add_l2_gradients(grads, parameters, self.l2, m)


def penalties_of(l2=0.0):
    """The penalties of a model's settings, as a tuple (empty: none)."""
    return (L2(l2),) if l2 else ()


def penalize(xp, J, grads, parameters, penalties, m):
    """``(J, grads)`` of a batch of ``m`` samples with every penalty added (``J`` may be None: no cost
    asked). The one place penalties meet the cost and the gradients, for every runner."""
    for penalty in penalties:
        grads = penalty.gradients(grads, parameters, m)
        if J is not None:
            J = J + penalty.cost(xp, parameters, m)
    return J, grads
