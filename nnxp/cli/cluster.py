"""``--scheduler``: data-parallel training on a Dask cluster from the command line.

``--scheduler tcp://HOST:8786`` connects to a running ``dask scheduler``; ``--scheduler local:N``
starts a ``LocalCluster`` of N worker processes (one thread each) for the run. The data set's
training arrays are then cut into about two chunks per worker along the samples and trained on with
:mod:`nnxp.dask.runner`; the parameters, the checkpoint and the scores stay on this machine.

A run stopped by Ctrl-C, SIGTERM or lost workers closes the cluster quietly: the one line that
:mod:`nnxp.cli.fitting` prints is all the user sees.
"""

import contextlib
import gc
import logging
import math
import signal
import threading

TEAR_DOWN_LOGGERS = ("distributed", "asyncio", "tornado")
"""Loggers of a cluster closed under a stopped run: the tasks it lost, the gather it left waiting
("Task exception was never retrieved"), the workers its nannies restart, the cancelled call that
distributed's ``sync`` had not begun (a NameError in tornado's callback log). They describe Dask's
tear-down, not the run, and are silenced while it lasts."""


def add_scheduler_option(parser):
    parser.add_argument("--scheduler", help="train data-parallel on Dask: a scheduler's address (tcp://host:8786), "
                                            "or local:N for a local cluster of N worker processes")


def _workers(address):
    """N of ``local:N``; ValueError naming ``--scheduler`` otherwise."""
    count = address.removeprefix("local:")
    if not count.isdigit() or int(count) < 1:
        raise ValueError(f"--scheduler {address}: local:N needs a number of workers N >= 1")
    return int(count)


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
"""Ctrl-C, and what job schedulers and ``docker stop`` send: nnxp saves the checkpoint on either."""


@contextlib.contextmanager
def _stop_signals_left_to_this_process():
    """Processes started inside ignore :data:`STOP_SIGNALS` (an ignored signal stays ignored in a spawned
    Python), and this process closes them itself after saving the checkpoint.

    A terminal's Ctrl-C goes to the whole process group, and a job scheduler's SIGTERM often does:
    the worker processes of ``local:N`` would otherwise die at once, printing tracebacks or making
    the scheduler log the work they held. Their nannies still stop them (a queue, then SIGKILL), and
    a worker exits when this process dies. A signal during these few seconds of start-up is ignored."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {signum: signal.signal(signum, signal.SIG_IGN) for signum in STOP_SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _tear_down_loggers():
    """:data:`TEAR_DOWN_LOGGERS` and every logger under them: Dask's logging configuration gives some
    a level of their own (``tornado.application``, ``distributed.client``), which their parent's
    level does not override."""
    names = [name for name in logging.root.manager.loggerDict if name.split(".")[0] in TEAR_DOWN_LOGGERS]
    return [logging.getLogger(name) for name in sorted({*TEAR_DOWN_LOGGERS, *names})]


@contextlib.contextmanager
def _quiet_tear_down():
    """Yields ``silence()``, which mutes :func:`_tear_down_loggers` until the block ends; their levels are
    then put back, after a garbage collection that reports (muted) what the tear-down left behind."""
    muted = {}

    def silence():
        for logger in _tear_down_loggers():
            muted.setdefault(logger, logger.level)
            logger.setLevel(logging.CRITICAL + 1)

    try:
        yield silence
    finally:
        if muted:
            gc.collect()
        for logger, level in muted.items():
            logger.setLevel(level)


@contextlib.contextmanager
def _signals_silence_first(silence):
    """While the block runs, :data:`STOP_SIGNALS` call ``silence()`` before the handler they had (which
    raises KeyboardInterrupt, or :class:`nnxp.cli.fitting.Terminated`): distributed's loop thread
    reports the call it was waiting on as soon as the main thread is interrupted."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}
    for signum in STOP_SIGNALS:
        handler = signal.getsignal(signum)
        if callable(handler):  # not SIG_IGN or SIG_DFL: those stay as they are
            def silenced_first(number, frame, handler=handler):
                silence()
                handler(number, frame)

            previous[signum] = signal.signal(signum, silenced_first)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@contextlib.contextmanager
def _local_client(workers):
    """A client of a new ``LocalCluster`` of ``workers`` processes (one thread each), closed with it."""
    import distributed

    with _stop_signals_left_to_this_process():
        local = distributed.LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=":0")
    with local, distributed.Client(local) as client:
        yield client


@contextlib.contextmanager
def cluster(address):
    """A ``dask.distributed`` client for ``--scheduler`` (None when it is not given).

    When the block is left by an exception (Ctrl-C, SIGTERM, lost workers, an error), the client and
    a local cluster are closed without log lines or tracebacks."""
    if address is None:
        yield None
        return
    try:
        import distributed
    except ImportError as exc:
        raise ImportError("--scheduler trains with Dask: pip install 'nnxp[dask]'") from exc
    if address.startswith("local:"):
        opened = _local_client(_workers(address))
    else:
        opened = distributed.Client(address, timeout="10s")  # unreachable: OSError, one line
    with _quiet_tear_down() as silence, _signals_silence_first(silence), opened as client:
        try:
            yield client
        except BaseException:
            silence()
            raise


def chunked(client, *arrays):
    """Host arrays ``(rows, m)`` as Dask arrays of about two chunks per worker of ``client`` along the samples."""
    import dask.array as da

    workers = max(1, len(client.nthreads()))  # asked of the scheduler now (scheduler_info() is a cache)
    size = math.ceil(arrays[0].shape[1] / (2 * workers))
    return [da.from_array(array, chunks=(array.shape[0], size)) for array in arrays]
