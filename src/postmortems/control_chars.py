"""Control characters made visible, so text from logs or documents cannot drive a terminal.

An ESC byte in a log line, printed raw, lets whoever wrote the log move the cursor, retitle
the window or hide what follows. Every place that shows or writes text taken from input
passes it through here: C0 controls other than tab and newline become their Unicode
"control pictures" (ESC shows as ␛), DEL shows as ␡, and C1 controls — which some
terminals obey like ESC sequences and which mostly come from mis-decoded Windows-1252
bytes — become U+FFFD.

Bidirectional controls (the embeddings, overrides and isolates U+202A–U+202E and
U+2066–U+2069, and the marks U+200E, U+200F, U+061C) do not drive the terminal but reorder
what it shows: a right-to-left override makes ``deny`` read as ``ynde`` (the "Trojan Source"
trick). Where text is shown to a person they appear as ``<U+202E>``; in JSON they are
written as ``\\u202e`` escapes, which any JSON reader turns back into the same character.
"""

from __future__ import annotations

import re

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Every character of the Unicode bidirectional algorithm that is invisible by design.
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")
# Characters that valid JSON may carry raw but that a viewer of the JSON would not see as
# written: C1 controls, bidirectional controls, and the line and paragraph separators that
# some JavaScript and editors treat as line ends.
_JSON_HIDDEN = re.compile(f"[\x7f-\x9f\u2028\u2029{BIDI_CONTROLS}]")
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


def escape_bidi(text: str, *, html: bool = False) -> str:
    """``text`` with every bidirectional control shown as ``<U+XXXX>`` (in HTML, written
    ``&lt;U+XXXX&gt;``, which is valid in text and in attribute values)."""
    if _BIDI.search(text) is None:
        return text
    shape = "&lt;U+{:04X}&gt;" if html else "<U+{:04X}>"
    return _BIDI.sub(lambda match: shape.format(ord(match.group())), text)


def count_bidi(text: str) -> int:
    """How many bidirectional controls ``text`` holds."""
    return len(_BIDI.findall(text))


def escape_for_display(text: str) -> str:
    """``text`` as it may be shown to a person: no control drives the terminal, no
    bidirectional control reorders what is shown."""
    return escape_controls(escape_bidi(text))


def one_line(text: str) -> str:
    """``text`` as :func:`escape_for_display` shows it, on one line: a newline (in a file
    name, say) shows as ␊, so it cannot start a line of its own, such as a fake finding."""
    return escape_for_display(text).replace("\n", "\u240a")


def escape_hidden_in_json(dumped: str) -> str:
    """JSON text (as ``json.dumps(..., ensure_ascii=False)`` writes it) with C1 controls,
    bidirectional controls and line separators written as ``\\uXXXX`` escapes.

    Outside strings JSON holds only ASCII, so every such character is inside a string,
    where an escape means the same character: the document reads back unchanged."""
    if _JSON_HIDDEN.search(dumped) is None:
        return dumped
    return _JSON_HIDDEN.sub(lambda match: f"\\u{ord(match.group()):04x}", dumped)
