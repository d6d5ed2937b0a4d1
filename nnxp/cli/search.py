"""``nnxp search``: a grid of hyperparameters, each trained on a train split and ranked on a
validation split carved out of it (the test split stays unseen).

``nnxp search --dataset flower --layers 4 --layers 8,4 --lr 0.1,1.2 --activation tanh,relu
--iterations 2000 --out runs/search`` writes ``search.json``, ``search.csv`` and ``search.png``
(validation accuracy per setting) to ``--out`` and prints the best settings.
"""

import csv
import io
import json
import math

from ..core.activations import ACTIVATIONS
from ..data.datasets import train_test_split
from ..core.losses import get_loss
from ..model.grid_search import search
from .data import data_options, training_data
from .folder import claimed, write_text
from .options import (TRAINING_OPTIONS, backend_options, beta, fraction, hidden_layers, list_of, non_negative_float,
                      positive_float, positive_int, training_options)


def _activation(name):
    if name not in ACTIVATIONS:
        raise ValueError(name)
    return name


def _batch_size(text):
    return None if text.lower() == "none" else positive_int(text)


def add_search(commands):
    """The ``search`` subcommand's options."""
    run = commands.add_parser("search", help="train a grid of settings, ranked on a validation split")
    data_options(run, training=True)
    run.add_argument("--layers", type=hidden_layers, action="append",
                     help="hidden layer sizes, repeat for several: --layers 4 --layers 20,7,5 (default: 4)")
    run.add_argument("--lr", type=list_of(positive_float, "learning rates"), default=[0.0075])
    run.add_argument("--activation", type=list_of(_activation, f"activations of {sorted(ACTIVATIONS)}"),
                     default=["relu"])
    run.add_argument("--batch-size", type=list_of(_batch_size, "batch sizes or none"), default=[None])
    run.add_argument("--momentum", type=list_of(beta, "momentum values"), default=[0.0])
    run.add_argument("--l2", type=list_of(non_negative_float, "L2 lambdas"), default=[0.0])
    training_options(run, as_lists=True)
    run.add_argument("--iterations", type=positive_int, default=2500)
    run.add_argument("--validation-size", type=fraction, default=0.2,
                     help="fraction of the train split held out for ranking, in (0, 1) (default: 0.2)")
    run.add_argument("--seed", type=int, default=0)
    run.add_argument("--out", help="folder for search.json, search.csv, search.png (default: runs/search)")
    backend_options(run, "auto")


def _grid(args):
    grid = {
        "hidden_layers": [tuple(layers) for layers in (args.layers or [[4]])],
        "learning_rate": args.lr, "hidden_activation": args.activation,
        "batch_size": args.batch_size, "momentum": args.momentum, "l2": args.l2,
    }
    return {**grid, **{name: getattr(args, name) for name in TRAINING_OPTIONS if getattr(args, name) is not None}}


def _write(rows, out, classifier):
    """``search.json``, ``search.csv`` and ``search.png`` (validation accuracy, or R^2 for a regression)
    in ``out`` (each written whole or not at all); the paths written."""
    paths = [out / "search.json", out / "search.csv", out / "search.png"]
    write_text(paths[0], json.dumps(rows, indent=2, default=list) + "\n")
    table = io.StringIO(newline="")
    writer = csv.DictWriter(table, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    write_text(paths[1], table.getvalue())
    from . import plots

    plots.search_results(rows, paths[2], metric="validation accuracy" if classifier else "validation R^2")
    return paths


def _scores(row, classifier):
    """A ranking line's scores: validation and train accuracy (R^2 for regression), or "diverged"."""
    if row["diverged"]:
        return "diverged"
    if classifier:
        return f"validation accuracy {row['validation_accuracy']:.1%} (train {row['train_accuracy']:.1%})"
    return f"validation R^2 {row['validation_accuracy']:.4f} (train {row['train_accuracy']:.4f})"


def run_search(args):
    """Train every grid point, print the ranking, write the files."""
    from tqdm import tqdm

    prepared = training_data(args)
    split = prepared.split
    classifier = prepared.loss is None or get_loss(prepared.loss).classifier
    train = train_test_split(split.X_train, split.Y_train, test_size=args.validation_size, seed=args.seed,
                             stratify=classifier)
    grid = _grid(args)
    with claimed(args.out or "runs/search", "search") as out:
        with tqdm(total=math.prod(map(len, grid.values())), unit="model", desc="search", disable=None,
                  leave=False) as bar:
            rows = search(grid, train.X_train, train.Y_train, train.X_test, train.Y_test,
                          progress=lambda done, _: bar.update(1), num_iterations=args.iterations,
                          seed=args.seed, backend=args.backend, device=args.device, loss=prepared.loss)
        for rank, row in enumerate(rows[:10], start=1):
            print(f"{rank:2d}. {_scores(row, classifier)}: " + ", ".join(f"{key}={row[key]}" for key in grid))
        print("wrote " + ", ".join(map(str, _write(rows, out, classifier))))
    return 0
