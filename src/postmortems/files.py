"""Writing files safely: atomically, and never over a user's file without consent."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from postmortems.errors import ChangedMeanwhileError, OutputError


@contextmanager
def folder_lock(path: str | Path) -> Iterator[None]:
    """An exclusive lock on the folder holding ``path`` (a lock file would litter it).

    The folder of the file itself, past any symbolic link: writers going through a link
    and through the real name take the same lock. Every command that rewrites a document
    in place takes it (`pm note`, `pm fmt`, `pm lint --fix`), so none overwrites what
    another has just written."""
    real = Path(os.path.realpath(path))
    fd = os.open(real.parent, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def rewrite_in_place(
    path: str | Path, was: str, text: str, read: Callable[[Path], str], doing: str
) -> None:
    """Replace the document ``path``, read earlier as ``was``, with ``text``: under the
    folder lock, and only if it still reads as ``was``. A document changed meanwhile (a
    note added while it was being formatted) is left as it is, and the error says so."""
    with folder_lock(path):
        if read(Path(path)) != was:
            raise ChangedMeanwhileError(
                f"changed while {doing}; left as it is (run the command again)", str(path)
            )
        write_atomic(path, text, overwrite=True)


def write_atomic(path: str | Path, text: str, *, overwrite: bool) -> None:
    """Write ``text`` to ``path`` via a temporary file and a rename, so a reader never sees
    half a file. Refuses to replace an existing file unless ``overwrite``.

    A symbolic link is written through: its target is replaced and the link stays a link."""
    target = Path(path)
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    if target.is_dir():
        raise OutputError("is a directory", str(target))
    if target.exists() and not overwrite:
        raise OutputError("already exists (use --force to overwrite)", str(target))
    directory = target.parent if str(target.parent) else Path(".")
    import tempfile  # with shutil and the compression modules: only when writing

    try:
        directory.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=directory)
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror}", str(target)) from exc
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        if target.exists():
            os.chmod(temporary, target.stat().st_mode & 0o7777)
        else:
            os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise OutputError(f"cannot write: {exc.strerror}", str(target)) from exc
    except BaseException:  # Ctrl-C mid-write: no half-written temporary file is left behind
        Path(temporary).unlink(missing_ok=True)
        raise
