"""Losses: the output layer's activation and its cost, as parts to choose by name.

Each entry of :data:`LOSSES` pairs an output activation with its cost, the *canonical* pairs,
so the output layer's gradient is ``dZ[L] = AL - Y`` for all three and one backward path serves
them (``Y`` in the training form below):

- ``"binary_cross_entropy"``: sigmoid output, ``n[L] = 1``, ``Y (1, m)`` of 0/1;
  ``J = -(1/m) sum(Y log AL + (1 - Y) log(1 - AL))``.
- ``"categorical_cross_entropy"``: softmax output, ``n[L] = C >= 2`` classes, ``Y (C, m)``
  one-hot (the model also takes ``(1, m)`` class indices and encodes them);
  ``J = -(1/m) sum(Y * log AL)``.
- ``"mse"``: linear (identity) output, any ``n[L]``, ``Y (n[L], m)`` of real values;
  ``J = 1/(2m) sum ||AL - Y||^2``.

An entry owns its cost, computed from the output layer's ``ZL`` (log-sigmoid and log-softmax
from ``exp(-|z|)`` and the column max: never ``log(0)``, never an overflow), the label check
with its errors, the predictions and the score. Functions take the namespace ``xp`` first,
like the kernels; label checks read one boolean back to the host, more only to explain a
refusal.
"""

import math

from .backend import namespace, to_numpy
from .targets import (_as_real, _check_class_indices, _check_one_hot, _one_hot, _refuse_non_finite, _shape_hint,
                             _unique)
from .targets import one_hot  # noqa: F401  (nnxp.core.losses.one_hot, as before)


class Loss:
    """An output activation and its cost; subclasses fill in the maths.

    ``name``, ``output_activation`` and ``classifier`` (predictions are classes, the score is
    accuracy; else values and R^2) describe the entry.
    """

    name = output_activation = ""
    classifier = True

    def __repr__(self):
        return f"<loss {self.name!r}: {self.output_activation} output>"

    def check_units(self, n_L):
        """The loss fits an output layer of ``n_L`` units; ValueError naming ``loss`` if not."""

    def chance_cost(self, n_L):
        """The cost of a blind guess (every class equally likely): the divergence guard's floor."""
        return math.log(max(2, n_L))

    def total(self, xp, ZL, Y):
        """The sum over the m samples of the per-sample loss, from the output layer's ``ZL``: 0-d."""
        raise NotImplementedError

    def cost(self, xp, ZL, Y):
        """The cost ``J``, the mean per-sample loss: :meth:`total` / m."""
        return self.total(xp, ZL, Y) / ZL.shape[1]

    def cost_from_output(self, xp, AL, Y):
        """``J`` from the output ``AL`` itself (the course's ``compute_cost``), clipped off ``log(0)``."""
        raise NotImplementedError

    def delta(self, xp, AL, Y):
        """The output layer's ``dZ[L]``: m times dJ/dZL (the backward pass divides by m), ``(n[L], m)``.

        ``AL - Y`` for the canonical pairs (sigmoid and binary cross-entropy, softmax and categorical
        cross-entropy, identity and squared error); a loss of another pairing overrides it."""
        return AL - Y

    def targets(self, xp, Y, n_L, m, dtype, name="Y"):
        """``Y`` checked for a network of ``n_L`` outputs on m samples, in its training form and ``dtype``."""
        raise NotImplementedError

    def predict(self, xp, AL):
        """Predictions from the output ``AL``."""
        raise NotImplementedError

    def probabilities(self, xp, AL):
        """The probability of each class, ``(C, m)`` with columns summing to 1, from the output ``AL``;
        ValueError for a loss whose outputs are not classes."""
        raise ValueError(f"loss {self.name!r} predicts values, not classes: it has no class probabilities")

    def class_indices(self, xp, A):
        """The class index of each column of the output ``AL`` or of training-form ``Y``, ``(m,)`` of
        the library's index dtype; ValueError for a loss whose outputs are not classes."""
        raise ValueError(f"loss {self.name!r} predicts values, not classes: it has no class indices")

    def score(self, xp, AL, Y):
        """The score of output ``AL`` against training-form ``Y`` (higher is better): 0-d array."""
        raise NotImplementedError

    def output_units(self, Y):
        """``n[L]`` for the host targets ``Y`` (as a user gives them to the model)."""
        return Y.shape[0]

    def score_sums(self, xp, AL, Y):
        """The sums over the samples that :meth:`score` is made of, as a 1-D array: the sums of chunks
        of samples add up to those of all of them (data-parallel scoring)."""
        return xp.reshape(xp.sum(xp.astype(self._correct(xp, AL, Y), AL.dtype)), (1,))

    def score_from_sums(self, sums, m):
        """The score of m samples from their :meth:`score_sums`: a Python float."""
        return float(sums[0]) / m


class BinaryCrossEntropy(Loss):
    """Sigmoid output, one unit, ``Y (1, m)`` of 0/1; predictions ``AL > 0.5``; score: accuracy."""

    name, output_activation = "binary_cross_entropy", "sigmoid"

    def check_units(self, n_L):
        if n_L != 1:
            raise ValueError(
                f"loss={self.name!r} needs 1 output unit (layer_dims ending with 1), got {n_L} units; "
                f"for {n_L} classes use loss='categorical_cross_entropy'"
            )

    def total(self, xp, ZL, Y):
        """sum(max(ZL, 0) - ZL Y + log(1 + exp(-|ZL|))): finite for every finite ZL."""
        return xp.sum(xp.maximum(ZL, 0) - ZL * Y + xp.log1p(xp.exp(-xp.abs(ZL))))

    def cost_from_output(self, xp, AL, Y):
        eps = xp.finfo(AL.dtype).eps
        AL = xp.clip(AL, eps, 1 - eps)
        return -xp.sum(Y * xp.log(AL) + (1 - Y) * xp.log1p(-AL)) / AL.shape[1]

    def targets(self, xp, Y, n_L, m, dtype, name="Y"):
        """Y must be ``(1, m)`` with labels 0 and 1 only."""
        if tuple(Y.shape) != (1, m):
            hint = _shape_hint(tuple(Y.shape), 1, m, name)
            raise ValueError(f"{name} must have shape (1, m) = (1, {m}), got {tuple(Y.shape)}{hint}")
        Y = _as_real(xp, Y, dtype, name)
        if not bool(xp.all((Y == 0) | (Y == 1))):
            _refuse_non_finite(xp, Y, name)
            raise ValueError(f"{name} must hold binary labels 0 and 1, got values {_unique(xp, Y)[:10]}")
        return xp.astype(Y, dtype)

    def predict(self, xp, AL):
        """0/1 labels ``(1, m)`` in AL's dtype: 1 where AL > 0.5."""
        return xp.astype(AL > 0.5, AL.dtype)

    def probabilities(self, xp, AL):
        """``(2, m)``: ``1 - AL`` (class 0), then ``AL`` (class 1)."""
        return xp.concat([1 - AL, AL], axis=0)

    def class_indices(self, xp, A):
        """1 where ``A > 0.5``, else 0, ``(m,)``."""
        return xp.astype(A[0, :] > 0.5, xp.int64)

    def _correct(self, xp, AL, Y):
        return (AL > 0.5) == (Y > 0.5)

    def score(self, xp, AL, Y):
        """Accuracy: the fraction of columns where ``AL > 0.5`` matches the label."""
        return xp.mean(xp.astype(self._correct(xp, AL, Y), AL.dtype))

    def output_units(self, Y):
        return 1


class CategoricalCrossEntropy(Loss):
    """Softmax output over ``C >= 2`` units, one-hot ``Y (C, m)``; predictions: the argmax class."""

    name, output_activation = "categorical_cross_entropy", "softmax"

    def check_units(self, n_L):
        if n_L < 2:
            raise ValueError(
                f"loss={self.name!r} needs C >= 2 output units, one per class, got {n_L}; "
                "for two classes with one sigmoid unit use loss='binary_cross_entropy'"
            )

    def total(self, xp, ZL, Y):
        """-sum(Y * log_softmax(ZL)), log_softmax = ZL - max - log(sum(exp(ZL - max))) per column."""
        shifted = ZL - xp.max(ZL, axis=0, keepdims=True)
        log_probs = shifted - xp.log(xp.sum(xp.exp(shifted), axis=0, keepdims=True))
        return -xp.sum(Y * log_probs)

    def cost_from_output(self, xp, AL, Y):
        AL = xp.clip(AL, xp.finfo(AL.dtype).smallest_normal, 1)
        return -xp.sum(Y * xp.log(AL)) / AL.shape[1]

    def targets(self, xp, Y, n_L, m, dtype, name="Y"):
        """Class indices ``(1, m)`` (encoded one-hot here) or one-hot ``(C, m)``; -> ``(C, m)``."""
        shape = tuple(Y.shape)
        if shape not in ((1, m), (n_L, m)):
            hint = _shape_hint(shape, 1, m, name) or _shape_hint(shape, n_L, m, name)
            raise ValueError(
                f"{name} must be class indices of shape (1, m) = (1, {m}) or one-hot of shape "
                f"(C, m) = ({n_L}, {m}), got {shape}{hint}"
            )
        Y = _as_real(xp, Y, dtype, name)
        if shape == (1, m):
            _check_class_indices(xp, Y, n_L, name)
            return _one_hot(xp, Y, n_L, dtype)
        _check_one_hot(xp, Y, name)
        return xp.astype(Y, dtype)

    def predict(self, xp, AL):
        """Class indices ``(1, m)`` (the library's index dtype): the row of each column's largest AL."""
        return xp.argmax(AL, axis=0, keepdims=True)

    def probabilities(self, xp, AL):
        """The softmax output itself, ``(C, m)``."""
        return AL

    def class_indices(self, xp, A):
        """The row of each column's largest entry, ``(m,)``."""
        return xp.argmax(A, axis=0)

    def _correct(self, xp, AL, Y):
        return xp.argmax(AL, axis=0) == xp.argmax(Y, axis=0)

    def score(self, xp, AL, Y):
        """Accuracy: the fraction of columns whose argmax class is the labelled one."""
        return xp.mean(xp.astype(self._correct(xp, AL, Y), AL.dtype))

    def output_units(self, Y):
        """C: the rows of one-hot ``Y``, else the largest class index + 1 (at least 2)."""
        return Y.shape[0] if Y.shape[0] > 1 else max(2, int(Y.max()) + 1)


class MeanSquaredError(Loss):
    """Linear output, any number of units, real ``Y (n[L], m)``; predictions: AL; score: R^2."""

    name, output_activation, classifier = "mse", "linear", False

    def chance_cost(self, n_L):
        """Squared error has no scale of its own: 0 (the guard then follows the first logged cost)."""
        return 0.0

    def total(self, xp, ZL, Y):
        """(1/2) sum ||ZL - Y||^2 (AL = ZL)."""
        D = ZL - Y
        return xp.sum(D * D) / 2

    def cost_from_output(self, xp, AL, Y):
        return self.total(xp, AL, Y) / AL.shape[1]

    def targets(self, xp, Y, n_L, m, dtype, name="Y"):
        """Y must be ``(n[L], m)`` of finite real numbers."""
        if tuple(Y.shape) != (n_L, m):
            hint = _shape_hint(tuple(Y.shape), n_L, m, name)
            raise ValueError(f"{name} must have shape (n[L], m) = ({n_L}, {m}), got {tuple(Y.shape)}{hint}")
        Y = _as_real(xp, Y, dtype, name)
        _refuse_non_finite(xp, Y, name)
        return xp.astype(Y, dtype)

    def predict(self, xp, AL):
        """The outputs themselves, ``(n[L], m)``."""
        return AL

    def score(self, xp, AL, Y):
        """R^2 = 1 - sum (Y - AL)^2 / sum (Y - mean(Y))^2 per output row, averaged over rows.

        A constant target row scores 1 when predicted exactly, else 0 (scikit-learn's r2_score).
        """
        residual = xp.sum((Y - AL) ** 2, axis=1)
        spread = xp.sum((Y - xp.mean(Y, axis=1, keepdims=True)) ** 2, axis=1)
        return _r2(xp, residual, spread)

    def score_sums(self, xp, AL, Y):
        """Per output row: sum (Y - AL)^2, then sum Y, then sum Y^2 (one 1-D array of 3 n[L])."""
        return xp.concat([xp.sum((Y - AL) ** 2, axis=1), xp.sum(Y, axis=1), xp.sum(Y * Y, axis=1)])

    def score_from_sums(self, sums, m):
        """R^2 with the spread ``sum Y^2 - (sum Y)^2 / m`` (one pass over the chunks)."""
        xp = namespace(sums)
        residual, total, squares = (sums[k * (sums.shape[0] // 3):(k + 1) * (sums.shape[0] // 3)] for k in range(3))
        return float(_r2(xp, residual, squares - total * total / m))


def _r2(xp, residual, spread):
    """R^2 per output row from its residual and spread sums, averaged; a constant row scores 1 when
    predicted exactly, else 0 (scikit-learn's r2_score)."""
    constant = xp.astype(residual == 0, residual.dtype)
    safe = xp.where(spread > 0, spread, xp.ones_like(spread))
    return xp.mean(xp.where(spread > 0, 1 - residual / safe, constant))


LOSSES = {loss.name: loss for loss in (BinaryCrossEntropy(), CategoricalCrossEntropy(), MeanSquaredError())}
"""Name -> :class:`Loss`: the three canonical output/cost pairs."""


def get_loss(name):
    """The :class:`Loss` called ``name``; ValueError naming ``loss`` for an unknown one."""
    if isinstance(name, Loss):
        return name
    try:
        return LOSSES[name]
    except (KeyError, TypeError):
        raise ValueError(f"loss must be one of {sorted(LOSSES)}, got {name!r}") from None


def classifier_loss(n_classes):
    """``(loss, n[L])`` for ``n_classes`` classes: binary cross-entropy on one sigmoid unit for 2,
    categorical cross-entropy on a softmax over C units for C. The one place this choice is made.

    >>> from nnxp.core.losses import classifier_loss
    >>> classifier_loss(2), classifier_loss(10)
    ((<loss 'binary_cross_entropy': sigmoid output>, 1), (<loss 'categorical_cross_entropy': softmax output>, 10))
    """
    if n_classes == 2:
        return LOSSES["binary_cross_entropy"], 1
    return LOSSES["categorical_cross_entropy"], n_classes


def resolve_loss(name, n_L):
    """The :class:`Loss` for ``name`` (or a :class:`Loss` object) and an output layer of ``n_L`` units,
    checked to fit.

    None picks the classifier's loss for those units, as :func:`classifier_loss` lays them out:
    binary cross-entropy for one unit, categorical cross-entropy for more.
    """
    if name is None:
        name = "binary_cross_entropy" if n_L == 1 else "categorical_cross_entropy"
    loss = get_loss(name)
    loss.check_units(n_L)
    return loss


def loss_for_output(activation):
    """The :class:`Loss` whose output activation is ``activation`` (sigmoid, softmax, linear)."""
    for loss in LOSSES.values():
        if loss.output_activation == activation:
            return loss
    outputs = sorted(loss.output_activation for loss in LOSSES.values())
    raise ValueError(
        f"the output layer's activation must be one of {outputs} (the outputs of nnxp's losses, "
        f"whose dZ[L] = AL - Y), got {activation!r}"
    )


def output_units(Y, loss=None):
    """``n[L]`` for the targets ``Y`` (any backend; read to the host) and ``loss``.

    None means binary cross-entropy (1 unit) for ``(1, m)`` labels of 0/1, else categorical:
    C = the rows of one-hot ``Y``, or the largest class index + 1.
    """
    Y = to_numpy(Y)
    if loss is None:
        binary = Y.shape[0] == 1 and set(Y.ravel().tolist()) <= {0, 1}
        loss = classifier_loss(2)[0] if binary else LOSSES["categorical_cross_entropy"]
    return get_loss(loss).output_units(Y)

