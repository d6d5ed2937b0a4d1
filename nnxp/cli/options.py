"""The command line's shared options and option types (the data's are in :mod:`nnxp.cli.data`)."""

import argparse
import math

from ..core.optimizers import OPTIMIZERS

INTERRUPTED = 130  # the shell's code for a process ended by SIGINT


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


def real(expected, accepts):
    """An option type: a finite number that ``accepts(value)``; argparse's one-line error (exit 2) names
    the option, what was given and ``expected`` (kept on the type as ``.expected``)."""

    def read(text):
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not (math.isfinite(value) and accepts(value)):
            raise argparse.ArgumentTypeError(f"expected {expected}, got {text!r}")
        return value

    read.expected = expected
    return read


positive_float = real("a positive number", lambda value: value > 0)
non_negative_float = real("a number >= 0", lambda value: value >= 0)
beta = real("a number in [0, 1)", lambda value: 0 <= value < 1)
"""Momentum's and the optimizers' betas."""
probability = real("a number in (0, 1]", lambda value: 0 < value <= 1)
"""A keep probability."""
fraction = real("a fraction in (0, 1)", lambda value: 0 < value < 1)
"""A share of the samples held out."""


def list_of(parse, what):
    """An option type for comma-separated values, each read by ``parse``; a bad one is named with what
    ``parse`` expects (its ``.expected``, as :func:`real` types have)."""

    def read(text):
        values = []
        for part in (part.strip() for part in text.split(",")):
            try:
                values.append(parse(part))
            except (TypeError, ValueError, argparse.ArgumentTypeError):
                why = f": {part!r} is not {parse.expected}" if hasattr(parse, "expected") else ""
                raise argparse.ArgumentTypeError(f"expected {what}, comma-separated, got {text!r}{why}") from None
        return values

    return read


def _optimizer_name(name):
    if name not in OPTIMIZERS:
        raise argparse.ArgumentTypeError(f"expected one of {', '.join(OPTIMIZERS)}, got {name!r}")
    return name


def _keep_prob(text):
    """``"0.8"`` -> 0.8 for every hidden layer; ``"0.9,0.5"`` -> (0.9, 0.5), one per hidden layer."""
    values = list_of(probability, "keep probabilities")(text)
    return values[0] if len(values) == 1 else tuple(values)


TRAINING_OPTIONS = {
    "optimizer": (_optimizer_name, "optimizer: gd, momentum, rmsprop or adam (default: gd, or momentum "
                                   "with --momentum)"),
    "beta1": (beta, "momentum's beta and Adam's beta1, in [0, 1) (default 0.9)"),
    "beta2": (beta, "RMSprop's beta (default 0.9) and Adam's beta2 (default 0.999), in [0, 1)"),
    "epsilon": (positive_float, "RMSprop's and Adam's epsilon, > 0 (default 1e-8)"),
    "decay_rate": (non_negative_float, "learning-rate decay: alpha0 / (1 + rate * epoch), >= 0 (default 0: none)"),
    "decay_interval": (positive_int, "decay in steps, alpha0 / (1 + rate * floor(epoch / N))"),
    "early_stopping": (positive_int, "stop after N evaluations (every --cost-every) without a lower "
                                     "validation cost; keep the best"),
    "keep_prob": (_keep_prob, "dropout: keep probability of the hidden layers in (0, 1], one or one per "
                              "layer (default 1: none)"),
}
"""The training options that ``train`` takes once and ``search`` as lists: name -> (type, help)."""

def training_options(parser, *, as_lists=False):
    """Add :data:`TRAINING_OPTIONS` (comma-separated lists of values with ``as_lists``)."""
    for name, (parse, help) in TRAINING_OPTIONS.items():
        kind = list_of(parse if name != "keep_prob" else probability, name.replace("_", " ") + " values")
        parser.add_argument("--" + name.replace("_", "-"), type=kind if as_lists else parse, help=help)


def backend_options(parser, default):
    parser.add_argument("--backend", default=default, choices=("numpy", "cupy", "auto"),
                        help=f"where to compute (default: {default})")
    parser.add_argument("--device", help="a device of the backend, e.g. 0 for the first GPU")
