"""Alertmanager webhook bodies become firing and resolved alert events at the right times."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from postmortems.evidence.events import Event, EventKind, Level
from postmortems.evidence.sources.alertmanager import SOURCE
from postmortems.evidence.sources.base import ReadOptions, ReadStats
from support import evidence_corpus as corpus

PAYLOADS = Path(__file__).resolve().parents[1] / "fixtures" / "evidence" / "payloads"


def read(path: Path, opts: ReadOptions | None = None) -> tuple[list[Event], ReadStats]:
    stats = ReadStats(path=str(path), source=SOURCE.name)
    return list(SOURCE.read(str(path), opts or ReadOptions(), stats)), stats


def test_each_alert_start_and_resolution_is_reported_once_across_resent_bodies() -> None:
    events, stats = read(PAYLOADS / "alertmanager_incident.ndjson")

    timeline = sorted((e.time, e.attrs["alertname"], e.attrs["status"]) for e in events)
    assert timeline == [
        (datetime(2024, 3, 1, 14, 5, 10, 123456, tzinfo=UTC), "CheckoutErrorRate", "firing"),
        (datetime(2024, 3, 1, 14, 7, tzinfo=UTC), "CheckoutLatencyHigh", "firing"),
        (datetime(2024, 3, 1, 14, 31, 40, tzinfo=UTC), "CheckoutErrorRate", "resolved"),
    ]
    assert stats.events == 3
    assert stats.lines_unparsed == 0


def test_alert_events_carry_name_severity_summary_and_labels() -> None:
    events, _ = read(PAYLOADS / "alertmanager_incident.ndjson")
    fired = events[0]

    assert fired.kind is EventKind.ALERT
    assert fired.level is Level.CRITICAL
    assert fired.text == "[FIRING] CheckoutErrorRate: checkout-api 5xx ratio above 5% for 3 minutes"
    assert fired.service == "checkout-api"
    assert fired.host == "checkout-1:9100"
    assert fired.attrs["severity"] == "critical"
    assert fired.attrs["labels"] == {
        "alertname": "CheckoutErrorRate",
        "severity": "critical",
        "service": "checkout-api",
        "instance": "checkout-1:9100",
    }
    assert fired.ref is not None and fired.ref.endswith("alertmanager_incident.ndjson:1")
    resolved = [e for e in events if e.attrs["status"] == "resolved"]
    assert resolved[0].level is Level.INFO
    assert resolved[0].ref is not None and resolved[0].ref.endswith(":3")


def test_a_firing_alerts_expiry_time_is_not_taken_for_its_end() -> None:
    events, _ = read(PAYLOADS / "alertmanager_incident.ndjson")
    ends = [e.time for e in events if e.attrs["status"] == "resolved"]
    assert datetime(2024, 3, 1, 14, 20, 10, tzinfo=UTC) not in ends


def test_since_and_until_keep_only_events_inside_the_window() -> None:
    opts = ReadOptions(
        since=datetime(2024, 3, 1, 14, 6, tzinfo=UTC),
        until=datetime(2024, 3, 1, 14, 30, tzinfo=UTC),
    )
    events, stats = read(PAYLOADS / "alertmanager_incident.ndjson", opts)
    assert [e.attrs["alertname"] for e in events] == ["CheckoutLatencyHigh"]
    assert stats.events == 1


def test_sniff_recognises_alertmanager_and_not_grafana_or_other_json() -> None:
    own = (PAYLOADS / "alertmanager_incident.ndjson").read_bytes()
    assert SOURCE.sniff(own, "x.json") >= 0.9
    assert SOURCE.sniff((PAYLOADS / "grafana_unified.json").read_bytes(), "x.json") < 0.5
    assert SOURCE.sniff((PAYLOADS / "opsgenie_lifecycle.ndjson").read_bytes(), "x.json") == 0
    assert SOURCE.sniff(b'{"status": "ok", "alerts": 3}', "x.json") == 0


def test_sniff_falls_back_to_keys_when_the_head_cuts_a_large_body_short() -> None:
    head = (PAYLOADS / "alertmanager_incident.ndjson").read_bytes().splitlines()[1][:800]
    assert b'"alerts"' in head
    assert 0.5 <= SOURCE.sniff(head, "big.json") < 0.95


def test_corpus_webhook_reads_with_the_right_time() -> None:
    path = corpus("alertmanager") / "prometheus-msteams_prom_post_request.json"
    assert SOURCE.sniff(path.read_bytes(), str(path)) >= 0.9
    events, stats = read(path)
    assert [(e.time, e.attrs["status"]) for e in events] == [
        (datetime(2018, 3, 7, 11, 33, 21, 873077, tzinfo=UTC), "firing")
    ]
    assert events[0].attrs["alertname"] == "high_memory_load"
    assert events[0].level is Level.WARNING
    assert stats.lines_unparsed == 0
