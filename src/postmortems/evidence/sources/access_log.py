"""nginx / Apache access logs (common and combined formats, with an optional request time
at the end), summarised per minute instead of one event per request.

Each minute of a file becomes one ``EventKind.TRAFFIC`` event, ``time`` = the minute's
start in UTC, ``ref`` = the file's first line in that minute, with ``attrs``:

- ``requests``, ``errors`` (5xx), ``client_errors`` (4xx): ints;
- ``latency_p50_ms``, ``latency_p95_ms``: floats, or None when the log has no request time;
- ``clients``: distinct client addresses in the minute;
- ``client_ids`` and ``error_client_ids``: frozensets of those addresses (all, and those
  that got a 5xx), so the clients affected over any window can be counted by union.

The request time is the last field when it is a number: with a decimal point it is
seconds (nginx ``$request_time``), an integer is microseconds (Apache ``%D``); ``rt=`` /
``request_time=`` prefixes are accepted.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from postmortems.evidence.events import Event, EventKind, Level
from postmortems.evidence.sources._io import decode, numbered_lines
from postmortems.evidence.sources._timeparse import UTC
from postmortems.evidence.sources.base import ReadOptions, ReadStats

NAME = "access_log"
_LINE = re.compile(
    rb'^(\S+) \S+ \S+ \[([^\]]+)\] "((?:[^"\\]|\\.)*)" (\d{3}) (\S+)'
    rb'(?: "((?:[^"\\]|\\.)*)" "((?:[^"\\]|\\.)*)")?(.*)$'
)
_REQUEST_TIME = re.compile(
    rb"(?:^|\s)(?:(?:rt|request_time|upstream_response_time)=)?(\d+(?:\.\d+)?)\s*$"
)


@dataclass
class _Minute:
    first_line: int
    requests: int = 0
    errors: int = 0
    client_errors: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    clients: set[str] = field(default_factory=set)
    error_clients: set[str] = field(default_factory=set)


def _percentile(sorted_values: list[float], fraction: float) -> float | None:
    if not sorted_values:
        return None
    index = min(len(sorted_values) - 1, max(0, round(fraction * (len(sorted_values) - 1))))
    return round(sorted_values[index], 3)


class AccessLogSource:
    name = NAME
    description = "nginx/Apache access logs (common, combined), summarised per minute"

    def sniff(self, head: bytes, path: str) -> float:
        lines = [line for line in head.splitlines()[:100] if line.strip()]
        if not lines:
            return 0.0
        hits = sum(1 for line in lines if _LINE.match(line))
        return 0.5 + 0.48 * hits / len(lines) if hits else 0.0

    def read(self, path: str, opts: ReadOptions, stats: ReadStats) -> Iterator[Event]:
        minutes: dict[dt.datetime, _Minute] = {}
        times: dict[bytes, dt.datetime | None] = {}
        for line_no, raw in numbered_lines(path, stats):
            match = _LINE.match(raw.rstrip(b"\r\n"))
            when = None
            if match is not None:
                stamp = match.group(2)
                if stamp in times:
                    when = times[stamp]
                else:
                    when = times[stamp] = _access_time(stamp, opts.default_tz)
            if match is None or when is None:
                if raw.strip():
                    stats.unparsed(line_no, decode(raw))
                continue
            minute_start = when.replace(second=0, microsecond=0)
            minute = minutes.get(minute_start)
            if minute is None:
                minute = minutes[minute_start] = _Minute(first_line=line_no)
            client = match.group(1).decode("latin-1")
            status = int(match.group(4))
            minute.requests += 1
            minute.clients.add(client)
            if status >= 500:
                minute.errors += 1
                minute.error_clients.add(client)
            elif status >= 400:
                minute.client_errors += 1
            latency = _latency_ms(match.group(8))
            if latency is not None:
                minute.latencies_ms.append(latency)
        for minute_start in sorted(minutes):
            minute = minutes.pop(minute_start)
            stats.events += 1
            yield _traffic_event(path, minute_start, minute)


def _access_time(stamp: bytes, default_tz: dt.tzinfo | None) -> dt.datetime | None:
    text = stamp.decode("latin-1")
    for pattern in ("%d/%b/%Y:%H:%M:%S %z", "%d/%b/%Y:%H:%M:%S"):
        try:
            parsed = dt.datetime.strptime(text, pattern)
        except ValueError:
            continue
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=default_tz or UTC)
        return parsed.astimezone(UTC)
    return None


def _latency_ms(tail: bytes | None) -> float | None:
    if not tail:
        return None
    found = _REQUEST_TIME.search(tail)
    if found is None:
        return None
    number = found.group(1)
    if b"." in number:
        return float(number) * 1000.0
    return int(number) / 1000.0


def _traffic_event(path: str, minute_start: dt.datetime, minute: _Minute) -> Event:
    latencies = sorted(minute.latencies_ms)
    p50, p95 = _percentile(latencies, 0.50), _percentile(latencies, 0.95)
    text = f"{minute.requests:,} requests, {minute.errors:,} server errors (5xx), {minute.client_errors:,} client errors (4xx)"
    if p95 is not None:
        text += f", p50 {p50:g} ms, p95 {p95:g} ms"
    text += f", {len(minute.clients):,} clients"
    return Event(
        time=minute_start,
        source=NAME,
        kind=EventKind.TRAFFIC,
        text=text,
        level=Level.ERROR if minute.errors else Level.INFO,
        first=minute_start,
        last=minute_start + dt.timedelta(minutes=1),
        ref=f"{path}:{minute.first_line}",
        attrs={
            "requests": minute.requests,
            "errors": minute.errors,
            "client_errors": minute.client_errors,
            "latency_p50_ms": p50,
            "latency_p95_ms": p95,
            "clients": len(minute.clients),
            "client_ids": frozenset(minute.clients),
            "error_client_ids": frozenset(minute.error_clients),
        },
    )


SOURCE = AccessLogSource()
