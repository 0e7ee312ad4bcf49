"""What changed before the incident: deploys, commits and config changes as candidate triggers.

The list is evidence for people to weigh, nearest first; the tool never claims a cause.
A deploy reported several times (the deployment, then its statuses) is listed once, at
its latest report before the start, which is when it took effect; its "who" is the first
person named in those reports, since statuses are usually posted by a bot.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from postmortems.evidence.events import Event, EventKind

DEFAULT_LOOKBACK = timedelta(hours=6)
_CHANGE_KINDS = frozenset({EventKind.DEPLOY, EventKind.COMMIT, EventKind.CHANGE})


@dataclass(frozen=True)
class CandidateChange:
    time: datetime
    kind: EventKind
    what: str
    who: str | None
    before_start: timedelta
    ref: str | None
    source: str

    def describe(self) -> str:
        who = f" by {self.who}" if self.who else ""
        return f"{_ago(self.before_start)} before the start: {self.kind} {self.what}{who}"


def find_changes(
    events: Iterable[Event], start: datetime, lookback: timedelta = DEFAULT_LOOKBACK
) -> list[CandidateChange]:
    """Changes in ``[start - lookback, start]``, nearest to the start first."""
    earliest = start - lookback
    reports: dict[tuple[object, ...], list[Event]] = {}
    for event in events:
        if event.kind in _CHANGE_KINDS and earliest <= event.time <= start:
            reports.setdefault(_identity(event), []).append(event)
    changes = []
    for same in reports.values():
        same.sort(key=lambda e: e.time)
        latest = same[-1]
        people = [e.actor for e in same if e.actor and not _is_bot(e.actor)]
        changes.append(
            CandidateChange(
                time=latest.time,
                kind=latest.kind,
                what=_what(latest),
                who=people[0] if people else latest.actor,
                before_start=start - latest.time,
                ref=latest.ref,
                source=latest.source,
            )
        )
    changes.sort(key=lambda c: (c.before_start, c.kind != EventKind.DEPLOY))
    return changes


def _identity(event: Event) -> tuple[object, ...]:
    """Reports of the same change share an identity; anything else is its own change."""
    sha = event.attrs.get("sha")
    if event.kind is EventKind.DEPLOY and sha:
        return (event.kind, sha, event.attrs.get("environment"))
    return (event.kind, event.time, event.text, event.ref)


def _is_bot(actor: str) -> bool:
    return actor.endswith(("[bot]", "-bot", " bot")) or actor.lower() in {"github-actions", "bot"}


def _what(event: Event) -> str:
    text = event.text.strip().splitlines()[0] if event.text.strip() else str(event.kind)
    sha = event.attrs.get("sha")
    if isinstance(sha, str) and sha and sha[:7] not in text:
        text = f"{text} ({sha[:7]})"
    return text


def _ago(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"
