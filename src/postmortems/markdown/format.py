"""`pm fmt` as a library call: canonical text, proven to lose nothing.

Like a code formatter, it checks its own work before anything is written, twice over:

- the formatted text must hold every piece of the original's content
  (`postmortems.markdown.content`: words, URLs, link definitions, code, HTML,
  footnotes), read from markdown-it's tokens independently of the model; the only
  words allowed to go are those a canonical form rewrites and that are compared as
  values instead (a timeline entry's time, a phase tag, a section heading renamed by
  ``--template``, the title moved between heading and front matter);
- the formatted text must parse to the same document (sections, their prose, timeline
  entries with their times, action items, front matter), and formatting it again must
  change nothing.

Otherwise `FormatSafetyError` says what would be lost, and nothing is written.
"""

from __future__ import annotations

import re
from collections import Counter

from postmortems.errors import FormatSafetyError
from postmortems.markdown import content, frontmatter, reading
from postmortems.markdown.parse import parse_text
from postmortems.markdown.phases import CANONICAL_TAG, TAG_WORDS
from postmortems.markdown.render import render_markdown
from postmortems.model import Postmortem, Section, SectionKind

__all__ = [
    "FormatSafetyError",
    "check_nothing_lost",
    "content_signature",
    "first_difference",
    "format_text",
    "lost_content",
]

_TITLE_LABEL = re.compile(r"^#{1,6}\s*(?:incident\s+)?title\s*:\s*#*\s*$", re.IGNORECASE)


def format_text(text: str, path: str | None = None, template: str | None = None) -> str:
    before = parse_text(text, path)
    formatted = render_markdown(before, template)
    if formatted == text:
        # Already canonical: nothing is rewritten, so nothing can be lost or unstable (the
        # checks below would parse the same text again and compare it with itself).
        return formatted
    after = _check_nothing_lost(text, before, formatted, path, template)
    problem = first_difference(before, after)
    if problem:
        raise FormatSafetyError(
            f"formatting would change the document ({problem}); left unchanged", path
        )
    if render_markdown(after, template) != formatted:
        raise FormatSafetyError("formatting is not stable on this document; left unchanged", path)
    return formatted


def check_nothing_lost(
    text: str,
    path: str | None = None,
    template: str | None = None,
    parsed: Postmortem | None = None,
) -> None:
    """The content check alone, for exports made from the canonical text (`pm render`):
    raises `FormatSafetyError` when the canonical text would lack something of ``text``.
    ``parsed`` is ``text`` already read (by the caller, which needs it too)."""
    before = parsed if parsed is not None else parse_text(text, path)
    canonical = render_markdown(before, template)
    if canonical != text:  # the canonical text of a canonical document is itself
        _check_nothing_lost(text, before, canonical, path, template)


def _check_nothing_lost(
    text: str, before: Postmortem, formatted: str, path: str | None, template: str | None
) -> Postmortem:
    after = parse_text(formatted, path)
    # A template (`--template` or `template:` in the front matter) renames headings.
    renamed = (template or before.template) is not None
    missing = lost_content(text, before, formatted, after, renamed=renamed)
    if missing:
        raise FormatSafetyError(
            f"formatting would lose {content.describe_loss(missing)}; left unchanged",
            path,
            content.first_loss(missing).line or None,
        )
    return after


def lost_content(
    text: str, before: Postmortem, formatted: str, after: Postmortem, *, renamed: bool = False
) -> list[content.Piece]:
    """Content of ``text`` missing from ``formatted`` (both whole documents)."""
    return content.lost(
        _content(text, before, renamed),
        _content(formatted, after, renamed),
        allowed=_rewritten_words(before),
    )


def _content(text: str, pm: Postmortem, renamed: bool) -> list[content.Piece]:
    # The text as the reader reads it: the rewrites it makes on purpose, each with a
    # warning (a document unwrapped from an `echo "…"`, a plain line or an HTML heading
    # made a Markdown heading), are not losses.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    _, markdown, offset = frontmatter.split(reading.unwrap(text).text)
    markdown = reading.headings_view(markdown, offset + 1)[0].text
    # The title is compared as the model's title: it may move between the H1 and the
    # front matter. Section headings renamed by a template are compared by their kinds.
    headings = {pm.field_lines["#title"]} if "#title" in pm.field_lines else set()
    if headings:
        # "# Title:" alone on its line, with the title in the heading below it.
        headings.update(
            offset + index + 1
            for index, line in enumerate(markdown.split("\n")[: min(headings) - offset])
            if _TITLE_LABEL.match(line)
        )
    if renamed:
        headings.update(s.line for s in pm.sections if s.line is not None)
    return content.document_content(markdown, offset, headings)


# Every spelling a phase tag may have ("[mitigation]", "(Recovered)"): the canonical form
# writes one of CANONICAL_TAG's instead, and the phase itself is compared.
_TAG_SPELLINGS = {w for tag in [*TAG_WORDS, *CANONICAL_TAG.values()] for w in content.words(tag)}
_TAG_WORDS_ANY_CASE = sorted(
    _TAG_SPELLINGS | {w.capitalize() for w in _TAG_SPELLINGS} | {w.upper() for w in _TAG_SPELLINGS}
)


def _rewritten_words(pm: Postmortem) -> Counter[tuple[str, str]]:
    """Words a canonical timeline entry may rewrite: its time as written (compared as a
    time) and its phase tag (compared as a phase)."""
    allowed: Counter[tuple[str, str]] = Counter()
    for event in pm.timeline:
        if event.time_as_written and event.at is not None:
            allowed.update(("word", w) for w in content.words(event.time_as_written))
        if event.phase is not None and not event.phase_inferred:
            allowed.update(("word", w) for w in _TAG_WORDS_ANY_CASE)
    return allowed


def content_signature(pm: Postmortem) -> dict[str, object]:
    """What a reader would call the document's content, independent of layout."""
    prose = {
        i: (s.title if not s.kinds or s.keep_title else None, tuple(s.kinds), s.body.strip())
        for i, s in enumerate(_prose_sections(pm))
    }
    return {
        "metadata": pm.model_dump(
            include={
                "id",
                "title",
                "status",
                "severity",
                "authors",
                "reviewers",
                "services",
                "tags",
            }
        ),
        "extra": [(f.key, f.raw) for f in pm.extra],
        "preamble": pm.preamble.strip(),
        "prose": prose,
        "timeline": [
            (e.at, e.text.strip(), e.phase, e.time_as_written if e.at is None else None)
            for e in pm.timeline
        ],
        "actions": [
            (a.text.strip(), a.done, a.owner, a.due, a.type, a.priority) for a in pm.action_items
        ],
        "lifecycle": pm.lifecycle.model_dump(),
    }


def _prose_sections(pm: Postmortem) -> list[Section]:
    structured = {SectionKind.TIMELINE, SectionKind.ACTION_ITEMS}
    return [s for s in pm.sections if not structured & set(s.kinds)]


def first_difference(before: Postmortem, after: Postmortem) -> str | None:
    a, b = content_signature(before), content_signature(after)
    for key in a:
        if key == "actions":
            continue  # table columns become words in the item: compared below
        if a[key] != b[key]:
            return f"{key} differs"
    left, right = before.action_items, after.action_items
    if len(left) != len(right):
        return "number of action items differs"
    for x, y in zip(left, right, strict=True):
        if (x.done, x.owner, x.due, x.type) != (
            y.done,
            y.owner,
            y.due,
            y.type,
        ) or not y.text.startswith(x.text):
            return f"action item '{x.text[:40]}' differs"
    return None
