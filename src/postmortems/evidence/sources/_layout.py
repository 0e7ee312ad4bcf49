"""Learning the layout of a timestamped text log from a sample of its lines.

Given the first lines of a file, find which timestamp shape (``_stamps``) times the most
lines and where it sits (after how many words, behind which bracket), how its numeric
date reads (year first, day first or month first, told by the values), then which word
after it is the level (``INFO``, ``E``, ``[error]``, ``Info``...), which is the program
(``name:``, ``name[pid]:``, a dotted logger name) and which the host. The result is one
compiled regex for the file plus field positions: :class:`Layout`.

Nothing here knows a product's log format by name; a layout nobody listed is learned the
same way as a well-known one.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

from postmortems.evidence.events import Level
from postmortems.evidence.sources._levels import COLUMN_ONLY, level_from_name
from postmortems.evidence.sources._stamps import MONTH_NUMBER, SHAPES, Shape

SAMPLE_LINES = 400
MIN_COVERAGE = 0.5  # share of sample lines a layout must time (the rest may be continuations)
# Records of two lines or more ("Mar 14, 2026 9:58:13 AM Class method" then "INFO: msg";
# a stamp alone on its line, then the message): a whole date and time in the same place
# on this share of lines is enough.
MIN_RECORD_COVERAGE = 0.3
_UPTIME = re.compile(rb"\[\s*\d{1,10}\.\d{3,9}\]")
_DIRECTIVE = re.compile(rb"#[A-Za-z][\w-]{0,30}(?::|\t| )")
_MAX_FIELDS = 10
_OPENERS = b"[(<{\"'"
_LEVEL_STRIP = b"[]()<>{}:,|*-=#"
# "sshd[42]:", "crond(pam_unix)[7]:", "hudson.model.Run#execute:" (a class and its method)
_PROGRAM = re.compile(rb"[A-Za-z_][\w./$@#-]{0,63}(?:\([^)\s]{0,64}\))?(?:\[\d{0,10}\])?:")
_LOGGER = re.compile(rb"[A-Za-z_][\w$]*(?:\.[A-Za-z_][\w$]*)+:?")
_GLUED_LEVEL = re.compile(rb"[\[(<]?([A-Za-z]{1,13})[\])>:,/]")  # "[ERROR][", "INFO/Main"
_BRACKETED = re.compile(rb"\[\s*([A-Za-z]{1,13})\s*\]")  # "[12][debug][upstream]"
# Words before the time, split also on colons: "kern  :info  :" and "daemon:info  :" alike.
_PREFIX_WORD = re.compile(rb"[^\s:|]+")
_IDENTIFIER = re.compile(rb"[A-Za-z_][\w.$-]{0,63}")
_HOST = re.compile(rb"[A-Za-z0-9][\w.-]{0,62}(?:/[\w.-]{1,63})?")
_TRAILING_YEAR = re.compile(rb"\s(?:19|20)\d\d$")
# What ends the timestamp: a closing bracket, then a pipe, comma, dash or spaces, or nothing
# before the next bracket ("[2026-03-14T10:00:00,123][INFO ]").
_SEPARATOR = rb"[\])>}\"']?(?P<sep>\s*[|;]\s*|,\s*|\s+-\s+|:?\s+|$|(?=[\[(<{]))"


def level_of_word(word: bytes, in_column: bool = True) -> Level | None:
    """The level a field names (``INFO``, ``[error]``, ``W``, ``<crit>``, ``DEBUG1``), else
    None. ``in_column``: the field is a learned level column, where "LOG" is a level too."""
    name = word.strip(_LEVEL_STRIP)
    if not (name[:1].isalpha() and name.isalnum()):  # "INFO", "DEBUG1"; not "0" or "7"
        glued = _GLUED_LEVEL.match(word)  # "[ERROR][o.e.Node" as split on spaces
        name = glued.group(1) if glued else b""
        if not name and b"][" in word:  # a chain of bracketed fields, the level one of them
            for found in _BRACKETED.finditer(word):
                level = level_of_word(found.group(1), in_column)
                if level is not None:
                    return level
    if not name or len(name) > 13:
        return None
    text = name.decode("ascii", "replace")
    if text[-1].isdigit() and len(text.rstrip("0123456789")) < 3:
        return None  # "T1", "W3": a thread or a worker, not "DEBUG1"
    level = level_from_name(text)
    if level is None and in_column:
        return COLUMN_ONLY.get(text.lower())
    return level


def prefix_words(prefix: bytes) -> list[bytes]:
    """The words before the time, where a level may stand."""
    return _PREFIX_WORD.findall(prefix)


@dataclass
class Layout:
    """A learned layout: where the timestamp is, how it reads, which fields follow."""

    shape: Shape
    order: str  # how the date's numbers read: "Ymd", "dmY", "mdY", "ymd", "dmy", "mdy", "md", "dm"
    extras: bool  # the sample had AM/PM, a zone or a trailing year after the time
    words_before: int
    opener: bytes
    delimiter: bytes | None  # fields after the time split on this; None: on whitespace
    level_field: int | None = None
    level_before: int | None = None  # the level is this word before the timestamp
    program_field: int | None = None
    program_is_logger: bool = False  # a dotted logger name without a colon
    host_field: int | None = None
    coverage: float = 0.0
    trailing_year: bool = False  # "Sun Dec 04 04:47:44 2005": the year after the time
    glued: bool = False  # one letter glued before the time ("I0314 10:00:00"): the level
    notes: list[str] = field(default_factory=list)

    @property
    def has_year(self) -> bool:
        return self.shape.has_year or self.trailing_year

    @property
    def line(self) -> re.Pattern[bytes]:
        """The whole-line regex: groups ``t`` (time), ``f`` (fraction), ``x`` (extras), ``r``."""
        return _compile_line(self)

    @property
    def finder(self) -> re.Pattern[bytes]:
        return self.shape.finder()

    @property
    def fields_to_split(self) -> int:
        used = [f for f in (self.level_field, self.program_field, self.host_field) if f is not None]
        return max(used) + 1 if used else 0

    def describe(self) -> str:
        """For people: "'YYYY-MM-DD hh:mm:ss' after 1 word; level: word 1; program: word 2"."""
        stamp = self.shape.name
        for numeric, spelled in (("n-n-n", _ORDER_NAMES.get(self.order, "n-n-n")),):
            stamp = stamp.replace(numeric, spelled)
        if stamp.startswith("MM-DD") and self.order == "dm":
            stamp = "DD-MM" + stamp[5:]
        parts = [f"time '{stamp}'"]
        if self.words_before:
            parts.append(f"after {self.words_before} word{'s' if self.words_before > 1 else ''}")
        if self.opener:
            parts.append(f"in '{self.opener.decode()}'")
        if self.level_field is not None:
            parts.append(f"level: field {self.level_field + 1}")
        if self.level_before is not None and self.glued:
            parts.append("level: the letter before the time")
        elif self.level_before is not None:
            parts.append(f"level: word {self.level_before + 1} before the time")
        if self.program_field is not None:
            parts.append(f"program: field {self.program_field + 1}")
        if self.host_field is not None:
            parts.append(f"host: field {self.host_field + 1}")
        if self.delimiter:
            parts.append(f"fields split on '{self.delimiter.decode()}'")
        return ", ".join(parts)


_ORDER_NAMES = {
    "Ymd": "YYYY-MM-DD",
    "dmY": "DD-MM-YYYY",
    "mdY": "MM-DD-YYYY",
    "ymd": "YY-MM-DD",
    "dmy": "DD-MM-YY",
    "mdy": "MM-DD-YY",
}
_line_cache: dict[tuple[object, ...], re.Pattern[bytes]] = {}


def _compile_line(layout: Layout) -> re.Pattern[bytes]:
    key = (layout.shape, layout.extras, layout.words_before, layout.opener, layout.glued)
    pattern = _line_cache.get(key)
    if pattern is None:
        words = _words_before(layout)
        opener = re.escape(layout.opener)
        body = layout.shape.regex(layout.extras)
        if not layout.extras:
            body += b"(?P<x>)"
        # The rest runs to the line's end: a lone CR inside it is text (a CRLF's CR is
        # stripped by the reader).
        regex = b"^" + words + opener + body + rb"(?!\w)" + _SEPARATOR + rb"(?P<r>[^\n]*)"
        pattern = _line_cache[key] = re.compile(regex)
    return pattern


def fast_line(layout: Layout, head: bytes) -> re.Pattern[bytes] | None:
    """A narrower regex for the hot loop: the timestamp as the sample writes it (digits,
    letters and punctuation in their places) with groups ``k`` the stamp, ``q`` the
    fraction and ``p`` the words before it, ending where the fields start. None when the sample varies too much to narrow it."""
    general = layout.line
    stamps: set[bytes] = set()
    fractions: set[tuple[bytes, int]] = set()
    separators: set[bytes] = set()
    without_fraction = 0
    for line in head.splitlines()[:SAMPLE_LINES]:
        match = general.match(line)
        if match is None:
            continue
        if match.group("x"):
            return None
        stamps.add(_skeleton(match.group("t")))
        if match.group("f"):
            fractions.add((line[match.end("t") : match.start("f")], len(match.group("f"))))
        else:
            without_fraction += 1
        separators.add(line[match.end("x") : match.start("r")])
    if not stamps or len(stamps) > 3 or len(fractions) > 3:
        return None
    regex = b"^" + _words_before(layout)
    regex += re.escape(layout.opener)
    regex += b"(?P<k>" + b"|".join(sorted(stamps)) + b")"
    if fractions:
        marks = {mark for mark, _ in fractions}
        widths = {width for _, width in fractions}
        mark = re.escape(marks.pop()) if len(marks) == 1 else rb"[.,:]"
        digits = rb"\d{%d}" % widths.pop() if len(widths) == 1 else rb"\d{1,9}"
        regex += b"(?:" + mark + b"(?P<q>" + digits + b"))" + (b"?" if without_fraction else b"")
    else:
        regex += b"(?P<q>)"
    if len(separators) == 1 and separators != {b""}:
        regex += re.escape(separators.pop())
    elif all(not sep.strip() for sep in separators):
        regex += rb"(?:\s+|$)"
    else:
        regex += rb"(?!\w)" + _SEPARATOR
    return re.compile(regex)


def _words_before(layout: Layout) -> bytes:
    """The regex of what comes before the time, as group ``p``."""
    if layout.glued:
        return rb"(?P<p>[A-Za-z])"
    if layout.words_before:
        return rb"(?P<p>(?:\S+\s+)" + b"{%d})" % layout.words_before
    return b""


def _skeleton(stamp: bytes) -> bytes:
    """The regex of a stamp's shape: each digit any digit, each letter any letter, the rest
    as written ("Mar 14 10:00:00" also matches "Apr 02 23:59:59")."""
    parts = []
    for char in stamp:
        if 48 <= char <= 57:
            parts.append(rb"\d")
        elif 65 <= char <= 90 or 97 <= char <= 122:
            parts.append(rb"[A-Za-z]")
        else:
            parts.append(re.escape(bytes([char])))
    return b"".join(parts)


@functools.lru_cache(maxsize=8)  # sniffing and reading learn from the same head
def learn(head: bytes, reference_year: int | None = None) -> Layout | None:
    """The layout of a log starting with ``head``, or None when no shape times enough lines.

    ``reference_year`` (the year the evidence was written, e.g. the file's) settles a
    two-digit year's place in an ambiguous date ("17/06/09").
    """
    if head.lstrip()[:1] == b"{":
        return None  # JSON: the structured sources read it
    lines = [
        line for line in head.splitlines()[:SAMPLE_LINES] if line.strip() and not is_directive(line)
    ]
    if len(head) >= 4096 and not head.endswith(b"\n") and len(lines) > 1:
        lines.pop()  # cut off by the sample's end
    if not lines:
        return None
    best: tuple[tuple[float, ...], Layout] | None = None
    for shape in SHAPES:
        layout = _try_shape(shape, lines, reference_year)
        if layout is None:
            continue
        score = (
            round(layout.coverage * 50),  # within 2%, completeness and position decide
            float(layout.has_year),
            float(shape.has_date),
            float(":mm:ss" in shape.name or "ss" in shape.name or shape.name.startswith("epoch")),
            -layout.words_before,
            float(len(shape.name)),
        )
        if best is None or score > best[0]:
            best = (score, layout)
    if best is None:
        return None
    layout = best[1]
    _learn_fields(layout, lines)
    return layout


def _try_shape(shape: Shape, lines: list[bytes], reference_year: int | None) -> Layout | None:
    finder = shape.finder()
    hits: list[tuple[bytes, re.Match[bytes]]] = []
    for line in lines:
        match = finder.search(line, 0, 200)
        if match is not None and match.start() <= (1 if shape.at_start else 160):
            hits.append((line, match))
    if len(hits) < MIN_RECORD_COVERAGE * len(lines) or (
        len(hits) < MIN_COVERAGE * len(lines) and not _whole_stamp(shape)
    ):
        return None
    order, notes = _order(shape, [m for _, m in hits], reference_year)
    if order is None:
        return None
    hits = [(line, m) for line, m in hits if stamp_parts(m, order, 2000) is not None]
    if len(hits) < MIN_RECORD_COVERAGE * len(lines):
        return None
    placements = Counter(_placement(line, m.start()) for line, m in hits)
    (words_before, opener, glued), _ = placements.most_common(1)[0]
    if len(hits) < MIN_COVERAGE * len(lines) and not _steady(placements):
        return None  # fewer than half the lines timed: only where the time keeps its place
    (words_before, opener, glued), _ = placements.most_common(1)[0]
    extras = sum(1 for _, m in hits if m.group("x")) >= len(hits) // 4 + 1
    layout = Layout(shape, order, extras, words_before, opener, None, notes=notes, glued=glued)
    layout.trailing_year = (
        not shape.has_year
        and sum(1 for _, m in hits if _TRAILING_YEAR.search(m.group("x"))) > len(hits) // 2
    )
    line_regex = layout.line
    timed = sum(1 for line in lines if line_regex.match(line))
    layout.coverage = timed / len(lines)
    if layout.coverage < MIN_RECORD_COVERAGE:
        return None
    return layout


def _steady(placements: Counter[tuple[int, bytes, bool]]) -> bool:
    """The time stands in the same place on nearly every line that has one."""
    (_, most), total = placements.most_common(1)[0], sum(placements.values())
    return most >= 0.9 * total


def _whole_stamp(shape: Shape) -> bool:
    """A date with a time to the second: few lines of prose start with one."""
    return shape.has_date and ("ss" in shape.name) and not shape.name.startswith("epoch")


def boot_relative(head: bytes) -> bool:
    """Most lines start with seconds since boot (``[ 3733.170000]``, the kernel's ring
    buffer): no time of day to place them by."""
    lines = [line for line in head.splitlines()[:SAMPLE_LINES] if line.strip()]
    return bool(lines) and sum(1 for line in lines if _UPTIME.match(line)) > len(lines) // 2


def is_directive(line: bytes) -> bool:
    """A header line such as IIS's and Zeek's ``#Fields: date time ...``: no record."""
    return _DIRECTIVE.match(line) is not None


def _placement(line: bytes, start: int) -> tuple[int, bytes, bool]:
    """How many words, which bracket and whether one glued letter come before the time."""
    before = line[:start]
    if len(before) == 1 and before.isalpha():
        return 0, b"", True
    stripped = before.rstrip(_OPENERS)
    opener = before[len(stripped) :]
    return len(stripped.split()), opener, False


def _order(
    shape: Shape, matches: list[re.Match[bytes]], reference_year: int | None
) -> tuple[str | None, list[str]]:
    """How a numeric date reads, from the values seen; notes say when it was a choice."""
    if not shape.name.startswith(("n-n-n", "MM-DD")):
        return "", []
    firsts = [m.group("n1") for m in matches]
    seconds = [int(m.group("n2")) for m in matches]
    if shape.name.startswith("MM-DD"):
        if any(int(n) > 12 for n in firsts):
            return "dm", []
        if any(n > 12 for n in seconds):
            return "md", []
        return "md", ["day and month could be either way round: read as month first"]
    thirds = [m.group("n3") for m in matches]
    if all(len(n) == 4 for n in firsts):
        return "Ymd", []
    if all(len(n) == 4 for n in thirds):
        if any(int(n) > 12 for n in firsts):
            return "dmY", []
        if any(n > 12 for n in seconds):
            return "mdY", []
        separator = matches[0].group("ds")
        chosen = "mdY" if separator == b"/" else "dmY"
        reading = "month first" if chosen == "mdY" else "day first"
        return chosen, [f"day and month could be either way round: read as {reading}"]
    if not all(len(n) <= 2 for n in (*firsts, *thirds)):
        return None, []
    valid = [
        order
        for order in ("ymd", "dmy", "mdy")
        if all(stamp_parts(m, order, 2000) is not None for m in matches)
    ]
    if not valid:
        return None, []
    if len(valid) == 1:
        return valid[0], []
    # Several readings are valid dates: take the one nearest the year the file was written.
    year = reference_year or dt.datetime.now(dt.UTC).year

    def distance(order: str) -> float:
        years = [2000 + int(m.group("n" + str(order.index("y") + 1))) for m in matches]
        middle = statistics.median(years)
        return abs(year - middle) + (100 if middle > year + 1 else 0)

    chosen = min(valid, key=distance)
    return chosen, [f"two-digit year date read as {_ORDER_NAMES[chosen]} (nearest {year})"]


def stamp_parts(
    match: re.Match[bytes], order: str, year: int
) -> tuple[int, int, int, int, int, int] | None:
    """(year, month, day, hour, minute, second) of a match, ``year`` when it has none; None
    when the values are no date (month 13, hour 25)."""
    groups: dict[str, bytes | None] = match.groupdict()
    if groups.get("E") is not None or groups.get("EM") is not None:
        return (1970, 1, 1, 0, 0, 0)

    def number(name: str, default: int | None = None) -> int:
        value = groups.get(name)
        if value is None:
            if default is None:
                raise KeyError(name)
            return default
        return int(value)

    try:
        if order:
            names = dict(zip(order, ("n1", "n2", "n3"), strict=False))
            month, day = number(names["m"]), number(names["d"])
            if "Y" in names:
                year = number(names["Y"])
            elif "y" in names:
                year = 2000 + number(names["y"])
        else:
            if groups.get("Y") is not None:
                year = number("Y")
            elif groups.get("y") is not None:
                year = 2000 + number("y")
            name = groups.get("b")
            spelled = MONTH_NUMBER.get(name[:3].lower().decode("ascii")) if name else None
            month = spelled if spelled is not None else number("m", 1)
            day = number("d", 1)
        hour, minute, second = number("H"), number("M"), number("S", 0)
        dt.datetime(year, month, day, hour, minute, min(second, 59))
    except (ValueError, TypeError, KeyError):
        return None
    return year, month, day, hour, minute, second


def _varies_if_letters(words: list[bytes]) -> bool:
    """A column of one-letter levels must hold more than one ("stdout F" is no level)."""
    names = {word.strip(_LEVEL_STRIP) for word in words if level_of_word(word)}
    return len(names) > 1 or any(len(name) > 1 for name in names)


def split_fields(rest: bytes, delimiter: bytes | None, count: int) -> list[bytes]:
    """The first ``count`` fields of what follows the time, and the rest as one more."""
    if delimiter:
        return [part.strip() for part in rest.split(delimiter, count)]
    return rest.split(None, count)


def _learn_fields(layout: Layout, lines: list[bytes]) -> None:
    line_regex = layout.line
    rests: list[bytes] = []
    piped = 0
    for line in lines:
        match = line_regex.match(line)
        if match is not None:
            rests.append(match.group("r").rstrip(b"\r"))
            piped += b"|" in match.group("r")
    if not rests:
        return
    if piped > len(rests) // 2:
        layout.delimiter = b"|"
    rows = [split_fields(rest, layout.delimiter, _MAX_FIELDS) for rest in rests]
    # Only the fields before the last (which holds the rest of the message) are fields.
    columns = [[row[j] for row in rows if j < len(row) - 1] for j in range(_MAX_FIELDS)]
    half = len(rests) / 2

    level_hits = [sum(1 for word in column if level_of_word(word)) for column in columns]
    best = max(range(_MAX_FIELDS), key=lambda j: (level_hits[j], -j))
    strong = sum(1 for word in columns[best] if level_of_word(word, in_column=False))
    if (
        level_hits[best] >= half
        and strong >= max(2, len(rests) // 20)
        and _varies_if_letters(columns[best])
    ):
        layout.level_field = best
    # Or before the time ("INFO  [main] 2026-03-14 10:00:00,123 Daemon.java:12 - msg").
    if layout.level_field is None and (layout.words_before or layout.glued):
        prefixes = [prefix_words(m.group("p")) for m in map(line_regex.match, lines) if m]
        for j in range(layout.words_before or 1):
            words = [row[j] for row in prefixes if j < len(row)]
            hits = sum(1 for word in words if level_of_word(word))
            strong = sum(1 for word in words if level_of_word(word, in_column=False))
            if hits >= half and strong >= max(2, len(rests) // 20) and _varies_if_letters(words):
                layout.level_before = j
                break

    level = layout.level_field
    # The program is near the level when there is one ("INFO prog: msg", "D Tag: msg").
    # Or just before it ("imap-login: Info: msg").
    reach: list[int] = list(range(8))
    if level is not None:
        reach = [*range(level + 1, min(level + 3, _MAX_FIELDS)), *([level - 1] if level else [])]
    program_hits = {j: sum(1 for word in columns[j] if _PROGRAM.fullmatch(word)) for j in reach}
    best = min(program_hits, key=lambda j: (-program_hits[j], j)) if program_hits else 0
    farther = {}
    if level is not None and (not program_hits or program_hits[best] < len(rests) * 0.4):
        # Columns of ids between the level and the program (macOS: thread, activity, pid).
        farther = {
            j: sum(1 for word in columns[j] if _PROGRAM.fullmatch(word))
            for j in range(level + 3, _MAX_FIELDS)
        }
    far = min(farther, key=lambda j: (-farther[j], j)) if farther else None
    if program_hits and program_hits[best] >= len(rests) * (0.4 if level is not None else 0.6):
        layout.program_field = best
    elif far is not None and farther[far] >= len(rests) * 0.8:
        layout.program_field = far
    else:
        # A logger's dotted name beside the level ("INFO org.app.Db msg", "app.db - ERROR").
        near = [] if level is None else [level + 1, level - 1, level - 2]
        if layout.delimiter and level != 0:
            near.append(0)  # "time|component|...": the first column names the component
        for j in near:
            if 0 <= j < _MAX_FIELDS:
                pattern = _LOGGER if j != 0 or not layout.delimiter else _IDENTIFIER
                if sum(1 for word in columns[j] if pattern.fullmatch(word)) >= len(rests) * 0.6:
                    layout.program_field = j
                    layout.program_is_logger = True
                    break

    program = layout.program_field
    if program and program - 1 != layout.level_field and not layout.program_is_logger:
        before = columns[program - 1]
        hosts = sum(
            1
            for word in before
            if _HOST.fullmatch(word) and not word.isdigit() and b":" not in word
        )
        if hosts >= half:
            layout.host_field = program - 1
