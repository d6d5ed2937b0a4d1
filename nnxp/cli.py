"""The ``nnxp`` command: ``demo`` (the default), ``train``, ``predict``, ``evaluate``, ``search``, ``info``.

``nnxp train --dataset flower --layers 4 --activation tanh --lr 1.2 --iterations 10000
--out runs/flower`` trains with a progress bar and writes the checkpoint, ``metrics.json`` and
the plots to ``--out``; ``nnxp predict``/``nnxp evaluate`` use a checkpoint. Mistakes in the
command (unknown data set, bad path or option, corrupt checkpoint) print one line and exit
non-zero; Ctrl-C during training saves a checkpoint first.
"""

import argparse
import importlib.metadata
import json
import math
import os
import platform
import sys
import time
from pathlib import Path

import array_api_compat
import numpy as np

from . import __version__
from .activations import ACTIVATIONS
from .backend import BackendUnavailableError, backend_info, get_namespace, namespace, to_backend, to_numpy
from .checkpoint import read_checkpoint, restore
from .cli_search import add_search, run_search
from .cli_options import backend_options, data_options, dataset_split, hidden_layers, positive_int
from .datasets import load
from .init import INITS
from .model import NeuralNetwork
from .training import TrainingDivergedError

USER_ERRORS = (ValueError, OSError, ImportError, BackendUnavailableError, TrainingDivergedError)
"""Exceptions that mean a mistake in the command or its files: one line, no traceback."""

INTERRUPTED = 130  # the shell's code for a process ended by SIGINT


# ---------------------------------------------------------------- demo and info


def demo(args):
    """Train the notes' [2, 4, 1] tanh network on the flower data and print costs and accuracy."""
    X_train, Y_train, X_test, Y_test = load("flower", m=400, seed=1)
    xp = get_namespace(args.backend)
    X_train, Y_train, X_test, Y_test = (to_backend(a, xp) for a in (X_train, Y_train, X_test, Y_test))
    print(f"nnxp {__version__}: [2, 4, 1] tanh network on the flower data, backend {args.backend!r} "
          f"-> {xp.__name__.removeprefix('array_api_compat.')} ({backend_info().reason})")
    model = NeuralNetwork([2, 4, 1], hidden_activation="tanh", learning_rate=1.2, init="scaled",
                          num_iterations=args.iterations, cost_every=1000, print_cost=True)
    start = time.perf_counter()
    model.fit(X_train, Y_train)
    seconds = time.perf_counter() - start
    print(f"train accuracy {model.score(X_train, Y_train):.1%}, test accuracy "
          f"{model.score(X_test, Y_test):.1%}, {args.iterations} iterations in {seconds:.2f} s")
    return 0


def _cuda_versions():
    """``"CuPy v: CUDA runtime x.y, driver x.y"``, or why CuPy says nothing."""
    try:
        import cupy
    except ImportError:
        return "CuPy: not installed"

    def version(getter):
        try:
            number = getter()
        except Exception as exc:  # CUDARuntimeError and friends
            return f"unknown ({exc})"
        return f"{number // 1000}.{number % 1000 // 10}" if number else "none found"

    runtime = version(cupy.cuda.runtime.runtimeGetVersion)
    driver = version(cupy.cuda.runtime.driverGetVersion)
    return f"CuPy {cupy.__version__}: CUDA runtime {runtime}, driver {driver}"


ARRAY_API_PEERS = {"array_api_strict": "array-api-strict", "torch": "torch", "jax": "jax"}
"""Array-API libraries nnxp runs on from Python (``backend=module``): module -> distribution."""


def _module_status(distribution):
    """Whether an array-API library is installed, read from its metadata (no slow import)."""
    try:
        return f"installed ({importlib.metadata.version(distribution)}): pass the module as backend="
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def info(args):
    """Versions, which backends are usable here (and why not), and the GPU."""
    status = backend_info()
    print(f"nnxp {__version__}, Python {platform.python_version()}, NumPy {np.__version__}")
    print(_cuda_versions())
    print(f"GPU: {status.gpu_name or 'none usable'}")
    print(f"auto backend: {status.auto}")
    print("backends:")
    print(f"  {'numpy':<17} usable")
    print(f"  {'cupy':<17} {'usable' if status.cupy_usable else 'not usable'}: {status.reason}")
    for module, distribution in ARRAY_API_PEERS.items():
        print(f"  {module:<17} {_module_status(distribution)}")
    return 0


# ---------------------------------------------------------------- data


def _check_width(layer_dims, X, where):
    """``X`` (2-D) must have ``layer_dims[0]`` rows: a clear error for data of another architecture."""
    if X.ndim == 2 and X.shape[0] != layer_dims[0]:
        raise ValueError(f"the checkpoint's model (layer_dims {layer_dims}) takes {layer_dims[0]} features, "
                         f"but {where} has {X.shape[0]} (X is {X.shape[0]} x {X.shape[1]})")
    return X


def _X_source(args):
    """predict/evaluate read either --dataset or --input."""
    if (args.dataset is None) == (args.input is None):
        raise ValueError(f"{args.command} needs exactly one of --dataset and --input")


def _read_array(path, option):
    """An array from a ``.npy`` or ``.csv`` file in course layout (features as rows)."""
    path = Path(path)
    if path.suffix not in (".npy", ".csv"):
        raise ValueError(f"{option} {path}: expected a .npy or .csv file, got suffix {path.suffix!r}")
    if not path.is_file():
        raise FileNotFoundError(f"{option} {path}: no such file")
    if path.suffix == ".csv":
        return np.loadtxt(path, delimiter=",", ndmin=2)
    return np.load(path, allow_pickle=False)


# ---------------------------------------------------------------- train


def _cost_every(args):
    """``--cost-every``, else up to 100 (the notes' spacing) dividing ``--print-every``."""
    if args.cost_every is not None:
        return args.cost_every
    spacing = min(100, max(1, args.iterations // 10))
    return math.gcd(spacing, args.print_every) if args.print_every else spacing


FRESH_DEFAULTS = {"layers": [4], "activation": "relu", "lr": 0.0075, "momentum": 0.0, "l2": 0.0}
"""Defaults of the options that a resumed run takes from its checkpoint instead."""


def _fresh_model(args, n_x):
    """A NeuralNetwork built from the command's options for ``n_x`` input features."""
    option = {key: default if getattr(args, key) is None else getattr(args, key)
              for key, default in FRESH_DEFAULTS.items()}
    return NeuralNetwork(
        [n_x, *option["layers"], 1], hidden_activation=option["activation"],
        learning_rate=option["lr"], num_iterations=args.iterations, init=args.init, scale=args.scale,
        seed=args.seed, dtype=args.dtype, backend=args.backend, device=args.device,
        cost_every=_cost_every(args), batch_size=args.batch_size, momentum=option["momentum"],
        l2=option["l2"],
    )


RESUME_FIXED = {"layers": "layer_dims", "activation": "hidden_activation", "cost_every": "cost_every",
                "dtype": "dtype"}
"""Options a resumed run must take from its checkpoint: option -> config key."""

RESUME_SETTINGS = {"lr": "learning_rate", "batch_size": "batch_size", "momentum": "momentum", "l2": "l2"}
"""Options that may change when resuming: option -> config key."""


def _resumed_model(args, X):
    """The model of ``--resume``, its settings updated by the options given, on ``--backend``."""
    checkpoint = read_checkpoint(args.resume)
    n_x = _check_width(checkpoint.layer_dims, X, f"--dataset {args.dataset}").shape[0]
    config = {**checkpoint.config, "num_iterations": args.iterations, "backend": args.backend,
              "device": args.device, "print_cost": False}
    asked = {"layers": None if args.layers is None else [n_x, *args.layers, 1]}
    held = {**config, "dtype": checkpoint.parameters["W1"].dtype.name}
    for option, key in RESUME_FIXED.items():
        given = asked.get(option, getattr(args, option))
        if given is not None and given != held[key]:
            raise ValueError(f"--resume {args.resume}: the checkpoint has {key}={held[key]!r}, "
                             f"but --{option.replace('_', '-')} asks for {given!r}")
    config.update({key: getattr(args, option) for option, key in RESUME_SETTINGS.items()
                   if getattr(args, option) is not None})
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


def _fit(model, split, args, out):
    """Train ``model`` on the train split; on Ctrl-C save a checkpoint, say where, and return 130."""
    if args.print_every and args.print_every % model.cost_every:
        raise ValueError(f"--print-every {args.print_every} must be a multiple of the cost spacing "
                         f"{model.cost_every} (--cost-every)")
    progress = _Progress(model, args.print_every)
    try:
        with np.errstate(all="ignore"):  # a diverging run raises TrainingDivergedError instead
            model.fit(split.X_train, split.Y_train, resume=args.resume is not None,
                      progress=progress.callback())
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
        "iterations_done": model.iterations_done_, "iterations_this_run": model.num_iterations,
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
        from . import plots
    except ImportError as exc:
        raise ImportError("nnxp train draws its plots with matplotlib: pip install matplotlib") from exc
    written = [out / "learning_curve.png"]
    plots.learning_curve(model, written[0])
    if split.X_train.shape[0] == 2:
        written.append(out / "decision_boundary.png")
        title = f"Decision boundary, layers {model.layer_dims}, {model.hidden_activation}"
        plots.decision_boundary(model, split.X_train, split.Y_train, written[1], title=title)
    return written


def train(args):
    """Train on ``--dataset``, then write the checkpoint, metrics and plots to ``--out``."""
    split = dataset_split(args)
    model = _resumed_model(args, split.X_train) if args.resume else _fresh_model(args, split.X_train.shape[0])
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


# ---------------------------------------------------------------- predict and evaluate


def _loaded(args):
    return restore(read_checkpoint(args.checkpoint), backend=args.backend, device=args.device,
                   path=args.checkpoint)


def predict(args):
    """Print (or write to ``--output``) ``prediction,probability`` for each sample, as CSV."""
    _X_source(args)
    model = _loaded(args)
    X = dataset_split(args).X_test if args.dataset else _read_array(args.input, "--input")
    where = f"--dataset {args.dataset}" if args.dataset else f"--input {args.input}"
    _check_width(model.layer_dims, X, where)
    proba = to_numpy(model.predict_proba(X)).ravel()
    lines = ["prediction,probability", *(f"{int(p > 0.5)},{p:.6f}" for p in proba)]
    if args.output:
        Path(args.output).write_text("\n".join(lines) + "\n")
        print(f"wrote {len(proba)} predictions to {args.output}")
    else:
        print("\n".join(lines))
    return 0


def evaluate(args):
    """Print accuracy and cost on the data set's train and test splits, or on ``--input``/``--labels``."""
    _X_source(args)
    model = _loaded(args)
    if args.dataset:
        split = dataset_split(args)
        _check_width(model.layer_dims, split.X_train, f"--dataset {args.dataset}")
        parts = {"train": (split.X_train, split.Y_train), "test": (split.X_test, split.Y_test)}
    else:
        if args.labels is None:
            raise ValueError("evaluate --input needs --labels, a (1, m) file of 0/1 labels")
        X = _check_width(model.layer_dims, _read_array(args.input, "--input"), f"--input {args.input}")
        parts = {"input": (X, _read_array(args.labels, "--labels"))}
    for name, (X, Y) in parts.items():
        print(f"{name}: accuracy {model.score(X, Y):.1%}, cost {model.cost(X, Y):.6f}, {X.shape[1]} samples")
    return 0


# ---------------------------------------------------------------- parser


class _Parser(argparse.ArgumentParser):
    """Argument errors as one line (plus where to find help), exit status 2."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _add_train(commands):
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
    run.add_argument("--cost-every", type=positive_int, help="iterations between logged costs")
    run.add_argument("--print-every", type=positive_int, help="print the cost every N iterations")
    run.add_argument("--resume", help="continue training from this checkpoint")
    run.add_argument("--out", help="folder for the checkpoint, metrics and plots (default: runs/DATASET)")
    backend_options(run, "auto")


def _add_checkpoint_command(commands, name, help):
    """A command on a checkpoint and data: ``--dataset`` (its test set for predict) or ``--input``."""
    run = commands.add_parser(name, help=help)
    run.add_argument("checkpoint", help="a model.npz written by nnxp train or model.save")
    data_options(run, required=False)
    run.add_argument("--input", help="X (n_x, m) as .npy or .csv, instead of --dataset")
    backend_options(run, "numpy")
    return run


def _add_checkpoint_commands(commands):
    run = _add_checkpoint_command(commands, "predict",
                                  "predict the test set or --input (CSV of prediction,probability)")
    run.add_argument("--output", help="write the CSV here instead of printing it")
    run = _add_checkpoint_command(commands, "evaluate", "accuracy and cost on a data set's splits or --input")
    run.add_argument("--labels", help="Y (1, m) of 0/1 as .npy or .csv, with --input")


def build_parser():
    parser = _Parser(prog="nnxp", description=__doc__.split("\n\n")[0])
    parser.add_argument("--version", action="version", version=f"nnxp {__version__}")
    commands = parser.add_subparsers(dest="command")
    run = commands.add_parser("demo", help="train the course's flower network (the default)")
    run.add_argument("--backend", default="auto", help="numpy, cupy or auto (default: auto)")
    run.add_argument("--iterations", type=int, default=10000)
    _add_train(commands)
    _add_checkpoint_commands(commands)
    add_search(commands)
    commands.add_parser("info", help="versions and backend availability")
    return parser


COMMANDS = {"demo": demo, "train": train, "predict": predict, "evaluate": evaluate, "search": run_search,
            "info": info}


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if args.command is None:
        args = parser.parse_args(["demo"])
    try:
        return COMMANDS[args.command](args)
    except BrokenPipeError:  # the reader left (nnxp predict ... | head): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except USER_ERRORS as exc:
        print(f"nnxp {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"nnxp {args.command}: interrupted", file=sys.stderr)
        return INTERRUPTED
