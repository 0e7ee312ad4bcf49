"""RFC 3164 syslog ("Mmm dd hh:mm:ss host tag[pid]: message") through the columnar engine.

A block is taken apart by ``_scan.scan_syslog`` (C), or where that was not built by
``scan_in_polars``, which gives the same: per line the header ``HEADER`` (which is
``syslog._BSD_FIELDS`` for the Rust regex engine: the look-ahead of the tag field becomes a
second alternative that spells out what it looked ahead for, and ``\\s``, ``\\d`` the ASCII
classes Python's bytes patterns mean) on its first 256 characters, and which lines are
simple one-line records. A line whose header is longer, that is not ASCII, holds a carriage
return or a time that does not exist is left to ``SyslogReader``'s loop, as is every line
that may continue a record (indented, or a stack trace's tail) and the line before it.
What comes out per line is numbers (of the stamp, host and program among the block's
distinct ones, of the message's coarse form); strings are made per distinct value. Years
follow the months in file order, through the reader's ``YearTracker``.
"""

from __future__ import annotations

import array
import bisect
import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import polars as pl

from postmortems.evidence.collapse import Collapser
from postmortems.evidence.sources._timeparse import UTC
from postmortems.evidence.sources.base import ReadStats
from postmortems.evidence.sources.syslog import NAME, SyslogReader

from .blocks import Block, read_blocks
from .bursts import BurstFeeder, Templates, micros_of
from .compiled import SCAN, Int64Column
from .forms import number_in_polars
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
# Caches of stamps (one a second of log): a block needs a few hundred; 50,000 held 13 MB,
# which showed in the peak memory of a 1 GB file.
_CACHE_LIMIT = 4_096


_COLUMNS = ("row", "stamp", "host", "service", "message", "form")


class Scanned(NamedTuple):
    """A block taken apart (see ``_scan.scan_syslog``): numbers per simple line, the names
    they stand for listed once per block."""

    used: int  # lines read now (0: the block holds no place to cut)
    starts: Sequence[int]  # offset of each line in the block, then the block's length
    runs: list[tuple[int, int]]  # stretches of lines that are not simple, for the Python loop
    columns: bytes  # ``_COLUMNS`` of the simple lines as 64-bit integers, one after the other
    firsts: list[int]  # the simple lines (by index) that brought a new coarse form
    stamp_names: list[bytes]
    host_names: list[bytes]
    service_names: list[bytes | None]

    def column(self, name: str) -> Sequence[int]:
        """``row``: the line in the block; ``stamp``, ``host``, ``service``: the number of
        its name; ``message``: where its message starts; ``form``: its coarse form's number
        (``FormNumbers``)."""
        size = len(self.columns) // (8 * len(_COLUMNS))
        index = _COLUMNS.index(name)
        return memoryview(self.columns).cast("q")[index * size : (index + 1) * size]

    def series(self, name: str) -> pl.Series:
        """``column(name)`` as a polars Series."""
        if SCAN is None:
            return pl.Series(name, self.column(name), dtype=pl.Int64)
        size = len(self.columns) // (8 * len(_COLUMNS))
        found = pl.Series(Int64Column(self.columns, _COLUMNS.index(name) * size, size))
        return found.alias(name)


Scan = Callable[
    [bytes | bytearray, bool, Callable[[bytes], bool], dict[bytes, int], list[bytes]], Any
]


class SyslogPlan:
    def __init__(
        self, path: str, reader: SyslogReader, collapser: Collapser, compiled: bool = True
    ) -> None:
        self.path = path
        self.reader = reader
        self.collapser = collapser
        self.templates = Templates()
        self.shapes = ShapeTable(self.templates, reader.shapes)
        self.feeder = BurstFeeder(collapser, NAME, self.templates)
        self._scan: Scan = scan_in_polars
        self.scale = 1
        if compiled and SCAN is not None:
            # 2 MB blocks peak at 122 MB on the realistic 100 MB file, 4 MB blocks at 145 MB,
            # too near the 150 MB bound once a 1 GB file adds its few MB.
            self._scan, self.scale = SCAN.scan_syslog, 4
        self._valid: dict[bytes, bool] = {}
        self._micros: dict[tuple[bytes, int], int] = {}

    def prepare(self, block: Block) -> tuple[int, Any]:
        forms = self.shapes.forms
        scanned = Scanned(
            *self._scan(block.body, block.at_end, self._is_valid, forms.numbers, forms.forms)
        )
        block.starts = scanned.starts
        return scanned.used, (block, scanned) if scanned.used else None

    def finish(self, prepared: tuple[Block, Scanned]) -> None:
        block, scanned = prepared
        simple, loose = self._records(block, scanned)
        self.reader.stats.events += simple.height

        rows, messages = scanned.column("row"), scanned.column("message")

        def message_of(row: int) -> str:
            where = messages[bisect.bisect_left(rows, row)]
            return block.body[where : block.line_end(row)].decode()

        feed(self.feeder, simple, loose, self.path, message_of)

    def _is_valid(self, stamp: bytes) -> bool:
        found = self._valid.get(stamp)
        if found is None:
            if len(self._valid) > _CACHE_LIMIT:
                self._valid.clear()
            found = self._valid[stamp] = _valid_stamp(stamp.decode())
        return found

    # --- years and times, in file order with the Python loop's stretches

    def _records(
        self, block: Block, scanned: Scanned
    ) -> tuple[pl.DataFrame, list[tuple[list[Any], int]]]:
        numbers = pl.Int64
        simple = pl.DataFrame(
            [scanned.series(name) for name in ("row", "stamp", "host", "service", "form")]
        )
        months = pl.Series(
            [_MONTH_OF.get(name[:3].decode(), 0) for name in scanned.stamp_names], dtype=numbers
        )
        runs_before = pl.Series([start for start, _ in scanned.runs], dtype=numbers)
        simple = simple.with_columns(
            month=months.gather(simple["stamp"]),
            before=runs_before.search_sorted(simple["row"], side="right"),
        )
        turns = simple.filter(
            (pl.col("month") != pl.col("month").shift(1)).fill_null(True)
            | (pl.col("before") != pl.col("before").shift(1)).fill_null(True)
        )
        # In file order: month turns (for the year), first lines of new message forms (for
        # their templates) and the stretches the Python loop reads.
        events: list[tuple[int, int, Any]] = [
            (start, 2, (start, end)) for start, end in scanned.runs
        ]
        events += [(row, 0, month) for row, month in turns.select("row", "month").iter_rows()]
        forms = self.shapes.forms.forms
        rows, messages, numbers_of_forms = (
            scanned.column("row"),
            scanned.column("message"),
            scanned.column("form"),
        )
        for index in scanned.firsts:
            row = rows[index]
            text = block.body[messages[index] : block.line_end(row)].decode()
            events.append((row, 1, (forms[numbers_of_forms[index]], text)))
        events.sort(key=lambda item: (item[0], item[1]))
        years: list[int] = []
        loose: list[tuple[list[Any], int]] = []
        reader = self.reader
        for _, kind, what in events:
            if kind == 0:
                years.append(reader.years.year_for(what))
                if reader.years.rolled_over:
                    reader.bsd_times.clear()
            elif kind == 1:
                self.shapes.learn(*what)
            else:
                start, end = what
                for record in reader.records_of(block.numbered(start, end)):
                    loose.append((record, template_id(record, self.collapser, self.templates)))
        simple = simple.with_columns(
            year=pl.Series(years, dtype=numbers).gather(
                turns["row"].search_sorted(simple["row"], side="right") - 1
            )
        )
        simple = self._timed(simple, scanned.stamp_names, years)
        simple = self.shapes.attach(simple).rename({"guess": "rank"})
        hosts = pl.Series([name.decode() for name in scanned.host_names], dtype=pl.String)
        services = pl.Series(
            [None if name is None else name.decode() for name in scanned.service_names],
            dtype=pl.String,
        )
        simple = simple.with_columns(
            host=hosts.gather(simple["host"]),
            service=services.gather(simple["service"]),
            line_no=pl.col("row") + block.first_line_no,
        )
        return simple, loose

    def _timed(self, simple: pl.DataFrame, names: list[bytes], years: list[int]) -> pl.DataFrame:
        """``simple`` with ``t``, the time of each line (UTC microseconds)."""
        if len(set(years)) == 1:  # the common case: one year, a time per stamp
            year = years[0]
            times = pl.Series([self._time(name, year) for name in names], dtype=pl.Int64)
            return simple.with_columns(t=times.gather(simple["stamp"]))
        pairs = simple.select("stamp", "year").unique()
        rows = [(stamp, year, self._time(names[stamp], year)) for stamp, year in pairs.iter_rows()]
        table = pl.DataFrame(
            rows, schema={"stamp": pl.Int64, "year": pl.Int64, "t": pl.Int64}, orient="row"
        )
        return simple.join(table, on=["stamp", "year"], how="left", maintain_order="left")

    def _time(self, stamp: bytes, year: int) -> int:
        micros = self._micros
        found = micros.get((stamp, year))
        if found is None:
            if len(micros) > _CACHE_LIMIT:
                micros.clear()
            try:
                found = micros_of(_bsd_time(stamp.decode(), year, self.reader.tz))
            except (ValueError, KeyError, OverflowError):  # a stamp no simple line has
                found = 0
            micros[(stamp, year)] = found
        return found


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


# --- the same in polars, for an install without the compiled scan


def scan_in_polars(
    body: bytes | bytearray,
    at_end: bool,
    is_valid: Callable[[bytes], bool],
    numbers: dict[bytes, int],
    forms: list[bytes],
) -> Scanned:
    """``_scan.scan_syslog`` with polars and Python: the same result, several times slower
    (the names are numbered in another order, which nothing depends on)."""
    block = Block(body, 0, at_end)
    lines = block.lines
    lengths = (lines.str.len_chars() if block.latin1 else lines.str.len_bytes()) + 1
    starts = [0, *lengths.cum_sum().to_list()]
    starts[-1] = len(body)
    frame = _fields(lines, is_valid).with_columns(length=lines.str.len_bytes())
    used, rows = cut_at_last_start(frame, at_end)
    if rows is None:
        return Scanned(0, starts, [], b"", [], [], [], [])
    stretches = runs(rows["simple"])
    simple = rows.filter(pl.col("simple"))
    ids, firsts = number_in_polars(simple["message"], numbers, forms)
    tables: dict[str, dict[Any, int]] = {"stamp": {}, "host": {}, "service": {}}

    def numbered(name: str) -> list[int]:
        table = tables[name]
        return [table.setdefault(value, len(table)) for value in simple[name].to_list()]

    row_list = simple["row"].cast(pl.Int64).to_list()
    heads = (simple["length"] - simple["message"].str.len_bytes()).to_list()
    columns = array.array("q", row_list)
    for name in ("stamp", "host", "service"):
        columns.extend(numbered(name))
    columns.extend(starts[row] + head for row, head in zip(row_list, heads, strict=True))
    columns.extend(ids.to_list())
    return Scanned(
        used,
        starts,
        stretches,
        columns.tobytes(),
        firsts,
        [name.encode() for name in tables["stamp"]],
        [name.encode() for name in tables["host"]],
        [None if name is None else name.encode() for name in tables["service"]],
    )


def _fields(lines: pl.Series, is_valid: Callable[[bytes], bool]) -> pl.DataFrame:
    """Per line: its header fields, message, and whether it certainly starts a one-line
    record the engine reads as ``SyslogReader`` would (``startable``)."""
    frame = _line_fields(pl.LazyFrame({"line": lines})).collect()
    stamps = frame["stamp"].drop_nulls().unique()
    good = pl.Series([stamp for stamp in stamps if is_valid(stamp.encode())], dtype=pl.String)
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
