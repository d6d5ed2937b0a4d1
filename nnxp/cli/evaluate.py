"""``nnxp predict`` and ``nnxp evaluate``: use a saved checkpoint on a data set or on files."""

from pathlib import Path

from ..backend import to_numpy
from ..loading import load
from .options import _check_width, _read_array, _X_source, backend_options, data_options, dataset_split


def _loaded(args):
    return load(args.checkpoint, backend=args.backend, device=args.device)


def _split(args, model):
    """``--dataset``'s split, with as many classes as the model has outputs where the data set lets one choose."""
    return dataset_split(args, classes=model.layer_dims[-1] if model.layer_dims[-1] > 1 else None)


def _columns(name, rows):
    """CSV column names for ``rows`` rows of one quantity: ``name``, or ``name_0, name_1, ...``."""
    return [name] if rows == 1 else [f"{name}_{i}" for i in range(rows)]


def _table(model, X):
    """The CSV lines of ``model``'s predictions for ``X``: a column per output row, then for
    classifiers the probabilities (of class 1 for binary, of each class for categorical)."""
    predicted = to_numpy(model.predict(X))
    if model.is_classifier:
        parts = [("prediction", predicted.astype(int), "d"), ("probability", to_numpy(model.predict_proba(X)), ".6f")]
    else:
        parts = [("prediction", predicted, ".6g")]
    header, cells = [], []
    for name, rows, spec in parts:
        header += _columns(name, rows.shape[0])
        cells += [[format(value, spec) for value in row] for row in rows]
    return [",".join(header), *(",".join(row) for row in zip(*cells))]


def predict(args):
    """Print (or write to ``--output``) the predictions for each sample as CSV: ``prediction,probability``
    for a binary model, ``prediction,probability_0,...`` for C classes, ``prediction[_i]`` for regression."""
    _X_source(args)
    model = _loaded(args)
    X = _split(args, model).X_test if args.dataset else _read_array(args.input, "--input")
    where = f"--dataset {args.dataset}" if args.dataset else f"--input {args.input}"
    _check_width(model.layer_dims, X, where)
    lines = _table(model, X)
    if args.output:
        Path(args.output).write_text("\n".join(lines) + "\n")
        print(f"wrote {len(lines) - 1} predictions to {args.output}")
    else:
        print("\n".join(lines))
    return 0


def _score(model, X, Y):
    """``accuracy 97.5%`` for classifiers, ``R^2 0.8123`` for regression."""
    score = model.score(X, Y)
    return f"accuracy {score:.1%}" if model.is_classifier else f"R^2 {score:.4f}"


def evaluate(args):
    """Print the score (accuracy, or R^2 for regression) and cost on the data set's train and test
    splits, or on ``--input``/``--labels``."""
    _X_source(args)
    model = _loaded(args)
    if args.dataset:
        split = _split(args, model)
        _check_width(model.layer_dims, split.X_train, f"--dataset {args.dataset}")
        parts = {"train": (split.X_train, split.Y_train), "test": (split.X_test, split.Y_test)}
    else:
        if args.labels is None:
            raise ValueError("evaluate --input needs --labels, a file of Y in course layout (n[L], m)")
        X = _check_width(model.layer_dims, _read_array(args.input, "--input"), f"--input {args.input}")
        parts = {"input": (X, _read_array(args.labels, "--labels"))}
    for name, (X, Y) in parts.items():
        print(f"{name}: {_score(model, X, Y)}, cost {model.cost(X, Y):.6f}, {X.shape[1]} samples")
    return 0


def _add_checkpoint_command(commands, name, help):
    """A command on a checkpoint and data: ``--dataset`` (its test set for predict) or ``--input``."""
    run = commands.add_parser(name, help=help)
    run.add_argument("checkpoint", help="a model.npz written by nnxp train or model.save")
    data_options(run, required=False)
    run.add_argument("--input", help="X (n_x, m) as .npy or .csv, instead of --dataset")
    backend_options(run, "numpy")
    return run


def add_checkpoint_commands(commands):
    """The ``predict`` and ``evaluate`` subcommands' options."""
    run = _add_checkpoint_command(commands, "predict",
                                  "predict the test set or --input (CSV of predictions and probabilities)")
    run.add_argument("--output", help="write the CSV here instead of printing it")
    run = _add_checkpoint_command(commands, "evaluate", "accuracy and cost on a data set's splits or --input")
    run.add_argument("--labels", help="Y as .npy or .csv, with --input: 0/1 labels or class indices (1, m), "
                                      "one-hot (C, m), or regression targets (n[L], m)")
