"""Syslog files: RFC 3164 ("Jan  5 14:02:11 host app[42]: text"), RFC 5424, and rsyslog's
high-precision file format (an RFC 3339 timestamp in place of the BSD one).

RFC 3164 timestamps have no year and no zone. The year is ``ReadOptions.year`` when given
(the year of the file's first line), else inferred from the file's modification date: the
first line is taken to be in the mtime's year unless its month is later than the mtime's,
in which case it is the year before (a December file modified in January). Within the
file a month that jumps back by more than six months (December → January) starts the
next year, and one that jumps forward by more than six months is a late line from the
previous year. Zone-less times are read in ``ReadOptions.default_tz`` (UTC by default).

This is the hot path of ``pm gather`` on big inputs, so it works on bytes and caches what
repeats: the datetime of each distinct timestamp prefix (a busy log writes the same second
hundreds of times), decoded host and program names, and the shape of each message (the
level guessed from its words and its template, see ``evidence.shapes``), which is handed
on with the record so that collapsing need not work it out again.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from postmortems.evidence.events import Event, EventKind
from postmortems.evidence.shapes import DIGITS, Shapes
from postmortems.evidence.sources import _multiline
from postmortems.evidence.sources._io import decode, modification_year_month, numbered_lines
from postmortems.evidence.sources._levels import SYSLOG_SEVERITY, level_from_name
from postmortems.evidence.sources._timeparse import UTC
from postmortems.evidence.sources.base import ReadOptions, ReadStats

if TYPE_CHECKING:
    from postmortems.evidence.collapse import CollapseOptions, Collapser

NAME = "syslog"
_MONTHS = {
    name: number
    for number, name in enumerate(
        b"Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(),
        1,
    )
}
_CACHE_LIMIT = 20_000
_INDENTS = (b" ", b"\t")
# The tag: "prog:", "prog[pid]:", "prog(sub)[pid]:", or a name with spaces before "[pid]:"
# ("Google Chrome Helper[361]:", as macOS writes).
_TAG_FIELD = rb"(?:([^:\[\s]{1,64}|[^:\[\]\s][^:\[\]]{0,63}(?=\[\d+\]: ))(?:\[[^\]\s]*\])?: )?"
# The message runs to the end of the line: a lone CR inside it is text, not its end (the
# CR of a CRLF line end is taken off where the message is used).
_BSD_FIELDS = re.compile(
    rb"([A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d) (\S+) " + _TAG_FIELD + rb"([^\n]*)"
)
_TAIL_FIELDS = re.compile(rb"(\S+) " + _TAG_FIELD + rb"([^\n]*)")
# (time, program, host, level, message, line number, attrs, template or None): a list, as
# joins extend its message (and then clear its template, which no longer fits).
Record = list[Any]

_BSD_LINE = re.compile(
    rb"^(?:<\d{1,3}>)?(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ 0-3]\d \d\d:\d\d:\d\d \S",
    re.MULTILINE,
)
_RFC5424_LINE = re.compile(rb"^<\d{1,3}>1 \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\S* \S+ \S+ ", re.MULTILINE)
_ISO_LINE = re.compile(
    rb"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d) \S+ \S+", re.MULTILINE
)
_TAG = re.compile(rb"[^:\[\s]{1,64}(?:\[[^\]\s]*\])?:")
_ISO_TS = re.compile(
    rb"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:?\d\d)?$"
)


class YearTracker:
    """The year of each year-less line, following the file's months (see the module doc)."""

    def __init__(self, year: int | None, mtime: tuple[int, int] | None) -> None:
        self._explicit = year
        self._mtime = mtime
        self.year = 0
        self.month = 0
        self.first_month = 0
        self.rolled_over = False

    def year_for(self, month: int) -> int:
        self.rolled_over = False
        if not self.month:
            self.month = self.first_month = month
            if self._explicit is not None:
                self.year = self._explicit
            else:
                now = dt.datetime.now(UTC)
                mtime_year, mtime_month = self._mtime or (now.year, now.month)
                self.year = mtime_year if month <= mtime_month else mtime_year - 1
            return self.year
        if month < self.month - 6:
            self.year += 1
            self.month = month
            self.rolled_over = True
            return self.year
        if month > self.month + 6:
            return self.year - 1
        self.month = month
        return self.year


class SyslogSource:
    """RFC 3164 and RFC 5424 syslog, plain or gzipped."""

    name = NAME
    description = "syslog files (RFC 3164 with year inference, RFC 5424, rsyslog RFC 3339)"

    def sniff(self, head: bytes, path: str) -> float:
        sample = head[:16384]
        lines = sample.count(b"\n") or 1
        hits = max(
            sum(1 for line in _BSD_LINE.finditer(sample) if _has_host(line, sample)),
            len(_RFC5424_LINE.findall(sample)),
            sum(1 for line in _ISO_LINE.finditer(sample) if _has_host_and_tag(line, sample)),
        )
        if not hits:
            return 0.0
        return min(0.95, 0.5 + 0.45 * hits / lines)

    def read(self, path: str, opts: ReadOptions, stats: ReadStats) -> Iterator[Event]:
        reader = SyslogReader(path, opts, stats)
        yield from reader.events()

    def read_collapsed(
        self, path: str, opts: ReadOptions, stats: ReadStats, options: CollapseOptions | None
    ) -> Collapser:
        """``collapse(read(...))`` without building an event per line; big plain files are
        split across the CPUs when there are several."""
        from postmortems.evidence.collapse import Collapser
        from postmortems.evidence.columnar import engine
        from postmortems.evidence.sources import _parallel

        if engine.eligible(path):
            from postmortems.evidence.columnar.syslog_plan import collapse_syslog

            def columnar() -> Collapser:
                collapser = Collapser(options)
                collapse_syslog(path, SyslogReader(path, opts, stats), collapser, stats)
                return collapser

            found = engine.attempt(stats, columnar)
            if found is not None:
                return found
        collapser = _parallel.collapse_syslog(path, opts, stats, options)
        if collapser is None:
            collapser = Collapser(options)
            collapser.add_records(SyslogReader(path, opts, stats).records(), NAME, path)
        return collapser


class SyslogReader:
    """One pass over one file (or a byte range of it), keeping the caches of that pass."""

    def __init__(
        self,
        path: str,
        opts: ReadOptions,
        stats: ReadStats,
        byte_range: tuple[int, int] | None = None,
        skip: Callable[[bytes], object] | None = None,
        name: str = NAME,
    ) -> None:
        self.path = path
        self.byte_range = byte_range
        self.skip = skip  # lines ignored silently, e.g. journalctl's banners
        self.name = name
        self.stats = stats
        self.tz = opts.default_tz or UTC
        written = (opts.reference.year, opts.reference.month) if opts.reference else None
        self.years = YearTracker(opts.year, written or modification_year_month(path))
        self.bsd_times: dict[bytes, dt.datetime] = {}
        self.iso_times: dict[bytes, dt.datetime] = {}
        self.names: dict[bytes, str] = {}
        self.shapes = Shapes()

    def events(self) -> Iterator[Event]:
        """The file's log entries as events."""
        path = self.path
        name = self.name
        log = EventKind.LOG
        for when, service, host, level, message, line_no, attrs, _ in self.records():
            try:
                text = message.decode()
            except UnicodeDecodeError:
                text = message.decode("latin-1")
            event = Event(when, name, log, text, level, service, host, None, 1, None, None)
            event.ref = f"{path}:{line_no}"
            if attrs:
                event.attrs = attrs
            yield event

    def records(self) -> Iterator[Record]:
        """(time, program, host, level, message bytes, line number, attrs or None, template
        or None) per entry, continuation lines already joined: the cheap form
        ``Collapser.add_records`` takes."""
        return self.records_of(numbered_lines(self.path, self.stats, self.byte_range))

    def records_of(self, lines: Iterable[tuple[int, bytes]]) -> Iterator[Record]:
        """``records`` over the given (line number, raw line) pairs, which start a record:
        the columnar engine hands over the stretches of a file it leaves to this loop."""
        bsd_times = self.bsd_times
        names = self.names
        known = self.shapes.known
        shape_of = self.shapes.shape
        stats = self.stats
        bsd_line = _BSD_FIELDS.match
        pending: Record | None = None
        for line_no, raw in lines:
            # The common case first: "Mmm dd hh:mm:ss host tag[pid]: message", one regex call.
            fields = bsd_line(raw)
            pri: int | None = None
            attrs: dict[str, object] | None = None
            if fields is not None:
                stamp, host_raw, tag, message = fields.groups()
                when = bsd_times.get(stamp) or self._bsd_time(stamp)
            else:
                when, pri, tail = self._header(raw)
                if isinstance(tail, tuple):
                    host_raw, tag, message, attrs = tail
                else:
                    fields = _TAIL_FIELDS.match(tail)
                    if fields is None:
                        when = None
                    else:
                        host_raw, tag, message = fields.groups()
            if when is None:
                if self.skip is not None and self.skip(raw):
                    continue
                pending = self._not_a_record(pending, line_no, raw)
                continue
            if message[-1:] == b"\r":
                message = message.rstrip(b"\r")
            host = names.get(host_raw) if host_raw is not None else None
            if host is None and host_raw is not None:
                host = names[host_raw] = decode(host_raw)
            service: str | None = None
            if tag is not None:
                service = names.get(tag)
                if service is None:
                    service = names[tag] = decode(tag)
            if (
                pending is not None
                and pending[2] == host
                and pending[1] == service
                and _continues_record(pending[4], message)
            ):
                pending[4] = _joined(pending[4], message)
                pending[7] = None
                continue
            key = message.translate(None, DIGITS)
            level, template = known.get(key) or shape_of(message, key)
            if pri is not None:
                level = SYSLOG_SEVERITY[pri & 7]
            if pending is not None:
                yield pending
            pending = [when, service, host, level, message, line_no, attrs, template]
            stats.events += 1
        if pending is not None:
            yield pending

    def _not_a_record(self, pending: Record | None, line_no: int, raw: bytes) -> Record | None:
        text = decode(raw)
        if pending is not None and _multiline.continues(decode(pending[4]), text):
            pending[4] = _joined(pending[4], raw.rstrip(b"\r\n"))
            pending[7] = None
        elif text.strip():
            self.stats.unparsed(line_no, text)
        return pending

    def _header(
        self, raw: bytes
    ) -> tuple[
        dt.datetime | None,
        int | None,
        bytes | tuple[bytes | None, bytes | None, bytes, dict[str, object]],
    ]:
        """Time, priority and the rest of a line not in the common form (time None: no header).

        An RFC 5424 line is parsed whole: (host, app, message, attrs) in place of the rest.
        """
        pri: int | None = None
        body = raw
        if raw[:1] == b"<":
            close = raw.find(b">", 1, 5)
            if close < 0 or not raw[1:close].isdigit():
                return None, None, raw
            pri = int(raw[1:close])
            body = raw[close + 1 :]
            if body[:2] == b"1 ":
                parsed = self._rfc5424(body[2:], pri)
                return parsed or (None, None, raw)
        if body[:3] in _MONTHS and body[15:16] == b" ":
            return self._bsd_time(body[:15]), pri, body[16:]
        if body[4:5] == b"-" and body[10:11] == b"T":
            space = body.find(b" ")
            if space > 0:
                return self._iso_time(body[:space]), pri, body[space + 1 :]
        return None, None, raw

    def _bsd_time(self, prefix: bytes) -> dt.datetime | None:
        month = _MONTHS.get(prefix[:3])
        if month is None or prefix[3:4] != b" " or prefix[9:10] != b":" or prefix[12:13] != b":":
            return None
        try:
            day = int(prefix[4:6])
            hour, minute, second = int(prefix[7:9]), int(prefix[10:12]), int(prefix[13:15])
        except ValueError:
            return None
        year = self.years.year_for(month)
        if self.years.rolled_over:
            self.bsd_times.clear()
        try:
            local = dt.datetime(year, month, day, hour, minute, second, tzinfo=self.tz)
        except ValueError:  # Feb 30, hour 25: a garbled line
            return None
        when = local.astimezone(UTC)
        # Only lines of the tracker's current month are cached: another month may need the
        # year logic to run again.
        if month == self.years.month:
            if len(self.bsd_times) > _CACHE_LIMIT:
                self.bsd_times.clear()
            self.bsd_times[prefix] = when
        return when

    def _iso_time(self, token: bytes) -> dt.datetime | None:
        # Cache on everything but the fraction of a second, which rarely repeats.
        dot = token.find(b".", 19, 20)
        if dot > 0:
            end = dot + 1
            while end < len(token) and token[end : end + 1].isdigit():
                end += 1
            key = token[:19] + token[end:]
            fraction = token[dot + 1 : end]
        else:
            key, fraction = token, b""
        base = self.iso_times.get(key)
        if base is None:
            match = _ISO_TS.match(key)
            if match is None:
                return None
            year, month, day, hour, minute, second, _, zone = match.groups()
            try:
                tz = _zone(zone) or self.tz
                base = dt.datetime(
                    int(year), int(month), int(day), int(hour), int(minute), int(second), tzinfo=tz
                ).astimezone(UTC)
            except ValueError:
                return None
            if len(self.iso_times) > _CACHE_LIMIT:
                self.iso_times.clear()
            self.iso_times[key] = base
        if fraction:
            micros = int(fraction[:6].ljust(6, b"0"))
            return base.replace(microsecond=micros)
        return base

    def _rfc5424(
        self, body: bytes, pri: int
    ) -> (
        tuple[dt.datetime, int, tuple[bytes | None, bytes | None, bytes, dict[str, object]]] | None
    ):
        """``TIMESTAMP HOST APP PROCID MSGID [SD] MSG`` after ``<PRI>1 ``."""
        parts = body.rstrip(b"\r\n").split(b" ", 5)
        if len(parts) < 5:
            return None
        stamp, host, app, procid, msgid = parts[:5]
        when = self._iso_time(stamp)
        if when is None:
            return None
        rest = parts[5] if len(parts) > 5 else b""
        structured, message = _split_structured_data(rest)
        if message.startswith(b"\xef\xbb\xbf"):
            message = message[3:]
        attrs: dict[str, object] = {}
        if procid != b"-":
            attrs["pid"] = decode(procid)
        if msgid != b"-":
            attrs["msgid"] = decode(msgid)
        if structured:
            attrs["structured_data"] = decode(structured)
        fields = (None if host == b"-" else host, None if app == b"-" else app, message, attrs)
        return when, pri, fields


def _fields_after(match: re.Match[bytes], sample: bytes, stamp_words: int) -> list[bytes]:
    """The two words after a sniffed line's timestamp of ``stamp_words`` words (host, tag)."""
    end = sample.find(b"\n", match.start())
    line = sample[match.start() : end if end >= 0 else len(sample)]
    return line.split(None, stamp_words + 2)[stamp_words : stamp_words + 2]


def _has_host(match: re.Match[bytes], sample: bytes) -> bool:
    # "Mar 14 10:00:00 ERROR upstream failed" is an application log with a level, no host.
    # "Mar 14 10:00:00 imap-login: Info: msg": a word ending in a colon is the tag; no host.
    words = _fields_after(match, sample, 3)
    return (
        bool(words)
        and not words[0].endswith(b":")
        and level_from_name(words[0].strip(b"[]:").decode("latin-1")) is None
    )


def _has_host_and_tag(match: re.Match[bytes], sample: bytes) -> bool:
    # rsyslog's RFC 3339 form is "time host tag[pid]: message"; without the tag it is some
    # other log that starts with an ISO time.
    words = _fields_after(match, sample, 1)
    return (
        len(words) == 2
        and level_from_name(words[0].strip(b"[]:").decode("latin-1")) is None
        and _TAG.fullmatch(words[1]) is not None
    )


def _continues_record(pending_message: bytes, message: bytes) -> bool:
    """A record from the same program that carries on the previous one (a stack trace
    logged one line per record)."""
    if message[:1] in _INDENTS:
        return True
    return b"\n" in pending_message and _multiline.continues(
        decode(pending_message), decode(message)
    )


def _joined(message: bytes, line: bytes) -> bytes:
    if len(message) >= _multiline.MAX_JOINED_CHARS:
        return message
    return message + b"\n" + line.rstrip()


def is_record_start(line: bytes) -> bool:
    """Whether a line starts a syslog record (not a continuation), for splitting big files."""
    return bool(line[:1].strip()) and bool(_BSD_FIELDS.match(line) or _ISO_LINE.match(line))


def first_month(head: bytes) -> int | None:
    """The month of the first RFC 3164 line in ``head``, if any."""
    for line in head.splitlines()[:50]:
        fields = _BSD_FIELDS.match(line)
        if fields is not None:
            return _MONTHS.get(fields.group(1)[:3])
    return None


def _zone(zone: bytes | None) -> dt.tzinfo | None:
    if not zone:
        return None
    if zone == b"Z":
        return UTC
    sign = -1 if zone[:1] == b"-" else 1
    digits = zone[1:].replace(b":", b"")
    offset = dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:4]))
    return dt.timezone(sign * offset)


def _split_structured_data(rest: bytes) -> tuple[bytes, bytes]:
    """RFC 5424 STRUCTURED-DATA ("-" or one or more "[id k="v"]") and the message after it."""
    if rest[:1] == b"-":
        return b"", rest[2:]
    if rest[:1] != b"[":
        return b"", rest
    depth_end = 0
    index = 0
    in_quotes = False
    while index < len(rest):
        char = rest[index : index + 1]
        if char == b"\\":
            index += 2
            continue
        if char == b'"':
            in_quotes = not in_quotes
        elif char == b"]" and not in_quotes:
            depth_end = index + 1
            if rest[depth_end : depth_end + 1] != b"[":
                break
        index += 1
    if not depth_end:
        return b"", rest
    return rest[:depth_end], rest[depth_end + 1 :]


SOURCE = SyslogSource()
