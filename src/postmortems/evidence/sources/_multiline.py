"""Which lines continue the entry above them: stack traces and indented continuation lines.

Line-based sources ask here before counting a line as not understood, so that a Python
traceback or a Java stack trace becomes part of the log entry that produced it.
"""

from __future__ import annotations

import re

from postmortems.evidence.events import Event

_TRACE_OPENERS = re.compile(
    r"Traceback \(most recent call last\):|Exception in thread |"
    r"(?:[\w$.]+\.)?[\w$]+(?:Exception|Error)(?::|$)|panic: |goroutine \d+ \["
)
# Unindented lines that still belong to a trace: Java's "Caused by:", "... 12 more",
# Python's chained-exception banners and its closing "ValueError: message" line.
_TRACE_TAILS = re.compile(
    r"Caused by: |Suppressed: |\.\.\. \d+ (?:more|common frames omitted)|"
    r"During handling of the above exception|The above exception was the direct cause|"
    r"(?:[\w.]+\.)?\w*(?:Error|Exception|Exit|Interrupt|Warning)(?::|$)"
)
_PYTHON_LAST_LINE = re.compile(r"[A-Za-z_][\w.]*(?::\s|$)")
MAX_JOINED_CHARS = 16_000


def is_indented(text: str | bytes) -> bool:
    """A line starting with a space or tab: the usual mark of a continuation."""
    first = text[:1]
    return first in (" ", "\t", b" ", b"\t")


def continues(pending_text: str, line: str) -> bool:
    """Whether ``line`` (with no record header of its own) belongs to the entry ``pending_text``."""
    if not line.strip():
        return False
    if is_indented(line) or line.startswith("Traceback (most recent call last)"):
        return True
    if "\n" not in pending_text:
        return False
    if _TRACE_TAILS.match(line) is not None:
        return True
    # A Python traceback ends with "ExceptionName: message", whatever the name.
    return pending_text.startswith("Traceback") and _PYTHON_LAST_LINE.match(line) is not None


def joined(pending_text: str, line: str) -> str:
    """``pending_text`` with a continuation line appended, bounded so a runaway trace stays small."""
    if len(pending_text) >= MAX_JOINED_CHARS:
        return pending_text
    return f"{pending_text}\n{line.rstrip()}"


def join(pending: Event, line: str) -> None:
    """Append a continuation line to the event ``pending``."""
    pending.text = joined(pending.text, line)
    lines = pending.attrs.get("lines", 1)
    pending.attrs["lines"] = (lines if isinstance(lines, int) else 1) + 1
