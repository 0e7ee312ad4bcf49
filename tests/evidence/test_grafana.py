"""Grafana alert webhooks, unified and legacy."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from postmortems.evidence.events import Event, EventKind, Level
from postmortems.evidence.sources.base import ReadOptions, ReadStats
from postmortems.evidence.sources.grafana import SOURCE

PAYLOADS = Path(__file__).resolve().parents[1] / "fixtures" / "evidence" / "payloads"


def read(path: Path) -> tuple[list[Event], ReadStats]:
    stats = ReadStats(path=str(path), source=SOURCE.name)
    return list(SOURCE.read(str(path), ReadOptions(), stats)), stats


def test_unified_alert_gives_firing_and_resolved_times_in_utc() -> None:
    events, stats = read(PAYLOADS / "grafana_unified.json")

    assert [(e.time, e.attrs["status"]) for e in events] == [
        (datetime(2024, 3, 1, 14, 6, tzinfo=UTC), "firing"),
        (datetime(2024, 3, 1, 14, 29, 30, tzinfo=UTC), "resolved"),
    ]
    assert all(e.kind is EventKind.ALERT and e.source == "grafana" for e in events)
    assert (
        events[0].text
        == "[FIRING] Checkout availability: Availability of checkout dropped under 99%"
    )
    assert events[0].level is Level.CRITICAL
    assert events[0].attrs["valueString"] == "[ var='B' value=97.2 ]"
    assert stats.events == 2


def test_legacy_alert_is_read_when_a_time_was_stored_and_counted_when_not() -> None:
    events, stats = read(PAYLOADS / "grafana_legacy.ndjson")

    assert len(events) == 1
    assert events[0].time == datetime(2024, 3, 1, 14, 6, 30, tzinfo=UTC)
    assert (
        events[0].text == "[FIRING] Checkout errors: Error budget burning (errors_per_minute=312)"
    )
    assert events[0].service == "checkout-api"
    assert stats.lines_unparsed == 1
    assert any("carry no time" in note for note in stats.notes)


def test_sniff_prefers_grafana_bodies_and_rejects_plain_alertmanager() -> None:
    assert SOURCE.sniff((PAYLOADS / "grafana_unified.json").read_bytes(), "g.json") >= 0.9
    assert SOURCE.sniff((PAYLOADS / "grafana_legacy.ndjson").read_bytes(), "g.json") >= 0.9
    assert SOURCE.sniff((PAYLOADS / "alertmanager_incident.ndjson").read_bytes(), "a.json") == 0
    assert SOURCE.sniff(b"Mar  1 14:05:00 host app: hello", "syslog") == 0
