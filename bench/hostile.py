"""Run every hostile case (tests/hostile/cases.py), slow ones included, and print a tally.

Each case runs in its own forked process under 20 s of CPU and 1 GiB of address space
(tests/hostile/forkserver.py). A case is judged on its CPU time, so a busy machine does not
fail it: it counts as a hang only when it uses no CPU at all for 15 s (blocked), and the
wall clock is only a last resort. Prints one line per case that failed or used more than a
second of CPU, the cases that used the most CPU, and the totals; exits 1 when any failed.

    python bench/hostile.py [--idle SECONDS] [--wall SECONDS] [NAME-SUBSTRING ...]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "hostile"))

from cases import Case, all_cases  # noqa: E402
from forkserver import IDLE_SECONDS, WALL_SECONDS, ForkServer, Outcome  # noqa: E402


def _materialise(case: Case, folder: Path) -> None:
    for name, content in case.files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content() if callable(content) else content)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--idle", type=float, default=IDLE_SECONDS, help="seconds without CPU that make a hang"
    )
    parser.add_argument("--wall", type=float, default=WALL_SECONDS, help="last-resort wall limit")
    parser.add_argument("only", nargs="*", help="run only cases whose name contains one of these")
    args = parser.parse_args()
    cases = [c for c in all_cases() if not args.only or any(o in c.name for o in args.only)]
    server = ForkServer()
    results: list[tuple[Case, Outcome]] = []
    started = time.monotonic()
    try:
        for case in cases:
            with tempfile.TemporaryDirectory(prefix="pm-hostile-") as folder:
                _materialise(case, Path(folder))
                stdin = Path(folder) / case.stdin if case.stdin else None
                outcome = server.run(
                    list(case.argv), Path(folder), stdin, timeout=args.wall, idle=args.idle
                )
            results.append((case, outcome))
            problems = outcome.problems()
            if problems or outcome.cpu_seconds > 1:
                mark = "FAIL" if problems else "slow"
                print(
                    f"{mark} {case.name:40} exit={outcome.exit_code} cpu={outcome.cpu_seconds:.2f}s "
                    f"wall={outcome.wall_seconds:.2f}s rss={outcome.max_rss_mb:.0f}MB "
                    + "; ".join(problems)[:300],
                    flush=True,
                )
    finally:
        server.close()
    failed = [(c, o) for c, o in results if o.problems()]
    tracebacks = sum(o.traceback for _, o in results)
    hangs = sum(o.timed_out for _, o in results)
    limits = sum(o.limit_exceeded for _, o in results)
    internal = sum(o.internal_error for _, o in results)
    slowest = sorted(results, key=lambda r: r[1].cpu_seconds, reverse=True)[:5]
    print()
    print(
        "slowest:",
        ", ".join(f"{c.name} {o.cpu_seconds:.1f}s/{o.max_rss_mb:.0f}MB" for c, o in slowest),
    )
    print(
        f"max RSS: {max(o.max_rss_mb for _, o in results):.0f} MB; max CPU: {max(o.cpu_seconds for _, o in results):.1f} s"
    )
    print(
        f"cases: {len(results)} ({sum(c.slow for c, _ in results)} slow) · held: {len(results) - len(failed)} · "
        f"tracebacks: {tracebacks} · hangs: {hangs} · limits exceeded: {limits} · "
        f"internal errors: {internal} · total {time.monotonic() - started:.0f} s"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
