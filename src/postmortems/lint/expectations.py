"""Expected findings declared inside a document, for labelled examples and rule tests.

A case file states what `pm lint` must report with HTML comments (invisible when
rendered): ``<!-- expect: PM401 PM404 -->`` (``<!-- expect: -->`` for none), and may
narrow the rules it is judged on with ``<!-- select: PM4 -->`` or choose a profile with
``<!-- profile: alx -->``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DIRECTIVE = re.compile(r"<!--\s*(expect|select|profile)\s*:\s*([^>]*?)\s*-->", re.IGNORECASE)


@dataclass(frozen=True)
class Expectation:
    codes: frozenset[str]
    select: tuple[str, ...] | None
    profile: str | None


def read_expectation(text: str) -> Expectation | None:
    """The expectation a document declares, or None when it declares none."""
    found: dict[str, str] = {}
    for match in _DIRECTIVE.finditer(text):
        found.setdefault(match.group(1).lower(), match.group(2))
    if "expect" not in found:
        return None
    codes = frozenset(c.upper() for c in re.split(r"[\s,]+", found["expect"]) if c)
    select = found.get("select")
    return Expectation(
        codes=codes,
        select=tuple(c.upper() for c in re.split(r"[\s,]+", select) if c) if select else None,
        profile=found.get("profile") or None,
    )
