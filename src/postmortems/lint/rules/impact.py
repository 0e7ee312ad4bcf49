"""PM6xx impact and root-cause depth: impact with numbers and user experience; a root
cause that goes past the first answer and never stops at a person."""

from __future__ import annotations

import re
from collections.abc import Iterator

from postmortems.lint.context import LintContext
from postmortems.lint.elsewhere import around_summary, metadata
from postmortems.lint.finding import Hit, Level
from postmortems.lint.registry import rule
from postmortems.lint.rules._text import EXPERIENCE_WORDS, USER_NOUNS, sentences
from postmortems.lint.timeparse import DURATION, RANGE
from postmortems.model import Section, SectionKind

_COUNTABLE = (
    r"(?:users?|customers?|clients?|visitors?|students?|players?|members?|people|accounts?|"
    r"requests?|calls?|queries|errors?|orders?|transactions?|payments?|purchases?|sessions?|"
    r"jobs?|builds?|deploy(?:s|ments)?|pages?|page\s*views?|visits?|emails?|messages?|"
    r"notifications?|tenants?|sites?|services?|pods?|nodes?|servers?|hosts?|instances?|"
    r"regions?|records?|rows?|files?|events?|tickets?|subscribers?|merchants?|devices?|"
    r"downloads?|uploads?|logins?|signups?|sign-ups?|bookings?|rides?|shipments?|apps?|"
    r"applications?|projects?|repositories|repos?|teams?|hubs?|clusters?|workloads?)"
)
_QUANTITY = re.compile(
    rf"\d+(?:[.,]\d+)?\s?%|\bpercent\b|[$€£¥]\s?\d|\b\d[\d,.]*\s?(?:k|m|bn)?\s?(?:usd|eur|gbp|dollars?|euros?)\b"
    rf"|\berror\s+budget\b|\b(?:all|every)\s+(?:of\s+(?:our|the)\s+)?{_COUNTABLE}\b"
    rf"|\b\d[\d,.]*(?:\s?(?:k|m|million|thousand|hundred|billion))?(?:\s+[\w-]+){{0,3}}?\s+{_COUNTABLE}\b"
    rf"|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|dozens?|hundreds?|thousands?|"
    rf"millions?)\s+(?:of\s+)?(?:[\w-]+\s+){{0,2}}?{_COUNTABLE}\b"
    # "1.21B queries", "490 unique IPs": a number, maybe with a suffix, and a plural noun
    rf"|\b\d[\d,.]*\s?(?:[kmb]|bn|million|thousand|billion)?\s+(?:[\w-]+\s+){{0,2}}?"
    rf"(?!(?:seconds|minutes|hours|days|weeks|months|years|mins|hrs|secs)\b)[a-z]{{2,}}s\b"
    # "two thirds of users", "half of", "most of", "everyone", "every sushi chef", "nobody"
    rf"|\b(?:(?:one|two|a)\s+(?:thirds?|quarters?|half)|half|most|majority|a\s+third|"
    rf"a\s+quarter|none|all)\s+of\b"
    rf"|\b(?:everyone|everybody|nobody|no\s+one|anyone)\b|\bevery\s+[\w-]+",
    re.IGNORECASE,
)
_AT_PERSON = re.compile(
    r"\b(?:human|operator|user|engineer|developer|manual|personnel)\s+error\b"
    r"|\b(?:an?|the|our)\s+(?:engineer|developer|operator|admin|administrator|intern|sre)\s+"
    r"(?:forgot|made\s+a\s+mistake|mistakenly|accidentally|did\s+not|didn['’]t|failed\s+to|ran|"
    r"deleted|pushed|broke|misconfigured)\b"
    r"|\b(?:mistake|error|fault)\s+(?:by|of)\s+(?:an?|the|our)?\s*(?:engineer|developer|operator|"
    r"admin|person|someone|@[\w.-]+|[A-Z][a-z]+)\b",
)
_TRIGGER = re.compile(
    r"\b(?:trigger\w*|deploy\w*|release\w*|rollout|rolled\s+out|change[ds]?|update[ds]?|"
    r"upgrade[ds]?|migrat\w*|push(?:ed)?|config\w*|spike|surge|expir\w*|restart\w*|merge[ds]?|"
    r"applied|introduced|ran|started|began|flip\w*|toggle\w*|switch(?:ed|ing)?|execut\w*|"
    r"command|turn(?:ed|ing)\s+(?:off|on)|disabl\w*|enabl\w*|delet\w*|remov\w*|bump\w*|"
    r"rotat\w*|replac\w*|launch\w*|patch\w*)\b",
    re.I,
)
_DEEPER = re.compile(
    r"\b(?:underlying|contribut\w*|because|root\s+cause|why|allowed|let\s+(?:it|the)|"
    r"lack(?:ed|ing)?\s+(?:of\s+)?|missing|without|gaps?|unaware|undocumented|assum\w*|"
    r"accept(?:s|ed)|permit\w*|as\s+(?:a\s+)?valid|defaults?\s+to|relie[sd]\s+on|"
    r"depend(?:s|ed)\s+on|single\s+point|too\s+(?:low|high|small|large|short|long|many|few)|"
    r"no\s+(?:\w+\s+)?(?:check|test|alert|validation|review|limit|guard|monitoring|"
    r"safeguard|runbook|documentation|owner)s?|"
    r"overlook\w*|not\s+\w+ed|"
    r"(?:did\s+not|didn['’]t|does\s+not|doesn['’]t|could\s+not|couldn['’]t|was\s+not|"
    r"wasn['’]t|were\s+not|weren['’]t|had\s+not|hadn['’]t|never)\s+\w+)\b",
    re.I,
)


def _section_texts(ctx: LintContext, kind: SectionKind) -> list[tuple[Section, str]]:
    return [(s, ctx.masked(s)) for s in ctx.sections(kind) if s.body.strip()]


def _impact(ctx: LintContext) -> tuple[Section, str] | None:
    found = _section_texts(ctx, SectionKind.IMPACT)
    if not found:
        return None
    return found[0][0], "\n".join(text for _, text in found)


@rule("PM601", "impact-without-numbers", Level.WARNING)
def impact_without_numbers(ctx: LintContext) -> Iterator[Hit]:
    """The impact section gives no count or percentage.

    ## What it does
    Looks for at least one number of users, requests, accounts, orders or money, a
    percentage, or the error budget spent. Counts are read as people write them: with
    suffixes or words ("1.21B queries", "490 unique IPs", "two thirds of users"), or as
    everyone or no one ("every customer", "nobody").

    ## Why is this bad?
    "Some customers were affected" cannot be compared with other incidents or weighed
    against the cost of the action items.

    ## Example
    ```markdown
    ## Impact
    Some customers could not check out for a while.
    ```

    ## Use instead
    ```markdown
    ## Impact
    For 40 minutes, 12% of checkout requests failed (about 3,100 orders).
    ```
    """
    found = _impact(ctx)
    if found and not _QUANTITY.search(found[1]):
        yield Hit(
            *ctx.heading_position(found[0]),
            "the impact gives no count or percentage (of users, requests, accounts, money or "
            "error budget); add one",
        )


@rule("PM602", "impact-without-duration", Level.WARNING)
def impact_without_duration(ctx: LintContext) -> Iterator[Hit]:
    """The impact section does not say for how long users were affected.

    ## What it does
    Looks for a duration ("for 40 minutes") or a time range in the impact section, or
    where a reader finds it with the document's facts: the title, a summary written just
    above the impact, a `Duration:` line, `Start:` and `End:` lines, a Stats section.

    ## Why is this bad?
    Impact is a number of people times a length of time; half of it is missing.

    ## Example
    ```markdown
    ## Impact
    12% of checkout requests failed.
    ```

    ## Use instead
    ```markdown
    ## Impact
    For 40 minutes, 12% of checkout requests failed.
    ```
    """
    found = _impact(ctx)
    if not found or DURATION.search(found[1]) or RANGE.search(found[1]):
        return
    if DURATION.search(around_summary(ctx)):
        return
    # The line above: a summary written just before the impact ("**Summary**: down for
    # 58 minutes" then "**Impact**: …").
    sections = ctx.pm.sections
    index = next((i for i, s in enumerate(sections) if s is found[0]), 0)
    above = sections[index - 1] if index > 0 else None
    if (
        above is not None
        and SectionKind.SUMMARY in above.kinds
        and (DURATION.search(ctx.masked(above)) or RANGE.search(ctx.masked(above)))
    ):
        return
    if {"start", "end"} <= metadata(ctx).keys():
        return
    if found:
        yield Hit(
            *ctx.heading_position(found[0]),
            "the impact does not say how long users were affected; add the duration",
        )


@rule("PM603", "impact-without-user-experience", Level.WARNING)
def impact_without_user_experience(ctx: LintContext) -> Iterator[Hit]:
    """The impact section does not say what users experienced.

    ## What it does
    Looks for the people affected (users, customers…) and what they saw or could not do
    (errors, slow pages, could not log in, lost data).

    ## Why is this bad?
    Server metrics say what broke; only the user's view says what it cost.

    ## Example
    ```markdown
    ## Impact
    The API cluster was at 100% CPU for 40 minutes.
    ```

    ## Use instead
    ```markdown
    ## Impact
    For 40 minutes, customers saw checkout errors on 12% of attempts.
    ```
    """
    found = _impact(ctx)
    if found and not (USER_NOUNS.search(found[1]) and EXPERIENCE_WORDS.search(found[1])):
        yield Hit(
            *ctx.heading_position(found[0]),
            "the impact does not say what users experienced; describe what they saw or could "
            "not do",
        )


@rule("PM611", "shallow-root-cause", Level.WARNING)
def shallow_root_cause(ctx: LintContext) -> Iterator[Hit]:
    """The root cause stops at one sentence.

    ## What it does
    Counts the sentences (or list items) of the root-cause sections; fewer than
    `root-cause-min-sentences` (2) is reported.

    ## Why is this bad?
    Incidents have several contributing factors. One sentence usually gives the trigger
    and stops at the first answer to "why?".

    ## Example
    ```markdown
    ## Root Cause
    A bad config was deployed.
    ```

    ## Use instead
    ```markdown
    ## Root Cause
    A config change set the pool size to 0. The config schema allowed 0, CI does not
    validate configs, and the deploy went to all regions at once.
    ```
    """
    found = _section_texts(ctx, SectionKind.ROOT_CAUSE)
    if not found:
        return
    count = sum(len(sentences(text)) for _, text in found)
    wanted = ctx.thresholds.root_cause_min_sentences
    if count < wanted:
        yield Hit(
            *ctx.heading_position(found[0][0]),
            f"the root cause has {count} sentence{'s' if count != 1 else ''}; explain the "
            "contributing factors (ask 'why?' again)",
        )


@rule("PM612", "root-cause-is-a-person", Level.WARNING)
def root_cause_is_a_person(ctx: LintContext) -> Iterator[Hit]:
    """The root cause ends at a person or at "human error".

    ## What it does
    Flags root-cause sections that name human error, operator error, or a person's
    mistake as the cause.

    ## Why is this bad?
    People act on what the system shows them and allows. "Human error" is where the
    analysis should start, not where it ends.

    ## Example
    ```markdown
    ## Root Cause
    Human error: an engineer ran the cleanup script against production.
    ```

    ## Use instead
    ```markdown
    ## Root Cause
    The cleanup script takes the target database from an environment variable that
    defaults to production, and nothing asks for confirmation.
    ```
    """
    for section, text in _section_texts(ctx, SectionKind.ROOT_CAUSE):
        match = _AT_PERSON.search(text)
        if match:
            yield Hit(
                *ctx.locate(section, match.start()),
                f"the root cause stops at a person ('{match.group(0)}'); explain what in the "
                "system made the action possible and its effect large",
            )


@rule("PM613", "trigger-not-distinguished", Level.INFO)
def trigger_not_distinguished(ctx: LintContext) -> Iterator[Hit]:
    """The root cause does not separate the trigger from the underlying cause.

    ## What it does
    Checks that the root cause names both what set the incident off (a deploy, a change,
    a spike) and why that could cause harm (a missing check, a limit, an assumption) —
    or that the document has a separate Trigger section. A trigger the summary already
    tells counts.

    ## Why is this bad?
    Preventing the trigger prevents one incident; fixing the underlying cause prevents
    the class of incidents.

    ## Example
    ```markdown
    ## Root Cause
    The 10:02 deploy broke checkout.
    ```

    ## Use instead
    ```markdown
    ## Root Cause
    Trigger: the 10:02 deploy. Underlying cause: the payment client had no timeout, so
    one slow dependency blocked every worker.
    ```
    """
    if ctx.sections(SectionKind.TRIGGER):
        return
    found = _section_texts(ctx, SectionKind.ROOT_CAUSE)
    if not found:
        return
    text = "\n".join(t for _, t in found)
    told = [
        t
        for kind in (SectionKind.SUMMARY, SectionKind.WHAT_HAPPENED)
        for _, t in _section_texts(ctx, kind)
    ]
    trigger_told = _TRIGGER.search(text) or any(_TRIGGER.search(t) for t in told)
    if not (trigger_told and _DEEPER.search(text)):
        yield Hit(
            *ctx.heading_position(found[0][0]),
            "the root cause does not separate the trigger from the underlying cause; name both",
        )


@rule("PM614", "thin-resolution", Level.WARNING)
def thin_resolution(ctx: LintContext) -> Iterator[Hit]:
    """The resolution does not explain how the incident was resolved in enough detail.

    ## What it does
    Counts the sentences of the resolution sections; fewer than
    `resolution-min-sentences` (1; 2 under the `alx` profile) is reported.

    ## Why is this bad?
    The next responder facing the same symptoms needs the steps, not "fixed it".

    ## Example
    ```markdown
    ## Resolution
    Fixed.
    ```

    ## Use instead
    ```markdown
    ## Resolution
    We rolled back the config to the previous release at 10:15. Errors stopped within two
    minutes, and we confirmed recovery on the checkout dashboard.
    ```
    """
    found = _section_texts(ctx, SectionKind.RESOLUTION)
    if not found:
        return
    count = sum(len(sentences(text)) for _, text in found)
    wanted = ctx.thresholds.resolution_min_sentences
    if count < wanted:
        yield Hit(
            *ctx.heading_position(found[0][0]),
            f"the resolution has {count} sentence{'s' if count != 1 else ''}; describe the "
            "steps that resolved the incident",
        )
