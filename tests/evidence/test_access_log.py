from __future__ import annotations

import datetime as dt
from pathlib import Path

from postmortems.evidence.events import EventKind, Level
from postmortems.evidence.sources.access_log import SOURCE
from postmortems.evidence.sources.base import ReadOptions, ReadStats

LOGS = Path(__file__).parents[1] / "fixtures" / "evidence" / "logs"


def read(name: str):  # type: ignore[no-untyped-def]
    path = str(LOGS / name)
    stats = ReadStats(path, "access_log")
    return list(SOURCE.read(path, ReadOptions(), stats)), stats


def test_one_traffic_event_per_minute_with_the_agreed_attrs() -> None:
    events, stats = read("access.log")
    assert [e.time for e in events] == [
        dt.datetime(2024, 3, 14, 10, 1, tzinfo=dt.UTC),
        dt.datetime(2024, 3, 14, 10, 2, tzinfo=dt.UTC),
    ]
    first, second = events
    assert first.kind is EventKind.TRAFFIC and first.level is Level.INFO
    assert first.attrs["requests"] == 4 and first.attrs["client_errors"] == 1
    assert first.attrs["errors"] == 0
    assert first.attrs["client_ids"] == frozenset({"10.1.2.3", "10.1.2.4", "10.1.2.6"})
    assert first.attrs["clients"] == 3
    assert first.attrs["latency_p50_ms"] == 30.0
    assert first.ref and first.ref.endswith("access.log:1")
    # 11:02:02 +0100 is 10:02:02 UTC: two 5xx in that minute, from two clients.
    assert second.attrs["errors"] == 2 and second.level is Level.ERROR
    assert second.attrs["error_client_ids"] == frozenset({"10.1.2.3", "10.9.9.9"})
    assert second.attrs["latency_p95_ms"] == 30002.0
    assert stats.lines_unparsed == 1


def test_common_format_without_latency() -> None:
    (event,), _ = read("access_common.log")
    assert event.attrs["latency_p50_ms"] is None and event.attrs["latency_p95_ms"] is None
    assert event.attrs["errors"] == 1


def test_sniff() -> None:
    assert SOURCE.sniff((LOGS / "access.log").read_bytes(), "a") > 0.9
    assert SOURCE.sniff((LOGS / "syslog_3164.log").read_bytes(), "s") == 0.0
