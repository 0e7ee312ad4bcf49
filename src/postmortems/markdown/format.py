"""`pm fmt` as a library call: canonical text, proven to lose nothing.

Like a code formatter, it checks its own work before anything is written: the
formatted text must parse to the same content (sections, their prose, timeline entries
and action items, unknown front-matter keys), and formatting it again must change
nothing.
"""

from __future__ import annotations

from postmortems.errors import FormatSafetyError
from postmortems.markdown.parse import parse_text
from postmortems.markdown.render import render_markdown
from postmortems.model import Postmortem, Section, SectionKind

__all__ = ["FormatSafetyError", "content_signature", "first_difference", "format_text"]


def format_text(text: str, path: str | None = None, template: str | None = None) -> str:
    before = parse_text(text, path)
    formatted = render_markdown(before, template)
    after = parse_text(formatted, path)
    problem = first_difference(before, after)
    if problem:
        raise FormatSafetyError(
            f"formatting would change the document ({problem}); left unchanged", path
        )
    if render_markdown(after, template) != formatted:
        raise FormatSafetyError("formatting is not stable on this document; left unchanged", path)
    return formatted


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
