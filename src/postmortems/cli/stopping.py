"""Stopping on a signal: Ctrl-C, `kill` and a closed terminal end a command the same way.

The signal becomes an exception in the main process, so the writers remove their
temporary files on the way out (they clean up on any ``BaseException``), `pm` says in one
line why it stopped, and exits as a shell expects of a program a signal ended: 128 plus
the signal's number (130 for Ctrl-C, 143 for `kill`). Without this, `kill` ended `pm`
at once, leaving temporary files beside the output, and Typer turned Ctrl-C into a
silent exit 130.
"""

from __future__ import annotations

import os
import signal
from types import FrameType

# SIGHUP is missing on Windows.
_SIGNALS = [signal.SIGINT, signal.SIGTERM] + ([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])


class Stopped(BaseException):
    """A signal asked `pm` to stop (a ``BaseException``: no ``except Exception`` swallows it)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum

    @property
    def reason(self) -> str:
        return "interrupted" if self.signum == signal.SIGINT else "terminated"


def stop_on_signals() -> None:
    """Turn the stopping signals into :class:`Stopped` in this process (the main thread).

    Worker processes forked later inherit the handler; in them it does what the signal
    would have done without it, so a pool that ends its workers does not make each one
    print a traceback."""
    owner = os.getpid()

    def _stop(signum: int, frame: FrameType | None) -> None:
        if os.getpid() != owner:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        raise Stopped(signum)

    for number in _SIGNALS:
        if signal.getsignal(number) is signal.SIG_IGN:
            continue  # `nohup pm ...` asked not to be stopped by this one
        signal.signal(number, _stop)
