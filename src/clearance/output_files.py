"""Output files written whole or not at all, and checked before any work is done.

Every file a command writes (reports, ``screen --out``, the audit's folder) goes through
:func:`replacing`: the content is written to a temporary file in the same folder, flushed to
disk, then renamed over the target with :func:`os.replace`. A failure part-way (a renderer
error, a full disk, Ctrl-C) leaves the previous file byte for byte and no temporary file.

:func:`check_output_file` and :func:`check_output_folder` run before a command screens, scans
or saves anything, so a path that cannot be written fails at once (exit 2, naming the path)
instead of after a run was recorded in the database.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, TextIO

from clearance.errors import OperationalError, UsageError
from clearance.i18n import gettext as _

__all__ = [
    "check_output_file",
    "check_output_folder",
    "replacing",
    "replacing_text",
    "write_bytes",
    "write_text",
]


def _default_mode() -> int:
    """The mode a plain ``open(path, "w")`` would give a new file (0o666 less the umask)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX; a no-op where folders cannot be opened)."""
    flags = getattr(os, "O_DIRECTORY", None)
    if flags is None:
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | flags)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextmanager
def replacing(path: Path) -> Iterator[BinaryIO]:
    """A binary file to write ``path``'s new content into; ``path`` is replaced only when the
    block ends without an exception.

    The temporary file (``.<name>.<random>.tmp`` beside ``path``) is fsynced before the rename
    and removed on any failure, KeyboardInterrupt included. The new file gets the mode of the
    file it replaces, or the umask's default. OS errors become
    :class:`~clearance.errors.OperationalError` naming ``path``.
    """
    folder = path.parent
    try:
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise OperationalError(
            _("cannot write {path}: {reason}").format(path=path, reason=exc.strerror or exc)
        ) from exc
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        try:
            mode = path.stat().st_mode & 0o7777
        except OSError:
            mode = _default_mode()
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OperationalError(
                _("cannot write {path}: {reason}").format(path=path, reason=exc.strerror or exc)
            ) from exc
        raise
    _sync_folder(folder)


@contextmanager
def replacing_text(path: Path, *, encoding: str = "utf-8") -> Iterator[TextIO]:
    """:func:`replacing` for text: ``encoding``, and line ends written as given."""
    with replacing(path) as raw:
        text = io.TextIOWrapper(raw, encoding=encoding, newline="")
        try:
            yield text
        finally:
            text.detach()  # flushes, and leaves closing the file to replacing()


def write_bytes(path: Path, data: bytes) -> Path:
    """Replace ``path`` with ``data`` (see :func:`replacing`); return ``path``."""
    with replacing(path) as handle:
        handle.write(data)
    return path


def write_text(path: Path, text: str, *, encoding: str = "utf-8") -> Path:
    """Replace ``path`` with ``text`` in ``encoding`` (see :func:`replacing`); return ``path``."""
    return write_bytes(path, text.encode(encoding))


def _probe(folder: Path, shown: str) -> None:
    """Create and remove a file in ``folder``: the one test of writability that also holds
    for root, ACLs and read-only mounts."""
    try:
        fd, name = tempfile.mkstemp(dir=folder, prefix=".clearance-probe.", suffix=".tmp")
    except OSError as exc:
        raise UsageError(
            _("{shown}: cannot write in {folder}: {reason}").format(
                shown=shown, folder=folder, reason=exc.strerror or exc
            )
        ) from exc
    os.close(fd)
    Path(name).unlink(missing_ok=True)


def _existing_ancestor(folder: Path, shown: str) -> Path:
    """The nearest folder at or above ``folder`` that exists; a file in the way is an error."""
    current = folder
    while not current.exists():
        if current.parent == current:
            break
        current = current.parent
    if not current.is_dir():
        raise UsageError(
            _("{shown}: {current} is a file, not a folder").format(shown=shown, current=current)
        )
    return current


def check_output_file(path: Path, *, option: str = "--out", create_folder: bool = False) -> None:
    """Fail now if ``path`` cannot be written: raise :class:`~clearance.errors.UsageError`
    (exit 2) naming ``option`` and the path.

    ``path`` must not be a folder; its folder must exist and be writable, or with
    ``create_folder`` be creatable (its nearest existing ancestor writable). Nothing is left
    behind: no folder is created here.
    """
    shown = f"{option} {path}"
    if path.is_dir():
        raise UsageError(_("{shown}: is a folder, not a file").format(shown=shown))
    folder = path.parent
    if not folder.exists() and not create_folder:
        raise UsageError(
            _("{shown}: the folder {folder} does not exist").format(shown=shown, folder=folder)
        )
    _probe(_existing_ancestor(folder, shown), shown)


def check_output_folder(path: Path, *, option: str = "--out") -> None:
    """Fail now if the folder ``path`` cannot hold new files: it must be a writable folder, or
    not exist yet under a writable one. Raises :class:`~clearance.errors.UsageError` (exit 2)."""
    shown = f"{option} {path}"
    if path.exists() and not path.is_dir():
        raise UsageError(_("{shown}: is a file, not a folder").format(shown=shown))
    _probe(_existing_ancestor(path, shown), shown)
