"""Where else a document says what a rule looks for: metadata written in its body, the
title, a Stats section, the summary.

People write the date in the title or in a `Date` section above the summary, the time
to recovery in a Stats list, the owner on the first line, the impact in the summary's
second sentence. A rule that looks only in one place reports what a reader can plainly
see; these helpers give rules the other places a reader would look.
"""

from __future__ import annotations

import re

from postmortems.lint.context import LintContext
from postmortems.lint.rules._text import EXPERIENCE_WORDS, USER_NOUNS, sentences
from postmortems.markdown.sections import normalise
from postmortems.model import Phase, SectionKind

# Headings of metadata sections teams put above the summary ("## Date", "## Authors").
_METADATA_HEADINGS = frozenset(
    {
        "date",
        "dates",
        "incident date",
        "when",
        "duration",
        "authors",
        "author",
        "owner",
        "owners",
        "status",
        "severity",
        "written by",
    }
)
# A metadata line: "**Date**: …", "Owner: @dana", "- Severity: SEV2", "## Owner: @x".
_META_LINE = re.compile(
    r"^[ \t#>*_-]*(?P<key>[A-Za-z][A-Za-z ]{1,30}?)[ \t*_]*:[ \t*_]*(?P<value>\S.*)$",
    re.MULTILINE,
)


def metadata(ctx: LintContext) -> dict[str, str]:
    """Metadata written in the body: 'key: value' lines of the preamble and of metadata
    sections, and metadata sections' text under their own name. Keys are normalised."""
    found: dict[str, str] = {}
    chunks = [ctx.pm.preamble]
    for section in ctx.pm.sections:
        key = normalise(section.title)
        if not section.kinds and key in _METADATA_HEADINGS:
            found.setdefault(key, section.body.strip())
        if section.kinds and SectionKind.STATS not in section.kinds:
            # A heading that is itself a metadata line ("## Owner: @dana").
            chunks.append(section.title)
        else:
            chunks.append(section.body)
        if not section.kinds:
            chunks.append(section.title)
    for chunk in chunks:
        for match in _META_LINE.finditer(chunk):
            found.setdefault(normalise(match.group("key")), match.group("value").strip())
    return found


def stats_text(ctx: LintContext) -> str:
    """The text of Stats sections ("Time to recovery: 84 minutes")."""
    return "\n".join(ctx.masked(s) for s in ctx.sections(SectionKind.STATS))


def around_summary(ctx: LintContext) -> str:
    """What a reader sees with the summary: the title, body metadata, the Stats section."""
    meta = metadata(ctx)
    values = [f"{k}: {v}" for k, v in meta.items()]
    return "\n".join([ctx.pm.title or "", *values, stats_text(ctx)])


_IMPACT_SUBJECTS = re.compile(
    r"\b(?:services?|sites?|jobs?|workloads?|builds?|requests?|hubs?|applications?|apps?|"
    r"pages?|website|api|logins?|sign[- ]?ins?|bookings?|orders?|payments?|deploy(?:s|ments)?)\b",
    re.IGNORECASE,
)
_IMPACT_WORDS = re.compile(
    r"\b(?:affected|impacted|could\s+not|couldn['’]t|unable|unavailable|outage|down|"
    r"loss\s+of|lost|not\s+usable|nothing\s+usable|blocked|broke|broken)\b",
    re.IGNORECASE,
)
_OUTAGE = re.compile(r"\b(?:total|complete|full|partial|major|global)\s+outage\b", re.I)
_CAUSE_WORDS = re.compile(
    r"\b(?:root\s+cause|caused\s+by|due\s+to|because|triggered\s+by|the\s+cause|"
    r"result(?:ed)?\s+(?:of|from)|owing\s+to|stemm(?:ed|ing)\s+from|determined\s+that|"
    r"found\s+that|turned\s+out|was\s+caused|causing|caused|relates\s+to|related\s+to)\b",
    re.IGNORECASE,
)
_FIXED_WORDS = re.compile(
    r"\b(?:resolved\s+by|fixed\s+by|was\s+resolved|were\s+resolved|rolled\s+back|reverted|"
    r"restored|workaround|mitigated|we\s+fixed|fixed\s+(?:this|it)|the\s+fix)\b",
    re.IGNORECASE,
)


def _summary_sentences(ctx: LintContext, unnamed: bool = False) -> list[str]:
    """Sentences of the summary and the story; with ``unnamed``, also of sections no
    template names (a team's "Carbonplan issue" under its summary)."""
    kinds = (SectionKind.SUMMARY, SectionKind.WHAT_HAPPENED)
    texts = [ctx.masked(s) for kind in kinds for s in ctx.sections(kind)]
    if unnamed:
        texts += [ctx.masked(s) for s in ctx.pm.sections if not s.kinds]
    return sentences("\n\n".join([ctx.pm.preamble, *texts]))


def covered_elsewhere(ctx: LintContext, kind: SectionKind) -> bool:
    """Whether what a missing section would say is plainly said elsewhere."""
    if kind is SectionKind.IMPACT:
        return any(
            (USER_NOUNS.search(s) and (EXPERIENCE_WORDS.search(s) or _IMPACT_WORDS.search(s)))
            or (_IMPACT_SUBJECTS.search(s) and _IMPACT_WORDS.search(s))
            or _OUTAGE.search(s)
            for s in _summary_sentences(ctx)
        )
    if kind is SectionKind.ROOT_CAUSE:
        return any(_CAUSE_WORDS.search(s) for s in _summary_sentences(ctx, unnamed=True))
    if kind is SectionKind.RESOLUTION:
        phases = {e.phase for e in ctx.pm.timeline}
        if phases & {Phase.MITIGATE, Phase.RESOLVE}:
            return True
        return any(_FIXED_WORDS.search(s) for s in _summary_sentences(ctx))
    if kind is SectionKind.ACTION_ITEMS:
        return any(s.body.strip() for s in ctx.sections(SectionKind.CORRECTIVE_MEASURES))
    return False
