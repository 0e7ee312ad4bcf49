"""Throughput and memory of the gather pipeline on big syslog files it generates itself.

Two generators: ``simple`` (a few repeated shapes, 8 hosts) and ``realistic``
(``_realistic_syslog``: 50 templates, 45 hosts, a third of the lines with UUIDs or hex ids,
an error burst, multi-line stack traces); and ``log4j`` (``_loggen``, for the generic reader).
For each, in one run and on the same file,
interleaved ``--runs`` times (medians are printed):
  (a) a bare Python loop that only counts the file's lines,
  (b) ``grep -c ''`` on it,
  (c) our pipeline as ``pm gather`` runs it (``evidence.gather.gather``): detect the format,
      read, collapse, find the incident window, redact;
and prints MB/s for each, (c) as a ratio of (a) and (b), and the peak resident memory of
(c) at two file sizes (measured in a child process), to show it does not grow with size.
Targets: (c) at least 0.25x (a), and never below 0.10x; all processes together under
150 MB. Exit status 1 when the 0.10x floor or the memory bound is missed.

    python bench/gather_bench.py                          # 1 GB of each of the three, 3 runs
    python bench/gather_bench.py --size 300M --generator realistic
    python bench/gather_bench.py --generator log4j        # a log4j-style file: the generic reader
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import _loggen
import _realistic_syslog

MB = 1_000_000


def parse_size(text: str) -> int:
    units = {"K": 1_000, "M": MB, "G": 1_000 * MB}
    text = text.strip().upper().removesuffix("B")
    if text and text[-1] in units:
        return int(float(text[:-1]) * units[text[-1]])
    return int(text)


# ---------------------------------------------------------------------------- data


_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_HOSTS = [f"web-{n:02d}" for n in range(1, 7)] + ["db-01", "lb-01"]
_WORDS = [
    "cache",
    "shard",
    "replica",
    "leader",
    "lease",
    "token",
    "queue",
    "worker",
    "batch",
    "index",
    "snapshot",
    "volume",
    "mount",
    "route",
    "peer",
    "session",
    "cursor",
    "ledger",
    "invoice",
    "cart",
    "basket",
    "coupon",
    "tenant",
    "region",
]


def _ip(rng: random.Random) -> str:
    return f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"


def _message(rng: random.Random) -> str:
    """One syslog body: mostly repeated shapes with varying numbers, some errors, a few unique."""
    roll = rng.random()
    if roll < 0.28:
        rid = rng.randrange(10**6)
        return (
            f"nginx[812]: 2024/03/01 00:00:00 [error] 812#812: *{rid} upstream timed out "
            f"(110: Connection timed out) while reading response header from upstream, "
            f'client: {_ip(rng)}, server: shop.example.com, request: "GET /api/cart/{rid % 9000} '
            f'HTTP/1.1", upstream: "http://10.0.0.5:8080/api/cart/{rid % 9000}"'
        )
    if roll < 0.46:
        return (
            f"sshd[{rng.randrange(1000, 65000)}]: Failed password for invalid user admin "
            f"from {_ip(rng)} port {rng.randrange(1024, 65535)} ssh2"
        )
    if roll < 0.58:
        return f"CRON[{rng.randrange(1000, 65000)}]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)"
    if roll < 0.76:
        return (
            f"checkout[{rng.randrange(2000, 2100)}]: handled request id={rng.getrandbits(64):016x} "
            f"path=/api/checkout status=200 duration={rng.randrange(3, 900)}ms"
        )
    if roll < 0.84:
        return f"systemd[1]: Started Session {rng.randrange(10**5)} of User deploy."
    if roll < 0.90:
        return f"postgres[{rng.randrange(900, 999)}]: LOG:  duration: {rng.uniform(1, 5000):.3f} ms  statement: SELECT 1"
    if roll < 0.96:
        return (
            f"checkout[{rng.randrange(2000, 2100)}]: payment gateway error: connection reset by peer "
            f"(attempt {rng.randrange(1, 6)}/5)"
        )
    if roll < 0.998:
        return (
            f"kernel: [{rng.uniform(1, 99999):.6f}] TCP: out of memory -- consider tuning tcp_mem"
        )
    words = " ".join(rng.choice(_WORDS) for _ in range(8))
    return f"ops-agent[77]: note {rng.getrandbits(32):x} {words}"


def generate(path: Path, size: int, seed: int = 7) -> None:
    """A syslog file of about ``size`` bytes, ~120 lines per second from 1 March 00:00."""
    rng = random.Random(seed)

    def lines_of_second(second: int) -> list[str]:
        prefix = _loggen.syslog_prefix(second)
        return [
            f"{prefix}{rng.choice(_HOSTS)} {_message(rng)}\n" for _ in range(rng.randrange(60, 180))
        ]

    _loggen.write_by_second(path, size, lines_of_second)


# ---------------------------------------------------------------------------- measures


def bare_loop(path: Path) -> float:
    start = time.perf_counter()
    count = 0
    with path.open("rb") as stream:
        for _ in stream:
            count += 1
    return time.perf_counter() - start


def grep_count(path: Path) -> float:
    start = time.perf_counter()
    subprocess.run(["grep", "-c", "", str(path)], check=True, capture_output=True)
    return time.perf_counter() - start


def pipeline_in_child(path: Path, mode: str = "fast") -> dict[str, Any]:
    """Run (c) in a fresh interpreter so its peak memory is its own."""
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(path), "--mode", mode],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _peak_rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def child(path: str, mode: str) -> None:
    import resource

    from postmortems.evidence.collapse import Collapser
    from postmortems.evidence.detect import detect
    from postmortems.evidence.gather import GatherOptions, gather
    from postmortems.evidence.sources.base import ReadOptions, ReadStats

    start = time.perf_counter()
    source = detect(path)
    assert source is not None, "format not detected"
    stats = ReadStats(path, source.name)
    if mode == "fast":  # exactly what `pm gather` runs: detect, read, collapse, window, redact
        result = gather([path], GatherOptions())
        events = result.events
        stats = result.stats[0]
    else:  # the event stream, each event added to the collapser
        collapser = Collapser()
        collapser.add_all(source.read(path, ReadOptions(), stats))
        events = collapser.result()
    elapsed = time.perf_counter() - start
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    from postmortems.evidence.sources import _parallel

    workers = _parallel._workers() if children else 0
    print(
        json.dumps(
            {
                "seconds": elapsed,
                "source": source.name,
                "events": len(events),
                "lines": stats.lines_read,
                "unparsed": stats.lines_unparsed,
                "peak_rss_mb": _peak_rss_mb(),
                "workers_peak_rss_mb": children,
                "workers": workers,
            }
        )
    )


GENERATORS: dict[str, Callable[[Path, int], None]] = {
    "simple": generate,
    "realistic": _realistic_syslog.generate,
    "log4j": _loggen.generate_log4j,
}
GOAL_RATIO, FLOOR_RATIO, MEMORY_MB = 0.25, 0.10, 150


def bench_one(
    name: str, workdir: Path, size: int, runs: int, events_too: bool
) -> tuple[float, float, float]:
    """Prints the figures of one generator; returns (MB/s, ratio to the bare loop, peak MB)."""
    big, small = workdir / f"{name}-big.log", workdir / f"{name}-small.log"
    for target, target_size in ((big, size), (small, size // 4)):
        if not target.exists() or abs(target.stat().st_size - target_size) > target_size // 10:
            print(f"generating {target} ({target_size / MB:.0f} MB) ...", flush=True)
            GENERATORS[name](target, target_size)
    megabytes, small_mb = big.stat().st_size / MB, small.stat().st_size / MB
    loops, greps, pipelines = [], [], []
    for _ in range(runs):  # interleaved, so a busy machine slows all three alike
        loops.append(bare_loop(big))
        greps.append(grep_count(big))
        pipelines.append(pipeline_in_child(big))
    ours = min(pipelines, key=lambda run: run["seconds"])
    ours_small = pipeline_in_child(small)
    loop_rate = megabytes / statistics.median(loops)
    grep_rate = megabytes / statistics.median(greps)
    our_rate = megabytes / statistics.median(run["seconds"] for run in pipelines)
    ratio = our_rate / loop_rate
    print(
        f"== {name}: {megabytes:,.0f} MB, {ours['lines']:,} lines, {os.cpu_count()} CPUs, medians of {runs} runs"
    )
    print(f"(a) bare Python line loop : {loop_rate:8.1f} MB/s")
    print(f"(b) grep -c ''            : {grep_rate:8.1f} MB/s")
    print(
        f"(c) pm gather pipeline    : {our_rate:8.1f} MB/s  ({ours['source']}) -> "
        f"{ours['events']:,} timeline events, {ours['unparsed']:,} lines not understood"
    )
    print(f"    ratio to (a): {ratio:.3f}   ratio to (b): {our_rate / grep_rate:.3f}")
    if events_too:
        stream = pipeline_in_child(big, "events")
        stream_rate = megabytes / stream["seconds"]
        print(
            f"(c') same via an Event per line + Collapser.add_all: {stream_rate:.1f} MB/s "
            f"(ratio to (a): {stream_rate / loop_rate:.3f}) -> {stream['events']:,} events"
        )
    for label, run, mb in (("small", ours_small, small_mb), ("big", ours, megabytes)):
        print(
            f"peak RSS ({label}, {mb:,.0f} MB file): {run['peak_rss_mb']:.0f} MB"
            f" (+ worker processes, each at most {run['workers_peak_rss_mb']:.0f} MB)"
        )
    workers = ours["workers"]
    peak = ours["peak_rss_mb"] + ours["workers_peak_rss_mb"] * workers
    goal = "met" if ratio >= GOAL_RATIO else "missed"
    floor = "met" if ratio >= FLOOR_RATIO else "MISSED"
    memory = "met" if peak <= MEMORY_MB else "MISSED"
    print(
        f"ratio >= {GOAL_RATIO}: {goal}; >= {FLOOR_RATIO}: {floor}; "
        f"all {1 + workers} processes together {peak:.0f} MB <= {MEMORY_MB} MB: {memory}"
    )
    return our_rate, ratio, peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="1G", help="file size, e.g. 200M or 1G (default 1G)")
    parser.add_argument(
        "--generator",
        choices=[*GENERATORS, "both", "all"],
        default="all",
        help="what to generate (default all: simple and realistic syslog, log4j; both: the two syslogs)",
    )
    parser.add_argument("--runs", type=int, default=3, help="interleaved runs (default 3)")
    parser.add_argument("--events", action="store_true", help="also time the Event-per-line path")
    parser.add_argument("--dir", default=None, help="where to write the data (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    parser.add_argument(
        "--layout", choices=("syslog", "log4j"), help="log4j: the same as --generator log4j"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--mode", default="fast", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.mode)
        return 0

    size = parse_size(args.size)
    workdir = Path(args.dir or tempfile.mkdtemp(prefix="gather-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    names = {"both": ["simple", "realistic"], "all": list(GENERATORS)}.get(
        args.generator, [args.generator]
    )
    if args.layout == "log4j":
        names = ["log4j"]
    ok = True
    summary = []
    try:
        for name in names:
            rate, ratio, peak = bench_one(name, workdir, size, args.runs, args.events)
            summary.append((name, rate, ratio, peak))
            ok &= ratio >= FLOOR_RATIO and peak <= MEMORY_MB
        print(f"== summary ({size / MB:,.0f} MB files, medians of {args.runs} runs)")
        for name, rate, ratio, peak in summary:
            print(
                f"{name:10s} {rate:8.1f} MB/s  ratio to the bare loop {ratio:.3f}  "
                f"peak memory {peak:.0f} MB"
            )
    finally:
        if not args.keep and not args.dir:
            for leftover in workdir.glob("*.log"):
                leftover.unlink()
            os.rmdir(workdir)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
