"""Logs of a learned layout (``sources.generic``) through the columnar engine.

Taken when the layout reads full dates with years, its fields follow the time split on
whitespace, and the hot loop's narrow regex (``_layout.fast_line``) translates to the Rust
engine; other layouts stay with ``GenericReader``. Per line: the narrow regex's stamp and
fraction, the first fields after it, and the coarse form of the message, found by the C
scan (``_scan.scan_layout``, running the regex as ``programs``) in 2 MB blocks, or with
polars (one regex without captures for the fields) in 0.5 MB blocks of strings where the
scan is not built or the regex has another shape. What the reader does per distinct value (the time of a stamp; level, program,
host and the words kept in the text for a run of fields) is done once per distinct value by
the reader itself. Lines the regex does not match, that are not ASCII or hold a carriage
return, and the line before each, go through ``GenericReader``'s loop.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import Any, NamedTuple

import polars as pl

from postmortems.evidence.collapse import Collapser
from postmortems.evidence.sources._layout import split_fields
from postmortems.evidence.sources._levels import LEVEL_RANK
from postmortems.evidence.sources.base import ReadStats
from postmortems.evidence.sources.generic import NAME, GenericReader

from .blocks import Block, read_blocks
from .bursts import BurstFeeder, Templates, micros_of
from .compiled import SCAN, Int64Column
from .mixing import cut_at_last_start, feed, messages_by_row, runs, template_id
from .shapes import ShapeTable

_PREFIX = 128
# Caches of stamps and runs of fields: a block needs a few hundred (see syslog_plan).
_CACHE_LIMIT = 4_096
_SPACE = r" \t\n\r\f\v"
_NUMBER_LIKE = b"0123456789.:-/|,;#"
_NO_LEVEL = -2
# ``generic._PUNCTUATION`` as a class: a short message of only these reads as empty.
_RULE = r"^[=\-*~#:|.>< \t]{1,15}$"


def rust_pattern(pattern: bytes) -> str | None:
    """A Python bytes regex of ``fast_line``'s kind for the Rust engine, or None when it
    uses what that engine lacks (look-around, back-references) or this function does not
    know."""
    text = pattern.decode("latin-1")
    if not text.isascii() or re.search(r"\(\?(?:[=!<]|P=)", text):
        return None
    out = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            escaped = text[index + 1]
            index += 2
            if escaped == "d":
                out.append("[0-9]")
            elif escaped == "s":
                out.append(f"[{_SPACE}]")
            elif escaped == "S":
                out.append(f"[^{_SPACE}]")
            elif escaped in " ":
                out.append(" ")
            elif not escaped.isalnum():
                out.append("\\" + escaped)
            else:
                return None  # \w, \b and the like: Unicode in Rust, ASCII here
            continue
        out.append(char)
        index += 1
    return "".join(out)


_CLASSES = {"[A-Za-z]": b"A", "[.,:]": b"M"}


def programs(pattern: bytes) -> tuple[bytes, ...] | None:
    """The narrow start regex of ``fast_line`` as the C scan's programs (``_scan.c``
    ``run_program``): one string of operations per way it can match, in the order the regex
    engine prefers them; None for a regex of another shape (the polars way reads it)."""
    text = pattern.decode("latin-1")
    if not text.startswith("^"):
        return None
    pieces: list[list[bytes]] = [[b""]]  # per piece, its alternatives in order of preference
    index = 1
    while index < len(text):
        found = _piece(text, index)
        if found is None:
            return None
        choices, index = found
        pieces.append(choices)
    ways = [b""]
    for choices in pieces:
        ways = [way + choice for way in ways for choice in choices]
    for way in ways:  # a greedy fraction must not be followed by a digit it could give back
        at = way.find(b"Q")
        while at >= 0:
            after = way[at + 3 : at + 5]
            if after[:1] == b"D" or (after[:1] == b"L" and after[1:2].isdigit()):
                return None
            at = way.find(b"Q", at + 3)
    return tuple(ways)


def _atom(text: str, index: int) -> tuple[bytes, int] | None:
    """One character's operation: a digit, a letter, a mark or a literal."""
    for written, op in _CLASSES.items():
        if text.startswith(written, index):
            return op, index + len(written)
    char = text[index]
    if char == "\\" and index + 1 < len(text):
        escaped = text[index + 1]
        if escaped == "d":
            return b"D", index + 2
        if escaped.isalnum() or not escaped.isascii():
            return None
        return b"L" + escaped.encode(), index + 2
    if char in ".^$*+?{}[]()|" or not char.isascii():
        return None
    return b"L" + char.encode(), index + 1


def _piece(text: str, index: int) -> tuple[list[bytes], int] | None:
    """The operations of the regex piece at ``index`` (alternatives in order), and where
    the next piece starts."""
    if text.startswith("(?P<k>", index):
        alternatives, current = [], b""
        index += len("(?P<k>")
        while index < len(text) and text[index] != ")":
            if text[index] == "|":
                alternatives.append(current)
                current, index = b"", index + 1
                continue
            atom = _atom(text, index)
            if atom is None:
                return None
            current, index = current + atom[0], atom[1]
        if index >= len(text):
            return None
        alternatives.append(current)
        return [b"(" + way + b")" for way in alternatives], index + 1
    if text.startswith("(?P<q>)", index):
        return [b"q"], index + len("(?P<q>)")
    if text.startswith(r"(?:\s+|$)", index):
        return [b"S"], index + len(r"(?:\s+|$)")
    if text.startswith("(?:", index):
        mark = _atom(text, index + 3)
        if mark is None:
            return None
        rest = text[mark[1] :]
        for digits, least, most in (
            (r"\d{1,9}", 1, 9),
            *((rf"\d{{{n}}}", n, n) for n in range(1, 10)),
        ):
            written = f"(?P<q>{digits}))"
            if rest.startswith(written):
                end = mark[1] + len(written)
                present = mark[0] + b"Q" + bytes([least, most])
                if text.startswith("?", end):
                    return [present, b""], end + 1
                return [present], end
        return None
    atom = _atom(text, index)
    return ([atom[0]], atom[1]) if atom is not None else None


def plan_for(reader: GenericReader) -> tuple[str, int] | None:
    """(Rust regex of the narrow line start, fields to split), or None when the layout is not
    one this engine reads exactly as the reader does."""
    layout = reader.layout
    fast = reader.fast
    if layout is None or fast is None or not layout.has_year or not layout.shape.has_date:
        return None
    if layout.level_before is not None or layout.words_before or layout.delimiter:
        return None
    if layout.extras or layout.trailing_year:
        return None
    pattern = rust_pattern(fast.pattern)
    if pattern is None or "(?P<k>" not in pattern or "(?P<q>" not in pattern:
        return None
    return pattern, layout.fields_to_split


_LAYOUT_COLUMNS = ("row", "t", "fields", "rest", "form")


class ScannedLayout(NamedTuple):
    """A block taken apart by ``_scan.scan_layout``."""

    used: int  # lines read now (0: the block holds no place to cut)
    starts: Sequence[int]  # offset of each line in the block, then the block's length
    runs: list[tuple[int, int]]  # stretches of lines that are not simple, for the Python loop
    columns: bytes  # ``_LAYOUT_COLUMNS`` of the simple lines as 64-bit integers
    firsts: list[int]  # the simple lines (by index) that brought a new coarse form
    field_names: list[bytes]  # the distinct runs of fields after the time
    field_values: list[tuple[int, str | None, str | None, bytes]]  # ``_fields_of`` each

    def column(self, name: str) -> Sequence[int]:
        """``row``: the line in the block; ``t``: its time (UTC microseconds); ``fields``:
        the number of its fields; ``rest``: where the rest of its message starts (-1: the
        message is a rule, so empty); ``form``: its coarse form's number."""
        size = len(self.columns) // (8 * len(_LAYOUT_COLUMNS))
        index = _LAYOUT_COLUMNS.index(name)
        return memoryview(self.columns).cast("q")[index * size : (index + 1) * size]

    def series(self, name: str) -> pl.Series:
        """``column(name)`` as a polars Series."""
        if SCAN is None:
            return pl.Series(name, self.column(name), dtype=pl.Int64)
        size = len(self.columns) // (8 * len(_LAYOUT_COLUMNS))
        found = pl.Series(Int64Column(self.columns, _LAYOUT_COLUMNS.index(name) * size, size))
        return found.alias(name)


class GenericPlan:
    def __init__(
        self,
        path: str,
        reader: GenericReader,
        collapser: Collapser,
        start: tuple[str, int],
        compiled: bool = True,
    ) -> None:
        self.path = path
        self.reader = reader
        self.collapser = collapser
        self.start, self.count = start
        self.scale = 1
        fast = reader.fast
        self._programs = programs(fast.pattern) if compiled and SCAN and fast else None
        if self._programs is not None:
            self.scale = 4  # no string per line: bigger blocks (see blocks.BLOCK_BYTES)
        self.templates = Templates()
        self.shapes = ShapeTable(self.templates, collapser._shapes)
        self.feeder = BurstFeeder(collapser, NAME, self.templates)
        self._times: dict[str, int | None] = {}
        self._fields: dict[str, tuple[int, str | None, str | None, str]] = {}
        layout = reader.layout
        assert layout is not None
        fields = (layout.level_field, layout.program_field, layout.host_field)
        self._others = [j for j in range(self.count) if j not in fields]
        self._fields_regex = (
            rf"^[{_SPACE}]*(?:[^{_SPACE}]+[{_SPACE}]+){{{self.count}}}" if self.count else None
        )

    def prepare(self, block: Block) -> tuple[int, Any]:
        if self._programs is not None:
            return self._prepare_compiled(block)
        line = pl.col("line")
        frame = pl.DataFrame({"line": block.lines}).with_columns(
            line.str.slice(0, _PREFIX).str.extract_groups(self.start).alias("m"),
            head_len=line.str.slice(0, _PREFIX).str.extract(self.start, 0).str.len_bytes(),
            plain=(line.str.len_bytes() == line.str.len_chars())
            & ~line.str.contains("\r", literal=True),
            long=line.str.len_bytes() > _PREFIX,
        )
        frame = frame.with_columns(k=pl.col("m").struct.field("k"), q=pl.col("m").struct.field("q"))
        frame = frame.join(self._times_of(frame, block), on="k", how="left", maintain_order="left")
        ok = (
            pl.col("head_len").is_not_null()
            & pl.col("plain")
            & (~pl.col("long") | (pl.col("head_len") < _PREFIX))
            & pl.col("base").is_not_null()
        ).fill_null(False)
        frame = frame.with_columns(startable=ok)
        used, rows = cut_at_last_start(frame, block.at_end)
        return used, (block, rows) if rows is not None else None

    def _in_file_order(
        self, events: list[tuple[int, Any]], block: Block
    ) -> list[tuple[list[Any], int]]:
        """Learn each new form from its first line and read each stretch with the reader's
        own loop, in file order (templates go by the first line of each form); the records
        the loop read, each with its template."""
        events.sort(key=lambda item: item[0])
        loose: list[tuple[list[Any], int]] = []
        for _, what in events:
            if isinstance(what[0], bytes):
                self.shapes.learn(*what)
                continue
            for record in self.reader.records_of(block.numbered(*what)):
                loose.append((record, template_id(record, self.collapser, self.templates)))
        return loose

    def _times_of(self, frame: pl.DataFrame, block: Block) -> pl.DataFrame:
        """(stamp, UTC microseconds or null) for the block's stamps, each read once by the
        reader from the first line that has it."""
        firsts = (
            frame.select("k", row=pl.int_range(pl.len()))
            .filter(pl.col("k").is_not_null())
            .unique("k", keep="first", maintain_order=True)
        )
        times = self._times
        if len(times) > _CACHE_LIMIT:
            times.clear()
        reader = self.reader
        rows = []
        for key, row in firsts.iter_rows():
            if key not in times:
                when = reader._time_of_line(block.raw(row), key.encode())
                times[key] = micros_of(when) if when is not None else None
            rows.append((key, times[key]))
        return pl.DataFrame(rows, schema={"k": pl.String, "base": pl.Int64}, orient="row")

    def finish(self, prepared: tuple[Block, Any]) -> None:
        if self._programs is not None:
            self._finish_compiled(*prepared)
            return
        block, frame = prepared
        simple = frame.filter(pl.col("simple"))
        fraction = pl.col("q").str.slice(0, 6).str.pad_end(6, "0").cast(pl.Int64).fill_null(0)
        rest = pl.col("line").str.slice(pl.col("head_len"))
        simple = simple.select(
            "row",
            t=pl.col("base") + fraction,
            rest=rest,
            line_no=(pl.col("row") + block.first_line_no).cast(pl.Int64),
        )
        simple = self._no_rules(self._split(simple))
        # In file order, as templates go by the first line of each form: the first lines of
        # new forms, and the stretches the reader's own loop reads.
        simple, fresh = self.shapes.number(simple)
        events: list[tuple[int, Any]] = [(row, (form, text)) for row, form, text in fresh]
        events += [(start, (start, end)) for start, end in runs(frame["simple"])]
        loose = self._in_file_order(events, block)
        simple = self.shapes.attach(simple)
        simple = simple.with_columns(
            rank=pl.when(pl.col("level_rank") == _NO_LEVEL)
            .then(pl.col("guess"))
            .otherwise(pl.col("level_rank"))
            .cast(pl.Int64)
        )
        self.reader.stats.events += simple.height
        feed(self.feeder, simple, loose, self.path, messages_by_row(simple))

    # --- the C scan (``_scan.scan_layout``): numbers per line, strings per distinct value

    def _prepare_compiled(self, block: Block) -> tuple[int, Any]:
        forms = self.shapes.forms
        scanned = ScannedLayout(
            *SCAN.scan_layout(
                block.body,
                block.at_end,
                self._programs,
                self.count,
                self._time_of_stamp,
                self._fields_of,
                forms.numbers,
                forms.forms,
            )
        )
        block.starts = scanned.starts
        return scanned.used, (block, scanned) if scanned.used else None

    def _time_of_stamp(self, stamp: bytes, raw: bytes) -> int | None:
        key = stamp.decode()
        times = self._times
        if key not in times:
            if len(times) > _CACHE_LIMIT:
                times.clear()
            when = self.reader._time_of_line(raw, stamp)
            times[key] = micros_of(when) if when is not None else None
        return times[key]

    def _fields_of(self, value: bytes) -> tuple[int, str | None, str | None, bytes]:
        text = value.decode()
        known = self._fields
        if text not in known:
            if len(known) > _CACHE_LIMIT:
                known.clear()
            known[text] = self._read_fields(text)
        rank, service, host, kept = known[text]
        return rank, service, host, kept.encode()

    def _finish_compiled(self, block: Block, scanned: ScannedLayout) -> None:
        rows, rests = scanned.column("row"), scanned.column("rest")
        forms_of = scanned.column("form")
        kept = [value[3].decode() for value in scanned.field_values]
        fields_of = scanned.column("fields")

        def message_of(row: int) -> str:
            index = bisect.bisect_left(rows, row)
            rest = rests[index]
            if rest < 0:
                return ""
            return kept[fields_of[index]] + block.body[rest : block.line_end(row)].decode()

        # In file order, as templates go by the first line of each form: the first lines of
        # new forms, and the stretches the reader's own loop reads.
        forms = self.shapes.forms.forms
        events: list[tuple[int, Any]] = [
            (rows[index], (forms[forms_of[index]], message_of(rows[index])))
            for index in scanned.firsts
        ]
        events += [(start, (start, end)) for start, end in scanned.runs]
        loose = self._in_file_order(events, block)
        numbers = pl.Int64
        simple = pl.DataFrame([scanned.series(name) for name in ("row", "t", "fields", "form")])
        values = scanned.field_values
        ranks = pl.Series([value[0] for value in values], dtype=numbers)
        services = pl.Series([value[1] for value in values], dtype=pl.String)
        hosts = pl.Series([value[2] for value in values], dtype=pl.String)
        fields = simple["fields"]
        simple = self.shapes.attach(simple).with_columns(
            level_rank=ranks.gather(fields),
            service=services.gather(fields),
            host=hosts.gather(fields),
            line_no=pl.col("row") + block.first_line_no,
        )
        simple = simple.with_columns(
            rank=pl.when(pl.col("level_rank") == _NO_LEVEL)
            .then(pl.col("guess"))
            .otherwise(pl.col("level_rank"))
        )
        self.reader.stats.events += simple.height
        feed(self.feeder, simple, loose, self.path, message_of)

    def _split(self, simple: pl.DataFrame) -> pl.DataFrame:
        """The fields after the time, as ``GenericReader`` takes them apart."""
        regex = self._fields_regex
        if regex is None:
            return simple.with_columns(
                message=pl.col("rest"),
                level_rank=pl.lit(_NO_LEVEL, pl.Int64),
                service=pl.lit(None, pl.String),
                host=pl.lit(None, pl.String),
            )
        head = pl.col("rest").str.extract(regex, 0)
        simple = simple.with_columns(fields=head.fill_null(""))
        simple = simple.with_columns(
            remainder=pl.col("rest").str.slice(pl.col("fields").str.len_bytes())
        ).with_columns(
            fields=pl.when(pl.col("remainder") == "").then(pl.lit("")).otherwise("fields")
        )
        simple = simple.with_columns(
            remainder=pl.when(pl.col("fields") == "").then("rest").otherwise("remainder")
        )
        table = self._field_table(simple["fields"].unique())
        simple = simple.join(table, on="fields", how="left", maintain_order="left")
        return simple.with_columns(message=pl.concat_str("kept", "remainder"))

    def _no_rules(self, simple: pl.DataFrame) -> pl.DataFrame:
        """A message of punctuation only (a banner's "=== ... ===" rule) is no text."""
        rule = pl.col("message").str.contains(_RULE)
        return simple.with_columns(message=pl.when(rule).then(pl.lit("")).otherwise("message"))

    def _field_table(self, values: pl.Series) -> pl.DataFrame:
        known = self._fields
        for value in values:
            if value not in known:
                known[value] = self._read_fields(value)
        rows = [(value, *known[value]) for value in values]
        schema = {
            "fields": pl.String,
            "level_rank": pl.Int64,
            "service": pl.String,
            "host": pl.String,
            "kept": pl.String,
        }
        return pl.DataFrame(rows, schema=schema, orient="row")

    def _read_fields(self, value: str) -> tuple[int, str | None, str | None, str]:
        """(level rank or _NO_LEVEL, program, host, words kept before the message)."""
        if not value:
            return _NO_LEVEL, None, None, ""
        reader = self.reader
        layout = reader.layout
        assert layout is not None
        words = split_fields(value.encode() + b"x", None, self.count)[: self.count]
        kept = b"".join(words[j] + b" " for j in self._others if words[j].strip(_NUMBER_LIKE))
        level = None
        if layout.level_field is not None:
            word = words[layout.level_field]
            level = reader.levels[word] if word in reader.levels else reader._level(word)
        service = host = None
        if layout.program_field is not None:
            word = words[layout.program_field]
            service = reader.names.get(word) or reader._program(word)
        if layout.host_field is not None:
            word = words[layout.host_field]
            host = reader.names.get(word) or reader._name(word)
        rank = _NO_LEVEL if level is None else LEVEL_RANK[level]
        return rank, service, host, kept.decode()


def collapse_generic(
    path: str, reader: GenericReader, collapser: Collapser, stats: ReadStats
) -> bool:
    """Read with the engine; False when the layout is not one it takes."""
    start = plan_for(reader)
    if start is None:
        return False
    read_blocks(path, stats, GenericPlan(path, reader, collapser, start))
    reader.note_directives()
    return True
