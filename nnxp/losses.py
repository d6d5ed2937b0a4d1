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

import array_api_compat

from .backend import namespace, to_numpy


def _unique(xp, Y):
    """The distinct values of ``Y`` as a sorted host list (for error messages)."""
    return sorted(to_numpy(xp.unique_values(Y)).tolist())


def _refuse_non_finite(xp, Y, name):
    """ValueError when floating ``Y`` holds NaN or infinity (read only to explain a refusal)."""
    if xp.isdtype(Y.dtype, "real floating") and not bool(xp.all(xp.isfinite(Y))):
        raise ValueError(f"{name} contains NaN or infinite values; targets must be finite numbers")


def _as_real(xp, Y, dtype, name):
    """``Y`` itself when it is floating, else cast to ``dtype``; TypeError when it is not numeric."""
    if not xp.isdtype(Y.dtype, ("real floating", "integral", "bool")):
        raise TypeError(f"{name} must hold real numbers, got dtype {Y.dtype}")
    return Y if xp.isdtype(Y.dtype, "real floating") else xp.astype(Y, dtype)


def _shape_hint(shape, rows, m, name):
    """A hint for a ``Y`` of ``shape`` that was meant to be ``(rows, m)``."""
    if shape in ((m,), (m, 1)) and rows == 1:
        return f"; reshape {name} to (1, m)"
    if shape == (m, rows) and rows > 1:
        return f"; {name}.T has that shape: samples must be columns"
    return ""


def _one_hot(xp, labels, C, dtype):
    """``(C, m)``: row ``c`` is 1 where real ``labels (1, m)`` equal ``c`` (labels already checked)."""
    classes = xp.arange(C, dtype=labels.dtype, device=array_api_compat.device(labels))
    return xp.astype(labels == classes[:, None], dtype)


def one_hot(labels, C, *, dtype=None):
    """The course's ``convert_to_one_hot``: class indices ``labels (1, m)`` -> ``(C, m)`` of 0/1.

    ``labels`` hold integers 0..C-1 (an integer dtype, or floats holding integers); column
    ``j`` of the result is 1 in row ``labels[0, j]``. ``dtype``: the result's (None: float64).
    Raises ValueError for labels outside ``[0, C)``, fractional or non-finite labels, labels not
    ``(1, m)`` or a ``C`` that is not a positive int; TypeError for labels that are not numbers.

    >>> nnxp.one_hot(np.array([[2, 0, 1, 2]]), 3)
    array([[0., 1., 0., 0.],
           [0., 0., 1., 0.],
           [1., 0., 0., 1.]])
    """
    xp = namespace(labels)
    if isinstance(C, bool) or not isinstance(C, int) or C < 1:
        raise ValueError(f"C must be a positive number of classes, got {C!r}")
    if labels.ndim != 2 or labels.shape[0] != 1:
        raise ValueError(f"labels must have shape (1, m), got {tuple(labels.shape)}")
    dtype = xp.float64 if dtype is None else dtype
    values = _as_real(xp, labels, dtype, "labels")
    _check_class_indices(xp, values, C, "labels")
    return _one_hot(xp, values, C, dtype)


def _check_class_indices(xp, values, C, name):
    """ValueError unless real ``values`` hold whole numbers in ``[0, C)``: one host read when they do."""
    if bool(xp.all((values >= 0) & (values < C) & (values == xp.floor(values)))):  # NaN fails too
        return
    _refuse_non_finite(xp, values, name)
    seen = _unique(xp, values)
    fractional = [v for v in seen if v != int(v)]
    if fractional:
        raise ValueError(f"{name} must hold whole class indices 0..{C - 1}, got fractional values {fractional[:10]}")
    outside = [v for v in seen if not 0 <= v < C]
    raise ValueError(f"{name} must hold class indices in [0, C) = [0, {C}), got values {outside[:10]} outside it")


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

    def targets(self, xp, Y, n_L, m, dtype, name="Y"):
        """``Y`` checked for a network of ``n_L`` outputs on m samples, in its training form and ``dtype``."""
        raise NotImplementedError

    def predict(self, xp, AL):
        """Predictions from the output ``AL``."""
        raise NotImplementedError

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

    def _correct(self, xp, AL, Y):
        return xp.argmax(AL, axis=0) == xp.argmax(Y, axis=0)

    def score(self, xp, AL, Y):
        """Accuracy: the fraction of columns whose argmax class is the labelled one."""
        return xp.mean(xp.astype(self._correct(xp, AL, Y), AL.dtype))

    def output_units(self, Y):
        """C: the rows of one-hot ``Y``, else the largest class index + 1 (at least 2)."""
        return Y.shape[0] if Y.shape[0] > 1 else max(2, int(Y.max()) + 1)


def _check_one_hot(xp, Y, name):
    """ValueError unless real ``Y (C, m)`` holds 0s and 1s with exactly one 1 per column."""
    sums = xp.sum(Y, axis=0)
    if bool(xp.all((Y == 0) | (Y == 1)) & xp.all(sums == 1)):
        return
    _refuse_non_finite(xp, Y, name)
    seen = _unique(xp, Y)
    problem = f"values {seen[:10]}" if not set(seen) <= {0, 1} else f"column sums {_unique(xp, sums)[:10]}"
    raise ValueError(
        f"{name} of shape {tuple(Y.shape)} must be one-hot (0s and 1s, each column summing to 1), got {problem}"
    )


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


def resolve_loss(name, n_L):
    """The :class:`Loss` for ``name`` and an output layer of ``n_L`` units, checked to fit.

    None picks binary cross-entropy for one unit, categorical cross-entropy for more.
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
        loss = "binary_cross_entropy" if binary else "categorical_cross_entropy"
    return get_loss(loss).output_units(Y)

