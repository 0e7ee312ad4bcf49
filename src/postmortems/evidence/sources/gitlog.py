"""``git log`` output: what changed in the code, and when.

Recommended, because it is exact and one line per commit::

    git log --date=iso-strict --pretty=format:'%H%x09%aI%x09%an%x09%s'

Also read:

- any tab-separated variant: the 40-hex column is the sha, the ISO-8601 columns are dates
  (the first is the event's time, a second one is kept as ``attrs["committed_at"]``),
  the first other column is the author and the last is the subject. For example
  ``%H%x09%an%x09%aI%x09%cI%x09%s``.
- a tag list, where a name comes before the sha, e.g.
  ``git for-each-ref --format='%(refname:short)%09%(creatordate:iso-strict)%09%(objectname)%09%(subject)' refs/tags``;
  each tag is a CHANGE event.
- the default ``git log`` (``commit``/``Author:``/``Date:`` blocks, dates like
  ``Tue Jun 4 11:32:45 2019 +0200``, or any ``--date=`` format with a zone), also with
  ``--stat``, ``--shortstat``, ``--name-status``, ``--decorate`` and ``--pretty=fuller``.
  Patches (``-p``) are skipped.

Every commit, merges included, is a COMMIT event (a merge has ``attrs["merge"]`` and its
parents); tags are CHANGE events. ``attrs`` keep sha, author, subject, and for ``--stat``
the files changed with insertions and deletions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from postmortems.evidence.events import Event, EventKind, Level
from postmortems.evidence.sources import _payload as payload
from postmortems.evidence.sources.base import ReadOptions, ReadStats

_SHA = re.compile(r"^[0-9a-f]{40}$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_COMMIT_LINE = re.compile(r"^commit ([0-9a-f]{7,64})(?: \((.*)\))?\s*$")
_HEADER = re.compile(r"^(Author|AuthorDate|Commit|CommitDate|Date|Merge):\s*(.*)$")
_PERSON = re.compile(r"^(.*?)\s*<([^>]*)>\s*$")
_SHORTSTAT = re.compile(
    r"^\s*(\d+) files? changed(?:, (\d+) insertions?\(\+\))?(?:, (\d+) deletions?\(-\))?"
)
_STAT_FILE = re.compile(r"^ (\S.*?)\s+\|\s+(?:\d+|Bin)")
_NAME_STATUS = re.compile(r"^([ACDMRTUXB])\d*\t(.+)$")


class GitLogSource:
    name = "gitlog"
    description = "git log output (tab-separated --pretty format, default or --stat blocks)"

    def sniff(self, head: bytes, path: str) -> float:
        text = head.decode("utf-8", "replace")
        first = next((line for line in payload.text_lines(text) if line.strip()), "")
        if _COMMIT_LINE.match(first):
            return 0.95 if re.search(r"^(Author|Date):", text, re.MULTILINE) else 0.7
        if "\t" in first and _split_tsv(first) is not None:
            return 0.9
        return 0.0

    def read(self, path: str, opts: ReadOptions, stats: ReadStats) -> Iterator[Event]:
        data = payload.read_input_bytes(path)
        stats.bytes_read += len(data)
        text = payload.decode_text(data, stats)
        if text is None:
            return
        lines = payload.text_lines(text)
        stats.lines_read += len(lines)
        first = next((line for line in lines if line.strip()), "")
        if _COMMIT_LINE.match(first):
            events = list(_read_blocks(lines, path, opts, stats))
        else:
            events = list(_read_tsv(lines, path, opts, stats))
        yield from payload.emit(events, opts, stats)


# -- tab-separated ----------------------------------------------------------------------


@dataclass
class _TsvRow:
    sha: str
    sha_column: int
    dates: list[str]
    others: list[str]


def _split_tsv(line: str) -> _TsvRow | None:
    columns = line.split("\t")
    sha_columns = [i for i, column in enumerate(columns) if _SHA.match(column.strip())]
    dates = [column.strip() for column in columns if _ISO_DATE.match(column.strip())]
    if not sha_columns or not dates:
        return None
    sha_column = sha_columns[0]
    others = [
        column.strip()
        for i, column in enumerate(columns)
        if i != sha_column and not _ISO_DATE.match(column.strip())
    ]
    return _TsvRow(columns[sha_column].strip(), sha_column, dates, others)


def _read_tsv(lines: list[str], path: str, opts: ReadOptions, stats: ReadStats) -> Iterator[Event]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        row = _split_tsv(line)
        time = payload.parse_time(row.dates[0], opts.default_tz) if row else None
        if row is None or time is None:
            stats.unparsed(number, line)
            continue
        where = payload.ref(path, number)
        if row.sha_column > 0 and row.others:
            yield _tag_event(row, time, where)
        else:
            yield _tsv_commit_event(row, time, where, opts)


def _tag_event(row: _TsvRow, time: datetime, where: str) -> Event:
    tag = row.others[0]
    subject = row.others[-1] if len(row.others) > 1 else None
    return Event(
        time=time,
        source="gitlog",
        kind=EventKind.CHANGE,
        text=f"Tag {tag} at {row.sha[:7]}" + (f": {subject}" if subject and subject != tag else ""),
        level=Level.INFO,
        ref=where,
        attrs={"tag": tag, "sha": row.sha, "subject": subject},
    )


def _tsv_commit_event(row: _TsvRow, time: datetime, where: str, opts: ReadOptions) -> Event:
    author = row.others[0] if len(row.others) > 1 else None
    subject = row.others[-1] if row.others else ""
    attrs: dict[str, object] = {"sha": row.sha, "author": author, "subject": subject}
    if len(row.dates) > 1:
        committed = payload.parse_time(row.dates[1], opts.default_tz)
        attrs["committed_at"] = committed.isoformat() if committed else row.dates[1]
    return _commit_event(time, row.sha, author, subject, where, attrs)


def _commit_event(
    time: datetime, sha: str, author: str | None, subject: str, where: str, attrs: dict[str, object]
) -> Event:
    return Event(
        time=time,
        source="gitlog",
        kind=EventKind.COMMIT,
        text=f"{sha[:7]} {subject}".strip(),
        level=Level.INFO,
        actor=author,
        ref=where,
        attrs=attrs,
    )


# -- commit blocks ----------------------------------------------------------------------


@dataclass
class _Block:
    sha: str
    line: int
    decorations: str | None
    headers: dict[str, str] = field(default_factory=dict)
    message: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    insertions: int | None = None
    deletions: int | None = None
    files_changed: int | None = None


def _read_blocks(
    lines: list[str], path: str, opts: ReadOptions, stats: ReadStats
) -> Iterator[Event]:
    block: _Block | None = None
    in_patch = False
    for number, line in enumerate(lines, start=1):
        commit = _COMMIT_LINE.match(line)
        if commit:
            if block is not None:
                yield from _block_event(block, path, opts, stats)
            block = _Block(sha=commit.group(1), line=number, decorations=commit.group(2))
            in_patch = False
            continue
        if block is None:
            if line.strip():
                stats.unparsed(number, line)
            continue
        if line.startswith("diff --git "):
            in_patch = True
        if in_patch or not line.strip():
            continue
        _absorb(block, line)
    if block is not None:
        yield from _block_event(block, path, opts, stats)


def _absorb(block: _Block, line: str) -> None:
    """Add one line of a commit block to what is known about the commit."""
    if line.startswith("    "):
        block.message.append(line[4:])
        return
    header = _HEADER.match(line)
    if header and not block.message:
        block.headers[header.group(1)] = header.group(2).strip()
        return
    shortstat = _SHORTSTAT.match(line)
    if shortstat:
        files, insertions, deletions = shortstat.groups()
        block.files_changed = int(files)
        block.insertions = int(insertions or 0)
        block.deletions = int(deletions or 0)
        return
    stat_file = _STAT_FILE.match(line) or _NAME_STATUS.match(line)
    if stat_file:
        block.files.append(stat_file.group(stat_file.lastindex or 1).strip())


def _block_event(block: _Block, path: str, opts: ReadOptions, stats: ReadStats) -> Iterator[Event]:
    date_text = block.headers.get("Date") or block.headers.get("AuthorDate")
    time = payload.parse_time(date_text, opts.default_tz) if date_text else None
    if time is None:
        stats.unparsed(block.line, f"commit {block.sha} without a readable date: {date_text!r}")
        return
    person = _PERSON.match(block.headers.get("Author", ""))
    author = person.group(1) if person else block.headers.get("Author") or None
    subject = next((line.strip() for line in block.message if line.strip()), "")
    attrs: dict[str, object] = {"sha": block.sha, "author": author, "subject": subject}
    if person:
        attrs["author_email"] = person.group(2)
    if "Merge" in block.headers:
        attrs["merge"] = True
        attrs["parents"] = block.headers["Merge"].split()
    if block.decorations:
        attrs["refs"] = [ref.strip() for ref in block.decorations.split(",")]
    committed = block.headers.get("CommitDate")
    if committed:
        committed_at = payload.parse_time(committed, opts.default_tz)
        attrs["committed_at"] = committed_at.isoformat() if committed_at else committed
    if block.files:
        attrs["files"] = block.files
    if block.files_changed is not None:
        attrs["files_changed"] = block.files_changed
        attrs["insertions"] = block.insertions
        attrs["deletions"] = block.deletions
    yield _commit_event(time, block.sha, author, subject, payload.ref(path, block.line), attrs)


SOURCE = GitLogSource()
