"""Run `pm` many times under resource limits without paying for Python's start each time.

A server process imports the command once, then forks one child per run: the child sets
its CPU-time and address-space limits, points its standard streams at files, and calls
the same ``main()`` the installed ``pm`` calls. The parent reports how each run ended, its
time and its peak memory.

Runs are judged on CPU time, not on the wall clock, so that a machine busy with other work
does not fail them: the kernel stops a child after ``CPU_SECONDS`` of CPU (RLIMIT_CPU), and
the parent calls a run hung only when it has used no CPU at all for ``IDLE_SECONDS`` (it
is blocked: on a pipe, a lock, a read that never ends). ``WALL_SECONDS`` is a last resort
far above anything a run needs even on a loaded machine.

Protocol: one JSON request per line on stdin, one JSON result per line on stdout.
Run it as ``python forkserver.py``; :class:`ForkServer` does that for you.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

CPU_SECONDS = 20
IDLE_SECONDS = 15.0  # no CPU used for this long: blocked, not slow
WALL_SECONDS = 600.0
ADDRESS_SPACE = 1 << 30  # 1 GiB
_TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


@dataclass
class Outcome:
    """How one run ended."""

    argv: list[str]
    exit_code: int | None  # None when killed by a signal
    signal: int | None
    timed_out: bool  # blocked (no CPU for IDLE_SECONDS) or past the last-resort wall limit
    wall_seconds: float
    cpu_seconds: float
    max_rss_mb: float
    stdout: str
    stderr: str

    @property
    def traceback(self) -> bool:
        return "Traceback (most recent call last)" in self.stderr

    @property
    def limit_exceeded(self) -> bool:
        return (
            self.timed_out
            or self.signal is not None
            or "MemoryError" in self.stderr
            or "RecursionError" in self.stderr
        )

    @property
    def internal_error(self) -> bool:
        return self.exit_code == 3 or "internal error" in self.stderr

    def problems(self) -> list[str]:
        """What a hostile input must never cause; empty when the run held."""
        found = []
        if self.timed_out:
            found.append(
                f"hang: killed after {self.wall_seconds:.0f} s, "
                f"{self.cpu_seconds:.1f} s of CPU (no CPU used for {IDLE_SECONDS:.0f} s)"
            )
        elif self.signal is not None:
            found.append(f"killed by signal {self.signal} (CPU or memory limit)")
        if self.traceback:
            found.append("traceback on stderr")
        if "MemoryError" in self.stderr:
            found.append("ran out of its 1 GiB")
        if self.internal_error:
            found.append(f"internal error: {self.stderr.strip()[-300:]}")
        return found


def _child(request: dict[str, Any], out_path: str, err_path: str) -> None:
    """In the forked child: limits, streams, then `pm` itself. Never returns."""
    code = 1
    try:
        resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS + 1))
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
        os.chdir(request["cwd"])
        stdin = os.open(request.get("stdin") or os.devnull, os.O_RDONLY)
        os.dup2(stdin, 0)
        os.dup2(os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC), 1)
        os.dup2(os.open(err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC), 2)
        sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115 -- lives as long as the child
        sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
        sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
        sys.argv = ["pm", *request["argv"]]
        from postmortems.cli.app import main

        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:  # anything escaping main() is what the suite looks for
        import traceback

        traceback.print_exc()
        code = 99
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):  # a closed pipe must not hide the exit code
                stream.flush()
        os._exit(code)


def cpu_ticks(pid: int) -> int | None:
    """User plus system CPU time a live process has used so far, in clock ticks."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()
    return int(fields[11]) + int(fields[12])  # utime, stime: fields 14 and 15 of stat(5)


def run_one(request: dict[str, Any], scratch: Path) -> Outcome:
    out_path, err_path = str(scratch / "stdout"), str(scratch / "stderr")
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        _child(request, out_path, err_path)
    timeout = float(request.get("timeout", WALL_SECONDS))
    idle_limit = float(request.get("idle", IDLE_SECONDS))
    timed_out = False
    last_ticks, last_progress = -1, started
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            break
        now = time.monotonic()
        ticks = cpu_ticks(pid)
        if ticks is not None and ticks != last_ticks:
            last_ticks, last_progress = ticks, now
        if now - last_progress > idle_limit or now - started > timeout:
            os.kill(pid, signal.SIGKILL)
            _, status, usage = os.wait4(pid, 0)
            timed_out = True
            break
        time.sleep(0.005 if now - started < 1 else 0.05)
    wall = time.monotonic() - started
    read = Path(out_path).read_bytes().decode("utf-8", "replace")
    errors = Path(err_path).read_bytes().decode("utf-8", "replace")
    return Outcome(
        argv=request["argv"],
        exit_code=os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else None,
        signal=os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
        timed_out=timed_out,
        wall_seconds=round(wall, 3),
        cpu_seconds=round(usage.ru_utime + usage.ru_stime, 3),
        max_rss_mb=round(usage.ru_maxrss / 1024, 1),
        stdout=read[-200_000:],
        stderr=errors[-20_000:],
    )


def serve() -> None:
    # Imported once here, shared by every fork.
    import postmortems.cli.app
    import postmortems.cli.typer_app  # noqa: F401

    scratch = Path(os.environ.get("TMPDIR", "/tmp")) / f"pm-forkserver-{os.getpid()}"
    scratch.mkdir(exist_ok=True)
    try:
        for line in sys.stdin:
            outcome = run_one(json.loads(line), scratch)
            sys.stdout.write(json.dumps(asdict(outcome)) + "\n")
            sys.stdout.flush()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


class ForkServer:
    """The server as a child of this process: ``run(argv, cwd)`` returns an :class:`Outcome`."""

    def __init__(self) -> None:
        self._process = subprocess.Popen(
            [sys.executable, __file__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def run(
        self,
        argv: list[str],
        cwd: Path,
        stdin: Path | None = None,
        timeout: float = WALL_SECONDS,
        idle: float = IDLE_SECONDS,
    ) -> Outcome:
        assert self._process.stdin is not None and self._process.stdout is not None
        request = {
            "argv": argv,
            "cwd": str(cwd),
            "stdin": str(stdin) if stdin else None,
            "timeout": timeout,
            "idle": idle,
        }
        self._process.stdin.write(json.dumps(request) + "\n")
        self._process.stdin.flush()
        return Outcome(**json.loads(self._process.stdout.readline()))

    def close(self) -> None:
        for pipe in (self._process.stdin, self._process.stdout):
            if pipe is not None:
                pipe.close()
        self._process.wait(timeout=30)


if __name__ == "__main__":
    serve()
