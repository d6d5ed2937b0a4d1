"""The command line's shared pieces: option types, common options, the data of ``--dataset`` or ``--input``."""

import argparse
from pathlib import Path

import numpy as np

from ..datasets import DATASETS, load
from ..optimizers import OPTIMIZERS

INTERRUPTED = 130  # the shell's code for a process ended by SIGINT


CLASS_CHOICES = {"digits": (2, 10)}
"""Data sets that come with a choice of classes (``--classes``): name -> the numbers they take."""


def dataset_split(args, classes=None):
    """The ``Split`` of ``--dataset``: ``--data-dir`` for the cat files; ``--classes`` (else
    ``classes``, e.g. a loaded model's) for the data sets of :data:`CLASS_CHOICES`."""
    if args.dataset == "cat":
        if args.data_dir is None:
            raise ValueError("--dataset cat needs --data-dir, the folder of the course's .h5 files")
        return load("cat", data_dir=args.data_dir)
    if args.data_dir is not None:
        raise ValueError(f"--data-dir is only read with --dataset cat, not with {args.dataset!r}")
    if args.classes is not None and args.dataset not in CLASS_CHOICES:
        raise ValueError(f"--classes is only read with --dataset {', '.join(CLASS_CHOICES)}, not with {args.dataset!r}")
    chosen = classes if args.classes is None else args.classes
    return load(args.dataset, **({"classes": chosen} if chosen and args.dataset in CLASS_CHOICES else {}))


def hidden_layers(text):
    """``"4"`` -> [4]; ``"20,7,5"`` -> [20, 7, 5]; ``"none"`` -> [] (logistic regression)."""
    if text.strip().lower() in ("", "none"):
        return []
    try:
        sizes = [int(part) for part in text.split(",")]
    except ValueError:
        sizes = [0]
    if min(sizes) < 1:
        raise argparse.ArgumentTypeError(
            f"expected hidden layer sizes like 4 or 20,7,5 (or none), got {text!r}")
    return sizes


def positive_int(text):
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return int(text)


def list_of(parse, what):
    """An option type for comma-separated values, each read by ``parse``."""

    def read(text):
        try:
            return [parse(part.strip()) for part in text.split(",")]
        except (TypeError, ValueError, argparse.ArgumentTypeError):
            raise argparse.ArgumentTypeError(f"expected {what}, comma-separated, got {text!r}") from None

    return read


def _optimizer_name(name):
    if name not in OPTIMIZERS:
        raise argparse.ArgumentTypeError(f"expected one of {', '.join(OPTIMIZERS)}, got {name!r}")
    return name


def _keep_prob(text):
    """``"0.8"`` -> 0.8 for every hidden layer; ``"0.9,0.5"`` -> (0.9, 0.5), one per hidden layer."""
    values = list_of(float, "keep probabilities")(text)
    return values[0] if len(values) == 1 else tuple(values)


TRAINING_OPTIONS = {
    "optimizer": (_optimizer_name, "optimizer: gd, momentum, rmsprop or adam (default: gd, or momentum "
                                   "with --momentum)"),
    "beta1": (float, "momentum's beta and Adam's beta1 (default 0.9)"),
    "beta2": (float, "RMSprop's beta (default 0.9) and Adam's beta2 (default 0.999)"),
    "epsilon": (float, "RMSprop's and Adam's epsilon (default 1e-8)"),
    "decay_rate": (float, "learning-rate decay: alpha0 / (1 + rate * epoch) (default 0: none)"),
    "decay_interval": (positive_int, "decay in steps, alpha0 / (1 + rate * floor(epoch / N))"),
    "early_stopping": (positive_int, "stop after N evaluations (every --cost-every) without a lower "
                                     "validation cost; keep the best"),
    "keep_prob": (_keep_prob, "dropout: keep probability of the hidden layers, one or one per layer "
                              "(default 1: none)"),
}
"""The training options that ``train`` takes once and ``search`` as lists: name -> (type, help)."""

def training_options(parser, *, as_lists=False):
    """Add :data:`TRAINING_OPTIONS` (comma-separated lists of values with ``as_lists``)."""
    for name, (parse, help) in TRAINING_OPTIONS.items():
        kind = list_of(parse if name != "keep_prob" else float, name.replace("_", " ") + " values")
        parser.add_argument("--" + name.replace("_", "-"), type=kind if as_lists else parse, help=help)


def backend_options(parser, default):
    parser.add_argument("--backend", default=default, choices=("numpy", "cupy", "auto"),
                        help=f"where to compute (default: {default})")
    parser.add_argument("--device", help="a device of the backend, e.g. 0 for the first GPU")


def data_options(parser, *, required):
    parser.add_argument("--dataset", required=required, choices=sorted(DATASETS),
                        help="a data set of nnxp.datasets")
    parser.add_argument("--data-dir", help="folder of the course's cat .h5 files (--dataset cat)")
    choices = sorted({n for numbers in CLASS_CHOICES.values() for n in numbers})
    parser.add_argument("--classes", type=int, choices=choices,
                        help="digits: 2 (even vs odd, the default) or 10 (one class per digit, softmax)")


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
