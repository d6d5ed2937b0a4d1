"""NeuralNetwork: the course's L-layer network, trained by gradient descent, and its checkpoints.

Logistic regression is ``layer_dims=[n_x, 1]``, the shallow network
``[n_x, n_h, 1]``, the deep network ``[n_x, n_1, ..., n_{L-1}, n_L]``: hidden
layers use ``hidden_activation``, the output layer the activation of the loss
(sigmoid for binary, softmax for categorical cross-entropy, linear for squared error).
"""

import dataclasses
import numbers

from . import checkpoint
from ..core.activations import ACTIVATIONS
from ..core.backend import BACKEND_NAMES, dtype_name, floating_point_quiet, namespace
from ..training.config import TrainingConfig
from ..core.dropout import check_keep_prob
from ..core.initialization import INITS, initialize_parameters
from .inputs import fitted_parameters
from ..core.losses import LOSSES, resolve_loss
from .engines import engine_for
from ..core.optimizers import resolve_optimizer
from ..core.penalties import penalties_of
from ..training.loop import TrainingState, out_of_memory_explained, shuffle_seed, train
from ..core.checks import (
    Check,
    Count,
    Either,
    InRange,
    Is,
    OneOf,
    Positive,
    check_choice,
    check_layer_dims,
    check_seed,
    check_settings,
)


SETTINGS = {
    "hidden_activation": OneOf(ACTIVATIONS),
    "learning_rate": Positive(),
    "num_iterations": Count(0),
    "init": OneOf(INITS),
    "scale": Positive(),
    "seed": Check(check_seed, "an int, a numpy Generator or a RandomState"),
    "dtype": Either(Is(None), Check(dtype_name, "float32 or float64")),
    "cost_every": Count(1),
    "print_cost": Check(bool, "true or false"),
    "batch_size": Either(Is(None), Count(1)),
    "momentum": InRange(0.0, 1.0),
    "l2": InRange(0.0),
    "weight_decay": InRange(0.0),
    "decay_rate": InRange(0.0),
    "decay_interval": Either(Is(None), Count(1)),
    "early_stopping": Either(Is(None), Count(1)),
    "tol": InRange(0.0),
}
"""The constraints of :class:`NeuralNetwork`'s independent settings (:mod:`nnxp.core.checks`: ValueError
or TypeError naming the setting), read by the constructor and again when ``fit`` builds its
:class:`~nnxp.training.config.TrainingConfig`; ``layer_dims``, ``loss``, ``optimizer``, ``keep_prob`` and
``backend`` depend on others and are checked beside them."""


def fitted_state(model):
    """The fitted :class:`~nnxp.training.loop.TrainingState` of ``model``; RuntimeError when it has none."""
    fitted_parameters(model)
    return model.state_


def _fitted(field, what):
    """A read-only view of the fitted state's ``field`` (AttributeError before ``fit``, so ``hasattr``
    says whether the model is fitted)."""

    def read(self):
        try:
            state = self.__dict__["state_"]
        except KeyError:
            raise AttributeError(f"{field}_: this model is not fitted") from None
        return getattr(state, field)

    return property(read, doc=f"Fitted: {what} (from ``state_``, a :class:`~nnxp.training.loop.TrainingState`).")


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
    :mod:`nnxp.core.optimizers`; None is gradient descent, or momentum with ``momentum`` beta > 0
    (``v = beta v + (1 - beta) dW``, ``W := W - learning_rate v``). ``l2`` lambda: cost
    ``J + lambda/(2m) sum ||W||^2``, gradients ``dW + (lambda/m) W``. ``weight_decay`` d: decoupled
    weight decay (AdamW's), ``W := W' - learning_rate d W`` after each update (:mod:`nnxp.core.penalties`).

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
    ``validation_costs_``, ``validation_scores_``, ``iterations_done_``, ``best_iteration_``: views of
    ``state_``, the one :class:`~nnxp.training.loop.TrainingState` that ``fit`` leaves and checkpoints carry.

    The constructor checks every argument: ValueError naming it for a value out of range or not
    among the choices, TypeError for a wrong type. The methods check the data: ValueError for ``X``
    not ``(n_x, m)`` (naming ``X.T`` when that has the shape), NaN or infinite values, or targets the
    loss refuses (e.g. labels other than 0/1, ``Y`` not ``(1, m)``); TypeError for data that are not
    numbers or arrays of two libraries; RuntimeError for ``predict`` before ``fit``.

    >>> from nnxp.data.datasets import flower
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
                 decay_interval=None, early_stopping=None, tol=0.0, keep_prob=1.0, weight_decay=0.0):
        self.layer_dims = check_layer_dims(layer_dims)
        self._loss = resolve_loss(loss, self.layer_dims[-1])  # the Loss object: a user's own one too
        self.loss = self._loss.name
        given = {"hidden_activation": hidden_activation, "learning_rate": learning_rate,
                 "num_iterations": num_iterations, "init": init, "scale": scale, "seed": seed, "dtype": dtype,
                 "cost_every": cost_every, "print_cost": print_cost, "batch_size": batch_size,
                 "momentum": momentum, "l2": l2, "decay_rate": decay_rate, "decay_interval": decay_interval,
                 "early_stopping": early_stopping, "tol": tol, "weight_decay": weight_decay}
        for name, value in check_settings(SETTINGS, given).items():
            setattr(self, name, value)
        if isinstance(backend, str):
            check_choice(backend, "backend", BACKEND_NAMES)
        self.backend, self.device = backend, device
        self.optimizer = resolve_optimizer(optimizer, self.momentum)
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
            "weight_decay": self.weight_decay,
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
    def loss_object(self):
        """The :class:`~nnxp.core.losses.Loss` itself (``loss`` is its name): what the output means, its
        probabilities, class indices, targets and score; a loss object of your own stays one."""
        return self._loss

    @property
    def keep_probs(self):
        """One keep probability per hidden layer."""
        return check_keep_prob(self.keep_prob, len(self.layer_dims) - 2)

    def training_config(self):
        """The :class:`~nnxp.training.config.TrainingConfig` of a ``fit`` with the current settings, each checked
        again (:data:`SETTINGS`): a setting changed after construction is refused here, naming it."""
        checked = check_settings(SETTINGS, vars(self))
        return TrainingConfig(
            layer_dims=tuple(self.layer_dims), activations=tuple(self.activations), loss=self._loss,
            optimizer=resolve_optimizer(self.optimizer, checked["momentum"]),
            learning_rate=checked["learning_rate"], decay_rate=checked["decay_rate"],
            decay_interval=checked["decay_interval"], penalties=penalties_of(checked["l2"], checked["weight_decay"]),
            keep_probs=tuple(self.keep_probs),
            batch_size=checked["batch_size"], num_iterations=checked["num_iterations"],
            cost_every=checked["cost_every"], print_cost=checked["print_cost"],
            early_stopping=checked["early_stopping"], tol=checked["tol"],
        )

    def learning_rate_at(self, epoch):
        """The learning rate of epoch ``epoch`` (from 0): see :meth:`nnxp.training.config.TrainingConfig.learning_rate_at`."""
        return self.training_config().learning_rate_at(epoch)

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
        is called on the host after every iteration with the last logged cost (after every compiled
        call of several on JAX, ``done`` then growing by more than one); returning True stops
        training there. Features whose scales are over a thousand times apart draw a
        UserWarning: standardize them first.
        Dask arrays (chunked along the samples; ``validation_data`` too) train data-parallel on
        their cluster, the parameters on the driver (``nnxp.dask.runner``). ``compile``: the step
        (forward, cost, backward, update) is compiled where that is known to help (None: ``jax.jit``
        on JAX arrays); True also tries ``torch.compile`` on torch tensors, False never compiles.

        Raises :class:`TrainingDivergedError`, keeping the model as it was, when the cost stops being
        finite. On KeyboardInterrupt, or a ConnectionError (a Dask cluster's workers lost again and
        again), the model keeps the last completed iteration's state, then the exception goes on.
        """
        config = self.training_config()
        if config.early_stopping is not None and validation_data is None:
            raise ValueError(f"early_stopping={config.early_stopping} needs validation_data=(X_v, Y_v) to watch")
        runner = engine_for(X).runner(self, config, X, Y, validation_data, resume, compile)
        with out_of_memory_explained(config, X), floating_point_quiet():
            state = self._resumed_state(config) if resume else self._fresh_state(runner, config)
            try:
                train(runner, state, config, config.loss, progress)
            except (KeyboardInterrupt, ConnectionError):  # the last completed epoch's state is kept
                self.state_ = state
                raise
        self.state_ = state
        return self

    def _fresh_state(self, runner, config):
        parameters = initialize_parameters(
            self.layer_dims, init=self.init, scale=self.scale, seed=self.seed,
            dtype=runner.dtype, backend=runner.xp, device=runner.device,
        )
        return TrainingState(parameters, config.optimizer.init(parameters), shuffle_seed(self.seed))

    def _resumed_state(self, config):
        """A copy of the fitted state to go on from; a new optimizer starts from its zero state."""
        state = fitted_state(self)
        optimizer_state, steps_done = state.optimizer_state, state.steps_done
        if set(optimizer_state) != set(config.optimizer.slots):
            optimizer_state, steps_done = config.optimizer.init(state.parameters), 0
        return dataclasses.replace(state, optimizer_state=optimizer_state, steps_done=steps_done,
                                   costs=list(state.costs), validation_costs=list(state.validation_costs),
                                   validation_scores=list(state.validation_scores), reference_cost=None)

    parameters_ = _fitted("parameters", "``{\"W1\": (n[1], n[0]), \"b1\": (n[1], 1), ...}``, on the data's library")

    @parameters_.setter
    def parameters_(self, parameters):
        """Parameters set by hand (the course's way of trying given weights): the model is then fitted
        with them, its optimizer state empty, its counts and histories kept (or none)."""
        state = self.__dict__.get("state_")
        self.state_ = (TrainingState(parameters, {}, shuffle_seed(self.seed)) if state is None
                       else dataclasses.replace(state, parameters=parameters))
    optimizer_state_ = _fitted("optimizer_state", "the optimizer's slots ``{\"velocity\": {\"dW1\": ...}, ...}``")
    shuffle_seed_ = _fitted("shuffle_seed", "the seed of the mini-batch shuffles and dropout masks")
    iterations_done_ = _fitted("iterations_done", "epochs done over every fit (and resume)")
    steps_done_ = _fitted("steps_done", "the optimizer's updates done (Adam's ``t``)")
    costs_ = _fitted("costs", "the logged costs, every ``cost_every`` epochs")
    validation_costs_ = _fitted("validation_costs", "the validation data's costs at the logged epochs")
    validation_scores_ = _fitted("validation_scores", "the validation data's scores at the logged epochs")
    best_iteration_ = _fitted("best_iteration", "the epoch whose parameters early stopping kept (else None)")

    @property
    def velocities_(self):
        """The optimizer's first moments ``{"dW1": v, ...}`` (momentum, Adam); {} for the others."""
        return self.optimizer_state_.get("velocity", {})

    @property
    def validation_accuracies_(self):
        """``validation_scores_`` by its name of nnxp 0.1: accuracies for the classifiers."""
        return self.validation_scores_

    def _output(self, X):
        """``(xp, AL)``: the fitted model's output ``(n[L], m)`` for ``X``, where its engine computes."""
        AL = engine_for(X).output(self, X, "proba")
        return namespace(AL), AL

    def predict_proba(self, X):
        """Class probabilities of each column of ``X (n_x, m)``, in the model's dtype.

        Binary: ``AL = P(y = 1 | x)``, ``(1, m)``; categorical: the softmax ``(C, m)``, each
        column summing to 1. A regression (``"mse"``) model has none: ValueError.
        """
        if not self.is_classifier:
            raise ValueError(f"predict_proba needs a classifier; this model's loss is {self.loss!r}: use predict")
        return engine_for(X).output(self, X, "proba")

    def predict(self, X):
        """Predictions for ``X (n_x, m)``: binary 0/1 labels ``(1, m)`` in the model's dtype (AL > 0.5);
        categorical class indices ``(1, m)`` (the library's integer index dtype); ``"mse"`` the
        outputs ``(n[L], m)``."""
        return engine_for(X).output(self, X, "predict")

    def score(self, X, Y):
        """Accuracy for classifiers (the fraction of columns where ``predict(X)`` matches ``Y``), R^2
        averaged over outputs for ``"mse"``: a Python float. ``Y`` as for :meth:`fit`."""
        return engine_for(X).evaluation(self, X, Y)[1]

    def cost(self, X, Y):
        """The cost J of the fitted model on ``X``, ``Y`` (from the logits, no L2 term): a float."""
        return engine_for(X).evaluation(self, X, Y)[0]

    def _checkpoint(self):
        """The fitted state as a :class:`~nnxp.model.checkpoint.Checkpoint` of host arrays."""
        return checkpoint.Checkpoint.of(fitted_state(self), config=self.get_config(), layer_dims=self.layer_dims,
                                        activations=self.activations, loss=self.loss,
                                        preprocessing=getattr(self, "preprocessing_", {}))

    def save(self, path):
        """Write the fitted model to ``path`` (``.npz``, atomically); see :func:`nnxp.load`.

        A ``preprocessing_`` (:class:`~nnxp.model.preprocessing.Preprocessing`, or a dict of host arrays:
        the command line's feature names, scaling statistics and class labels), when set, is saved
        with it; the model itself never applies it. A checkpoint names its loss: one of
        :data:`nnxp.LOSSES` (a loss object of your own: register it there under its name first,
        else ValueError)."""
        if LOSSES.get(self.loss) is not self._loss:
            raise ValueError(f"loss {self.loss!r} is not nnxp.LOSSES[{self.loss!r}]: a checkpoint names its loss, so "
                             f"register it first (nnxp.LOSSES[{self.loss!r}] = loss) to save this model")
        return checkpoint.save(self._checkpoint(), path)
