"""How the reader does on every log layout of ``tests/fixtures/logs``: per file, the source
detected, the share of lines timed, records found against expected, levels and programs right.

    python bench/log_layouts.py            # every layout
    python bench/log_layouts.py glog.log   # some

Exit 1 when a wall-clock layout is read with fewer than 99% of its lines timed.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections import Counter
from pathlib import Path

from postmortems.evidence.detect import detect
from postmortems.evidence.sources.base import ReadOptions, ReadStats

LOGS = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "logs"


def _lines(path: Path) -> int:
    raw = path.read_bytes()
    text = raw.decode("utf-16") if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else raw.decode()
    return len(text.splitlines())


def _row(name: str, want: dict[str, object]) -> tuple[str, bool]:
    path = LOGS / name
    lines = _lines(path)
    try:
        source = detect(str(path))
        if source is None:
            return f"{name:<28} {'-':<10} {0:>7.1%}  not recognised", False
        stats = ReadStats(str(path), source.name)
        events = list(source.read(str(path), ReadOptions(year=2026), stats))
    except Exception as error:  # a crash is a figure here, not a stop
        return f"{name:<28} crash: {type(error).__name__}: {error}", False
    timed = 1 - stats.lines_unparsed / lines
    levels = Counter(str(getattr(e, "level", None)) for e in events)
    marks = []
    if len(events) != want["records"]:
        marks.append(f"records {len(events)}/{want['records']}")
    first = dt.datetime.fromisoformat(str(want["first"]))
    if events and abs(getattr(events[0], "time", first) - first) >= dt.timedelta(seconds=1):
        marks.append(f"first {getattr(events[0], 'time', None)}")
    if want["levels"] is not None and dict(levels) != want["levels"]:
        marks.append(f"levels {dict(levels)}")
    if "services" in want:
        services = sorted({str(getattr(e, "service", None)) for e in events})
        if services != want["services"]:
            marks.append(f"programs {services[:5]}")
    ok = timed >= 0.99 and not marks
    line = f"{name:<28} {source.name:<10} {timed:>7.1%}  {'ok' if ok else '; '.join(marks)}"
    return f"{line}  [{stats.layout}]", timed >= 0.99 or "boot" in want


def main(names: list[str]) -> int:
    expected = json.loads((LOGS / "expected.json").read_text())
    chosen = names or sorted(expected)
    results = [_row(name, expected[name]) for name in chosen]
    for line, _ in results:
        print(line)
    timed = sum(ok for _, ok in results)
    print(f"{timed}/{len(results)} layouts with >= 99% of lines timed (or refused for a reason)")
    return 0 if timed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
