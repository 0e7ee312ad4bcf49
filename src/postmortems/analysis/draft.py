"""A complete postmortem drafted from gathered evidence.

Every number comes from the evidence and every timeline entry names the file and line it
came from. What only people can know — the cause, what users felt, the lessons, who owns
which follow-up — is left as clearly marked TODOs: the tool never invents a cause; it
lists what changed before the start as candidates.

Lifecycle, from the data:

- started: the incident window's start (the first anomalous minute, see
  ``evidence/window.py``);
- detected: the first alert firing or page triggered from ten minutes before the start on;
- acknowledged: the first page acknowledged after detection;
- mitigated: the window's end (the error rate back at its baseline);
- resolved: the last page resolved, or failing pages, the last alert resolved, after the
  start.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from postmortems import metrics
from postmortems.analysis.changes import CandidateChange, find_changes
from postmortems.analysis.impact import Impact, compute_impact
from postmortems.evidence.events import Event, EventKind, Level
from postmortems.evidence.gather import GatherResult
from postmortems.evidence.redact import describe_kept
from postmortems.markdown.sections import TEMPLATES
from postmortems.model import (
    LIFECYCLE_FIELD_BY_PHASE,
    ActionItem,
    Lifecycle,
    Phase,
    Postmortem,
    Section,
    SectionKind,
    Status,
    TimelineEvent,
)
from postmortems.slug import incident_id

DETECTION_SLACK = dt.timedelta(minutes=10)
LOG_CONTEXT = dt.timedelta(minutes=10)
_ERROR_LEVELS = {Level.ERROR, Level.CRITICAL, Level.WARNING}
_TEXT_LIMIT = 220


@dataclass
class DraftOptions:
    title: str | None = None
    template: str = "seed"
    max_entries: int = 40
    lookback: dt.timedelta = dt.timedelta(hours=6)


@dataclass
class Draft:
    postmortem: Postmortem
    lifecycle: Lifecycle
    impact: Impact | None
    changes: list[CandidateChange]
    omitted: Counter[str] = field(default_factory=Counter)  # timeline events left out, by kind


def build_draft(result: GatherResult, options: DraftOptions | None = None) -> Draft:
    opts = options or DraftOptions()
    events = result.events
    window = result.window
    lifecycle = Lifecycle(started_at=window.start, mitigated_at=window.end)
    marks = _lifecycle_marks(events, lifecycle)
    impact = compute_impact(result.traffic, window)
    changes = find_changes(events, window.start, opts.lookback) if window.start else []
    entries, omitted = _timeline(result, lifecycle, marks, changes, opts.max_entries)
    day = (window.start or (events[0].time if events else dt.datetime.now(dt.UTC))).date()
    title = opts.title or _title(events, day)
    pm = Postmortem(
        id=incident_id(day, title),
        title=title,
        status=Status.DRAFT,
        severity="TODO",
        authors=["TODO"],
        date=day,
        timezone="UTC",
        template=opts.template,
        services=_services(events),
    )
    pm.sections = _sections(
        opts.template, result, lifecycle, marks, impact, changes, entries, omitted
    )
    pm.lifecycle = lifecycle
    return Draft(pm, lifecycle, impact, changes, omitted)


# Lifecycle


def _lifecycle_marks(events: list[Event], lifecycle: Lifecycle) -> dict[Phase, Event]:
    """The events that mark detection, acknowledgement and resolution; fills ``lifecycle``."""
    marks: dict[Phase, Event] = {}
    start = lifecycle.started_at
    floor = start - DETECTION_SLACK if start else None
    for event in events:
        if floor is not None and event.time < floor:
            continue
        state = _state(event)
        if Phase.DETECT not in marks and state in ("firing", "triggered"):
            marks[Phase.DETECT] = event
        elif Phase.DETECT in marks and Phase.ACKNOWLEDGE not in marks and state == "acknowledged":
            marks[Phase.ACKNOWLEDGE] = event
    resolved_pages = [e for e in events if e.kind is EventKind.PAGE and _state(e) == "resolved"]
    resolved_alerts = [e for e in events if e.kind is EventKind.ALERT and _state(e) == "resolved"]
    resolved = [e for e in (resolved_pages or resolved_alerts) if start is None or e.time >= start]
    if resolved:
        marks[Phase.RESOLVE] = resolved[-1]
    for phase, event in marks.items():
        setattr(lifecycle, LIFECYCLE_FIELD_BY_PHASE[phase], event.time)
    return marks


def _state(event: Event) -> str | None:
    if event.kind is EventKind.ALERT:
        status = event.attrs.get("status")
        return str(status) if status else None
    if event.kind is EventKind.PAGE:
        state = event.attrs.get("state")
        return str(state) if state else None
    return None


# Timeline


def _timeline(
    result: GatherResult,
    lifecycle: Lifecycle,
    marks: dict[Phase, Event],
    changes: list[CandidateChange],
    limit: int,
) -> tuple[list[TimelineEvent], Counter[str]]:
    """The key events, most important first when they must be cut, then in time order."""
    window = result.window
    phase_of = {id(event): phase for phase, event in marks.items()}
    change_refs = {(c.time, c.ref) for c in changes[:3]}
    ranked: list[tuple[int, Event]] = []
    for event in result.events:
        rank = _rank(event, phase_of, change_refs, window.start, window.end)
        if rank is not None:
            ranked.append((rank, event))
    ranked.sort(key=lambda pair: (pair[0], -pair[1].count, pair[1].time))
    budget = max(limit - 2, 0)  # two entries are the window's own start and end
    kept = ranked[:budget]
    omitted: Counter[str] = Counter(event.kind.value for _, event in ranked[budget:])
    considered = {id(event) for _, event in ranked}
    omitted.update(e.kind.value for e in result.events if id(e) not in considered)
    entries = [_entry(event, phase_of.get(id(event))) for _, event in kept]
    if window.start is not None:
        entries.append(_window_entry(result, Phase.START, window.start))
    if window.end is not None:
        entries.append(_window_entry(result, Phase.MITIGATE, window.end))
    entries.sort(
        key=lambda e: (e.at or dt.datetime.min.replace(tzinfo=dt.UTC), _phase_order(e.phase))
    )
    return entries, omitted


def _phase_order(phase: Phase | None) -> int:
    return list(Phase).index(phase) if phase else len(Phase)


def _rank(
    event: Event,
    phase_of: dict[int, Phase],
    change_refs: set[tuple[dt.datetime, str | None]],
    start: dt.datetime | None,
    end: dt.datetime | None,
) -> int | None:
    """Lower is more important; None leaves the event out of the draft entirely."""
    if id(event) in phase_of or (event.time, event.ref) in change_refs:
        return 0
    if event.kind in (EventKind.ALERT, EventKind.PAGE):
        return 1
    if event.kind is EventKind.DEPLOY:
        return 1 if _near(event, start, end, dt.timedelta(hours=1)) else 4
    if event.kind is EventKind.CHAT and event.attrs.get("pinned") is True:
        return 1
    if event.kind in (EventKind.COMMIT, EventKind.CHANGE):
        return 3 if _near(event, start, end, dt.timedelta(hours=1)) else None
    if event.kind is EventKind.LOG:
        if event.level in _ERROR_LEVELS and _near(event, start, end, LOG_CONTEXT):
            return 2
        return None
    if event.kind is EventKind.CHAT:
        return 3 if _near(event, start, end, dt.timedelta(minutes=0)) else None
    return None


def _near(
    event: Event, start: dt.datetime | None, end: dt.datetime | None, slack: dt.timedelta
) -> bool:
    if start is None:
        return True
    last = event.last or event.time
    return last >= start - slack and (end is None or event.time <= end + slack)


def _clip(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= _TEXT_LIMIT else line[: _TEXT_LIMIT - 1].rstrip() + "…"


def _describe(event: Event) -> str:
    if event.kind is EventKind.ALERT:
        name = event.attrs.get("alertname") or "alert"
        status = event.attrs.get("status") or ""
        return f"Alert {name} {status}: {_clip(event.text)}"
    if event.kind is EventKind.PAGE:
        who = f" by {event.actor}" if event.actor and _state(event) != "triggered" else ""
        return f"Page {_state(event) or 'updated'}{who}: {_clip(event.text)}"
    if event.kind is EventKind.DEPLOY:
        return f"Deploy: {_clip(event.text)}"
    if event.kind is EventKind.COMMIT:
        sha = str(event.attrs.get("sha") or "")[:7]
        who = f" by {event.actor}" if event.actor else ""
        subject = _clip(event.text).removeprefix(sha).strip()
        return f"Commit {sha}{who}: {subject}".replace("Commit :", "Commit:")
    if event.kind is EventKind.CHAT:
        channel = event.attrs.get("channel")
        where = f" in #{channel}" if channel else ""
        pinned = " (pinned)" if event.attrs.get("pinned") is True else ""
        return f"{event.actor or 'someone'}{where}{pinned}: {_clip(event.text)}"
    origin = f" from {event.service}" if event.service else ""
    origin += f" on {event.host}" if event.host else ""
    if event.kind is EventKind.LOG and event.count > 1:
        return f"Repeated {event.level or 'log'} lines{origin}: {_clip(event.text)}"
    level = f"{event.level} " if event.level else ""
    return f"Log {level}line{origin}: {_clip(event.text)}"


def _entry(event: Event, phase: Phase | None) -> TimelineEvent:
    ref = f" (evidence: `{event.ref}`)" if event.ref else ""
    text = _describe(event).replace("`", "'") + ref
    return TimelineEvent(
        at=event.time.replace(microsecond=0),  # sub-second precision only clutters a timeline
        text=text,
        phase=phase,
        source=event.source,
        actor=event.actor,
        evidence=event.ref,
    )


def _window_entry(result: GatherResult, phase: Phase, at: dt.datetime) -> TimelineEvent:
    evidence = result.window.evidence
    signal = str(evidence.signal) if evidence else "error rate"
    if phase is Phase.START:
        detail = ""
        if evidence is not None:
            detail = f" (baseline {evidence.baseline:.3g}, threshold {evidence.threshold:.3g}, peak {evidence.peak:.3g})"
        text = f"The {signal} leaves its baseline{detail}: the incident window starts (evidence: window analysis)"
    else:
        text = f"The {signal} is back at its baseline: the incident window ends (evidence: window analysis)"
    return TimelineEvent(at=at, text=text, phase=phase, source="window")


# Sections


def _when(at: dt.datetime | None) -> str:
    return f"{at:%Y-%m-%d %H:%M} UTC" if at else "TODO (not found in the evidence)"


def _sections(
    template: str,
    result: GatherResult,
    lifecycle: Lifecycle,
    marks: dict[Phase, Event],
    impact: Impact | None,
    changes: list[CandidateChange],
    entries: list[TimelineEvent],
    omitted: Counter[str],
) -> list[Section]:
    probe = Postmortem(lifecycle=lifecycle)
    length = metrics.impact_duration(probe)
    duration = metrics.spell_duration(length) if length is not None else "duration unknown"
    summary = _summary(lifecycle, impact, duration, probe)
    notes = "All times in UTC. Drafted from the evidence listed under Evidence; each entry names its source."
    if omitted:
        counts = ", ".join(f"{n} {kind}" for kind, n in sorted(omitted.items()))
        notes += f"\n\nLeft out of this timeline to keep it readable: {counts} events. `pm gather` on the same sources lists them all."
    bodies: dict[SectionKind, Section] = {
        SectionKind.SUMMARY: Section(title="", body=summary),
        SectionKind.TIMELINE: Section(title="", notes=notes, events=entries),
        SectionKind.ROOT_CAUSE: Section(title="", body=_root_cause(changes)),
        SectionKind.RESOLUTION: Section(title="", body=_resolution(result, lifecycle)),
        SectionKind.CORRECTIVE_MEASURES: Section(
            title="",
            body="- TODO: broad improvements that make this class of incident less likely or less harmful.",
        ),
        SectionKind.IMPACT: Section(title="", body=_impact(impact, duration)),
        SectionKind.LESSONS: Section(
            title="", body="- TODO: what went well, what went wrong, and where we got lucky."
        ),
        SectionKind.ACTION_ITEMS: Section(
            title="",
            items=[
                ActionItem(
                    text="TODO: a specific follow-up task (owner: @TODO, due: TODO, type: prevent)"
                )
            ],
        ),
        SectionKind.TRIGGER: Section(title="", body=_trigger(changes)),
        SectionKind.DETECTION: Section(title="", body=_detection(lifecycle, marks)),
        SectionKind.WHAT_HAPPENED: Section(
            title="",
            body="TODO: the incident in a few paragraphs, as the responders experienced it; "
            "the timeline below lists what the evidence shows.",
        ),
        SectionKind.RESPONDERS: Section(title="", body=_responders(marks)),
        SectionKind.MESSAGING: Section(
            title="", body="TODO: what was said to customers and inside the company, and when."
        ),
        SectionKind.SUPPORTING_INFORMATION: Section(title="", body=_appendix(result)),
    }
    # The template's sections, in its order and with its headings (its one list in
    # markdown/sections.py); the evidence appendix always comes last.
    layout = TEMPLATES.get(template, TEMPLATES["seed"])
    sections = []
    for kind, heading in layout.headings:
        section = bodies[kind]
        section.title, section.kinds = heading, [kind]
        sections.append(section)
    if SectionKind.SUPPORTING_INFORMATION not in layout.kinds:
        appendix = bodies[SectionKind.SUPPORTING_INFORMATION]
        appendix.title, appendix.kinds = "Evidence", [SectionKind.SUPPORTING_INFORMATION]
        sections.append(appendix)
    return sections


def _trigger(changes: list[CandidateChange]) -> str:
    lines = ["TODO: the change or event that set the incident off."]
    if changes:
        nearest = changes[0]
        ref = f" (evidence: `{nearest.ref}`)" if nearest.ref else ""
        lines += [
            "",
            f"Nearest change before the start: {nearest.time:%Y-%m-%d %H:%M} UTC, "
            f"{nearest.describe()}{ref}. The evidence shows timing, not cause.",
        ]
    return "\n".join(lines)


def _detection(lifecycle: Lifecycle, marks: dict[Phase, Event]) -> str:
    detected = marks.get(Phase.DETECT)
    if detected is None or lifecycle.detected_at is None:
        return "TODO: how the problem was noticed; no alert or page was found in the evidence."
    probe = Postmortem(lifecycle=lifecycle)
    line = f"Detected at {_when(lifecycle.detected_at)} by {_describe(detected)}"
    if lifecycle.started_at is not None:
        line += f", {_spoken(metrics.ttd(probe))} after the start"
    return line.replace("`", "'") + ".\n\nTODO: say whether this was fast enough, and why."


def _responders(marks: dict[Phase, Event]) -> str:
    people = sorted({e.actor for e in marks.values() if e.actor})
    lines = [f"- {person}" for person in people]
    lines.append("- TODO: incident commander, subject matter experts, scribe.")
    return "\n".join(lines)


def _summary(lifecycle: Lifecycle, impact: Impact | None, duration: str, probe: Postmortem) -> str:
    start, end = lifecycle.started_at, lifecycle.mitigated_at
    if start is None:
        return (
            "TODO: the evidence shows no period where the error rate left its baseline. Describe what "
            "happened, when (date, start and end time with the timezone) and who was affected."
        )
    parts = [
        f"On {start.day} {start:%B %Y}, from {start:%H:%M} to {end:%H:%M} UTC ({duration})"
        if end
        else f"On {start.day} {start:%B %Y}, from {start:%H:%M} UTC"
    ]
    if impact is not None and impact.requests:
        parts.append(
            f", {impact.failed_requests:,} of {impact.requests:,} requests ({impact.error_ratio:.1%}) "
            f"failed with server errors and {impact.clients_affected:,} distinct clients were affected."
        )
    else:
        parts.append(", the error rate in the logs was above its baseline.")
    detected = lifecycle.detected_at
    if detected is not None:
        parts.append(
            f" The problem was detected at {detected:%H:%M} UTC, "
            f"{_spoken(metrics.ttd(probe))} after it started."
        )
    parts.append("\n\nTODO: say in plain words what users experienced and why it happened.")
    return "".join(parts)


def _spoken(value: dt.timedelta | None) -> str:
    if value is None:
        return "an unknown time"
    if value < dt.timedelta(minutes=1):
        return f"{int(value.total_seconds())} seconds"
    return metrics.spell_duration(value)


def _root_cause(changes: list[CandidateChange]) -> str:
    lines = [
        "TODO: explain what made the incident possible, beyond the trigger. Name conditions and "
        "systems, not people.",
        "",
        "### What changed before the start",
        "",
    ]
    if not changes:
        lines.append(
            "No deploys, commits or configuration changes were found in the evidence before the start."
        )
    for change in changes[:10]:
        ref = f" (evidence: `{change.ref}`)" if change.ref else ""
        lines.append(f"- {change.time:%Y-%m-%d %H:%M} UTC, {change.describe()}{ref}")
    if changes:
        lines += ["", "These are candidates, nearest first: the evidence shows timing, not cause."]
    return "\n".join(lines)


def _resolution(result: GatherResult, lifecycle: Lifecycle) -> str:
    lines = ["TODO: the steps that stopped the impact and restored service, in order."]
    after = [
        e for e in result.events
        if e.kind is EventKind.DEPLOY and lifecycle.started_at and e.time >= lifecycle.started_at
    ]  # fmt: skip
    if after:
        lines += ["", "Deploys after the start (rollbacks and fixes are usually among them):", ""]
        lines += [
            f"- {e.time:%H:%M} UTC: {_clip(e.text)} (evidence: `{e.ref}`)" for e in after[:10]
        ]
    if lifecycle.mitigated_at:
        lines += [
            "",
            f"The error rate was back at its baseline at {_when(lifecycle.mitigated_at)}.",
        ]
    return "\n".join(lines)


def _impact(impact: Impact | None, duration: str) -> str:
    if impact is None:
        return (
            f"- **Duration**: {duration} (from the error rate in the logs).\n"
            "- TODO: no access log was given, so requests and users affected are unknown: add them."
        )
    peak = f" at {impact.peak_minute:%H:%M} UTC" if impact.peak_minute else ""
    return "\n".join(
        [
            f"- **Duration**: {duration}; {_error_minutes(impact)}.",
            f"- **Requests**: {impact.requests:,} in the window, of which {impact.failed_requests:,} failed "
            f"with HTTP 5xx ({impact.error_ratio:.1%}).",
            f"- **Peak error rate**: {impact.peak_error_rate:.1%} of requests{peak}.",
            f"- **Clients affected**: {impact.clients_affected:,} distinct clients received at least one server error.",
            "- TODO: what users experienced, and the business impact (orders, money, error budget).",
        ]
    )


def _error_minutes(impact: Impact) -> str:
    if impact.minutes_with_errors == impact.minutes_of_impact:
        return "every minute of it had server errors"
    return (
        f"{impact.minutes_with_errors} of its {impact.minutes_of_impact} minutes had server errors"
    )


def _appendix(result: GatherResult) -> str:
    lines = [
        "| source | format | lines read | events | not understood |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for stats in result.stats:
        lines.append(
            f"| `{stats.path}` | {stats.source} | {stats.lines_read:,} | {stats.events:,} | {stats.lines_unparsed:,} |"
        )
    lines += ["", f"Incident window: {result.window.describe()}."]
    if result.redactions:
        counts = ", ".join(f"{n} {kind}" for kind, n in result.redactions.items())
        lines.append(f"Redacted before writing: {counts}.")
    if result.kept:
        lines.append(f"Kept on request: {describe_kept(result.kept)}.")
    for error in result.errors:
        lines.append(f"Not read: {error}.")
    return "\n".join(lines)


def _title(events: list[Event], day: dt.date) -> str:
    alerts = Counter(
        str(e.attrs.get("alertname"))
        for e in events
        if e.kind is EventKind.ALERT and e.attrs.get("alertname")
    )
    if alerts:
        return f"{alerts.most_common(1)[0][0]} incident on {day.isoformat()}"
    return f"Incident on {day.isoformat()}"


def _services(events: list[Event]) -> list[str]:
    """Services named by alerts and pages; failing those, by the logs."""
    signals = [
        e.service for e in events if e.service and e.kind in (EventKind.ALERT, EventKind.PAGE)
    ]
    counts = Counter(
        signals or [e.service for e in events if e.service and e.kind is EventKind.LOG]
    )
    return [name for name, _ in counts.most_common(3)]
