"""Opsgenie alert webhooks: ``{"action": "Create", "alert": {...}, "source", ...}``.

Opsgenie writes ``createdAt`` in epoch milliseconds and ``updatedAt`` in epoch
nanoseconds; the unit is told from the number's magnitude, so either key in either unit
reads right. A ``Create`` happens at ``createdAt``; every later action (Acknowledge,
Close, AddNote, ...) happens at ``updatedAt``. Kind PAGE, ``attrs["state"]`` one of
triggered, acknowledged, resolved or other.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from postmortems.evidence.events import Event, EventKind, Level
from postmortems.evidence.redact import shorten
from postmortems.evidence.sources import _payload as payload
from postmortems.evidence.sources.base import ReadOptions, ReadStats

_STATES = {
    "create": "triggered",
    "unacknowledge": "triggered",
    "acknowledge": "acknowledged",
    "close": "resolved",
}
_PRIORITY_LEVELS = {"P1": Level.CRITICAL, "P2": Level.ERROR, "P3": Level.WARNING}
_PAST_TENSE = {"create": "created", "acknowledge": "acknowledged", "close": "closed"}


def recognises(document: object) -> bool:
    alert = payload.dig(document, "alert")
    return (
        isinstance(document, dict)
        and isinstance(document.get("action"), str)
        and isinstance(alert, dict)
        and ("alertId" in alert or "tinyId" in alert)
    )


def _event(document: dict[str, Any], where: str, opts: ReadOptions) -> Event | None:
    alert = payload.as_dict(document.get("alert"))
    action = payload.as_str(document.get("action")) or "Unknown"
    state = _STATES.get(action.lower(), "other")
    first, second = (
        ("createdAt", "updatedAt") if state == "triggered" else ("updatedAt", "createdAt")
    )
    time = payload.parse_time(alert.get(first), opts.default_tz) or payload.parse_time(
        alert.get(second), opts.default_tz
    )
    if time is None:
        return None
    priority = payload.as_str(alert.get("priority"))
    level = _PRIORITY_LEVELS.get(priority or "", Level.INFO) if state == "triggered" else Level.INFO
    actor = payload.as_str(alert.get("username")) or payload.as_str(alert.get("source"))
    message = payload.as_str(alert.get("message")) or "alert"
    tiny = payload.as_str(alert.get("tinyId"))
    label = f"#{tiny} {message}" if tiny else message
    verb = _PAST_TENSE.get(action.lower(), action)
    text = f"Opsgenie alert {label}: {verb}" + (f" by {actor}" if actor else "")
    return Event(
        time=time,
        source="opsgenie",
        kind=EventKind.PAGE,
        text=text,
        level=level,
        service=payload.as_str(alert.get("entity")) or payload.as_str(alert.get("team")),
        actor=actor,
        ref=where,
        attrs={
            "state": state,
            "action": action,
            "alert_id": payload.as_str(alert.get("alertId")),
            "alias": payload.as_str(alert.get("alias")),
            "priority": priority,
            "tags": payload.as_list(alert.get("tags")),
            "integration": payload.as_str(document.get("integrationName")),
        },
    )


class OpsgenieSource:
    name = "opsgenie"
    description = "Opsgenie alert webhooks (create, acknowledge, close, ...)"

    def sniff(self, head: bytes, path: str) -> float:
        return payload.sniff_json(
            head, recognises, payload.keys_include({"action", "alert", "alertId"})
        )

    def read(self, path: str, opts: ReadOptions, stats: ReadStats) -> Iterator[Event]:
        events: list[Event] = []
        for line, document in payload.read_documents(path, stats):
            if not recognises(document):
                stats.unparsed(line, f"not Opsgenie JSON: {shorten(str(document), 160)}")
                continue
            event = _event(document, payload.ref(path, line), opts)
            if event is None:
                stats.unparsed(line, "Opsgenie alert without a time")
            else:
                events.append(event)
        yield from payload.emit(events, opts, stats)


SOURCE = OpsgenieSource()
