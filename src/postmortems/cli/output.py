"""Where a command's output goes: standard output, a device, or a file written atomically.

Every command that takes ``-o/--output`` goes through here, so they all agree: ``-`` and
``/dev/stdout`` mean standard output; an existing file is refused without ``--force``
before any work is done; text shown on a terminal has its control and bidirectional characters made visible.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from postmortems.control_chars import escape_for_display
from postmortems.errors import OutputError
from postmortems.files import write_atomic

_STDOUT_NAMES = {"-", "/dev/stdout", "/proc/self/fd/1", "/dev/fd/1"}
_STDERR_NAMES = {"/dev/stderr", "/proc/self/fd/2", "/dev/fd/2"}


def _stream_for(output: Path | None) -> TextIO | None:
    """The standard stream ``output`` names, if it names one (None means standard output)."""
    if output is None or str(output) in _STDOUT_NAMES:
        return sys.stdout
    if str(output) in _STDERR_NAMES:
        return sys.stderr
    return None


def _is_device(output: Path) -> bool:
    """A character device or FIFO: written to in place, since it cannot be replaced."""
    try:
        return output.exists() and not output.is_file() and not output.is_dir()
    except OSError:
        return False


def check_output(output: Path | None, force: bool) -> None:
    """Refuse, before any work, an output that would overwrite a file without ``--force``."""
    if _stream_for(output) is not None or output is None or _is_device(output):
        return
    try:
        if output.is_dir():
            raise OutputError("is a directory", str(output))
        if output.exists() and not force:
            raise OutputError("already exists (use --force to overwrite)", str(output))
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror}", str(output)) from exc


def write_output(output: Path | None, text: str, force: bool) -> None:
    """Write ``text`` to standard output, a device, or atomically to a file."""
    stream = _stream_for(output)
    if stream is not None:
        stream.write(escape_for_display(text) if stream.isatty() else text)
        stream.flush()
        return
    assert output is not None
    if _is_device(output):
        try:
            with output.open("w", encoding="utf-8") as device:
                device.write(text)
        except OSError as exc:
            raise OutputError(f"cannot write: {exc.strerror}", str(output)) from exc
        return
    write_atomic(output, text, overwrite=force)


def echo(text: str) -> None:
    """Text to standard output; on a terminal, with control characters made visible."""
    write_output(None, text, force=False)


@contextmanager
def open_output(output: Path | None, force: bool) -> Iterator[TextIO]:
    """A stream for a report written bit by bit: a standard stream as it is, a file written
    atomically when the block ends without an error (so a failed run leaves no half report)."""
    stream = _stream_for(output)
    if stream is not None:
        yield stream
        return
    buffer = io.StringIO()
    yield buffer
    write_output(output, buffer.getvalue(), force)
