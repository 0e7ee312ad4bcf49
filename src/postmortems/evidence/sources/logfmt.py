"""logfmt logs: ``time=2024-01-05T14:02:11Z level=error msg="upstream timed out" host=web-1``.

Keys are matched as for JSON lines (see ``_fields``); values may be bare or double-quoted
with backslash escapes. A line with no time key is not understood (and counted), unless
it continues the entry above it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from postmortems.evidence.events import Event
from postmortems.evidence.sources import _fields
from postmortems.evidence.sources._linereader import read_lines
from postmortems.evidence.sources.base import ReadOptions, ReadStats

NAME = "logfmt"
_PAIR = re.compile(r'([\w.@/-]+)=("(?:[^"\\]|\\.)*"|[^\s"]*)')
_PAIR_BYTES = re.compile(rb'(?:^|\s)[\w.@/-]+=(?:"[^"]*"|\S*)')


def parse_pairs(text: str) -> dict[str, object]:
    """The key=value pairs of a logfmt line (quoted values unescaped)."""
    pairs: dict[str, object] = {}
    for key, value in _PAIR.findall(text):
        if value.startswith('"') and value.endswith('"') and len(value) >= 2:
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        pairs[key] = value
    return pairs


class LogfmtSource:
    name = NAME
    description = "logfmt logs (key=value pairs)"

    def sniff(self, head: bytes, path: str) -> float:
        lines = [line for line in head.splitlines()[:50] if line.strip()]
        if not lines or lines[0].lstrip().startswith((b"{", b"<")):
            return 0.0
        hits = 0
        for line in lines:
            pairs = _PAIR_BYTES.findall(line)
            if len(pairs) >= 2 and re.match(rb"\s*[\w.@/-]+=", line):
                hits += 1
        if not hits:
            return 0.0
        keys = b" ".join(lines)
        timed = any(
            re.search(rb"(?:^|\s)" + re.escape(k.encode()) + rb"=", keys) for k in _fields.TIME_KEYS
        )
        return (0.45 + 0.4 * hits / len(lines)) if timed else 0.2

    def read(self, path: str, opts: ReadOptions, stats: ReadStats) -> Iterator[Event]:
        def parse(text: str) -> Event | None:
            if not _PAIR.match(text.lstrip()):
                return None
            return _fields.to_event(parse_pairs(text), NAME, "", opts.default_tz)

        return read_lines(path, stats, parse)


SOURCE = LogfmtSource()
