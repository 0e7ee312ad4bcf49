"""Writing files safely: atomically, and never over a user's file without consent."""

from __future__ import annotations

import os
from pathlib import Path

from postmortems.errors import OutputError


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
