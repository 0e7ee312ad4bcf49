"""PM3xx consistency: what the prose says about time and severity agrees with the timeline."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise

from postmortems import times
from postmortems.lint.context import LintContext
from postmortems.lint.finding import Hit, Level
from postmortems.lint.lifecycle import lifecycle_minutes
from postmortems.lint.registry import rule
from postmortems.lint.rules._text import SEVERE_WORDS, severity_rank
from postmortems.lint.timeparse import (
    RANGE,
    ProseDuration,
    clock_difference,
    clock_minutes,
    find_durations,
    humanise,
    minutes_of_day,
)
from postmortems.model import (
    LIFECYCLE_FIELD_BY_PHASE,
    Phase,
    Section,
    SectionKind,
    TimelineEvent,
)

# Where durations and times in prose are claims about the incident as a whole.
_CLAIM_SECTIONS = (SectionKind.SUMMARY, SectionKind.IMPACT, SectionKind.STATS)

# What a duration is about, from the words around it: the first class that matches wins.
_CLASSES: tuple[tuple[re.Pattern[str], tuple[str, ...], str], ...] = (
    (re.compile(r"\b(?:time\s+to\s+detect\w*|TTD|detection)\b", re.I), ("ttd",), "detection"),
    (
        re.compile(r"\b(?:time\s+to\s+acknowledge?\w*|TTA|acknowledg\w*)\b", re.I),
        ("tta",),
        "acknowledgement",
    ),
    (
        re.compile(r"\b(?:time\s+to\s+(?:mitigat|recover|restor)\w*|TTM|mitigat\w*)\b", re.I),
        ("ttm", "impact_duration", "ttr"),  # "time to recover" means either, by team
        "mitigation",
    ),
    (re.compile(r"\b(?:time\s+to\s+resol\w*|TTR|resol\w*)\b", re.I), ("ttr",), "resolution"),
    (
        re.compile(
            r"\b(?:outages?|downtime|down|unavailab\w*|impact\w*|degrad\w*|disrupt\w*|"
            r"interrupt\w*|offline|errors?|affected|broken|inaccessible|unreachable|"
            r"fail(?:ed|ing|ures?)|timed\s+out|timing\s+out|5xx|5\d\d)\b",
            re.I,
        ),
        ("impact_duration",),
        "impact",
    ),
    (
        re.compile(r"\b(?:lasted|lasting|duration|incident)\b", re.I),
        ("impact_duration", "ttr"),
        "incident",
    ),
)
# Durations that are not about the incident's length.
_NOT_A_CLAIM_BEFORE = re.compile(
    r"(?:\b(?:every|per|each|within|after|before|another|further|additional|extra|"
    r"timeout\s+(?:of|is|was)?|ttl\s+(?:of)?|"
    r"interval\s+(?:of)?|retention\s+(?:of)?|last|past|next|first|only|expected|target)"
    r"|\b(?:sla|slo)\b[^.\n]{0,20})\s*(?:about|around|roughly|approximately|~)?\s*$",
    re.I,
)
_NOT_A_CLAIM_AFTER = re.compile(
    r"^\s*(?:later|ago|before|after|earlier|more|longer|window|timeout|ttl|interval|of\s+(?:data|logs|"
    r"history|retention)|worth|old|delay(?:ed)?\s+between|into|in\b)",
    re.I,
)
_AT_LEAST = re.compile(r"(?:\bover|\bmore\s+than|\bat\s+least|>)\s*$", re.I)
_AT_MOST = re.compile(r"(?:\bunder|\bless\s+than|\bup\s+to|\bat\s+most|\bwithin|<)\s*$", re.I)
_HEDGED = re.compile(
    r"(?:\babout|\baround|\broughly|\bapproximately|\bnearly|\balmost|~|≈)\s*$", re.I
)
_CLAUSE_BREAK = re.compile(r"(?<=[.;!?])\s+|\n")


@dataclass(frozen=True)
class _Moment:
    at: dt.datetime
    event: TimelineEvent | None


def _phase_moment(ctx: LintContext, phase: Phase) -> _Moment | None:
    value = getattr(ctx.pm.lifecycle, LIFECYCLE_FIELD_BY_PHASE[phase])
    if value is None:
        return None
    event = next((e for e in ctx.pm.timeline if e.at == value), None)
    return _Moment(value, event)


def _describe(ctx: LintContext, moment: _Moment, what: str) -> str:
    local = moment.at.astimezone(ctx.display_zone)
    clock = f"{local:%H:%M} {local.tzname() or ''}".strip()
    if moment.event is not None:
        text = moment.event.text.strip().rstrip(".")
        if len(text) > 70:
            text = text[:70].rsplit(" ", 1)[0] + "…"
        return f"{what} at {clock} (“{text}”)"
    return f"{what} at {clock}"


def _clause(text: str, start: int, end: int) -> tuple[str, str, str]:
    """Text before, the whole clause around, and text after a span, within its clause."""
    breaks = [m.end() for m in _CLAUSE_BREAK.finditer(text, 0, start)]
    left = breaks[-1] if breaks else 0
    after = _CLAUSE_BREAK.search(text, end)
    right = after.start() if after else len(text)
    return text[left:start], text[left:right], text[end:right]


def _duration_claims(
    ctx: LintContext,
) -> Iterator[tuple[Section, ProseDuration, str, tuple[tuple[str, ...], str]]]:
    """Durations stated as a lifecycle figure in the summary, impact and stats sections.

    Yields the section, the duration, the clause's text before it, and what it measures
    (the metrics it can stand for and the words that name it).
    """
    for kind in _CLAIM_SECTIONS:
        for section in ctx.sections(kind):
            masked = ctx.masked(section)
            for found in find_durations(masked):
                if found.minutes < 1:
                    continue
                before, clause, after = _clause(masked, found.start, found.end)
                if _NOT_A_CLAIM_BEFORE.search(before) or _NOT_A_CLAIM_AFTER.search(after):
                    continue
                label = next(((m, w) for p, m, w in _CLASSES if p.search(clause)), None)
                if label is not None:
                    yield section, found, before, label


def _tolerance(ctx: LintContext, actual: float, hedged: bool) -> float:
    t = ctx.thresholds
    tolerance = max(t.duration_tolerance_minutes, actual * t.duration_tolerance_percent / 100)
    return tolerance * (2 if hedged else 1)


def _impact_end(ctx: LintContext) -> Phase:
    """Where impact ends, as `metrics.impact_duration` counts it: at the end of impact when
    the document marks one ("OUTAGE ENDS"), else at mitigation."""
    return Phase.END if ctx.pm.lifecycle.ended_at is not None else Phase.MITIGATE


def _explain(ctx: LintContext, metric: str, actual: float) -> str:
    ends = {
        "ttd": (Phase.START, Phase.DETECT, "it was detected", "impact started"),
        "tta": (Phase.DETECT, Phase.ACKNOWLEDGE, "it was acknowledged", "it was detected"),
        "ttm": (Phase.START, Phase.MITIGATE, "it was mitigated", "it started"),
        "impact_duration": (Phase.START, _impact_end(ctx), "impact ended", "it started"),
        "ttr": (Phase.START, Phase.RESOLVE, "it was resolved", "impact started"),
    }
    first, last, last_words, first_words = ends[metric]
    start, end = _phase_moment(ctx, first), _phase_moment(ctx, last)
    if start is None or end is None:
        return f"the timeline gives {humanise(actual)}"
    return (
        f"in the timeline {_describe(ctx, end, last_words)}, {humanise(actual)} after "
        f"{_describe(ctx, start, first_words)}"
    )


@rule("PM301", "duration-contradicts-timeline", Level.ERROR)
def duration_contradicts_timeline(ctx: LintContext) -> Iterator[Hit]:
    """A duration written in the summary, impact or stats disagrees with the timeline.

    ## What it does
    Reads durations such as "1.5 hours of outage", "for 45 minutes", "time to detection:
    8 minutes" and compares each with the lifecycle the timeline gives: impact duration
    (ended − started, or mitigated − started when no end of impact is marked), TTD, TTA,
    TTM or TTR, chosen by the words around it. A
    difference beyond `duration-tolerance-minutes` (5) or `duration-tolerance-percent`
    (10%) is reported; "about" doubles the tolerance, "over"/"under" make it one-sided.
    When the start of impact was inferred rather than tagged, a duration counted from an
    earlier entry (the change that set it off) agrees too.

    ## Why is this bad?
    When the prose and the timeline disagree, readers cannot know which one is right, and
    reliability figures built from postmortems are wrong.

    ## Example
    ```markdown
    ## Impact
    - 1.5 hours of complete service outage.
    ## Timeline
    - 10:00 UTC: [start] errors begin
    - 10:30 UTC: [mitigate] service fully restored
    ```

    ## Use instead
    ```markdown
    ## Impact
    - 30 minutes of complete service outage, and 1 hour more of inconsistent reads.
    ```
    """
    minutes = lifecycle_minutes(ctx.pm)
    substituted = _start_is_substituted(ctx)
    if substituted:
        # The parser let detection stand for the start: TTD is unknown, and durations
        # from the start are only lower bounds.
        minutes.pop("ttd", None)
    if not minutes:
        return
    for section, found, before, (metrics, words) in _duration_claims(ctx):
        known = [(m, minutes[m]) for m in metrics if m in minutes]
        if not known:
            continue
        hedged = bool(_HEDGED.search(before))
        # A "time to recover" counts from a start we may not know; the outage's own
        # length in prose is compared as stated.
        lower_bound = substituted and words in ("mitigation", "resolution", "incident")
        if any(
            _agrees(ctx, found.minutes, actual, before, hedged, lower_bound) for _, actual in known
        ):
            continue
        if any(
            _agrees(ctx, found.minutes, actual, before, hedged)
            for actual in _from_earlier_entries(ctx, [m for m, _ in known])
        ):
            continue
        metric, actual = known[0]
        yield Hit(
            *ctx.locate(section, found.start),
            f"'{found.text}' of {words} contradicts the timeline: "
            f"{_explain(ctx, metric, actual)}; correct the text or the timeline",
        )


def _from_earlier_entries(ctx: LintContext, metrics: list[str]) -> list[float]:
    """The same durations counted from each entry the start could be at, when the start
    was inferred.

    Teams count "time to recovery" from the change that set the incident off as often as
    from the first symptom, or from the moment it got worse; when nobody tagged the start,
    every entry up to the one saying it was noticed (up to the end, when none does) is a
    fair start.
    """
    life = ctx.pm.lifecycle
    if life.started_at is None or Phase.START not in ctx.pm.lifecycle_inferred:
        return []
    ends = {
        "ttd": life.detected_at,
        "tta": None,
        "ttm": life.mitigated_at,
        "impact_duration": life.ended_at or life.mitigated_at,
        "ttr": life.resolved_at,
    }
    noticed = life.detected_at or life.acknowledged_at
    found = []
    for metric in metrics:
        end = ends.get(metric)
        if end is None:
            continue
        limit = min(noticed, end) if noticed is not None else end
        found += [
            (end - e.at).total_seconds() / 60
            for e in ctx.pm.timeline
            if e.at is not None and e.at <= limit and e.at < end
        ]
    return found


def _start_is_substituted(ctx: LintContext) -> bool:
    """Whether the start of impact may only be the detection time standing in for it."""
    life = ctx.pm.lifecycle
    if life.started_at is None or "started_at" in ctx.pm.field_lines:
        return False
    return Phase.START in ctx.pm.lifecycle_inferred and life.started_at == life.detected_at


def _agrees(
    ctx: LintContext,
    stated: float,
    actual: float,
    before: str,
    hedged: bool,
    lower_bound: bool = False,
) -> bool:
    tolerance = _tolerance(ctx, actual, hedged)
    if lower_bound or _AT_LEAST.search(before):
        return actual >= stated - tolerance
    if _AT_MOST.search(before):
        return actual <= stated + tolerance
    return abs(stated - actual) <= tolerance


@rule("PM305", "stated-duration-matches-no-entries", Level.WARNING)
def stated_duration_matches_no_entries(ctx: LintContext) -> Iterator[Hit]:
    """A stated time to detect, time to recover or duration spans no two timeline entries.

    ## What it does
    Where the timeline does not mark the moments a metric counts between (so
    `duration-contradicts-timeline` cannot compare), reads the durations the summary,
    impact and stats give for the incident ("Time to detection: 25 minutes", "Time to
    recovery: 4 hours") and checks that some two timed entries are that far apart,
    within `duration-tolerance-minutes` or `duration-tolerance-percent`.

    ## Why is this bad?
    A figure no two moments of the timeline support was computed from something else,
    or mistyped; metrics collected across postmortems inherit the error.

    ## Example
    ```markdown
    ## Timeline
    - 02:10 UTC: the export waits on the table lock
    - 03:35 UTC: the export completes
    ## Stats
    - Time to recovery: 4 hours
    ```

    ## Use instead
    ```markdown
    ## Stats
    - Time to recovery: 1 hour 25 minutes
    ```
    """
    timed = [e for e in ctx.pm.timeline if e.at is not None or e.elapsed_s is not None]
    if all(e.at is not None for e in timed):
        moments = sorted({e.at.timestamp() / 60 for e in timed if e.at is not None})
    else:  # a dateless timeline: its own clock
        moments = sorted({e.elapsed_s / 60 for e in timed if e.elapsed_s is not None})
    if len(moments) < 2:
        return
    minutes = lifecycle_minutes(ctx.pm)
    for section, found, before, label in _duration_claims(ctx):
        if any(m in minutes for m in label[0]):
            continue  # PM301 compares it
        hedged = bool(_HEDGED.search(before))
        if _some_span_agrees(ctx, moments, found.minutes, before, hedged):
            continue
        yield Hit(
            *ctx.locate(section, found.start),
            f"'{found.text}' of {label[1]} matches no two entries of the timeline, "
            f"which spans {humanise(moments[-1] - moments[0])} in all; correct the "
            "figure or add the entries it counts between",
        )


def _some_span_agrees(
    ctx: LintContext, moments: list[float], stated: float, before: str, hedged: bool
) -> bool:
    """Whether two of the sorted ``moments`` lie ``stated`` minutes apart, as `_agrees`
    judges, without listing every pair (a timeline of 20,000 rows has 200 million).

    A span's tolerance grows more slowly than the span, so both ends of the range of
    stated durations a span agrees with grow with the span: the longest span is the one to
    try for "at least", the shortest for "at most", and otherwise, from each moment, the
    first later one whose span reaches the stated duration within its tolerance."""
    if ctx.thresholds.duration_tolerance_percent * (2 if hedged else 1) >= 100:
        return any(  # a tolerance as large as the span itself: no order to use
            _agrees(ctx, stated, b - a, before, hedged)
            for i, a in enumerate(moments)
            for b in moments[i + 1 :]
        )
    if _AT_LEAST.search(before):
        return _agrees(ctx, stated, moments[-1] - moments[0], before, hedged)
    if _AT_MOST.search(before):
        shortest = min(b - a for a, b in pairwise(moments))
        return _agrees(ctx, stated, shortest, before, hedged)
    for index, start in enumerate(moments[:-1]):
        low, high = index + 1, len(moments)
        while low < high:
            middle = (low + high) // 2
            span = moments[middle] - start
            if span + _tolerance(ctx, span, hedged) >= stated:
                high = middle
            else:
                low = middle + 1
        if low < len(moments) and _agrees(ctx, stated, moments[low] - start, before, hedged):
            return True
    return False


@rule("PM306", "impact-starts-after-detection", Level.WARNING)
def impact_starts_after_detection(ctx: LintContext) -> Iterator[Hit]:
    """The start of impact is placed after the incident was detected.

    ## What it does
    Compares the start of impact with the detection, as tagged in the timeline or given
    in the front matter. A start later than detection gives a negative time to detect.

    ## Why is this bad?
    Either a time is wrong, or something was noticed before users were affected, and the
    entry where users were first affected is missing or mis-tagged: every duration from
    the start is then wrong.

    ## Example
    ```markdown
    - 09:10 UTC: [detected] queue depth alert fires
    - 09:25 UTC: [started] emails start arriving late
    ```

    ## Use instead
    ```markdown
    - 09:05 UTC: [started] the sender stops draining the queue
    - 09:10 UTC: [detected] queue depth alert fires
    - 09:25 UTC: emails start arriving more than 15 minutes late
    ```
    """
    start = _phase_moment(ctx, Phase.START)
    detected = _phase_moment(ctx, Phase.DETECT)
    if start is None or detected is None or start.at <= detected.at:
        return
    event = start.event
    line = (event.line if event is not None else None) or ctx.field_position("started_at")[0]
    yield Hit(
        line,
        1,
        f"{_describe(ctx, start, 'impact starts')}, after {_describe(ctx, detected, 'detection')}; "
        "correct the time, or tag the entry where users were first affected [started]",
    )


@rule("PM302", "time-range-contradicts-timeline", Level.ERROR)
def time_range_contradicts_timeline(ctx: LintContext) -> Iterator[Hit]:
    """A time range in the summary or impact disagrees with the timeline.

    ## What it does
    Reads ranges such as "from 10:00 to 11:30 UTC" or "between 9:50 and 10:30" and
    compares their start with the start of impact and their end with its end (or with
    the resolution, unless the sentence is about the outage itself).

    ## Why is this bad?
    A summary that says the outage ran until 11:30 while the timeline says service was
    restored at 10:30 overstates (or understates) the impact.

    ## Example
    ```markdown
    From 10:00 to 11:30 UTC the site was down.
    ## Timeline
    - 10:30 UTC: [mitigate] service fully restored
    ```

    ## Use instead
    ```markdown
    From 10:00 to 10:30 UTC the site was down; data was repaired by 11:30 UTC.
    ```
    """
    start = _phase_moment(ctx, Phase.START)
    if start is None:
        return
    mitigated = _phase_moment(ctx, Phase.MITIGATE)
    # Impact ends where the metric ends it; a range ending at mitigation agrees too.
    impact_ended = _phase_moment(ctx, Phase.END) or mitigated
    resolved = _phase_moment(ctx, Phase.RESOLVE)
    tolerance = ctx.thresholds.duration_tolerance_minutes
    for kind in (SectionKind.SUMMARY, SectionKind.IMPACT):
        for section in ctx.sections(kind):
            masked = ctx.masked(section)
            for match in RANGE.finditer(masked):
                written = match.group("za") or match.group("zb")
                zone = (times.tz_from_name(written) if written else None) or ctx.display_zone
                a, b = clock_minutes(match.group("a")), clock_minutes(match.group("b"))
                if (
                    a is None
                    or b is None
                    or (match.group("lead") is None and not _looks_like_range(match.group(0)))
                ):
                    continue
                _, clause, _ = _clause(masked, match.start(), match.end())
                about_outage = _CLASSES[4][0].search(clause) is not None
                ends = (
                    [m for m in (impact_ended, mitigated) if m]
                    if about_outage
                    else [m for m in (impact_ended, mitigated, resolved) if m]
                )
                if not ends and resolved is not None:
                    ends = [resolved]
                problems = []
                if not _start_is_substituted(ctx) and (
                    clock_difference(a, minutes_of_day(start.at, zone)) > tolerance
                ):
                    problems.append(_describe(ctx, start, "impact started"))
                if ends and all(
                    clock_difference(b, minutes_of_day(e.at, zone)) > tolerance for e in ends
                ):
                    problems.append(
                        _describe(
                            ctx,
                            ends[0],
                            "impact ended" if ends[0] is not resolved else "it was resolved",
                        )
                    )
                if problems:
                    yield Hit(
                        *ctx.locate(section, match.start()),
                        f"'{match.group(0).strip()}' contradicts the timeline, where "
                        f"{' and '.join(problems)}; correct the text or the timeline",
                    )


def _looks_like_range(text: str) -> bool:
    """Without 'from' or 'between', only 'HH:MM-HH:MM' with a dash is taken as a range."""
    return bool(re.search(r"\d\s*[-–—]\s*\d", text))


@rule("PM303", "front-matter-time-contradicts-timeline", Level.ERROR)
def front_matter_time_contradicts_timeline(ctx: LintContext) -> Iterator[Hit]:
    """A lifecycle time in the front matter disagrees with the timeline entry for that phase.

    ## What it does
    Compares `started_at`, `detected_at`, `acknowledged_at`, `mitigated_at` and
    `resolved_at` in the front matter with the timeline entries tagged (or worded) as
    that phase.

    ## Why is this bad?
    Metrics use the front matter; readers use the timeline. They must tell one story.

    ## Example
    ```markdown
    ---
    detected_at: 2024-08-01T10:20:00Z
    ---
    - 10:05 UTC: [detect] error-rate alert fired
    ```

    ## Use instead
    ```markdown
    ---
    detected_at: 2024-08-01T10:05:00Z
    ---
    ```
    """
    tolerance = dt.timedelta(minutes=ctx.thresholds.duration_tolerance_minutes)
    for phase, field in LIFECYCLE_FIELD_BY_PHASE.items():
        key = next(
            (k for k in (field, field.removesuffix("_at"), phase.value) if k in ctx.pm.field_lines),
            None,
        )
        value = getattr(ctx.pm.lifecycle, field)
        if key is None or value is None:
            continue
        events = [e for e in ctx.pm.timeline if e.phase is phase and e.at is not None]
        if not events or any(abs((e.at or value) - value) <= tolerance for e in events):
            continue
        event = events[0]
        shown = (event.at or value).astimezone(ctx.display_zone).strftime("%Y-%m-%d %H:%M")
        stated = value.astimezone(ctx.display_zone).strftime("%Y-%m-%d %H:%M")
        yield Hit(
            ctx.pm.field_lines[key],
            1,
            f"front matter '{key}' is {stated} but the timeline marks {phase.value} at "
            f"{shown} (line {event.line}); make them agree",
        )


@rule("PM304", "severity-understates-impact", Level.WARNING)
def severity_understates_impact(ctx: LintContext) -> Iterator[Hit]:
    """The stated severity is low but the impact reads like a severe incident.

    ## What it does
    Flags a severity of 3 or lower (SEV3, P3, "low", "minor") when the summary or impact
    says all users, every request, data loss, or a complete outage.

    ## Why is this bad?
    Severity decides review depth and follow-up priority; understating it buries lessons.

    ## Example
    ```markdown
    severity: SEV4
    …
    ## Impact
    Complete outage for all users for 30 minutes.
    ```

    ## Use instead
    ```markdown
    severity: SEV1
    ```
    """
    rank = severity_rank(ctx.pm.severity)
    if rank is None or rank <= 2:
        return
    for kind in (SectionKind.SUMMARY, SectionKind.IMPACT):
        for section in ctx.sections(kind):
            match = SEVERE_WORDS.search(ctx.masked(section))
            if match:
                yield Hit(
                    *ctx.field_position("severity"),
                    f"severity '{ctx.pm.severity}' is low, but '{section.title}' says "
                    f"'{match.group(0)}'; raise the severity or correct the impact",
                )
                return
