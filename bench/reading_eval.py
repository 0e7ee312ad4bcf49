"""Read the labelled documents of tests/fixtures/reading/ and compare with a person's reading.

Each ``NAME.md`` there has a ``NAME.expected.json`` written by hand before the parser
read it: its style, its date (or null when it gives none), its sections in order, its
timeline entries (a snippet of the words, the time as written, the time of day as
"HH:MM", with "+N" for N days after the date), and the lifecycle a person would read.

Per style and in total it prints: sections read as labelled (and the recognised sections
no label accounts for), documents with at least three sections read, entries found,
entries whose time was read as labelled (``at`` on the right day and time, or, with no
date, the right ``elapsed_s`` since the first timed entry), lifecycle phases right, and the
documents with three or more timed entries that get a TTM or a TTR.

    python bench/reading_eval.py [--verbose] [--style STYLE] [--dir FOLDER]

``--dir`` scores another folder of documents labelled the same way (a held-out set).
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import json
import sys
from collections import defaultdict
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from postmortems import metrics
from postmortems.markdown.parse import parse_file
from postmortems.model import LIFECYCLE_FIELD_BY_PHASE, Postmortem, TimelineEvent

READING = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "reading"
PHASE_BY_FIELD = {name: phase for phase, name in LIFECYCLE_FIELD_BY_PHASE.items()}


@dataclass
class Score:
    documents: int = 0
    sections_labelled: int = 0
    sections_read: int = 0  # labelled sections read with the labelled kinds, in order
    sections_spurious: int = 0  # recognised sections no label accounts for
    documents_three_sections: int = 0
    entries_labelled: int = 0
    entries_found: int = 0
    timed_labelled: int = 0
    timed_right: int = 0
    phases_labelled: int = 0
    phases_right: int = 0
    clocked: int = 0  # documents with three or more labelled timed entries
    with_duration: int = 0  # ... of which the parser gives a TTM or a TTR
    misses: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for item in fields(self):
            if item.name != "misses":
                setattr(self, item.name, getattr(self, item.name) + getattr(other, item.name))
        self.misses.extend(other.misses)

    @property
    def sections_share(self) -> float:
        return _share(self.sections_read, self.sections_labelled)

    @property
    def timed_share(self) -> float:
        return _share(self.timed_right, self.timed_labelled)

    @property
    def phases_share(self) -> float:
        return _share(self.phases_right, self.phases_labelled)


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


@dataclass(frozen=True)
class Clock:
    """A labelled time: minutes since midnight of the document's first day."""

    days: int
    minutes: int

    @classmethod
    def parse(cls, text: str) -> Clock:
        clock, _, days = text.partition("+")
        hours, minutes = clock.split(":")
        return cls(int(days or 0), int(hours) * 60 + int(minutes))

    @property
    def total(self) -> int:
        return self.days * 1440 + self.minutes


def labelled_documents(folder: Path = READING) -> list[tuple[Path, dict[str, Any]]]:
    out = []
    for path in sorted(folder.glob("*.md")):
        sidecar = path.with_name(path.stem + ".expected.json")
        if sidecar.exists():  # a document without its reading is not scored
            out.append((path, json.loads(sidecar.read_text("utf-8"))))
    return out


def score_document(path: Path, label: dict[str, Any]) -> Score:
    pm = parse_file(path)
    score = Score(documents=1)
    _score_sections(pm, label, score, path.name)
    date = dt.date.fromisoformat(label["date"]) if label.get("date") else None
    first = _first_clock(label)
    _score_entries(pm, label, date, first, score, path.name)
    _score_lifecycle(pm, label, date, first, score, path.name)
    if sum(1 for _, _, clock in label["entries"] if clock) >= 3:
        score.clocked = 1
        score.with_duration = int(metrics.ttm(pm) is not None or metrics.ttr(pm) is not None)
    return score


def _kinds(kinds: list[Any]) -> str:
    return "+".join(str(getattr(k, "value", k)) for k in kinds)


def _score_sections(pm: Postmortem, label: dict[str, Any], score: Score, name: str) -> None:
    expected: list[str] = label["sections"]
    read: list[str] = []
    for section in pm.sections:
        if section.kinds and (not read or read[-1] != _kinds(section.kinds)):
            read.append(_kinds(section.kinds))  # a sub-part read as its own section: one
    matcher = difflib.SequenceMatcher(a=expected, b=read, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    score.sections_labelled += len(expected)
    score.sections_read += matched
    score.sections_spurious += len(read) - matched
    score.documents_three_sections += matched >= min(3, len(expected))
    if matched < len(expected) or len(read) > matched:
        score.misses.append(f"{name}: sections {read} (labelled {expected})")


def _first_clock(label: dict[str, Any]) -> Clock | None:
    for _, _, clock in label["entries"]:
        if clock:
            return Clock.parse(clock)
    return None


def _right_time(
    at: dt.datetime | None,
    elapsed: float | None,
    expected: Clock,
    date: dt.date | None,
    first: Clock | None,
) -> bool:
    if at is not None:
        if at.hour * 60 + at.minute != expected.minutes:
            return False
        return date is None or at.date() == date + dt.timedelta(days=expected.days)
    if elapsed is not None and first is not None:
        return int(elapsed) == (expected.total - first.total) * 60
    return False


def _elapsed(event: TimelineEvent) -> float | None:
    value = getattr(event, "elapsed_s", None)
    return float(value) if value is not None else None


def _score_entries(
    pm: Postmortem,
    label: dict[str, Any],
    date: dt.date | None,
    first: Clock | None,
    score: Score,
    name: str,
) -> None:
    unused = list(pm.timeline)
    for snippet, written, clock in label["entries"]:
        score.entries_labelled += 1
        score.timed_labelled += bool(clock)
        event = next((e for e in unused if snippet.casefold() in _words(e).casefold()), None)
        if event is None:
            score.misses.append(f"{name}: no entry with '{snippet}'")
            continue
        unused.remove(event)
        score.entries_found += 1
        if not clock:
            continue
        if _right_time(event.at, _elapsed(event), Clock.parse(clock), date, first):
            score.timed_right += 1
        else:
            shown = event.at.isoformat() if event.at else f"elapsed {_elapsed(event)}"
            score.misses.append(f"{name}: '{written}' read as {shown} (labelled {clock})")


def _words(event: TimelineEvent) -> str:
    return f"{event.time_as_written or ''} {event.text}"


def _score_lifecycle(
    pm: Postmortem,
    label: dict[str, Any],
    date: dt.date | None,
    first: Clock | None,
    score: Score,
    name: str,
) -> None:
    for key, clock in label.get("lifecycle", {}).items():
        score.phases_labelled += 1
        expected = Clock.parse(clock)
        at = getattr(pm.lifecycle, key)
        elapsed = None
        if at is None:
            # No date: the phase's place on the document's clock.
            elapsed = getattr(pm.lifecycle, "elapsed_s", {}).get(PHASE_BY_FIELD[key])
        if _right_time(at, elapsed, expected, date, first):
            score.phases_right += 1
        else:
            shown = at.isoformat() if at else f"elapsed {elapsed}"
            score.misses.append(f"{name}: {key} read as {shown} (labelled {clock})")


def evaluate(style: str | None = None, folder: Path = READING) -> dict[str, Score]:
    by_style: dict[str, Score] = defaultdict(Score)
    for path, label in labelled_documents(folder):
        name = label.get("style", "unstyled")
        if style and name != style:
            continue
        by_style[name].add(score_document(path, label))
    return dict(sorted(by_style.items()))


def _row(name: str, s: Score) -> str:
    return (
        f"{name:15} {s.documents:5} {s.sections_read:5}/{s.sections_labelled:<4} "
        f"{100 * s.sections_share:4.0f}% {s.sections_spurious:6} "
        f"{s.documents_three_sections:4}/{s.documents:<3} "
        f"{s.entries_found:4}/{s.entries_labelled:<4} "
        f"{s.timed_right:4}/{s.timed_labelled:<4} {100 * s.timed_share:4.0f}% "
        f"{s.phases_right:4}/{s.phases_labelled:<4} {100 * s.phases_share:4.0f}% "
        f"{s.with_duration:4}/{s.clocked:<3}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--verbose", action="store_true", help="list every difference")
    parser.add_argument("--style", help="only documents of this style")
    parser.add_argument(
        "--dir", type=Path, default=READING, help="folder of labelled documents to score"
    )
    args = parser.parse_args()
    if not any(args.dir.glob("*.expected.json")):
        print(f"{args.dir}: no labelled documents (NAME.md with NAME.expected.json)")
        return 2
    by_style = evaluate(args.style, args.dir)
    header = (
        f"{'style':15} {'docs':>5} {'sections read':>16} {'extra':>6} {'>=3 sec':>8} "
        f"{'entries':>9} {'timed right':>15} {'phases right':>15} {'TTM|TTR':>8}"
    )
    print(header)
    print("-" * len(header))
    total = Score()
    for style, score in by_style.items():
        total.add(score)
        print(_row(style, score))
    print("-" * len(header))
    print(_row("total", total))
    print()
    print(f"sections read as labelled: {100 * total.sections_share:.1f}% (target 95%)")
    print(f"timed entries read as labelled: {100 * total.timed_share:.1f}% (target 95%)")
    print(f"lifecycle phases right: {100 * total.phases_share:.1f}%")
    share = _share(total.documents_three_sections, total.documents)
    print(f"documents with >= 3 sections read: {100 * share:.1f}%")
    print(
        f"documents with 3+ timed entries that get a TTM or TTR: "
        f"{total.with_duration}/{total.clocked} ({100 * _share(total.with_duration, total.clocked):.0f}%)"
    )
    if args.verbose:
        print()
        for miss in total.misses:
            print("  " + miss)
    return 0


if __name__ == "__main__":
    sys.exit(main())
