"""Read a postmortem written in Markdown into the model, without losing a word.

The document: optional YAML front matter, a title (the first H1, or ``title`` in the
front matter), then sections. A section starts at an H1–H3 heading (ATX or Setext), a
deeper heading naming a section at the level the document writes its sections, or a
bold or italic pseudo-heading line (``**Summary**: text``); headings written without
Markdown (plain lines, HTML) are made Markdown first by `postmortems.markdown.reading`. A deeper heading that names no
other section stays inside the section it is in; inside a timeline, headings that are
dates or times are part of the timeline. Every section keeps its content as written.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from postmortems import times
from postmortems.byte_order import decode_with_mark
from postmortems.errors import InputError
from postmortems.markdown import actions, frontmatter, metadata, phases, reading
from postmortems.markdown.blocks import Block, parse_blocks, tidy
from postmortems.markdown.limits import MAX_NESTING
from postmortems.markdown.sections import can_be_title, match_heading
from postmortems.markdown.timeline import TimelineReader, moment_in_entry
from postmortems.model import (
    LIFECYCLE_FIELD_BY_PHASE,
    FrontMatterField,
    Phase,
    Postmortem,
    Section,
    SectionKind,
    Status,
    TimelineEvent,
    Warning_,
)

# Twenty times the longest real postmortem seen (about 25 KB). Reading is linear, but `fmt`
# reads a document several times over (about 20 s of CPU for 1 MiB of timeline entries),
# and every command must finish in seconds on anything it accepts: refuse rather than hang.
MAX_BYTES = 512 * 1024

# **Summary**: text, __Impact__, *Timeline:*, ***Root Cause***: the closing marks mirror
# the opening ones (checked where it is used).
_PSEUDO_HEADING = re.compile(
    r"^([*_]{1,3})(?=[^\s*_])([^*_\n]{2,60}?)(?::\s*)?([*_]{1,3})\s*:?\s*(.*)$"
)
# "Duration: 2 hours", "**Impact:** most users": a label and its value on one line.
_FIELD = re.compile(r"^\s*[*_]{0,3}[A-Z][\w ()/'-]{0,40}?[*_]{0,3}\s*:\s*[*_]{0,3}\s*\S")
_TITLE_PREFIX = re.compile(r"^(?:title|incident title)\s*[:\-]\s*", re.IGNORECASE)

LIST_KEYS = ("authors", "reviewers", "services", "tags")
SCALAR_KEYS = ("id", "title", "status", "severity", "date", "timezone", "template")
LIFECYCLE_KEYS = tuple(LIFECYCLE_FIELD_BY_PHASE.values())
KNOWN_KEYS = (*SCALAR_KEYS, *LIST_KEYS, *LIFECYCLE_KEYS)


def read_text(path: str | Path) -> str:
    """A document's text, or an InputError saying plainly why it cannot be read."""
    path = Path(path)
    shown = str(path)
    if not path.exists():
        raise InputError("no such file", shown)
    if path.is_dir():
        raise InputError("is a directory, not a Markdown file", shown)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(
                f"file is too large to be a postmortem ({size // 1024:,} KiB; the limit is {MAX_BYTES // 1024:,} KiB)",
                shown,
            )
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", shown) from exc
    return decode_document(data, shown)


def decode_document(data: bytes, shown: str) -> str:
    """UTF-8 (with or without a byte-order mark), or UTF-16/32 with one; else an InputError."""
    try:
        marked = decode_with_mark(data)
    except UnicodeDecodeError as exc:
        raise InputError(f"is not valid {exc.encoding.upper()} (byte {exc.start})", shown) from exc
    if marked is not None:
        return marked
    if b"\x00" in data[:8192]:
        raise InputError("is a binary file, not Markdown", shown)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"is not valid UTF-8 (byte {exc.start})", shown, line) from exc


def parse_file(path: str | Path) -> Postmortem:
    text = read_text(path)
    return parse_text(text, str(path))


@dataclass
class _Open:
    """A section being collected."""

    section: Section
    blocks: list[Block]
    content_start: int  # 0-based Markdown line where its content starts
    first_line_text: str | None = None  # content after a pseudo-heading, on its line
    pseudo: bool = False  # opened by a bold or italic line rather than a heading


def parse_text(text: str, path: str | None = None) -> Postmortem:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    unwrapped = reading.unwrap(text)
    front, markdown, offset = frontmatter.split(unwrapped.text, path)
    pm = Postmortem(source_path=path)
    pm.warnings.extend(unwrapped.warnings)
    _apply_front_matter(pm, front)
    view, blocks_of_view = reading.headings_view(markdown, offset + 1, pm.title is not None)
    pm.warnings.extend(view.warnings)
    markdown = view.text
    lines = markdown.split("\n")
    blocks = blocks_of_view if blocks_of_view is not None else parse_blocks(markdown)
    for line in (line for block in blocks for line in block.too_deep):
        pm.warnings.append(
            Warning_(
                message=f"lists or quotes nested deeper than {MAX_NESTING} levels: "
                "the deeper part is kept as written, as plain text",
                line=line + offset + 1,
            )
        )
    opened = _collect_sections(pm, blocks, lines, offset)
    metadata.apply(pm, metadata.read(blocks, lines))
    if not text.strip():
        pm.warnings.append(Warning_(message="the document is empty", line=1))
    narrative = _fill_sections(pm, opened, lines, offset)
    _derive_lifecycle(pm, narrative)
    return pm


# Front matter


def _apply_front_matter(pm: Postmortem, front: frontmatter.FrontMatter) -> None:
    pm.field_lines.update(front.line_by_key)
    for key, value in front.data.items():
        line = front.line_by_key.get(key)
        if key in KNOWN_KEYS and _set_known(pm, key, value):
            continue
        if key in KNOWN_KEYS:
            pm.warnings.append(
                Warning_(
                    message=f"front matter '{key}' has a value that cannot be read; kept as is",
                    line=line,
                )
            )
        pm.extra.append(
            FrontMatterField(key=key, value=_plain(value), raw=front.raw_by_key.get(key, f"{key}:"))
        )


def _plain(value: Any) -> Any:
    """YAML values as JSON-friendly data (dates become ISO strings)."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _set_known(pm: Postmortem, key: str, value: Any) -> bool:
    if value is None:
        return True
    if key in LIST_KEYS:
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
            return False
        setattr(pm, key, [str(v) for v in value])
        return True
    if key == "status":
        try:
            pm.status = Status(str(value).lower().replace(" ", "_").replace("-", "_"))
        except ValueError:
            return False
        return True
    if key == "date":
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            pm.date = value
            return True
        parsed = times.find_date(str(value))
        if parsed is None:
            return False
        pm.date = parsed
        return True
    if key == "timezone":
        if times.tz_from_name(str(value)) is None:
            return False
        pm.timezone = str(value)
        return True
    if key in LIFECYCLE_KEYS:
        zone = times.tz_from_name(pm.timezone) if pm.timezone else None
        if isinstance(value, dt.datetime):
            at = value if value.tzinfo else value.replace(tzinfo=zone or dt.UTC)
        else:
            parsed_at = times.parse_datetime(str(value), default_tz=zone or dt.UTC)
            if parsed_at is None:
                return False
            at = parsed_at
        setattr(pm.lifecycle, key, at)
        return True
    if isinstance(value, dict | list):
        return False
    setattr(pm, key, str(value))
    return True


# Sections


def _heading_title(text: str) -> str:
    # markdown-it has already removed an ATX heading's closing #s: "C#" stays "C#".
    # A Setext heading may span lines: a heading is one line.
    return " ".join(text.split())


def _collect_sections(
    pm: Postmortem, blocks: list[Block], lines: list[str], offset: int
) -> list[_Open]:
    opened: list[_Open] = []
    preamble: list[Block] = []
    current: _Open | None = None
    awaiting_title = False  # after "# Title:", the next heading holds the title
    runs = _field_runs(blocks, lines)
    for number, block in enumerate(blocks):
        if block.kind == "heading":
            title = _heading_title(block.text)
            if current is None and not opened and (block.level == 1 or awaiting_title):
                outcome = _take_title(pm, title, block.start + offset + 1)
                awaiting_title = outcome == "awaiting"
                if outcome != "not a title":
                    if outcome == "kept":
                        preamble.append(block)
                    continue
            if _stays_inside(current, block, title):
                assert current is not None
                current.blocks.append(block)
                continue
            if block.level <= 3 or _opens_deep_section(current, block, title):
                current = _start(title, block.level, block.start, block.end, offset)
                opened.append(current)
                continue
        elif block.kind == "paragraph":
            split = _split_pseudo_headings(block, lines, offset, current, runs[number])
            if split:
                for sub in split:
                    if sub.section is None:
                        (current.blocks if current else preamble).append(sub.block)
                    else:
                        current = sub.section
                        opened.append(current)
                continue
        (current.blocks if current else preamble).append(block)
    pm.preamble = text_of_blocks(preamble, lines)
    return opened


def text_of_blocks(blocks: list[Block], lines: list[str]) -> str:
    """The blocks' lines as written; where a block taken elsewhere (the title) stood between
    two of them, a blank line instead."""
    chunks: list[tuple[int, int]] = []
    for block in blocks:
        if chunks and all(not line.strip() for line in lines[chunks[-1][1] : block.start]):
            chunks[-1] = (chunks[-1][0], block.end)
        else:
            chunks.append((block.start, block.end))
    return "\n\n".join("\n".join(lines[a:b]).strip("\n") for a, b in chunks)


def _take_title(pm: Postmortem, heading: str, line: int) -> str:
    """Whether a heading before any section is the document's title.

    Returns "taken", "kept" (a second title differing from the front matter's, kept in the
    preamble), "awaiting" ("# Title:" whose title follows), or "not a title".
    """
    if "#title" in pm.field_lines:
        return "not a title"
    name = _TITLE_PREFIX.sub("", heading)
    if not name:
        return "awaiting" if heading else "not a title"
    if not can_be_title(name):
        return "not a title"
    pm.field_lines["#title"] = line
    if pm.title is None:
        pm.title = name
        pm.derived.append("title")
        return "taken"
    if pm.title == name:
        return "taken"
    pm.warnings.append(
        Warning_(
            message=f"the heading '{name}' differs from the front matter's title; kept as written",
            line=line,
        )
    )
    return "kept"


def _stays_inside(current: _Open | None, block: Block, title: str) -> bool:
    """Whether a heading is part of the section it is in rather than the start of a new one."""
    if current is None:
        return False
    section = current.section
    if SectionKind.TIMELINE in section.kinds and (
        times.match_date_heading(title) is not None or _is_time_heading(title)
    ):
        return True
    match = match_heading(title)
    deeper = block.level > section.level
    if match is None:
        return deeper or block.level > 3
    if deeper and (match.sub_part or set(match.kinds) <= set(section.kinds)):
        return True
    return block.level > 3 and deeper and bool(section.kinds)


def _opens_deep_section(current: _Open | None, block: Block, title: str) -> bool:
    """An H4–H6 naming a section opens one when it is the first section or no deeper than
    the section it follows: documents that write every section as ``####``."""
    if match_heading(title) is None:
        return False
    return current is None or block.level <= current.section.level


def _is_time_heading(title: str) -> bool:
    match = times.match_leading_timestamp(title)
    return match is not None and not match.rest.strip("*_ ").strip()


def _start(title: str, level: int, start: int, end: int, offset: int) -> _Open:
    match = match_heading(title)
    section = Section(
        title=title,
        kinds=list(match.kinds) if match else [],
        level=level,
        line=start + offset + 1,
        keep_title=bool(match and (match.sub_part or match.combined or match.phrased)),
    )
    return _Open(section, [], end)


# Sections whose name, followed by a value on its line, is a field: "**Duration:** 45 min".
_FIGURE_KINDS = frozenset({SectionKind.STATS})


@dataclass
class _Piece:
    block: Block
    section: _Open | None = None


def _field_runs(blocks: list[Block], lines: list[str]) -> list[int]:
    """For each block, how many field lines ("**Impact:** most users") the run of
    paragraphs it stands in holds, when they are all fields and one of them is a fact
    rather than a section's name ("**Duration:** 2 hours", "**Severity:** 2"); else 0.
    Facts written one per paragraph are a list of facts as much as line under line."""
    runs = [0] * len(blocks)
    number = 0
    while number < len(blocks):
        end = number
        count = 0
        facts = False
        while end < len(blocks) and blocks[end].kind == "paragraph":
            block = blocks[end]
            if not all(_FIELD.match(lines[i]) for i in range(block.start, block.end)):
                break
            count += block.end - block.start
            facts = facts or any(_is_fact(lines[i]) for i in range(block.start, block.end))
            end += 1
        for member in range(number, end):
            runs[member] = count if facts else 0
        number = max(end, number + 1)
    return runs


_FIELD_LABEL = re.compile(r"^\s*[*_]{0,3}([A-Z][\w ()/'-]{0,40}?)[*_]{0,3}\s*:")


def _is_fact(line: str) -> bool:
    """A field naming no section, or a figure: "Severity: 2", "Duration: 2 hours"."""
    label = _FIELD_LABEL.match(line)
    if label is None:
        return False
    named = match_heading(label.group(1))
    return named is None or set(named.kinds) <= _FIGURE_KINDS


def _split_pseudo_headings(
    block: Block, lines: list[str], offset: int, current: _Open | None, run: int = 0
) -> list[_Piece]:
    """A paragraph cut where its lines are ``**Section name**: text`` pseudo-headings
    (but not where, inside a timeline, they label a group of its entries). ``run``: the
    field lines of the run of field-only paragraphs the block stands in."""
    in_timeline = current is not None and SectionKind.TIMELINE in current.section.kinds
    # "## Issue Summary" then "**Impact:** 40% of users": a field of the summary, as the
    # seed asks a summary to give; after "**Summary**: …" the same line is the next section.
    fields = sum(1 for i in range(block.start, block.end) if _FIELD.match(lines[i]))
    in_summary = (
        current is not None
        and not current.pseudo
        and current.section.kinds == [SectionKind.SUMMARY]
        and max(fields, run) >= 2
    )
    pieces: list[_Piece] = []
    found = False
    pending_start = block.start
    for index in range(block.start, block.end):
        match = _PSEUDO_HEADING.match(lines[index].strip())
        mirrored = match is not None and match.group(3) == match.group(1)[::-1]
        heading = match_heading(match.group(2)) if match and mirrored else None
        if match is None or heading is None:
            continue
        label = in_timeline and not match.group(4).strip()
        if label and reading.is_label_group(list(heading.kinds), lines, index):
            continue
        if in_summary and match.group(4).strip() and _FIELD.match(lines[index]):
            continue
        if set(heading.kinds) <= _FIGURE_KINDS and match.group(4).strip():
            continue  # "**Duration:** 45 min": a figure, not a section
        found = True
        if index > pending_start:
            pieces.append(_Piece(Block("paragraph", pending_start, index)))
        opened = _start(match.group(2).strip(), 2, index, index + 1, offset)
        opened.pseudo = True
        rest = match.group(4).strip()
        if rest:
            opened.first_line_text = rest
            opened.content_start = index
        pieces.append(_Piece(Block("paragraph", index, index + 1), opened))
        pending_start = index + 1
    if found and pending_start < block.end:
        pieces.append(_Piece(Block("paragraph", pending_start, block.end)))
    return pieces if found else []


def _fill_sections(
    pm: Postmortem, opened: list[_Open], lines: list[str], offset: int
) -> list[TimelineEvent]:
    """Fills the sections; returns the timed moments of a "What happened" narrative when
    the document has no timeline (its lifecycle is read from them)."""
    clock = times.TimelineClock(
        date=_context_date(pm, opened, lines),
        tz=_context_zone(pm, opened, lines),
        dayfirst=times.infer_dayfirst(lines),
    )
    timeline_reader = TimelineReader(clock)
    for item in opened:
        section = item.section
        body_blocks = item.blocks
        body_lines = _body_lines(item, lines)
        while body_lines and not body_lines[0][1].strip():
            body_lines.pop(0)
        while body_lines and not body_lines[-1][1].strip():
            body_lines.pop()
        section.body = "\n".join(text for _, text in body_lines)
        section.body_line = body_lines[0][0] + offset + 1 if body_lines else None
        if SectionKind.TIMELINE in section.kinds:
            zone = times.find_timezone(section.title)
            if zone is not None:
                clock.set_timezone(zone)
            result = timeline_reader.read(body_blocks, lines, offset + 1)
            section.events = result.events
            section.notes = _join_notes([item.first_line_text, *result.notes])
            pm.warnings.extend(result.warnings)
        elif SectionKind.ACTION_ITEMS in section.kinds:
            _read_action_items(section, body_blocks, lines, offset + 1)
            section.notes = _join_notes([item.first_line_text, section.notes])
        pm.sections.append(section)
    _place_on_clock(pm, clock, timeline_reader)
    if pm.timeline:
        return []
    return [
        event
        for item in opened
        if SectionKind.WHAT_HAPPENED in item.section.kinds
        for event in timeline_reader.read_narrative(item.blocks, lines, offset + 1)
    ]


def _place_on_clock(pm: Postmortem, clock: times.TimelineClock, reader: TimelineReader) -> None:
    """Dates the entries read before the timeline's first date, or says once that none is known."""
    epoch = clock.epoch
    undated = [e for e in pm.timeline if e.at is None and e.elapsed_s is not None]
    if not undated:
        return
    if epoch is not None:
        zone = clock.tz or dt.UTC
        for event in undated:
            assert event.elapsed_s is not None
            event.at = (epoch + dt.timedelta(seconds=event.elapsed_s)).astimezone(zone)
        return
    pm.warnings.append(
        Warning_(
            message=f"the timeline's times have no date ({len(undated)} "
            f"entr{'y' if len(undated) == 1 else 'ies'}): they are "
            "read in order, past midnight, with durations between them; state the date "
            "(front matter 'date:' or a '**Date**:' line) to place them",
            line=reader.first_undated_line,
        )
    )


def _join_notes(notes: list[str | None]) -> str:
    return "\n\n".join(n for n in notes if n and n.strip())


def _body_lines(item: _Open, lines: list[str]) -> list[tuple[int, str]]:
    if not item.blocks and item.first_line_text is None:
        return []
    end = item.blocks[-1].end if item.blocks else item.content_start + 1
    out: list[tuple[int, str]] = []
    if item.first_line_text is not None:
        out.append((item.content_start, item.first_line_text))
        start = item.content_start + 1
    else:
        start = item.content_start
    out.extend((index, lines[index]) for index in range(start, end))
    return out


def _read_action_items(
    section: Section, blocks: list[Block], lines: list[str], line_base: int
) -> None:
    notes: list[str] = []
    for block in blocks:
        if block.kind == "list":
            for start, end in block.items:
                item_lines = _item_text(lines[start:end])
                if item_lines.strip():
                    section.items.append(actions.from_text(item_lines, start + line_base))
        elif block.kind == "table":
            columns = actions.table_columns(block.header)
            for row in block.rows:
                item = actions.from_row(columns, row.cells, row.line + line_base)
                if item is not None:
                    section.items.append(item)
        else:
            notes.append("\n".join(lines[block.start : block.end]).strip("\n"))
    section.notes = "\n\n".join(n for n in notes if n.strip())


_MARKER = re.compile(r"^\s{0,3}(?:[-*+]|\d{1,3}[.)])\s+")


def _item_text(item_lines: list[str]) -> str:
    first = item_lines[0]
    marker = _MARKER.match(first)
    indent = marker.end() if marker else 0
    out = [first[indent:]]
    for line in item_lines[1:]:
        stripped = len(line) - len(line.lstrip(" "))
        out.append(line[min(indent, stripped) :])
    return tidy("\n".join(out))


# Context for times: the nearest statement of the date and the zone.


def _context_text(pm: Postmortem, opened: list[_Open], lines: list[str]) -> list[str]:
    texts: list[str] = []
    for item in opened:
        if SectionKind.SUMMARY in item.section.kinds:
            texts.append("\n".join(text for _, text in _body_lines(item, lines)))
    texts.append(pm.title or "")
    texts.append(pm.preamble)
    if pm.source_path:
        texts.append(Path(pm.source_path).name.replace("_", " "))
    return texts


def _context_date(pm: Postmortem, opened: list[_Open], lines: list[str]) -> dt.date | None:
    if pm.date is not None:
        return pm.date
    for text in _context_text(pm, opened, lines):
        found = times.find_date(text) if text else None
        if found is not None:
            pm.date = found
            pm.derived.append("date")
            return found
    return None


def _context_zone(pm: Postmortem, opened: list[_Open], lines: list[str]) -> dt.tzinfo | None:
    if pm.timezone:
        return times.tz_from_name(pm.timezone)
    zone = _find_zone(opened, lines, pm)
    if zone is not None:
        pm.timezone = times.zone_name(zone)
        pm.derived.append("timezone")
    return zone


def _find_zone(opened: list[_Open], lines: list[str], pm: Postmortem) -> dt.tzinfo | None:
    for item in opened:
        if SectionKind.TIMELINE in item.section.kinds:
            zone = times.find_timezone(item.section.title) or times.find_timezone(
                "\n".join(text for _, text in _body_lines(item, lines)[:3])
            )
            if zone is not None:
                return zone
    for text in _context_text(pm, opened, lines):
        zone = (times.find_timezone(text) or _zone_after_time(text)) if text else None
        if zone is not None:
            return zone
    return None


_TIME_THEN_ZONE = re.compile(
    r"\b\d{1,2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?\s*\(?((?:UTC|GMT)(?:[+-]\d{1,2}(?::?\d{2})?)?|[A-Z]{3,4}T?|[+-]\d{2}:?\d{2})\)?(?![\w])",
    re.IGNORECASE,
)


def _zone_after_time(text: str) -> dt.tzinfo | None:
    """The zone written right after a time in prose: "from 10:00 AM to 11:30 AM UTC"."""
    for match in _TIME_THEN_ZONE.finditer(text):
        name = match.group(1)
        if name.isalpha() and not name.isupper():
            continue
        zone = times.tz_from_name(name)
        if zone is not None:
            return zone
    return None


# Lifecycle


def _derive_lifecycle(pm: Postmortem, narrative: list[TimelineEvent]) -> None:
    events = pm.timeline or narrative
    explicit = [event.phase for event in events]
    for event in events:
        if event.phase is not None and _on_clock(event):
            name = LIFECYCLE_FIELD_BY_PHASE.get(event.phase)
            if name and not _has_phase(pm, event.phase):
                _set_phase(pm, event.phase, event)
                pm.derived.append(name)
    given_in_front = {
        phase for phase, name in LIFECYCLE_FIELD_BY_PHASE.items() if name in pm.field_lines
    }
    inferred = phases.infer_phases([e.text for e in events], explicit)
    for phase, index in sorted(inferred.items(), key=lambda kv: kv[1]):
        if phase in given_in_front:
            continue
        event = events[index]
        if not _on_clock(event):
            continue
        name = LIFECYCLE_FIELD_BY_PHASE.get(phase)
        if name is None or _has_phase(pm, phase):
            continue
        at, elapsed = moment_in_entry(event, phases.phase_clause(event.text, phase))
        _set_phase(pm, phase, event.model_copy(update={"at": at, "elapsed_s": elapsed}))
        pm.lifecycle_inferred.append(phase)
        pm.derived.append(name)
        if event.phase is None:
            event.phase = phase
            event.phase_inferred = True
    _mitigated_by_the_end(pm, given_in_front)
    _order_phases(pm.lifecycle_inferred)
    _elapsed_of_stated_phases(pm)


def _mitigated_by_the_end(pm: Postmortem, given_in_front: set[Phase]) -> None:
    """Impact marked over ("OUTAGE ENDS") and no mitigation marked: it was mitigated then."""
    if Phase.MITIGATE in given_in_front or _has_phase(pm, Phase.MITIGATE):
        return
    if not _has_phase(pm, Phase.END):
        return
    pm.lifecycle.mitigated_at = pm.lifecycle.ended_at
    if Phase.END in pm.lifecycle.elapsed_s:
        pm.lifecycle.elapsed_s[Phase.MITIGATE] = pm.lifecycle.elapsed_s[Phase.END]
    pm.lifecycle_inferred.append(Phase.MITIGATE)
    pm.derived.append("mitigated_at")


def _on_clock(event: TimelineEvent) -> bool:
    return event.at is not None or event.elapsed_s is not None


def _has_phase(pm: Postmortem, phase: Phase) -> bool:
    name = LIFECYCLE_FIELD_BY_PHASE[phase]
    return getattr(pm.lifecycle, name) is not None or phase in pm.lifecycle.elapsed_s


def _set_phase(pm: Postmortem, phase: Phase, event: TimelineEvent) -> None:
    if event.at is not None:
        setattr(pm.lifecycle, LIFECYCLE_FIELD_BY_PHASE[phase], event.at)
    if event.elapsed_s is not None:
        pm.lifecycle.elapsed_s[phase] = event.elapsed_s


def _elapsed_of_stated_phases(pm: Postmortem) -> None:
    """Phases stated in front matter, placed on the timeline's clock when it has a date."""
    anchor = next((e for e in pm.timeline if e.at is not None and e.elapsed_s is not None), None)
    if anchor is None or anchor.at is None or anchor.elapsed_s is None:
        return
    epoch = anchor.at - dt.timedelta(seconds=anchor.elapsed_s)
    for phase, name in LIFECYCLE_FIELD_BY_PHASE.items():
        at = getattr(pm.lifecycle, name)
        if at is not None and phase not in pm.lifecycle.elapsed_s:
            pm.lifecycle.elapsed_s[phase] = (at - epoch).total_seconds()
    order = list(Phase)
    pm.lifecycle.elapsed_s = dict(
        sorted(pm.lifecycle.elapsed_s.items(), key=lambda kv: order.index(kv[0]))
    )


def _order_phases(found: list[Phase]) -> None:
    order = list(Phase)
    found.sort(key=order.index)
