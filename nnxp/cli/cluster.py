"""``--scheduler``: data-parallel training on a Dask cluster from the command line.

``--scheduler tcp://HOST:8786`` connects to a running ``dask scheduler``; ``--scheduler local:N``
starts a ``LocalCluster`` of N worker processes (one thread each) for the run. The data set's
training arrays are then cut into about two chunks per worker along the samples and trained on with
:mod:`nnxp.distributed`; the parameters, the checkpoint and the scores stay on this machine.
"""

import contextlib
import math


def add_scheduler_option(parser):
    parser.add_argument("--scheduler", help="train data-parallel on Dask: a scheduler's address (tcp://host:8786), "
                                            "or local:N for a local cluster of N worker processes")


def _workers(address):
    """N of ``local:N``; ValueError naming ``--scheduler`` otherwise."""
    count = address.removeprefix("local:")
    if not count.isdigit() or int(count) < 1:
        raise ValueError(f"--scheduler {address}: local:N needs a number of workers N >= 1")
    return int(count)


@contextlib.contextmanager
def cluster(address):
    """A ``dask.distributed`` client for ``--scheduler`` (None when it is not given)."""
    if address is None:
        yield None
        return
    try:
        import distributed
    except ImportError as exc:
        raise ImportError("--scheduler trains with Dask: pip install 'nnxp[dask]'") from exc
    if address.startswith("local:"):
        with distributed.LocalCluster(n_workers=_workers(address), threads_per_worker=1,
                                      dashboard_address=":0") as local, distributed.Client(local) as client:
            yield client
        return
    with distributed.Client(address, timeout="10s") as client:  # unreachable: OSError, one line
        yield client


def chunked(client, *arrays):
    """Host arrays ``(rows, m)`` as Dask arrays of about two chunks per worker of ``client`` along the samples."""
    import dask.array as da

    workers = max(1, len(client.scheduler_info()["workers"]))
    size = math.ceil(arrays[0].shape[1] / (2 * workers))
    return [da.from_array(array, chunks=(array.shape[0], size)) for array in arrays]
