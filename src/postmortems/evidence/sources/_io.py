"""Opening evidence files as byte streams, and turning their bytes into text without failing.

Every source reads through here so that plain files, ``.gz`` files and stdin ("-") behave
the same, and so that no input, however mangled, raises while decoding: UTF-8 is tried
first and Latin-1 (which accepts every byte) is the per-line fallback.
"""

from __future__ import annotations

import gzip
import io
import os
import select
import stat
import sys
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import BinaryIO, cast

from postmortems.byte_order import byte_order_mark, utf8_head, utf8_stream
from postmortems.errors import InputError
from postmortems.evidence.sources.base import ReadStats

HEAD_SIZE = 64 * 1024
STDIN = "-"
_GZIP_MAGIC = b"\x1f\x8b"

# How long a named pipe may stay silent before it is given up as having no writer.
PIPE_WAIT_SECONDS = 2.0

# Bytes read from stdin while sniffing, replayed when the source opens stdin for reading.
_stdin_head: bytes | None = None
# Named pipes are read once: the stream opened for sniffing and the bytes sniffed, by path.
_pipes: dict[str, tuple[bytes, BinaryIO]] = {}


def _raw_stdin() -> BinaryIO:
    return sys.stdin.buffer


def _stdin_stream() -> io.RawIOBase:
    global _stdin_head
    rest = _raw_stdin()
    head, _stdin_head = _stdin_head or b"", None
    return _ChainedStream(head, rest)


class _ChainedStream(io.RawIOBase):
    """Already-read head bytes followed by the rest of a stream."""

    def __init__(self, head: bytes, rest: BinaryIO, owns_rest: bool = False) -> None:
        self._head = io.BytesIO(head)
        self._rest = rest
        self._owns_rest = owns_rest  # a pipe is closed with it; stdin is not

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        if self._owns_rest:
            self._rest.close()
        super().close()

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        n = self._head.readinto(buffer)
        if n:
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _gunzipped(unzipped: gzip.GzipFile, path: str) -> BinaryIO:
    # A gzip file cut short before its first byte of content cannot be read at all: one
    # clear refusal (the file is skipped, and said so), not an EOFError from each reader.
    # Cut short later, it is read up to the break and a note says where it stopped.
    try:
        return utf8_stream(unzipped)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise InputError(f"cannot read: {_reason(exc)}", path) from exc


@contextmanager
def open_binary(path: str) -> Iterator[BinaryIO]:
    """A buffered binary stream over ``path``, transparently gunzipped; "-" is stdin."""
    if path == STDIN:
        yield utf8_stream(io.BufferedReader(_stdin_stream(), buffer_size=1 << 20))
        return
    if is_pipe(path):
        with io.BufferedReader(_pipe_stream(path), buffer_size=1 << 20) as piped:
            if piped.peek(2)[:2] == _GZIP_MAGIC:
                with gzip.GzipFile(fileobj=piped) as unzipped:
                    yield _gunzipped(unzipped, path)
            else:
                yield utf8_stream(piped)
        return
    try:
        raw = open(path, "rb")  # noqa: SIM115 -- closed below, wrapped by gzip when needed
    except IsADirectoryError as exc:
        raise InputError("is a directory, not a file", path) from exc
    except OSError as exc:
        raise InputError(f"cannot open: {exc.strerror or exc}", path) from exc
    try:
        if raw.peek(2)[:2] == _GZIP_MAGIC:
            with gzip.GzipFile(fileobj=raw) as unzipped:
                yield _gunzipped(unzipped, path)
        else:
            yield utf8_stream(raw)
    finally:
        raw.close()


def read_head(path: str, size: int = HEAD_SIZE) -> bytes:
    """The first ``size`` bytes of the (decompressed) content; for stdin they are kept for later."""
    global _stdin_head
    if path == STDIN:
        if _stdin_head is None:
            _stdin_head = _raw_stdin().read(size)
        return utf8_head(_stdin_head)
    if is_pipe(path):
        return utf8_head(_pipe_head(path, size))
    try:
        with open_binary(path) as stream:
            return stream.read(size)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise InputError(f"cannot read: {_reason(exc)}", path) from exc


def _reason(exc: BaseException) -> str:
    if isinstance(exc, EOFError):
        return f"truncated gzip ({exc})"
    return str(exc)


def is_pipe(path: str) -> bool:
    """A named pipe (FIFO) or a shell's ``<(command)``: readable once, possibly forever."""
    try:
        return path != STDIN and stat.S_ISFIFO(os.stat(path).st_mode)
    except OSError:
        return False


def _pipe_head(path: str, size: int) -> bytes:
    """The first bytes of a named pipe, kept with its open stream for the read that follows.

    Opened without blocking and waited on for ``PIPE_WAIT_SECONDS``: a pipe nobody writes
    to is refused instead of hanging.
    """
    if path in _pipes:
        return _unzipped_head(_pipes[path][0], size)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise InputError(f"cannot open: {exc.strerror or exc}", path) from exc
    ready, _, _ = select.select([fd], [], [], PIPE_WAIT_SECONDS)
    if not ready:
        os.close(fd)
        raise InputError(
            f"named pipe with no writer (nothing arrived in {PIPE_WAIT_SECONDS:g} s)", path
        )
    os.set_blocking(fd, True)
    stream = open(fd, "rb")  # noqa: SIM115 -- kept open until the source reads the pipe
    head = b""
    while len(head) < size:
        chunk = stream.read(size - len(head))
        if not chunk:
            break
        head += chunk
    _pipes[path] = (head, stream)
    return _unzipped_head(head, size)


def _unzipped_head(head: bytes, size: int) -> bytes:
    if head[:2] != _GZIP_MAGIC:
        return head
    try:
        return zlib.decompressobj(wbits=31).decompress(head, size)
    except zlib.error:
        return head


def _pipe_stream(path: str) -> io.RawIOBase:
    if path not in _pipes:
        _pipe_head(path, HEAD_SIZE)
    head, stream = _pipes.pop(path)
    return _ChainedStream(head, stream, owns_rest=True)


def looks_binary(head: bytes) -> bool:
    """True for content that is not text: many control characters, or NUL bytes without
    the line structure of a log (a log with a few garbled bytes is still a log)."""
    if not head:
        return False
    sample = head[:8192]
    control = sum(1 for b in sample if b < 9 or 13 < b < 32 or b == 127)
    if control > len(sample) // 10:
        return True
    few_lines = sample.count(b"\n") < max(len(sample) // 1024, 1)
    return b"\x00" in sample and few_lines


def decode(raw: bytes) -> str:
    """Text of one line: UTF-8 when valid, else Latin-1 (never raises), without the line end."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    return text.rstrip("\r\n")


def file_size(path: str) -> int | None:
    """Size on disk in bytes, or None for stdin and unreadable paths."""
    if path == STDIN:
        return None
    try:
        return os.path.getsize(path)
    except OSError:
        return None


def modification_year_month(path: str) -> tuple[int, int] | None:
    """(year, month) of the file's modification time in UTC, or None when unknown."""
    import datetime as dt

    if path == STDIN:
        return None
    try:
        mtime = os.path.getmtime(path)
    except OSError:
        return None
    when = dt.datetime.fromtimestamp(mtime, dt.UTC)
    return when.year, when.month


def numbered_lines(
    path: str, stats: ReadStats, byte_range: tuple[int, int] | None = None
) -> Iterator[tuple[int, bytes]]:
    """(line number, raw bytes with line end) for each line; binary content is skipped with a note.

    Streams: memory stays flat whatever the file size. ``byte_range`` (start, end) reads only
    that part of a plain file, numbering its lines from 1. ``stats.lines_read`` and
    ``stats.bytes_read`` are filled in when the iteration ends or is closed.
    """
    line_no = 0
    opened = open_binary(path) if byte_range is None else _open_window(path, *byte_range)
    with opened as stream:
        head = _peek(stream)
        if looks_binary(head):
            stats.notes.append("skipped: binary content, not a text log")
            return
        try:
            for line_no, raw in enumerate(stream, 1):
                yield line_no, raw
        except (OSError, EOFError, gzip.BadGzipFile) as exc:
            stats.notes.append(f"stopped reading after line {line_no}: {_reason(exc)}")
        finally:
            stats.lines_read += line_no
            with suppress(OSError, ValueError):
                stats.bytes_read += stream.tell()


@contextmanager
def _open_window(path: str, start: int, end: int) -> Iterator[BinaryIO]:
    with open(path, "rb", buffering=0) as raw:
        raw.seek(start)
        yield cast(BinaryIO, io.BufferedReader(_Window(raw, end - start), buffer_size=1 << 20))


class _Window(io.RawIOBase):
    """At most ``length`` bytes of a raw file from its current position."""

    def __init__(self, raw: io.FileIO, length: int) -> None:
        self._raw = raw
        self._left = length

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self._left <= 0:
            return 0
        view = memoryview(buffer)[: min(len(buffer), self._left)]
        n = self._raw.readinto(view)
        self._left -= n or 0
        return n or 0


def stored_as_read(path: str) -> bool:
    """True when the bytes on disk are the bytes readers see (not gzipped, no byte-order
    mark), so the file can be split at byte offsets."""
    try:
        with open(path, "rb") as stream:
            head = stream.read(4)
    except OSError:
        return False
    return not head.startswith(_GZIP_MAGIC) and byte_order_mark(head) is None


def record_boundaries(path: str, parts: int, is_record_start: Callable[[bytes], bool]) -> list[int]:
    """Offsets splitting a plain file into about ``parts`` equal byte ranges, each starting
    at a line for which ``is_record_start`` holds (so no multi-line entry is cut)."""
    size = os.path.getsize(path)
    offsets = [0]
    with open(path, "rb") as stream:
        for part in range(1, parts):
            stream.seek(max(offsets[-1], size * part // parts))
            stream.readline()  # finish the line we landed in
            while True:
                position = stream.tell()
                line = stream.readline()
                if not line or is_record_start(line):
                    break
            if offsets[-1] < position < size:
                offsets.append(position)
    offsets.append(size)
    return offsets


def _peek(stream: BinaryIO) -> bytes:
    peek = getattr(stream, "peek", None)
    if peek is None:
        return b""
    try:
        return bytes(peek(8192))
    except (OSError, EOFError, gzip.BadGzipFile):
        return b""
