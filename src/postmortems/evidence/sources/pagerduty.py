"""PagerDuty: webhooks v2 and v3, and incident log entries from the REST API.

- v2 webhooks: ``{"messages": [{"event": "incident.trigger", "created_on", "incident",
  "log_entries"}]}``, one event per message.
- v3 webhooks: ``{"event": {"event_type": "incident.acknowledged", "occurred_at", "agent",
  "data"}}``.
- Log entries: ``{"log_entries": [...]}`` (the list endpoint), ``{"log_entry": {...}}``
  or a single entry, each ``{"type": "acknowledge_log_entry", "created_at", "agent"}``.

Every event is kind PAGE with ``attrs["state"]`` one of triggered, acknowledged, resolved
or other, and the person who acted (acknowledged, resolved, ...) as the actor.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from postmortems.evidence.events import Event, EventKind, Level
from postmortems.evidence.redact import shorten
from postmortems.evidence.sources import _payload as payload
from postmortems.evidence.sources.base import ReadOptions, ReadStats

_V2_STATES = {
    "incident.trigger": "triggered",
    "incident.acknowledge": "acknowledged",
    "incident.resolve": "resolved",
}
_V3_STATES = {
    "incident.triggered": "triggered",
    "incident.reopened": "triggered",
    "incident.acknowledged": "acknowledged",
    "incident.resolved": "resolved",
}
_LOG_ENTRY_STATES = {
    "trigger_log_entry": "triggered",
    "acknowledge_log_entry": "acknowledged",
    "resolve_log_entry": "resolved",
}


def _v2_messages(document: object) -> list[Any] | None:
    messages = payload.dig(document, "messages")
    if not isinstance(messages, list) or not messages:
        return None
    first = messages[0]
    event = payload.as_str(payload.dig(first, "event")) or ""
    return messages if event.startswith("incident.") else None


def _is_v3(document: object) -> bool:
    event = payload.dig(document, "event")
    return isinstance(event, dict) and "event_type" in event and "occurred_at" in event


def _log_entries(document: object) -> list[Any] | None:
    if not isinstance(document, dict):
        return None
    if isinstance(document.get("log_entries"), list):
        return list(document["log_entries"])
    if isinstance(document.get("log_entry"), dict):
        return [document["log_entry"]]
    entry_type = payload.as_str(document.get("type")) or ""
    return [document] if entry_type.endswith("_log_entry") else None


def recognises(document: object) -> bool:
    return (
        _v2_messages(document) is not None or _is_v3(document) or _log_entries(document) is not None
    )


def _name(reference: object) -> str | None:
    """The human name in a PagerDuty reference object (``summary`` or ``name``)."""
    return payload.as_str(payload.dig(reference, "summary")) or payload.as_str(
        payload.dig(reference, "name")
    )


def _level(state: str, urgency: str | None) -> Level:
    if state == "triggered":
        return Level.CRITICAL if urgency == "high" else Level.ERROR
    return Level.INFO


def _page(
    time: datetime,
    state: str,
    what: str,
    incident: dict[str, Any],
    actor: str | None,
    where: str,
    extra: dict[str, object],
) -> Event:
    number = incident.get("incident_number") or incident.get("number")
    title = payload.as_str(incident.get("title")) or _name(incident) or "incident"
    label = f"#{number} {title}" if number is not None and not title.startswith("[#") else title
    urgency = payload.as_str(incident.get("urgency"))
    attrs: dict[str, object] = {
        "state": state,
        "event": what,
        "incident_id": payload.as_str(incident.get("id")),
        "incident_number": number,
        "urgency": urgency,
        **extra,
    }
    priority = _name(incident.get("priority"))
    if priority:
        attrs["priority"] = priority
    text = f"PagerDuty incident {label}: {what}" + (f" by {actor}" if actor else "")
    return Event(
        time=time,
        source="pagerduty",
        kind=EventKind.PAGE,
        text=text,
        level=_level(state, urgency),
        service=_name(incident.get("service")),
        actor=actor,
        ref=where,
        attrs=attrs,
    )


def _from_v2(message: dict[str, Any], where: str, opts: ReadOptions) -> Event | None:
    event_name = payload.as_str(message.get("event")) or "incident.unknown"
    entries = [e for e in payload.as_list(message.get("log_entries")) if isinstance(e, dict)]
    entry = entries[0] if entries else {}
    time = payload.parse_time(message.get("created_on"), opts.default_tz) or payload.parse_time(
        entry.get("created_at"), opts.default_tz
    )
    if time is None:
        return None
    incident = payload.as_dict(message.get("incident"))
    state = _V2_STATES.get(event_name, "other")
    actor = _name(entry.get("agent"))
    if actor is None and state in ("acknowledged", "resolved"):
        actor = _name(incident.get("last_status_change_by"))
    what = state if state != "other" else event_name.removeprefix("incident.")
    return _page(time, state, what, incident, actor, where, {"webhook": "v2"})


def _from_v3(document: dict[str, Any], where: str, opts: ReadOptions) -> Event | None:
    event = payload.as_dict(document.get("event"))
    time = payload.parse_time(event.get("occurred_at"), opts.default_tz)
    if time is None:
        return None
    event_type = payload.as_str(event.get("event_type")) or "unknown"
    data = payload.as_dict(event.get("data"))
    incident = (
        data if data.get("type") in ("incident", None) else payload.as_dict(data.get("incident"))
    )
    state = _V3_STATES.get(event_type, "other")
    what = event_type.removeprefix("incident.").replace("_", " ")
    if event_type == "incident.priority_updated":
        priority = _name(incident.get("priority"))
        what = f"priority changed to {priority}" if priority else what
    return _page(time, state, what, incident, _name(event.get("agent")), where, {"webhook": "v3"})


def _from_log_entry(entry: dict[str, Any], where: str, opts: ReadOptions) -> Event | None:
    time = payload.parse_time(entry.get("created_at"), opts.default_tz)
    if time is None:
        return None
    entry_type = payload.as_str(entry.get("type")) or "log_entry"
    state = _LOG_ENTRY_STATES.get(entry_type, "other")
    incident = payload.as_dict(entry.get("incident"))
    if "service" not in incident and isinstance(entry.get("service"), dict):
        incident = {**incident, "service": entry["service"]}
    what = payload.as_str(entry.get("summary")) or entry_type.removesuffix("_log_entry")
    extra: dict[str, object] = {"log_entry_type": entry_type, "log_entry_id": entry.get("id")}
    return _page(time, state, what, incident, _name(entry.get("agent")), where, extra)


class PagerDutySource:
    name = "pagerduty"
    description = "PagerDuty webhooks (v2, v3) and incident log entries"

    def sniff(self, head: bytes, path: str) -> float:
        return payload.sniff_json(head, recognises, _partial_pagerduty)

    def read(self, path: str, opts: ReadOptions, stats: ReadStats) -> Iterator[Event]:
        events: list[Event] = []
        untimed = 0
        for line, document in payload.read_documents(path, stats):
            where = payload.ref(path, line)
            found: list[Event | None]
            messages = _v2_messages(document)
            entries = _log_entries(document)
            if messages is not None:
                found = [_from_v2(m, where, opts) for m in messages if isinstance(m, dict)]
            elif _is_v3(document):
                found = [_from_v3(document, where, opts)]
            elif entries is not None:
                found = [_from_log_entry(e, where, opts) for e in entries if isinstance(e, dict)]
            else:
                stats.unparsed(line, f"not PagerDuty JSON: {shorten(str(document), 160)}")
                continue
            for event in found:
                if event is None:
                    untimed += 1
                    stats.unparsed(line, "PagerDuty record without a time")
                else:
                    events.append(event)
        if untimed:
            stats.notes.append(f"{untimed} PagerDuty record(s) without a time skipped")
        yield from payload.emit(events, opts, stats)


SOURCE = PagerDutySource()


def _partial_pagerduty(head: bytes) -> float:
    text = head.decode("utf-8", "replace")
    if '"event_type"' in text and '"occurred_at"' in text and '"incident.' in text:
        return 0.7
    if '"messages"' in text and '"incident.' in text:
        return 0.7
    if '_log_entry"' in text and '"created_at"' in text:
        return 0.6
    return 0.0
