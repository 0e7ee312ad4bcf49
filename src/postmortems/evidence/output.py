"""Gathered evidence written out: a Markdown timeline, JSON, or one JSON event per line."""

from __future__ import annotations

import json
from dataclasses import asdict

from postmortems.evidence.events import Event
from postmortems.evidence.gather import GatherResult
from postmortems.evidence.redact import describe_kept

FORMATS = ("md", "json", "ndjson")


def event_json(event: Event) -> dict[str, object]:
    data = asdict(event)
    data["attrs"] = {
        k: sorted(v) if isinstance(v, frozenset | set) else v for k, v in event.attrs.items()
    }
    return data


def label(event: Event) -> str:
    """What an event is and where it came from: "log web-1 sshd", "alert", "deploy"."""
    return " ".join(part for part in (str(event.kind), event.host, event.service) if part)


def redaction_summary(result: GatherResult) -> list[str]:
    """What redaction removed, per kind, and what it was asked to keep; one line each."""
    if not result.redacted:
        return ["Not redacted (--no-redact): secrets and personal data are as written."]
    lines = []
    if result.redactions:
        counts = ", ".join(f"{n:,} {kind}" for kind, n in result.redactions.items())
        lines.append(f"Redacted: {counts}.")
    kept = describe_kept(result.kept)
    if kept:
        lines.append(f"Kept: {kept}.")
    return lines


def render_gathered(result: GatherResult, fmt: str) -> str:
    """The result in ``fmt`` (md, json or ndjson); events are already sorted and redacted."""
    if fmt == "ndjson":
        return "".join(json.dumps(event_json(e), default=str) + "\n" for e in result.events)
    if fmt == "json":
        document = {
            "window": {
                "start": result.window.start,
                "end": result.window.end,
                "description": result.window.describe(),
            },
            "sources": [asdict(s) for s in result.stats],
            "redactions": result.redactions,
            "kept": list(result.kept),
            "events": [event_json(e) for e in result.events],
        }
        return json.dumps(document, default=str, indent=2) + "\n"
    lines = ["## Timeline", "", "All times in UTC.", *redaction_summary(result), ""]
    for event in result.events:
        count = (
            f" ({event.count:,} times until {event.last:%H:%M:%S})"
            if event.count > 1 and event.last
            else ""
        )
        ref = f" (evidence: `{event.ref}`)" if event.ref else ""
        text = " ".join(event.text.split()).replace("`", "'")
        lines.append(
            f"- **{event.time:%Y-%m-%d %H:%M:%S} UTC**: {label(event)}: {text}{count}{ref}"
        )
    return "\n".join(lines) + "\n"
