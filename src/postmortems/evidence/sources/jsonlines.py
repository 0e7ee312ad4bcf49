"""JSON-lines application logs: one JSON object per line, with the time, level, message,
service and host found under the keys programs commonly use (see ``_fields``).

Times may be ISO 8601 strings or epoch numbers in s, ms, µs or ns. A line that is not
JSON but continues the entry above (a stack trace printed after it) is joined to it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from postmortems.evidence.events import Event
from postmortems.evidence.sources import _fields
from postmortems.evidence.sources._linereader import read_lines
from postmortems.evidence.sources.base import ReadOptions, ReadStats

NAME = "jsonlines"


def _records(head: bytes) -> list[dict[str, object]]:
    found = []
    for line in head.splitlines()[:50]:
        if line.strip().startswith(b"{"):
            try:
                value = json.loads(line)
            except ValueError:
                continue
            if isinstance(value, dict):
                found.append(value)
    return found


class JsonLinesSource:
    name = NAME
    description = "JSON-lines application logs (one JSON object per line)"

    def sniff(self, head: bytes, path: str) -> float:
        lines = [line for line in head.splitlines()[:50] if line.strip()]
        records = _records(head)
        if not records or len(records) < len(lines) // 2:
            return 0.0
        timed = sum(1 for record in records if _fields.first_of(record, _fields.TIME_KEYS))
        if not timed:
            return 0.0
        # Payload formats (journald, alert webhooks) claim their own keys more strongly.
        return 0.5 + 0.3 * timed / len(records)

    def read(self, path: str, opts: ReadOptions, stats: ReadStats) -> Iterator[Event]:
        def parse(text: str) -> Event | None:
            record = _fields.json_object(text)
            return None if record is None else _fields.to_event(record, NAME, "", opts.default_tz)

        return read_lines(path, stats, parse)


SOURCE = JsonLinesSource()
