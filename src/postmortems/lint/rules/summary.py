"""PM11x: the summary says when it happened, for how long, and (alx rubric) what was
affected, what users saw, how many of them, and why."""

from __future__ import annotations

import re
from collections.abc import Iterator

from postmortems.lint.context import LintContext
from postmortems.lint.elsewhere import around_summary, metadata
from postmortems.lint.finding import Hit, Level
from postmortems.lint.registry import rule
from postmortems.lint.rules._text import EXPERIENCE_WORDS, USER_NOUNS
from postmortems.lint.timeparse import CLOCK, DURATION, RANGE
from postmortems.model import Section, SectionKind

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
DATE = re.compile(
    rf"\b\d{{4}}-\d{{1,2}}-\d{{1,2}}\b|\b\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}}\b"
    rf"|\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b|\b\d{{1,2}}(?:st|nd|rd|th|\.)?\s+(?:of\s+)?{_MONTH}",
    re.IGNORECASE,
)
_ZONE_WORDS = re.compile(
    r"\b(?:UTC|GMT|[A-Z]{2,4}T|local\s+time|time\s*zone|[A-Z][a-z]+/[A-Z][A-Za-z_]+)\b"
    r"|[+-]\d{2}:?\d{2}\b"
)
_END_WORDS = re.compile(
    r"\b(?:until|till|ended|ending|resolved\s+at|restored\s+at|recovered\s+at|back\s+up\s+at"
    r"|lasted|for\s+(?:about|roughly|approximately|around|nearly|over|almost)?\s*\S+\s+"
    r"(?:minutes?|hours?|days?)"
    r"|(?:a\s+few|several|a\s+couple\s+of|many|for)\s+(?:minutes|hours|days))\b",
    re.IGNORECASE,
)
_AFFECTED = re.compile(
    r"\b(?:service|services|application|app|website|site|web\s*site|api|apis|platform|"
    r"system|server|servers|database|cluster|endpoint|portal|checkout|login|"
    r"payments?|dashboard|search|feed|queue|network|storage|emails?|notifications?)\b",
    re.IGNORECASE,
)
_SHARE = re.compile(
    r"\d+(?:[.,]\d+)?\s?%|\bpercent\b|\b(?:all|every|half|most|none|no)\s+(?:of\s+(?:our|the)\s+)?"
    r"(?:users?|customers?|clients?|visitors?|requests?|traffic|accounts?)\b"
    r"|\b(?:one|\d+)\s+(?:in|out\s+of|of)\s+(?:every\s+)?\d+|\b\d[\d,]*\s+(?:users?|customers?|"
    r"clients?|visitors?|accounts?|requests?)\b",
    re.IGNORECASE,
)
_CAUSE = re.compile(
    r"\b(?:root\s+cause|caused\s+by|due\s+to|because|triggered\s+by|the\s+cause|"
    r"result(?:ed)?\s+of|owing\s+to|stemm(?:ed|ing)\s+from)\b",
    re.IGNORECASE,
)


def _summaries(ctx: LintContext) -> Iterator[tuple[Section, str]]:
    for section in ctx.sections(SectionKind.SUMMARY):
        masked = ctx.masked(section)
        if masked.strip():
            yield section, masked


def _summary_text(ctx: LintContext) -> tuple[Section, str] | None:
    """The first summary with content and the masked text of all of them."""
    found = list(_summaries(ctx))
    if not found:
        return None
    return found[0][0], "\n".join(text for _, text in found)


@rule("PM111", "summary-without-date", Level.WARNING)
def summary_without_date(ctx: LintContext) -> Iterator[Hit]:
    """The summary does not say on which date the incident happened.

    ## What it does
    Looks for a date in the summary ("2024-08-01", "August 1st", "1 Aug"), or where a
    reader sees it with the summary: the title, a `Date` line or section.

    ## Why is this bad?
    The summary is often the only part people read; "yesterday" is meaningless a week later.

    ## Example
    ```markdown
    ## Summary
    Yesterday the checkout API returned errors for 40 minutes.
    ```

    ## Use instead
    ```markdown
    ## Summary
    On 2024-08-01 the checkout API returned errors for 40 minutes.
    ```
    """
    found = _summary_text(ctx)
    if found and not DATE.search(found[1]) and not DATE.search(around_summary(ctx)):
        yield Hit(*ctx.heading_position(found[0]), "the summary does not give the date; add it")


@rule("PM112", "summary-without-start-time", Level.WARNING)
def summary_without_start_time(ctx: LintContext) -> Iterator[Hit]:
    """The summary does not say at what time the incident started.

    ## What it does
    Looks for a clock time ("10:00", "9:30 PM") in the summary, or in a `Start:` or
    `Date:` line written with it.

    ## Why is this bad?
    People matching the incident against their own graphs and reports need the time.

    ## Example
    ```markdown
    On 2024-08-01 the checkout API returned errors for 40 minutes.
    ```

    ## Use instead
    ```markdown
    On 2024-08-01 from 14:05 UTC the checkout API returned errors for 40 minutes.
    ```
    """
    found = _summary_text(ctx)
    meta = metadata(ctx)
    stated = " ".join(meta.get(k, "") for k in ("start", "started", "date", "time", "when"))
    if found and not CLOCK.search(found[1]) and not CLOCK.search(stated):
        yield Hit(
            *ctx.heading_position(found[0]),
            "the summary does not give the start time; add it with its time zone",
        )


@rule("PM113", "summary-time-without-timezone", Level.WARNING)
def summary_time_without_timezone(ctx: LintContext) -> Iterator[Hit]:
    """The summary gives a time without a time zone.

    ## What it does
    Flags a summary with clock times but no zone (UTC, CET, +02:00, Europe/Paris).

    ## Why is this bad?
    "10:00" means different moments to readers in different places.

    ## Example
    ```markdown
    From 10:00 to 10:40 the checkout API returned errors.
    ```

    ## Use instead
    ```markdown
    From 10:00 to 10:40 UTC the checkout API returned errors.
    ```
    """
    found = _summary_text(ctx)
    if not found:
        return
    section, text = found
    clock = CLOCK.search(text)
    if clock and not _ZONE_WORDS.search(text):
        yield Hit(
            *ctx.locate(section, clock.start()),
            f"the time '{clock.group(0)}' has no time zone; write it as e.g. "
            f"'{clock.group('clock')} UTC'",
        )


@rule("PM114", "summary-without-duration", Level.WARNING)
def summary_without_duration(ctx: LintContext) -> Iterator[Hit]:
    """The summary does not say how long the incident lasted.

    ## What it does
    Looks for a duration ("for 40 minutes", "for a few hours") or an end time ("from
    10:00 to 10:40") in the summary, or where a reader sees it with the summary: the
    title, `Duration:` or `Start:`/`End:` lines, a Stats section's time to recovery.
    Under the `alx` profile both the start and the end time are required in the summary.

    ## Why is this bad?
    Duration is the first measure of impact readers look for.

    ## Example
    ```markdown
    On 2024-08-01 at 14:05 UTC the checkout API returned errors.
    ```

    ## Use instead
    ```markdown
    On 2024-08-01 from 14:05 to 14:45 UTC (40 minutes) the checkout API returned errors.
    ```
    """
    found = _summary_text(ctx)
    if not found:
        return
    section, text = found
    has_range = RANGE.search(text) is not None or len(CLOCK.findall(text)) >= 2
    if ctx.profile.summary_requires_end_time:
        if not has_range:
            yield Hit(
                *ctx.heading_position(section),
                "the summary does not give both the start and the end time; write "
                "'from HH:MM to HH:MM <zone>'",
            )
        return
    if has_range or DURATION.search(text) or _END_WORDS.search(text):
        return
    around = around_summary(ctx)
    meta = metadata(ctx)
    if DURATION.search(around) or ({"start", "end"} <= meta.keys()):
        return
    if not (has_range or DURATION.search(text) or _END_WORDS.search(text)):
        yield Hit(
            *ctx.heading_position(section),
            "the summary does not say how long the incident lasted; add the duration or end time",
        )


def _rubric_point(ctx: LintContext, pattern: re.Pattern[str], message: str) -> Iterator[Hit]:
    found = _summary_text(ctx)
    if found and not pattern.search(found[1]):
        yield Hit(*ctx.heading_position(found[0]), message)


@rule("PM115", "summary-without-affected-service", Level.WARNING, profiles={"alx"})
def summary_without_affected_service(ctx: LintContext) -> Iterator[Hit]:
    """The summary does not say what was affected (alx rubric).

    ## What it does
    Looks for the service, application or system that failed.

    ## Why is this bad?
    Readers first need to know which part of the product the incident is about.

    ## Example
    ```markdown
    From 10:00 to 10:40 UTC, 30% of users saw errors because of a bad config.
    ```

    ## Use instead
    ```markdown
    From 10:00 to 10:40 UTC the login service failed: 30% of users saw errors…
    ```
    """
    yield from _rubric_point(
        ctx, _AFFECTED, "the summary does not say which service or system was affected"
    )


@rule("PM116", "summary-without-user-experience", Level.WARNING, profiles={"alx"})
def summary_without_user_experience(ctx: LintContext) -> Iterator[Hit]:
    """The summary does not say what users experienced (alx rubric).

    ## What it does
    Looks for users (customers, visitors…) together with what they saw (errors, slow
    pages, could not log in).

    ## Why is this bad?
    Impact is measured by what people could not do, not by which server failed.

    ## Example
    ```markdown
    From 10:00 to 10:40 UTC the login service was down.
    ```

    ## Use instead
    ```markdown
    From 10:00 to 10:40 UTC users could not log in: the login page returned errors.
    ```
    """
    found = _summary_text(ctx)
    if found and not (USER_NOUNS.search(found[1]) and EXPERIENCE_WORDS.search(found[1])):
        yield Hit(
            *ctx.heading_position(found[0]),
            "the summary does not say what users experienced (what they saw or could not do)",
        )


@rule("PM117", "summary-without-share-of-users", Level.WARNING, profiles={"alx"})
def summary_without_share_of_users(ctx: LintContext) -> Iterator[Hit]:
    """The summary does not say how many users were affected (alx rubric).

    ## What it does
    Looks for a percentage, a fraction, a count, or "all users".

    ## Why is this bad?
    "Some users" could be three people or three million.

    ## Example
    ```markdown
    Some users could not log in.
    ```

    ## Use instead
    ```markdown
    About 30% of users could not log in.
    ```
    """
    yield from _rubric_point(
        ctx, _SHARE, "the summary does not say what share of users was affected (e.g. '30%')"
    )


@rule("PM118", "summary-without-root-cause", Level.WARNING, profiles={"alx"})
def summary_without_root_cause(ctx: LintContext) -> Iterator[Hit]:
    """The summary does not name the root cause (alx rubric).

    ## What it does
    Looks for "root cause", "caused by", "due to", "because" in the summary.

    ## Why is this bad?
    A reader of the summary alone should learn why it happened.

    ## Example
    ```markdown
    From 10:00 to 10:40 UTC users could not log in.
    ```

    ## Use instead
    ```markdown
    From 10:00 to 10:40 UTC users could not log in. The root cause was an expired
    certificate on the session store.
    ```
    """
    yield from _rubric_point(ctx, _CAUSE, "the summary does not state the root cause")
