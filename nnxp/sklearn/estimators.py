"""scikit-learn estimators around :class:`~nnxp.NeuralNetwork`: samples as rows, labels of any kind.

``NeuralNetClassifier`` and ``NeuralNetRegressor`` take ``X (n_samples, n_features)`` and
``y (n_samples,)`` (or ``(n_samples, n_outputs)`` for the regressor), as every scikit-learn
estimator does, and train the course's network on ``X.T``: hidden layers ``hidden_layer_sizes``
with ``activation``, then a sigmoid unit (two classes), a softmax over C units (C classes) or
linear units (regression). Parameter names follow ``MLPClassifier`` where they mean the same:

- ``alpha``: the L2 penalty ``alpha/(2 m) sum ||W||^2`` of each batch of m samples;
- ``batch_size``: ``"auto"`` is ``min(200, n_samples)``; ``learning_rate_init``, ``max_iter``
  (epochs), ``random_state`` (the initial parameters, the mini-batch shuffles, the validation split);
- ``init`` (nnxp's; scikit-learn has none): the initial parameters as for ``NeuralNetwork``. The
  default ``"glorot"`` is scikit-learn's start (weights and biases uniform in ``(-r, r)``,
  ``r = sqrt(6 / (n[l-1] + n[l]))``); the course's ``"he"`` (``NeuralNetwork``'s default) scored
  0.2-0.6 points lower than scikit-learn on digits;
- ``optimizer`` (scikit-learn's ``solver``): ``"adam"`` is ``Adam(beta_1, beta_2, epsilon)``,
  ``"rmsprop"`` ``RMSprop(beta_2, epsilon)``, ``"momentum"`` the course's
  ``v = momentum v + (1 - momentum) dW`` (``Momentum(momentum)``), ``"gd"`` plain gradient
  descent, or an object of :mod:`nnxp.core.optimizers`;
- stopping as scikit-learn's: without ``early_stopping``, training stops once more than
  ``n_iter_no_change`` epochs in a row lowered the training loss by no more than ``tol``; with it,
  ``validation_fraction`` of the data (stratified for classes) is held out and training stops once
  more than ``n_iter_no_change`` epochs in a row lowered the *validation cost* (log-loss or squared
  error: finer than scikit-learn's accuracy) by no more than ``tol``, keeping the best epoch's
  parameters; ``validation_scores_`` records the validation accuracy (R^2) of every evaluation. nnxp
  evaluates before each epoch's update, from the initial parameters on, so the same count stops it
  one epoch sooner than scikit-learn (which evaluates after).

Like scikit-learn's networks they expect scaled features (e.g. ``StandardScaler`` in a
``Pipeline``); ``fit`` warns when feature scales are over a thousand times apart. NumPy and pandas
input is validated by scikit-learn and answered in NumPy; arrays of another array-API library
(CuPy, torch, JAX) are trained on where they live (``backend=None``) and answered in that library;
the labels come to the host once per ``fit`` to be encoded. Needs scikit-learn (extra ``sklearn``).
"""

import array_api_compat
import numpy as np
from sklearn.base import ClassifierMixin, RegressorMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import column_or_1d

from ..core.backend import namespace, to_backend, to_numpy
from ..core.losses import classifier_loss
from .base import _foreign, _NeuralNetEstimator

__all__ = ["NeuralNetClassifier", "NeuralNetRegressor"]


class NeuralNetClassifier(ClassifierMixin, _NeuralNetEstimator):
    """A classifier of any labels (strings, ints, bools): a sigmoid unit for two classes, a softmax over
    C units for C; see :mod:`nnxp.sklearn` for the parameters.

    ``X (n_samples, n_features)`` of floats (float32 stays float32), ``y (n_samples,)``; predictions
    ``(n_samples,)`` of the labels, probabilities ``(n_samples, n_classes)``. Fitted attributes:
    ``classes_`` (the sorted labels), ``n_features_in_``, ``feature_names_in_``
    (pandas input), ``loss_curve_`` (the log-loss of each epoch, L2 term included), ``loss_``,
    ``n_iter_`` (epochs), ``t_`` (updates), ``best_loss_`` or, with early stopping,
    ``validation_scores_`` and ``best_validation_score_``, and ``model_``, the NeuralNetwork.
    Bad settings raise ValueError (TypeError for a wrong type) naming them when ``fit`` is called,
    as scikit-learn's rule is; bad data raise scikit-learn's errors; one class only, ValueError.

    >>> from sklearn.datasets import load_iris
    >>> X, y = load_iris(return_X_y=True)
    >>> X = (X - X.mean(axis=0)) / X.std(axis=0)                       # scaled features
    >>> clf = NeuralNetClassifier((16,), learning_rate_init=0.05, max_iter=300, random_state=0).fit(X, y)
    >>> clf.predict(X[[0, 50, 100]]), clf.predict_proba(X[:2]).shape, round(clf.score(X, y), 2)
    (array([0, 1, 2]), (2, 3), 0.99)
    """

    def _loss(self):
        return classifier_loss(len(self.classes_))[0]

    def _units(self, Y):
        return classifier_loss(len(self.classes_))[1]

    def _targets(self, xp, X, y, *, first, classes):
        """Class indices ``(1, m)`` of ``y`` in ``classes_`` (set on the first fit), in X's library."""
        y = column_or_1d(to_numpy(y), warn=True)
        check_classification_targets(y)
        if first:
            self.classes_ = np.unique(y if classes is None else np.asarray(classes))
            if len(self.classes_) < 2:
                raise ValueError(f"y holds one class only ({self.classes_.tolist()}); a classifier needs "
                                 "at least 2 classes")
        index = np.searchsorted(self.classes_, y).clip(0, len(self.classes_) - 1)
        unseen = y != self.classes_[index]
        if unseen.any():
            raise ValueError(f"y holds labels {np.unique(y[unseen]).tolist()[:10]} outside classes_ "
                             f"{self.classes_.tolist()}")
        return to_backend(index.astype(np.float64).reshape(1, -1), xp, array_api_compat.device(X))

    def _strata(self, Y):
        return to_numpy(Y).ravel()

    def fit(self, X, y):
        """Train on ``X (n_samples, n_features)`` and labels ``y (n_samples,)``; returns ``self``."""
        return self._fit(X, y, first=True, watch=True)

    def partial_fit(self, X, y, classes=None):
        """One epoch on ``X``, ``y``, continuing the last fit (its optimizer state kept); ``classes``
        (every label there will be) is required on the first call."""
        first = not hasattr(self, "model_")
        if first and classes is None:
            raise ValueError("classes must be passed on the first call to partial_fit")
        if not first and classes is not None and not np.array_equal(np.unique(classes), self.classes_):
            raise ValueError(f"classes={list(classes)} differ from the classes_ {self.classes_.tolist()} "
                             "of the earlier calls")
        return self._fit(X, y, first=first, watch=False, classes=classes)

    def _probabilities(self, X, method):
        xp, AL, host = self._output(X, method)
        return xp, self.model_.loss_object.probabilities(xp, AL).T, host

    def predict_proba(self, X):
        """``(n_samples, n_classes)`` class probabilities, in the order of ``classes_``; rows sum to 1."""
        _, P, host = self._probabilities(X, "predict_proba")
        return self._answer(P, host)

    def predict_log_proba(self, X):
        """The log of :meth:`predict_proba`."""
        xp, P, host = self._probabilities(X, "predict_log_proba")
        return self._answer(xp.log(P), host)

    def score(self, X, y, sample_weight=None):
        """The accuracy of :meth:`predict` on ``X`` against ``y`` (computed where arrays of another library
        live, when no weights are given)."""
        if sample_weight is None and _foreign(X):
            return self._score_where_it_lives(X, y)
        return super().score(X, y, sample_weight=sample_weight)

    def predict(self, X):
        """The label of ``classes_`` with the highest probability, ``(n_samples,)``."""
        xp, AL, host = self._output(X, "predict")
        index = self.model_.loss_object.class_indices(xp, AL)
        if host or self.classes_.dtype.kind not in "biuf":
            return self.classes_[to_numpy(index)]
        return xp.take(to_backend(self.classes_, xp, array_api_compat.device(AL)), index)


class NeuralNetRegressor(RegressorMixin, _NeuralNetEstimator):
    """A regressor of one or several real targets: linear output units and the squared error
    ``J = 1/(2m) sum ||AL - Y||^2``; see :mod:`nnxp.sklearn` for the parameters. Targets are used as
    they are: scale them too when they are large (``TransformedTargetRegressor``).

    ``X (n_samples, n_features)``, ``y (n_samples,)`` or ``(n_samples, n_outputs)``. Fitted
    attributes as :class:`NeuralNetClassifier`'s, ``n_outputs_`` instead of ``classes_``;
    ``validation_scores_`` hold R^2. ``predict`` gives ``(n_samples,)`` for one output, else
    ``(n_samples, n_outputs)``. Errors as the classifier's.

    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((200, 3))
    >>> y = X @ np.array([1.0, -2.0, 0.5]) + 0.3                      # a linear target
    >>> reg = NeuralNetRegressor((), learning_rate_init=0.05, max_iter=300, random_state=0).fit(X, y)
    >>> reg.predict(X[:2]).shape, round(reg.score(X, y), 3)
    ((2,), 1.0)
    """

    def _loss(self):
        return "mse"

    def _units(self, Y):
        return Y.shape[0]

    _y_checks = {"multi_output": True, "y_numeric": True}

    def _targets(self, xp, X, y, *, first, classes):
        """``Y (n_outputs, m)`` in X's library."""
        y = xp.asarray(y) if namespace(y) is xp else to_backend(y, xp, array_api_compat.device(X))
        Y = xp.reshape(y, (1, -1)) if y.ndim == 1 else y.T
        if first:
            self.n_outputs_ = Y.shape[0]
        elif Y.shape[0] != self.n_outputs_:
            raise ValueError(f"y has {Y.shape[0]} outputs, but this regressor was fitted with {self.n_outputs_}")
        return Y

    def fit(self, X, y):
        """Train on ``X (n_samples, n_features)`` and targets ``y (n_samples,)`` or ``(n_samples, n_outputs)``."""
        return self._fit(X, y, first=True, watch=True)

    def partial_fit(self, X, y):
        """One epoch on ``X``, ``y``, continuing the last fit (its optimizer state kept)."""
        return self._fit(X, y, first=not hasattr(self, "model_"), watch=False)

    def score(self, X, y, sample_weight=None):
        """R^2 of :meth:`predict` on ``X`` against ``y``, averaged over the outputs (computed where arrays
        of another library live, when no weights are given)."""
        if sample_weight is None and _foreign(X):
            return self._score_where_it_lives(X, y)
        return super().score(X, y, sample_weight=sample_weight)

    def predict(self, X):
        """``(n_samples,)`` predictions for one output, ``(n_samples, n_outputs)`` for several."""
        xp, AL, host = self._output(X, "predict")
        return self._answer(AL[0, :] if self.n_outputs_ == 1 else AL.T, host)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags
