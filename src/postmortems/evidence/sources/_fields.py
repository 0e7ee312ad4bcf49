"""Structured log records (JSON lines, logfmt) as key → value maps, turned into events.

Programs name the same things differently, so the keys are looked up in order of
preference; dotted keys ("log.level") are found both flat and nested.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping

from postmortems.evidence.events import Event, EventKind
from postmortems.evidence.sources._levels import level_from_name, level_from_words
from postmortems.evidence.sources._timeparse import from_epoch, parse_timestamp

TIME_KEYS = ("ts", "time", "@timestamp", "timestamp", "t", "datetime", "date")
LEVEL_KEYS = ("level", "severity", "lvl", "log.level", "loglevel", "levelname", "s")
MESSAGE_KEYS = ("msg", "message", "event", "log")
SERVICE_KEYS = ("service", "service.name", "app", "application", "component", "logger", "name")
HOST_KEYS = ("host", "hostname", "host.name", "host.hostname", "node", "pod")
TRACE_KEYS = ("stack", "stack_trace", "stacktrace", "exception", "exc_info", "error.stack_trace")
_MAX_ATTRS = 20


def json_object(text: str) -> dict[str, object] | None:
    """The JSON object on a line, or None for anything else (garbled, an array, prose)."""
    stripped = text.strip()
    if not stripped.startswith("{"):
        return None
    try:
        record = json.loads(stripped)
    except (ValueError, RecursionError):  # RecursionError: nested deeper than Python can read
        return None
    return record if isinstance(record, dict) else None


def lookup(record: Mapping[str, object], key: str) -> object:
    """``record[key]``, also following a dotted key into nested maps."""
    if key in record:
        return record[key]
    node: object = record
    for part in key.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node


def first_of(record: Mapping[str, object], keys: tuple[str, ...]) -> tuple[str, object] | None:
    """The first of ``keys`` holding a plain value (a nested map is not a value: {"service":
    {"name": ...}} is found as "service.name")."""
    for key in keys:
        value = lookup(record, key)
        if isinstance(value, Mapping) and len(value) == 1:
            # Extended JSON wraps a value in its type: {"$date": "2026-03-14T10:00:00Z"}.
            (wrapper, inner), *_ = value.items()
            if wrapper.startswith("$"):
                key, value = f"{key}.{wrapper}", inner
        if value is not None and value != "" and not isinstance(value, Mapping):
            return key, value
    return None


def time_of(value: object, default_tz: dt.tzinfo | None) -> dt.datetime | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return from_epoch(float(value))
    if isinstance(value, str):
        return parse_timestamp(value, default_tz)
    return None


def to_event(
    record: Mapping[str, object], source: str, ref: str, default_tz: dt.tzinfo | None
) -> Event | None:
    """The event a record describes, or None when it has no readable time."""
    found_time = first_of(record, TIME_KEYS)
    when = time_of(found_time[1], default_tz) if found_time else None
    if when is None:
        return None
    used = {found_time[0]} if found_time else set()
    found_message = first_of(record, MESSAGE_KEYS)
    text = _as_text(found_message[1]) if found_message else ""
    if found_message:
        used.add(found_message[0])
    found_trace = first_of(record, TRACE_KEYS)
    if found_trace:
        used.add(found_trace[0])
        trace = _as_text(found_trace[1]).strip()
        if trace:
            text = f"{text}\n{trace}" if text else trace
    found_level = first_of(record, LEVEL_KEYS)
    level = level_from_name(found_level[1]) if found_level else None
    if found_level:
        used.add(found_level[0])
    if level is None:
        level = level_from_words(text.encode("utf-8", "replace"))
    service = first_of(record, SERVICE_KEYS)
    host = first_of(record, HOST_KEYS)
    for found in (service, host):
        if found:
            used.add(found[0])
    attrs: dict[str, object] = {}
    for key, value in record.items():
        if (
            key not in used
            and isinstance(value, str | int | float | bool)
            and len(attrs) < _MAX_ATTRS
        ):
            attrs[key] = value
    if not text:
        text = " ".join(f"{key}={value}" for key, value in attrs.items())
    return Event(
        time=when,
        source=source,
        kind=EventKind.LOG,
        text=text,
        level=level,
        service=_as_text(service[1]) if service else None,
        host=_as_text(host[1]) if host else None,
        ref=ref,
        attrs=attrs,
    )


def _as_text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "\n".join(_as_text(item) for item in value)
    return str(value)
