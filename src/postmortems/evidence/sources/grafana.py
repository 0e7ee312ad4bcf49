"""Grafana alert webhooks: unified alerting (Grafana 8+) and the legacy dashboard alerts.

Unified alerting sends an Alertmanager-shaped body (``alerts[]`` with ``startsAt`` and
``endsAt``) plus ``orgId``, ``title`` and ``state``; it is read exactly like Alertmanager.
Legacy dashboard alerts (``ruleName``, ``state``, ``evalMatches``) carry no time at all:
such a body is read only when whoever stored it added one (``time``, ``timestamp``,
``receivedAt`` or ``date``); otherwise it is counted as not understood, because placing it
at the file's modification time would put a guess on the timeline.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from postmortems.evidence.events import Event, EventKind, Level
from postmortems.evidence.redact import shorten
from postmortems.evidence.sources import _payload as payload
from postmortems.evidence.sources.alertmanager import alert_events, is_alert_group
from postmortems.evidence.sources.base import ReadOptions, ReadStats

_LEGACY_TIME_KEYS = ("time", "timestamp", "receivedAt", "received_at", "date")
_LEGACY_STATES = {
    "alerting": ("firing", Level.ERROR),
    "ok": ("resolved", Level.INFO),
    "no_data": ("no_data", Level.WARNING),
    "pending": ("pending", Level.INFO),
    "paused": ("paused", Level.INFO),
}


def _is_unified(document: object) -> bool:
    return is_alert_group(document) and "orgId" in payload.as_dict(document)


def _is_legacy(document: object) -> bool:
    return isinstance(document, dict) and "ruleName" in document and "state" in document


class GrafanaSource:
    name = "grafana"
    description = "Grafana alert webhooks (unified alerting and legacy dashboard alerts)"

    def sniff(self, head: bytes, path: str) -> float:
        return payload.sniff_json(
            head,
            lambda document: _is_unified(document) or _is_legacy(document),
            payload.keys_include(
                {"alerts", "status", "orgId"}, {"ruleName", "state", "evalMatches"}
            ),
        )

    def read(self, path: str, opts: ReadOptions, stats: ReadStats) -> Iterator[Event]:
        seen: set[tuple[object, ...]] = set()
        events: list[Event] = []
        untimed = 0
        for line, document in payload.read_documents(path, stats):
            where = payload.ref(path, line)
            if _is_unified(document):
                events.extend(alert_events(document, self.name, where, opts, seen))
            elif _is_legacy(document):
                event = _legacy_event(document, where, opts)
                if event is None:
                    untimed += 1
                    stats.unparsed(line, "Grafana legacy alert without a time")
                else:
                    events.append(event)
            else:
                stats.unparsed(line, f"not Grafana alert JSON: {shorten(str(document), 160)}")
        if untimed:
            stats.notes.append(
                f"{untimed} Grafana legacy alert(s) skipped: they carry no time; "
                "add a 'time' key to read them"
            )
        yield from payload.emit(events, opts, stats)


def _legacy_event(body: dict[str, Any], where: str, opts: ReadOptions) -> Event | None:
    time = None
    for key in _LEGACY_TIME_KEYS:
        time = payload.parse_time(body.get(key), opts.default_tz)
        if time is not None:
            break
    if time is None:
        return None
    state = (payload.as_str(body.get("state")) or "").lower()
    status, level = _LEGACY_STATES.get(state, (state or "unknown", Level.WARNING))
    rule = payload.as_str(body.get("ruleName")) or "alert"
    message = payload.as_str(body.get("message"))
    matches = [
        f"{payload.as_str(m.get('metric')) or '?'}={m.get('value')}"
        for m in payload.as_list(body.get("evalMatches"))
        if isinstance(m, dict)
    ]
    text = f"[{status.upper()}] {rule}" + (f": {message}" if message else "")
    if matches:
        text += f" ({', '.join(matches)})"
    tags = payload.as_dict(body.get("tags"))
    return Event(
        time=time,
        source="grafana",
        kind=EventKind.ALERT,
        text=text,
        level=level,
        service=payload.as_str(tags.get("service")),
        ref=where,
        attrs={
            "alertname": rule,
            "status": status,
            "state": state,
            "rule_url": payload.as_str(body.get("ruleUrl")),
            "eval_matches": payload.as_list(body.get("evalMatches")),
            "tags": tags,
        },
    )


SOURCE = GrafanaSource()
