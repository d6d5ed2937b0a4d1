"""``nnxp train``: train a network on a data set or a CSV file and write its checkpoint, metrics and plots."""

import json
import math
import time
from pathlib import Path

import array_api_compat

from .._version import __version__
from ..core.activations import ACTIVATIONS
from ..core.backend import get_namespace, namespace, to_numpy
from ..model.checkpoint import read_checkpoint
from ..core.initialization import INITS
from ..core.losses import output_units
from ..model.loading import restore
from ..model.network import NeuralNetwork
from ..core.optimizers import SHARED_SETTINGS, make_optimizer
from .cluster import add_scheduler_option
from .data import check_width, data_options, description, training_data
from .fitting import fit_or_save
from .folder import claimed, write_text
from .options import (backend_options, beta, fraction, hidden_layers, non_negative_float, positive_float,
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


SCHEDULE_OPTIONS = ("decay_rate", "decay_interval", "early_stopping", "keep_prob", "weight_decay")
"""Options passed to the model as they are (None: the model's default, or the checkpoint's)."""


def _fresh_model(args, prepared):
    """A NeuralNetwork built from the command's options for the prepared data: its features, and its
    targets' output units and loss (one sigmoid unit for two classes, a softmax over C for C, a linear
    unit for regression)."""
    split = prepared.split
    n_x, n_L = split.X_train.shape[0], output_units(split.Y_train, prepared.loss)
    option = {key: default if getattr(args, key) is None else getattr(args, key)
              for key, default in FRESH_DEFAULTS.items()}
    given = {key: getattr(args, key) for key in SCHEDULE_OPTIONS if getattr(args, key) is not None}
    return NeuralNetwork(
        [n_x, *option["layers"], n_L], hidden_activation=option["activation"],
        learning_rate=option["lr"], num_iterations=args.iterations, init=args.init, scale=args.scale,
        seed=args.seed, dtype=args.dtype, backend=args.backend, device=args.device,
        cost_every=_cost_every(args), batch_size=args.batch_size, momentum=option["momentum"],
        l2=option["l2"], optimizer=_optimizer(args), loss=prepared.loss, **given,
    )


RESUME_FIXED = {"layers": "layer_dims", "activation": "hidden_activation", "cost_every": "cost_every",
                "dtype": "dtype"}
"""Options a resumed run must take from its checkpoint: option -> config key."""

RESUME_SETTINGS = {"lr": "learning_rate", "batch_size": "batch_size", "momentum": "momentum", "l2": "l2",
                   **{key: key for key in SCHEDULE_OPTIONS}}
"""Options that may change when resuming: option -> config key (``--optimizer`` too)."""


def _resumed_model(args, prepared):
    """The model of ``--resume``, its settings updated by the options given, on ``--backend``; the
    ``prepared`` data must have the checkpoint's features and classes."""
    checkpoint = read_checkpoint(args.resume)
    n_x = check_width(checkpoint.layer_dims, prepared.split.X_train, description(args)).shape[0]
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
    model = restore(checkpoint, config=config, backend=args.backend, device=args.device, path=args.resume)
    model.preprocessing_.check_same_data(prepared.preprocessing, f"--resume {args.resume}")
    return model


def _scores(model, prepared):
    """Train and test accuracy for classifiers; R^2 (and the test RMSE in the target's units) for regression."""
    split, preprocessing = prepared.split, prepared.preprocessing
    if model.is_classifier:
        return {"train_accuracy": model.score(split.X_train, split.Y_train),
                "test_accuracy": model.score(split.X_test, split.Y_test)}
    train = preprocessing.regression_metrics(to_numpy(model.predict(split.X_train)), to_numpy(split.Y_train))
    test = preprocessing.regression_metrics(to_numpy(model.predict(split.X_test)), to_numpy(split.Y_test))
    return {"train_r2": train["r2"], "test_r2": test["r2"], "test_rmse": test["rmse"]}


def _metrics(model, prepared, args, seconds):
    """What ``metrics.json`` records about a finished run."""
    W1, split = model.parameters_["W1"], prepared.split
    return {
        "dataset": description(args), "layer_dims": model.layer_dims, "activations": model.activations,
        "loss": model.loss,
        "iterations_done": model.iterations_done_, "iterations_this_run": model.num_iterations,
        "best_iteration": model.best_iteration_, "optimizer": model.optimizer.get_config(),
        "seconds": round(seconds, 4), **_scores(model, prepared),
        "final_cost": model.cost(split.X_train, split.Y_train),
        "test_cost": model.cost(split.X_test, split.Y_test),
        "backend": namespace(W1).__name__.removeprefix("array_api_compat."),
        "device": str(array_api_compat.device(W1)), "dtype": str(W1.dtype), "nnxp_version": __version__,
    }


def _summary(metrics, model):
    """The line printed at the end of a run."""
    if model.is_classifier:
        scores = f"train accuracy {metrics['train_accuracy']:.1%}, test accuracy {metrics['test_accuracy']:.1%}"
    else:
        scores = f"train R^2 {metrics['train_r2']:.4f}, test R^2 {metrics['test_r2']:.4f}, " \
                 f"test RMSE {metrics['test_rmse']:.4g}"
    return (f"{scores}, cost {metrics['final_cost']:.6f} after {model.iterations_done_} iterations "
            f"({metrics['seconds']:.2f} s on {metrics['backend']}, {metrics['device']})")


def _plot(model, split, out):
    """The learning curve, and for 2-D data the decision boundary, as PNGs in ``out``."""
    try:
        from . import plots
    except ImportError as exc:
        raise ImportError("nnxp train draws its plots with matplotlib: pip install matplotlib") from exc
    written = [out / "learning_curve.png"]
    plots.learning_curve(model, written[0])
    if split.X_train.shape[0] == 2 and model.is_classifier and not array_api_compat.is_dask_array(split.X_train):
        written.append(out / "decision_boundary.png")
        title = f"Decision boundary, layers {model.layer_dims}, {model.hidden_activation}"
        plots.decision_boundary(model, split.X_train, split.Y_train, written[1], title=title)
    return written


def train(args):
    """Train on ``--dataset`` or ``--csv``, then write the checkpoint, metrics and plots to ``--out``.

    The output folder is held for the run (a second run on it stops at once, :mod:`nnxp.cli.folder`);
    the data's preprocessing (scaling, feature names, class labels) is saved with the model; a resumed
    run's data must mean what the checkpoint's did. Ctrl-C and SIGTERM save a checkpoint."""
    if args.scheduler is not None and args.backend != "numpy":
        if args.backend == "cupy":
            raise ValueError("--scheduler trains on NumPy chunks from the command line; for CuPy-backed chunks "
                             "on GPU workers, use nnxp.NeuralNetwork.fit on Dask arrays from Python")
        args.backend = "numpy"  # "auto": the cluster's chunks are NumPy arrays
    prepared = training_data(args)
    model = _resumed_model(args, prepared) if args.resume else _fresh_model(args, prepared)
    with claimed(args.out or f"runs/{Path(description(args)).stem}", "train") as out:
        return _train_into(out, model, prepared, args)


def _train_into(out, model, prepared, args):
    """Train ``model`` on ``prepared`` data, then write its checkpoint, metrics and plots to ``out``."""
    model.preprocessing_ = prepared.preprocessing
    get_namespace(model.backend)  # "auto" probes CUDA now, not in the time reported
    start = time.perf_counter()
    code = fit_or_save(model, prepared.split, args, out)
    if code:
        return code
    metrics = _metrics(model, prepared, args, time.perf_counter() - start)
    written = [model.save(out / "model.npz"), out / "metrics.json", *_plot(model, prepared.split, out)]
    write_text(out / "metrics.json", json.dumps(metrics, indent=2) + "\n")
    print(_summary(metrics, model))
    print("wrote " + ", ".join(str(path) for path in written))
    return 0


def add_train(commands):
    """The ``train`` subcommand's options."""
    run = commands.add_parser("train", help="train a network on a data set or a CSV file and save it")
    data_options(run, training=True, lazy=True)
    run.add_argument("--layers", type=hidden_layers,
                     help="hidden layer sizes: 4, or 20,7,5, or none (default: 4)")
    run.add_argument("--activation", choices=sorted(ACTIVATIONS),
                     help="hidden layers' activation (default: relu)")
    run.add_argument("--lr", type=positive_float, help="learning rate (default: 0.0075)")
    run.add_argument("--iterations", type=positive_int, default=2500,
                     help="iterations (epochs with --batch-size) to run (default: 2500)")
    run.add_argument("--init", default="he", choices=sorted(INITS))
    run.add_argument("--scale", type=positive_float, default=0.01, help="weight scale of --init scaled")
    run.add_argument("--seed", type=int, default=0)
    run.add_argument("--dtype", choices=("float32", "float64"), help="default: float64, as the data")
    run.add_argument("--batch-size", type=positive_int, help="mini-batch size (default: full batch)")
    run.add_argument("--momentum", type=beta, help="momentum beta in [0, 1) (default: 0)")
    run.add_argument("--l2", type=non_negative_float, help="L2 regularization lambda, >= 0 (default: 0)")
    run.add_argument("--weight-decay", type=non_negative_float,
                     help="decoupled weight decay (AdamW's): W -= lr * d * W after each update, >= 0 (default: 0)")
    training_options(run)
    run.add_argument("--validation-size", type=fraction,
                     help="with --early-stopping: the fraction of the train split it watches, in (0, 1) "
                          "(default: 0.2)")
    run.add_argument("--cost-every", type=positive_int, help="iterations between logged costs")
    run.add_argument("--print-every", type=positive_int, help="print the cost every N iterations")
    run.add_argument("--resume", help="continue training from this checkpoint")
    run.add_argument("--out", help="folder for the checkpoint, metrics and plots (default: runs/DATASET or "
                                   "runs/CSV-NAME)")
    add_scheduler_option(run)
    backend_options(run, "auto")
