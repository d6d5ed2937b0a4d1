"""NeuralNetwork: the course's L-layer network, trained by gradient descent, and its checkpoints.

Logistic regression is ``layer_dims=[n_x, 1]``, the shallow network
``[n_x, n_h, 1]``, the deep network ``[n_x, n_1, ..., n_{L-1}, n_L]``: hidden
layers use ``hidden_activation``, the output layer the activation of the loss
(sigmoid for binary, softmax for categorical cross-entropy, linear for squared error).
"""

import numbers

import array_api_compat

from . import checkpoint
from .activations import ACTIVATIONS
from .backend import BACKEND_NAMES, dtype_name, floating_point_quiet, to_numpy
from .init import INITS, initialize_parameters
from .inputs import fitted_parameters, prepare_validation, prepare_X, prepare_XY
from .kernels import _model_forward
from .losses import get_loss, resolve_loss
from .dropout import check_keep_prob
from .optimizers import resolve_optimizer, schedule_lr_decay, update_lr
from .step import compiled, forward_cost
from .training import LocalRunner, TrainingState, out_of_memory_explained, shuffle_seed, train
from .validation import (
    check_choice,
    check_count,
    check_in_range,
    check_layer_dims,
    check_positive_number,
    check_seed,
    warn_if_unscaled,
)


class NeuralNetwork:
    """An L-layer network with ``layer_dims = [n[0], ..., n[L]]`` and the output/cost pair ``loss``.

    ``loss``: ``"binary_cross_entropy"`` (sigmoid output, ``n[L] = 1``, ``Y (1, m)`` of 0/1,
    ``AL = P(y = 1 | x)``), ``"categorical_cross_entropy"`` (softmax over ``n[L] = C >= 2``
    classes; ``Y`` one-hot ``(C, m)`` or class indices ``(1, m)``, which train bit for bit alike)
    or ``"mse"`` (linear output, any ``n[L]``, real ``Y (n[L], m)``,
    ``J = 1/(2m) sum ||AL - Y||^2``). None: binary when ``n[L] = 1``, else categorical.

    ``fit(X, Y)`` trains on ``X (n_x, m)`` on the data's own library and
    device (or on ``backend``/``device`` when given, or ``$NNXP_BACKEND`` when set: the
    data is moved there once). ``dtype`` None follows ``X`` (float32 stays float32;
    integer data becomes float64).

    Each of the ``num_iterations`` iterations is one pass over the data: one full-batch
    update when ``batch_size`` is None (or >= m), else an epoch of shuffled mini-batches of
    ``batch_size`` columns (the last partial one kept). ``optimizer``: ``"gd"``,
    ``"momentum"``, ``"rmsprop"``, ``"adam"`` (their defaults) or an object of
    :mod:`nnxp.optimizers`; None is gradient descent, or momentum with ``momentum`` beta > 0
    (``v = beta v + (1 - beta) dW``, ``W := W - learning_rate v``). ``l2`` lambda: cost
    ``J + lambda/(2m) sum ||W||^2``, gradients ``dW + (lambda/m) W``.

    ``decay_rate``: epoch e (from 0) uses ``learning_rate / (1 + decay_rate e)`` (``update_lr``),
    or with ``decay_interval`` k ``learning_rate / (1 + decay_rate floor(e / k))``
    (``schedule_lr_decay``). ``early_stopping``: a patience p; with ``validation_data``, training
    stops after p evaluations (every ``cost_every`` epochs) without a new lowest validation
    cost (lower than the best by more than ``tol``), and the parameters of the best evaluation are
    kept (``best_iteration_``: its epoch).
    ``keep_prob``: inverted dropout on the hidden layers during training, one probability for
    all or one per hidden layer (1: none).

    The cost is read back to the host only at iterations 0, ``cost_every``,
    2 ``cost_every``, ...: those values, taken before that iteration's update (with
    mini-batches: the per-sample mean over the epoch), are ``costs_``. Fitted: ``parameters_``
    (``W{l} (n[l], n[l-1])``, ``b{l} (n[l], 1)``), ``optimizer_state_``, ``costs_``,
    ``validation_costs_``, ``validation_scores_``, ``iterations_done_``, ``best_iteration_``.

    The constructor checks every argument: ValueError naming it for a value out of range or not
    among the choices, TypeError for a wrong type. The methods check the data: ValueError for ``X``
    not ``(n_x, m)`` (naming ``X.T`` when that has the shape), NaN or infinite values, or targets the
    loss refuses (e.g. labels other than 0/1, ``Y`` not ``(1, m)``); TypeError for data that are not
    numbers or arrays of two libraries; RuntimeError for ``predict`` before ``fit``.

    >>> from nnxp.datasets import flower
    >>> X, Y = flower()                                         # X (2, 400), Y (1, 400) of 0/1
    >>> model = nnxp.NeuralNetwork([2, 4, 1], hidden_activation="tanh", learning_rate=1.2,
    ...                            num_iterations=1000, init="scaled").fit(X.astype(np.float32), Y)
    >>> model.predict(X).shape, model.predict(X).dtype, round(model.score(X, Y), 2), len(model.costs_)
    ((1, 400), dtype('float32'), 0.89, 10)
    """

    def __init__(self, layer_dims, *, hidden_activation="relu", learning_rate=0.0075,
                 num_iterations=2500, init="he", scale=0.01, seed=0, dtype=None,
                 backend=None, device=None, cost_every=100, print_cost=False,
                 batch_size=None, momentum=0.0, l2=0.0, loss=None, optimizer=None, decay_rate=0.0,
                 decay_interval=None, early_stopping=None, tol=0.0, keep_prob=1.0):
        self.layer_dims = check_layer_dims(layer_dims)
        self.loss = resolve_loss(loss, self.layer_dims[-1]).name
        self.hidden_activation = check_choice(hidden_activation, "hidden_activation", ACTIVATIONS)
        self.learning_rate = check_positive_number(learning_rate, "learning_rate")
        self.num_iterations = check_count(num_iterations, "num_iterations", 0)
        self.init = check_choice(init, "init", INITS)
        self.scale = check_positive_number(scale, "scale")
        self.seed = check_seed(seed)
        self.dtype = None if dtype is None else dtype_name(dtype)
        if isinstance(backend, str):
            check_choice(backend, "backend", BACKEND_NAMES)
        self.backend, self.device = backend, device
        self.cost_every = check_count(cost_every, "cost_every", 1)
        self.print_cost = bool(print_cost)
        self.batch_size = None if batch_size is None else check_count(batch_size, "batch_size", 1)
        self.momentum = check_in_range(momentum, "momentum", 0.0, 1.0)
        self.optimizer = resolve_optimizer(optimizer, self.momentum)
        self.l2 = check_in_range(l2, "l2", 0.0)
        self.decay_rate = check_in_range(decay_rate, "decay_rate", 0.0)
        self.decay_interval = None if decay_interval is None else check_count(decay_interval, "decay_interval", 1)
        self.early_stopping = None if early_stopping is None else check_count(early_stopping, "early_stopping", 1)
        self.tol = check_in_range(tol, "tol", 0.0)
        keep_probs = check_keep_prob(keep_prob, len(self.layer_dims) - 2)
        self.keep_prob = float(keep_prob) if isinstance(keep_prob, numbers.Real) else keep_probs

    def get_config(self):
        """The constructor's arguments as a JSON-serialisable dict (see :meth:`from_config`).

        A Generator/RandomState ``seed`` is recorded as None; a module ``backend`` by its name.
        """
        backend = self.backend if self.backend is None or isinstance(self.backend, str) else self.backend.__name__
        return {
            "layer_dims": list(self.layer_dims), "hidden_activation": self.hidden_activation,
            "learning_rate": self.learning_rate, "num_iterations": self.num_iterations,
            "init": self.init, "scale": self.scale,
            "seed": self.seed if isinstance(self.seed, int) else None,
            "dtype": self.dtype, "backend": backend,
            "device": None if self.device is None else str(self.device),
            "cost_every": self.cost_every, "print_cost": self.print_cost,
            "batch_size": self.batch_size, "momentum": self.momentum, "l2": self.l2, "loss": self.loss,
            "optimizer": self.optimizer.get_config(), "decay_rate": self.decay_rate,
            "decay_interval": self.decay_interval, "early_stopping": self.early_stopping, "tol": self.tol,
            "keep_prob": self.keep_prob if isinstance(self.keep_prob, float) else list(self.keep_prob),
        }

    @classmethod
    def from_config(cls, config):
        """An unfitted model from :meth:`get_config`'s dict (a None seed becomes 0)."""
        config = dict(config)
        config["seed"] = 0 if config.get("seed") is None else config["seed"]
        if config.get("backend") not in (None, *BACKEND_NAMES):
            config["backend"] = None
        return cls(**config)

    def __repr__(self):
        """``NeuralNetwork([2, 4, 1], hidden_activation='tanh')``: the non-default arguments."""
        defaults = NeuralNetwork([1, self.layer_dims[-1]]).get_config()
        changed = [f"{key}={value!r}" for key, value in self.get_config().items()
                   if key != "layer_dims" and value != defaults[key]]
        return f"NeuralNetwork({', '.join([repr(self.layer_dims), *changed])})"

    @property
    def activations(self):
        """One activation name per layer: the hidden ones, then the loss's output activation."""
        return [self.hidden_activation] * (len(self.layer_dims) - 2) + [self._loss.output_activation]

    @property
    def _loss(self):
        return get_loss(self.loss)

    @property
    def keep_probs(self):
        """One keep probability per hidden layer."""
        return check_keep_prob(self.keep_prob, len(self.layer_dims) - 2)

    def learning_rate_at(self, epoch):
        """The learning rate of epoch ``epoch`` (from 0): ``update_lr``, or ``schedule_lr_decay`` every
        ``decay_interval`` epochs; ``learning_rate`` itself when ``decay_rate`` is 0."""
        if self.decay_interval is None:
            return update_lr(self.learning_rate, epoch, self.decay_rate)
        return schedule_lr_decay(self.learning_rate, epoch, self.decay_rate, self.decay_interval)

    @property
    def is_classifier(self):
        """Whether the model predicts classes (the cross-entropies) rather than values (``"mse"``)."""
        return self._loss.classifier

    def fit(self, X, Y, *, resume=False, validation_data=None, progress=None, compile=None):
        """Train on ``X (n_x, m)`` and ``Y`` (see the class) for ``num_iterations``; returns ``self``.

        ``resume=True`` continues from ``parameters_`` and ``optimizer_state_`` (and the
        epoch and update counts, so costs keep their iteration numbers and Adam its ``t``)
        instead of fresh parameters; a new optimizer starts from its zero state.
        ``validation_data=(X_v, Y_v)`` records ``validation_costs_`` and ``validation_scores_``
        (what :meth:`score` measures) at the iterations that log a cost. ``progress(done, cost)``
        is called on the host after every iteration with the last logged cost; returning True stops
        training after that iteration. Features whose scales are over a thousand times apart draw a
        UserWarning: standardize them first.
        Dask arrays (chunked along the samples; ``validation_data`` too) train data-parallel on
        their cluster, the parameters on the driver (``nnxp.distributed``). ``compile``: the step
        (forward, cost, backward, update) is compiled where that is known to help (None: ``jax.jit``
        on JAX arrays); True also tries ``torch.compile`` on torch tensors, False never compiles.

        Raises :class:`TrainingDivergedError`, keeping the model as it was, when the cost stops being
        finite. On KeyboardInterrupt, or a ConnectionError (a Dask cluster's workers lost again and
        again), the model keeps the last completed iteration's state, then the exception goes on.
        """
        if self.early_stopping is not None and validation_data is None:
            raise ValueError(f"early_stopping={self.early_stopping} needs validation_data=(X_v, Y_v) to watch")
        runner = self._runner(X, Y, validation_data, resume, compile)
        with out_of_memory_explained(self, X), floating_point_quiet():
            state = self._resumed_state() if resume else self._fresh_state(runner)
            try:
                train(runner, state, self, self._loss, progress)
            except (KeyboardInterrupt, ConnectionError):
                self._keep(state)
                raise
        self._keep(state)
        return self

    def _runner(self, X, Y, validation_data, resume, compile=None):
        """Where the epochs run: the data's own library and device, or the chunks of Dask arrays."""
        if array_api_compat.is_dask_array(X):
            from . import distributed

            if resume:
                dtype = dtype_name(self.parameters_["W1"].dtype)
            else:  # as prepare_X: float32 stays float32, anything else trains in float64
                dtype = self.dtype or (X.dtype.name if X.dtype.name in ("float32", "float64") else "float64")
            return distributed.runner_for_fit(self, X, Y, validation_data, dtype)
        xp, X, Y = prepare_XY(self, X, Y, fitted=resume)
        unscaled = warn_if_unscaled(xp, X)
        validation = None if validation_data is None else prepare_validation(self, xp, validation_data, X.dtype)
        return LocalRunner(xp, X, Y, validation, *compiled(xp, self, self._loss, compile), unscaled=unscaled)

    def _fresh_state(self, runner):
        parameters = initialize_parameters(
            self.layer_dims, init=self.init, scale=self.scale, seed=self.seed,
            dtype=runner.dtype, backend=runner.xp, device=runner.device,
        )
        return TrainingState(parameters, self.optimizer.init(parameters), shuffle_seed(self.seed))

    def _resumed_state(self):
        optimizer_state, steps_done = self.optimizer_state_, self.steps_done_
        if set(optimizer_state) != set(self.optimizer.slots):  # another optimizer: from its zero state
            optimizer_state, steps_done = self.optimizer.init(self.parameters_), 0
        return TrainingState(
            self.parameters_, optimizer_state, self.shuffle_seed_, self.iterations_done_, steps_done,
            list(self.costs_), list(self.validation_costs_), list(self.validation_scores_), self.best_iteration_,
        )

    def _keep(self, state):
        """Make ``state`` the model's fitted state (the trailing-underscore attributes)."""
        self.parameters_, self.optimizer_state_ = state.parameters, state.optimizer_state
        self.shuffle_seed_, self.iterations_done_, self.steps_done_ = (
            state.shuffle_seed, state.iterations_done, state.steps_done)
        self.costs_ = state.costs
        self.validation_costs_ = state.validation_costs
        self.validation_scores_ = state.validation_scores
        self.best_iteration_ = state.best_iteration

    @property
    def velocities_(self):
        """The optimizer's first moments ``{"dW1": v, ...}`` (momentum, Adam); {} for the others."""
        return self.optimizer_state_.get("velocity", {})

    @property
    def validation_accuracies_(self):
        """``validation_scores_`` by its name of nnxp 0.1: accuracies for the classifiers."""
        return self.validation_scores_

    def _output(self, X):
        """``(xp, AL)``: the fitted model's output ``(n[L], m)`` on validated ``X``."""
        xp, X = prepare_X(self, X, fitted=True)
        return xp, _model_forward(xp, X, self.parameters_, self.activations)[0]

    def _on_dask(self, X, finish):
        """A Dask array of the output (``"proba"``) or the predictions (``"predict"``) for Dask ``X``."""
        from . import distributed

        fitted_parameters(self)
        return distributed.output(self, X, finish)

    def _dask_evaluation(self, X, Y):
        """``(cost, score)`` on Dask ``X``, ``Y``, computed chunk by chunk on their cluster."""
        from . import distributed

        fitted_parameters(self)
        return distributed.evaluation(self, X, Y)

    def predict_proba(self, X):
        """Class probabilities of each column of ``X (n_x, m)``, in the model's dtype.

        Binary: ``AL = P(y = 1 | x)``, ``(1, m)``; categorical: the softmax ``(C, m)``, each
        column summing to 1. A regression (``"mse"``) model has none: ValueError.
        """
        if not self.is_classifier:
            raise ValueError(f"predict_proba needs a classifier; this model's loss is {self.loss!r}: use predict")
        return self._on_dask(X, "proba") if array_api_compat.is_dask_array(X) else self._output(X)[1]

    def predict(self, X):
        """Predictions for ``X (n_x, m)``: binary 0/1 labels ``(1, m)`` in the model's dtype (AL > 0.5);
        categorical class indices ``(1, m)`` (the library's integer index dtype); ``"mse"`` the
        outputs ``(n[L], m)``."""
        if array_api_compat.is_dask_array(X):
            return self._on_dask(X, "predict")
        xp, AL = self._output(X)
        return self._loss.predict(xp, AL)

    def score(self, X, Y):
        """Accuracy for classifiers (the fraction of columns where ``predict(X)`` matches ``Y``), R^2
        averaged over outputs for ``"mse"``: a Python float. ``Y`` as for :meth:`fit`."""
        if array_api_compat.is_dask_array(X):
            return self._dask_evaluation(X, Y)[1]
        xp, X, Y = prepare_XY(self, X, Y, fitted=True)
        return float(self._loss.score(xp, _model_forward(xp, X, self.parameters_, self.activations)[0], Y))

    def cost(self, X, Y):
        """The cost J of the fitted model on ``X``, ``Y`` (from the logits, no L2 term): a float."""
        if array_api_compat.is_dask_array(X):
            return self._dask_evaluation(X, Y)[0]
        xp, X, Y = prepare_XY(self, X, Y, fitted=True)
        return float(forward_cost(xp, X, Y, self.parameters_, self.activations, self._loss)[2])

    def _checkpoint(self):
        """The fitted state as a :class:`~nnxp.checkpoint.Checkpoint` of host arrays."""
        def host(arrays):
            return {key: to_numpy(value) for key, value in arrays.items()}

        return checkpoint.Checkpoint(
            config=self.get_config(), layer_dims=list(self.layer_dims), activations=self.activations,
            loss=self.loss, parameters=host(fitted_parameters(self)),
            optimizer_state={slot: host(group) for slot, group in self.optimizer_state_.items()},
            iterations_done=self.iterations_done_, steps_done=self.steps_done_, shuffle_seed=self.shuffle_seed_,
            histories={name: getattr(self, name + "_") for name in checkpoint.HISTORIES},
            best_iteration=self.best_iteration_, preprocessing=dict(getattr(self, "preprocessing_", {})),
        )

    def save(self, path):
        """Write the fitted model to ``path`` (``.npz``, atomically); see :func:`nnxp.load`.

        A ``preprocessing_`` dict of host arrays (numbers or strings: the command line's feature
        names, scaling statistics and class labels), when set, is saved with it; the model itself
        never applies it."""
        return checkpoint.save(self._checkpoint(), path)
