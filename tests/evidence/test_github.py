"""GitHub deployment, deployment_status and push webhooks."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from postmortems.evidence.events import Event, EventKind, Level
from postmortems.evidence.sources.base import ReadOptions, ReadStats
from postmortems.evidence.sources.github import SOURCE
from support import evidence_corpus as corpus

PAYLOADS = Path(__file__).resolve().parents[1] / "fixtures" / "evidence" / "payloads"
SHA = "3f9c2a7d1e0b4c5a6f7e8d9c0b1a2f3e4d5c6b7a"


def read(path: Path) -> tuple[list[Event], ReadStats]:
    stats = ReadStats(path=str(path), source=SOURCE.name)
    return list(SOURCE.read(str(path), ReadOptions(), stats)), stats


def test_deployment_and_its_statuses_are_deploy_events() -> None:
    events, stats = read(PAYLOADS / "github_deploys.ndjson")

    assert [(e.time, e.attrs["environment"], e.attrs["state"]) for e in events] == [
        (datetime(2024, 3, 1, 14, 1, 12, tzinfo=UTC), "production", "created"),
        (datetime(2024, 3, 1, 14, 1, 20, tzinfo=UTC), "production", "in_progress"),
        (datetime(2024, 3, 1, 14, 3, 5, tzinfo=UTC), "production", "success"),
        (datetime(2024, 3, 1, 12, 50, tzinfo=UTC), "staging", "failure"),
    ]
    assert all(e.kind is EventKind.DEPLOY for e in events)
    assert events[0].attrs["sha"] == SHA
    assert events[0].attrs["ref"] == "release/2024.03.01-2"
    assert events[0].actor == "mchen"
    assert events[2].text == (
        "Deployment of release/2024.03.01-2@3f9c2a7 to production: success (rolled out to 12/12 pods)"
    )
    assert events[3].level is Level.ERROR
    assert stats.events == 4


def test_push_gives_one_commit_event_per_commit() -> None:
    events, _ = read(PAYLOADS / "github_push.json")

    assert [(e.time, e.attrs["sha"]) for e in events] == [
        (datetime(2024, 3, 1, 12, 40, tzinfo=UTC), "2e8b1c0d9f8e7d6c5b4a39281706f5e4d3c2b1a0"),
        (datetime(2024, 3, 1, 12, 52, 30, tzinfo=UTC), SHA),
    ]
    assert all(e.kind is EventKind.COMMIT and e.attrs["ref"] == "refs/heads/main" for e in events)
    assert events[0].text == "2e8b1c0 Cache tax rates per region (pushed to main)"
    assert events[0].actor == "Mei Chen"


def test_sniff_recognises_each_webhook_and_nothing_else() -> None:
    for name in ("github_deploys.ndjson", "github_push.json"):
        assert SOURCE.sniff((PAYLOADS / name).read_bytes(), name) >= 0.9
    assert SOURCE.sniff((PAYLOADS / "pagerduty_v2_lifecycle.json").read_bytes(), "p.json") == 0
    assert SOURCE.sniff(b'{"ref": "main"}', "x.json") == 0


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "deployment__payload.json",
            (datetime(2019, 5, 15, 15, 20, 53, tzinfo=UTC), EventKind.DEPLOY, "created"),
        ),
        (
            "deployment_status__payload.json",
            (datetime(2019, 5, 15, 15, 20, 55, tzinfo=UTC), EventKind.DEPLOY, "success"),
        ),
        # A tag deletion: no commits, so the repository's pushed_at time.
        (
            "push__payload.json",
            (datetime(2019, 5, 15, 15, 20, 57, tzinfo=UTC), EventKind.CHANGE, "deleted"),
        ),
    ],
)
def test_corpus_webhooks(name: str, expected: tuple[datetime, EventKind, str]) -> None:
    path = corpus("github") / name
    assert SOURCE.sniff(path.read_bytes(), str(path)) >= 0.9
    events, stats = read(path)
    assert [(e.time, e.kind, e.attrs["state"]) for e in events] == [expected]
    assert stats.lines_unparsed == 0
