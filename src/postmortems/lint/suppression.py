"""Inline suppression comments, handled here and never by individual rules.

``<!-- pm-lint disable=PM401 -->`` silences the codes for the rest of the section it is
in (before the first section: the whole document); ``<!-- pm-lint
disable-next-line=PM401,PM402 -->`` silences them on the next line. Codes may be
prefixes (``PM4``). A suppression that silences nothing is itself reported (PM002).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from postmortems.model import Postmortem

_COMMENT = re.compile(
    r"<!--\s*pm-lint\s+(?P<kind>disable-next-line|disable)\s*=\s*(?P<codes>[^>]*?)\s*-->",
    re.IGNORECASE,
)


@dataclass
class Suppression:
    line: int
    column: int
    codes: tuple[str, ...]
    first_line: int
    last_line: int
    used: set[str] = field(default_factory=set)

    def silences(self, code: str, line: int) -> str | None:
        if not self.first_line <= line <= self.last_line:
            return None
        for selector in self.codes:
            if code.startswith(selector):
                return selector
        return None


def find_suppressions(text: str, pm: Postmortem) -> list[Suppression]:
    if "pm-lint" not in text:
        return []
    headings = sorted(s.line for s in pm.sections if s.line is not None)
    last_line = text.count("\n") + 1
    found = []
    for match in _COMMENT.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        codes = tuple(c.upper() for c in re.split(r"[\s,]+", match.group("codes")) if c)
        if match.group("kind").lower() == "disable-next-line":
            first, last = line + 1, line + 1
        else:
            before = [h for h in headings if h <= line]
            after = [h for h in headings if h > line]
            first = before[-1] if before else 1
            last = after[0] - 1 if after and before else last_line
        found.append(Suppression(line, column, codes, first, last))
    return found
