"""The command line's data: ``--dataset``, ``--csv`` and ``--input`` files, and a model's preprocessing.

Training standardizes what needs it (CSV features, the scikit-learn data sets) with the training
split's statistics and keeps them in the checkpoint; ``predict`` and ``evaluate`` apply them, so
they take raw features, as the training run read them.
"""

from pathlib import Path

import numpy as np

from ..data import out_of_core, tables
from ..data.datasets import DATASETS, STANDARDIZED, get_dataset

CLASS_CHOICES = {"digits": (2, 10)}
"""Data sets that come with a choice of classes (``--classes``): name -> the numbers they take."""


def data_options(parser, *, training, lazy=False):
    """``--dataset`` (with ``--data-dir``, ``--classes``) and ``--csv`` (with ``--target``, ``--task`` when
    ``training``; with ``lazy`` also ``--zarr`` and CSV globs): one of them is needed, as :func:`source`
    checks."""
    parser.add_argument("--dataset", choices=sorted(DATASETS), help="a data set of nnxp.data.datasets")
    parser.add_argument("--data-dir", help="folder of the course's cat .h5 files (--dataset cat)")
    choices = sorted({n for numbers in CLASS_CHOICES.values() for n in numbers})
    parser.add_argument("--classes", type=int, choices=choices,
                        help="digits: 2 (even vs odd, the default) or 10 (one class per digit, softmax)")
    csv_help = "a CSV file: a header of column names, one sample per row"
    parser.add_argument("--csv", help=csv_help + (" (or a pattern of files, 'parts/*.csv', read with Dask)"
                                                  if lazy else ""))
    if lazy:
        parser.add_argument("--zarr", help="a zarr group of arrays X (n_x, m) and Y (rows, m), read with Dask")
    if training:
        parser.add_argument("--target", help="with --csv: the column to predict")
        parser.add_argument("--task", choices=tables.TASKS,
                            help="with --csv: default classification for text or few whole-number labels, "
                                 "else regression")


def source(args, options):
    """The one data option of ``options`` (e.g. ``("dataset", "csv")``) that was given; ValueError if not one."""
    given = [name for name in options if getattr(args, name, None) is not None]
    if len(given) != 1:
        flags = " and ".join("--" + name for name in options)
        raise ValueError(f"{args.command} needs exactly one of {flags}")
    return given[0]


def dataset_split(args, classes=None, raw=False):
    """The ``Split`` of ``--dataset``: ``--data-dir`` for the cat files; ``--classes`` (else ``classes``,
    e.g. a loaded model's) for the data sets of :data:`CLASS_CHOICES`; with ``raw`` the unstandardized
    features of the data sets that standardize theirs."""
    if args.dataset == "cat":
        if args.data_dir is None:
            raise ValueError("--dataset cat needs --data-dir, the folder of the course's .h5 files")
        return get_dataset("cat", data_dir=args.data_dir)
    if args.data_dir is not None:
        raise ValueError(f"--data-dir is only read with --dataset cat, not with {args.dataset!r}")
    if args.classes is not None and args.dataset not in CLASS_CHOICES:
        raise ValueError(f"--classes is only read with --dataset {', '.join(CLASS_CHOICES)}, not with {args.dataset!r}")
    chosen = classes if args.classes is None else args.classes
    kwargs = {"classes": chosen} if chosen and args.dataset in CLASS_CHOICES else {}
    if raw and args.dataset in STANDARDIZED:
        kwargs["standardize"] = False
    return get_dataset(args.dataset, **kwargs)


def training_data(args):
    """The :class:`nnxp.tables.Prepared` data of ``train``/``search``: ``--dataset``, ``--csv`` or, lazily
    as Dask arrays, ``--zarr`` and CSV globs."""
    kind = source(args, ("dataset", "csv", "zarr"))
    if kind == "zarr" or (kind == "csv" and out_of_core.is_glob(args.csv)):
        if not hasattr(args, "zarr"):
            raise ValueError(f"--csv {args.csv}: a pattern of files is read lazily by nnxp train only; "
                             f"{args.command} takes one file")
        return _lazy_data(args, kind)
    if kind == "csv":
        if args.target is None:
            raise ValueError("--csv needs --target, the column to predict")
        return tables.prepare_csv(tables.read_csv(args.csv), args.target, args.task, seed=args.seed,
                                   where=f"--csv {args.csv}")
    if args.target is not None or args.task is not None:
        raise ValueError("--target and --task are only read with --csv")
    return tables.prepare_split(dataset_split(args, raw=True), args.dataset in STANDARDIZED, args.dataset)


def _lazy_data(args, kind):
    """``--zarr`` or a ``--csv`` glob as lazy :class:`nnxp.tables.Prepared` data (:mod:`nnxp.data.out_of_core`)."""
    if kind == "zarr":
        if args.target is not None:
            raise ValueError("--target is only read with --csv: a --zarr group holds X and Y")
        X, Y = out_of_core.read_zarr(args.zarr)
        return out_of_core.prepare(X, Y, args.task, seed=args.seed, where=f"--zarr {args.zarr}")
    if args.target is None:
        raise ValueError("--csv needs --target, the column to predict")
    X, y, names = out_of_core.read_csv_glob(args.csv, args.target)
    return out_of_core.prepare(X, y, args.task, seed=args.seed, where=f"--csv {args.csv}", names=names,
                                target=args.target)


def description(args):
    """What the data was, for messages and ``metrics.json``: the data set's name, the CSV's or zarr's path."""
    return next(value for value in (args.dataset, args.csv, getattr(args, "zarr", None)) if value is not None)


def model_split(args, model):
    """``--dataset``'s split as ``model`` sees it: raw and scaled with the model's statistics when it
    kept them (else as the loader gives it), with as many classes as the model has outputs where the
    data set lets one choose; ValueError when the model was trained on other data (its preprocessing
    names another data set, or CSV columns)."""
    preprocessing = model.preprocessing_
    preprocessing.check_dataset(args.dataset)
    split = dataset_split(args, classes=model.layer_dims[-1] if model.layer_dims[-1] > 1 else None,
                          raw="mean" in preprocessing)
    return split._replace(X_train=preprocessing.features(split.X_train), X_test=preprocessing.features(split.X_test))


def check_width(layer_dims, X, where):
    """``X`` (2-D) must have ``layer_dims[0]`` rows: a clear error for data of another architecture."""
    if X.ndim == 2 and X.shape[0] != layer_dims[0]:
        raise ValueError(f"the checkpoint's model (layer_dims {layer_dims}) takes {layer_dims[0]} features, "
                         f"but {where} has {X.shape[0]} (X is {X.shape[0]} x {X.shape[1]})")
    return X


def read_array(path, option, text=False):
    """An array from a ``.npy`` or ``.csv`` file of numbers in course layout (features as rows); with
    ``text``, a ``.csv`` of words (class names) too."""
    path = Path(path)
    if path.suffix not in (".npy", ".csv"):
        raise ValueError(f"{option} {path}: expected a .npy or .csv file, got suffix {path.suffix!r}")
    if not path.is_file():
        raise FileNotFoundError(f"{option} {path}: no such file")
    if path.suffix == ".npy":
        return np.load(path, allow_pickle=False)
    try:
        return np.loadtxt(path, delimiter=",", ndmin=2)
    except ValueError as exc:
        if not text:
            raise ValueError(f"{option} {path} is not a CSV of numbers: {exc}") from None
        return np.loadtxt(path, delimiter=",", ndmin=2, dtype=str)
