"""The command line's shared pieces: option types, common options, the data of ``--dataset``."""

import argparse

from .datasets import DATASETS, load


def dataset_split(args):
    """The ``Split`` of ``--dataset`` (``--data-dir`` for the cat files)."""
    if args.dataset == "cat":
        if args.data_dir is None:
            raise ValueError("--dataset cat needs --data-dir, the folder of the course's .h5 files")
        return load("cat", data_dir=args.data_dir)
    if args.data_dir is not None:
        raise ValueError(f"--data-dir is only read with --dataset cat, not with {args.dataset!r}")
    return load(args.dataset)


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


def backend_options(parser, default):
    parser.add_argument("--backend", default=default, choices=("numpy", "cupy", "auto"),
                        help=f"where to compute (default: {default})")
    parser.add_argument("--device", help="a device of the backend, e.g. 0 for the first GPU")


def data_options(parser, *, required):
    parser.add_argument("--dataset", required=required, choices=sorted(DATASETS),
                        help="a data set of nnxp.datasets")
    parser.add_argument("--data-dir", help="folder of the course's cat .h5 files (--dataset cat)")
