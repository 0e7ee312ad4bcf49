"""Action items: checklists, plain bullets and tables, with owners, due dates and types.

Recognised in an item's text:
- owner: ``@name``, ``owner: name``, ``(owner name)``, ``assigned to name``;
- due: ``due: 2024-09-01``, ``due 1 Sep 2024``, ``by 2024-09-01``;
- priority: ``P0``–``P4``, ``priority: high``;
- type: ``[prevent]``, ``type: detect`` (prevent, mitigate, detect, repair, process,
  investigate);
- status and ticket links in table columns.
The item's text is kept whole; the fields are read from it, never cut out of it, so
rendering writes back exactly what the author wrote.
"""

from __future__ import annotations

import datetime as dt
import re

from postmortems.model import ActionItem, ActionType

CHECKBOX = re.compile(r"^\[( |x|X)\]\s+")
_OWNER = re.compile(
    r"(?:\bowner\s*[:=]\s*|\bassigned to\s+|\bassignee\s*[:=]\s*|\(owner\s+)"
    r"(@?[\w.\-]+(?: [A-Z][\w.\-]+)?)"
    r"|(?<![\w/])@([A-Za-z0-9][\w.\-]*[A-Za-z0-9_])",
    re.IGNORECASE,
)
_DUE = re.compile(
    r"\b(?:due(?: date)?|by|deadline)\s*[:=]?\s*"
    r"(\d{4}-\d{2}-\d{2}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|"
    r"\d{1,2}(?:st|nd|rd|th)? [A-Z][a-z]{2,8}\.?,? \d{4}|[A-Z][a-z]{2,8}\.? \d{1,2}(?:st|nd|rd|th)?,? \d{4})",
    re.IGNORECASE,
)
_PRIORITY = re.compile(r"\b(P[0-4])\b|\bpriority\s*[:=]\s*(\w+)", re.IGNORECASE)
_TYPE = re.compile(
    r"\[(prevent|mitigate|detect|repair|process|investigate)\]|\btype\s*[:=]\s*(\w+)",
    re.IGNORECASE,
)
_LINK = re.compile(r"https?://\S+|\b[A-Z][A-Z0-9]+-\d+\b|#\d+\b")

COLUMN_ALIASES: dict[str, str] = {
    "action item": "text",
    "action items": "text",
    "action": "text",
    "item": "text",
    "task": "text",
    "description": "text",
    "what": "text",
    "owner": "owner",
    "owners": "owner",
    "assignee": "owner",
    "who": "owner",
    "responsible": "owner",
    "type": "type",
    "kind": "type",
    "category": "type",
    "bug": "link",
    "ticket": "link",
    "bug ticket": "link",
    "bug/ticket": "link",
    "issue": "link",
    "link": "link",
    "jira": "link",
    "due": "due",
    "due date": "due",
    "deadline": "due",
    "when": "due",
    "priority": "priority",
    "prio": "priority",
    "status": "status",
    "state": "status",
    "done": "status",
}

_DONE_STATUSES = {"done", "complete", "completed", "closed", "fixed", "resolved", "x", "yes", "✅"}


def parse_due(text: str) -> dt.date | None:
    # Imported on the first due date: dateutil's parser and time zones take a while to load.
    from dateutil import parser as dateparser

    try:
        return dateparser.parse(text, dayfirst=False, fuzzy=False).date()
    except (ValueError, OverflowError):
        return None


def action_type(word: str | None) -> ActionType | None:
    if not word:
        return None
    word = word.lower().strip()
    for member in ActionType:
        if word.startswith(member.value[:4]):
            return member
    if word in ("preventive", "preventative", "prevention", "fix"):
        return ActionType.PREVENT
    if word in ("monitoring", "alerting", "detection"):
        return ActionType.DETECT
    return None


# Items people mark done in words or symbols: "(done)", "Status: Done", "✅", "~~…~~".
_DONE_MARK = re.compile(
    r"\((?:done|completed?|fixed|closed|resolved)\)"
    r"|\bstatus\s*[:=]\s*\**(?:done|completed?|closed|fixed|resolved)\b"
    r"|^\s*(?:✅|✔|☑)|^\s*~~.+~~[\s.]*$|^\s*done\s*[:–—-]\s",
    re.IGNORECASE,
)


def from_text(text: str, line: int | None) -> ActionItem:
    """An action item from one bullet's text (list marker already removed)."""
    done = False
    checkbox = CHECKBOX.match(text)
    if checkbox:
        done = checkbox.group(1) != " "
        text = text[checkbox.end() :]
    if _DONE_MARK.search(text):
        done = True
    item = ActionItem(text=text, done=done, line=line)
    _fill_fields(item, text)
    return item


def _fill_fields(item: ActionItem, text: str) -> None:
    owner = _OWNER.search(text)
    if owner and item.owner is None:
        item.owner = (owner.group(1) or owner.group(2)).lstrip("@")
    due = _DUE.search(text)
    if due and item.due is None:
        item.due_as_written = due.group(1)
        item.due = parse_due(due.group(1))
    priority = _PRIORITY.search(text)
    if priority and item.priority is None:
        item.priority = (priority.group(1) or priority.group(2)).upper()
    kind = _TYPE.search(text)
    if kind and item.type is None:
        item.type = action_type(kind.group(1) or kind.group(2))
    link = _LINK.search(text)
    if link and item.link is None:
        item.link = link.group(0).rstrip(").,")


def table_columns(header: list[str]) -> list[str | None]:
    """What each column of an action-item table holds, by its header."""
    names: list[str | None] = []
    for cell in header:
        key = re.sub(r"[^\w/ ]+", "", cell.lower()).strip()
        names.append(COLUMN_ALIASES.get(key))
    if "text" not in names and names:
        names[names.index(None) if None in names else 0] = "text"
    return names


def from_row(columns: list[str | None], cells: list[str], line: int) -> ActionItem | None:
    values: dict[str, str] = {}
    for name, cell in zip(columns, cells, strict=False):
        if name and cell and name not in values:
            values[name] = cell
    text = values.get("text", "")
    if not text.strip():
        return None
    done = False
    checkbox = CHECKBOX.match(text)
    if checkbox:
        done = checkbox.group(1) != " "
        text = text[checkbox.end() :]
    status = values.get("status")
    if status and status.strip().lower() in _DONE_STATUSES:
        done = True
    # A status word closing another cell, as Google's example writes "Bug 5554825 DONE".
    if any(re.search(r"(?<!\w)DONE\s*$", cell) for cell in cells[1:]):
        done = True
    item = ActionItem(
        text=text,
        done=done,
        owner=values.get("owner", "").lstrip("@") or None,
        due=parse_due(values["due"]) if "due" in values else None,
        due_as_written=values.get("due"),
        type=action_type(values.get("type")),
        priority=values.get("priority"),
        status=status,
        link=values.get("link"),
        line=line,
    )
    _fill_fields(item, text)
    return item
