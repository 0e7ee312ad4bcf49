"""RFC 3164 syslog ("Mmm dd hh:mm:ss host tag[pid]: message") through the columnar engine.

``HEADER`` is ``syslog._BSD_FIELDS`` for the Rust regex engine: the look-ahead of the tag
field becomes a second alternative that spells out what it looked ahead for, and ``\\s``,
``\\d`` the ASCII classes Python's bytes patterns mean. It runs on the first 256
characters of each line; a line whose header is longer, that is not ASCII, holds a
carriage return or a time that does not exist is left to ``SyslogReader``'s loop, as is
every line that may continue a record (indented, or a stack trace's tail) and the line
before it. Years follow the months in file order, through the reader's ``YearTracker``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from postmortems.evidence.collapse import Collapser
from postmortems.evidence.events import Level
from postmortems.evidence.sources._timeparse import UTC
from postmortems.evidence.sources.base import ReadStats
from postmortems.evidence.sources.syslog import NAME, SyslogReader

from .blocks import Block, read_blocks
from .bursts import BurstFeeder, Templates, micros_of
from .mixing import cut_at_last_start, feed, runs, template_id
from .shapes import ShapeTable

_SPACE = r" \t\n\r\f\v"
# ``syslog._BSD_FIELDS`` up to where the message starts, for the Rust regex engine: the
# look-ahead of the tag's second form becomes what it looked ahead for. Without capture
# groups the match is a DFA scan; the fields are cut out of it by position.
HEADER = (
    rf"^[A-Z][a-z]{{2}} [ 0-9][0-9] [0-9]{{2}}:[0-9]{{2}}:[0-9]{{2}} [^{_SPACE}]+ "
    rf"(?:[^:\[{_SPACE}]{{1,64}}(?:\[[^\]{_SPACE}]*\])?: "
    rf"|[^:\[\]{_SPACE}][^:\[\]]{{0,63}}\[[0-9]+\]: )?"
)
# The regex runs on this many first characters; a line without a tag that is longer is
# left to the Python loop (its tag might have started further on).
_PREFIX = 256
# Messages that may continue the record before them (``syslog._continues_record``): a
# superset, as a line wrongly suspected only costs a trip through the Python loop.
_MAY_CONTINUE = (
    r"^(?:[ \t]|Caused by: |Suppressed: |\.\.\. |During handling|The above exception"
    r"|Traceback|[A-Za-z0-9_.]*(?::|$))"
)
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH_OF = {name: number for number, name in enumerate(_MONTHS, 1)}
_LEVELS: tuple[Level | None, ...] = (None, *Level)


class SyslogPlan:
    def __init__(self, path: str, reader: SyslogReader, collapser: Collapser) -> None:
        self.path = path
        self.reader = reader
        self.collapser = collapser
        self.templates = Templates()
        self.shapes = ShapeTable(self.templates, reader.shapes)
        self.feeder = BurstFeeder(collapser, NAME, self.templates)
        self._valid: dict[str, bool] = {}
        self._micros: dict[tuple[str, int], int] = {}

    def prepare(self, block: Block) -> tuple[int, Any]:
        frame = _fields(block.lines, self._valid)
        used, rows = cut_at_last_start(frame, block.at_end)
        return used, (block, rows) if rows is not None else None

    def finish(self, prepared: tuple[Block, pl.DataFrame]) -> None:
        block, frame = prepared
        simple, loose = self._records(block, frame, runs(frame["simple"]))
        self.reader.stats.events += simple.height
        feed(self.feeder, simple, loose, self.path)

    # --- years and times, in file order with the Python loop's stretches

    def _records(
        self, block: Block, frame: pl.DataFrame, runs: list[tuple[int, int]]
    ) -> tuple[pl.DataFrame, list[tuple[list[Any], int]]]:
        simple = frame.filter(pl.col("simple"))
        month = pl.col("stamp").str.slice(0, 3)
        runs_before = pl.Series([start for start, _ in runs], dtype=pl.UInt32)
        simple = simple.with_columns(before=runs_before.search_sorted(simple["row"], side="right"))
        turns = simple.with_columns(month=month).filter(
            (pl.col("month") != pl.col("month").shift(1)).fill_null(True)
            | (pl.col("before") != pl.col("before").shift(1)).fill_null(True)
        )
        # In file order: month turns (for the year), first lines of new message forms (for
        # their templates) and the stretches the Python loop reads.
        events: list[tuple[int, int, Any]] = [(start, 2, (start, end)) for start, end in runs]
        events += [(row, 0, name) for row, name in turns.select("row", "month").iter_rows()]
        simple, fresh = self.shapes.number(simple)
        events += [(row, 1, (form, text)) for row, form, text in fresh]
        events.sort(key=lambda item: (item[0], item[1]))
        years: list[int] = []
        loose: list[tuple[list[Any], int]] = []
        reader = self.reader
        for _, kind, what in events:
            if kind == 0:
                years.append(reader.years.year_for(_MONTH_OF[what]))
                if reader.years.rolled_over:
                    reader.bsd_times.clear()
            elif kind == 1:
                self.shapes.learn(*what)
            else:
                start, end = what
                for record in reader.records_of(block.numbered(start, end)):
                    loose.append((record, template_id(record, self.collapser, self.templates)))
        turn_rows = turns["row"]
        simple = simple.with_columns(
            year=pl.Series(years, dtype=pl.Int64).gather(
                turn_rows.search_sorted(simple["row"], side="right") - 1
            )
        )
        simple = self._timed(simple)
        simple = self.shapes.attach(simple).rename({"guess": "rank"})
        simple = simple.with_columns(line_no=(pl.col("row") + block.first_line_no).cast(pl.Int64))
        return simple, loose

    def _timed(self, simple: pl.DataFrame) -> pl.DataFrame:
        pairs = simple.select("stamp", "year").unique()
        micros = self._micros
        tz = self.reader.tz
        rows = []
        for stamp, year in pairs.iter_rows():
            found = micros.get((stamp, year))
            if found is None:
                if len(micros) > 50_000:
                    micros.clear()
                found = micros[(stamp, year)] = micros_of(_bsd_time(stamp, year, tz))
            rows.append((stamp, year, found))
        table = pl.DataFrame(
            rows, schema={"stamp": pl.String, "year": pl.Int64, "t": pl.Int64}, orient="row"
        )
        return simple.join(table, on=["stamp", "year"], how="left", maintain_order="left")


def _bsd_time(stamp: str, year: int, tz: dt.tzinfo) -> dt.datetime:
    month = _MONTH_OF[stamp[:3]]
    day, hour, minute, second = (
        int(stamp[4:6]),
        int(stamp[7:9]),
        int(stamp[10:12]),
        int(stamp[13:15]),
    )
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=tz).astimezone(UTC)


def _valid_stamp(stamp: str) -> bool:
    """A time that exists in every year (29 February is left to the Python loop)."""
    try:
        _bsd_time(stamp, 2001, UTC)
    except (ValueError, KeyError, OverflowError):
        return False
    return True


def _fields(lines: pl.Series, valid: dict[str, bool]) -> pl.DataFrame:
    """Per line: its header fields, message, and whether it certainly starts
    a one-line record the engine reads as ``SyslogReader`` would (``startable``)."""
    half = len(lines) // 2
    parts = [lines.slice(0, half), lines.slice(half)] if half > 1000 else [lines]
    frames = pl.collect_all([_line_fields(pl.LazyFrame({"line": part})) for part in parts])
    frame = pl.concat(frames) if len(frames) > 1 else frames[0]
    stamps = frame["stamp"].drop_nulls().unique()
    for stamp in stamps:
        if stamp not in valid:
            valid[stamp] = _valid_stamp(stamp)
    good = pl.Series([stamp for stamp in stamps if valid[stamp]], dtype=pl.String)
    ok = (pl.col("matched") & pl.col("stamp").is_in(good.implode())).fill_null(False)
    same_source = (pl.col("host") == pl.col("host").shift(1)) & pl.col("service").eq_missing(
        pl.col("service").shift(1)
    )
    frame = frame.with_columns(ok=ok)
    joins = (
        pl.col("may_continue")
        & (~pl.col("ok").shift(1, fill_value=False) | same_source.fill_null(False))
        & (pl.int_range(pl.len()) > 0)
    ).fill_null(False)
    return frame.select("stamp", "host", "service", "message", startable=pl.col("ok") & ~joins)


def _line_fields(lines: pl.LazyFrame) -> pl.LazyFrame:
    line = pl.col("line")
    rest = pl.col("rest")
    head = pl.col("head")
    fields = lines.with_columns(
        head=line.str.slice(0, _PREFIX).str.extract(HEADER, 0), rest=line.str.slice(16)
    ).with_columns(host_end=rest.str.find(" ", literal=True), head_len=head.str.len_bytes())
    fields = fields.with_columns(
        service=head.str.slice(pl.col("host_end") + 17).str.extract(r"^[^:\[]+", 0)
    )
    matched = (
        head.is_not_null()
        & (line.str.len_bytes() == line.str.len_chars())
        & ~line.str.contains("\r", literal=True)
        & ~(pl.col("service").is_null() & (line.str.len_bytes() > _PREFIX))
    )
    fields = fields.select(
        "service",
        matched=matched,
        stamp=line.str.slice(0, 15),
        host=rest.str.slice(0, pl.col("host_end")),
        message=line.str.slice(pl.col("head_len")),
    )
    return fields.with_columns(
        pl.when(pl.col("matched")).then(pl.col(name)).alias(name)
        for name in ("stamp", "host", "message", "service")
    ).with_columns(may_continue=pl.col("message").str.contains(_MAY_CONTINUE).fill_null(False))


def collapse_syslog(
    path: str, reader: SyslogReader, collapser: Collapser, stats: ReadStats
) -> None:
    plan = SyslogPlan(path, reader, collapser)
    read_blocks(path, stats, plan)
