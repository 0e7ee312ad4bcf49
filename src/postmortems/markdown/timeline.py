"""Timeline entries from a timeline section's blocks: bullets, tables, time headings, lines.

Every list item, table row and time heading of a timeline section is an entry; an
entry whose time cannot be read is kept with its words and no time. Date headings and
date lines set the date of the entries after them; notes such as "All times in UTC"
set the zone. Times are resolved by `postmortems.times.TimelineClock`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import re
from dataclasses import dataclass, field

from postmortems import times
from postmortems.markdown.blocks import Block, TableRow, parse_blocks, tidy
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
        # A timeline told in paragraphs, with no list or table of entries: a blog post's.
        prose = not any(block.kind in ("list", "table") for block in blocks)
        self._untimed_prose: list[tuple[TimelineEvent, str]] = []
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
            elif (table := _table_of_lines(block, block_lines)) is not None:
                # A Jira wiki table ("||Time||Event||") or an HTML <table>: read as a table.
                self._read_table(table, line_offset, result)
            elif block.kind == "paragraph":
                if not (prose and self._read_prose(block_lines, block.start + line_offset, result)):
                    self._read_paragraph(block_lines, block.start + line_offset, result)
            else:
                result.notes.append(self._raw(block_lines))
        for event, raw in self._untimed_prose:
            # Paragraphs after the last entry told in prose are notes: "We are sorry."
            result.events.remove(event)
            result.notes.append(raw)
        self._untimed_prose.clear()
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
            elif self._starts_entry(line):
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

    def _read_prose(self, block_lines: list[str], first_line: int, result: TimelineResult) -> bool:
        """A paragraph of a timeline told in prose: each sentence opened by its time
        ("At 09:12 PST, latency began to climb.") starts an entry, and the sentences after
        it are its words; a paragraph with a time only inside a sentence ("The provider
        pulled the zone at 13:15") is one entry at that time. A paragraph without a time
        between two such entries ("For the next hour we chased the wrong lead.") is an
        entry with no time. Returns False when the paragraph is for the line reader: its
        lines start with times, or it tells no time and no entry came before it."""
        if any(self._starts_entry(line) and not self._prose_lead(line) for line in block_lines):
            return False  # "10:00 deploy\n10:05 alert": one entry per line
        text = "\n".join(block_lines).strip("\n")
        if self._date_line(text):
            result.notes.append(text)
            return True
        starts = [0] + [
            found.end()
            for found in _SENTENCE_BREAK.finditer(text)
            if self._starts_sentence_entry(text[found.end() :])
        ]
        chunks = [text[a:b].strip() for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]
        if len(chunks) > 1 and self._prose_lead(chunks[0]) is None:
            # "Then it got worse. At 10:05 …": the words before the first time lead into it.
            chunks[1] = f"{chunks[0]} {chunks[1]}"
            del chunks[0], starts[1]
        first_time = times.find_timestamp_in_text(chunks[0], dayfirst=self.clock.dayfirst)
        if first_time is None:
            if len(chunks) > 1 or not any(_on_clock(e) for e in result.events):
                return False  # "All times are CEST.": a note before the entries
            event = TimelineEvent(text=tidy(text), line=first_line)
            event.phase, event.text = split_tag(event.text)
            self._untimed_prose.append((event, text))
            result.events.append(event)
            return True
        self._untimed_prose.clear()  # they stand between two entries: entries themselves
        for start, chunk in zip(starts, chunks, strict=True):
            inside = self._prose_lead(chunk) or times.find_timestamp_in_text(
                chunk, dayfirst=self.clock.dayfirst
            )
            if inside is not None and inside.date is None and inside.month_day is None:
                # "On the night of January 19th, 2025, … At 23:48 UTC": the day it names.
                day = times.find_date(chunk[: inside.start])
                if day is not None:
                    self.clock.set_date(day, None)
            if inside is not None:
                line = first_line + text.count("\n", 0, start)
                result.events.append(self._entry(inside, chunk, line, result))
        return True

    def read_narrative(
        self, blocks: list[Block], lines: list[str], line_offset: int
    ) -> list[TimelineEvent]:
        """The moments a "What happened" narrative tells with their times, read as a prose
        timeline is: for the lifecycle of a document that has no timeline. They are not
        entries of the document; nothing is warned about them."""
        result = TimelineResult()
        self._untimed_prose = []
        for block in blocks:
            if block.kind == "paragraph":
                block_lines = lines[block.start : block.end]
                self._read_prose(block_lines, block.start + line_offset, result)
        self._untimed_prose = []
        return [event for event in result.events if _on_clock(event)]

    def _starts_sentence_entry(self, sentence: str) -> bool:
        return self._prose_lead(sentence) is not None or self._match(sentence) is not None

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

    def _starts_entry(self, line: str) -> bool:
        """Whether a line of a paragraph opens an entry: a time first, perhaps after an emoji
        or a symbol ("✅ **10:05** — …"), a short label ("Issue detected - 9:12 AM: …")
        or a preposition ("At 08:55 PST, we …")."""
        _, text = _split_symbols(line)
        if self._match(_strip_emphasis(text)) is not None:
            return True
        return self._labelled(text) is not None or self._prose_lead(text) is not None

    def _prose_lead(self, text: str) -> times.TimeMatch | None:
        """ "At 08:55 PST, we deployed …", "By 09:40 the queue had drained": a sentence
        opened by its time. The whole sentence stays the entry's words."""
        lead = _PROSE_LEAD.match(text)
        if lead is None:
            return None
        match = self._match(text[lead.end() :])
        if match is None or match.start != 0 or match.time is None:
            return None
        return dataclasses.replace(
            match, start=lead.end(), end=lead.end() + match.end, rest=text.strip()
        )

    def _from_text(self, item_lines: list[str], line: int, result: TimelineResult) -> TimelineEvent:
        if _HTML_LEAD.match(item_lines[0]):
            # An HTML export's "<li><span>10:14 &ndash; deployed</span></li>": its words.
            item_lines = [html_text(text) for text in item_lines]
        symbols, first = _split_symbols(item_lines[0])
        rest_lines = item_lines[1:]
        match = self._match(_strip_emphasis(first))
        if match is not None and symbols:
            # "❌ **10:12** — first declines": the symbol stays with the words it marks.
            match = dataclasses.replace(match, rest=f"{symbols} {match.rest}".strip())
        if match is None and symbols:
            first = item_lines[0].strip()
        if match is None:
            prose = self._prose_lead(first)
            if prose is not None:
                words = "\n".join([first, *rest_lines]).strip("\n")
                return self._entry(prose, words, line, result)
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


_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9~])")
_EMPHASIS_EDGE = re.compile(r"^(\*\*|__|\*|_|`)(.+?)\1")
# Emoji and symbols people put before an entry's time: "✅ 10:05", "🧑‍💻 **10:24**", "• 9:00".
_LEAD_SYMBOLS = re.compile(r"^\s*((?:[^\x00-\x7f\w\s\u00b1\u2248]|[\u200d\ufe0f])+)\s*")
# The words that open a sentence told by its time: "At 08:55", "Shortly after 13:05",
# "By 09:40", "At around 14:20" ("around" itself is the timestamp's, as approximate).
_PROSE_LEAD = re.compile(
    r"(?:(?:shortly|just|soon|right|not long|some ?time|a few minutes|then|and)\s+)?"
    r"(?:at|by|after|on)\s+(?=[0-9~]|around\b|about\b|approx|roughly\b|[a-z]{3,9}\.? [0-9])",
    re.IGNORECASE,
)


_JIRA_ROW = re.compile(r"^\s*\|.*\|\s*$")
_HTML_ROW = re.compile(r"^\s*<tr\b[^>]*>(.*)</tr>\s*$", re.IGNORECASE)
_HTML_CELL = re.compile(r"<t([hd])\b[^>]*>(.*?)</t\1>", re.IGNORECASE | re.DOTALL)
_HTML_LEAD = re.compile(r"^\s*<(?:span|p|div|font|b|strong|em|i)\b[^<>]*>")
_HTML_TAG = re.compile(r"<[^<>\n]{1,200}>")
_TABLE_TAG = re.compile(r"^\s*</?(?:table|thead|tbody|tfoot)\b[^>]*>\s*$", re.IGNORECASE)


def is_table_text(text: str) -> bool:
    """Whether a block's text is a table that Markdown does not read as one: a Jira wiki
    table or an HTML table, one row a line. Such a table is written back as it was."""
    lines = [line for line in text.split("\n") if line.strip()]
    return len(lines) >= 2 and (
        all(_JIRA_ROW.match(line) for line in lines)
        or all(_HTML_ROW.match(line) or _TABLE_TAG.match(line) for line in lines)
    )


def html_text(text: str) -> str:
    """An HTML fragment's words: tags out, entities as the characters they stand for."""
    return " ".join(html.unescape(_HTML_TAG.sub(" ", text)).split())


def _table_of_lines(block: Block, block_lines: list[str]) -> Block | None:
    """The table a paragraph or an HTML block holds, as a Markdown table block: Jira's
    ``||Time||Event||`` header over ``|09:00|…|`` rows, or ``<tr><td>…</td></tr>`` rows."""
    if block.kind not in ("paragraph", "html") or not is_table_text("\n".join(block_lines)):
        return None
    header: list[str] = []
    rows: list[TableRow] = []
    for offset, line in enumerate(block_lines):
        html_row = _HTML_ROW.match(line)
        if html_row is not None:
            cells = _HTML_CELL.findall(html_row.group(1))
            texts = [html_text(inner) for _, inner in cells]
            is_header = bool(cells) and all(kind.lower() == "h" for kind, _ in cells)
        elif _JIRA_ROW.match(line):
            inner = line.strip()
            is_header = inner.startswith("||")
            texts = [cell.strip() for cell in re.split(r"\|\|?", inner.strip("|"))]
        else:
            continue
        if is_header and not header and not rows:
            header = texts
        elif texts:
            rows.append(TableRow(line=block.start + offset, cells=texts))
    if not rows:
        return None
    return Block("table", block.start, block.end, header=header, rows=rows)


def _split_symbols(text: str) -> tuple[str, str]:
    """An entry's leading emoji or symbols, and the rest of its line."""
    match = _LEAD_SYMBOLS.match(text)
    if match is None:
        return "", text
    return match.group(1), text[match.end() :]


def _on_clock(event: TimelineEvent) -> bool:
    return event.at is not None or event.elapsed_s is not None


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
