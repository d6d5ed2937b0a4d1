"""``.npz`` files written atomically and read back safely: the file layer under :mod:`nnxp.model.checkpoint`.

:func:`write_atomically` writes to a locked temporary file beside the target (``.model.npz.<hex>.tmp``)
and renames it over the target, so a crash, Ctrl-C or a full disk leaves any previous file intact;
it then removes what interrupted writes to the same path left. :func:`read_arrays` reads with
``allow_pickle=False`` after checking each member's ``.npy`` header against its size (the zip's CRCs
are checked as it reads), so a damaged file is refused, never half read.
"""

import math
import os
import re
import secrets
import zipfile

import numpy as np

try:
    import fcntl  # POSIX: a write in progress locks its temporary file, so a cleanup skips it
except ImportError:  # Windows: an open file cannot be deleted there anyway
    fcntl = None


def write_atomically(path, arrays):
    """Write ``arrays`` (name -> NumPy array) to the ``.npz`` at ``path`` (a Path) atomically.

    On an OSError (a full disk, a folder gone) the temporary file is removed and the error raised:
    ``path`` holds what it held before."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        _write(temporary, arrays)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _remove_stale_temporaries(path)


def _write(temporary, arrays):
    """``arrays`` as an ``.npz`` in the new file ``temporary``, locked while written, flushed to disk."""
    with open(temporary, "xb") as file:  # permissions from the umask, as for any new file
        if fcntl is not None:
            fcntl.flock(file.fileno(), fcntl.LOCK_EX)
        np.savez(file, **arrays)
        file.flush()
        os.fsync(file.fileno())


def _temporary_names(path):
    """A pattern matching the temporary files of saves to ``path``: ``.model.npz.<12 hex digits>.tmp``."""
    return re.compile(re.escape(f".{path.name}.") + r"[0-9a-f]{12}\.tmp")


def _remove_stale_temporaries(path):
    """Delete the temporary files that interrupted saves to ``path`` left beside it (killed
    processes, power cuts), skipping those a running save holds locked. Nothing else is touched."""
    pattern = _temporary_names(path)
    try:
        entries = list(os.scandir(path.parent))
    except OSError:  # a folder we may write but not list: nothing to clean
        return
    for entry in entries:
        if not pattern.fullmatch(entry.name) or not entry.is_file(follow_symlinks=False):
            continue
        try:
            with open(entry.path, "rb") as stale:
                if fcntl is not None:
                    fcntl.flock(stale.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)  # a save in progress holds it
                os.unlink(entry.path)
        except OSError:  # in use, already gone, or not ours to delete: leave it
            continue


_NPY_HEADERS = {(1, 0): np.lib.format.read_array_header_1_0, (2, 0): np.lib.format.read_array_header_2_0}
"""The ``.npy`` header versions ``np.savez`` writes, and their readers."""


def _check_member(archive, info):
    """ValueError unless the zip member ``info`` is a ``.npy`` array whose header declares exactly the
    bytes it holds (a damaged header could otherwise ask for an array larger than memory)."""
    with archive.open(info) as member:
        version = np.lib.format.read_magic(member)
        if version not in _NPY_HEADERS:
            raise ValueError(f"{info.filename} is a .npy of version {version}, expected 1.0 or 2.0")
        shape, _, dtype = _NPY_HEADERS[version](member)
        declared = member.tell() + math.prod(shape) * dtype.itemsize
        if not dtype.hasobject and declared != info.file_size:
            raise ValueError(f"{info.filename} declares a {shape} {dtype} array ({declared} bytes with its "
                             f"header) but holds {info.file_size} bytes")


def read_arrays(path, what, error):
    """Every array of the ``.npz`` at ``path`` as a dict, pickles refused; ``error`` (a ValueError class),
    its message naming the file as ``what`` ("checkpoint"), for a file that is not a zip of whole
    ``.npy`` arrays (truncated, a flipped byte caught by a CRC, ...)."""
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                _check_member(archive, info)
        with np.load(path, allow_pickle=False) as data:
            return {key: data[key] for key in data.files}
    except FileNotFoundError:
        raise FileNotFoundError(f"{what} {path}: no such file") from None
    except (IsADirectoryError, PermissionError) as exc:  # not damage: the path is wrong
        raise type(exc)(f"{what} {path}: {exc.strerror}") from None
    except zipfile.BadZipFile as exc:
        if str(exc) == "File is not a zip file" and _is_npy(path):
            exc = "it holds a single array, not an .npz archive"
        raise error(f"{what} {path} is not a readable nnxp .npz (damaged or truncated): {exc}") from None
    except (ValueError, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
        # zipfile: unsupported compression or encryption flags (a flipped bit); numpy: bad headers, objects
        raise error(f"{what} {path} is not a readable nnxp .npz (damaged, truncated or holding objects): {exc}") from None


def _is_npy(path):
    with open(path, "rb") as file:
        return file.read(len(np.lib.format.MAGIC_PREFIX)) == np.lib.format.MAGIC_PREFIX
