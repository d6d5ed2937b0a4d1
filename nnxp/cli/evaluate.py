"""``nnxp predict`` and ``nnxp evaluate``: use a saved checkpoint on a data set, a CSV file or arrays.

The checkpoint's preprocessing is applied to what is read (see :mod:`nnxp.cli.data`), and CSV
predictions come back in the target's own labels or units.
"""

import csv
import io
from pathlib import Path


from ..data import tables
from ..core.backend import namespace, to_numpy
from ..model.loading import load
from .data import check_width, data_options, model_split, read_array, source
from .options import backend_options


def _loaded(args):
    """The checkpoint's model (its preprocessing checked by :func:`nnxp.load`)."""
    return load(args.checkpoint, backend=args.backend, device=args.device)


def _columns(name, rows, labels=None):
    """CSV column names for ``rows`` rows of one quantity: ``name``, ``name_0, ...`` or ``name_<label>``."""
    if labels is not None:
        return [f"{name}_{label}" for label in labels]
    return [name] if rows == 1 else [f"{name}_{i}" for i in range(rows)]


def _probabilities(model, X, classes):
    """``(names, rows)`` of the class probabilities: of class 1 alone for a binary model, unless the
    CSV's two labels are known, then of each."""
    P = to_numpy(model.predict_proba(X))
    if classes is not None:  # every class its column: the loss says how (binary: 1 - P, then P)
        P = model.loss_object.probabilities(namespace(P), P)
    return _columns("probability", P.shape[0], classes), P


def _table(model, X, preprocessing):
    """The CSV rows of ``model``'s predictions for ``X``: a column per output (in the CSV target's labels
    or units when the model was trained on one), then for classifiers the probabilities."""
    predicted = preprocessing.decode(to_numpy(model.predict(X)))
    if model.is_classifier and "classes" not in preprocessing:
        predicted = predicted.astype(int)  # 0/1 (in the model's float dtype) or class indices
    spec = ".6g" if predicted.dtype.kind == "f" else ""
    header, cells = _columns("prediction", predicted.shape[0]), [[format(v, spec) for v in row] for row in predicted]
    if model.is_classifier:
        names, P = _probabilities(model, X, preprocessing.class_names)
        header, cells = header + names, cells + [[f"{p:.6f}" for p in row] for row in P]
    return [header, *zip(*cells)]


def _features(args, model):
    """``(X, where)`` for predict: the test split of ``--dataset``, ``--input`` or ``--csv``, preprocessed."""
    where = source(args, ("dataset", "input", "csv"))
    label, preprocessing = f"--{where} {getattr(args, where)}", model.preprocessing_
    if where == "dataset":
        X = model_split(args, model).X_test
    elif where == "input":
        X = preprocessing.features(check_width(model.layer_dims, read_array(args.input, "--input"), label))
    else:
        X = tables.csv_features(preprocessing, tables.read_csv(args.csv), label)
    return check_width(model.layer_dims, X, label), label


def predict(args):
    """Print (or write to ``--output``) the predictions for each sample as CSV: ``prediction,probability``
    for a binary model, ``prediction,probability_0,...`` for C classes (``probability_<label>`` for a CSV
    model's labels), ``prediction[_i]`` for regression."""
    model = _loaded(args)
    X, _ = _features(args, model)
    rows = _table(model, X, model.preprocessing_)
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(rows)
    if args.output:
        try:
            Path(args.output).write_text(text.getvalue())
        except OSError as exc:
            raise OSError(f"--output {args.output}: cannot write the predictions ({exc.strerror})") from None
        print(f"wrote {len(rows) - 1} predictions to {args.output}")
    else:
        print(text.getvalue(), end="")
    return 0


def _score(model, X, Y):
    """``accuracy 97.5%`` for classifiers, ``R^2 0.8123`` for regression."""
    score = model.score(X, Y)
    return f"accuracy {score:.1%}" if model.is_classifier else f"R^2 {score:.4f}"


def _parts(args, model):
    """``{name: (X, Y)}`` to evaluate on: a data set's train and test splits, ``--input`` with
    ``--labels``, or ``--csv`` with its target column."""
    where = source(args, ("dataset", "input", "csv"))
    if where == "dataset":
        split = model_split(args, model)
        check_width(model.layer_dims, split.X_train, f"--dataset {args.dataset}")
        return {"train": (split.X_train, split.Y_train), "test": (split.X_test, split.Y_test)}
    if where == "csv":
        frame, label = tables.read_csv(args.csv), f"--csv {args.csv}"
        X = check_width(model.layer_dims, tables.csv_features(model.preprocessing_, frame, label), label)
        return {"csv": (X, tables.csv_targets(model.preprocessing_, frame, label))}
    if args.labels is None:
        raise ValueError("evaluate --input needs --labels, a file of Y in course layout (n[L], m)")
    X = check_width(model.layer_dims, read_array(args.input, "--input"), f"--input {args.input}")
    Y = model.preprocessing_.targets(read_array(args.labels, "--labels", text=True), f"--labels {args.labels}")
    return {"input": (model.preprocessing_.features(X), Y)}


def evaluate(args):
    """Print the score (accuracy, or R^2 for regression) and cost on the data set's train and test
    splits, on ``--input``/``--labels``, or on a ``--csv`` file with the target column."""
    model = _loaded(args)
    for name, (X, Y) in _parts(args, model).items():
        print(f"{name}: {_score(model, X, Y)}, cost {model.cost(X, Y):.6f}, {X.shape[1]} samples")
    return 0


def _add_checkpoint_command(commands, name, help):
    """A command on a checkpoint and data: ``--dataset`` (its test set for predict), ``--csv`` or ``--input``."""
    run = commands.add_parser(name, help=help)
    run.add_argument("checkpoint", help="a model.npz written by nnxp train or model.save")
    data_options(run, training=False)
    run.add_argument("--input", help="X (n_x, m) as .npy or .csv of numbers, raw as training read it")
    backend_options(run, "numpy")
    return run


def add_checkpoint_commands(commands):
    """The ``predict`` and ``evaluate`` subcommands' options."""
    run = _add_checkpoint_command(commands, "predict",
                                  "predict the test set, --csv or --input (CSV of predictions and probabilities)")
    run.add_argument("--output", help="write the CSV here instead of printing it")
    run = _add_checkpoint_command(commands, "evaluate", "score and cost on a data set's splits, --csv or --input")
    run.add_argument("--labels", help="Y as .npy or .csv, with --input: labels (1, m) (a CSV model's: its class "
                                      "names, or indices into the sorted names), one-hot (C, m), or "
                                      "regression targets (n[L], m) in their own units")
