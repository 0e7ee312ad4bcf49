"""systemd journal exports: ``journalctl -o json`` and ``journalctl -o short-iso``.

JSON: one object per line with ``__REALTIME_TIMESTAMP`` (µs since the epoch), ``MESSAGE``
(a string, or a list of byte values when it was not valid text), ``PRIORITY`` (syslog
severity), ``_HOSTNAME`` and ``SYSLOG_IDENTIFIER`` or ``_SYSTEMD_UNIT``.

short-iso: ``2024-01-05T14:02:11+0100 host program[pid]: message``, read like syslog; the
``-- Journal begins …`` / ``-- Boot … --`` banner lines are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from postmortems.evidence.events import Event, EventKind
from postmortems.evidence.sources._fields import json_object
from postmortems.evidence.sources._io import decode
from postmortems.evidence.sources._levels import level_from_name, level_from_words
from postmortems.evidence.sources._linereader import read_lines
from postmortems.evidence.sources._timeparse import from_epoch
from postmortems.evidence.sources.base import ReadOptions, ReadStats
from postmortems.evidence.sources.syslog import SyslogReader

if TYPE_CHECKING:
    from postmortems.evidence.collapse import CollapseOptions, Collapser

NAME = "journald"
_BANNER = re.compile(rb"^-- (?:Journal begins|Logs begin|No entries|Boot |Reboot)", re.MULTILINE)
_SHORT_ISO = re.compile(rb"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:[.,]\d+)?[+-]\d{4} \S+ ", re.MULTILINE)


def _message(value: object) -> str:
    if isinstance(value, list) and all(isinstance(item, int) for item in value):
        return decode(bytes(int(item) & 0xFF for item in value))
    return "" if value is None else str(value)


def _json_event(text: str) -> Event | None:
    record = json_object(text)
    if record is None:
        return None
    stamp = record.get("__REALTIME_TIMESTAMP")
    try:
        when = from_epoch(float(str(stamp))) if stamp is not None else None
    except (TypeError, ValueError):
        when = None
    if when is None:
        return None
    message = _message(record.get("MESSAGE"))
    level = level_from_name(record.get("PRIORITY"))
    if level is None:
        level = level_from_words(message.encode("utf-8", "replace"))
    service = record.get("SYSLOG_IDENTIFIER") or record.get("_SYSTEMD_UNIT") or record.get("_COMM")
    attrs: dict[str, object] = {}
    for key in ("_PID", "_SYSTEMD_UNIT", "_BOOT_ID", "SYSLOG_FACILITY"):
        if isinstance(record.get(key), str):
            attrs[key.strip("_").lower()] = record[key]
    return Event(
        time=when,
        source=NAME,
        kind=EventKind.LOG,
        text=message,
        level=level,
        service=str(service) if service else None,
        host=str(record["_HOSTNAME"]) if record.get("_HOSTNAME") else None,
        attrs=attrs,
    )


def _is_json(head: bytes) -> bool:
    return head.lstrip().startswith(b"{") and b'"__REALTIME_TIMESTAMP"' in head[:8192]


class JournaldSource:
    name = NAME
    description = "systemd journal: journalctl -o json and -o short-iso"

    def sniff(self, head: bytes, path: str) -> float:
        if _is_json(head):
            return 0.97
        if _BANNER.search(head[:4096]):
            return 0.96
        lines = head[:16384].count(b"\n") or 1
        hits = len(_SHORT_ISO.findall(head[:16384]))
        # journalctl writes "+0100" where rsyslog writes "+01:00": prefer us just above syslog.
        return min(0.97, 0.52 + 0.45 * hits / lines) if hits else 0.0

    def read(self, path: str, opts: ReadOptions, stats: ReadStats) -> Iterator[Event]:
        from postmortems.evidence.sources._io import read_head

        if _is_json(read_head(path)):
            yield from read_lines(path, stats, _json_event)
            return
        reader = SyslogReader(path, opts, stats, skip=_BANNER.match, name=NAME)
        yield from reader.events()

    def read_collapsed(
        self, path: str, opts: ReadOptions, stats: ReadStats, options: CollapseOptions | None
    ) -> Collapser:
        from postmortems.evidence.collapse import Collapser
        from postmortems.evidence.sources._io import read_head

        collapser = Collapser(options)
        if _is_json(read_head(path)):
            collapser.add_all(read_lines(path, stats, _json_event))
        else:
            reader = SyslogReader(path, opts, stats, skip=_BANNER.match, name=NAME)
            collapser.add_records(reader.records(), NAME, path)
        return collapser


SOURCE = JournaldSource()
