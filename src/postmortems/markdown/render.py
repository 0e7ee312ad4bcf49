"""Write the model back as canonical Markdown.

Canonical means: front matter with the known keys in a fixed order and unknown keys
exactly as written; an ATX H1 title; ``##`` section headings; timeline entries as
``- **2024-08-01 09:50 UTC**: text`` with explicit phase tags; action items as
checklists. Prose is written back as it was. Rendering is deterministic, and
parse → render → parse → render gives the same text.

Without a template the document keeps its own section order and headings. With one
(``--template`` or ``template:`` in the front matter) sections take that template's
order and names; sections it does not know stay after the section they followed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, TypeVar

import yaml

from postmortems import times
from postmortems.markdown import actions
from postmortems.markdown.blocks import parse_blocks
from postmortems.markdown.phases import CANONICAL_TAG, marker_phase
from postmortems.markdown.sections import TEMPLATES, Template, can_be_title
from postmortems.markdown.timeline import is_table_text
from postmortems.model import (
    LIFECYCLE_FIELD_BY_PHASE,
    ActionItem,
    Postmortem,
    Section,
    SectionKind,
    TimelineEvent,
)

if TYPE_CHECKING:
    import jinja2

FRONT_MATTER_ORDER = (
    "id",
    "title",
    "status",
    "severity",
    "date",
    "timezone",
    "template",
    "authors",
    "reviewers",
    "services",
    "tags",
)
LIFECYCLE_ORDER = tuple(LIFECYCLE_FIELD_BY_PHASE.values())


def heading_text(text: str) -> str:
    """Heading text that reads back as written: one ending in '#' gets a closing sequence,
    or the reader would take its last '#'s for one."""
    return f"{text} #" if text.endswith("#") else text


@cache
def environment() -> jinja2.Environment:
    import jinja2  # only when a template is rendered: `pm note` and `pm lint` never do

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("postmortems", "templates"),
        autoescape=False,  # Markdown, not HTML: the HTML export escapes on its own
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["heading"] = heading_text
    return env


def display_zone(pm: Postmortem) -> dt.tzinfo | None:
    """The zone the front matter asks times to be shown in; otherwise each time keeps its own."""
    if not pm.timezone or "timezone" in pm.derived:
        return None
    return times.tz_from_name(pm.timezone)


def render_markdown(pm: Postmortem, template: str | None = None) -> str:
    chosen = template or pm.template
    layout = TEMPLATES.get(chosen) if chosen else None
    zone = display_zone(pm)
    sections = [
        {"heading": _heading(section, layout), "content": section_content(section, zone)}
        for section in ordered_sections(pm, layout)
    ]
    # A title that reads as a section name ("Summary") can only live in the front matter.
    heading_title = pm.title if pm.title and can_be_title(pm.title) else None
    template_file = environment().get_template("postmortem.md.j2")
    front_matter = front_matter_text(pm, title_in_front_matter=bool(pm.title) and not heading_title)
    text = template_file.render(
        front_matter=front_matter,
        title=heading_title,
        preamble=pm.preamble,
        sections=sections,
    )
    text = text.rstrip("\n") + "\n"
    if not front_matter and text.startswith("---"):
        # A leading rule would read back as front matter: write an empty one before it.
        text = "---\n---\n\n" + text
    return text


def ordered_sections(pm: Postmortem, layout: Template | None) -> list[Section]:
    """Sections in the template's order; an unknown section keeps its place after the one it followed."""
    if layout is None:
        return list(pm.sections)
    groups: list[tuple[int, int, list[Section]]] = []
    leading: list[Section] = []
    for index, section in enumerate(pm.sections):
        if section.kinds:
            rank = min(layout.position(kind) for kind in section.kinds)
            groups.append((rank, index, [section]))
        elif groups:
            groups[-1][2].append(section)
        else:
            leading.append(section)
    groups.sort(key=lambda group: (group[0], group[1]))
    return leading + [section for _, _, members in groups for section in members]


def _heading(section: Section, layout: Template | None) -> str:
    if layout is None or not section.kinds or section.keep_title:
        return section.title
    return layout.heading_for(section.kinds[0])


def front_matter_text(pm: Postmortem, title_in_front_matter: bool = False) -> str:
    """The YAML between the fences, or "" when there is nothing to write."""
    derived = set(pm.derived)
    if title_in_front_matter:
        derived.discard("title")
    values: dict[str, object] = {}
    for key in FRONT_MATTER_ORDER:
        if key in derived:
            continue
        value = getattr(pm, key)
        if value is None or value == []:
            continue
        values[key] = value.value if hasattr(value, "value") else value
    lines = [_yaml_line(key, value) for key, value in values.items()]
    zone = display_zone(pm)
    for key in LIFECYCLE_ORDER:
        at = getattr(pm.lifecycle, key)
        if at is None or key in derived:
            continue
        shown = at.astimezone(zone) if zone else at
        lines.append(f"{key}: {shown.isoformat()}")
    lines.extend(field.raw for field in pm.extra)
    return "\n".join(lines)


def _yaml_line(key: str, value: object) -> str:
    if isinstance(value, dt.date):
        return f"{key}: {value.isoformat()}"
    if isinstance(value, list):
        return yaml.safe_dump(
            {key: value}, default_flow_style=None, allow_unicode=True, width=1000
        ).strip()
    return yaml.safe_dump({key: value}, allow_unicode=True, width=1000).strip()


def shift_headings(markdown: str, by: int) -> str:
    """The text with every heading ``by`` levels deeper (as ATX), code blocks untouched.

    Sections are written as ``##``; a section that was an H1 keeps its inner headings
    below it by moving them down a level."""
    if by <= 0 or ("#" not in markdown and "\n-" not in markdown and "\n=" not in markdown):
        return markdown
    lines = markdown.split("\n")
    for block in reversed(parse_blocks(markdown)):
        if block.kind == "heading":
            level = min(block.level + by, 6)
            lines[block.start : block.end] = [
                f"{'#' * level} {heading_text(' '.join(block.text.split()))}".rstrip()
            ]
    return "\n".join(lines)


def section_content(section: Section, zone: dt.tzinfo | None) -> str:
    return shift_headings(_content(section, zone), 2 - section.level)


def _content(section: Section, zone: dt.tzinfo | None) -> str:
    if SectionKind.TIMELINE in section.kinds and (section.events or section.notes):
        return _structured(section, section.events, lambda e: timeline_entry(e, zone))
    if SectionKind.ACTION_ITEMS in section.kinds and (section.items or section.notes):
        return _structured(section, section.items, action_item)
    return section.body


Entry = TypeVar("Entry", TimelineEvent, ActionItem)


def _structured(section: Section, entries: list[Entry], write: Callable[[Entry], str]) -> str:
    """The section in the order it was written: notes as written, entries in canonical
    form — except entries read from a table: the table is written back as it was, with
    all its columns. A section built without a body (a draft) is notes, then entries."""
    if section.body_line is None or not section.body.strip():
        simple = [section.notes] if section.notes.strip() else []
        if entries:
            simple.append("\n".join(write(entry) for entry in entries))
        return "\n\n".join(simple)
    lines = section.body.split("\n")
    notes_left = section.notes
    parts: list[str] = []
    after_entries = False  # entries of consecutive blocks form one list
    placed: set[int] = set()
    for block in parse_blocks(section.body):
        first, end = section.body_line + block.start, section.body_line + block.end
        inside = [
            index
            for index, entry in enumerate(entries)
            if entry.line is not None and first <= entry.line < end and index not in placed
        ]
        raw = "\n".join(lines[block.start : block.end]).strip("\n")
        if inside:
            placed.update(inside)
            if block.kind == "table" or is_table_text(raw):
                parts.append(raw)
            else:
                written = "\n".join(write(entries[index]) for index in inside)
                if after_entries:
                    parts[-1] += "\n" + written
                else:
                    parts.append(written)
            after_entries = block.kind != "table" and not is_table_text(raw)
        elif block.kind == "table":  # a table without entries: a header alone
            parts.append(raw)
            after_entries = False
        elif raw and raw in notes_left:
            parts.append(raw)
            notes_left = notes_left.replace(raw, "", 1)
            after_entries = False
        # Otherwise the block is part of an entry's words (paragraphs under a time heading).
    # Notes not standing as blocks of their own (lines of a paragraph before its first
    # entry) go first, as do entries no block holds.
    leftover = re.sub(r"\n{3,}", "\n\n", notes_left).strip("\n")
    unplaced = [write(e) for i, e in enumerate(entries) if i not in placed]
    return "\n\n".join(part for part in [leftover, *parts, "\n".join(unplaced)] if part.strip())


_READ_AS_SEPARATOR = re.compile(r"^[\s:\-–—|,]")
_DASH_BREAK = re.compile(r"^ {0,3}(?:-[ \t]*){3,}$")


def _indent_rest(text: str) -> str:
    lines = text.split("\n")
    return "\n".join([lines[0], *(("  " + line) if line.strip() else "" for line in lines[1:])])


def timeline_entry(event: TimelineEvent, zone: dt.tzinfo | None) -> str:
    stamp = event_time_text(event, zone)
    tag = ""
    if (
        event.phase is not None
        and not event.phase_inferred
        and marker_phase(event.text) != event.phase  # "OUTAGE BEGINS" says it already
    ):
        tag = f"[{CANONICAL_TAG[event.phase]}] "
    text = event.text
    if stamp is None:
        line = f"- {tag}{_indent_rest(text)}".rstrip()
        if _DASH_BREAK.match(line.split("\n", 1)[0]):
            # "- -----" would be a thematic break, not an entry: "* -----" stays an entry.
            line = "*" + line[1:]
        return line
    # A time shown as written already carries its "~" or "around".
    approximate = "~" if event.approximate and event.at is not None else ""
    if not tag and _READ_AS_SEPARATOR.match(text):
        # Words starting like a separator ("- a list") go below the time, or the reader
        # would take their first character for the one after the time.
        return f"- **{approximate}{stamp}**:\n" + _indent_rest("\n" + text)[1:]
    return f"- **{approximate}{stamp}**: {tag}{_indent_rest(text)}".rstrip()


def event_time_text(event: TimelineEvent, zone: dt.tzinfo | None) -> str | None:
    """The entry's time in canonical form, or as written when it could not be resolved."""
    if event.at is not None:
        shown_zone = zone or event.at.tzinfo or dt.UTC
        return times.format_timestamp(event.at, shown_zone)
    return event.time_as_written


def action_item(item: ActionItem) -> str:
    box = "[x]" if item.done else "[ ]"
    text = item.text + _missing_fields(item)
    return f"- {box} {_indent_rest(text)}".rstrip()


def _missing_fields(item: ActionItem) -> str:
    """Fields read from a table column that the item's words don't already say."""
    reread = actions.from_text(item.text, None)
    extra: list[str] = []
    if item.owner and reread.owner != item.owner:
        extra.append(f"owner: {item.owner}")
    if item.due_as_written and reread.due_as_written is None:
        extra.append(f"due: {item.due.isoformat() if item.due else item.due_as_written}")
    if item.priority and reread.priority != item.priority.upper():
        extra.append(f"priority: {item.priority}")
    if item.type and reread.type != item.type:
        extra.append(f"type: {item.type.value}")
    if item.status and not item.done and item.status.strip():
        extra.append(f"status: {item.status}")
    if item.link and reread.link != item.link:
        extra.append(item.link)
    return f" ({'; '.join(extra)})" if extra else ""
