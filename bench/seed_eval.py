"""Parse the seed document's example and check what the parser makes of it.

Expected: date 2024-08-01, timezone UTC, six timeline events with full datetimes from
2024-08-01 09:50 to 11:30 UTC in order, all eight sections non-empty, three open action
items. Prints each check and exits 1 if any fails.

    python bench/seed_eval.py
"""

from __future__ import annotations

import datetime as dt
import sys

from _paths import require, shared_dir
from postmortems import metrics
from postmortems.markdown.parse import parse_text
from postmortems.model import SEED_SECTIONS


def main() -> int:
    seed = require(shared_dir() / "seed" / "postmortem-project.md").read_text()
    example = seed.split("## Example", 1)[1].split("## Resources", 1)[0]
    pm = parse_text(example, "seed example")
    events = pm.timeline
    times = [e.at for e in events]
    checks = [
        ("date is 2024-08-01", pm.date == dt.date(2024, 8, 1)),
        ("timezone is UTC", pm.timezone == "UTC"),
        ("six timeline events", len(events) == 6),
        ("all events have full timezone-aware datetimes", all(t and t.tzinfo for t in times)),
        (
            "events run 09:50 to 11:30 UTC in order",
            times[:1] == [dt.datetime(2024, 8, 1, 9, 50, tzinfo=dt.UTC)]
            and times[-1:] == [dt.datetime(2024, 8, 1, 11, 30, tzinfo=dt.UTC)]
            and times == sorted(t for t in times if t),
        ),
        (
            "all eight sections present and non-empty",
            all(
                pm.text_of(k) or (pm.sections_of(k) and pm.sections_of(k)[0].body)
                for k in SEED_SECTIONS
            ),
        ),
        (
            "three open action items",
            len(pm.action_items) == 3 and not any(a.done for a in pm.action_items),
        ),
    ]
    for event in events:
        phase = (
            f" [{event.phase.value}{'?' if event.phase_inferred else ''}]" if event.phase else ""
        )
        print(f"  {event.at:%Y-%m-%d %H:%M %Z}{phase}  {event.text}")
    print(
        "  lifecycle: "
        + ", ".join(f"{m.code} {metrics.format_duration(m.value)}" for m in metrics.all_metrics(pm))
    )
    failed = 0
    for name, ok in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {name}")
        failed += not ok
    print(f"{len(checks) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
