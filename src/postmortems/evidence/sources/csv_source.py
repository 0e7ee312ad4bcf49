"""CSV (or TSV, semicolon- or pipe-separated) tables with a time column.

The time column is found by its header (``time``, ``timestamp``, ``date``,
``created_at``, ``at``, ...) or, failing that, as the column whose first rows all read as
times. Separate ``date`` and ``time`` columns are joined. Cells may be ISO-8601, any
format python-dateutil reads, or epoch numbers (s, ms, µs, ns); a time without a zone is
in ``opts.default_tz`` (UTC if unset).

The text comes from a message-like column (``message``, ``description``, ``event``,
``summary``, ...), or else from the remaining columns as ``name=value`` pairs. Level,
service, host and actor columns are used when present, and a ``kind``/``type`` column
whose values are event kinds (deploy, alert, ...) sets the kind; otherwise LOG.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from postmortems.evidence.events import Event, EventKind, Level
from postmortems.evidence.sources import _payload as payload
from postmortems.evidence.sources._io import looks_binary, open_binary, read_head
from postmortems.evidence.sources.base import ReadOptions, ReadStats

if TYPE_CHECKING:
    from _csv import Reader

# A cell may hold a whole stack trace or a pasted log: the default limit (128 KiB) would
# stop the file at the first long cell.
csv.field_size_limit(1 << 26)

_TIME_HEADERS = (
    "timestamp",
    "@timestamp",
    "time",
    "datetime",
    "date_time",
    "ts",
    "event_time",
    "occurred_at",
    "created_at",
    "created",
    "at",
    "when",
    "start_time",
    "started_at",
    "time_utc",
    "timestamp_utc",
    "date",
)
_TEXT_HEADERS = (
    "message",
    "msg",
    "text",
    "description",
    "event",
    "summary",
    "details",
    "detail",
    "note",
    "notes",
    "title",
    "log",
    "what",
    "action",
)
_LEVEL_HEADERS = ("level", "severity", "loglevel", "log_level", "priority", "sev")
_SERVICE_HEADERS = ("service", "app", "application", "component", "system", "service_name")
_HOST_HEADERS = ("host", "hostname", "server", "node", "instance", "machine")
_ACTOR_HEADERS = ("user", "actor", "author", "who", "by", "owner", "username", "operator")
_KIND_HEADERS = ("kind", "type", "event_type", "category")
_LEVELS = {
    **dict.fromkeys(("debug", "trace", "dbg"), Level.DEBUG),
    **dict.fromkeys(("info", "information", "informational", "inf", "ok"), Level.INFO),
    "notice": Level.NOTICE,
    **dict.fromkeys(("warn", "warning", "wrn", "sev3", "p3", "minor"), Level.WARNING),
    **dict.fromkeys(("error", "err", "fail", "failure", "sev2", "p2", "major"), Level.ERROR),
    **dict.fromkeys(
        ("critical", "crit", "fatal", "alert", "emerg", "emergency", "panic", "sev1", "p1"),
        Level.CRITICAL,
    ),
}
_KINDS = {kind.value: kind for kind in EventKind}
_DELIMITERS = ",;\t|"
_SAMPLE_ROWS = 20
_NOT_A_TIME = re.compile(r"^[+-]?\d{1,9}(?:\.\d+)?$")  # small numbers are counts, not epochs
_EPOCH_LIKE = re.compile(r"^\d{10}(?:\d{3}|\d{6}|\d{9})?(?:\.\d+)?$")


def _normalise(header: str) -> str:
    return re.sub(r"[\s\-]+", "_", header.strip().lower())


def _find(headers: Sequence[str], names: Sequence[str], exclude: set[int]) -> int | None:
    for name in names:
        for index, header in enumerate(headers):
            if index not in exclude and header == name:
                return index
    return None


def _cell_time(cell: str, opts: ReadOptions) -> datetime | None:
    cell = cell.strip()
    if not cell or (_NOT_A_TIME.match(cell) and not _EPOCH_LIKE.match(cell)):
        return None
    if not any(ch.isdigit() for ch in cell):
        return None
    return payload.parse_time(cell, opts.default_tz)


@dataclass
class _Columns:
    time: int
    clock: int | None  # a separate time-of-day column joined to a date column
    text: int | None
    level: int | None
    service: int | None
    host: int | None
    actor: int | None
    kind: int | None
    has_header: bool


def _plan_columns(rows: list[list[str]], opts: ReadOptions) -> _Columns | None:
    if not rows:
        return None
    headers = [_normalise(cell) for cell in rows[0]]
    time_column = _find(headers, _TIME_HEADERS, set())
    clock = None
    date_column = _find(headers, ("date", "day"), set())
    if date_column is not None:  # a date column with a separate time-of-day column
        clock = _find(headers, ("time", "time_of_day", "clock"), {date_column})
        if clock is not None:
            time_column = date_column
    has_header = time_column is not None
    if time_column is None:
        time_column = _content_time_column(rows, opts)
        if time_column is None:
            return None
        # A header row is one whose time cell does not read as a time.
        has_header = _cell_time(rows[0][time_column], opts) is None
    used = {time_column} | ({clock} if clock is not None else set())
    if not has_header:
        return _Columns(time_column, None, None, None, None, None, None, None, False)

    def pick(names: Sequence[str]) -> int | None:
        found = _find(headers, names, used)
        if found is not None:
            used.add(found)
        return found

    return _Columns(
        time=time_column,
        clock=clock,
        text=pick(_TEXT_HEADERS),
        level=pick(_LEVEL_HEADERS),
        service=pick(_SERVICE_HEADERS),
        host=pick(_HOST_HEADERS),
        actor=pick(_ACTOR_HEADERS),
        kind=pick(_KIND_HEADERS),
        has_header=True,
    )


def _content_time_column(rows: list[list[str]], opts: ReadOptions) -> int | None:
    """The first column whose sampled cells (after a possible header) all read as times."""
    sample = rows[1 : _SAMPLE_ROWS + 1] or rows[:1]
    width = min(len(row) for row in sample) if sample else 0
    for column in range(width):
        if all(_cell_time(row[column], opts) is not None for row in sample):
            return column
    return None


def _dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(sample, delimiters=_DELIMITERS)
    except csv.Error:
        return csv.excel_tab if sample.count("\t") > sample.count(",") else csv.excel


class CsvSource:
    name = "csv"
    description = "CSV/TSV tables with a time column"

    def sniff(self, head: bytes, path: str) -> float:
        if not head.strip() or b"\x00" in head[:4096] or payload.looks_like_json(head):
            return 0.0
        text = head.decode("utf-8", "replace")
        lines = text.split("\n")  # a lone CR may be inside a quoted cell
        if len(lines) > 1 and not head.endswith(b"\n"):
            lines = lines[:-1]  # the head may cut the last line short
        sample = "\n".join(lines[: _SAMPLE_ROWS + 1])
        try:  # newline="": a CR inside a quoted cell stays in it
            rows = [
                row for row in csv.reader(io.StringIO(sample, newline=""), _dialect(sample)) if row
            ]
        except csv.Error:  # not a table csv can read
            return 0.0
        if len(rows) < 2 or len(rows[0]) < 2 or len({len(row) for row in rows}) > 1:
            return 0.0
        columns = _plan_columns(rows, ReadOptions())
        if columns is None:
            return 0.0
        named = path.lower().removesuffix(".gz").endswith((".csv", ".tsv"))
        if columns.has_header and columns.text is not None:
            return 0.85 if named else 0.6
        if columns.has_header:
            return 0.7 if named else 0.4
        return 0.5 if named else 0.2

    def read(self, path: str, opts: ReadOptions, stats: ReadStats) -> Iterator[Event]:
        head = read_head(path)
        if not head.strip():
            stats.notes.append("empty file")
            return
        if looks_binary(head):  # a stray NUL in a cell is not enough to refuse the table
            stats.notes.append("binary file: not read")
            stats.unparsed(1, repr(head[:80]))
            return
        # Split at newlines only: a lone CR may be inside a quoted cell.
        sample = "\n".join(head.decode("utf-8-sig", "replace").split("\n")[: _SAMPLE_ROWS + 1])
        # Streamed row by row: a CSV export of millions of rows costs no more memory than a few.
        with open_binary(path) as stream:
            text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="replace", newline="")
            reader = csv.reader(text, _dialect(sample))
            first_rows: list[tuple[int, list[str]]] = []
            for row in reader:
                first_rows.append((reader.line_num, row))
                if len(first_rows) > _SAMPLE_ROWS:
                    break
            columns = _plan_columns([row for _, row in first_rows if row], opts)
            if columns is None:
                stats.notes.append("no time column found (by header or by content)")
                stats.unparsed(1, ",".join(first_rows[0][1]) if first_rows else "")
                stats.lines_read += sum(1 for _ in reader) + len(first_rows)
                return
            headers = first_rows[0][1] if columns.has_header else []
            rows = first_rows[1:] if columns.has_header else first_rows
            events = _row_events(_chain(rows, reader, stats), headers, columns, path, opts, stats)
            yield from payload.emit(events, opts, stats)
            stats.lines_read += reader.line_num


def _chain(
    first: list[tuple[int, list[str]]], reader: Reader, stats: ReadStats
) -> Iterator[tuple[int, list[str]]]:
    yield from first
    try:
        for row in reader:
            yield reader.line_num, row
    except csv.Error as exc:  # a cell past the size limit, a NUL: said, not a crash
        stats.notes.append(f"stopped reading at line {reader.line_num}: {exc}")
        stats.unparsed(reader.line_num, str(exc))


def _row_events(
    rows: Iterator[tuple[int, list[str]]],
    headers: list[str],
    columns: _Columns,
    path: str,
    opts: ReadOptions,
    stats: ReadStats,
) -> Iterator[Event]:
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) <= columns.time:
            stats.unparsed(line, ",".join(row))
            continue
        cell = row[columns.time]
        if columns.clock is not None and columns.clock < len(row):
            cell = f"{cell} {row[columns.clock]}"
        time = _cell_time(cell, opts)
        if time is None and columns.clock is not None and columns.clock < len(row):
            time = _cell_time(row[columns.clock], opts)  # the "time" column held full times
        if time is None:
            stats.unparsed(line, ",".join(row))
            continue
        yield _row_event(row, headers, columns, time, payload.ref(path, line))


def _cell(row: list[str], index: int | None) -> str | None:
    if index is None or index >= len(row):
        return None
    return row[index].strip() or None


def _row_event(
    row: list[str], headers: list[str], columns: _Columns, time: datetime, where: str
) -> Event:
    used = {
        i
        for i in (
            columns.time,
            columns.clock,
            columns.level,
            columns.service,
            columns.host,
            columns.actor,
            columns.kind,
        )
        if i is not None
    }
    text = _cell(row, columns.text)
    rest = {
        (headers[i] if i < len(headers) and headers[i] else f"column{i + 1}"): cell.strip()
        for i, cell in enumerate(row)
        if i not in used and i != columns.text and cell.strip()
    }
    if text is None:
        text = " ".join(f"{name}={value}" for name, value in rest.items())
    level_cell = (_cell(row, columns.level) or "").lower()
    kind_cell = (_cell(row, columns.kind) or "").lower()
    attrs: dict[str, object] = dict(rest) if columns.text is not None else {}
    if level_cell and level_cell not in _LEVELS:
        attrs["level"] = level_cell
    return Event(
        time=time,
        source="csv",
        kind=_KINDS.get(kind_cell, EventKind.LOG),
        text=text,
        level=_LEVELS.get(level_cell),
        service=_cell(row, columns.service),
        host=_cell(row, columns.host),
        actor=_cell(row, columns.actor),
        ref=where,
        attrs=attrs,
    )


SOURCE = CsvSource()
