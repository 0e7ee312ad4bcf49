"""Candidate triggers: what changed in the hours before the incident."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from postmortems.analysis.changes import find_changes
from postmortems.evidence.events import Event, EventKind

START = datetime(2026, 5, 12, 14, 7, tzinfo=UTC)


def change(kind: EventKind, minutes_before: float, text: str, **attrs: object) -> Event:
    return Event(
        time=START - timedelta(minutes=minutes_before),
        source=str(kind),
        kind=kind,
        text=text,
        actor="dana",
        ref=f"{kind}.json:{int(minutes_before)}",
        attrs=dict(attrs),
    )


def test_nearest_change_comes_first_with_how_long_before() -> None:
    events = [
        change(EventKind.COMMIT, 45, "Lower payment client timeout", sha="a" * 40),
        change(EventKind.DEPLOY, 3, "deploy checkout-api to production", sha="b" * 40),
        change(EventKind.CHANGE, 120, "feature flag new-cart enabled"),
    ]
    changes = find_changes(events, START)
    assert [c.kind for c in changes] == [EventKind.DEPLOY, EventKind.COMMIT, EventKind.CHANGE]
    first = changes[0]
    assert first.before_start == timedelta(minutes=3)
    assert first.who == "dana"
    assert first.ref == "deploy.json:3"
    assert "bbbbbbb" in first.what
    assert first.describe().startswith("3 min before the start: deploy")
    assert changes[2].describe().startswith("2 h 00 min before")


def test_changes_outside_the_lookback_or_after_the_start_are_left_out() -> None:
    events = [
        change(EventKind.DEPLOY, 7 * 60, "old deploy", sha="c" * 40),
        change(EventKind.DEPLOY, -10, "rollback", sha="d" * 40),
        change(EventKind.COMMIT, 50, "in range", sha="e" * 40),
    ]
    assert [c.what.split(" (")[0] for c in find_changes(events, START)] == ["in range"]
    wider = find_changes(events, START, lookback=timedelta(hours=8))
    assert len(wider) == 2


def test_logs_and_alerts_are_not_changes() -> None:
    events = [
        Event(time=START, source="syslog", kind=EventKind.LOG, text="restart"),
        Event(time=START, source="am", kind=EventKind.ALERT, text="firing"),
    ]
    assert find_changes(events, START) == []


def test_one_deploy_reported_by_deployment_and_statuses_is_listed_once() -> None:
    sha = "f" * 40
    events = [
        change(EventKind.DEPLOY, 9, "deployment created", sha=sha, environment="production"),
        change(EventKind.DEPLOY, 6, "deployment success", sha=sha, environment="production"),
        change(EventKind.DEPLOY, 8, "deployment to staging", sha=sha, environment="staging"),
    ]
    events[1].actor = "deploy-bot[bot]"  # statuses are posted by a bot
    changes = find_changes(events, START)
    assert [c.what.split(" (")[0] for c in changes] == [
        "deployment success",
        "deployment to staging",
    ]
    assert changes[0].who == "dana"  # the person who created the deployment
