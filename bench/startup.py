"""How long the commands people run by hand take to start, against ``python -c pass``.

For each command, in one run and interleaved (so a busy machine slows all of them alike):
the median wall time of several runs with its spread, its ratio to ``python -c pass``
measured alongside, the median CPU time (user + system) of the process, and the total
import time reported by ``python -X importtime`` with the heaviest top-level packages.
Fails (exit 1) when a median wall time is above its target; ``--judge cpu`` judges the
CPU time instead, for a machine whose other work makes every process wait its turn.

The commands run as an installed ``pm`` does: from compiled bytecode. The first run of
each writes it (even when PYTHONDONTWRITEBYTECODE is set in this shell, which would make
every run compile our sources again, a cost no installed copy pays).

    python bench/startup.py               # 7 runs of each
    python bench/startup.py --runs 15
    python bench/startup.py --judge cpu
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "checkout-outage.md"

# (label, arguments after `pm`, target in seconds)
COMMANDS: list[tuple[str, list[str], float]] = [
    ("pm --help", ["--help"], 0.15),
    ("pm lint one.md", ["lint", "{doc}"], 0.30),
    ("pm note", ["note", "Paged the database on-call", "-f", "{notes}"], 0.20),
]
_IMPORT_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def _pm_command(arguments: list[str], paths: dict[str, str]) -> list[str]:
    """``pm ARGS`` run the way the installed script runs it (same interpreter)."""
    filled = [argument.format(**paths) for argument in arguments]
    code = "import sys; from postmortems.cli.app import main; sys.argv[0] = 'pm'; main()"
    return [sys.executable, "-c", code, *filled]


def _timed(command: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, capture_output=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def import_profile(command: list[str]) -> tuple[float, list[tuple[str, float]]]:
    """Total import seconds under ``-X importtime`` and the heaviest top-level packages."""
    done = subprocess.run(
        [command[0], "-X", "importtime", *command[1:]], capture_output=True, text=True, check=False
    )
    total_us = 0
    by_package: dict[str, int] = defaultdict(int)
    for line in done.stderr.splitlines():
        match = _IMPORT_LINE.match(line)
        if match is None:
            continue
        self_us, _cumulative, _indent, module = match.groups()
        total_us += int(self_us)
        by_package[module.split(".")[0]] += int(self_us)
    heaviest = sorted(by_package.items(), key=lambda item: -item[1])[:4]
    return total_us / 1e6, [(name, us / 1e6) for name, us in heaviest]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="runs of each command (default 7)")
    parser.add_argument(
        "--judge", choices=["wall", "cpu"], default="wall", help="which median meets the targets"
    )
    args = parser.parse_args()
    writing_bytecode = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

    workdir = Path(tempfile.mkdtemp(prefix="pm-startup-"))
    try:
        doc = workdir / "one.md"
        shutil.copyfile(EXAMPLE, doc)
        notes = workdir / "notes.md"
        shutil.copyfile(EXAMPLE, notes)
        paths = {"doc": str(doc), "notes": str(notes)}
        baseline = [sys.executable, "-c", "pass"]
        commands = {label: _pm_command(argv, paths) for label, argv, _ in COMMANDS}
        for command in commands.values():  # warm the file cache and write the .pyc files
            subprocess.run(command, capture_output=True, check=False, env=writing_bytecode)
        timings: dict[str, list[float]] = defaultdict(list)
        cpu: dict[str, list[float]] = defaultdict(list)
        for _ in range(args.runs):
            for label, command in [("python -c pass", baseline), *commands.items()]:
                wall, used = _timed(command)
                timings[label].append(wall)
                cpu[label].append(used)
        profiles = {label: import_profile(command) for label, command in commands.items()}
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    floor = statistics.median(timings["python -c pass"])
    floor_cpu = statistics.median(cpu["python -c pass"])
    print(
        f"medians of {args.runs} interleaved runs; python -c pass: {floor * 1000:.0f} ms wall,"
        f" {floor_cpu * 1000:.0f} ms CPU; load average {os.getloadavg()[0]:.1f}"
        f" on {os.cpu_count()} CPUs; judged on {args.judge} time"
    )
    ok = True
    for label, _argv, target in COMMANDS:
        median = statistics.median(timings[label])
        median_cpu = statistics.median(cpu[label])
        judged = median if args.judge == "wall" else median_cpu
        total, heaviest = profiles[label]
        verdict = "ok" if judged < target else "ABOVE TARGET"
        ok &= judged < target
        top = ", ".join(f"{name} {seconds * 1000:.0f}" for name, seconds in heaviest)
        low, high = min(timings[label]), max(timings[label])
        print(
            f"{label:16s} {median * 1000:6.0f} ms wall ({low * 1000:.0f}-{high * 1000:.0f},"
            f" {median / floor:4.1f}x python -c pass), {median_cpu * 1000:5.0f} ms CPU"
            f"  target < {target * 1000:.0f} ms: {verdict}"
        )
        print(f"{'':16s} imports {total * 1000:5.0f} ms (-X importtime); heaviest ms: {top}")
    print("targets met" if ok else "TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
