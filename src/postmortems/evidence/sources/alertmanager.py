"""Prometheus Alertmanager webhook bodies (version 4): when each alert fired and resolved.

Each alert in ``alerts[]`` gives one event when it started firing (``startsAt``) and,
once its status is ``resolved``, one more when it ended (``endsAt``). A firing alert's
``endsAt`` is Go's zero time or a future expiry, never an end, so it is ignored. The same
alert repeats across the bodies Alertmanager re-sends; within one file each start and each
end is reported once.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from postmortems.evidence.events import Event, EventKind, Level
from postmortems.evidence.redact import shorten
from postmortems.evidence.sources import _payload as payload
from postmortems.evidence.sources.base import ReadOptions, ReadStats

_SEVERITY_LEVELS = {
    "critical": Level.CRITICAL,
    "page": Level.CRITICAL,
    "high": Level.ERROR,
    "error": Level.ERROR,
    "major": Level.ERROR,
    "warning": Level.WARNING,
    "warn": Level.WARNING,
    "medium": Level.WARNING,
    "minor": Level.WARNING,
    "low": Level.INFO,
    "info": Level.INFO,
    "none": Level.INFO,
}
_SERVICE_LABELS = ("service", "app", "application", "job", "namespace")
_HOST_LABELS = ("instance", "host", "hostname", "node", "pod")


def is_alert_group(document: object) -> bool:
    """A webhook body in Alertmanager's shape (Grafana's unified alerting shares it)."""
    if not isinstance(document, dict):
        return False
    alerts = document.get("alerts")
    return (
        isinstance(alerts, list)
        and "status" in document
        and ("receiver" in document or "groupKey" in document)
    )


def level_for(severity: str | None, resolved: bool) -> Level:
    if resolved:
        return Level.INFO
    return _SEVERITY_LEVELS.get((severity or "").lower(), Level.WARNING)


def _first_label(labels: dict[str, Any], names: tuple[str, ...]) -> str | None:
    for name in names:
        value = payload.as_str(labels.get(name))
        if value:
            return value
    return None


def alert_events(
    body: dict[str, Any], source: str, where: str, opts: ReadOptions, seen: set[tuple[object, ...]]
) -> list[Event]:
    """Events for every alert of one Alertmanager-shaped body (shared with Grafana)."""
    events: list[Event] = []
    common_labels = payload.as_dict(body.get("commonLabels"))
    common_annotations = payload.as_dict(body.get("commonAnnotations"))
    for alert in payload.as_list(body.get("alerts")):
        if not isinstance(alert, dict):
            continue
        labels = {**common_labels, **payload.as_dict(alert.get("labels"))}
        annotations = {**common_annotations, **payload.as_dict(alert.get("annotations"))}
        status = payload.as_str(alert.get("status")) or payload.as_str(body.get("status")) or ""
        identity = payload.as_str(alert.get("fingerprint")) or repr(sorted(labels.items()))
        starts = payload.parse_time(alert.get("startsAt"), opts.default_tz)
        ends = payload.parse_time(alert.get("endsAt"), opts.default_tz)
        if starts is not None and ("start", identity, starts) not in seen:
            seen.add(("start", identity, starts))
            events.append(_event(starts, "firing", labels, annotations, alert, source, where))
        if status == "resolved" and ends is not None and ("end", identity, ends) not in seen:
            seen.add(("end", identity, ends))
            events.append(_event(ends, "resolved", labels, annotations, alert, source, where))
    return events


def _event(
    time: datetime,
    status: str,
    labels: dict[str, Any],
    annotations: dict[str, Any],
    alert: dict[str, Any],
    source: str,
    where: str,
) -> Event:
    name = payload.as_str(labels.get("alertname")) or "alert"
    severity = payload.as_str(labels.get("severity"))
    summary = (
        payload.as_str(annotations.get("summary"))
        or payload.as_str(annotations.get("description"))
        or payload.as_str(annotations.get("message"))
    )
    text = f"[{status.upper()}] {name}" + (f": {summary}" if summary else "")
    attrs: dict[str, object] = {
        "alertname": name,
        "status": status,
        "severity": severity,
        "labels": labels,
        "annotations": annotations,
    }
    for key in ("fingerprint", "generatorURL", "valueString"):
        value = payload.as_str(alert.get(key))
        if value:
            attrs[key] = value
    return Event(
        time=time,
        source=source,
        kind=EventKind.ALERT,
        text=text,
        level=level_for(severity, status == "resolved"),
        service=_first_label(labels, _SERVICE_LABELS),
        host=_first_label(labels, _HOST_LABELS),
        ref=where,
        attrs=attrs,
    )


def read_alert_groups(
    path: str, opts: ReadOptions, stats: ReadStats, source: str, accepts: Any
) -> Iterator[Event]:
    """Read every body ``accepts`` recognises; anything else is counted as not understood."""
    seen: set[tuple[object, ...]] = set()
    events: list[Event] = []
    for line, document in payload.read_documents(path, stats):
        if not accepts(document):
            stats.unparsed(line, f"not {source} JSON: {shorten(str(document), 160)}")
            continue
        events.extend(alert_events(document, source, payload.ref(path, line), opts, seen))
    yield from payload.emit(events, opts, stats)


class AlertmanagerSource:
    name = "alertmanager"
    description = "Prometheus Alertmanager webhook bodies (firing and resolved alerts)"

    def sniff(self, head: bytes, path: str) -> float:
        return payload.sniff_json(head, _is_alertmanager, _partial_alertmanager)

    def read(self, path: str, opts: ReadOptions, stats: ReadStats) -> Iterator[Event]:
        return read_alert_groups(path, opts, stats, self.name, _is_alertmanager)


def _partial_alertmanager(head: bytes) -> float:
    keys = payload.head_keys(head)
    if {"alerts", "status"} <= keys and keys & {"receiver", "groupKey"}:
        return 0.3 if "orgId" in keys else 0.7  # with orgId it is Grafana's
    return 0.0


def _is_alertmanager(document: object) -> bool:
    # Grafana's unified alerting sends the same shape plus ``orgId``: that one is Grafana's.
    return is_alert_group(document) and "orgId" not in payload.as_dict(document)


SOURCE = AlertmanagerSource()
