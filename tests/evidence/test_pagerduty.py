"""PagerDuty webhooks (v2, v3) and log entries become page events with state and actor."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from postmortems.evidence.events import Event, EventKind, Level
from postmortems.evidence.sources.base import ReadOptions, ReadStats
from postmortems.evidence.sources.pagerduty import SOURCE
from support import evidence_corpus as corpus

PAYLOADS = Path(__file__).resolve().parents[1] / "fixtures" / "evidence" / "payloads"


def read(path: Path) -> tuple[list[Event], ReadStats]:
    stats = ReadStats(path=str(path), source=SOURCE.name)
    return list(SOURCE.read(str(path), ReadOptions(), stats)), stats


def lifecycle(events: list[Event]) -> list[tuple[datetime, object, str | None]]:
    return [(e.time, e.attrs["state"], e.actor) for e in events]


def test_v2_webhook_messages_trigger_acknowledge_resolve() -> None:
    events, stats = read(PAYLOADS / "pagerduty_v2_lifecycle.json")

    assert lifecycle(events) == [
        (datetime(2024, 3, 1, 14, 5, 40, tzinfo=UTC), "triggered", "checkout-api"),
        (datetime(2024, 3, 1, 14, 9, 2, tzinfo=UTC), "acknowledged", "Dana Okafor"),
        (datetime(2024, 3, 1, 14, 40, tzinfo=UTC), "resolved", "Ravi Menon"),
    ]
    assert all(e.kind is EventKind.PAGE and e.service == "checkout-api" for e in events)
    assert events[0].level is Level.CRITICAL  # high urgency
    assert (
        events[1].text
        == "PagerDuty incident #812 Checkout 5xx ratio high: acknowledged by Dana Okafor"
    )
    assert stats.events == 3


def test_v3_webhook_events_including_ones_that_are_not_state_changes() -> None:
    events, _ = read(PAYLOADS / "pagerduty_v3_lifecycle.ndjson")

    assert lifecycle(events) == [
        (datetime(2024, 3, 1, 14, 5, 41, 250000, tzinfo=UTC), "triggered", "checkout-api"),
        (datetime(2024, 3, 1, 14, 9, 3, tzinfo=UTC), "acknowledged", "Dana Okafor"),
        (datetime(2024, 3, 1, 14, 15, tzinfo=UTC), "other", "Dana Okafor"),
        (datetime(2024, 3, 1, 14, 40, 1, tzinfo=UTC), "resolved", "Ravi Menon"),
    ]
    assert events[2].text.startswith("PagerDuty incident Checkout 5xx ratio high: annotated")


def test_log_entries_list_maps_entry_types_to_states() -> None:
    events, _ = read(PAYLOADS / "pagerduty_log_entries.json")

    assert lifecycle(events) == [
        (datetime(2024, 3, 1, 14, 5, 40, tzinfo=UTC), "triggered", "checkout-api"),
        (datetime(2024, 3, 1, 14, 5, 45, tzinfo=UTC), "other", "checkout-api"),
        (datetime(2024, 3, 1, 14, 9, 2, tzinfo=UTC), "acknowledged", "Dana Okafor"),
        (datetime(2024, 3, 1, 14, 40, tzinfo=UTC), "resolved", "Ravi Menon"),
    ]
    assert events[0].attrs["log_entry_type"] == "trigger_log_entry"
    assert events[0].service == "checkout-api"


def test_sniff_tells_each_pagerduty_shape_from_other_payloads() -> None:
    for name in (
        "pagerduty_v2_lifecycle.json",
        "pagerduty_v3_lifecycle.ndjson",
        "pagerduty_log_entries.json",
    ):
        assert SOURCE.sniff((PAYLOADS / name).read_bytes(), name) >= 0.9, name
    for name in ("opsgenie_lifecycle.ndjson", "alertmanager_incident.ndjson", "github_push.json"):
        assert SOURCE.sniff((PAYLOADS / name).read_bytes(), name) == 0, name


def test_corpus_v2_trigger() -> None:
    events, _ = read(corpus("pagerduty") / "webhookv2_incident.trigger.json")
    assert lifecycle(events) == [
        (datetime(2017, 9, 26, 15, 14, 36, tzinfo=UTC), "triggered", "Laura Haley")
    ]
    assert events[0].service == "Production XDB Cluster"


def test_corpus_v3_priority_update() -> None:
    events, _ = read(corpus("pagerduty") / "webhookv3_incident.priority_updated.json")
    assert lifecycle(events) == [
        (datetime(2021, 4, 26, 17, 36, 27, 458000, tzinfo=UTC), "other", "Tenex Engineer")
    ]
    assert events[0].attrs["priority"] == "P1"
    assert "priority changed to P1" in events[0].text


def test_corpus_log_entry_without_a_time_is_counted_not_invented() -> None:
    path = corpus("pagerduty") / "go-pagerduty_log_entry_trigger.json"
    assert SOURCE.sniff(path.read_bytes(), str(path)) >= 0.9
    events, stats = read(path)
    assert events == []
    assert stats.lines_unparsed == 1
    assert stats.notes == ["1 PagerDuty record(s) without a time skipped"]
