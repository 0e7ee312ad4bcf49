"""The small interface every evidence source implements, and what reading reports back.

A source is one module under ``evidence/sources/`` exposing a ``Source`` object; the
registry in ``evidence/sources/__init__.py`` lists them. Built-in sources use the same
interface a third-party one would.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Protocol

from postmortems.evidence.events import Event
from postmortems.evidence.redact import shorten


@dataclass
class ReadOptions:
    """Choices that affect how raw evidence is read."""

    year: int | None = None  # for year-less dates; default: from `reference`, else the file's date
    date: date | None = None  # for times without a date; default: as for `year`
    reference: datetime | None = None  # when the evidence ends, as told by other inputs with years
    default_tz: tzinfo | None = None  # for timestamps written without a zone; default UTC
    since: datetime | None = None
    until: datetime | None = None
    include_noise: bool = False  # chat joins, bot messages


UNPARSED_EXAMPLE_CHARS = 1000


@dataclass
class ReadStats:
    """What one source made of one input: shown per file in `pm gather`'s summary."""

    path: str
    source: str
    lines_read: int = 0
    bytes_read: int = 0
    events: int = 0
    lines_unparsed: int = 0
    unparsed_examples: list[tuple[int, str]] = field(
        default_factory=list
    )  # (line number, text), first few
    notes: list[str] = field(default_factory=list)
    layout: str | None = None  # how a learned layout reads the file (the generic source)

    def unparsed(self, line_no: int, text: str, keep: int = 5) -> None:
        self.lines_unparsed += 1
        if len(self.unparsed_examples) < keep:
            # Cut between words: a token cut in half would escape redaction.
            self.unparsed_examples.append((line_no, shorten(text, UNPARSED_EXAMPLE_CHARS)))


class Source(Protocol):
    """One evidence format."""

    name: str  # short name used by --type, e.g. "syslog", "alertmanager"
    description: str

    def sniff(self, head: bytes, path: str) -> float:
        """Confidence 0..1 that a file starting with ``head`` (its first 64 KiB) is this format."""
        ...

    def read(self, path: str, opts: ReadOptions, stats: ReadStats) -> Iterator[Event]:
        """Events from the file at ``path`` (plain or .gz; "-" is stdin), updating ``stats``."""
        ...
