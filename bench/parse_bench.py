"""How fast documents parse and render.

Targets: parse + render a postmortem with 1,000 timeline entries in under 50 ms; parse
at least 2,000 typical documents per second on one core. The baseline, measured in the
same run, is markdown-it alone on the same text (with inline parsing, as a renderer runs
it): the floor any Markdown-based parser pays. Times are CPU time of this process
(``time.process_time``), so that other programs busy on the machine weigh less on them.

    python bench/parse_bench.py
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from markdown_it import MarkdownIt

from postmortems.markdown.parse import parse_text
from postmortems.markdown.render import render_markdown

REPO = Path(__file__).resolve().parents[1]


def big_document(entries: int) -> str:
    lines = [
        "# Load test incident",
        "",
        "## Summary",
        "",
        "On 2 March 2025 the API was slow.",
        "",
        "## Timeline",
        "",
    ]
    lines.append("All times in UTC.")
    lines.append("")
    for index in range(entries):
        hour, minute = divmod(index, 60)
        lines.append(
            f"- **{hour % 24:02d}:{minute:02d}**: step {index} of the response, with a few words of detail"
        )
    lines += ["", "## Action Items", "", "- [ ] Add capacity alerts (owner: @ops, due: 2025-04-01)"]
    return "\n".join(lines) + "\n"


def best_of(function: Callable[[], object], repeat: int = 7) -> float:
    timings = []
    for _ in range(repeat):
        start = time.process_time()
        function()
        timings.append(time.process_time() - start)
    return min(timings)


def main() -> int:
    markdown = MarkdownIt("commonmark").enable("table")
    big = big_document(1000)
    big_time = best_of(lambda: render_markdown(parse_text(big)))
    big_floor = best_of(lambda: markdown.parse(big))
    print(
        f"1,000-entry document: parse + render {big_time * 1000:.1f} ms (target < 50 ms); "
        f"markdown-it alone {big_floor * 1000:.1f} ms, ratio {big_time / big_floor:.1f}x"
    )

    typical = [
        p.read_text() for p in sorted((REPO / "tests" / "fixtures" / "documents").glob("*.md"))
    ]
    typical.append((REPO / "examples" / "checkout-outage.md").read_text())
    rounds = 100
    docs = typical * rounds
    start = time.process_time()
    for text in docs:
        parse_text(text)
    elapsed = time.process_time() - start
    floor_start = time.process_time()
    for text in docs:
        markdown.parse(text)
    floor = time.process_time() - floor_start
    rate = len(docs) / elapsed
    print(
        f"typical documents: {rate:.0f} parsed/s on one core (target ≥ 2,000); "
        f"markdown-it alone {len(docs) / floor:.0f}/s, ratio {elapsed / floor:.1f}x; "
        f"median size {statistics.median(len(t) for t in typical)} chars"
    )
    ok = big_time < 0.05 and rate >= 2000
    print("targets met" if ok else "TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
