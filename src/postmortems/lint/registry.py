"""One table of rules keyed by code; a rule registers itself with the `rule` decorator.

Codes are stable: ``PM`` followed by three digits whose first digit names the family.
The registry refuses a malformed code and a code registered twice, so two rules can
never answer to the same name in a config file or a suppression comment.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from postmortems.lint.finding import Hit, Level

if TYPE_CHECKING:
    from postmortems.lint.context import LintContext

CheckFunction = Callable[["LintContext"], Iterable[Hit]]

CODE_PATTERN = re.compile(r"^PM\d{3}$")
# A code or a prefix of one, as written in select/ignore lists and suppression comments.
SELECTOR_PATTERN = re.compile(r"^PM\d{0,3}$")

FAMILIES: dict[str, str] = {
    "PM0": "engine",
    "PM1": "completeness",
    "PM2": "timeline",
    "PM3": "consistency",
    "PM4": "blameless language",
    "PM5": "action items",
    "PM6": "impact and root cause",
    "PM7": "clarity",
}


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    level: Level
    check: CheckFunction
    doc: str
    # Profiles that turn this rule on by default; None means every profile.
    profiles: frozenset[str] | None = None
    fixable: bool = False

    @property
    def family(self) -> str:
        return FAMILIES[self.code[:3]]

    @property
    def summary(self) -> str:
        """The first paragraph of the rule's documentation."""
        return self.doc.split("\n\n", 1)[0].strip()

    def enabled_in(self, profile: str) -> bool:
        return self.profiles is None or profile in self.profiles


class DuplicateRuleError(ValueError):
    """Two rules were registered under one code or one name."""


class Registry:
    def __init__(self) -> None:
        self._rules: dict[str, Rule] = {}
        self._names: dict[str, str] = {}

    def add(self, rule: Rule) -> None:
        if not CODE_PATTERN.match(rule.code):
            raise ValueError(f"malformed rule code {rule.code!r}: expected PM and three digits")
        if rule.code[:3] not in FAMILIES:
            raise ValueError(f"rule code {rule.code!r} is in no known family")
        if rule.code in self._rules:
            raise DuplicateRuleError(f"rule code {rule.code} is already registered")
        if rule.name in self._names:
            raise DuplicateRuleError(
                f"rule name {rule.name!r} is already registered as {self._names[rule.name]}"
            )
        self._rules[rule.code] = rule
        self._names[rule.name] = rule.code

    def get(self, code: str) -> Rule | None:
        return self._rules.get(code.upper())

    def all(self) -> list[Rule]:
        return sorted(self._rules.values(), key=lambda r: r.code)

    def codes(self) -> list[str]:
        return sorted(self._rules)

    def matches_any(self, selector: str) -> bool:
        """Whether a code or prefix names at least one registered rule."""
        return any(code.startswith(selector) for code in self._rules)

    def rule(
        self,
        code: str,
        name: str,
        level: Level,
        *,
        profiles: Iterable[str] | None = None,
        fixable: bool = False,
    ) -> Callable[[CheckFunction], CheckFunction]:
        """Register the decorated check function; its docstring is the rule's documentation."""

        def register(check: CheckFunction) -> CheckFunction:
            doc = inspect.cleandoc(check.__doc__ or "")
            if not doc:
                raise ValueError(f"rule {code} has no documentation")
            self.add(
                Rule(
                    code=code,
                    name=name,
                    level=level,
                    check=check,
                    doc=doc,
                    profiles=frozenset(profiles) if profiles is not None else None,
                    fixable=fixable,
                )
            )
            return check

        return register


REGISTRY = Registry()
rule = REGISTRY.rule
