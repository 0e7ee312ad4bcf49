"""Logs of a learned layout (``sources.generic``) through the columnar engine.

Taken when the layout reads full dates with years, its fields follow the time split on
whitespace, and the hot loop's narrow regex (``_layout.fast_line``) translates to the Rust
engine; other layouts stay with ``GenericReader``. Per line: the narrow regex's stamp and
fraction, the first fields after it (one regex without captures), and the coarse form of
the message. What the reader does per distinct value (the time of a stamp; level, program,
host and the words kept in the text for a run of fields) is done once per distinct value by
the reader itself. Lines the regex does not match, that are not ASCII or hold a carriage
return, and the line before each, go through ``GenericReader``'s loop.
"""

from __future__ import annotations

import re
from typing import Any

import polars as pl

from postmortems.evidence.collapse import Collapser
from postmortems.evidence.sources._layout import split_fields
from postmortems.evidence.sources._levels import LEVEL_RANK
from postmortems.evidence.sources.base import ReadStats
from postmortems.evidence.sources.generic import NAME, GenericReader

from .blocks import Block, read_blocks
from .bursts import BurstFeeder, Templates, micros_of
from .mixing import cut_at_last_start, feed, messages_by_row, runs, template_id
from .shapes import ShapeTable

_PREFIX = 128
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


class GenericPlan:
    def __init__(
        self, path: str, reader: GenericReader, collapser: Collapser, start: tuple[str, int]
    ) -> None:
        self.path = path
        self.reader = reader
        self.collapser = collapser
        self.start, self.count = start
        self.scale = 1
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

    def _times_of(self, frame: pl.DataFrame, block: Block) -> pl.DataFrame:
        """(stamp, UTC microseconds or null) for the block's stamps, each read once by the
        reader from the first line that has it."""
        firsts = (
            frame.select("k", row=pl.int_range(pl.len()))
            .filter(pl.col("k").is_not_null())
            .unique("k", keep="first", maintain_order=True)
        )
        times = self._times
        if len(times) > 50_000:
            times.clear()
        reader = self.reader
        rows = []
        for key, row in firsts.iter_rows():
            if key not in times:
                when = reader._time_of_line(block.raw(row), key.encode())
                times[key] = micros_of(when) if when is not None else None
            rows.append((key, times[key]))
        return pl.DataFrame(rows, schema={"k": pl.String, "base": pl.Int64}, orient="row")

    def finish(self, prepared: tuple[Block, pl.DataFrame]) -> None:
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
        events.sort(key=lambda item: item[0])
        loose: list[tuple[list[Any], int]] = []
        reader = self.reader
        for _, what in events:
            if isinstance(what[0], bytes):
                self.shapes.learn(*what)
                continue
            for record in reader.records_of(block.numbered(*what)):
                loose.append((record, template_id(record, self.collapser, self.templates)))
        simple = self.shapes.attach(simple)
        simple = simple.with_columns(
            rank=pl.when(pl.col("level_rank") == _NO_LEVEL)
            .then(pl.col("guess"))
            .otherwise(pl.col("level_rank"))
            .cast(pl.Int64)
        )
        reader.stats.events += simple.height
        feed(self.feeder, simple, loose, self.path, messages_by_row(simple))

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
