"""Any line-oriented log whose records carry a timestamp near the start of the line.

The fallback when no specific source recognises a file: its layout is learned from the
first 64 KiB (``_layout``): where the timestamp is and how it reads, and which fields are
the level, the program and the host. Lines without the timestamp continue the record
above them (stack traces, wrapped messages). The layout learned is shown in the summary.

Dates written without a year (``03-17 16:13:38``, ``Mar 17 ...``) take it from ``--year``,
else from the other evidence, else from the file's modification date; times without a
date take the day from ``--date``, the other evidence or the modification date. A note
says which was used. Zone-less times are read in ``ReadOptions.default_tz``.

Like syslog this is a hot path, so it works on bytes, compiles the layout into one regex
and caches the datetime of each distinct second.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from postmortems.evidence.events import Event, EventKind, Level
from postmortems.evidence.sources import _multiline
from postmortems.evidence.sources._io import (
    STDIN,
    decode,
    file_size,
    numbered_lines,
    read_head,
    record_boundaries,
)
from postmortems.evidence.sources._layout import (
    Layout,
    boot_relative,
    fast_line,
    is_directive,
    learn,
    level_of_word,
    prefix_words,
    split_fields,
    stamp_parts,
)
from postmortems.evidence.sources._levels import level_from_words
from postmortems.evidence.sources._timeparse import UTC
from postmortems.evidence.sources.base import ReadOptions, ReadStats
from postmortems.evidence.sources.syslog import YearTracker

if TYPE_CHECKING:
    from postmortems.evidence.collapse import CollapseOptions, Collapser

NAME = "generic"
CONFIDENCE = 0.31  # just above the bar: every specific source that recognises a file wins
_CACHE_LIMIT = 20_000
_DIGITS = b"0123456789"
# Fields left out of the text when they hold only these: pids, dates, "-" placeholders.
_NUMBER_LIKE = b"0123456789.:-/|,;#"
# Starts only at a token boundary: otherwise a long digitless word is rescanned from each of
# its characters (quadratic; a 200 KB line took minutes).
_DIGIT_TOKENS = re.compile(rb"(?<![\w.:/@%+-])[\w.:/@%+-]*\d[\w.:/@%+-]*")
_ZONE = re.compile(rb"(Z|UTC|GMT)|([+-])(\d\d):?(\d\d)")
_DAY_TURN = dt.timedelta(hours=6)  # a time of day this far back means the next day
_PUNCTUATION = b"=-*~#:|.>< \t"
_SHORT = 16  # a rest this short may be punctuation only ("===")
# "INFO: message" on the line after the time (java.util.logging's two-line records).
_LEADING_LEVEL = re.compile(rb"([A-Za-z]{1,13}):\s")
UPTIME_NOTE = (
    "its times count seconds since boot ('[ 3733.170000]'), not the time of day, so they "
    "cannot be placed beside other evidence: `dmesg -T` or `journalctl -k` writes the time of day"
)
Record = list[Any]


def _reference_year(path: str) -> int | None:
    if path == STDIN:
        return None
    try:
        return dt.datetime.fromtimestamp(os.path.getmtime(path), UTC).year
    except OSError:
        return None


class GenericSource:
    """Timestamped text logs of a layout learned from the file itself."""

    name = NAME
    description = "any timestamped text log (layout learned from the file)"

    def sniff(self, head: bytes, path: str) -> float:
        layout = learn(head, _reference_year(path))
        # A kernel ring buffer is taken, to say why its times cannot be read.
        return CONFIDENCE if layout is not None or boot_relative(head) else 0.0

    def read(self, path: str, opts: ReadOptions, stats: ReadStats) -> Iterator[Event]:
        reader = GenericReader(path, opts, stats)
        name = NAME
        log = EventKind.LOG
        for when, service, host, level, message, line_no, _ in reader.records():
            event = Event(when, name, log, _text(message), level, service, host)
            event.ref = f"{path}:{line_no}"
            yield event

    def read_collapsed(
        self, path: str, opts: ReadOptions, stats: ReadStats, options: CollapseOptions | None
    ) -> Collapser:
        """``collapse(read(...))`` without an event per line."""
        from postmortems.evidence.collapse import Collapser
        from postmortems.evidence.columnar import engine

        if engine.eligible(path):
            from postmortems.evidence.columnar.generic_plan import collapse_generic

            def columnar() -> Collapser | None:
                collapser = Collapser(options)
                reader = GenericReader(path, opts, stats)
                return collapser if collapse_generic(path, reader, collapser, stats) else None

            found = engine.attempt(stats, columnar)
            if found is not None:
                return found
        collapser = _collapse_in_parallel(path, opts, stats, options)
        if collapser is None:
            collapser = Collapser(options)
            collapser.add_records(GenericReader(path, opts, stats).records(), NAME, path)
        return collapser


def _text(message: bytes) -> str:
    try:
        return message.decode()
    except UnicodeDecodeError:
        return message.decode("latin-1")


class GenericReader:
    """One pass over one file with the layout learned from its head."""

    def __init__(
        self,
        path: str,
        opts: ReadOptions,
        stats: ReadStats,
        byte_range: tuple[int, int] | None = None,
    ) -> None:
        self.path = path
        self.byte_range = byte_range
        self.opts = opts
        self.stats = stats
        self.tz = opts.default_tz or UTC
        self.head = read_head(path)
        self.layout: Layout | None = learn(self.head, _reference_year(path))
        self.times: dict[bytes, dt.datetime] = {}
        self.levels: dict[bytes, Level | None] = {}
        self.guessed: dict[bytes, Level] = {}
        self.names: dict[bytes, str] = {}
        self.years: YearTracker | None = None
        self.day: dt.date | None = None
        self.last_clock: dt.datetime | None = None
        # The narrow regex of the hot loop (see ``_layout.fast_line``), or None.
        self.fast = fast_line(self.layout, self.head) if self.layout is not None else None
        self.guessed_record: Record | None = None  # its level guessed; the next line may say
        self.directives = 0  # "#Fields: ..." header lines skipped
        if self.layout is None and boot_relative(self.head):
            stats.notes.append(UPTIME_NOTE)
        if self.layout is not None:
            stats.layout = self.layout.describe()
            stats.notes.extend(self.layout.notes)
            self._place_undated(self.layout)

    # --- where dates without a year or without a day go

    def _place_undated(self, layout: Layout) -> None:
        opts = self.opts
        mtime = _modified(self.path)
        if layout.shape.has_date and not layout.has_year:
            if opts.year is not None:
                origin = f"--year {opts.year}"
            elif opts.reference is not None:
                origin = f"the other evidence ({opts.reference.year})"
            elif mtime is not None:
                origin = f"the file's modification date ({mtime:%Y-%m-%d})"
            else:
                origin = "today's date"
            written = (opts.reference.year, opts.reference.month) if opts.reference else None
            if written is None and mtime is not None:
                written = (mtime.year, mtime.month)
            self.years = YearTracker(opts.year, written)
            self.stats.notes.append(f"dates carry no year: year taken from {origin}")
        elif not layout.shape.has_date:
            if opts.date is not None:
                self.day, origin = opts.date, f"--date {opts.date}"
            elif opts.reference is not None:
                self.day = opts.reference.date()
                origin = f"the other evidence ({self.day})"
            elif mtime is not None:
                self.day, origin = mtime.date(), "the file's modification date"
            else:
                self.day, origin = dt.datetime.now(UTC).date(), "today"
            self.stats.notes.append(
                f"times carry no date: the first is on {self.day}, from {origin}"
            )

    # --- the hot loop

    def records(self) -> Iterator[Record]:
        """(time, program, host, level, message, line number, None) per record, continuation
        lines joined: the form ``Collapser.add_records`` takes."""
        layout = self.layout
        stats = self.stats
        if layout is None:
            for line_no, raw in numbered_lines(self.path, stats):
                if raw.strip():
                    stats.unparsed(line_no, decode(raw))
            return
        yield from self.records_of(numbered_lines(self.path, stats, self.byte_range))
        self.note_directives()

    def note_directives(self) -> None:
        """Say how many header lines were skipped, once the whole file is read."""
        if self.directives:
            self.stats.notes.append(f"{self.directives} header lines starting with '#' skipped")

    def records_of(self, lines: Iterable[tuple[int, bytes]]) -> Iterator[Record]:
        """``records`` over the given (line number, raw line) pairs, which start a record
        (the columnar engine hands over the stretches of a file it leaves to this loop)."""
        layout = self.layout
        stats = self.stats
        assert layout is not None
        fast = self.fast
        fast_match = fast.match if fast is not None else None
        match_line = layout.line.match
        find_stamp = layout.finder.search
        times = self.times
        levels = self.levels
        names = self.names
        microseconds: dict[bytes, int] = {}  # a fraction's digits: few distinct (ms: 1,000)
        delimiter = layout.delimiter
        split_count = layout.fields_to_split
        level_field = layout.level_field
        program_field = layout.program_field
        host_field = layout.host_field
        level_before = layout.level_before
        # Fields that are neither level, program nor host stay in the text (a thread, a node).
        others = [
            j for j in range(split_count) if j not in (level_field, program_field, host_field)
        ]
        pending: Record | None = None
        for line_no, raw in lines:
            # The common case first: the line as the sample writes it, one narrow regex.
            found = fast_match(raw) if fast_match is not None else None
            stamped = found
            if found is not None:
                key, fraction = found.group("k", "q")
                rest = raw[found.end() :].rstrip(b"\r\n")
                when = times.get(key) or self._time_of_line(raw, key)
            else:
                match = match_line(raw)
                if match is None:
                    if raw[:1] == b"#" and is_directive(raw):
                        self.directives += 1  # "#Fields: date time ...": a header, no record
                        continue
                    match = find_stamp(raw, 0, 200) if raw[:1] not in b" \t" else None
                    if match is None or match.start() > 160:
                        pending = self._not_a_record(pending, line_no, raw)
                        continue
                    rest = raw[match.end() :].lstrip(b"])>}\"' \t|,;-").rstrip(b"\r\n")
                else:
                    rest = match.group("r").rstrip(b"\r")
                stamped = match
                stamp, fraction, extra = match.group("t", "f", "x")
                key = stamp + extra if extra else stamp
                when = times.get(key) or self._time(match, key)
            if when is None:
                pending = self._not_a_record(pending, line_no, raw)
                continue
            if fraction:
                micros = microseconds.get(fraction)
                if micros is None:
                    if len(microseconds) > _CACHE_LIMIT:
                        microseconds.clear()  # microsecond fractions rarely repeat
                    micros = microseconds[fraction] = int(fraction[:6].ljust(6, b"0"))
                when = when.replace(microsecond=micros)
            level: Level | None = None
            service: str | None = None
            host: str | None = None
            message = rest
            if split_count:
                fields = split_fields(rest, delimiter, split_count)
                if len(fields) > split_count:
                    message = fields[split_count]
                    for j in reversed(others):
                        word = fields[j]
                        if word.strip(_NUMBER_LIKE):
                            message = word + b" " + message
                    if level_field is not None:
                        word = fields[level_field]
                        level = levels[word] if word in levels else self._level(word)
                    if program_field is not None:
                        word = fields[program_field]
                        service = names.get(word) or self._program(word)
                    if host_field is not None:
                        word = fields[host_field]
                        host = names.get(word) or self._name(word)
            if len(message) < _SHORT and not message.strip(_PUNCTUATION):
                message = b""  # "=INFO REPORT==== 14-Mar-2026::09:58:15 ===": text below
            if level_before is not None and stamped is not None:
                prefix = stamped.groupdict().get("p")
                if prefix is None:  # found by searching the line: what comes before it
                    prefix = raw[: stamped.start()]
                words = prefix_words(prefix)
                if len(words) > level_before:
                    word = words[level_before]
                    level = levels[word] if word in levels else self._level(word)
            if pending is not None:
                yield pending
            if level is None:
                key = message.translate(None, _DIGITS)
                level = self.guessed.get(key) or self._guess_level(message, key)
                pending = [when, service, host, level, message, line_no, None]
                self.guessed_record = pending  # its next line may say the level
            else:
                pending = [when, service, host, level, message, line_no, None]
            stats.events += 1
        if pending is not None:
            yield pending

    def _time_of_line(self, raw: bytes, key: bytes) -> dt.datetime | None:
        """The time of a line the narrow regex matched, read with the general one."""
        assert self.layout is not None
        match = self.layout.line.match(raw)
        return self._time(match, key) if match is not None else None

    def _not_a_record(self, pending: Record | None, line_no: int, raw: bytes) -> Record | None:
        line = raw.rstrip(b"\r\n")
        if pending is not None and line.strip():
            if pending is self.guessed_record:
                self._level_from_next_line(pending, line)
            if not pending[4]:
                pending[4] = line.rstrip()
            elif len(pending[4]) < _multiline.MAX_JOINED_CHARS:
                pending[4] = pending[4] + b"\n" + line.rstrip()
            return pending
        if line.strip():
            self.stats.unparsed(line_no, decode(raw))
        return pending

    def _level_from_next_line(self, record: Record, line: bytes) -> None:
        """A record whose first line wrote no level: its next line may ("INFO: text"), or
        carry the text to guess from (a time alone on its line)."""
        self.guessed_record = None
        written = _LEADING_LEVEL.match(line)
        level = level_of_word(written.group(1), in_column=False) if written else None
        if level is not None:
            record[3] = level
        elif not record[4].strip():
            record[3] = level_from_words(line)

    def _level(self, word: bytes) -> Level | None:
        level = level_of_word(word)
        if len(self.levels) > _CACHE_LIMIT:
            self.levels.clear()
        self.levels[word] = level
        return level

    def _guess_level(self, message: bytes, digitless: bytes) -> Level:
        coarse = _DIGIT_TOKENS.sub(b"#", message)
        level = self.guessed.get(coarse) or level_from_words(coarse)
        if len(self.guessed) > _CACHE_LIMIT:
            self.guessed.clear()
        self.guessed[coarse] = self.guessed[digitless] = level
        return level

    def _name(self, word: bytes) -> str:
        if len(self.names) > _CACHE_LIMIT:
            self.names.clear()
        name = self.names[word] = decode(word)
        return name

    def _program(self, word: bytes) -> str:
        # "sshd(pam_unix)[42]:" names sshd(pam_unix); "[main]" or "org.app.Main:" likewise.
        name = word.rstrip(b":").strip(b"[]")
        bracket = name.find(b"[")
        if bracket > 0:
            name = name[:bracket]
        service = decode(name) or decode(word)
        if len(self.names) > _CACHE_LIMIT:
            self.names.clear()
        self.names[word] = service
        return service

    def _time(self, match: re.Match[bytes], key: bytes) -> dt.datetime | None:
        layout = self.layout
        assert layout is not None
        groups = match.groupdict()
        epoch = groups.get("E") or groups.get("EM")
        if epoch is not None:
            seconds = int(epoch) / (1000 if groups.get("EM") else 1)
            try:
                return dt.datetime.fromtimestamp(int(seconds), UTC)
            except (OverflowError, OSError, ValueError):
                return None
        extra = groups.get("x") or b""
        trailing_year = re.search(rb"\s((?:19|20)\d\d)$", extra) if extra else None
        parts = stamp_parts(match, layout.order, 2000)
        if parts is None:
            return None
        year, month, day, hour, minute, second = parts
        if trailing_year is not None:
            year = int(trailing_year.group(1))
        elif self.years is not None:
            year = self.years.year_for(month)
            if self.years.rolled_over:
                self.times.clear()
        hour = _twelve_hour(hour, extra)
        zone = _zone(extra) or self.tz
        try:
            if self.day is not None and not layout.shape.has_date:
                when = self._on_day(hour, minute, min(second, 59), zone)
            else:
                when = dt.datetime(year, month, day, hour, minute, min(second, 59), tzinfo=zone)
        except ValueError:
            return None
        when = when.astimezone(UTC)
        # A year-less time is cached only in the month the year tracker is in (another month
        # may turn the year); a date-less one is not (its day depends on the lines before).
        if layout.has_year or (self.years is not None and month == self.years.month):
            if len(self.times) > _CACHE_LIMIT:
                self.times.clear()
            self.times[key] = when
        return when

    def _on_day(self, hour: int, minute: int, second: int, zone: dt.tzinfo) -> dt.datetime:
        assert self.day is not None
        clock = dt.datetime.combine(self.day, dt.time(hour, minute, second), tzinfo=zone)
        if self.last_clock is not None and clock < self.last_clock - _DAY_TURN:
            self.day += dt.timedelta(days=1)
            clock += dt.timedelta(days=1)
        self.last_clock = clock
        return clock


def _collapse_part(
    task: tuple[str, ReadOptions, tuple[int, int], CollapseOptions | None],
) -> Any:
    from postmortems.evidence.collapse import Collapser
    from postmortems.evidence.sources._parallel import _Part

    path, opts, byte_range, options = task
    stats = ReadStats(path, NAME)
    collapser = Collapser(options)
    collapser.add_records(GenericReader(path, opts, stats, byte_range).records(), NAME, path)
    return _Part(collapser, stats, 0, 0, 0)


def _collapse_in_parallel(
    path: str, opts: ReadOptions, stats: ReadStats, options: CollapseOptions | None
) -> Collapser | None:
    """A big plain file whose lines carry full dates, read on every core (split at record
    starts, as ``_parallel`` does for syslog); None when serial reading is the choice."""
    import multiprocessing

    from postmortems.evidence.sources import _parallel

    size = file_size(path) or 0
    workers = _parallel._workers()
    if not _parallel.ENABLED or workers < 2 or size < _parallel.MIN_PARALLEL_BYTES:
        return None
    head = read_head(path)
    layout = learn(head, _reference_year(path))
    if head[:2] == b"\x1f\x8b" or layout is None or not layout.has_year:
        return None  # year-less or date-less times depend on every line before them
    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    starts = fast_line(layout, head) or layout.line

    def is_start(line: bytes) -> bool:
        return starts.match(line) is not None

    bounds = record_boundaries(path, workers, is_start)
    tasks = [(path, opts, (start, end), options) for start, end in itertools.pairwise(bounds)]
    with multiprocessing.get_context("fork").Pool(len(tasks)) as pool:
        parts = pool.map(_collapse_part, tasks, chunksize=1)
    stats.layout = layout.describe()
    merged: Collapser = _parallel._merge(parts, stats, None)
    return merged


def _modified(path: str) -> dt.datetime | None:
    if path == STDIN:
        return None
    try:
        return dt.datetime.fromtimestamp(os.path.getmtime(path), UTC)
    except OSError:
        return None


def _twelve_hour(hour: int, extra: bytes) -> int:
    if not extra:
        return hour
    lowered = extra.lower().replace(b".", b"")
    if b"pm" in lowered and hour < 12:
        return hour + 12
    if b"am" in lowered and hour == 12:
        return 0
    return hour


def _zone(extra: bytes) -> dt.tzinfo | None:
    if not extra:
        return None
    found = _ZONE.search(extra)
    if found is None:
        return None
    if found.group(1):
        return UTC
    sign = -1 if found.group(2) == b"-" else 1
    offset = dt.timedelta(hours=int(found.group(3)), minutes=int(found.group(4)))
    return dt.timezone(sign * offset) if offset < dt.timedelta(hours=24) else None


SOURCE = GenericSource()
