"""Timeline entries from a timeline section's blocks: bullets, tables, time headings, lines.

Every list item, table row and time heading of a timeline section is an entry; an
entry whose time cannot be read is kept with its words and no time. Date headings and
date lines set the date of the entries after them; notes such as "All times in UTC"
set the zone. Times are resolved by `postmortems.times.TimelineClock`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from postmortems import times
from postmortems.markdown.blocks import Block, parse_blocks, tidy
from postmortems.markdown.phases import split_tag
from postmortems.model import Phase, TimelineEvent, Warning_

_LIST_MARKER = re.compile(r"^\s{0,3}(?:[-*+]|\d{1,3}[.)])\s+")
_TIME_HEADER = re.compile(r"\b(time|date|when|timestamp|utc|at)\b", re.IGNORECASE)
_BOLD_LEAD = re.compile(r"^\s*\*\*([^*\n]+)\*\*\s*:\s*(.*)$")
# A label before an entry's time: a few words and a dash or colon, perhaps in bold.
_ENTRY_LABEL = re.compile(
    r"^\s*(?P<label>(?:\*\*|__)?[A-Za-z][A-Za-z'/&]*(?:[ \-][A-Za-z'/&]+){0,4}"
    r"(?:\s*(?::\s*)?(?:\*\*|__))?\s*(?:[:\-\u2013\u2014]|(?<=\*\*)|(?<=__)))\s*(?=\S)"
)
_EVIDENCE = re.compile(r"\(evidence: `([^`\n]+)`\)\s*$")
_ZONE_AFTER_DATE = re.compile(r"\s*[(\[,\-\u2013\u2014]\s*([^()\[\]\n]{1,40})[)\]]?\s*[*_]*\s*$")


@dataclass
class TimelineResult:
    events: list[TimelineEvent] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[Warning_] = field(default_factory=list)


def _dedent_item(lines: list[str]) -> list[str]:
    """An item's lines without the list marker and its continuation indent."""
    first = lines[0]
    marker = _LIST_MARKER.match(first)
    indent = marker.end() if marker else 0
    out = [first[indent:]]
    for line in lines[1:]:
        stripped = len(line) - len(line.lstrip(" "))
        out.append(line[min(indent, stripped) :])
    while out and not out[-1].strip():
        out.pop()
    return out


class TimelineReader:
    """Reads one or more timeline sections of a document, sharing the clock between them."""

    def __init__(self, clock: times.TimelineClock) -> None:
        self.clock = clock
        # Where the first time of day without a date was read: one warning says so.
        self.first_undated_line: int | None = None

    def _match(self, text: str) -> times.TimeMatch | None:
        return times.match_leading_timestamp(text, dayfirst=self.clock.dayfirst)

    def read(self, blocks: list[Block], lines: list[str], line_offset: int) -> TimelineResult:
        """Entries of a section. ``lines`` are the document's Markdown lines; ``line_offset``
        turns their 0-based indexes into the file's 1-based line numbers."""
        result = TimelineResult()
        heading_entry: TimelineEvent | None = None
        for block in blocks:
            block_lines = lines[block.start : block.end]
            if block.kind == "heading":
                heading_entry = None
                if self._date_line(block.text):
                    result.notes.append(self._raw(block_lines))
                    continue
                match = self._match(block.text)
                if match is not None and not match.rest.strip("*_ ").strip():
                    heading_entry = self._entry(match, "", block.start + line_offset, result)
                    result.events.append(heading_entry)
                    continue
                zone = times.find_timezone(block.text)
                if zone is not None:
                    self.clock.set_timezone(zone)
                result.notes.append(self._raw(block_lines))
                continue
            if heading_entry is not None:
                # Paragraphs under a time heading are that entry's words.
                text = "\n".join(block_lines).strip("\n")
                heading_entry.text = tidy(f"{heading_entry.text}\n\n{text}")
                continue
            if block.kind == "list":
                for start, end in block.items:
                    item_lines = _dedent_item(lines[start:end])
                    if item_lines and self._date_line(item_lines[0]):
                        # A date group: "- 6 May 2024" with the day's entries nested under it.
                        result.notes.append(lines[start])
                        nested = item_lines[1:]
                        inner = self.read(
                            parse_blocks("\n".join(nested)), nested, start + 1 + line_offset
                        )
                        result.events.extend(inner.events)
                        result.warnings.extend(inner.warnings)
                        result.notes.extend(inner.notes)
                    elif item_lines:
                        result.events.append(
                            self._from_text(item_lines, start + line_offset, result)
                        )
            elif block.kind == "table":
                self._read_table(block, line_offset, result)
            elif block.kind == "paragraph":
                self._read_paragraph(block_lines, block.start + line_offset, result)
            else:
                result.notes.append(self._raw(block_lines))
        return result

    @staticmethod
    def _raw(block_lines: list[str]) -> str:
        return "\n".join(block_lines).strip("\n")

    def _date_line(self, text: str) -> bool:
        """A line that is only a date, perhaps with the zone stated after it
        ("2019-04-11 (all times UTC)"): it sets the date (and zone) of the entries after it."""
        plain = _strip_emphasis(text)
        zone = None
        stated = _ZONE_AFTER_DATE.search(plain)
        if stated:
            zone = times.find_timezone(stated.group(1))
            if zone is not None:
                plain = plain[: stated.start()]
        found = times.match_date_heading(plain)
        if found is None:
            return False
        full, month_day = found
        self.clock.set_date(full, month_day)
        if zone is not None:
            self.clock.set_timezone(zone)
        return True

    def _read_paragraph(
        self, block_lines: list[str], first_line: int, result: TimelineResult
    ) -> None:
        """Lines starting with a time are entries; lines after one continue it."""
        current: list[str] | None = None
        current_line = first_line
        notes: list[str] = []
        for offset, line in enumerate(block_lines):
            if self._date_line(line):
                if current:
                    result.events.append(self._from_text(current, current_line, result))
                current = None
                notes.append(line)
            elif self._match(_strip_emphasis(line)) is not None:
                if current:
                    result.events.append(self._from_text(current, current_line, result))
                current, current_line = [line], first_line + offset
            elif current is not None:
                current.append(line)
            else:
                notes.append(line)
        if current:
            result.events.append(self._from_text(current, current_line, result))
        if notes:
            text = "\n".join(notes).strip("\n")
            zone = times.find_timezone(text)
            if zone is not None:
                self.clock.set_timezone(zone)
            result.notes.append(text)

    def _read_table(self, block: Block, line_offset: int, result: TimelineResult) -> None:
        time_column = _time_column(block)
        date_column = _date_column(block, time_column)
        for row in block.rows:
            if not any(cell.strip() for cell in row.cells):
                continue
            line = row.line + line_offset
            if time_column is None:
                result.events.append(self._from_text([" | ".join(row.cells)], line, result))
                continue
            stamp = row.cells[time_column] if time_column < len(row.cells) else ""
            if date_column is not None and date_column < len(row.cells):
                # "| 2024-09-20 | 01:00 | …": the date and the time in columns of their own.
                stamp = f"{row.cells[date_column].strip()} {stamp.strip()}".strip()
            used = {time_column, date_column}
            words = " | ".join(c for i, c in enumerate(row.cells) if i not in used and c)
            match = self._match(_strip_emphasis(stamp)) if stamp else None
            if match is None and stamp:
                self._date_line(stamp)
            if match is None:
                event = TimelineEvent(text=words or stamp, line=line, time_as_written=stamp or None)
                event.phase, event.text = split_tag(event.text)
                result.events.append(event)
                if stamp:
                    result.warnings.append(
                        Warning_(message=f"no time could be read from '{stamp}'", line=line)
                    )
                continue
            result.events.append(self._entry(match, words, line, result))

    def _from_text(self, item_lines: list[str], line: int, result: TimelineResult) -> TimelineEvent:
        first = item_lines[0]
        rest_lines = item_lines[1:]
        match = self._match(_strip_emphasis(first))
        if match is None:
            labelled = self._labelled(first)
            if labelled is not None:
                label, match = labelled
                words = "\n".join([f"{label} {match.rest}".strip(), *rest_lines]).strip("\n")
                return self._entry(match, words, line, result)
            lead = _BOLD_LEAD.match(first)
            inside = (
                None
                if lead is not None  # "**<time's place>**: words": the time is not in the words
                else times.find_timestamp_in_text(
                    "\n".join(item_lines), dayfirst=self.clock.dayfirst
                )
            )
            if inside is not None:
                return self._entry(inside, inside.rest, line, result)
            if lead is not None:
                # "**<something>**: words": the time's place, holding what no one can read as a time.
                stamp = lead.group(1).strip()
                result.warnings.append(
                    Warning_(message=f"no time could be read from '{stamp}'", line=line)
                )
                event = TimelineEvent(
                    text=tidy("\n".join([lead.group(2), *rest_lines])),
                    line=line,
                    time_as_written=stamp,
                )
            else:
                event = TimelineEvent(text=tidy("\n".join(item_lines)), line=line)
            event.phase, event.text = split_tag(event.text)
            return event
        words = "\n".join([match.rest, *rest_lines]).strip("\n")
        return self._entry(match, words, line, result)

    def _labelled(self, first: str) -> tuple[str, times.TimeMatch] | None:
        """ "Issue detected - 9:00 AM: words", "**Escalation:** 9:30 AM - words": a short label,
        then the time. The label stays at the start of the entry's words."""
        label = _ENTRY_LABEL.match(first)
        if label is None:
            return None
        match = self._match(first[label.end() :])
        if match is None or match.start != 0 or match.time is None:
            return None
        return label.group("label").strip(), match

    def _entry(
        self, match: times.TimeMatch, words: str, line: int, result: TimelineResult
    ) -> TimelineEvent:
        resolved = self.clock.resolve(match)
        for message in resolved.warnings:
            result.warnings.append(Warning_(message=message, line=line))
        phase: Phase | None
        phase, text = split_tag(tidy(words))
        if resolved.undated and self.first_undated_line is None:
            self.first_undated_line = line
        return TimelineEvent(
            at=resolved.at,
            elapsed_s=resolved.elapsed_s,
            text=text,
            phase=phase,
            approximate=match.approximate,
            time_as_written=match.text,
            line=line,
            evidence=evidence_ref(text),
        )


def moment_in_entry(
    event: TimelineEvent, clause: str | None
) -> tuple[dt.datetime | None, float | None]:
    """When something an entry tells happened: the time written in its own clause
    ("… rolled back at 2:05 PM; previews worked again at 2:12 PM" → 2:12 PM), on the
    entry's day and clock; else the entry's time."""
    if clause is None or event.time_as_written is None or event.elapsed_s is None:
        return event.at, event.elapsed_s
    stated = times.find_timestamp_in_text(clause)
    written = times.find_timestamp_in_text(event.time_as_written)
    if stated is None or written is None or stated.time is None or written.time is None:
        return event.at, event.elapsed_s
    day = dt.date(2000, 1, 1)
    shift = dt.datetime.combine(day, stated.time) - dt.datetime.combine(day, written.time)
    if shift < -times.ROLLOVER_THRESHOLD:
        shift += dt.timedelta(days=1)  # "at 23:50 … restored at 00:20": the next day
    if not shift:
        return event.at, event.elapsed_s
    at = event.at + shift if event.at is not None else None
    return at, event.elapsed_s + shift.total_seconds()


_EMPHASIS_EDGE = re.compile(r"^(\*\*|__|\*|_|`)(.+?)\1")


def evidence_ref(text: str) -> str | None:
    """The ``file:line`` an entry cites, written at its end as ``(evidence: `file:line`)``."""
    match = _EVIDENCE.search(text)
    return match.group(1) if match else None


def _strip_emphasis(text: str) -> str:
    """``**09:50 AM**: text`` → ``09:50 AM: text``, so the time is at the very start."""
    text = text.strip()
    match = _EMPHASIS_EDGE.match(text)
    if match:
        return match.group(2) + text[match.end() :]
    return text


_TIME_ONLY_HEADER = re.compile(r"\b(time|timestamp|when|utc|at)\b", re.IGNORECASE)
_DATE_ONLY_HEADER = re.compile(r"^\W*(?:date|day)\W*$", re.IGNORECASE)


def _date_column(block: Block, time_column: int | None) -> int | None:
    """A column headed only "Date" beside a separate time column."""
    if time_column is None:
        return None
    header = block.header
    if not (time_column < len(header) and _TIME_ONLY_HEADER.search(header[time_column])):
        return None
    dates = [i for i, cell in enumerate(header) if _DATE_ONLY_HEADER.match(cell)]
    return dates[0] if dates and dates[0] != time_column else None


def _time_column(block: Block) -> int | None:
    timed = [i for i, cell in enumerate(block.header) if _TIME_ONLY_HEADER.search(cell)]
    if timed:  # "| Date | Time (UTC) | Event |": the time column, the date joins it
        return timed[0]
    for index, cell in enumerate(block.header):
        if _TIME_HEADER.search(cell):
            return index
    for index in range(len(block.header) or (len(block.rows[0].cells) if block.rows else 0)):
        cells = [row.cells[index] for row in block.rows[:5] if index < len(row.cells)]
        if cells and all(times.match_leading_timestamp(_strip_emphasis(c)) for c in cells if c):
            return index
    return None
