"""Optimizers and learning-rate schedules, written once against the array API.

An optimizer is a pure pair (the optax idea): ``init(parameters) -> state`` and
``update(parameters, grads, state, learning_rate, t) -> (parameters, state)``, over dicts of
arrays; neither mutates its inputs. ``state`` maps slot names to dicts keyed like the
gradients: ``{"velocity": {"dW1": v_dW1, ...}, "squared": {"dW1": s_dW1, ...}}`` (the course's
``v`` and ``s``). ``t`` counts updates (mini-batches) from 1. The course's formulas, for every
``W{l}`` and ``b{l}`` (``dW`` the gradient, ``alpha`` the learning rate):

- :class:`GradientDescent`: ``W -= alpha dW``.
- :class:`Momentum`: ``v = beta v + (1 - beta) dW``, ``W -= alpha v``.
- :class:`RMSprop`: ``s = beta s + (1 - beta) dW^2``, ``W -= alpha dW / (sqrt(s) + epsilon)``.
- :class:`Adam`: ``v = beta1 v + (1 - beta1) dW``, ``s = beta2 s + (1 - beta2) dW^2``,
  ``v^ = v / (1 - beta1^t)``, ``s^ = s / (1 - beta2^t)``, ``W -= alpha v^ / (sqrt(s^) + epsilon)``.

The course's functions are here too: ``initialize_velocity``, ``update_parameters_with_momentum``,
``initialize_adam``, ``update_parameters_with_adam``, and the decays ``update_lr`` and
``schedule_lr_decay``.
"""

import dataclasses
import math

from .backend import namespace
from .kernels import update_parameters

__all__ = [
    "Optimizer", "GradientDescent", "Momentum", "RMSprop", "Adam", "OPTIMIZERS", "get_optimizer", "make_optimizer",
    "initialize_velocity", "update_parameters_with_momentum", "initialize_adam", "update_parameters_with_adam",
    "update_lr", "schedule_lr_decay",
]

# ---------------------------------------------------------------- the course's functions


def _zeros_like_grads(parameters):
    xp = namespace(*parameters.values())
    return {"d" + key: xp.zeros_like(P) for key, P in parameters.items()}


def initialize_velocity(parameters):
    """Zero velocities ``{"dW1": 0, "db1": 0, ...}`` shaped, typed and placed like the parameters.

    ``parameters`` ``{"W1": (n[1], n[0]), "b1": (n[1], 1), ...}``; ``v["dW1"]`` is ``(n[1], n[0])``.

    >>> nnxp.initialize_velocity({"W1": np.ones((4, 2)), "b1": np.ones((4, 1))})["dW1"].shape
    (4, 2)
    """
    return _zeros_like_grads(parameters)


def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    """Gradient descent with momentum, the course's form, for every W and b:

    v_dW = beta v_dW + (1 - beta) dW,  W := W - alpha v_dW.
    ``parameters`` ``{"W1": (n[1], n[0]), "b1": (n[1], 1), ...}``, ``grads`` and ``v`` keyed
    ``"dW1", "db1", ...`` with the same shapes. Returns new ``(parameters, v)``; the inputs are
    not mutated.

    >>> parameters = {"W1": np.array([[1.0]]), "b1": np.array([[0.0]])}
    >>> grads = {"dW1": np.array([[0.5]]), "db1": np.array([[1.0]])}
    >>> nnxp.update_parameters_with_momentum(parameters, grads, nnxp.initialize_velocity(parameters), 0.9, 0.1)
    ({'W1': array([[0.995]]), 'b1': array([[-0.01]])}, {'dW1': array([[0.05]]), 'db1': array([[0.1]])})
    """
    v = {key: beta * v[key] + (1 - beta) * grads[key] for key in v}
    return {key: P - learning_rate * v["d" + key] for key, P in parameters.items()}, v


def initialize_adam(parameters):
    """``(v, s)``: zero first and second moments keyed ``"dW1", "db1", ...``, like the parameters.

    ``v["dW1"]`` and ``s["dW1"]`` are ``(n[1], n[0])`` zeros of ``W1``'s dtype and device.

    >>> v, s = nnxp.initialize_adam({"W1": np.ones((4, 2)), "b1": np.ones((4, 1))})
    >>> sorted(v), s["db1"].shape
    (['dW1', 'db1'], (4, 1))
    """
    return _zeros_like_grads(parameters), _zeros_like_grads(parameters)


def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999,
                                epsilon=1e-8):
    """One Adam update, the course's form, for every W and b (``t`` >= 1 counts the updates):

    v = beta1 v + (1 - beta1) dW,  s = beta2 s + (1 - beta2) dW^2,
    v_corrected = v / (1 - beta1^t),  s_corrected = s / (1 - beta2^t),
    W := W - alpha v_corrected / (sqrt(s_corrected) + epsilon).
    ``parameters`` ``{"W1": (n[1], n[0]), "b1": (n[1], 1), ...}``; ``grads``, ``v`` and ``s``
    keyed ``"dW1", "db1", ...`` with the same shapes. Returns new
    ``(parameters, v, s, v_corrected, s_corrected)``; the inputs are not mutated.

    >>> parameters = {"W1": np.array([[1.0]]), "b1": np.array([[0.0]])}
    >>> grads = {"dW1": np.array([[0.5]]), "db1": np.array([[1.0]])}
    >>> v, s = nnxp.initialize_adam(parameters)
    >>> parameters, v, s, _, _ = nnxp.update_parameters_with_adam(parameters, grads, v, s, t=1, learning_rate=0.1)
    >>> parameters  # the first step moves each parameter by about alpha
    {'W1': array([[0.9]]), 'b1': array([[-0.1]])}
    """
    xp = namespace(*parameters.values())
    v = {key: beta1 * v[key] + (1 - beta1) * grads[key] for key in v}
    s = {key: beta2 * s[key] + (1 - beta2) * (grads[key] * grads[key]) for key in s}
    v_corrected = {key: value / (1 - beta1**t) for key, value in v.items()}
    s_corrected = {key: value / (1 - beta2**t) for key, value in s.items()}
    parameters = {
        key: P - learning_rate * v_corrected["d" + key] / (xp.sqrt(s_corrected["d" + key]) + epsilon)
        for key, P in parameters.items()
    }
    return parameters, v, s, v_corrected, s_corrected


def update_lr(learning_rate0, epoch_num, decay_rate):
    """The course's learning-rate decay: alpha = alpha0 / (1 + decay_rate * epoch_num).

    Python numbers in, a float out; ``epoch_num`` counts from 0 (epoch 0 trains at alpha0).

    >>> nnxp.update_lr(0.1, epoch_num=2, decay_rate=1.0)
    0.0333...
    """
    return learning_rate0 / (1 + decay_rate * epoch_num)


def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    """Decay in steps: alpha = alpha0 / (1 + decay_rate * floor(epoch_num / time_interval)).

    Python numbers in, a float out: alpha0 for the first ``time_interval`` epochs, then lower.

    >>> nnxp.schedule_lr_decay(0.1, epoch_num=2500, decay_rate=1.0, time_interval=1000)
    0.0333...
    """
    return learning_rate0 / (1 + decay_rate * math.floor(epoch_num / time_interval))


# ---------------------------------------------------------------- optimizers as objects


def _check_beta(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < 1:
        raise ValueError(f"{name} must be a number in [0, 1), got {value!r}")


def _check_epsilon(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not (math.isfinite(value) and value > 0):
        raise ValueError(f"epsilon must be a positive number, got {value!r}")


class Optimizer:
    """The (init, update) pair; subclasses are frozen dataclasses of their hyperparameters.

    A state is ``{slot: {"dW1": (n[1], n[0]), "db1": (n[1], 1), ...}}``: one dict of arrays per
    name of ``slots``, keyed and shaped like the gradients. A new optimizer is a subclass with
    ``name``, ``slots`` and :meth:`update` (and an entry in :data:`~nnxp.OPTIMIZERS`).

    >>> optimizer = nnxp.Adam()
    >>> parameters = {"W1": np.ones((4, 2)), "b1": np.zeros((4, 1))}
    >>> state = optimizer.init(parameters)
    >>> sorted(state), state["velocity"]["dW1"].shape
    (['squared', 'velocity'], (4, 2))
    """

    name = ""
    slots = ()
    """The names of the state's dicts of arrays."""
    shared_settings = {}
    """Field -> the setting name the command line and :func:`~nnxp.core.optimizers.make_optimizer` give it."""

    def init(self, parameters):
        """The zero state: one dict of zeros like the gradients per slot."""
        return {slot: _zeros_like_grads(parameters) for slot in self.slots}

    def update(self, parameters, grads, state, learning_rate, t):
        """``(parameters, state)`` after one update with ``grads`` at update number ``t`` (from 1)."""
        raise NotImplementedError

    def get_config(self):
        """``{"name": ..., hyperparameter: value, ...}``, JSON-serialisable (see :func:`get_optimizer`)."""
        return {"name": self.name, **dataclasses.asdict(self)}


@dataclasses.dataclass(frozen=True)
class GradientDescent(Optimizer):
    """``W -= alpha dW``: the course's plain gradient descent; no state.

    For every ``W{l} (n[l], n[l-1])`` and ``b{l} (n[l], 1)``; the default optimizer of the model.

    >>> nnxp.GradientDescent().update({"W1": np.array([[1.0]])}, {"dW1": np.array([[0.5]])}, {}, 0.1, t=1)
    ({'W1': array([[0.95]])}, {})
    """

    name = "gd"

    def update(self, parameters, grads, state, learning_rate, t):
        return update_parameters(parameters, grads, learning_rate), state


@dataclasses.dataclass(frozen=True)
class Momentum(Optimizer):
    """``v = beta v + (1 - beta) dW``, ``W -= alpha v``; ``beta`` in [0, 1), else ValueError.

    State ``{"velocity": v}``, ``v["dW1"]`` shaped like ``W1 (n[1], n[0])``; see
    :func:`nnxp.update_parameters_with_momentum`.

    >>> optimizer = nnxp.Momentum(beta=0.9)
    >>> parameters = {"W1": np.array([[1.0]])}
    >>> optimizer.update(parameters, {"dW1": np.array([[0.5]])}, optimizer.init(parameters), 0.1, t=1)
    ({'W1': array([[0.995]])}, {'velocity': {'dW1': array([[0.05]])}})
    """

    beta: float = 0.9
    name = "momentum"
    slots = ("velocity",)
    shared_settings = {"beta": "beta1"}

    def __post_init__(self):
        _check_beta(self.beta, "beta")

    def update(self, parameters, grads, state, learning_rate, t):
        parameters, v = update_parameters_with_momentum(parameters, grads, state["velocity"], self.beta,
                                                        learning_rate)
        return parameters, {"velocity": v}


@dataclasses.dataclass(frozen=True)
class RMSprop(Optimizer):
    """``s = beta s + (1 - beta) dW^2``, ``W -= alpha dW / (sqrt(s) + epsilon)``.

    State ``{"squared": s}``, ``s["dW1"]`` shaped like ``W1 (n[1], n[0])``. ``beta`` in [0, 1) and
    ``epsilon`` > 0, else ValueError (when made).

    >>> nnxp.RMSprop(beta=0.95)
    RMSprop(beta=0.95, epsilon=1e-08)
    >>> nnxp.RMSprop(beta=1.0)
    Traceback (most recent call last):
    ...
    ValueError: beta must be a number in [0, 1), got 1.0
    """

    beta: float = 0.9
    epsilon: float = 1e-8
    name = "rmsprop"
    slots = ("squared",)
    shared_settings = {"beta": "beta2", "epsilon": "epsilon"}

    def __post_init__(self):
        _check_beta(self.beta, "beta")
        _check_epsilon(self.epsilon)

    def update(self, parameters, grads, state, learning_rate, t):
        xp = namespace(*parameters.values())
        beta, s = self.beta, state["squared"]
        s = {key: beta * s[key] + (1 - beta) * (grads[key] * grads[key]) for key in s}
        parameters = {key: P - learning_rate * grads["d" + key] / (xp.sqrt(s["d" + key]) + self.epsilon)
                      for key, P in parameters.items()}
        return parameters, {"squared": s}


@dataclasses.dataclass(frozen=True)
class Adam(Optimizer):
    """Momentum and RMSprop with bias correction: see :func:`nnxp.update_parameters_with_adam`.

    State ``{"velocity": v, "squared": s}``, each keyed ``"dW1", ...`` and shaped like
    ``W1 (n[1], n[0])``; ``t`` (from 1) corrects the bias. ``beta1``, ``beta2`` in [0, 1) and
    ``epsilon`` > 0, else ValueError.

    >>> model = nnxp.NeuralNetwork([2, 3, 1], optimizer=nnxp.Adam(beta1=0.8), learning_rate=0.01)
    >>> model.optimizer
    Adam(beta1=0.8, beta2=0.999, epsilon=1e-08)
    """

    beta1: float = 0.9
    beta2: float = 0.999
    epsilon: float = 1e-8
    name = "adam"
    slots = ("velocity", "squared")
    shared_settings = {"beta1": "beta1", "beta2": "beta2", "epsilon": "epsilon"}

    def __post_init__(self):
        _check_beta(self.beta1, "beta1")
        _check_beta(self.beta2, "beta2")
        _check_epsilon(self.epsilon)

    def update(self, parameters, grads, state, learning_rate, t):
        parameters, v, s, _, _ = update_parameters_with_adam(
            parameters, grads, state["velocity"], state["squared"], t, learning_rate, self.beta1, self.beta2,
            self.epsilon,
        )
        return parameters, {"velocity": v, "squared": s}


OPTIMIZERS = {cls.name: cls for cls in (GradientDescent, Momentum, RMSprop, Adam)}
"""Name -> optimizer class; ``OPTIMIZERS[name]()`` has the defaults above."""


def get_optimizer(spec):
    """An optimizer from a name of :data:`~nnxp.OPTIMIZERS` (its defaults), a :meth:`Optimizer.get_config`
    dict, or an :class:`Optimizer` itself; ValueError naming ``optimizer`` otherwise.

    >>> from nnxp.core.optimizers import get_optimizer
    >>> get_optimizer("adam"), get_optimizer({"name": "momentum", "beta": 0.8})
    (Adam(beta1=0.9, beta2=0.999, epsilon=1e-08), Momentum(beta=0.8))
    """
    if isinstance(spec, Optimizer):
        return spec
    config = dict(spec) if isinstance(spec, dict) else {"name": spec}
    cls = OPTIMIZERS.get(config.pop("name", None)) if isinstance(config.get("name"), str) else None
    if cls is None:
        raise ValueError(f"optimizer must be one of {sorted(OPTIMIZERS)} or an nnxp.core.optimizers object, got {spec!r}")
    try:
        return cls(**config)
    except TypeError as exc:
        raise ValueError(f"optimizer {spec!r} has settings {cls.__name__} does not take ({exc})") from None


SHARED_SETTINGS = ("beta1", "beta2", "epsilon")
"""The settings :func:`make_optimizer` reads, shared by the optimizers that have them."""


def make_optimizer(name, *, beta1=None, beta2=None, epsilon=None):
    """The optimizer ``name`` with the settings given (None: its default), as the command line and
    :func:`nnxp.search` name them: ``beta1`` is Momentum's beta and Adam's beta1, ``beta2`` RMSprop's
    beta and Adam's beta2; settings an optimizer does not have are not read. ValueError for an
    unknown name or a setting out of range.

    >>> from nnxp.core.optimizers import make_optimizer
    >>> make_optimizer("rmsprop", beta1=0.5, beta2=0.95)
    RMSprop(beta=0.95, epsilon=1e-08)
    """
    given = {"beta1": beta1, "beta2": beta2, "epsilon": epsilon}
    cls = type(get_optimizer(name))
    return cls(**{field: given[shared] for field, shared in cls.shared_settings.items() if given[shared] is not None})


def resolve_optimizer(optimizer, momentum=0.0):
    """The model's optimizer from its ``optimizer`` and ``momentum`` arguments.

    ``optimizer`` None means gradient descent, or ``Momentum(momentum)`` when ``momentum`` > 0 (the
    argument of nnxp 0.1); the name ``"momentum"`` takes ``momentum`` as its beta when given. Any
    other optimizer with ``momentum`` > 0 is a ValueError: give one or the other.
    """
    if optimizer is None:
        return Momentum(momentum) if momentum else GradientDescent()
    if momentum and optimizer == "momentum":
        return Momentum(momentum)
    resolved = get_optimizer(optimizer)
    if momentum and resolved != Momentum(momentum):
        raise ValueError(
            f"momentum={momentum} means optimizer Momentum(beta={momentum}), but optimizer={optimizer!r} was "
            "given too: give one or the other"
        )
    return resolved
