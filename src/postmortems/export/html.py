"""A postmortem as one standalone, sanitised, printable HTML page."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

from postmortems import metrics
from postmortems.markdown.render import display_zone, environment, render_markdown
from postmortems.model import Postmortem

_ALL_METADATA = ("id", "status", "severity", "date", "timezone", "template", "authors", "reviewers",
                 "services", "tags", "started_at", "detected_at", "acknowledged_at", "mitigated_at",
                 "resolved_at")  # fmt: skip
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
    for name in ("started_at", "detected_at", "acknowledged_at", "mitigated_at", "resolved_at"):
        at = getattr(pm.lifecycle, name)
        shown = at.astimezone(zone) if at and zone else at
        lifecycle.append(
            (name.removesuffix("_at"), f"{shown:%Y-%m-%d %H:%M %Z}".strip() if shown else "—")
        )
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
