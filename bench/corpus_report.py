"""Parse every real postmortem in the corpus and report what the parser made of them.

Per folder and in total: files parsed without error, sections recognised, timeline
entries found, the share of entries carrying a time of day whose time resolved to a
full timezone-aware datetime (target ≥ 95%), the share placed on the document's clock
(a datetime, or elapsed seconds when the date is unknown), the documents with three or
more timed entries that get a TTM or TTR, and parse warnings. Then the files that
fared worst, to read by hand.

    python bench/corpus_report.py [--worst 8] [--verbose FILE]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from _paths import require, shared_dir
from postmortems import metrics
from postmortems.errors import PostmortemError
from postmortems.markdown.parse import parse_file

_TIME_OF_DAY = re.compile(r"\d{1,2}[:h.]\d{2}|\d\s*[ap]\.?m\b|\bnoon\b|\bmidnight\b", re.IGNORECASE)


@dataclass
class Tally:
    files: int = 0
    parsed: int = 0
    sections: int = 0
    recognised: int = 0
    entries: int = 0
    with_time: int = 0
    resolved: int = 0
    placed: int = 0
    clocked_docs: int = 0  # documents with 3+ timed entries
    with_duration: int = 0  # ... of which a TTM or TTR is known
    warnings: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        for name in (
            "files",
            "parsed",
            "sections",
            "recognised",
            "entries",
            "with_time",
            "resolved",
            "placed",
            "clocked_docs",
            "with_duration",
            "warnings",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.errors.extend(other.errors)

    @property
    def share(self) -> float:
        return self.resolved / self.with_time if self.with_time else 1.0


def tally(path: Path) -> Tally:
    result = Tally(files=1)
    try:
        pm = parse_file(path)
    except PostmortemError as exc:
        result.errors.append(str(exc))
        return result
    except Exception as exc:  # a crash is exactly what this report must surface
        result.errors.append(f"{path}: CRASH {type(exc).__name__}: {exc}")
        return result
    result.parsed = 1
    result.sections = len(pm.sections)
    result.recognised = sum(1 for s in pm.sections if s.kinds)
    result.entries = len(pm.timeline)
    timed = [e for e in pm.timeline if e.time_as_written and _TIME_OF_DAY.search(e.time_as_written)]
    result.with_time = len(timed)
    result.resolved = sum(1 for e in timed if e.at is not None and e.at.tzinfo is not None)
    result.placed = sum(1 for e in timed if e.at is not None or e.elapsed_s is not None)
    if len(timed) >= 3:
        result.clocked_docs = 1
        result.with_duration = int(metrics.ttm(pm) is not None or metrics.ttr(pm) is not None)
    result.warnings = len(pm.warnings)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--worst", type=int, default=8)
    parser.add_argument("--verbose", help="print the timeline and warnings of one file")
    args = parser.parse_args()
    root = require(shared_dir() / "corpus" / "postmortems")
    if args.verbose:
        pm = parse_file(args.verbose)
        for section in pm.sections:
            print(f"## {section.title}  -> {[k.value for k in section.kinds]}")
        for event in pm.timeline:
            print(
                f"  {event.at.isoformat() if event.at else '-':25} {event.time_as_written!r:30} {event.text[:70]!r}"
            )
        for warning in pm.warnings:
            print(f"  warning line {warning.line}: {warning.message}")
        print("lifecycle:", pm.lifecycle.model_dump(mode="json"))
        return 0
    by_folder: dict[str, Tally] = defaultdict(Tally)
    per_file: list[tuple[Path, Tally]] = []
    for path in sorted(root.rglob("*.md")):
        one = tally(path)
        by_folder[path.parent.relative_to(root).as_posix()].add(one)
        per_file.append((path, one))
    total = Tally()
    header = f"{'folder':18} {'files':>6} {'parsed':>7} {'sections':>9} {'recog.':>7} {'entries':>8} {'timed':>6} {'resolved':>9} {'warn':>5}"
    print(header)
    print("-" * len(header))
    for folder, t in sorted(by_folder.items()):
        total.add(t)
        print(_row(folder, t))
    print("-" * len(header))
    print(_row("total", total))
    print()
    print(
        f"files parsed without error: {total.parsed}/{total.files} ({100 * total.parsed / max(total.files, 1):.0f}%)"
    )
    print(
        f"sections recognised: {total.recognised}/{total.sections} ({100 * total.recognised / max(total.sections, 1):.0f}%)"
    )
    print(
        f"timed entries resolved to aware datetimes: {total.resolved}/{total.with_time} ({100 * total.share:.1f}%, target 95%)"
    )
    print(
        f"timed entries with a datetime or elapsed_s: {total.placed}/{total.with_time} "
        f"({100 * total.placed / max(total.with_time, 1):.1f}%)"
    )
    print(
        f"documents with 3+ timed entries that get a TTM or TTR: "
        f"{total.with_duration}/{total.clocked_docs}"
    )
    for error in total.errors:
        print(f"ERROR {error}")
    worst = sorted(per_file, key=lambda pt: (pt[1].share, -pt[1].warnings))[: args.worst]
    print("\nworst files (resolution share, warnings):")
    for path, t in worst:
        print(f"  {t.share:6.0%} {t.warnings:3} warnings  {path.relative_to(root)}")
    ok = total.parsed == total.files and total.share >= 0.95
    return 0 if ok else 1


def _row(name: str, t: Tally) -> str:
    return (
        f"{name:18} {t.files:6} {t.parsed:7} {t.sections:9} {t.recognised:7} {t.entries:8} "
        f"{t.with_time:6} {t.resolved:5} {100 * t.share:3.0f}% {t.warnings:5}"
    )


if __name__ == "__main__":
    sys.exit(main())
