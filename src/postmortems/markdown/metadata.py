"""Metadata written in a document's body rather than its front matter.

``**Date**: 6 May 2024``, ``**Authors**: Ana, Bo``, ``Status: Draft`` lines (bold or
not, in a paragraph or a list), a ``## Severity``, ``### Date`` or ``### Authors`` heading
followed by its value (the Google SRE book's layout), and a
severity in a table (a "Severity" column or row, or a cell that is only ``Sev1``).
Front matter always wins; what is read here is marked as derived, so rendering does
not move it into front matter the author never wrote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from postmortems import times
from postmortems.markdown.blocks import Block
from postmortems.model import Postmortem, Status

_FIELD_LINE = re.compile(
    r"^\s*(?:[-*+]\s+)?(?:\*\*|__)?\s*(?P<key>date(?: of (?:the )?incident)?|incident date"
    r"|authors?|written by|status|severity)\s*(?::\s*(?:\*\*|__)|(?:\*\*|__)?\s*:)\s*"
    r"(?P<value>\S.{0,200}?)\s*$",
    re.IGNORECASE,
)
_SEVERITY_TOKEN = re.compile(r"^(?:sev(?:erity)?[\s\-]?[0-5]|p[0-4])$", re.IGNORECASE)
_EMPHASIS = re.compile(r"^[*_`\s]+|[*_`\s]+$")
_STATUS_WORDS: dict[str, Status] = {
    "draft": Status.DRAFT,
    "in review": Status.IN_REVIEW,
    "in_review": Status.IN_REVIEW,
    "review": Status.IN_REVIEW,
    "under review": Status.IN_REVIEW,
    "approved": Status.APPROVED,
    "published": Status.PUBLISHED,
    "final": Status.PUBLISHED,
}
_HEADING_FIELDS = {"date", "incident date", "authors", "author", "status", "severity"}
_NAME_SPLIT = re.compile(r"\s*(?:,|;|\band\b|&)\s*")


@dataclass
class BodyMetadata:
    values: dict[str, str] = field(default_factory=dict)  # key -> value as written


def _plain(value: str) -> str:
    return _EMPHASIS.sub("", value).strip()


def _key(word: str) -> str:
    word = word.lower()
    if word.startswith("date") or word == "incident date":
        return "date"
    if word.startswith("author") or word == "written by":
        return "authors"
    return word


def read(blocks: list[Block], lines: list[str]) -> BodyMetadata:
    """The first value of each field written in the body."""
    found = BodyMetadata()
    field_heading: str | None = None
    for block in blocks:
        if block.kind == "heading":
            name = _plain(block.text).rstrip(":").strip().lower()
            field_heading = _key(name) if name in _HEADING_FIELDS else None
            continue
        if field_heading is not None and block.kind in {"paragraph", "list"}:
            _heading_value(found, field_heading, block, lines)
        field_heading = None
        if block.kind in {"paragraph", "list"}:
            for line in lines[block.start : block.end]:
                match = _FIELD_LINE.match(line)
                if match:
                    found.values.setdefault(_key(match["key"]), _plain(match["value"]))
        elif block.kind == "table":
            severity = _table_severity(block)
            if severity:
                found.values.setdefault("severity", severity)
    return found


def _heading_value(found: BodyMetadata, key: str, block: Block, lines: list[str]) -> None:
    """The value under a "### Date" or "## Severity" heading: its first line, or for
    authors every item of the list."""
    if key == "authors" and block.kind == "list":
        names = [_plain(lines[start].strip().lstrip("-*+").strip()) for start, _ in block.items]
        found.values.setdefault(key, ", ".join(n for n in names if n))
        return
    first = _plain(lines[block.start].strip().lstrip("-*+"))
    if first and len(first) <= 60:
        found.values.setdefault(key, first)


def _table_severity(block: Block) -> str | None:
    header = [_plain(h).lower() for h in block.header]
    if "severity" in header:
        column = header.index("severity")
        for row in block.rows:
            if column < len(row.cells) and _plain(row.cells[column]):
                return _plain(row.cells[column])
    for row in block.rows:
        cells = [_plain(c) for c in row.cells]
        for index, cell in enumerate(cells[:-1]):
            if cell.rstrip(":").lower() == "severity" and cells[index + 1]:
                return cells[index + 1]
        for cell in cells:
            if _SEVERITY_TOKEN.match(cell):
                return cell
    return None


def apply(pm: Postmortem, found: BodyMetadata) -> None:
    """Fill what the front matter left empty."""
    values = found.values
    if pm.date is None and "date" in values:
        day = times.find_date(values["date"])
        if day is not None:
            pm.date = day
            pm.derived.append("date")
    if not pm.authors and "authors" in values:
        names = [n for n in _NAME_SPLIT.split(values["authors"]) if n]
        if names:
            pm.authors = names
            pm.derived.append("authors")
    if pm.status is None and "status" in values:
        status = _STATUS_WORDS.get(values["status"].lower())
        if status is not None:
            pm.status = status
            pm.derived.append("status")
    if pm.severity is None and "severity" in values:
        pm.severity = values["severity"]
        pm.derived.append("severity")
