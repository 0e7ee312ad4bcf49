"""Private keys logged one line per record: the body lines between BEGIN and END.

A logger that writes a key line by line (syslog does: one record per line, each with its
own prefix) leaves the ``BEGIN`` line in one event, each body line in another and the
``END`` line in a third. No rule looking at one event can tell that
``MIIEowIBAAKCAQEAu1SU1L…`` is inside a key, and the short last body line has nothing of
key material about it. So the events of each input are walked in line order and every
event between a ``BEGIN … PRIVATE KEY`` that does not end in its own text and the
matching ``END`` is a member of the key, redacted whole.

A block is closed by its ``END`` line, or — when the key was cut off — by the first line
that is not base64 or an armour header, or after :data:`MAX_BLOCK_LINES` lines; so a cut
key costs no more than its own lines.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence

MAX_BLOCK_LINES = 400  # a 16384-bit RSA key in PEM is under 300 lines

_BEGIN = re.compile(r"-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----")
_END = re.compile(r"-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----")
_BODY = re.compile(r"[A-Za-z0-9+/=]{1,100}|(?:Version|Comment|Proc-Type|DEK-Info|Hash): .*|=?")


def opens_block(text: str) -> bool:
    """``text`` starts a key that does not end in it."""
    begins = list(_BEGIN.finditer(text))
    return bool(begins) and _END.search(text, begins[-1].end()) is None


def members(
    items: Sequence[tuple[str | None, str]], body_of: Callable[[int], str] | None = None
) -> set[int]:
    """Indexes of items inside a key block that spans several items.

    ``items`` are (``ref``, text) with ``ref`` as ``path:line``; items without a ref, or
    without a line number, cannot be placed and are never members. ``body_of(index)``
    gives the text to judge as a body line (by default the item's text).
    """
    by_path: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for index, (ref, _) in enumerate(items):
        path, line = _place(ref)
        if path is not None and line is not None:
            by_path[path].append((line, index))
    found: set[int] = set()
    for placed in by_path.values():
        placed.sort()
        open_at: int | None = None
        for line, index in placed:
            text = items[index][1]
            if open_at is not None:
                body = (body_of(index) if body_of else text).strip()
                if _END.search(text):
                    found.add(index)
                    open_at = None
                elif line - open_at <= MAX_BLOCK_LINES and _BODY.fullmatch(body):
                    found.add(index)
                    continue
                else:
                    open_at = None
            if open_at is None and opens_block(text):
                open_at = line
    return found


def _place(ref: str | None) -> tuple[str | None, int | None]:
    if not ref:
        return None, None
    path, _, line = ref.rpartition(":")
    if not path or not line.isdigit():
        return None, None
    return path, int(line)
