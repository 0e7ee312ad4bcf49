"""Which rules run: one object decides select and ignore, the longest matching prefix winning.

``select`` replaces the profile's default set, ``extend_select`` adds to it and
``ignore`` removes from it. A selector is a code or a prefix of one (``PM4``, ``PM40``).
When a code matches both a select and an ignore selector the longer (more specific)
one wins; on a tie, ignore wins. Rules that only belong to one profile (the alx rubric)
are turned on by that profile or by naming their exact code.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable


class Decision(enum.Enum):
    SELECTED = "selected"
    IGNORED = "ignored"


def _longest_match(code: str, selectors: Iterable[str]) -> str | None:
    best: str | None = None
    for selector in selectors:
        if code.startswith(selector) and (best is None or len(selector) > len(best)):
            best = selector
    return best


class DecisionEngine:
    def __init__(
        self,
        select: Iterable[str] | None = None,
        ignore: Iterable[str] = (),
        extend_select: Iterable[str] = (),
    ) -> None:
        self.select = None if select is None else tuple(s.upper() for s in select)
        self.ignore = tuple(s.upper() for s in ignore)
        self.extend_select = tuple(s.upper() for s in extend_select)
        self._cache: dict[tuple[str, bool], Decision] = {}

    def decide(self, code: str, on_by_default: bool = True) -> Decision:
        key = (code, on_by_default)
        cached = self._cache.get(key)
        if cached is None:
            cached = self._decide(code, on_by_default)
            self._cache[key] = cached
        return cached

    def is_selected(self, code: str, on_by_default: bool = True) -> bool:
        return self.decide(code, on_by_default) is Decision.SELECTED

    def _decide(self, code: str, on_by_default: bool) -> Decision:
        base = self.select if self.select is not None else ("PM",)
        candidates = [s for s in base if on_by_default or s == code]
        candidates += [s for s in self.extend_select if on_by_default or s == code]
        selected = _longest_match(code, candidates)
        if selected is None:
            return Decision.IGNORED
        ignored = _longest_match(code, self.ignore)
        if ignored is not None and len(ignored) >= len(selected):
            return Decision.IGNORED
        return Decision.SELECTED
