"""The training loop: epochs of (mini-batch) updates, all on the data's device.

Each step is :func:`nnxp.core.step.gradient_step`; this module runs the epochs around it: the
learning rate of each epoch, the dropout masks' generator, early stopping and the divergence guard.

The only host synchronisations are the logged costs (every ``cost_every`` epochs), when
validation data is given its cost and score at the same epochs, the final parameters' cost (the
divergence guard's last look), and with mini-batches one read of the starting parameters' cost
before the first epoch (the guard's scale).
"""

import contextlib
import functools
import math
import numbers
from dataclasses import dataclass, field

import array_api_compat

from ..core.backend import epoch_seed, is_out_of_memory, uniform_source
from .batches import _mini_batches
from ..core.step import gradient_step


class TrainingDivergedError(FloatingPointError):
    """The cost stopped being finite: the learning rate is too large for this problem.

    Raised by ``fit`` when a logged cost is NaN, infinite or over 100 times the larger of the
    first logged cost and a blind guess's; the model keeps its state from before that ``fit``.

    >>> X, Y = np.array([[0.0, 1.0, 2.0, 3.0]]), np.array([[0.0, 1.0, 0.0, 1.0]])
    >>> nnxp.NeuralNetwork([1, 4, 1], hidden_activation="tanh", learning_rate=1e6, num_iterations=50,
    ...                    cost_every=10).fit(X, Y)
    Traceback (most recent call last):
    ...
    nnxp.training.loop.TrainingDivergedError: the cost became ... with learning_rate=1000000.0; training diverged, ...
    """


class DeviceMemoryError(MemoryError):
    """The device ran out of memory during training; the message names the sizes involved.

    ``fit`` raises it instead of the library's own out-of-memory error, naming ``layer_dims``, m,
    the dtype and the MiB that the data ``X (n_x, m)``, the parameters and one step's Z, A and dZ
    need; try a smaller ``batch_size``, float32 or fewer samples.

    >>> X, Y = np.array([[0.0, 1.0]]), np.array([[0.0, 1.0]])
    >>> try:
    ...     model = nnxp.NeuralNetwork([1, 1], num_iterations=5).fit(X, Y)
    ... except nnxp.DeviceMemoryError as exc:  # not here: two samples fit anywhere
    ...     print(exc)
    """


def out_of_memory_error(settings, m, dtype, device, exc):
    """A :class:`DeviceMemoryError` that says what needed the memory and what to try."""
    itemsize = 4 if "32" in str(dtype) else 8
    batch = m if settings.batch_size is None else min(m, settings.batch_size)
    dims = list(settings.layer_dims)
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


@contextlib.contextmanager
def out_of_memory_explained(settings, X):
    """Turn a library's out-of-memory error while training on ``X`` into a :class:`DeviceMemoryError`
    naming the sizes (:func:`out_of_memory_error`)."""
    try:
        yield
    except Exception as exc:
        if not is_out_of_memory(exc):
            raise
        raise out_of_memory_error(settings, X.shape[1], X.dtype, array_api_compat.device(X), exc) from exc


@dataclass
class TrainingState:
    """Everything a resumed run needs: parameters, the optimizer's state, epochs and updates done,
    the histories.

    ``steps_done`` counts the optimizer's updates (mini-batches), ``t`` of the last one.
    ``validation_scores`` holds the loss's score (accuracy, or R^2 for "mse") on the validation
    data; ``best_iteration`` the epoch of the parameters early stopping kept (None without it).
    """

    parameters: dict
    optimizer_state: dict
    shuffle_seed: int
    iterations_done: int = 0
    steps_done: int = 0
    costs: list = field(default_factory=list)
    validation_costs: list = field(default_factory=list)
    validation_scores: list = field(default_factory=list)
    best_iteration: int | None = None
    reference_cost: float | None = None
    """The cost of the starting parameters, the divergence guard's scale (None: the first logged cost)."""


@dataclass
class EarlyStopping:
    """Stop after ``patience`` evaluations in a row without a new lowest validation cost; keep the best.

    A new lowest cost must be below the best one by more than ``tol`` (0: any decrease counts).
    ``best`` holds ``(parameters, optimizer state, epoch)`` of the lowest validation cost so far:
    references, not copies (no update mutates its inputs).
    """

    patience: int
    tol: float = 0.0
    best_cost: float = math.inf
    best: tuple | None = None
    waited: int = 0

    def stop_after(self, validation_cost, state):
        """Record the evaluation of ``state`` (before its epoch's update); True when it is time to stop."""
        if validation_cost < self.best_cost - self.tol:
            self.best_cost, self.waited = validation_cost, 0
            self.best = (state.parameters, state.optimizer_state, state.iterations_done)
            return False
        self.waited += 1
        return self.waited >= self.patience

    def restore(self, state):
        """Give ``state`` the best evaluation's parameters and optimizer state (when there was one)."""
        if self.best is not None:
            state.parameters, state.optimizer_state, state.best_iteration = self.best


def shuffle_seed(seed):
    """The int that seeds the mini-batch shuffles and dropout masks: ``seed`` itself, or one drawn
    from a generator."""
    if isinstance(seed, numbers.Integral):
        return int(seed)
    if hasattr(seed, "integers"):  # numpy.random.Generator
        return int(seed.integers(2**63))
    return int(seed.randint(2**31))  # numpy.random.RandomState


def _full_batch(settings, m):
    """Whether each epoch is one batch of all ``m`` samples."""
    return settings.batch_size is None or settings.batch_size >= m


def _batches(xp, X, Y, state, settings):
    if _full_batch(settings, X.shape[1]):
        return [(X, Y)]
    return _mini_batches(xp, X, Y, settings.batch_size, state.shuffle_seed, state.iterations_done)


def _mask_source(xp, X, state, settings):
    """The uniform source of this epoch's dropout masks (None without dropout): seeded from the
    model's seed and the epoch, so a resumed run draws what a straight one does."""
    if not settings.dropout:
        return None
    return uniform_source(xp, array_api_compat.device(X), epoch_seed(state.shuffle_seed, state.iterations_done))


def run_epoch(xp, X, Y, state, settings, loss, with_cost, compiled=None):
    """One pass over the data: one full batch, or shuffled mini-batches of ``settings.batch_size``,
    at the epoch's learning rate (``settings.learning_rate_at``).

    Returns ``(parameters, optimizer_state, steps_done, cost)`` with ``cost`` the per-sample mean of
    the mini-batch costs (a 0-d device array) when ``with_cost``.
    """
    step = functools.partial(gradient_step, xp, settings=settings, loss=loss, with_cost=with_cost,
                             learning_rate=settings.learning_rate_at(state.iterations_done),
                             draw=_mask_source(xp, X, state, settings), compiled=compiled)
    parameters, optimizer_state, t = state.parameters, state.optimizer_state, state.steps_done
    batches = _batches(xp, X, Y, state, settings)
    total = 0.0
    for X_t, Y_t in batches:
        t += 1
        parameters, optimizer_state, cost = step(X_t, Y_t, parameters, optimizer_state, t=t)
        if with_cost and len(batches) > 1:
            total = total + cost * X_t.shape[1]
    if with_cost and len(batches) > 1:
        cost = total / X.shape[1]
    return parameters, optimizer_state, t, cost


def divergence_bound(state, cost, loss, n_L):
    """The largest logged cost taken as training: 100 times the larger of the starting cost (the
    state's ``reference_cost``, else its first logged cost, else ``cost``) and the cost of a blind guess
    (``loss.chance_cost``: log 2, log C, 0 for "mse"); no bound when both are 0."""
    first = state.reference_cost if state.reference_cost is not None else state.costs[0] if state.costs else cost
    reference = max(first, loss.chance_cost(n_L))
    return 100 * reference if reference > 0 else math.inf


def diverged(cost, when, settings, runner):
    """The :class:`TrainingDivergedError` of a cost that ``when`` (e.g. "at iteration 7") left the
    guard's bounds: its advice is to standardize features the runner found unscaled, else a smaller
    learning rate."""
    advice = f"{runner.unscaled}: standardize them first" if runner.unscaled else "try a smaller learning rate"
    return TrainingDivergedError(f"the cost became {cost:g} {when} with learning_rate={settings.learning_rate}; "
                                 f"training diverged, {advice}")


def read_cost(cost, epoch, settings, state, loss, runner):
    """The cost as a Python float (a host synchronisation); raises :func:`diverged`'s error when it is
    not finite or exceeds :func:`divergence_bound`."""
    cost = float(cost)
    if not math.isfinite(cost) or cost > divergence_bound(state, cost, loss, settings.layer_dims[-1]):
        raise diverged(cost, f"at iteration {epoch}", settings, runner)
    if settings.print_cost:
        print(f"Cost after iteration {epoch}: {cost:.6f}")
    return cost


def starting_cost(runner, state, settings, loss):
    """Give a fresh mini-batch run's ``state`` its ``reference_cost``: the cost of the starting
    parameters on the data (``runner.guard_cost``: one forward pass over at most 8192 samples and one
    host read per ``fit``). Its first logged cost cannot serve: it averages batches whose updates a too
    large learning rate may already have wrecked."""
    if state.reference_cost is None and not state.costs and settings.batch_size is not None:
        state.reference_cost = float(runner.guard_cost(state.parameters, settings, loss))


def record_validation(runner, state, settings, loss):
    """Append the cost (no L2 term, no dropout) and the score of the current parameters on the
    validation data (:meth:`LocalRunner.evaluate`); returns that cost."""
    cost, score = runner.evaluate(state.parameters, settings, loss)
    state.validation_costs.append(cost)
    state.validation_scores.append(score)
    return cost


class LocalRunner:
    """Where the epochs run: ``X (n_x, m)``, ``Y`` (training form) and the optional validation pair
    ``(X_v, Y_v)`` as arrays of the namespace ``xp``, on one device. :mod:`nnxp.dask.runner` has the
    same four methods over the chunks of Dask arrays; :func:`train` drives either. ``unscaled`` says
    what is wrong with X's scales, when something is (:func:`nnxp.core.checks.warn_if_unscaled`): the
    divergence guard's advice."""

    def __init__(self, xp, X, Y, compiled, validation=None, unscaled=None):
        self.xp, self.X, self.Y, self.validation, self.unscaled = xp, X, Y, validation, unscaled
        self.compiled = compiled
        self.dtype, self.device = X.dtype, array_api_compat.device(X)

    def epoch(self, state, settings, loss, with_cost):
        """One pass over the data: see :func:`run_epoch` (through the ``compiled`` step when there is one)."""
        return run_epoch(self.xp, self.X, self.Y, state, settings, loss, with_cost, self.compiled.step)

    def fused_epochs(self, state, settings, count):
        """``(parameters, optimizer_state, epochs_run, cost)`` after up to ``count`` epochs from ``state`` in
        one call of the compiled ``epochs`` loop (:func:`nnxp.core.step.compiled`), ``cost`` that of the
        first epoch (a 0-d device array, before its update); None where that loop does not apply (none
        compiled, mini-batches, dropout): the caller runs the epochs one by one.

        One call runs at most :data:`FUSED_EPOCHS` epochs and :data:`FUSED_MULTIPLY_ADDS` of matrix
        products (at least one epoch). Full batch, so epoch ``e``'s update is number ``e + 1`` at
        ``settings.learning_rate_at(e)``; the learning rates go to the device in one array, padded
        to a power of two so that few lengths are ever traced."""
        if self.compiled.epochs is None or settings.dropout or not _full_batch(settings, self.X.shape[1]):
            return None
        dims = settings.layer_dims
        per_epoch = 3 * self.X.shape[1] * sum(n * n_prev for n_prev, n in zip(dims, dims[1:]))
        count = max(1, min(count, FUSED_EPOCHS, FUSED_MULTIPLY_ADDS // per_epoch))
        first = state.iterations_done
        rates = [settings.learning_rate_at(epoch) for epoch in range(first, first + count)]
        rates += [0.0] * ((1 << (count - 1).bit_length()) - count)
        learning_rates = self.xp.asarray(rates, dtype=self.dtype, device=self.device)
        parameters, optimizer_state, cost = self.compiled.epochs(
            self.X, self.Y, state.parameters, state.optimizer_state, learning_rates, state.steps_done, count)
        return parameters, optimizer_state, count, cost

    def evaluate(self, parameters, settings, loss):
        """``(cost, score)`` of ``parameters`` on the validation data, as Python floats."""
        cost, score = self.compiled.inference.evaluation(*self.validation, parameters)
        return float(cost), float(score)

    def guard_cost(self, parameters, settings, loss):
        """The cost of ``parameters`` on the training data that the divergence guard reads: :func:`guard_cost`."""
        return guard_cost(self.X, self.Y, parameters, settings.batch_size, self.compiled.inference.evaluation)


FUSED_EPOCHS = 1024
FUSED_MULTIPLY_ADDS = 25 * 10**9
"""The most epochs, and multiply-adds of the forward and backward matrix products (0.2 s in float32
on this project's 2-core CPU, far less on a GPU), that one compiled call of
:meth:`LocalRunner.fused_epochs` runs: Ctrl-C waits for the call to end."""


def train(runner, state, settings, loss, progress=None):
    """Run up to ``settings.num_iterations`` epochs of ``loss`` from ``state`` on ``runner``'s data
    (a :class:`LocalRunner`, or Dask chunks), updating ``state`` after each.

    With validation data on the runner its cost and score are recorded at the logged epochs. With
    ``settings.early_stopping`` (a patience) the loop stops after that many evaluations without a
    validation cost lower than the best by more than ``settings.tol``, the stopping epoch's update
    discarded, and ``state`` gets the best evaluation's parameters. A logged epoch and the epochs up to
    the next run in one call where the runner compiles loops (``fused_epochs``). ``progress(epochs_done,
    last_cost)`` is called on the host after every epoch, or after every such call (``epochs_done``
    then grows by more than one); when it returns True training stops there.
    """
    stopper = None if settings.early_stopping is None else EarlyStopping(settings.early_stopping, settings.tol)
    starting_cost(runner, state, settings, loss)
    start = state.iterations_done
    end = start + settings.num_iterations
    while state.iterations_done < end:
        epoch = state.iterations_done
        with_cost = epoch % settings.cost_every == 0
        count = min(end, epoch - epoch % settings.cost_every + settings.cost_every) - epoch
        fused = runner.fused_epochs(state, settings, count)
        if fused is None:
            parameters, optimizer_state, steps_done, cost = runner.epoch(state, settings, loss, with_cost)
            ran = 1
        else:
            parameters, optimizer_state, ran, cost = fused
            steps_done = state.steps_done + ran
        if with_cost and _logged_and_stopped(runner, state, settings, loss, stopper, epoch, cost):
            break  # early stopping: the stopping epoch's updates discarded
        state.parameters, state.optimizer_state = parameters, optimizer_state
        state.iterations_done, state.steps_done = epoch + ran, steps_done
        if progress is not None and progress(state.iterations_done, state.costs[-1] if state.costs else None):
            break  # the callback asked to stop
    if stopper is not None:
        stopper.restore(state)
    if state.iterations_done > start:
        check_final_cost(runner, state, settings, loss)


def _logged_and_stopped(runner, state, settings, loss, stopper, epoch, cost):
    """Log epoch ``epoch``'s ``cost`` (the guard reads it) and record the validation data's at ``state``'s
    parameters (before the epoch's update); True when early stopping ends training there."""
    state.costs.append(read_cost(cost, epoch, settings, state, loss, runner))
    if runner.validation is None:
        return False
    validation_cost = record_validation(runner, state, settings, loss)
    return stopper is not None and stopper.stop_after(validation_cost, state)


GUARD_SAMPLES = 8192
"""The most samples the divergence guard's cost reads (:func:`guard_cost`)."""


def guard_cost(X, Y, parameters, batch_size, evaluation):
    """The cost J (no L2 term, no dropout) of ``parameters`` on ``X``, or on every k-th of its columns
    when it has more than :data:`GUARD_SAMPLES` (k = ceil(m / GUARD_SAMPLES), the whole range covered):
    the divergence guard's scale, read twice per mini-batch ``fit``, so at most 8192 samples, not a
    pass over the data (a diverged cost is orders of magnitude off, on any sample). Computed in slices
    of ``batch_size`` columns (all at once when None) by ``evaluation`` (an
    :class:`~nnxp.core.step.Inference`'s): a 0-d device array, with no other operation when there is one
    slice (each eager JAX operation compiles for each new shape)."""
    stride = -(-X.shape[1] // GUARD_SAMPLES)
    if stride > 1:
        X, Y = X[:, ::stride], Y[:, ::stride]
    m = X.shape[1]
    size = m if batch_size is None else batch_size
    if size >= m:
        return evaluation(X, Y, parameters)[0]
    total = 0.0
    for start in range(0, m, size):
        X_t, Y_t = X[:, start:min(start + size, m)], Y[:, start:min(start + size, m)]
        total = total + evaluation(X_t, Y_t, parameters)[0] * X_t.shape[1]
    return total / m


def check_final_cost(runner, state, settings, loss):
    """Raise :class:`TrainingDivergedError` when the final parameters' cost is not finite or exceeds
    :func:`divergence_bound`: the updates after the last logged cost (every update of a run shorter
    than ``cost_every``) are held to the guard too. One forward pass (``runner.guard_cost``) and one host
    read."""
    cost = float(runner.guard_cost(state.parameters, settings, loss))
    if math.isfinite(cost) and cost <= divergence_bound(state, math.inf, loss, settings.layer_dims[-1]):
        return
    raise diverged(cost, f"after iteration {state.iterations_done}", settings, runner)
