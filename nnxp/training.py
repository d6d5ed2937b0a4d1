"""The training loop: epochs of (mini-batch) gradient descent, all on the data's device.

Each step is :func:`nnxp.step.gradient_step`; this module runs the epochs around it.

The only host synchronisations are the logged costs (every ``cost_every`` epochs) and, when
validation data is given, its cost and score at the same epochs.
"""

import math
import numbers
from dataclasses import dataclass, field

from .optim import _mini_batches
from .step import forward_cost, gradient_step


class TrainingDivergedError(FloatingPointError):
    """The cost stopped being finite: the learning rate is too large for this problem."""


class DeviceMemoryError(MemoryError):
    """The device ran out of memory during training; the message names the sizes involved."""


def out_of_memory_error(settings, m, dtype, device, exc):
    """A :class:`DeviceMemoryError` that says what needed the memory and what to try."""
    itemsize = 4 if "32" in str(dtype) else 8
    batch = m if settings.batch_size is None else min(m, settings.batch_size)
    dims = settings.layer_dims
    megabytes = {
        "data X": dims[0] * m * itemsize,
        "parameters": sum(n * (n_prev + 1) for n_prev, n in zip(dims, dims[1:])) * itemsize,
        "one step's Z, A and dZ": 3 * sum(dims[1:]) * batch * itemsize,
    }
    sizes = ", ".join(f"{name} {size / 2**20:,.1f} MiB" for name, size in megabytes.items())
    return DeviceMemoryError(
        f"out of memory on {device} training layer_dims={dims} on m={m} samples in "
        f"{dtype} ({sizes}); try a smaller batch_size, float32 or fewer samples. "
        f"The library said: {exc}"
    )


@dataclass
class TrainingState:
    """Everything a resumed run needs: parameters, momentum velocities, epochs done, history.

    ``validation_scores`` holds the loss's score (accuracy, or R^2 for "mse") on the validation data.
    """

    parameters: dict
    velocities: dict
    shuffle_seed: int
    iterations_done: int = 0
    costs: list = field(default_factory=list)
    validation_costs: list = field(default_factory=list)
    validation_scores: list = field(default_factory=list)


def shuffle_seed(seed):
    """The int that seeds the mini-batch shuffles: ``seed`` itself, or one drawn from a generator."""
    if isinstance(seed, numbers.Integral):
        return int(seed)
    if hasattr(seed, "integers"):  # numpy.random.Generator
        return int(seed.integers(2**63))
    return int(seed.randint(2**31))  # numpy.random.RandomState


def run_epoch(xp, X, Y, state, settings, loss, with_cost):
    """One pass over the data: one full batch, or shuffled mini-batches of ``settings.batch_size``.

    Returns ``(parameters, velocities, cost)`` with ``cost`` the per-sample mean of the
    mini-batch costs (a 0-d device array) when ``with_cost``.
    """
    m, batch_size = X.shape[1], settings.batch_size
    parameters, velocities = state.parameters, state.velocities
    if batch_size is None or batch_size >= m:
        return gradient_step(xp, X, Y, parameters, velocities, settings, loss, with_cost)
    total = 0.0
    for X_t, Y_t in _mini_batches(xp, X, Y, batch_size, state.shuffle_seed, state.iterations_done):
        parameters, velocities, cost = gradient_step(xp, X_t, Y_t, parameters, velocities, settings, loss,
                                                     with_cost)
        if with_cost:
            total = total + cost * X_t.shape[1]
    return parameters, velocities, (total / m if with_cost else None)


def read_cost(cost, epoch, settings):
    """The cost as a Python float (a host synchronisation); raises when it is not finite."""
    cost = float(cost)
    if not math.isfinite(cost):
        raise TrainingDivergedError(
            f"the cost became {cost} at iteration {epoch} with learning_rate="
            f"{settings.learning_rate}; training diverged, try a smaller learning rate"
        )
    if settings.print_cost:
        print(f"Cost after iteration {epoch}: {cost:.6f}")
    return cost


def record_validation(xp, state, validation, activations, loss):
    """Append the cost (no L2 term) and the score of the current parameters on ``(X_v, Y_v)``."""
    X_v, Y_v = validation
    AL, _, cost = forward_cost(xp, X_v, Y_v, state.parameters, activations, loss)
    state.validation_costs.append(float(cost))
    state.validation_scores.append(float(loss.score(xp, AL, Y_v)))


def train(xp, X, Y, state, settings, loss, validation=None, progress=None):
    """Run ``settings.num_iterations`` epochs of ``loss`` from ``state``, updating it after each epoch.

    ``Y`` and the validation ``Y_v`` are in the loss's training form. ``validation``: ``(X_v, Y_v)``
    on the same device, or None. ``progress(epochs_done, last_cost)`` is called on the host
    after every epoch.
    """
    start = state.iterations_done
    for epoch in range(start, start + settings.num_iterations):
        with_cost = epoch % settings.cost_every == 0
        parameters, velocities, cost = run_epoch(xp, X, Y, state, settings, loss, with_cost)
        if with_cost:
            state.costs.append(read_cost(cost, epoch, settings))
            if validation is not None:
                record_validation(xp, state, validation, settings.activations, loss)
        state.parameters, state.velocities, state.iterations_done = parameters, velocities, epoch + 1
        if progress is not None:
            progress(state.iterations_done, state.costs[-1] if state.costs else None)
    if not all(bool(xp.all(xp.isfinite(P))) for P in state.parameters.values()):
        raise TrainingDivergedError(
            f"the parameters stopped being finite after the last logged cost with learning_rate="
            f"{settings.learning_rate}; training diverged, try a smaller learning rate"
        )
