"""PM7xx clarity for non-technical readers: a readable, right-sized summary, acronyms
expanded, and a document within the profile's length."""

from __future__ import annotations

import re
from collections.abc import Iterator

from postmortems.lint.context import LintContext, mask_unreadable
from postmortems.lint.finding import Hit, Level
from postmortems.lint.readability import reading_grade
from postmortems.lint.registry import rule
from postmortems.lint.rules._text import MARKUP, words
from postmortems.model import SectionKind

_ACRONYM = re.compile(r"(?<![\w.-])([A-Z]{2,6})(s?)(?![\w-])")
_LINK_TEXT = re.compile(r"\[([^][]*)\]\([^()]*\)")  # no nesting: linear on "[[[["


def _plain(markdown: str) -> str:
    text = _LINK_TEXT.sub(r"\1", mask_unreadable(markdown))
    return MARKUP.sub("", text)


def _summary(ctx: LintContext) -> tuple[int, int, str] | None:
    sections = [s for s in ctx.sections(SectionKind.SUMMARY) if s.body.strip()]
    if not sections:
        return None
    line, column = ctx.heading_position(sections[0])
    return line, column, "\n".join(_plain(s.body) for s in sections)


@rule("PM701", "summary-reading-grade", Level.WARNING)
def summary_reading_grade(ctx: LintContext) -> Iterator[Hit]:
    """The summary is hard to read for non-technical readers.

    ## What it does
    Computes the Flesch–Kincaid grade of the summary (with `textstat`) and reports it
    above `summary-max-grade` (14).

    ## Why is this bad?
    The summary is read by managers, support and customers. Long sentences packed with
    jargon lose them.

    ## Example
    ```markdown
    Consequent to an anomalous reconfiguration of the asynchronous replication topology,
    heterogeneous read-after-write inconsistencies manifested across geographically
    distributed persistence replicas, precipitating comprehensive unavailability.
    ```

    ## Use instead
    ```markdown
    A settings change slowed copying between our databases. Pages showed old or missing
    data, and then the site stopped working for 30 minutes.
    ```
    """
    found = _summary(ctx)
    if not found or len(words(found[2])) < 10:
        return
    grade = reading_grade(found[2])
    limit = ctx.thresholds.summary_max_grade
    if grade > limit:
        yield Hit(
            found[0],
            found[1],
            f"the summary reads at grade {grade:.0f} (limit {limit:.0f}); use shorter "
            "sentences and plainer words",
        )


@rule("PM702", "summary-length", Level.WARNING)
def summary_length(ctx: LintContext) -> Iterator[Hit]:
    """The summary is too short or too long.

    ## What it does
    Counts the summary's words against `summary-min-words` (15) and
    `summary-max-words` (200).

    ## Why is this bad?
    A one-line summary cannot say what, when, how long and why; a page-long one is not a
    summary.

    ## Example
    ```markdown
    ## Summary
    The site was down.
    ```

    ## Use instead
    ```markdown
    ## Summary
    On 2024-08-01 from 10:00 to 10:30 UTC the site was down for all users because a
    replication setting was changed. Rolling it back restored service.
    ```
    """
    found = _summary(ctx)
    if not found:
        return
    count = len(words(found[2]))
    low, high = ctx.thresholds.summary_min_words, ctx.thresholds.summary_max_words
    if count < low:
        yield Hit(
            found[0],
            found[1],
            f"the summary has {count} words; say what happened, when, "
            f"for how long and why in at least {low}",
        )
    elif high and count > high:
        yield Hit(
            found[0],
            found[1],
            f"the summary has {count} words (limit {high}); move detail to other sections",
        )


@rule("PM703", "unexpanded-acronym", Level.INFO)
def unexpanded_acronym(ctx: LintContext) -> Iterator[Hit]:
    """An acronym in the summary is never spelled out.

    ## What it does
    Flags acronyms in the summary that the document never expands, as "Domain Name
    System (DNS)" or "DNS (Domain Name System)" or "DNS: Domain Name System". Common
    ones (UTC, API, URL…) are listed in `lint/data/acronyms.txt`, extendable with
    `extra-acronyms`.

    ## Why is this bad?
    Readers outside the team do not know what "the PDB on the ASG" means.

    ## Example
    ```markdown
    The ASG replaced every node at once.
    ```

    ## Use instead
    ```markdown
    The auto scaling group (ASG) replaced every node at once.
    ```
    """
    sections = [s for s in ctx.sections(SectionKind.SUMMARY) if s.body.strip()]
    if not sections:
        return
    known = {w.upper() for w in ctx.word_list("acronyms").words}
    document = mask_unreadable(ctx.text)
    reported: set[str] = set()
    for section in sections:
        masked = ctx.masked(section)
        for match in _ACRONYM.finditer(masked):
            acronym = match.group(1)
            if acronym in known or acronym + match.group(2) in known or acronym in reported:
                continue
            if _expanded(acronym, document):
                continue
            reported.add(acronym)
            yield Hit(
                *ctx.locate(section, match.start()),
                f"'{acronym}' is not spelled out anywhere; write it in full the first time, "
                f"e.g. 'Full Name ({acronym})'",
            )


def _expanded(acronym: str, document: str) -> bool:
    escaped = re.escape(acronym)
    if re.search(rf"\(\s*{escaped}s?\s*\)", document):
        return True
    if re.search(
        rf"\b{escaped}s?\s*(?:\(\s*[A-Za-z][^)]{{3,}}\)|[:=–—-]\s+[A-Z][a-z]|\s+stands\s+for\b|\s+means\b|,\s+(?:the|a|an|our)\s+[a-z])",
        document,
    ):
        return True
    # Named with what kind of thing it is: "components like KIAM", "the KIAM service".
    kind = (
        r"(?:components?|services?|tools?|daemons?|daemonsets?|plugins?|librar(?:y|ies)|"
        r"controllers?|servers?|databases?|workloads?|agents?|systems?|products?|teams?)"
    )
    if re.search(
        rf"\b{kind}\s+(?:such\s+as|like|including|e\.g\.,?)\s+(?:[\w-]+,\s+)*{escaped}\b"
        rf"|\b{escaped}\s+{kind}\b",
        document,
        re.IGNORECASE,
    ):
        return True
    # Initials spelled out: "Auto Scaling Group" for ASG.
    initials = r"\W+".join(rf"{c}[\w-]*" for c in acronym)
    return bool(re.search(rf"\b{initials}\b", document, re.IGNORECASE)) and bool(
        re.search(rf"\b{initials}\b", document)
    )


@rule("PM704", "document-length", Level.WARNING)
def document_length(ctx: LintContext) -> Iterator[Hit]:
    """The document is shorter or longer than the profile allows.

    ## What it does
    Counts the words of the whole document against `min-words` and `max-words` (the
    `alx` profile: 400 to 600; no limit otherwise).

    ## Why is this bad?
    Too short cannot cover the analysis; too long will not be read.

    ## Example
    A 250-word postmortem under the `alx` profile.

    ## Use instead
    Between 400 and 600 words under the `alx` profile.
    """
    low, high = ctx.thresholds.min_words, ctx.thresholds.max_words
    count = ctx.word_count
    if low and count < low:
        yield Hit(1, 1, f"the document has {count} words; the profile asks for at least {low}")
    elif high and count > high:
        yield Hit(1, 1, f"the document has {count} words; the profile allows at most {high}")
