"""A run's output folder: checked writable before any work, held by one run at a time, written atomically.

Two runs writing to the same ``--out`` at once would each overwrite the other's checkpoint,
metrics and plots, leaving files of different runs side by side. :func:`claimed` takes an
exclusive lock on the folder itself for the whole run (released by the system when the process
ends, however it ends; nothing is left in the folder), so a second run stops at once with one line.
"""

import contextlib
import os
import tempfile
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; runs are not kept apart there
    fcntl = None

class FolderInUseError(OSError):
    """Another nnxp run holds the output folder."""


def check_writable(out, option="--out"):
    """Create ``out`` and prove a file can be written there, before any training (one-line errors)."""
    if out.exists() and not out.is_dir():
        raise ValueError(f"{option} {out} is a file; give a folder for the checkpoint, metrics and plots")
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out):
            pass
    except OSError as exc:
        raise OSError(f"{option} {out} is not a writable folder ({exc.strerror or exc}); nothing was trained") from None


@contextlib.contextmanager
def claimed(out, command, option="--out"):
    """While the block runs, ``out`` (created, checked writable) belongs to this process: another
    process's :func:`claimed` of the same folder raises :class:`FolderInUseError` naming this one."""
    out = Path(out)
    check_writable(out, option)
    if fcntl is None:
        yield out
        return
    descriptor = os.open(out, os.O_RDONLY)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise FolderInUseError(f"{option} {out} is in use by another nnxp run; wait for it to end or give "
                                   f"another {option} (nnxp {command} writes there)") from None
        yield out
    finally:
        os.close(descriptor)


def write_text(path, text):
    """Write ``text`` to ``path`` atomically: a reader sees the old file or the new one, never half."""
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(text)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
