"""`pm lint DIR` and `pm fmt --check DIR` on 1,000 documents, against one process.

The documents are copies of the repository's own test documents and example (our
writing), spread over folders. Each command runs several times, interleaved with its
one-process form (``--jobs 1``) and ``python -c pass``, and the medians are printed with
their ratios. Fails (exit 1) when ``pm lint DIR`` takes 2 s or more.

    python bench/lint_bench.py
    python bench/lint_bench.py --documents 300 --runs 5
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SOURCES = [
    *sorted((REPO / "tests" / "fixtures" / "documents").glob("*.md")),
    *sorted((REPO / "tests" / "fixtures" / "lint").glob("*.md")),
    REPO / "examples" / "checkout-outage.md",
]
TARGET_SECONDS = 2.0


def make_documents(root: Path, count: int) -> None:
    for index in range(count):
        source = SOURCES[index % len(SOURCES)]
        target = root / f"team-{index % 10}" / f"{index:04d}-{source.name}"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)


def pm(*args: str) -> list[str]:
    code = "import sys; from postmortems.cli.app import main; sys.argv[0] = 'pm'; main()"
    return [sys.executable, "-c", code, *args]


def wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, capture_output=True, check=False)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="pm-lint-bench-"))
    try:
        make_documents(root, args.documents)
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "pm lint DIR": pm("lint", str(root)),
            "pm lint DIR --jobs 1": pm("lint", str(root), "--jobs", "1"),
            "pm fmt --check DIR": pm("fmt", "--check", str(root)),
            "pm fmt --check DIR --jobs 1": pm("fmt", "--check", str(root), "--jobs", "1"),
        }
        subprocess.run(commands["pm lint DIR"], capture_output=True, check=False)  # warm up
        timings: dict[str, list[float]] = {label: [] for label in commands}
        for _ in range(args.runs):
            for label, command in commands.items():
                timings[label].append(wall(command))
    finally:
        shutil.rmtree(root, ignore_errors=True)

    medians = {label: statistics.median(values) for label, values in timings.items()}
    print(f"{args.documents:,} documents; medians of {args.runs} interleaved runs")
    for label, seconds in medians.items():
        rate = f"{args.documents / seconds:7.0f} docs/s" if label.startswith("pm") else ""
        print(f"{label:28s} {seconds:6.2f} s {rate}")
    lint_s, fmt_s = medians["pm lint DIR"], medians["pm fmt --check DIR"]
    print(
        f"all cores vs one process: lint {medians['pm lint DIR --jobs 1'] / lint_s:.2f}x faster, "
        f"fmt --check {medians['pm fmt --check DIR --jobs 1'] / fmt_s:.2f}x faster"
    )
    ok = lint_s < TARGET_SECONDS * args.documents / 1000
    print(
        f"target pm lint DIR < {TARGET_SECONDS:.0f} s per 1,000 documents: {'met' if ok else 'MISSED'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
