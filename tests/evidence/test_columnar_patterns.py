"""The Rust-regex forms the columnar engine uses, and its compiled scan, agree with the Python
patterns they stand for, on generated ASCII text (the engine leaves every other line to the
Python loop; the scan is also checked on non-ASCII text)."""

from __future__ import annotations

import array
import re
from typing import Any

import polars as pl
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from postmortems.evidence.columnar.compiled import SCAN, Int64Column
from postmortems.evidence.columnar.forms import COARSE, COMPILED, FormNumbers
from postmortems.evidence.columnar.generic_plan import programs, rust_pattern
from postmortems.evidence.columnar.syslog_plan import (
    Scanned,
    _line_fields,
    _valid_stamp,
    scan_in_polars,
)
from postmortems.evidence.shapes import _DIGIT_TOKENS
from postmortems.evidence.sources.syslog import _BSD_FIELDS

_PIECES = [
    "a",
    "Z",
    "_",
    "0",
    "7",
    ".",
    ":",
    "/",
    "@",
    "%",
    "+",
    "-",
    " ",
    "\t",
    "[",
    "]",
    "(",
    ")",
    '"',
    "=",
    ",",
    "#",
    "x1",
    "0x1f",
    "10.0.0.1",
    "5ms",
    "id=42",
    "a-b",
    ": ",
    "[42]: ",
]
_TEXT = st.lists(st.sampled_from(_PIECES), max_size=30).map("".join)


@settings(max_examples=200, deadline=None)
@given(st.lists(_TEXT, min_size=1, max_size=20))
def test_coarse_form_is_the_python_one(messages: list[str]) -> None:
    found = pl.Series(messages).str.replace_all(COARSE, "#").to_list()
    assert found == [_DIGIT_TOKENS.sub(b"#", m.encode()).decode() for m in messages]


def test_the_compiled_scan_is_built() -> None:
    # setup.py builds it at install; without it gather runs several times slower.
    assert COMPILED


_ANY_TEXT = st.lists(st.sampled_from([*_PIECES, "é", "日本", "\u00a0", "٣"]), max_size=30).map(
    "".join
)


@pytest.mark.parametrize("compiled", [True, False], ids=["C", "polars"])
@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_ANY_TEXT, max_size=12), min_size=1, max_size=3))
def test_forms_are_numbered_as_python_masks_them(compiled: bool, blocks: list[list[str]]) -> None:
    numbers = FormNumbers(compiled)
    seen: list[bytes] = []
    for messages in blocks:
        ids, firsts = numbers.number(pl.Series(messages, dtype=pl.String))
        expected = [_DIGIT_TOKENS.sub(b"#", m.encode()) for m in messages]
        assert [numbers.forms[number] for number in ids.to_list()] == expected
        new = [
            i for i, form in enumerate(expected) if form not in seen and form not in expected[:i]
        ]
        assert firsts == new
        seen += [expected[i] for i in new]
    assert numbers.forms == seen


_STAMPS = st.sampled_from(
    ["Mar  1 00:00:00", "Dec 31 23:59:59", "Jan 10 12:00:0", "mar  1 00:00:00"]
)
_HOSTS = st.sampled_from(["web-1", "h", "a:b", "", "x\ty", "db-01.example"])
_TAGS = st.sampled_from(
    ["sshd[42]: ", "kernel: ", "Google Chrome Helper[361]: ", "x[a:b]: ", "app[1]x: ", "", "a b: "]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_STAMPS, _HOSTS, _TAGS, _TEXT), min_size=1, max_size=20))
def test_syslog_header_is_the_python_one(parts: list[tuple[str, str, str, str]]) -> None:
    lines = [f"{stamp} {host} {tag}{text}" for stamp, host, tag, text in parts]
    frame = _line_fields(pl.LazyFrame({"line": lines})).collect()
    for line, row in zip(lines, frame.iter_rows(named=True), strict=True):
        match = _BSD_FIELDS.match(line.encode())
        if not row["matched"]:
            # Not taken: either Python does not read it as a header either, or the line is
            # one the engine leaves to the Python loop (a carriage return, a long line).
            assert match is None or "\r" in line or len(line) > 256
            continue
        assert match is not None
        stamp, host, tag, message = (g.decode() if g is not None else None for g in match.groups())
        assert (row["stamp"], row["host"], row["service"], row["message"]) == (
            stamp,
            host,
            tag,
            message,
        )


def test_rust_pattern_refuses_what_rust_lacks() -> None:
    assert rust_pattern(rb"^(?P<k>\d\d)(?!\w)") is None
    assert rust_pattern(rb"^(?P<k>\d\d)\w") is None
    assert rust_pattern(rb"^(?P<k>\d\d)\ (?P<q>)") == "^(?P<k>[0-9][0-9]) (?P<q>)"


_LINE_STAMPS = st.sampled_from(
    ["Mar  1 00:00:00", "Dec 31 23:59:59", "Feb 29 10:00:00", "Feb 30 01:02:03", "Jun 15 24:00:00"]
)
_LINE_TAGS = st.sampled_from(
    [
        "sshd[42]: ",
        "kernel: ",
        "Google Chrome Helper[361]: ",
        "x[a:b]: ",
        "a[ b]: ",
        "",
        "y" * 64 + ": ",
        "y" * 65 + ": ",
        "p q" * 21 + "[12]: ",
    ]
)
_LINE_MESSAGES = st.sampled_from(
    ["", "  at Foo.bar(Foo.java:1)", "Caused by: x", "... 3 more", "a.b_c:", "naïve", "x\r"]
)
_LINES = st.one_of(
    st.tuples(_LINE_STAMPS, _HOSTS, _LINE_TAGS, st.one_of(_TEXT, _LINE_MESSAGES)).map(
        lambda parts: "{} {} {}{}".format(*parts)
    ),
    st.one_of(_TEXT, _LINE_MESSAGES, st.just("L" * 300)),
)


def _resolved(scan: Any, body: bytes, at_end: bool) -> tuple[Any, ...]:
    numbers: dict[bytes, int] = {}
    forms: list[bytes] = []
    found = Scanned(*scan(body, at_end, lambda stamp: _valid_stamp(stamp.decode()), numbers, forms))
    stamps, hosts, services = (found.column(name) for name in ("stamp", "host", "service"))
    messages, numbers_of_forms = found.column("message"), found.column("form")
    simple = [
        (
            row,
            found.stamp_names[stamps[k]],
            found.host_names[hosts[k]],
            found.service_names[services[k]],
            messages[k],
            forms[numbers_of_forms[k]],
        )
        for k, row in enumerate(found.column("row"))
    ]
    return found.used, list(found.starts), [tuple(run) for run in found.runs], simple, found.firsts


@pytest.mark.skipif(not COMPILED, reason="the compiled scan is not built")
@settings(max_examples=300, deadline=None)
@given(st.lists(_LINES, min_size=1, max_size=12), st.booleans(), st.booleans())
def test_syslog_scan_is_the_polars_one(lines: list[str], at_end: bool, latin1: bool) -> None:
    body = "\n".join(lines).encode("latin-1" if latin1 else "utf-8", "replace") + b"\n"
    if at_end and latin1:
        body = body[:-1]
    assume(body)  # blocks are never empty
    expected = _resolved(scan_in_polars, body, at_end)
    assert _resolved(SCAN.scan_syslog, body, at_end) == expected


_SKELETONS = st.sampled_from(
    [r"\d\d\d\d\-\d\d\-\d\d\ \d\d:\d\d:\d\d", r"\d\d:\d\d", r"[A-Za-z][A-Za-z]\ \d"]
)
_FRACTIONS = st.sampled_from(
    ["", r"(?:,(?P<q>\d{3}))", r"(?:[.,:](?P<q>\d{1,9}))?", r"(?:\.(?P<q>\d{6}))?", "(?P<q>)"]
)
_SEPARATORS = st.sampled_from([r"\ ", r"(?:\s+|$)", r"\ \|\ ", ""])
_STAMP_TEXT = st.lists(
    st.sampled_from(
        ["2026-03-01 10:00:00", "10:00", "Ab 1", "ab 12", ",123", ".5", ":1234567", "x"]
    ),
    max_size=3,
).map("".join)
_TAILS = st.sampled_from(["", " ", "  x", " | y", "\tz", "1", " " + "w" * 130])


def _fraction_micros(text: str | None) -> int:
    return int((text or "")[:6].ljust(6, "0"))


@pytest.mark.skipif(not COMPILED, reason="the compiled scan is not built")
@settings(max_examples=300, deadline=None)
@given(
    st.lists(_SKELETONS, min_size=1, max_size=3),
    _FRACTIONS,
    _SEPARATORS,
    st.lists(st.tuples(_STAMP_TEXT, _TAILS), min_size=1, max_size=8),
)
def test_layout_scan_matches_as_the_regex_does(
    skeletons: list[str], fraction: str, separator: str, parts: list[tuple[str, str]]
) -> None:
    if fraction == "(?P<q>)" and separator == "":
        separator = r"\ "
    pattern = f"^(?P<k>{'|'.join(skeletons)}){fraction or '(?P<q>)'}{separator}".encode()
    ways = programs(pattern)
    assert ways is not None
    regex = re.compile(pattern)
    lines = [stamp + tail for stamp, tail in parts]
    body = "\n".join(lines).encode() + b"\n"
    seen: dict[bytes, int] = {}
    found = SCAN.scan_layout(
        body,
        True,
        ways,
        0,
        lambda stamp, raw: seen.setdefault(stamp, 1_000_000 * len(seen)),
        lambda fields: (-2, None, None, b""),
        {},
        [],
    )
    _, starts, _, columns, *_ = found
    size = len(columns) // 40
    numbers = memoryview(columns).cast("q")
    rows, times, rests = (numbers[i * size : (i + 1) * size] for i in (0, 1, 3))
    taken = {}
    for index, row in enumerate(rows):
        taken[row] = (times[index], rests[index] - starts[row])
    for row, line in enumerate(lines):
        match = regex.match(line[:128].encode())
        ok = match is not None and (len(line) <= 128 or match.end() < 128)
        following = row + 1 >= len(lines) or _matches(regex, lines[row + 1])
        if not (ok and following):
            assert row not in taken
            continue
        assert match is not None
        stamp_time = seen[match.group("k")]
        fraction = match.group("q")
        micros = _fraction_micros(fraction.decode() if fraction is not None else None)
        assert taken[row] == (stamp_time + micros, match.end())


def _matches(regex: re.Pattern[bytes], line: str) -> bool:
    match = regex.match(line[:128].encode())
    return match is not None and (len(line) <= 128 or match.end() < 128)


@pytest.mark.skipif(not COMPILED, reason="the compiled scan is not built")
@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(-(2**63), 2**63 - 1), max_size=50), st.integers(0, 3))
def test_scanned_integers_reach_polars_unchanged(values: list[int], skip: int) -> None:
    data = array.array("q", [7] * skip + values).tobytes()
    series = pl.Series(Int64Column(data, skip, len(values)))
    del data  # polars holds its own copy
    assert series.dtype == pl.Int64
    assert series.to_list() == values
