"""``nnxp train``: train a network on a data set and write its checkpoint, metrics and plots."""

import json
import math
import sys
import time
from pathlib import Path

import array_api_compat
import numpy as np

from .. import __version__
from ..activations import ACTIVATIONS
from ..backend import namespace
from ..checkpoint import read_checkpoint
from ..datasets import train_test_split
from ..init import INITS
from ..losses import output_units
from ..loading import restore
from ..model import NeuralNetwork
from ..optimizers import SHARED_SETTINGS, make_optimizer
from .options import (INTERRUPTED, _check_width, backend_options, data_options, dataset_split, hidden_layers,
                      positive_int, training_options)


def _cost_every(args):
    """``--cost-every``, else up to 100 (the notes' spacing) dividing ``--print-every``."""
    if args.cost_every is not None:
        return args.cost_every
    spacing = min(100, max(1, args.iterations // 10))
    return math.gcd(spacing, args.print_every) if args.print_every else spacing


FRESH_DEFAULTS = {"layers": [4], "activation": "relu", "lr": 0.0075, "momentum": 0.0, "l2": 0.0}
"""Defaults of the options that a resumed run takes from its checkpoint instead."""


def _optimizer(args):
    """``--optimizer`` as a name, or as an object when ``--beta1``/``--beta2``/``--epsilon`` tune it."""
    tuning = {key: getattr(args, key) for key in SHARED_SETTINGS if getattr(args, key) is not None}
    if tuning and args.optimizer is None:
        raise ValueError(f"--{', --'.join(tuning)} tune an optimizer: give --optimizer too")
    return make_optimizer(args.optimizer, **tuning) if tuning else args.optimizer


SCHEDULE_OPTIONS = ("decay_rate", "decay_interval", "early_stopping", "keep_prob")
"""Options passed to the model as they are (None: the model's default, or the checkpoint's)."""


def _fresh_model(args, n_x, n_L):
    """A NeuralNetwork built from the command's options for ``n_x`` features and ``n_L`` outputs
    (1: binary cross-entropy; more: softmax over ``n_L`` classes)."""
    option = {key: default if getattr(args, key) is None else getattr(args, key)
              for key, default in FRESH_DEFAULTS.items()}
    given = {key: getattr(args, key) for key in SCHEDULE_OPTIONS if getattr(args, key) is not None}
    return NeuralNetwork(
        [n_x, *option["layers"], n_L], hidden_activation=option["activation"],
        learning_rate=option["lr"], num_iterations=args.iterations, init=args.init, scale=args.scale,
        seed=args.seed, dtype=args.dtype, backend=args.backend, device=args.device,
        cost_every=_cost_every(args), batch_size=args.batch_size, momentum=option["momentum"],
        l2=option["l2"], optimizer=_optimizer(args), **given,
    )


RESUME_FIXED = {"layers": "layer_dims", "activation": "hidden_activation", "cost_every": "cost_every",
                "dtype": "dtype"}
"""Options a resumed run must take from its checkpoint: option -> config key."""

RESUME_SETTINGS = {"lr": "learning_rate", "batch_size": "batch_size", "momentum": "momentum", "l2": "l2",
                   **{key: key for key in SCHEDULE_OPTIONS}}
"""Options that may change when resuming: option -> config key (``--optimizer`` too)."""


def _resumed_model(args, X):
    """The model of ``--resume``, its settings updated by the options given, on ``--backend``."""
    checkpoint = read_checkpoint(args.resume)
    n_x = _check_width(checkpoint.layer_dims, X, f"--dataset {args.dataset}").shape[0]
    config = {**checkpoint.config, "num_iterations": args.iterations, "backend": args.backend,
              "device": args.device, "print_cost": False}
    asked = {"layers": None if args.layers is None else [n_x, *args.layers, checkpoint.layer_dims[-1]]}
    held = {**config, "dtype": checkpoint.parameters["W1"].dtype.name}
    for option, key in RESUME_FIXED.items():
        given = asked.get(option, getattr(args, option))
        if given is not None and given != held[key]:
            raise ValueError(f"--resume {args.resume}: the checkpoint has {key}={held[key]!r}, "
                             f"but --{option.replace('_', '-')} asks for {given!r}")
    config.update({key: getattr(args, option) for option, key in RESUME_SETTINGS.items()
                   if getattr(args, option) is not None})
    if args.optimizer is not None:  # a new optimizer replaces the checkpoint's (and its momentum)
        config.update(optimizer=_optimizer(args), momentum=args.momentum or 0.0)
    return restore(checkpoint, config=config, backend=args.backend, device=args.device, path=args.resume)


class _Progress:
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

    def __call__(self, done, cost):
        self.bar.update(1)
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


def _watched(split, args, model):
    """``(X, Y, fit's keywords)``: the train split, less a validation split when early stopping
    watches one (``--validation-size`` of it, stratified, from ``--seed``)."""
    if model.early_stopping is None:
        return split.X_train, split.Y_train, {}
    part = train_test_split(split.X_train, split.Y_train, test_size=args.validation_size, seed=args.seed)
    return part.X_train, part.Y_train, {"validation_data": (part.X_test, part.Y_test)}


def _fit(model, split, args, out):
    """Train ``model`` on the train split; on Ctrl-C save a checkpoint, say where, and return 130."""
    if args.print_every and args.print_every % model.cost_every:
        raise ValueError(f"--print-every {args.print_every} must be a multiple of the cost spacing "
                         f"{model.cost_every} (--cost-every)")
    X, Y, watched = _watched(split, args, model)
    progress = _Progress(model, args.print_every)
    try:
        with np.errstate(all="ignore"):  # a diverging run raises TrainingDivergedError instead
            model.fit(X, Y, resume=args.resume is not None, progress=progress.callback(), **watched)
    except KeyboardInterrupt:
        progress.close()
        if not hasattr(model, "parameters_"):
            print("interrupted before training began; nothing to save", file=sys.stderr)
            return INTERRUPTED
        path = model.save(out / "model.npz")
        print(f"interrupted after {model.iterations_done_} iterations; checkpoint saved to {path} "
              f"(continue with: nnxp train --resume {path} ...)", file=sys.stderr)
        return INTERRUPTED
    progress.close()
    return 0


def _metrics(model, split, args, seconds):
    """What ``metrics.json`` records about a finished run."""
    W1 = model.parameters_["W1"]
    return {
        "dataset": args.dataset, "layer_dims": model.layer_dims, "activations": model.activations,
        "loss": model.loss,
        "iterations_done": model.iterations_done_, "iterations_this_run": model.num_iterations,
        "best_iteration": model.best_iteration_, "optimizer": model.optimizer.get_config(),
        "seconds": round(seconds, 4),
        "train_accuracy": model.score(split.X_train, split.Y_train),
        "test_accuracy": model.score(split.X_test, split.Y_test),
        "final_cost": model.cost(split.X_train, split.Y_train),
        "test_cost": model.cost(split.X_test, split.Y_test),
        "backend": namespace(W1).__name__.removeprefix("array_api_compat."),
        "device": str(array_api_compat.device(W1)), "dtype": str(W1.dtype), "nnxp_version": __version__,
    }


def _plot(model, split, out):
    """The learning curve, and for 2-D data the decision boundary, as PNGs in ``out``."""
    try:
        from .. import plots
    except ImportError as exc:
        raise ImportError("nnxp train draws its plots with matplotlib: pip install matplotlib") from exc
    written = [out / "learning_curve.png"]
    plots.learning_curve(model, written[0])
    if split.X_train.shape[0] == 2 and model.is_classifier:
        written.append(out / "decision_boundary.png")
        title = f"Decision boundary, layers {model.layer_dims}, {model.hidden_activation}"
        plots.decision_boundary(model, split.X_train, split.Y_train, written[1], title=title)
    return written


def train(args):
    """Train on ``--dataset``, then write the checkpoint, metrics and plots to ``--out``.

    The output layer follows the data: one sigmoid unit for 0/1 labels, a softmax over C
    units for C classes."""
    split = dataset_split(args)
    if args.resume:
        model = _resumed_model(args, split.X_train)
    else:
        model = _fresh_model(args, split.X_train.shape[0], output_units(split.Y_train))
    out = Path(args.out or f"runs/{args.dataset}")
    if out.exists() and not out.is_dir():
        raise ValueError(f"--out {out} is a file; give a folder for the checkpoint, metrics and plots")
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    if _fit(model, split, args, out) == INTERRUPTED:
        return INTERRUPTED
    metrics = _metrics(model, split, args, time.perf_counter() - start)
    written = [model.save(out / "model.npz"), out / "metrics.json", *_plot(model, split, out)]
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n")
    print(f"train accuracy {metrics['train_accuracy']:.1%}, test accuracy {metrics['test_accuracy']:.1%}, "
          f"cost {metrics['final_cost']:.6f} after {model.iterations_done_} iterations "
          f"({metrics['seconds']:.2f} s on {metrics['backend']}, {metrics['device']})")
    print("wrote " + ", ".join(str(path) for path in written))
    return 0


def add_train(commands):
    """The ``train`` subcommand's options."""
    run = commands.add_parser("train", help="train a network on a data set and save it")
    data_options(run, required=True)
    run.add_argument("--layers", type=hidden_layers,
                     help="hidden layer sizes: 4, or 20,7,5, or none (default: 4)")
    run.add_argument("--activation", choices=sorted(ACTIVATIONS),
                     help="hidden layers' activation (default: relu)")
    run.add_argument("--lr", type=float, help="learning rate (default: 0.0075)")
    run.add_argument("--iterations", type=positive_int, default=2500,
                     help="iterations (epochs with --batch-size) to run (default: 2500)")
    run.add_argument("--init", default="he", choices=sorted(INITS))
    run.add_argument("--scale", type=float, default=0.01, help="weight scale of --init scaled")
    run.add_argument("--seed", type=int, default=0)
    run.add_argument("--dtype", choices=("float32", "float64"), help="default: float64, as the data")
    run.add_argument("--batch-size", type=positive_int, help="mini-batch size (default: full batch)")
    run.add_argument("--momentum", type=float, help="momentum beta in [0, 1) (default: 0)")
    run.add_argument("--l2", type=float, help="L2 regularization lambda (default: 0)")
    training_options(run)
    run.add_argument("--validation-size", type=float, default=0.2,
                     help="with --early-stopping: the fraction of the train split it watches (default: 0.2)")
    run.add_argument("--cost-every", type=positive_int, help="iterations between logged costs")
    run.add_argument("--print-every", type=positive_int, help="print the cost every N iterations")
    run.add_argument("--resume", help="continue training from this checkpoint")
    run.add_argument("--out", help="folder for the checkpoint, metrics and plots (default: runs/DATASET)")
    backend_options(run, "auto")
