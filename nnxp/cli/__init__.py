"""The ``nnxp`` command: ``demo`` (the default), ``train``, ``predict``, ``evaluate``, ``search``, ``info``.

``nnxp train --dataset flower --layers 4 --activation tanh --lr 1.2 --iterations 10000
--out runs/flower`` trains with a progress bar and writes the checkpoint, ``metrics.json`` and
the plots to ``--out``; ``nnxp predict``/``nnxp evaluate`` use a checkpoint. Mistakes in the
command (unknown data set, bad path or option, corrupt checkpoint) print one line and exit
non-zero; Ctrl-C or SIGTERM during training saves a checkpoint first, and says how to resume.
"""

import argparse
import contextlib
import logging
import os
import sys
import warnings

from .._version import __version__
from ..core.backend import BackendUnavailableError
from ..training.loop import TrainingDivergedError
from . import demo, evaluate, info, search, train
from .options import INTERRUPTED

USER_ERRORS = (ValueError, OSError, ImportError, MemoryError, BackendUnavailableError, TrainingDivergedError)
"""Exceptions that mean a mistake in the command, its files or its sizes (out of memory included):
one line, no traceback."""


QUIET_LOGGERS = ("matplotlib",)
"""Libraries whose log warnings describe their own set-up, not the run (matplotlib's cache folder
under an unwritable $HOME): only their errors are shown."""


@contextlib.contextmanager
def _warnings_as_lines(command):
    """Warnings printed as one ``nnxp COMMAND: warning: ...`` line each; NumPy's RuntimeWarnings of an
    expected situation (a diverging run, reported by TrainingDivergedError) and the log warnings of
    :data:`QUIET_LOGGERS` not at all."""
    loggers = [logging.getLogger(name) for name in QUIET_LOGGERS]
    levels = [logger.level for logger in loggers]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        warnings.showwarning = lambda message, *rest, **kwargs: print(
            f"nnxp {command}: warning: {message}", file=sys.stderr)
        for logger in loggers:
            logger.setLevel(max(logger.level, logging.ERROR))
        try:
            yield
        finally:
            for logger, level in zip(loggers, levels):
                logger.setLevel(level)


class _Parser(argparse.ArgumentParser):
    """Argument errors as one line (plus where to find help), exit status 2."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser():
    parser = _Parser(prog="nnxp", description=__doc__.split("\n\n")[0])
    parser.add_argument("--version", action="version", version=f"nnxp {__version__}")
    commands = parser.add_subparsers(dest="command")
    demo.add_demo(commands)
    train.add_train(commands)
    evaluate.add_checkpoint_commands(commands)
    search.add_search(commands)
    info.add_info(commands)
    return parser


COMMANDS = {"demo": demo.demo, "train": train.train, "predict": evaluate.predict, "evaluate": evaluate.evaluate,
            "search": search.run_search, "info": info.info}


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if args.command is None:
        args = parser.parse_args(["demo"])
    try:
        with _warnings_as_lines(args.command):
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
