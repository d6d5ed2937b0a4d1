"""Training from the command line without losing work: a progress bar, and Ctrl-C or SIGTERM
(what schedulers and ``docker stop`` send) saving a checkpoint with a complete command to resume."""

import contextlib
import shlex
import signal
import sys

import array_api_compat
import numpy as np

from ..data import out_of_core
from ..data.datasets import train_test_split
from .cluster import chunked, cluster
from .options import INTERRUPTED

TERMINATED = 128 + signal.SIGTERM  # the shell's code for a process ended by SIGTERM


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived: handled as Ctrl-C is (the model keeps its last completed epoch)."""


@contextlib.contextmanager
def sigterm_as_interrupt():
    """While training, SIGTERM raises :class:`Terminated` in the main thread instead of killing it."""

    def terminate(signum, frame):
        raise Terminated

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


class Progress:
    """The ``progress`` callback of ``fit``: a tqdm bar with the cost, and the notes' printout.

    The bar is drawn only on a terminal; ``Cost after iteration i`` lines are printed every
    ``print_every`` iterations (None: never) above it.
    """

    def __init__(self, model, print_every):
        try:
            from tqdm import tqdm
        except ImportError as exc:
            raise ImportError("nnxp train draws its progress bar with tqdm: pip install tqdm") from exc
        unit = "it" if model.batch_size is None else "epoch"
        self.bar = tqdm(total=model.num_iterations, unit=unit, desc="training", disable=None, leave=False)
        self.print_every, self.last_cost = print_every, None
        self.done = getattr(model, "iterations_done_", 0)  # a resumed model's count goes on

    def __call__(self, done, cost):
        self.bar.update(done - self.done)  # JAX's fused epochs: several at once
        self.done = done
        if cost is not None and cost != self.last_cost:
            self.bar.set_postfix(cost=f"{cost:.6f}", refresh=False)
            self.last_cost = cost
        if self.print_every and (done - 1) % self.print_every == 0:
            self.bar.write(f"Cost after iteration {done - 1}: {cost:.6f}")

    def callback(self):
        """Itself, or None when it has nothing to show (no terminal, no printout)."""
        return None if self.bar.disable and not self.print_every else self

    def close(self):
        self.bar.close()


VALIDATION_SIZE = 0.2
"""The share of the train split that early stopping watches when ``--validation-size`` is not given."""


def watched(split, args, model):
    """``(X, Y, fit's keywords)``: the train split, less a validation split when early stopping
    watches one (``--validation-size`` of it, else :data:`VALIDATION_SIZE`, from ``--seed``;
    stratified for classes). ``--validation-size`` without early stopping (``--early-stopping``, or
    a resumed checkpoint's) would be ignored: ValueError."""
    size = getattr(args, "validation_size", None)
    if model.early_stopping is None:
        if size is not None:
            raise ValueError(f"--validation-size {size:g} is the share of the train split that --early-stopping "
                             f"watches; give --early-stopping N too, or leave --validation-size out")
        return split.X_train, split.Y_train, {}
    size = VALIDATION_SIZE if size is None else size
    if array_api_compat.is_dask_array(split.X_train):  # lazy data: a random (unstratified) share of the columns
        part = out_of_core.split_columns(split.X_train, split.Y_train, size, args.seed)
    else:
        part = train_test_split(split.X_train, split.Y_train, test_size=size, seed=args.seed,
                                stratify=model.is_classifier)
    return part.X_train, part.Y_train, {"validation_data": (part.X_test, part.Y_test)}


def resume_command(args, path, iterations):
    """The complete ``nnxp train`` command that continues from the checkpoint at ``path``."""
    words = ["nnxp", "train"]
    for option in ("dataset", "data_dir", "classes", "csv", "zarr", "target", "task", "scheduler"):
        if getattr(args, option, None) is not None:
            words += ["--" + option.replace("_", "-"), str(getattr(args, option))]
    words += ["--resume", str(path), "--iterations", str(iterations), "--out", str(path.parent)]
    if args.backend != "auto":
        words += ["--backend", args.backend]
    return shlex.join(words)


def fit_or_save(model, split, args, out):
    """Train ``model`` on ``split``'s training part; on Ctrl-C, SIGTERM or a cluster whose workers kept
    being lost save a checkpoint, say how to resume, and return 130, 143 or 1 (0 when training ends)."""
    if args.print_every and args.print_every % model.cost_every:
        raise ValueError(f"--print-every {args.print_every} must be a multiple of the cost spacing "
                         f"{model.cost_every} (--cost-every)")
    X, Y, keywords = watched(split, args, model)
    progress = Progress(model, args.print_every)
    start = getattr(model, "iterations_done_", 0)
    try:
        # divergence raises TrainingDivergedError: no RuntimeWarnings; --scheduler: the arrays go to Dask
        with sigterm_as_interrupt(), np.errstate(all="ignore"), cluster(getattr(args, "scheduler", None)) as client:
            if client is not None and not array_api_compat.is_dask_array(X):
                X, Y = chunked(client, X, Y)
                if keywords:
                    keywords["validation_data"] = tuple(chunked(client, *keywords["validation_data"]))
            model.fit(X, Y, resume=args.resume is not None, progress=progress.callback(), **keywords)
    except (KeyboardInterrupt, ConnectionError) as stop:
        progress.close()
        return _save_interrupted(model, args, out, start, stop)
    progress.close()
    return 0


def _save_interrupted(model, args, out, start, stop):
    """Save what an interrupted run completed, print one line saying so and how to go on; the exit code."""
    if isinstance(stop, ConnectionError):
        what, code = f"stopped ({stop})", 1
    else:
        what, code = ("terminated (SIGTERM)", TERMINATED) if isinstance(stop, Terminated) else ("interrupted", INTERRUPTED)
    if not hasattr(model, "parameters_"):
        print(f"{what} before training began; nothing to save", file=sys.stderr)
        return code
    path = model.save(out / "model.npz")
    left = max(1, model.num_iterations - (model.iterations_done_ - start))
    print(f"{what} after {model.iterations_done_} iterations; checkpoint saved to {path}; continue with: "
          f"{resume_command(args, path, left)}", file=sys.stderr)
    return code
