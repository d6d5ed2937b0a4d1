"""Data-parallel training on Dask: ``NeuralNetwork.fit``, ``predict``, ``score`` and ``cost`` on Dask arrays.

Course layout: ``X (n_x, m)`` chunked along the samples (axis 1; it is rechunked to one chunk along
the features), ``Y`` chunked alike (a NumPy ``Y`` is wrapped, a Dask one rechunked to X's chunks).
Each step the parameters, ordinary NumPy (or CuPy) arrays on the driver, are scattered to the
workers as one list; every chunk's task computes the **sums** of its cost and gradients with nnxp's
own kernels (:mod:`nnxp.dask.chunks`); a tree of additions reduces them on the workers; the
driver divides by m, adds the L2 term and applies the optimizer. The loop around the steps
(epochs, decay, early stopping, the divergence guard, progress) is :func:`nnxp.training.loop.train`'s.

Each step builds a graph of one task per chunk plus the tree (constant size, fresh keys), on the
active ``dask.distributed`` client, or on Dask's local scheduler when there is none. With a client,
X and Y are persisted on the workers when they take less than half the workers' memory; otherwise
every step reads them again from their source (a zarr or HDF5 array streams out of core).

Mini-batches: epoch e cuts every chunk's samples, in the order of a permutation drawn from
``(seed, e, chunk index)``, into ``ceil(m / batch_size)`` near-equal parts; batch b is part b of
every chunk. Reproducible for a given seed and chunking; full batch equals the single-process fit to
rounding. Dropout masks come from a seed per (epoch, batch, chunk), drawn on the workers.
Needs Dask (extra ``dask``).
"""

import math
from concurrent.futures import CancelledError

import array_api_compat
import numpy as np

from . import chunks
from ..core.backend import dtype_name, epoch_seed, host_rng, namespace
from ..model.inputs import fitted_parameters
from ..core.penalties import penalize, update
from ..training.loop import DeviceMemoryError, _full_batch
from ..core.checks import warn_if_spread

MASK_STRIDE = 0x85EBCA6B
"""Spacing of the dropout seeds of successive (batch, chunk) pairs within an epoch."""

LOST_STEP_RETRIES = 3
"""Times a step is run again when the workers holding its scattered parameters were lost."""


class WorkersLostError(ConnectionError):
    """The Dask workers of a step kept being lost; ``fit`` keeps the last completed iteration."""


def _dask():
    try:
        import dask
        import dask.array as da
    except ImportError as exc:
        raise ImportError("training on Dask arrays needs Dask: pip install 'nnxp[dask]'") from exc
    return dask, da


def active_client():
    """The active ``dask.distributed`` client, or None (Dask's local scheduler)."""
    try:
        from distributed import default_client

        return default_client()
    except (ImportError, ValueError):
        return None


def worker_memory(client):
    """``{address: memory limit in bytes (0: none)}`` of ``client``'s workers, asked of the scheduler now.

    ``client.scheduler_info()`` returns a cached copy that the client's periodic refresh (which, since
    distributed 2025, asks for no workers) may replace between the fetch and the read: no workers."""

    def limits(dask_scheduler):
        return {address: worker.memory_limit or 0 for address, worker in dask_scheduler.workers.items()}

    return client.run_on_scheduler(limits)


def _known(chunk_sizes, axis, name):
    if any(math.isnan(size) for size in chunk_sizes):
        raise ValueError(f"{name} has unknown chunk sizes along axis {axis} ({'features' if axis == 0 else 'samples'}):"
                         f" call {name}.compute_chunk_sizes() first, so it can be rechunked and split by samples")


def align(X, Y, n_x, names=("X", "Y")):
    """``(X, Y)``: Dask ``X (n_x, m)`` with one chunk along the features, ``Y`` (NumPy or Dask, or None)
    with X's chunks along the samples. ValueError/TypeError naming the argument otherwise."""
    _, da = _dask()
    if X.ndim != 2:
        raise ValueError(f"{names[0]} must be 2-D (n_x={n_x}, m), got shape {tuple(X.shape)}")
    _known(X.chunks[0], 0, names[0])
    _known(X.chunks[1], 1, names[0])
    if X.shape[0] != n_x:
        hint = f"; {names[0]}.T has that shape: samples must be columns" if X.shape[1] == n_x else ""
        raise ValueError(f"{names[0]} must have n_x={n_x} rows (one per feature), got shape {tuple(X.shape)}{hint}")
    X = X.rechunk({0: -1})
    if Y is None:
        return X, None
    if not array_api_compat.is_dask_array(Y):
        if not array_api_compat.is_numpy_array(Y):
            raise TypeError(f"{names[1]} must be a Dask or NumPy array to go with a Dask {names[0]}, "
                            f"got {type(Y).__module__}.{type(Y).__name__}")
        Y = da.from_array(Y, chunks=(Y.shape[0], X.chunks[1])) if Y.ndim == 2 else da.from_array(Y)
    if Y.ndim != 2 or Y.shape[1] != X.shape[1]:
        raise ValueError(f"{names[1]} must be 2-D with one column per sample of {names[0]} ({X.shape[1]}), "
                         f"got shape {tuple(Y.shape)}")
    _known(Y.chunks[1], 1, names[1])
    return X, Y.rechunk((Y.shape[0], X.chunks[1]))


def spec_of(config, dtype):
    """The :class:`~nnxp.dask.chunks.ChunkSpec` of a :class:`~nnxp.training.config.TrainingConfig` in
    ``dtype`` (a name)."""
    keys = tuple(key for l in range(1, len(config.layer_dims)) for key in (f"W{l}", f"b{l}"))
    return chunks.ChunkSpec(tuple(config.layer_dims), tuple(config.activations), config.loss, dtype,
                            tuple(config.keep_probs), keys)


class DaskRunner:
    """:class:`nnxp.training.loop.LocalRunner`'s three methods over the chunks of Dask arrays.

    ``xp``, ``dtype``, ``device``: the namespace, dtype and device of the parameters on the driver
    (those of X's chunks: NumPy, or CuPy for CuPy-backed chunks).
    """

    def __init__(self, spec, X, Y, validation=None):
        dask, _ = _dask()
        self.delayed, self.client, self.spec = dask.delayed, active_client(), spec
        self.xp = namespace(X._meta)
        self.dtype, self.device = getattr(self.xp, spec.dtype), array_api_compat.device(X._meta)
        self.X, self.Y = self._placed(X, Y)
        self.validation = None if validation is None else self._placed(*validation)
        self.m, self.sizes = X.shape[1], [int(size) for size in X.chunks[1]]
        self.unscaled = None  # what check() finds wrong with X's scales: the divergence guard's advice

    def _placed(self, X, Y):
        """X and Y persisted on the workers when a client has room for them (half its memory)."""
        if self.client is None:
            return X, Y
        memory = sum(worker_memory(self.client).values())
        if memory and X.nbytes + Y.nbytes < memory / 2:
            return tuple(self.client.persist([X, Y]))
        return X, Y

    def _tree(self, task, X, Y, packed, extra):
        """The delayed tree sum of ``task(X_c, Y_c, packed, spec, *extra(c))`` over the chunks c."""
        pairs = zip(X.to_delayed().ravel(), Y.to_delayed().ravel())
        parts = [self.delayed(task, pure=False)(x, y, packed, self.spec, *extra(c)) for c, (x, y) in enumerate(pairs)]
        while len(parts) > 1:
            parts = [self.delayed(chunks.add, pure=False)(*parts[k:k + 2]) if k + 1 < len(parts) else parts[k]
                     for k in range(0, len(parts), 2)]
        return parts[0]

    def _reduce(self, task, X, Y, parameters, extra=lambda c: ()):
        """``task(X_c, Y_c, packed, spec, *extra(c))`` on every chunk c, tree-summed: ``(m, J, sums)``.

        On a client the parameters are scattered to every worker; scattered data has no recipe, so
        when the workers holding it die (a nanny restarting them for memory) the step is cancelled
        and run again, at most ``LOST_STEP_RETRIES`` times; workers dying in a chunk's task again and
        again raise a :class:`~nnxp.training.loop.DeviceMemoryError` naming the chunk size.
        """
        packed = None if parameters is None else [parameters[key] for key in self.spec.keys]
        if self.client is None:
            return self._tree(task, X, Y, packed, extra).compute()
        from distributed import KilledWorker

        for _ in range(LOST_STEP_RETRIES + 1):
            scattered = None if packed is None else self.client.scatter([packed], broadcast=True, hash=False)[0]
            try:
                return self.client.compute(self._tree(task, X, Y, scattered, extra), sync=True)
            except CancelledError as exc:
                lost = exc
            except KilledWorker as exc:
                raise DeviceMemoryError(
                    f"Dask workers died again and again running one chunk's task ({exc.task}): most often a chunk of "
                    f"X ({X.nbytes / X.npartitions / 2**20:,.1f} MiB) needs more than a worker's memory; rechunk X "
                    f"smaller along the samples or give the workers more memory") from exc
        raise WorkersLostError(f"a training step was cancelled {LOST_STEP_RETRIES + 1} times: the Dask workers "
                               f"holding its parameters kept being lost ({lost})") from lost

    def check(self):
        """Check every chunk on the workers (finite X, valid labels); warn, as ``fit`` does, when the
        features' standard deviations are over a thousand times apart (from the chunks' moments)."""
        m, _, moments = self._reduce(chunks.check_chunk, self.X, self.Y, None, lambda c: (c,))
        sums, squares = np.asarray(moments)
        std = np.sqrt(np.maximum(squares / m - (sums / m) ** 2, 0))
        self.unscaled = warn_if_spread(namespace(std), std, stacklevel=5)

    def _batches(self, state, settings):
        """Per batch, the columns each chunk gives it (None: every column, one full batch)."""
        if _full_batch(settings, self.m):
            return [None]
        count = math.ceil(self.m / settings.batch_size)
        parts = [np.array_split(host_rng((state.shuffle_seed, state.iterations_done, c)).permutation(size), count)
                 for c, size in enumerate(self.sizes)]
        return [[chunk_parts[b] for chunk_parts in parts] for b in range(count)]

    def epoch(self, state, settings, loss, with_cost):
        """One pass over the chunks: one update per batch; ``(parameters, optimizer_state, steps_done,
        cost)``, the cost the per-sample mean of the batch costs (L2 term included) when ``with_cost``."""
        learning_rate = settings.learning_rate_at(state.iterations_done)
        parameters, optimizer_state, t = state.parameters, state.optimizer_state, state.steps_done
        dropout = settings.dropout
        base = epoch_seed(state.shuffle_seed, state.iterations_done)
        batches, total = self._batches(state, settings), 0.0
        for b, columns in enumerate(batches):
            def extra(c, b=b, columns=columns):
                seed = (base + (b * len(self.sizes) + c) * MASK_STRIDE) % 2**32 if dropout else None
                return None if columns is None else columns[c], with_cost, seed

            m_b, J_sum, sums = self._reduce(chunks.gradient_sums, self.X, self.Y, parameters, extra)
            grads = {key: value / m_b for key, value in sums.items()}
            J, grads = penalize(self.xp, J_sum / m_b if with_cost else None, grads, parameters, settings.penalties, m_b)
            t += 1
            parameters, optimizer_state = update(settings.optimizer, parameters, grads, optimizer_state,
                                                 learning_rate, t, settings.penalties)
            total = total + J * m_b if with_cost else total
        return parameters, optimizer_state, t, self.xp.asarray(total / self.m) if with_cost else None

    def fused_epochs(self, state, settings, count):
        """None: every epoch is its own round of tasks (see ``LocalRunner.fused_epochs``)."""
        return None

    def sums(self, X, Y, parameters):
        """``(m, J_sum, score_sums)`` of ``parameters`` on chunks ``X``, ``Y``: no L2 term, no dropout."""
        return self._reduce(chunks.evaluation_sums, X, Y, parameters)

    def evaluate(self, parameters, settings, loss):
        """``(cost, score)`` of ``parameters`` on the validation chunks, as Python floats."""
        m, J_sum, sums = self.sums(*self.validation, parameters)
        return float(J_sum) / m, loss.score_from_sums(self.xp.asarray(sums), m)

    def guard_cost(self, parameters, settings, loss):
        """The cost (no L2 term) of ``parameters`` on all the training chunks, which the divergence guard
        reads: a 0-d array."""
        m, J_sum, _ = self.sums(self.X, self.Y, parameters)
        return self.xp.asarray(J_sum / m)


class DaskEngine:
    """The engine of Dask arrays (:mod:`nnxp.model.engines`): the chunks computed on their cluster,
    the parameters on the driver. ``nnxp/__init__.py`` registers it for Dask arrays."""

    def runner(self, model, config, X, Y, validation_data, resume, compile=None):
        """The checked :class:`DaskRunner` of ``model.fit(X, Y, validation_data=...)`` on Dask ``X``, in
        the parameters' dtype when resuming, else ``model.dtype`` or X's (float32 stays float32,
        anything else float64, as on the other engines); nothing is compiled."""
        if resume:
            dtype = dtype_name(model.parameters_["W1"].dtype)
        else:
            dtype = model.dtype or (X.dtype.name if X.dtype.name in ("float32", "float64") else "float64")
        X, Y = align(X, Y, config.layer_dims[0])
        validation = None
        if validation_data is not None:
            X_v, Y_v = validation_data
            if not array_api_compat.is_dask_array(X_v):
                raise TypeError(f"validation_data must be Dask arrays like X, got {type(X_v).__name__}")
            validation = align(X_v, Y_v, config.layer_dims[0], ("validation X_v", "validation Y_v"))
        runner = DaskRunner(spec_of(config, dtype), X, Y, validation)
        runner.check()
        return runner

    def output(self, model, X, finish):
        """The fitted ``model``'s output on Dask ``X``, chunk by chunk: a Dask array ``(rows, m)`` of the
        output ``AL`` (``finish="proba"``) or the loss's predictions (``"predict"``)."""
        parameters = fitted_parameters(model)
        X, _ = align(X, None, model.layer_dims[0])
        spec = spec_of(model.training_config(), str(parameters["W1"].dtype))
        packed = [parameters[key] for key in spec.keys]
        xp = namespace(X._meta)
        probe = chunks.output(xp.zeros((X.shape[0], 1), dtype=parameters["W1"].dtype), packed, spec, finish)
        return X.map_blocks(chunks.output, packed, spec, finish, chunks=((probe.shape[0],), X.chunks[1]),
                            dtype=probe.dtype, meta=probe[:, :0])

    def evaluation(self, model, X, Y):
        """``(cost, score)`` of the fitted ``model`` on Dask ``X``/``Y``, chunk by chunk: Python floats."""
        parameters = fitted_parameters(model)
        X, Y = align(X, Y, model.layer_dims[0])
        runner = DaskRunner(spec_of(model.training_config(), str(parameters["W1"].dtype)), X, Y)
        m, J_sum, sums = runner.sums(X, Y, parameters)
        return float(J_sum) / m, model.loss_object.score_from_sums(runner.xp.asarray(sums), m)


ENGINE = DaskEngine()
