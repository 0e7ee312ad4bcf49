"""PM004: characters that change how the document reads without being seen."""

from __future__ import annotations

import re
from collections.abc import Iterator

from postmortems.control_chars import BIDI_CONTROLS
from postmortems.lint.context import LintContext
from postmortems.lint.finding import Hit, Level
from postmortems.lint.registry import rule

_BIDI_RUN = re.compile(f"[{BIDI_CONTROLS}]+")


@rule("PM004", "bidi-control", Level.WARNING)
def bidi_control(ctx: LintContext) -> Iterator[Hit]:
    """A bidirectional control character that reorders how the text around it is shown.

    ## What it does
    Reports every line holding an invisible bidirectional control: the embeddings and
    overrides U+202A–U+202E, the isolates U+2066–U+2069 and the marks U+200E, U+200F and
    U+061C, in prose, code and links alike. `pm fmt` keeps them as written; `pm show`, the
    HTML page and the terminal show them as `<U+202E>`, and JSON writes them as `\\u202e`.

    ## Why is this bad?
    A right-to-left override makes a reviewer see text in a different order from the one
    stored ("Trojan Source"): `rollback` can display as `kcabllor`, and a command in a code
    block can do something other than what it seems to say. Pasted from logs or chat, they
    also come in by accident.

    ## Example
    A line holding `U+202E` before `user 01`, which a browser shows as `10 resu`.

    ## Use instead
    Delete the invisible character. Right-to-left scripts display correctly without it.
    """
    for line_no, line in enumerate(ctx.text.split("\n"), 1):
        runs = list(_BIDI_RUN.finditer(line))
        if not runs:
            continue
        names = sorted({f"U+{ord(c):04X}" for run in runs for c in run.group()})
        count = sum(len(run.group()) for run in runs)
        many = count != 1
        yield Hit(
            line_no,
            runs[0].start() + 1,
            f"{count} invisible bidirectional control{'s' if many else ''} "
            f"({', '.join(names)}) {'reorder' if many else 'reorders'} how this line is shown",
        )
