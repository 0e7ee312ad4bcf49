"""The generic reader on logs of layouts nobody listed: our own corpus under
``tests/fixtures/logs/`` (written by ``generate.py`` there) and generated layouts."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import shutil
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from postmortems.evidence.detect import detect
from postmortems.evidence.gather import GatherOptions, gather
from postmortems.evidence.sources import get_source
from postmortems.evidence.sources.base import ReadOptions, ReadStats

LOGS = Path(__file__).parents[1] / "fixtures" / "logs"
EXPECTED = json.loads((LOGS / "expected.json").read_text())
GENERIC = get_source("generic")
YEAR_2026 = ReadOptions(year=2026)


def _read(path: Path, opts: ReadOptions = YEAR_2026) -> tuple[list[object], ReadStats]:
    stats = ReadStats(str(path), "generic")
    return list(GENERIC.read(str(path), opts, stats)), stats


def _text(path: Path) -> str:
    """A fixture's text, whatever its encoding (SQL Server writes UTF-16 with a byte-order mark)."""
    raw = path.read_bytes()
    return raw.decode("utf-16") if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else raw.decode()


def test_the_corpus_holds_at_least_twenty_layouts() -> None:
    assert len(EXPECTED) >= 20
    for name in EXPECTED:
        assert len(_text(LOGS / name).splitlines()) >= 250, name


# Stamps that count seconds since boot cannot be placed on the clock: tested on their own.
WALL_CLOCK = sorted(name for name, want in EXPECTED.items() if "boot" not in want)
# Layouts not read right yet: each fails today (strict), so fixing one shows here.
NOT_YET: set[str] = set()
# Files a specific source knows (syslog, the journal's text, JSON) go to it, not to the generic
# one.
SPECIFIC = {
    "mongod.log": "jsonlines",
    "haproxy.log": "syslog",
    "journal_short_iso.log": "journald",
    "macos_system.log": "syslog",
    "postfix.log": "syslog",
}


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=pytest.mark.xfail(strict=True)) if n in NOT_YET else n
        for n in WALL_CLOCK
    ],
)
def test_each_layout_is_learned_and_read_whole(name: str) -> None:
    path = LOGS / name
    source = detect(str(path))
    assert source is not None, f"{name}: not recognised"
    stats = ReadStats(str(path), source.name)
    events = list(source.read(str(path), YEAR_2026, stats))
    expected = EXPECTED[name]
    lines = len(_text(path).splitlines())
    # Every line is timed: it starts a record, or continues the record above it.
    assert stats.lines_unparsed <= lines * 0.01, stats.unparsed_examples
    assert len(events) == expected["records"], stats.layout
    first = dt.datetime.fromisoformat(expected["first"])
    assert abs(events[0].time - first) < dt.timedelta(seconds=1), stats.layout  # type: ignore[attr-defined]
    if expected["levels"] is not None:
        found = Counter(str(e.level) for e in events)  # type: ignore[attr-defined]
        assert dict(found) == expected["levels"], stats.layout
    if "services" in expected:
        assert sorted({e.service for e in events}) == expected["services"], stats.layout  # type: ignore[attr-defined]


def test_stamps_counted_from_boot_are_refused_with_the_reason() -> None:
    result = gather([str(LOGS / "dmesg_uptime.log")], GatherOptions())
    assert not result.events
    said = " ".join([*result.stats[0].notes, *(str(e) for e in result.errors)])
    assert "since boot" in said


def test_stack_traces_join_their_record() -> None:
    events, _ = _read(LOGS / "log4j.log")
    traced = [e for e in events if "\tat com.example.shop." in e.text]  # type: ignore[attr-defined]
    assert traced and all(e.level in ("error", "critical") for e in traced)  # type: ignore[attr-defined]
    assert all("Caused by:" in e.text for e in traced)  # type: ignore[attr-defined]


def test_programs_and_hosts_are_named() -> None:
    events, _ = _read(LOGS / "logcat.txt")
    assert {e.service for e in events} == {"ActivityManager", "WifiService"}  # type: ignore[attr-defined]
    events, _ = _read(LOGS / "thunderbird.log")
    assert {e.service for e in events} == {"crond(pam_unix)", "sshd", "kernel"}  # type: ignore[attr-defined]
    assert all(e.host and e.host.startswith("dn") for e in events)  # type: ignore[attr-defined]
    events, _ = _read(LOGS / "jenkins.log")
    assert {e.service for e in events} == {  # type: ignore[attr-defined]
        "hudson.model.Run#execute",
        "hudson.plugins.git.GitSCM#checkout",
    }


def test_a_year_less_log_says_where_its_year_came_from(tmp_path: Path) -> None:
    log = tmp_path / "device.txt"
    log.write_text((LOGS / "logcat.txt").read_text())
    stamp = dt.datetime(2026, 5, 1, tzinfo=dt.UTC).timestamp()
    os.utime(log, (stamp, stamp))
    events, stats = _read(log, ReadOptions())
    assert events[0].time.year == 2026  # type: ignore[attr-defined]
    assert any("modification date" in note for note in stats.notes)
    events, stats = _read(log, ReadOptions(year=2024))
    assert events[0].time.year == 2024  # type: ignore[attr-defined]
    assert any("--year 2024" in note for note in stats.notes)


def test_a_log_of_times_without_dates_takes_the_day_given(tmp_path: Path) -> None:
    log = tmp_path / "clock.log"
    log.write_text(
        "23:59:58 INFO closing batch 7\n23:59:59 WARN slow flush\n00:00:01 ERROR disk full\n"
    )
    events, stats = _read(log, ReadOptions(date=dt.date(2026, 3, 14)))
    assert [e.time for e in events] == [  # type: ignore[attr-defined]
        dt.datetime(2026, 3, 14, 23, 59, 58, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 14, 23, 59, 59, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 15, 0, 0, 1, tzinfo=dt.UTC),
    ]
    assert any("--date 2026-03-14" in note for note in stats.notes)


def test_the_summary_shows_the_layout_learned() -> None:
    result = gather([str(LOGS / "zookeeper.log")], GatherOptions())
    assert result.stats[0].source == "generic"
    assert "YYYY-MM-DD hh:mm:ss" in (result.stats[0].layout or "")


# --- generated layouts


_DATES = {
    "%Y-%m-%d": "%Y-%m-%d",
    "%Y/%m/%d": "%Y/%m/%d",
    "%d.%m.%Y": "%d.%m.%Y",
    "%d/%b/%Y": "%d/%b/%Y",
    "%b %d %Y": "%b %d %Y",
    "%Y%m%d": "%Y%m%d",
    "%y/%m/%d": "%y/%m/%d",
}
_LEVEL_WORDS = {
    "error": ["ERROR", "error", "E", "Err", "SEVERE"],
    "warning": ["WARN", "warning", "W", "Warning"],
    "info": ["INFO", "info", "I", "Info"],
}


@st.composite
def _layouts(draw: st.DrawFn) -> tuple[str, list[tuple[dt.datetime, str]]]:
    date_format = draw(st.sampled_from(sorted(_DATES)))
    joiner = draw(st.sampled_from([" ", "T", "_", "-"] if "%b" not in date_format else [" "]))
    if date_format == "%Y%m%d":
        joiner = draw(st.sampled_from([" ", "-"]))
    fraction = draw(st.sampled_from(["", ",%f", ".%f", ":%f"]))
    before = draw(st.sampled_from(["", "[", "- ", "app.log "]))
    after = "]" if before == "[" else ""
    separator = draw(st.sampled_from([" ", " | ", " - ", ", "]))
    level_style = draw(st.integers(0, 3))
    bracket = draw(st.sampled_from(["{}", "[{}]", "<{}>"]))
    program = draw(st.sampled_from(["", "billing: ", "db.Pool ", "worker[42]: "]))
    # Two-digit years are read unambiguously only when no other order makes a date.
    earliest = dt.datetime(2032 if "%y" in date_format else 2001, 1, 1)
    start = draw(st.datetimes(earliest, dt.datetime(2049, 1, 1)))
    steps = draw(st.lists(st.integers(0, 5000), min_size=5, max_size=25))
    levels = draw(
        st.lists(st.sampled_from(sorted(_LEVEL_WORDS)), min_size=len(steps), max_size=len(steps))
    )
    # A column holding one level letter only is no level ("stdout F"): let levels vary.
    levels[:2] = ["error", "info"]
    lines: list[str] = []
    truth: list[tuple[dt.datetime, str]] = []
    when = start.replace(microsecond=start.microsecond // 1000 * 1000)
    for step, level in zip(steps, levels, strict=True):
        when += dt.timedelta(milliseconds=step)
        stamp = when.strftime(f"{date_format}{joiner}%H:%M:%S{fraction}")
        if fraction:
            stamp = stamp[:-3]  # milliseconds
        word = bracket.format(_LEVEL_WORDS[level][level_style % len(_LEVEL_WORDS[level])])
        lines.append(f"{before}{stamp}{after}{separator}{word} {program}request {step} done")
        written = when if fraction else when.replace(microsecond=0)
        truth.append((written.replace(tzinfo=dt.UTC), level))
    return "\n".join(lines) + "\n", truth


@settings(
    max_examples=int(os.environ.get("GEN_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(layout=_layouts())
def test_generated_layouts_are_learned(layout: tuple[str, list[tuple[dt.datetime, str]]]) -> None:
    text, truth = layout
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "generated.log"
        path.write_text(text)
        events, stats = _read(path)
    assert stats.lines_unparsed == 0, (stats.layout, stats.unparsed_examples)
    got = [(e.time, str(e.level)) for e in events]  # type: ignore[attr-defined]
    assert got == truth, stats.layout


_GLOG_LETTERS = {"I": "info", "W": "warning", "E": "error", "F": "critical"}


@settings(max_examples=int(os.environ.get("GEN_EXAMPLES", "30")), deadline=None)
@given(
    start=st.datetimes(dt.datetime(2026, 1, 1), dt.datetime(2026, 12, 1)),
    steps=st.lists(st.integers(0, 90_000_000), min_size=5, max_size=25),
    letters=st.lists(st.sampled_from(sorted(_GLOG_LETTERS)), min_size=25, max_size=25),
    threads=st.integers(1, 99999),
)
def test_a_level_letter_glued_to_the_date_is_the_level(
    start: dt.datetime, steps: list[int], letters: list[str], threads: int
) -> None:
    """glog and klog: "E0314 10:00:00.123456  1234 file.cc:42] text"."""
    import tempfile

    letters[:2] = ["I", "E"]
    when = start.replace(tzinfo=dt.UTC)
    lines, truth = [], []
    for step, letter in zip(steps, letters, strict=False):
        when += dt.timedelta(microseconds=step)
        stamp = f"{when:%m%d %H:%M:%S}.{when.microsecond:06d}"
        lines.append(f"{letter}{stamp} {threads:5d} server.cc:{step % 900}] step {step} done")
        truth.append((when, _GLOG_LETTERS[letter]))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "server.INFO"
        path.write_text("\n".join(lines) + "\n")
        events, stats = _read(path)
    assert stats.lines_unparsed == 0, stats.unparsed_examples
    assert [(e.time, str(e.level)) for e in events] == truth, stats.layout  # type: ignore[attr-defined]


def test_the_corpus_is_read_by_the_generic_source() -> None:
    for name in sorted(set(WALL_CLOCK) - NOT_YET):
        source = detect(str(LOGS / name))
        assert source is not None and source.name == SPECIFIC.get(name, "generic"), name


# --- beside the other evidence

INCIDENT = Path(__file__).parents[2] / "examples" / "incident"


def _worker_log(path: Path) -> None:
    """A Java service's log over the example incident's afternoon: routine lines only."""
    start = dt.datetime(2026, 5, 12, 12, 30, 0, 250000)
    lines = []
    for n in range(400):
        when = start + dt.timedelta(seconds=29 * n)
        stamp = f"{when:%Y-%m-%d %H:%M:%S},{when.microsecond // 1000:03d}"
        lines.append(f"{stamp} INFO [sched-1] com.example.Reports: report batch {n} written")
        if n % 50 == 7:
            lines.append(f"{stamp} WARN [sched-1] com.example.Reports: batch {n} slow, retrying")
    path.write_text("\n".join(lines) + "\n")


def test_a_generic_log_beside_the_example_keeps_the_lifecycle(tmp_path: Path) -> None:
    from postmortems.analysis.draft import build_draft

    options = GatherOptions(exclude=("README.md", "truth.json"))
    alone = build_draft(gather([str(INCIDENT)], options)).postmortem.lifecycle
    folder = tmp_path / "incident"
    shutil.copytree(INCIDENT, folder)
    _worker_log(folder / "reports-worker.log")
    result = gather([str(folder)], options)
    assert "generic" in {s.source for s in result.stats}
    mixed = build_draft(result).postmortem.lifecycle
    assert mixed == alone
    assert alone.started_at is not None and alone.mitigated_at is not None


# --- every pair of sources


EVIDENCE = Path(__file__).parents[1] / "fixtures" / "evidence"
ONE_OF_EACH = {
    "syslog": EVIDENCE / "logs" / "syslog_3164.log",
    "journald": EVIDENCE / "logs" / "journal.json",
    "access_log": EVIDENCE / "logs" / "access.log",
    "jsonlines": EVIDENCE / "logs" / "app.jsonl",
    "logfmt": EVIDENCE / "logs" / "app.logfmt",
    "alertmanager": EVIDENCE / "payloads" / "alertmanager_incident.ndjson",
    "grafana": EVIDENCE / "payloads" / "grafana_unified.json",
    "pagerduty": EVIDENCE / "payloads" / "pagerduty_v3_lifecycle.ndjson",
    "opsgenie": EVIDENCE / "payloads" / "opsgenie_lifecycle.ndjson",
    "slack": EVIDENCE / "payloads" / "slack_export",
    "github": EVIDENCE / "payloads" / "github_deploys.ndjson",
    "gitlog": EVIDENCE / "payloads" / "git_log_default.txt",
    "csv": EVIDENCE / "payloads" / "changes_semicolon.csv",
    "generic": LOGS / "windows_cbs.log",
}


def test_there_is_a_sample_of_every_source() -> None:
    from postmortems.evidence.sources import all_sources

    assert set(ONE_OF_EACH) == set(all_sources())
    for name, path in ONE_OF_EACH.items():
        source = detect(str(path))
        assert source is not None and source.name == name, path


@pytest.mark.parametrize(("first", "second"), list(itertools.combinations(sorted(ONE_OF_EACH), 2)))
def test_every_pair_of_sources_gathers_together(first: str, second: str) -> None:
    paths = [str(ONE_OF_EACH[first]), str(ONE_OF_EACH[second])]
    result = gather(paths)
    assert not [e for e in result.errors if "failed" in str(e)]
    assert {s.source for s in result.stats} == {first, second}
    times = [e.time for e in result.events]
    assert times == sorted(times)
    assert all(e.time.tzinfo is not None for e in result.events)


def test_a_big_log_read_on_every_core_gives_what_one_core_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from postmortems.evidence.sources import _parallel

    log = tmp_path / "service.log"
    start = dt.datetime(2026, 3, 14, 9, 0)
    lines = []
    for n in range(3000):
        when = start + dt.timedelta(milliseconds=1700 * n)
        stamp = f"{when:%Y-%m-%d %H:%M:%S},{when.microsecond // 1000:03d}"
        level = ("INFO", "WARN", "ERROR")[n % 7 // 3]
        lines.append(f"{stamp} {level} [pool-{n % 4}] com.example.Job: step {n % 13} of run {n}")
        if n % 101 == 0:
            lines += [
                "java.lang.IllegalStateException: no lease",
                "\tat com.example.Job.run(Job.java:9)",
            ]
    log.write_text("\n".join(lines) + "\n")
    monkeypatch.setattr(_parallel, "ENABLED", False)
    serial = gather([str(log)])
    monkeypatch.setattr(_parallel, "ENABLED", True)
    monkeypatch.setattr(_parallel, "MIN_PARALLEL_BYTES", 1)
    monkeypatch.setattr(_parallel, "_workers", lambda: 3)
    parallel = gather([str(log)])
    assert [(e.time, e.text, e.ref, e.count) for e in parallel.events] == [
        (e.time, e.text, e.ref, e.count) for e in serial.events
    ]
    assert parallel.stats[0].lines_read == serial.stats[0].lines_read
    assert parallel.stats[0].layout == serial.stats[0].layout


def test_a_separator_that_varies_after_the_time(tmp_path: Path) -> None:
    log = tmp_path / "mixed.log"
    log.write_text(
        "".join(
            f"2026-03-14 10:00:{n:02d}{' | ' if n % 2 else ' - '}{'ERROR' if n % 3 else 'INFO'} job {n}\n"
            for n in range(40)
        )
    )
    events, stats = _read(log)
    assert len(events) == 40 and stats.lines_unparsed == 0
    assert [str(e.level) for e in events][:3] == ["info", "error", "error"]  # type: ignore[attr-defined]
