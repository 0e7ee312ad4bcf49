"""The columnar engine gives what the per-line readers give, byte for byte.

It normally takes only big files; here it is forced onto every file (the example
incident, every scenario preset, the log fixtures and generated syslog with the awkward
cases: stack traces, continuation lines, non-ASCII and Latin-1 lines, RFC 5424 lines, a
year turn, lines out of order) and the rendered timeline must not change.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from postmortems.evidence.columnar import blocks, engine, forms, generic_plan, syslog_plan
from postmortems.evidence.gather import GatherOptions, gather
from postmortems.evidence.output import render_gathered
from postmortems.evidence.scenario import PRESETS, generate
from postmortems.evidence.sources import _parallel

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "examples" / "incident"
LOG_FIXTURES = sorted(
    path
    for folder in (
        ROOT / "tests" / "fixtures" / "logs",
        ROOT / "tests" / "fixtures" / "evidence" / "logs",
    )
    if folder.is_dir()
    for path in folder.iterdir()
    if path.suffix in (".log", ".txt")
)


def _timeline(paths: list[str], monkeypatch: pytest.MonkeyPatch, columnar: bool) -> str:
    monkeypatch.setattr(engine, "ENABLED", columnar)
    monkeypatch.setattr(engine, "MIN_BYTES", 0)
    monkeypatch.setattr(_parallel, "ENABLED", False)
    result = gather(paths, GatherOptions())
    summary = [
        (s.lines_read, s.bytes_read, s.events, s.lines_unparsed, s.notes) for s in result.stats
    ]
    return render_gathered(result, "json") + repr(summary)


def _same(paths: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    assert _timeline(paths, monkeypatch, True) == _timeline(paths, monkeypatch, False)


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_scenarios(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    generate(PRESETS[name], tmp_path)
    monkeypatch.chdir(tmp_path)
    files = sorted(
        str(path.relative_to(tmp_path)) for path in tmp_path.rglob("*") if path.is_file()
    )
    _same([name for name in files if name != "truth.json"], monkeypatch)


def test_example_incident(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(EXAMPLE)
    files = sorted(str(p.relative_to(EXAMPLE)) for p in EXAMPLE.rglob("*") if p.is_file())
    _same([f for f in files if not f.endswith((".md", "truth.json"))], monkeypatch)


@pytest.mark.parametrize("path", LOG_FIXTURES, ids=lambda path: path.name)
def test_log_fixtures(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _same([str(path)], monkeypatch)


_PROGRAMS = ["sshd[42]", "kernel", "app[7]", "Google Chrome Helper[361]", "cron(pam)[9]", "x[a:b]"]
_MESSAGES = [
    "Failed password for admin from 10.0.0.{n} port {n} ssh2",
    "request id={hex} took {n}ms",
    "upstream timed out after {n}s",
    "java.lang.IllegalStateException: broken {n}",
    "  at com.example.Foo.bar(Foo.java:{n})",
    "Caused by: java.io.IOException: reset",
    "... {n} more",
    "retrying in {n}s (warning)",
    "naïve café {n}",
    "",
    "key: value {n}",
]


def _syslog(rng: random.Random, lines: int, late: int = 5) -> bytes:
    out = []
    month, day, second = 12, 30, 0
    for _ in range(lines):
        second += rng.choice([0, 0, 1, 2, 700])
        if rng.random() < 0.01:
            second -= late  # a line written out of order
        if second >= 86_400:
            second, day = 0, day + 1
            if day > 31:
                month, day = 1, 1
        stamp = f"{['Jan', 'Dec'][month == 12]} {day:2d} {second // 3600:02d}:{second // 60 % 60:02d}:{max(second, 0) % 60:02d}"
        roll = rng.random()
        message = rng.choice(_MESSAGES).format(
            n=rng.randrange(1000), hex=f"{rng.getrandbits(40):010x}"
        )
        program = rng.choice(_PROGRAMS)
        if roll < 0.05:
            out.append(f"\tcontinued {rng.randrange(9)}".encode())
        elif roll < 0.07:
            year_month = "2025-12" if month == 12 else "2026-01"  # the file is dated 2026
            clock = stamp[7:]
            out.append(f"<13>1 {year_month}-{day:02d}T{clock}Z h app 1 - - {message}".encode())
        elif roll < 0.08:
            out.append(f"{stamp} web-1 {program}: caf\xe9 {message}".encode("latin-1", "replace"))
        elif roll < 0.09:
            out.append(f"Feb 30 00:00:00 web-1 {program}: {message}".encode())
        elif roll < 0.10:
            out.append(f"{stamp} web-1 {program}: {message}\r".encode())
        else:
            host = rng.choice(["web-1", "web-2", "db-1"])
            out.append(f"{stamp} {host} {program}: {message}".encode())
    return b"\n".join(out) + rng.choice([b"\n", b""])


@pytest.mark.parametrize("seed", range(6))
def test_generated_syslog(seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "messages.log"
    monkeypatch.setattr(
        "postmortems.evidence.sources.syslog.modification_year_month", lambda _: (2026, 1)
    )
    # Seed 5 has lines later than the collapse gap: the engine gives up, the result stands.
    path.write_bytes(_syslog(random.Random(seed), 3000, 900 if seed == 5 else 5))
    monkeypatch.setattr(blocks, "BLOCK_BYTES", 4096)  # many blocks, many cuts
    _same([str(path)], monkeypatch)


def _log4j(rng: random.Random, lines: int) -> bytes:
    out = []
    millis = 0
    for _ in range(lines):
        millis += rng.choice([0, 3, 250, 1000, 61_000])
        second, fraction = divmod(millis, 1000)
        stamp = f"2026-03-01 {second // 3600 % 24:02d}:{second // 60 % 60:02d}:{second % 60:02d},{fraction:03d}"
        level = rng.choice(["INFO", "WARN", "ERROR", "DEBUG", "FINE", "Fooish"])
        thread = rng.choice(["[main]", "[pool-1-thread-3]", "[1234]", "[exec 2]"])
        logger = rng.choice(["com.example.App:", "org.db.Pool:", "app"])
        message = rng.choice(_MESSAGES).format(
            n=rng.randrange(1000), hex=f"{rng.getrandbits(40):010x}"
        )
        roll = rng.random()
        if roll < 0.04:
            out.append(f"\tat com.example.Foo.bar(Foo.java:{rng.randrange(99)})")
        elif roll < 0.05:
            out.append("")
        elif roll < 0.06:
            out.append(f"{stamp} {level}")  # fewer fields than the layout has
        elif roll < 0.07:
            out.append(f"{stamp} {level} {thread} {logger} {message}\r")
        elif roll < 0.08:
            out.append(f"2026-02-30 10:00:00,000 {level} {thread} {logger} {message}")
        else:
            out.append(f"{stamp} {level} {thread} {logger} {message}")
    return "\n".join(out).encode() + b"\n"


@pytest.mark.parametrize("seed", range(4))
def test_generated_log4j(seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "app.log"
    path.write_bytes(_log4j(random.Random(seed), 3000))
    monkeypatch.setattr(blocks, "BLOCK_BYTES", 4096)
    _same([str(path)], monkeypatch)


@pytest.mark.parametrize("kind", ["syslog", "log4j"])
def test_generated_without_the_compiled_scan(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An install that could not build the C scan takes the polars way to the same output.
    monkeypatch.setattr(syslog_plan, "SCAN", None)
    monkeypatch.setattr(generic_plan, "SCAN", None)
    monkeypatch.setattr(forms, "COMPILED", False)
    monkeypatch.setattr(
        "postmortems.evidence.sources.syslog.modification_year_month", lambda _: (2026, 1)
    )
    path = tmp_path / "messages.log"
    make = _syslog if kind == "syslog" else _log4j
    path.write_bytes(make(random.Random(1), 2000))
    monkeypatch.setattr(blocks, "BLOCK_BYTES", 4096)
    _same([str(path)], monkeypatch)
