"""Text that starts with a byte-order mark: UTF-8, UTF-16 or UTF-32 as editors save it.

Windows tools write UTF-16 with a BOM (PowerShell's ``>``, Notepad's "Unicode"); its NUL
bytes make it look binary to a naive check. Documents are decoded whole; evidence streams
are transcoded to UTF-8 on the fly, so every reader after this point sees UTF-8.
"""

from __future__ import annotations

import codecs
import io
from typing import BinaryIO, Protocol, cast

# Longest first: the UTF-32-LE mark begins with the UTF-16-LE one.
_MARKS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def byte_order_mark(head: bytes) -> tuple[str, int] | None:
    """(codec, length of the mark) when ``head`` starts with a byte-order mark."""
    for mark, codec in _MARKS:
        if head.startswith(mark):
            return codec, len(mark)
    return None


def decode_with_mark(data: bytes) -> str | None:
    """The text of ``data`` when it starts with a UTF-16 or UTF-32 mark, else None.

    Raises UnicodeDecodeError when the bytes after the mark are not valid in its encoding.
    UTF-8 is left to the caller, which decodes it with ``utf-8-sig`` and reports errors.
    """
    found = byte_order_mark(data)
    if found is None or found[0] == "utf-8":
        return None
    codec, length = found
    return data[length:].decode(codec)


def decode_text(data: bytes) -> str:
    """``data`` as text: UTF-16 or UTF-32 after their mark, else UTF-8 with or without one.

    Raises UnicodeDecodeError (whose ``encoding`` names the encoding tried) when the bytes
    are not valid in it: a reader says so in one line rather than guessing.
    """
    marked = decode_with_mark(data)
    return marked if marked is not None else data.decode("utf-8-sig")


def describe_decode_error(data: bytes, error: UnicodeDecodeError) -> tuple[str, int]:
    """A reason for a refusal ("is not valid UTF-8 (byte 12)") and the 1-based line."""
    line = data[: error.start].count(b"\n") + 1
    encoding = error.encoding.upper().removesuffix("-SIG")
    return f"is not valid {encoding} (byte {error.start})", line


class Utf8Transcoder(io.RawIOBase):
    """A UTF-16 or UTF-32 stream read as UTF-8; undecodable units become U+FFFD."""

    def __init__(self, source: BinaryIO, codec: str) -> None:
        self._source = source
        self._decoder = codecs.getincrementaldecoder(codec)(errors="replace")
        self._pending = b""
        self._done = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while not self._pending and not self._done:
            chunk = self._source.read(1 << 16)
            self._done = not chunk
            self._pending = self._decoder.decode(chunk, final=self._done).encode("utf-8")
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n


def utf8_head(head: bytes) -> bytes:
    """The first bytes of a stream as :func:`utf8_stream` will deliver them: past a UTF-8
    mark, or transcoded after a UTF-16/32 one (a unit cut at the end is left out)."""
    found = byte_order_mark(head[:4])
    if found is None:
        return head
    codec, length = found
    if codec == "utf-8":
        return head[length:]
    decoder = codecs.getincrementaldecoder(codec)(errors="replace")
    return decoder.decode(head[length:], final=False).encode("utf-8")


class _Peekable(Protocol):
    def peek(self, size: int, /) -> bytes: ...

    def read(self, size: int | None = ..., /) -> bytes: ...


def utf8_stream(stream: _Peekable) -> BinaryIO:
    """``stream`` itself, past a UTF-8 mark, or transcoded to UTF-8 after a UTF-16/32 mark."""
    found = byte_order_mark(stream.peek(4)[:4])
    if found is None:
        return cast(BinaryIO, stream)
    codec, length = found
    stream.read(length)
    if codec == "utf-8":
        return cast(BinaryIO, stream)
    transcoder = Utf8Transcoder(cast(BinaryIO, stream), codec)
    return cast(BinaryIO, io.BufferedReader(transcoder, buffer_size=1 << 20))
