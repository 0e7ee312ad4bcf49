"""Shared reading for sources whose input is JSON payloads (webhook bodies, API exports).

A payload file may hold one JSON document, a JSON array of documents, several documents
one after another (pretty-printed or not), or NDJSON with one document per line. Webhook
receivers store bodies in all of these ways, so every payload source reads them the same
way here, and a file that is not JSON at all is reported in the stats instead of raising.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, tzinfo
from typing import Any

from dateutil import parser as dateutil_parser

from postmortems.errors import InputError
from postmortems.evidence.events import Event
from postmortems.evidence.sources._io import looks_binary, open_binary
from postmortems.evidence.sources._timeparse import from_epoch
from postmortems.evidence.sources.base import ReadOptions, ReadStats

JsonObject = dict[str, Any]

_DECODER = json.JSONDecoder()
_WHITESPACE = re.compile(r"[ \t\r\n]*")
_KEY = re.compile(rb'"([A-Za-z_@][\w.@-]*)"\s*:')


def read_input_bytes(path: str) -> bytes:
    """The whole content of ``path`` ("-" is stdin), gunzipped when it is gzip.

    Payload files are small (webhook bodies, exports), so reading them whole is fine.
    """
    try:
        with open_binary(path) as stream:
            return stream.read()
    except (OSError, EOFError) as exc:
        raise InputError(f"cannot read: {exc}", path=path) from exc


def display_path(path: str) -> str:
    return "<stdin>" if path == "-" else path


def decode_text(data: bytes, stats: ReadStats) -> str | None:
    """The file as text, or None (with a note) when it is empty or binary."""
    if not data.strip():
        stats.notes.append("empty file")
        return None
    if looks_binary(data[:8192]):  # a stray NUL in a text is not enough to refuse the file
        stats.notes.append("binary file: not read")
        stats.unparsed(1, repr(data[:80]))
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        stats.notes.append("not valid UTF-8: undecodable bytes replaced")
        text = data.decode("utf-8", errors="replace")
    return text


def text_lines(text: str) -> list[str]:
    """The lines of ``text``, split at LF (a CRLF's CR is dropped) and nowhere else.

    ``str.splitlines`` also splits at a lone CR, U+0085, U+2028 and other characters a
    record's text may hold: the words after them would lose their record.
    """
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


class _LineIndex:
    """Turns a character offset into a 1-based line number without rescanning the text."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._offset = 0
        self._line = 1

    def line_at(self, offset: int) -> int:
        if offset < self._offset:  # offsets only move forward in practice; stay correct anyway
            self._offset, self._line = 0, 1
        self._line += self._text.count("\n", self._offset, offset)
        self._offset = offset
        return self._line


def _skip_space(text: str, pos: int) -> int:
    match = _WHITESPACE.match(text, pos)
    return match.end() if match else pos


def _array_items(text: str, start: int, lines: _LineIndex) -> list[tuple[int, Any]] | None:
    """Items of the JSON array opening at ``start``, each with its line; None if malformed."""
    items: list[tuple[int, Any]] = []
    pos = _skip_space(text, start + 1)
    if pos < len(text) and text[pos] == "]":
        return items
    while pos < len(text):
        try:
            item, end = _DECODER.raw_decode(text, pos)
        except (json.JSONDecodeError, RecursionError):
            return None
        items.append((lines.line_at(pos), item))
        pos = _skip_space(text, end)
        if pos < len(text) and text[pos] == ",":
            pos = _skip_space(text, pos + 1)
            continue
        if pos < len(text) and text[pos] == "]":
            return items
        return None
    return None


def iter_documents(
    text: str, stats: ReadStats, expand_arrays: bool = True
) -> Iterator[tuple[int, Any]]:
    """(line, document) for every JSON document in ``text``.

    Documents that follow each other are read one by one; a top-level array is expanded
    into its items when ``expand_arrays``. Once something fails to parse, the rest is read
    line by line (NDJSON), and each line that is not JSON is counted as unparsed.
    """
    lines = _LineIndex(text)
    pos = _skip_space(text, 0)
    while pos < len(text):
        try:
            document, end = _DECODER.raw_decode(text, pos)
        except (json.JSONDecodeError, RecursionError) as exc:
            reason = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
            stats.notes.append(f"not valid JSON from line {lines.line_at(pos)}: {reason}")
            yield from _ndjson_lines(text, pos, lines.line_at(pos), stats)
            return
        line = lines.line_at(pos)
        if expand_arrays and isinstance(document, list):
            items = _array_items(text, pos, lines)
            yield from items if items is not None else [(line, item) for item in document]
        else:
            yield line, document
        pos = _skip_space(text, end)


def _ndjson_lines(
    text: str, pos: int, first_line: int, stats: ReadStats
) -> Iterator[tuple[int, Any]]:
    # Split at newlines only: JSON strings may hold U+2028, U+0085 or a lone CR raw.
    for number, raw in enumerate(text[pos:].split("\n"), start=first_line):
        if not raw.strip():
            continue
        try:
            yield number, json.loads(raw)
        except (json.JSONDecodeError, RecursionError):
            stats.unparsed(number, raw)


def read_documents(
    path: str, stats: ReadStats, expand_arrays: bool = True
) -> Iterator[tuple[int, Any]]:
    """Read ``path`` and yield its JSON documents, filling in bytes and lines read."""
    data = read_input_bytes(path)
    stats.bytes_read += len(data)
    text = decode_text(data, stats)
    if text is None:
        return
    stats.lines_read += text.count("\n") + (0 if text.endswith("\n") else 1)
    yield from iter_documents(text, stats, expand_arrays)


def first_document(head: bytes) -> Any | None:
    """The first JSON document (or first array item) in a file's head, if it parses whole."""
    text = head.decode("utf-8-sig", errors="replace").lstrip()
    if not text or text[0] not in "[{":
        return None
    try:
        document, _ = _DECODER.raw_decode(text)
    except json.JSONDecodeError:
        # The head may cut a large document short; try the first array item alone.
        if text[0] != "[":
            return None
        try:
            document, _ = _DECODER.raw_decode(text, _skip_space(text, 1))
        except json.JSONDecodeError:
            return None
        return document
    if isinstance(document, list):
        return document[0] if document else None
    return document


def head_keys(head: bytes) -> set[str]:
    """Every ``"key":`` spelled in the head: a fallback when the head does not parse whole."""
    return {match.decode("ascii", "replace") for match in _KEY.findall(head)}


def sniff_json(
    head: bytes, recognises: Callable[[Any], bool], partial: Callable[[bytes], float]
) -> float:
    """How sure a payload source is that a file starting with ``head`` is its JSON.

    A first document that fits in the head is judged whole by ``recognises``; one cut off
    by the head's end is judged by ``partial`` from the text seen (keys, usually).
    """
    if not looks_like_json(head):
        return 0.0
    document = first_document(head)
    if document is not None:
        return 0.95 if recognises(document) else 0.0
    return partial(head)


def keys_include(*key_sets: set[str], confidence: float = 0.7) -> Callable[[bytes], float]:
    """A ``partial`` judge: ``confidence`` when the head names every key of one of the sets."""

    def judge(head: bytes) -> float:
        keys = head_keys(head)
        return confidence if any(wanted <= keys for wanted in key_sets) else 0.0

    return judge


def looks_like_json(head: bytes) -> bool:
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return stripped[:1] in (b"{", b"[")


# -- values inside payloads -------------------------------------------------------------


def as_dict(value: object) -> JsonObject:
    return value if isinstance(value, dict) else {}


def as_list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def as_str(value: object) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    text = str(value).strip()
    return text or None


def dig(document: object, *keys: str) -> object:
    """``document[k1][k2]...`` or None when any step is missing or not an object."""
    current = document
    for key in keys:
        if not isinstance(current, dict):
            return None
        current = current.get(key)
    return current


# -- times ------------------------------------------------------------------------------

_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")


def parse_time(value: object, default_tz: tzinfo | None = None) -> datetime | None:
    """A payload's time value (ISO text, other common text, or epoch number) in UTC.

    Returns None for a missing value, for Go's zero time (``0001-01-01T00:00:00Z``, which
    Alertmanager uses for "not ended yet") and for text that is not a time.
    """
    if value is None or isinstance(value, bool):
        return None
    try:
        if isinstance(value, int | float):
            return from_epoch(value)
        text = str(value).strip()
        if not text:
            return None
        if _NUMBER.match(text):
            return from_epoch(int(text) if text.isdigit() else float(text))
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            parsed = dateutil_parser.parse(text)
    except (ValueError, OverflowError, OSError):
        return None
    if parsed.year <= 1:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=default_tz or UTC)
    return parsed.astimezone(UTC)


def in_window(time: datetime, opts: ReadOptions) -> bool:
    if opts.since is not None and time < opts.since:
        return False
    return not (opts.until is not None and time > opts.until)


def ref(path: str, line: int) -> str:
    return f"{display_path(path)}:{line}"


def emit(events: Iterable[Event], opts: ReadOptions, stats: ReadStats) -> Iterator[Event]:
    """Yield the events inside the requested window, counting them in ``stats``."""
    for event in events:
        if in_window(event.time, opts):
            stats.events += 1
            yield event


def read_array(path: str, stats: ReadStats) -> list[tuple[int, Any]] | None:
    """The items of a file holding one JSON array, each with its line; None otherwise.

    Notes and unparsed lines are recorded in ``stats``; None also covers an empty or
    unreadable file.
    """
    data = read_input_bytes(path)
    stats.bytes_read += len(data)
    text = decode_text(data, stats)
    if text is None:
        return None
    stats.lines_read += text.count("\n") + (0 if text.endswith("\n") else 1)
    start = _skip_space(text, 0)
    if text[start : start + 1] != "[":
        stats.unparsed(1, "not a JSON array")
        return None
    items = _array_items(text, start, _LineIndex(text))
    if items is None:
        stats.unparsed(1, "not valid JSON (truncated or garbled array)")
        stats.notes.append("not valid JSON")
    return items
