"""Penalties: transformations beside the optimizer (the optax idea), applied in one place.

A penalty may add a term to the cost and its gradient to the gradients, before the optimizer's
update (:func:`penalize`), and change the parameters after the update (:func:`update`). Those two
are the calls every runner makes (the local step and the Dask driver), so a new penalty is one
class here and one entry in :func:`penalties_of`.

- :class:`L2` (the course's regularization): ``J + (lambda / 2m) sum_l ||W{l}||_F^2``, gradients
  ``dW{l} + (lambda / m) W{l}``; the b's are not penalised. ``m`` is the batch's samples.
- :class:`WeightDecay` (decoupled, AdamW's): after the update,
  ``W{l} := W{l}' - alpha decay W{l}`` with ``W{l}`` the weights before it; no cost term.

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


class Penalty:
    """A transformation beside the optimizer. Each part left out changes nothing."""

    def cost(self, xp, parameters, m):
        """The term added to the cost J of a batch of ``m`` samples (None: none)."""
        return None

    def gradients(self, grads, parameters, m):
        """``grads`` with the term's gradients added."""
        return grads

    def after_update(self, before, after, learning_rate):
        """The parameters after the optimizer's update (``after``), changed."""
        return after


@dataclass(frozen=True)
class L2(Penalty):
    """The course's L2 regularization of strength ``l2`` (lambda > 0)."""

    l2: float

    def cost(self, xp, parameters, m):
        """``(lambda / 2m) sum ||W||^2``: a 0-d array."""
        return _l2_cost(xp, parameters, self.l2, m)

    def gradients(self, grads, parameters, m):
        """``grads`` with ``(lambda / m) W`` added to each ``dW``."""
        return add_l2_gradients(grads, parameters, self.l2, m)


@dataclass(frozen=True)
class WeightDecay(Penalty):
    """Decoupled weight decay of rate ``decay`` > 0 (Loshchilov and Hutter's AdamW, torch's
    ``AdamW(weight_decay=decay)``): after the update, ``W{l} := W{l}' - alpha decay W{l}``, where
    ``W{l}'`` is the optimizer's new weight, ``W{l}`` the one before and ``alpha`` the step's learning
    rate. The b's are not decayed; the cost has no term for it. With plain gradient descent it is
    L2 of ``lambda = decay m``; with Adam or RMSprop it is not (their steps rescale the gradient)."""

    decay: float

    def after_update(self, before, after, learning_rate):
        shrink = -learning_rate * self.decay
        return {key: after[key] + shrink * W if key.startswith("W") else after[key] for key, W in before.items()}


def penalties_of(l2=0.0, weight_decay=0.0):
    """The penalties of a model's settings, as a tuple (empty: none)."""
    return (L2(l2),) * bool(l2) + (WeightDecay(weight_decay),) * bool(weight_decay)


def penalize(xp, J, grads, parameters, penalties, m):
    """``(J, grads)`` of a batch of ``m`` samples with every penalty added (``J`` may be None: no cost
    asked). The one place penalties meet the cost and the gradients, for every runner."""
    for penalty in penalties:
        grads = penalty.gradients(grads, parameters, m)
        term = penalty.cost(xp, parameters, m)
        if J is not None and term is not None:
            J = J + term
    return J, grads


def update(optimizer, parameters, grads, state, learning_rate, t, penalties):
    """``(parameters, state)`` after ``optimizer``'s update ``t`` and then each penalty's change after
    it: the one update every runner makes."""
    updated, state = optimizer.update(parameters, grads, state, learning_rate, t)
    for penalty in penalties:
        updated = penalty.after_update(parameters, updated, learning_rate)
    return updated, state
