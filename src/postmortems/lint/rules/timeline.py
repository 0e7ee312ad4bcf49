"""PM2xx timeline: in order, every entry timed, the lifecycle covered, no silent gaps;
and the alx rubric's points about what a timeline tells."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterator

from postmortems.lint.context import LintContext
from postmortems.lint.finding import Edit, Fix, Hit, Level
from postmortems.lint.registry import rule
from postmortems.lint.rules._text import LIST_ITEM, sentences
from postmortems.lint.timeparse import clock_minutes, humanise
from postmortems.markdown.phases import infer_phases
from postmortems.model import LIFECYCLE_FIELD_BY_PHASE, Phase, Section, SectionKind, TimelineEvent

_REQUIRED_PHASES = (
    (Phase.START, "the start of impact"),
    (Phase.DETECT, "detection"),
    (Phase.MITIGATE, "mitigation"),
    (Phase.RESOLVE, "resolution"),
)
_TWELVE_HOUR = re.compile(r"\b(\d{1,2})(?::(\d{2}))?(:\d{2})?\s?([ap])\.?m\.?(?![\w])", re.I)
_TWENTY_FOUR_HOUR = re.compile(r"\b\d{1,2}:\d{2}\b")


def _timelines(ctx: LintContext) -> list[Section]:
    return [s for s in ctx.sections(SectionKind.TIMELINE) if s.events]


def _timeline_heading(ctx: LintContext) -> tuple[int, int]:
    sections = ctx.sections(SectionKind.TIMELINE)
    return ctx.heading_position(sections[0]) if sections else (1, 1)


@rule("PM201", "timeline-out-of-order", Level.WARNING, fixable=True)
def timeline_out_of_order(ctx: LintContext) -> Iterator[Hit]:
    """Timeline entries are not in chronological order.

    ## What it does
    Flags an entry whose time is earlier than an entry above it. `pm lint --fix` sorts
    the entries when each is one line and all have a time.

    ## Why is this bad?
    Readers rebuild the story from the order of the entries; out-of-order entries hide
    how long each step took.

    ## Example
    ```markdown
    - 10:15 UTC: rolled back the change
    - 10:05 UTC: error rate alert fired
    ```

    ## Use instead
    ```markdown
    - 10:05 UTC: error rate alert fired
    - 10:15 UTC: rolled back the change
    ```
    """
    for section in _timelines(ctx):
        latest: TimelineEvent | None = None
        fix = _sort_fix(ctx, section)
        for event in section.events:
            if event.at is None and event.elapsed_s is None:
                continue
            if latest is not None and _earlier(event, latest):
                yield Hit(
                    event.line or ctx.body_start(section),
                    1,
                    f"entry at {event.time_as_written or event.at:} comes after one at "
                    f"{latest.time_as_written or latest.at}; put the entries in time order",
                    suggestion=fix.description if fix else None,
                    fix=fix,
                )
                fix = None  # one fix sorts the whole timeline
            else:
                latest = event


def _earlier(event: TimelineEvent, than: TimelineEvent) -> bool:
    """By datetime, or by place on the document's clock when the date is unknown."""
    if event.at is not None and than.at is not None:
        return event.at < than.at
    if event.elapsed_s is not None and than.elapsed_s is not None:
        return event.elapsed_s < than.elapsed_s
    return False


def _sort_fix(ctx: LintContext, section: Section) -> Fix | None:
    """Sorting is safe only when every entry is exactly one line, all timed, adjacent."""
    events = section.events
    lines = [e.line for e in events]
    if any(e.at is None for e in events) or any(line is None for line in lines):
        return None
    first = lines[0] or 0
    if [line or 0 for line in lines] != list(range(first, first + len(lines))):
        return None
    texts = [ctx.line_text(line or 0) for line in lines]
    if any(t.lstrip().startswith("#") for t in texts):
        return None
    ordered = [t for _, t in sorted(zip(events, texts, strict=True), key=_event_time)]
    start = ctx.offset_of(first)
    end = start + len("\n".join(texts))
    return Fix("--fix sorts the timeline", (Edit(start, end, "\n".join(ordered)),))


def _event_time(pair: tuple[TimelineEvent, str]) -> dt.datetime:
    return pair[0].at or dt.datetime.min.replace(tzinfo=dt.UTC)


@rule("PM202", "timeline-entry-without-time", Level.WARNING)
def timeline_entry_without_time(ctx: LintContext) -> Iterator[Hit]:
    """A timeline entry has no time that can be read.

    ## What it does
    Flags entries whose time is missing or not understood ("later", "around lunch").
    A timeline where no entry has a time is one finding, not one per entry; an entry
    with a date and no time of day ("2021-12-10: the vulnerability is published") is a
    day-level event, not a missing time.

    ## Why is this bad?
    Durations (time to detect, to mitigate) cannot be computed from untimed entries.

    ## Example
    ```markdown
    - Later: the on-call engineer restarted the pods
    ```

    ## Use instead
    ```markdown
    - 10:42 UTC: the on-call engineer restarted the pods
    ```
    """
    for section in _timelines(ctx):
        if all(_untimed(event) for event in section.events):
            count = len(section.events)
            yield Hit(
                *ctx.heading_position(section),
                f"none of the timeline's {count} entr{'y has' if count == 1 else 'ies have'} "
                "a time; start each with e.g. '10:42 UTC' so durations can be computed",
            )
            continue
        for event in section.events:
            # A time of day without a date is a readable time: it has its place on the clock.
            if _untimed(event):
                shown = event.text if len(event.text) <= 50 else event.text[:47] + "…"
                yield Hit(
                    event.line or ctx.body_start(section),
                    1,
                    f"timeline entry '{shown}' has no readable time; start it with e.g. "
                    "'10:42 UTC'",
                )


_DATE_ONLY = re.compile(
    r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|"
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b|"
    r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)",
    re.IGNORECASE,
)


def _untimed(event: TimelineEvent) -> bool:
    """No time of day and no date: a date alone is a day-level event, placed as written."""
    dated = bool(event.time_as_written and _DATE_ONLY.search(event.time_as_written))
    return event.at is None and event.elapsed_s is None and not dated


@rule("PM203", "timeline-missing-phase", Level.WARNING)
def timeline_missing_phase(ctx: LintContext) -> Iterator[Hit]:
    """The timeline does not cover the start of impact, detection, mitigation and resolution.

    ## What it does
    Checks that some entry marks each phase, either tagged (`[detect]`) or worded so the
    phase can be recognised ("alert fired", "service restored", "incident resolved"). A
    resolution entry also counts as mitigation, and a last entry saying service was
    restored counts as resolution.

    ## Why is this bad?
    Without these four moments nobody can say how long users were affected or how long
    the team took to notice.

    ## Example
    ```markdown
    - 10:05 UTC: error rate alert fired
    - 10:15 UTC: rolled back the change
    ```

    ## Use instead
    ```markdown
    - 10:02 UTC: [start] errors begin after the deploy
    - 10:05 UTC: [detect] error rate alert fired
    - 10:15 UTC: [mitigate] rolled back the change; errors stop
    - 10:40 UTC: [resolve] fix verified, incident closed
    ```
    """
    events = [e for s in _timelines(ctx) for e in s.events]
    if not events:
        return
    phases = {e.phase for e in events if e.phase is not None}
    # Entries without a time still say what happened: read their wording too.
    inferred = infer_phases([e.text for e in events], [e.phase for e in events])
    phases.update(inferred)
    # One entry can mark several moments ("first signs detected" starts and detects).
    times = {e.at for e in events if e.at is not None}
    for phase, field in LIFECYCLE_FIELD_BY_PHASE.items():
        if getattr(ctx.pm.lifecycle, field) in times:
            phases.add(phase)
    if Phase.RESOLVE in phases:
        phases.add(Phase.MITIGATE)
    # Service restored in the last entry, nothing after it: that was the end.
    last = events[-1]
    if last.phase is Phase.MITIGATE or inferred.get(Phase.MITIGATE) == len(events) - 1:
        phases.add(Phase.RESOLVE)
    for phase, words in _REQUIRED_PHASES:
        if phase not in phases:
            yield Hit(
                *_timeline_heading(ctx),
                f"the timeline has no entry for {words}; add one (tag it [{phase.value}] "
                "if its wording does not make that clear)",
            )


@rule("PM204", "timeline-gap", Level.INFO)
def timeline_gap(ctx: LintContext) -> Iterator[Hit]:
    """A long stretch of the impact window has no timeline entry.

    ## What it does
    Between the start and the end of impact, flags gaps between consecutive entries
    longer than `timeline-gap-minutes` (default 60).

    ## Why is this bad?
    A silent hour while users were affected is either missing from the story or a delay
    worth discussing.

    ## Example
    ```markdown
    - 10:05 UTC: alert fired
    - 12:40 UTC: rolled back
    ```

    ## Use instead
    ```markdown
    - 10:05 UTC: alert fired
    - 10:20 UTC: database ruled out; paged the payments team
    - 11:30 UTC: deploy identified as the trigger
    - 12:40 UTC: rolled back
    ```
    """
    life = ctx.pm.lifecycle
    start, end = life.started_at, life.mitigated_at or life.resolved_at
    if start is None or end is None:
        return
    limit = dt.timedelta(minutes=ctx.thresholds.timeline_gap_minutes)
    timed = sorted(
        (e for s in _timelines(ctx) for e in s.events if e.at is not None),
        key=lambda e: e.at or start,
    )
    inside = [e for e in timed if e.at is not None and start <= e.at <= end]
    for before, after in itertools.pairwise(inside):
        if before.at is None or after.at is None:
            continue
        gap = after.at - before.at
        if gap > limit:
            yield Hit(
                after.line or 1,
                1,
                f"no timeline entry for {humanise(gap.total_seconds() / 60)} while users "
                "were affected; say what happened in between",
            )


@rule("PM205", "timeline-mixed-time-formats", Level.INFO, fixable=True)
def timeline_mixed_time_formats(ctx: LintContext) -> Iterator[Hit]:
    """The timeline mixes 12-hour and 24-hour times.

    ## What it does
    Flags 12-hour times ("2:05 PM") in a timeline that also uses 24-hour times.
    `pm lint --fix` rewrites them as 24-hour times, leaving everything else as written.

    ## Why is this bad?
    Mixed formats are easy to misread ("12:30" after "11:45 PM").

    ## Example
    ```markdown
    - 11:50: deploy started
    - 2:05 PM: rollback finished
    ```

    ## Use instead
    ```markdown
    - 11:50: deploy started
    - 14:05: rollback finished
    ```
    """
    for section in _timelines(ctx):
        twelve = []
        has_24 = False
        for event in section.events:
            written = event.time_as_written or ""
            if _TWELVE_HOUR.search(written):
                twelve.append(event)
            elif _TWENTY_FOUR_HOUR.search(written):
                has_24 = True
        if not (twelve and has_24):
            continue
        for event in twelve:
            fix = _to_24_hour(ctx, event)
            yield Hit(
                event.line or 1,
                1,
                f"'{event.time_as_written}' is a 12-hour time in a 24-hour timeline",
                suggestion=fix.description if fix else None,
                fix=fix,
            )


def _to_24_hour(ctx: LintContext, event: TimelineEvent) -> Fix | None:
    if event.line is None or not event.time_as_written:
        return None
    text = ctx.line_text(event.line)
    where = text.find(event.time_as_written)
    if where < 0:
        return None
    match = _TWELVE_HOUR.search(event.time_as_written)
    if match is None:
        return None
    minutes = clock_minutes(match.group(0))
    if minutes is None:
        return None
    seconds = match.group(3) or ""
    new = f"{minutes // 60:02d}:{minutes % 60:02d}{seconds}"
    start = ctx.offset_of(event.line) + where + match.start()
    edit = Edit(start, start + len(match.group(0)), new)
    return Fix(f"--fix writes {new}", (edit,))


def _timeline_prose(ctx: LintContext) -> str:
    return "\n".join(ctx.masked(s) for s in ctx.sections(SectionKind.TIMELINE))


def _rubric(ctx: LintContext, pattern: re.Pattern[str], message: str) -> Iterator[Hit]:
    if not _timelines(ctx):
        return
    if not pattern.search(_timeline_prose(ctx)):
        yield Hit(*_timeline_heading(ctx), message)


_ASSUMPTION = re.compile(
    r"\b(?:assum\w*|suspect\w*|thought|believ\w*|hypothes\w*|guess\w*|suspicion|theory|"
    r"first\s+idea|seemed|appeared\s+to|expected)\b",
    re.I,
)
_MISLEADING = re.compile(
    r"\b(?:mislead\w*|misled|red\s+herring|dead\s+end|ruled\s+out|turned\s+out|not\s+the\s+cause|"
    r"wrong\s+(?:path|lead|track|direction)|false\s+(?:lead|alarm|trail)|unrelated|"
    r"did\s+not\s+help|didn['’]t\s+help|no\s+effect|did\s+not\s+fix|didn['’]t\s+fix|"
    r"was\s+fine|were\s+fine|looked\s+healthy|was\s+healthy)\b",
    re.I,
)
_ESCALATION = re.compile(
    r"\b(?:escalat\w*|paged|handed\s+(?:over|off)|called\s+in|looped\s+in|brought\s+in|"
    r"pulled\s+in|notified|raised\s+to|reached\s+out|contacted)\b",
    re.I,
)
_DETECTION_HOW = re.compile(
    r"\b(?:alert\w*|alarm\w*|monitor\w*|pag(?:e|ed|er)|report\w*|notic\w*|dashboard\w*|"
    r"customer\w*|users?|complain\w*|graphs?|logs?|check\w*|probe\w*|ticket\w*|tweet\w*|"
    r"saw|spotted|found|observed|detected\s+by)\b",
    re.I,
)


@rule("PM211", "timeline-without-assumptions", Level.WARNING, profiles={"alx"})
def timeline_without_assumptions(ctx: LintContext) -> Iterator[Hit]:
    """The timeline does not say what the responders assumed (alx rubric).

    ## What it does
    Looks for the hypotheses the team worked from ("assumed", "suspected", "thought").

    ## Why is this bad?
    Assumptions explain why the response took the path it did.

    ## Example
    ```markdown
    - 10:10 UTC: checked the web servers
    ```

    ## Use instead
    ```markdown
    - 10:10 UTC: assuming a bad deploy, checked the web servers first
    ```
    """
    yield from _rubric(
        ctx, _ASSUMPTION, "the timeline does not say what the responders assumed or suspected"
    )


@rule("PM212", "timeline-without-misleading-paths", Level.WARNING, profiles={"alx"})
def timeline_without_misleading_paths(ctx: LintContext) -> Iterator[Hit]:
    """The timeline does not mention investigation paths that led nowhere (alx rubric).

    ## What it does
    Looks for leads that were followed and ruled out ("ruled out", "turned out", "red
    herring", "did not help").

    ## Why is this bad?
    Misleading paths show where tooling or documentation sent people the wrong way.

    ## Example
    ```markdown
    - 10:20 UTC: found the bad config and rolled it back
    ```

    ## Use instead
    ```markdown
    - 10:12 UTC: restarted the web servers; it did not help, the database was fine
    - 10:20 UTC: found the bad config and rolled it back
    ```
    """
    yield from _rubric(
        ctx, _MISLEADING, "the timeline does not mention misleading paths that were ruled out"
    )


@rule("PM213", "timeline-without-escalation", Level.WARNING, profiles={"alx"})
def timeline_without_escalation(ctx: LintContext) -> Iterator[Hit]:
    """The timeline does not say to whom the incident was escalated (alx rubric).

    ## What it does
    Looks for escalation ("escalated to", "paged", "brought in").

    ## Why is this bad?
    Who was involved, and when, shows whether the right people were reached in time.

    ## Example
    ```markdown
    - 10:15 UTC: found the bad config
    ```

    ## Use instead
    ```markdown
    - 10:14 UTC: escalated to the database team
    - 10:15 UTC: the database team found the bad config
    ```
    """
    yield from _rubric(
        ctx, _ESCALATION, "the timeline does not say to whom the incident was escalated"
    )


@rule("PM214", "timeline-entry-too-long", Level.WARNING, profiles={"alx"})
def timeline_entry_too_long(ctx: LintContext) -> Iterator[Hit]:
    """A timeline entry is longer than the rubric's one or two sentences (alx rubric).

    ## What it does
    Flags entries with more sentences than `timeline-entry-max-sentences`.

    ## Why is this bad?
    A timeline is scanned, not read; long entries belong in the analysis sections.

    ## Example
    ```markdown
    - 10:05 UTC: The alert fired. We looked at it. Then we looked at the logs. …
    ```

    ## Use instead
    ```markdown
    - 10:05 UTC: The error-rate alert paged the on-call engineer.
    ```
    """
    limit = ctx.thresholds.timeline_entry_max_sentences
    if not limit:
        return
    for section in _timelines(ctx):
        for event in section.events:
            count = len(sentences(event.text))
            if count > limit:
                yield Hit(
                    event.line or 1,
                    1,
                    f"timeline entry has {count} sentences; keep it to {limit} and move "
                    "detail to the analysis",
                )


@rule("PM215", "timeline-not-bulleted", Level.WARNING, profiles={"alx"})
def timeline_not_bulleted(ctx: LintContext) -> Iterator[Hit]:
    """The timeline is not a bulleted list (alx rubric).

    ## What it does
    Checks that timeline entries are list items of the form "time - what happened".

    ## Why is this bad?
    The rubric asks for a bulleted timeline, which is also the easiest to scan.

    ## Example
    ```markdown
    At 10:05 the alert fired. At 10:15 we rolled back.
    ```

    ## Use instead
    ```markdown
    - 10:05 UTC - The error-rate alert fired.
    - 10:15 UTC - The deploy was rolled back.
    ```
    """
    for section in _timelines(ctx):
        lines = [ctx.line_text(e.line) for e in section.events if e.line is not None]
        if lines and not all(LIST_ITEM.match(line) for line in lines):
            yield Hit(
                *ctx.heading_position(section),
                "write the timeline as a bulleted list: '- HH:MM UTC - what happened'",
            )


@rule("PM216", "timeline-detection-unexplained", Level.WARNING, profiles={"alx"})
def timeline_detection_unexplained(ctx: LintContext) -> Iterator[Hit]:
    """The timeline says when the issue was detected but not how (alx rubric).

    ## What it does
    Checks that the detection entry names how it was noticed: an alert, monitoring, a
    customer report, a dashboard.

    ## Why is this bad?
    How an incident is detected is the first thing to improve for next time.

    ## Example
    ```markdown
    - 10:05 UTC: the issue was detected
    ```

    ## Use instead
    ```markdown
    - 10:05 UTC: the error-rate alert paged the on-call engineer
    ```
    """
    for section in _timelines(ctx):
        for event in section.events:
            if event.phase is Phase.DETECT and not _DETECTION_HOW.search(event.text):
                yield Hit(
                    event.line or 1,
                    1,
                    "the detection entry does not say how the issue was noticed "
                    "(alert, monitoring, customer report…)",
                )
                return
