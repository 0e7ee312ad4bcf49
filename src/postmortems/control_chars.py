"""Control characters made visible, so text from logs or documents cannot drive a terminal.

An ESC byte in a log line, printed raw, lets whoever wrote the log move the cursor, retitle
the window or hide what follows. Every place that shows or writes text taken from input
passes it through here: C0 controls other than tab and newline become their Unicode
"control pictures" (ESC shows as ␛), DEL shows as ␡, and C1 controls — which some
terminals obey like ESC sequences and which mostly come from mis-decoded Windows-1252
bytes — become U+FFFD.
"""

from __future__ import annotations

import re

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_PICTURE = {code: chr(0x2400 + code) for code in range(0x20)}
_PICTURE[0x7F] = "\u2421"


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return _PICTURE.get(code, "\ufffd")


def escape_controls(text: str) -> str:
    """``text`` with every control character except tab and newline made visible."""
    if _CONTROL.search(text) is None:  # the common case: no copy
        return text
    return _CONTROL.sub(_visible, text)


def count_controls(text: str) -> int:
    """How many characters :func:`escape_controls` would change."""
    return len(_CONTROL.findall(text))
