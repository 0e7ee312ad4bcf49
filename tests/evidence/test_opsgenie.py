"""Opsgenie webhooks, with epoch times in ms or ns told apart by magnitude."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from postmortems.evidence.events import Event, EventKind, Level
from postmortems.evidence.sources.base import ReadOptions, ReadStats
from postmortems.evidence.sources.opsgenie import SOURCE
from support import evidence_corpus as corpus

PAYLOADS = Path(__file__).resolve().parents[1] / "fixtures" / "evidence" / "payloads"


def read(path: Path) -> tuple[list[Event], ReadStats]:
    stats = ReadStats(path=str(path), source=SOURCE.name)
    return list(SOURCE.read(str(path), ReadOptions(), stats)), stats


def test_create_acknowledge_close_at_their_own_times() -> None:
    events, stats = read(PAYLOADS / "opsgenie_lifecycle.ndjson")

    assert [(e.time, e.attrs["state"], e.actor) for e in events] == [
        # createdAt in ms
        (datetime(2024, 3, 1, 14, 5, 40, 500000, tzinfo=UTC), "triggered", "Alertmanager"),
        # updatedAt in ns
        (datetime(2024, 3, 1, 14, 9, 2, 250000, tzinfo=UTC), "acknowledged", "Dana Okafor"),
        # updatedAt given in ms this time: still read right
        (datetime(2024, 3, 1, 14, 40, tzinfo=UTC), "resolved", "Ravi Menon"),
    ]
    assert all(e.kind is EventKind.PAGE for e in events)
    assert events[0].level is Level.CRITICAL  # P1
    assert events[0].text == "Opsgenie alert #41 Checkout 5xx ratio high: created by Alertmanager"
    assert events[0].service == "checkout-api"
    assert stats.events == 3


def test_sniff_is_specific() -> None:
    assert SOURCE.sniff((PAYLOADS / "opsgenie_lifecycle.ndjson").read_bytes(), "o.json") >= 0.9
    assert SOURCE.sniff((PAYLOADS / "pagerduty_v3_lifecycle.ndjson").read_bytes(), "p.json") == 0
    assert SOURCE.sniff(b'{"action": "opened", "alert": "x"}', "p.json") == 0


def test_corpus_create_webhook() -> None:
    events, _ = read(corpus("opsgenie") / "opsgenie_webhook_alert_create.json")
    assert [(e.time, e.attrs["state"]) for e in events] == [
        (datetime(2020, 6, 30, 0, 6, 4, 295000, tzinfo=UTC), "triggered")
    ]
    assert events[0].attrs["priority"] == "P3"
    assert events[0].level is Level.WARNING
