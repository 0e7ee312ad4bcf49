"""A postmortem as one standalone, sanitised, printable HTML page."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

from postmortems import metrics
from postmortems.markdown.render import display_zone, environment, render_markdown
from postmortems.model import LIFECYCLE_FIELD_BY_PHASE, Phase, Postmortem

_ALL_METADATA = ("id", "status", "severity", "date", "timezone", "template", "authors", "reviewers",
                 "services", "tags", *LIFECYCLE_FIELD_BY_PHASE.values())  # fmt: skip
_MD = MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "details", "em", "h1", "h2", "h3", "h4",
    "h5", "h6", "hr", "i", "img", "input", "li", "ol", "p", "pre", "s", "strong", "sub", "summary",
    "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "input": {"type", "checked", "disabled"},
    "td": {"align"},
    "th": {"align"},
}


def markdown_to_safe_html(markdown: str) -> str:
    """Markdown to HTML with scripts, handlers and unknown tags removed."""
    raw = _MD.render(markdown)
    raw = raw.replace("<li>[ ] ", '<li><input type="checkbox" disabled> ')
    raw = raw.replace("<li>[x] ", '<li><input type="checkbox" checked disabled> ')
    return nh3.clean(
        raw,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def render_html(pm: Postmortem, template: str | None = None) -> str:
    # The page's header shows the title and metadata; the body is the sections.
    untitled = pm.model_copy(
        update={"title": None, "extra": [], "derived": [*pm.derived, *_ALL_METADATA]}
    )
    body = render_markdown(untitled, template)
    zone = display_zone(pm)
    lifecycle = []
    for phase, name in LIFECYCLE_FIELD_BY_PHASE.items():
        at = getattr(pm.lifecycle, name)
        elapsed = pm.lifecycle.elapsed_s.get(phase)
        if phase is Phase.END and at is None and elapsed is None:
            continue  # only documents that mark the end of impact apart from mitigation
        shown = at.astimezone(zone) if at and zone else at
        if shown is not None:
            when = f"{shown:%Y-%m-%d %H:%M %Z}".strip()
        elif elapsed is not None:
            when = metrics.format_elapsed(elapsed)
        else:
            when = "—"
        lifecycle.append((name.removesuffix("_at"), when))
    return (
        environment()
        .get_template("report.html.j2")
        .render(
            pm=pm,
            title=pm.title or "Postmortem",
            content=markdown_to_safe_html(body),
            lifecycle=lifecycle,
            durations=[
                (m.code, m.name, metrics.format_duration(m.value)) for m in metrics.all_metrics(pm)
            ],
        )
    )
