"""PM1xx completeness: required sections present and filled, title, severity, authors,
no leftover placeholders."""

from __future__ import annotations

import re
from collections.abc import Iterator

from postmortems.lint.context import LintContext
from postmortems.lint.elsewhere import covered_elsewhere, metadata
from postmortems.lint.finding import Edit, Fix, Hit, Level
from postmortems.lint.lifecycle import lifecycle_minutes
from postmortems.lint.registry import rule
from postmortems.lint.timeparse import humanise
from postmortems.markdown.sections import DEFAULT_HEADINGS
from postmortems.model import Section

# The alx rubric asks for no front matter; the team templates do.
FRONT_MATTER_PROFILES = ("seed", "google", "pagerduty")

_COMMENTS = re.compile(r"<!--.*?-->", re.DOTALL)

# Placeholders: marker words in capitals (case matters: "a todo list" is prose), and
# lorem ipsum, <fill me in>, [insert …], {{ var }} in any case.
_MARKERS = re.compile(
    r"(?<![\w/-])(?:TODO|TBD|TBC|XXX+|FIXME)(?![\w/-])"
    # time and date formats left as written in a template: "HH:mm", "YYYY-MM-DD"
    r"|(?<![\w:])(?:HH|hh):(?:MM|mm)(?::(?:SS|ss))?(?![\w:])"
    r"|(?<![\w-])(?:YYYY-MM-DD|DD/MM/YYYY|MM/DD/YYYY|YYYY/MM/DD)(?![\w-])"
)
# Words in angle brackets that are placeholders even though they look like HTML tags.
_BRACKETED = re.compile(
    r"<(?:date|name|number|service|owner|team|duration|value|time|id|url|link|title)>",
    re.IGNORECASE,
)
_FILLERS = re.compile(
    r"\blorem\s+ipsum\b"
    r"|<(?!/|!|https?:|mailto:)(?:…|\.\.\.|[^<>\n]{0,40}?\s[^<>\n]{0,40}"
    r"|[a-z_]+[-_ ]?(?:name|date|time|here|link|url|number|id))>"
    r"|\[(?:insert|add|fill|describe|your)\b[^\]\n]*\]"
    r"|\{\{[^}\n]*\}\}",
    re.IGNORECASE,
)
_HTML_TAG = re.compile(
    r"^<\s*/?\s*[a-z][a-z0-9]*(?:\s+[a-z-]+\s*=\s*[\"'][^\"']*[\"'])*\s*/?>$", re.I
)

# A line that asks for a lifecycle duration and leaves the value blank or as a placeholder.
_METRIC_LINE = re.compile(
    r"^(?P<lead>[ \t]*(?:[-*+][ \t]+)?(?:\*\*|__)?)"
    r"(?P<label>time\s+to\s+(?:detect(?:ion)?|acknowledge(?:ment)?|mitigat(?:e|ion)|"
    r"resol(?:ve|ution)|recover(?:y)?)|impact\s+duration|duration(?:\s+of\s+impact)?|"
    r"TTD|TTA|TTM|TTR)"
    r"(?P<sep>(?:\*\*|__)?[ \t]*:[ \t]*(?:\*\*|__)?[ \t]*)"
    r"(?P<value>TBD|TBC|TODO|XXX|\?+|<[^>\n]*>|_+|-+)?[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_METRIC_BY_LABEL = (
    (re.compile(r"detect|ttd", re.I), "ttd"),
    (re.compile(r"acknowledg|tta", re.I), "tta"),
    (re.compile(r"mitigat|ttm", re.I), "ttm"),
    (re.compile(r"resol|recover|ttr", re.I), "ttr"),
    (re.compile(r"duration", re.I), "impact_duration"),
)


@rule("PM101", "missing-section", Level.ERROR)
def missing_section(ctx: LintContext) -> Iterator[Hit]:
    """A section the profile requires is missing.

    ## What it does
    Checks that every section of the profile has a heading: the seed's eight (Incident
    Summary, Timeline, Root Cause, Resolution and Recovery, Corrective and Preventative
    Measures, Impact, Lessons Learned, Action Items), a template's own, or, for a team's
    own format (profile `generic`), what every postmortem tells: summary, timeline, root
    cause, resolution, impact and action items. Other names for the same section ("Root
    Causes", "Contributing Factors", "Follow-ups") count, and so does the content written
    elsewhere, unless the profile was chosen by option, config or `template:`: impact or
    cause stated in the summary, a resolution the timeline or the summary tells,
    follow-ups listed as corrective actions.

    ## Why is this bad?
    Reviewers look for each section; a missing one is usually a missing analysis.

    ## Example
    ```markdown
    ## Summary
    …
    ## Timeline
    …
    ```

    ## Use instead
    ```markdown
    ## Summary
    …
    ## Timeline
    …
    ## Root Cause
    …
    ```
    """
    present = {kind for section in ctx.pm.sections for kind in section.kinds}
    line = ctx.pm.field_lines.get("title") or 1
    for kind in ctx.required_sections:
        if kind in present:
            continue
        # A team that chose the template wants its sections; otherwise the content
        # written under other headings counts.
        if not ctx.profile_chosen_by_team and covered_elsewhere(ctx, kind):
            continue
        heading = DEFAULT_HEADINGS[kind]
        yield Hit(
            line,
            1,
            f"required section '{heading}' is missing (profile {ctx.profile.name}); "
            f"add a '## {heading}' section",
        )


@rule("PM102", "empty-section", Level.ERROR)
def empty_section(ctx: LintContext) -> Iterator[Hit]:
    """A recognised section has a heading but no content.

    ## What it does
    Flags a section whose body is empty or only HTML comments, unless another section of
    the same kind (a sub-heading, say) carries the content.

    ## Why is this bad?
    An empty heading promises an analysis that is not there.

    ## Example
    ```markdown
    ## Lessons Learned

    ## Action Items
    ```

    ## Use instead
    ```markdown
    ## Lessons Learned
    - Canary deploys caught the regression within two minutes.
    ```
    """
    filled = set()
    for section in ctx.pm.sections:
        if _has_content(section.body) or section.events or section.items:
            filled.update(section.kinds)
    reported = set()
    for section in ctx.pm.sections:
        kinds = [k for k in section.kinds if k not in filled and k not in reported]
        if kinds and not _has_content(section.body):
            reported.update(kinds)
            yield Hit(
                *ctx.heading_position(section),
                f"section '{section.title}' is empty; write its content or remove the heading",
            )


def _has_front_matter(ctx: LintContext) -> bool:
    return ctx.text.lstrip("\ufeff").startswith("---")


_SEVERITY_IN_BODY = re.compile(r"\bsev(?:erity)?\s*[-:]?\s*[0-5]\b", re.IGNORECASE)


def _has_content(body: str) -> bool:
    return bool(_COMMENTS.sub("", body).strip(" \t\n-*_>|"))


@rule("PM103", "missing-title", Level.WARNING)
def missing_title(ctx: LintContext) -> Iterator[Hit]:
    """The postmortem has no title.

    ## What it does
    Checks for an H1 heading or a `title` in the front matter.

    ## Why is this bad?
    Lists, search results and links show the title; "Untitled" helps nobody find it.

    ## Example
    ```markdown
    ## Summary
    ```

    ## Use instead
    ```markdown
    # Checkout errors after the payment-gateway deploy
    ```
    """
    if not (ctx.pm.title or "").strip():
        yield Hit(1, 1, "the postmortem has no title; add an H1 heading or a 'title' field")


@rule("PM104", "missing-severity", Level.WARNING, profiles=FRONT_MATTER_PROFILES)
def missing_severity(ctx: LintContext) -> Iterator[Hit]:
    """The postmortem does not state the incident's severity.

    ## What it does
    Checks for a `severity` in the front matter, or written in the body (`Severity:
    SEV2`, "Sev1" in a table). Under the `google` profile only documents with front
    matter are asked: the Google SRE book's example states none.

    ## Why is this bad?
    Severity decides who reviews the postmortem and how urgent its action items are.

    ## Example
    ```markdown
    ---
    title: Checkout errors
    ---
    ```

    ## Use instead
    ```markdown
    ---
    title: Checkout errors
    severity: SEV2
    ---
    ```
    """
    if (ctx.pm.severity or "").strip():
        return
    if ctx.profile.name == "google" and not _has_front_matter(ctx):
        return  # the Google SRE book's example states no severity
    if _SEVERITY_IN_BODY.search(ctx.text) or "severity" in metadata(ctx):
        return
    if not (ctx.pm.severity or "").strip():
        yield Hit(
            *ctx.field_position("title"),
            "the severity is not stated; add 'severity: SEV1…SEV4' to the front matter",
        )


@rule("PM105", "missing-authors", Level.WARNING, profiles=FRONT_MATTER_PROFILES)
def missing_authors(ctx: LintContext) -> Iterator[Hit]:
    """The postmortem names no author or owner.

    ## What it does
    Checks for `authors` (or an `owner`) in the front matter, or written in the body
    (an `Authors` section, an `Owner: @dana` line).

    ## Why is this bad?
    Readers need to know whom to ask, and reviewers whom to send comments to.

    ## Example
    ```markdown
    ---
    title: Checkout errors
    ---
    ```

    ## Use instead
    ```markdown
    ---
    title: Checkout errors
    authors: [Dana Kim]
    ---
    ```
    """
    has_owner = any(f.key.lower() in ("owner", "owners", "author") for f in ctx.pm.extra)
    in_body = set(metadata(ctx)) & {"authors", "author", "owner", "owners", "written by"}
    if not ctx.pm.authors and not has_owner and not in_body:
        yield Hit(
            *ctx.field_position("title"),
            "no author or owner is named; add 'authors: [...]' to the front matter",
        )


@rule("PM106", "placeholder", Level.ERROR, fixable=True)
def placeholder(ctx: LintContext) -> Iterator[Hit]:
    """Leftover template placeholder text.

    ## What it does
    Finds TODO, TBD, XXX, FIXME, "lorem ipsum", `<service name>`- and `<date>`-style,
    `[insert …]`-style placeholders and formats left as written in a template (`HH:mm`,
    `YYYY-MM-DD`) outside code. Where a placeholder stands for a
    lifecycle duration the timeline already gives ("Time to detection: TBD"),
    `pm lint --fix` writes the computed value.

    ## Why is this bad?
    A placeholder means the document is not finished; readers cannot tell which parts to
    trust.

    ## Example
    ```markdown
    The outage affected <number> users. Root cause: TBD.
    ```

    ## Use instead
    ```markdown
    The outage affected about 1,200 users. Root cause: an expired TLS certificate.
    ```
    """
    if ctx.pm.title and _find_placeholders(ctx.pm.title):
        yield Hit(*ctx.field_position("title"), "the title is a placeholder; write a real title")
    minutes = lifecycle_minutes(ctx.pm)
    for section, masked in ctx.prose_sections():
        fixes = _metric_fixes(ctx, section, masked, minutes)
        fixed_lines = set()
        for start, found in _find_placeholders(masked):
            line, column = ctx.locate(section, start)
            fix = fixes.get(line)
            fixed_lines.add(line)
            yield Hit(
                line,
                column,
                f"placeholder '{found}' left in '{section.title}'; write the real content",
                suggestion=fix.description if fix else None,
                fix=fix,
            )
        for line, fix in fixes.items():
            if line not in fixed_lines:
                yield Hit(
                    line,
                    1,
                    f"'{section.title}' leaves a duration blank",
                    suggestion=fix.description,
                    fix=fix,
                )


def _status_word(text: str, match: re.Match[str]) -> bool:
    """'TODO' closing a table cell after other words is a status ("Bug 5554823 TODO")."""
    if match.group(0) != "TODO":
        return False
    line_start = text.rfind("\n", 0, match.start()) + 1
    cell_start = text.rfind("|", line_start, match.start())
    if cell_start < 0:
        return False
    before = text[cell_start + 1 : match.start()].strip()
    return bool(before) and re.match(r"\s*\|", text[match.end() :]) is not None


def _find_placeholders(text: str) -> list[tuple[int, str]]:
    found = []
    markers = ("TODO", "TBD", "TBC", "XXX", "FIXME", "HH:", "hh:", "YYYY", "DD/", "MM/")
    if any(marker in text for marker in markers):
        found = [
            (m.start(), m.group(0)) for m in _MARKERS.finditer(text) if not _status_word(text, m)
        ]
    if "<" in text:
        found += [(m.start(), m.group(0)) for m in _BRACKETED.finditer(text)]
    if not any(c in text for c in "<[{") and "orem" not in text:
        return found
    for match in _FILLERS.finditer(text):
        if not (match.group(0).startswith("<") and _HTML_TAG.match(match.group(0))):
            found.append((match.start(), match.group(0)))
    return sorted(set(found))


def _metric_fixes(
    ctx: LintContext, section: Section, masked: str, minutes: dict[str, float]
) -> dict[int, Fix]:
    """Fixes for lines like 'Time to detection: TBD' whose value the lifecycle gives."""
    fixes: dict[int, Fix] = {}
    lowered = masked.lower()
    if not minutes or not any(w in lowered for w in ("time to", "duration", "tt")):
        return fixes
    for match in _METRIC_LINE.finditer(masked):
        label = match.group("label")
        metric = next((m for pattern, m in _METRIC_BY_LABEL if pattern.search(label)), None)
        if metric is None or metric not in minutes:
            continue
        value_start = match.start("value") if match.group("value") else match.end("sep")
        value_end = match.end("value") if match.group("value") else match.end("sep")
        line, column = ctx.locate(section, value_start)
        start = ctx.offset_of(line, column)
        text = humanise(minutes[metric])
        prefix = "" if masked[value_start - 1 : value_start].isspace() else " "
        edit = Edit(start, start + (value_end - value_start), prefix + text)
        fixes[line] = Fix(f"--fix writes {text}, computed from the timeline", (edit,))
    return fixes
