"""A postmortem as one standalone, sanitised, printable HTML page.

The page carries the whole document: before it is returned, every word and link of the
Markdown it was made from is looked for in the page's visible text
(`postmortems.markdown.content.missing_from_html`), and `ExportSafetyError` is raised
rather than a page that silently lacks something.

Raw HTML in the Markdown is kept where the sanitiser allows it (``<details>``, ``<br>``,
``<sub>`` …). Tags whose content a browser or the sanitiser would swallow — ``<script>``,
``<style>``, ``<iframe>``, an unclosed comment — are shown as text instead: prose that
mentions ``<script>`` outside backticks reads as written, and no script survives.
"""

from __future__ import annotations

import re

import nh3
from markdown_it.token import Token

from postmortems import metrics
from postmortems.control_chars import escape_bidi, escape_controls
from postmortems.errors import ExportSafetyError
from postmortems.markdown.content import (
    describe_loss,
    first_loss,
    missing_from_html,
    visible_pieces,
)
from postmortems.markdown.render import display_zone, environment, render_markdown
from postmortems.markdown.tokens import display_parser
from postmortems.model import LIFECYCLE_FIELD_BY_PHASE, Phase, Postmortem

_ALL_METADATA = ("id", "status", "severity", "date", "timezone", "template", "authors", "reviewers",
                 "services", "tags", *LIFECYCLE_FIELD_BY_PHASE.values())  # fmt: skip

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
URL_SCHEMES = {"http", "https", "mailto"}

# Elements whose content is not shown as text (raw text, or dropped by the sanitiser).
_SWALLOWING = re.compile(
    r"<\s*/?\s*(script|style|textarea|title|xmp|iframe|noembed|noframes|noscript|plaintext|"
    r"template|object|embed|svg|math)(?=[\s/>]|$)",
    re.IGNORECASE,
)


def markdown_to_safe_html(markdown: str, path: str | None = None) -> str:
    """Markdown to HTML with scripts, handlers and unknown tags removed, and nothing else."""
    md = display_parser()
    env: dict[str, object] = {}
    parsed = md.parse(markdown, env)
    # What the page must show, read before the swallowing HTML below is made text.
    visible = visible_pieces(parsed)
    tokens = _shown_as_text(parsed)
    raw = md.renderer.render(tokens, md.options, env)
    raw = raw.replace("<li>[ ] ", '<li><input type="checkbox" disabled> ')
    raw = raw.replace("<li>[x] ", '<li><input type="checkbox" checked disabled> ')
    raw = raw.replace("<li>[X] ", '<li><input type="checkbox" checked disabled> ')
    safe = nh3.clean(
        raw,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    missing = missing_from_html(markdown, safe, URL_SCHEMES, visible)
    if missing:
        raise ExportSafetyError(
            f"the HTML page would lack {describe_loss(missing)}; nothing written",
            path,
            first_loss(missing).line or None,
        )
    return safe


def _shown_as_text(tokens: list[Token]) -> list[Token]:
    """Raw HTML that would swallow what follows it, turned into text."""
    out: list[Token] = []
    for token in tokens:
        if token.children:
            token.children = _shown_as_text(token.children)
        if token.type == "html_inline" and _swallows(token.content):
            token.type = "text"
        elif token.type == "html_block" and _swallows(token.content):
            out.extend(_paragraph(token))
            continue
        out.append(token)
    return out


def _swallows(html: str) -> bool:
    unclosed_comment = html.count("<!--") > html.count("-->")
    return unclosed_comment or _SWALLOWING.search(html) is not None


def _paragraph(block: Token) -> list[Token]:
    opening = Token("paragraph_open", "p", 1, map=block.map, level=block.level, block=True)
    text = Token("text", "", 0, content=block.content.strip("\n"))
    inline = Token(
        "inline", "", 0, map=block.map, level=block.level + 1, children=[text], block=True
    )
    closing = Token("paragraph_close", "p", -1, level=block.level, block=True)
    return [opening, inline, closing]


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
    page = (
        environment()
        .get_template("report.html.j2")
        .render(
            pm=pm,
            title=pm.title or "Postmortem",
            content=markdown_to_safe_html(body, pm.source_path),
            lifecycle=lifecycle,
            durations=[
                (m.code, m.name, metrics.format_duration(m.value)) for m in metrics.all_metrics(pm)
            ],
        )
    )
    # A bidirectional control in the page would reorder what the reader sees of the text
    # around it: each is shown as <U+XXXX> instead, in text and attribute values alike.
    # Other control characters show as their symbols (ESC as ␛), as on the terminal.
    return escape_controls(escape_bidi(page, html=True))
