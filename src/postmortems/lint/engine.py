"""Run the rules over a document: choose the profile, decide which rules run, apply the
configured levels and the inline suppressions, and return findings in file order.

Reserved engine codes: PM000 a rule crashed (a bug, reported rather than raised), PM001
the document could not be read or parsed, PM002 a suppression comment that silences
nothing or names an unknown code, PM003 a parser warning.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from postmortems.errors import InputError, PostmortemError
from postmortems.lint import rules as _rules  # noqa: F401  (registers every rule)
from postmortems.lint.config import LintOptions
from postmortems.lint.context import LintContext
from postmortems.lint.decision import DecisionEngine
from postmortems.lint.finding import Finding, Hit, Level
from postmortems.lint.profiles import PROFILES, choose_profile
from postmortems.lint.registry import REGISTRY, Registry, Rule
from postmortems.lint.suppression import Suppression, find_suppressions
from postmortems.markdown.parse import read_text
from postmortems.model import Postmortem


@dataclass
class LintResult:
    path: str
    findings: list[Finding] = field(default_factory=list)
    profile: str | None = None
    # How the profile was chosen: option, front matter, layout or no known layout.
    profile_source: str | None = None
    text: str | None = None
    postmortem: Postmortem | None = None
    input_error: PostmortemError | None = None

    def count(self, level: Level) -> int:
        return sum(1 for f in self.findings if f.level is level)


class Linter:
    """Lints documents with one set of options; reusable across many files."""

    def __init__(self, options: LintOptions | None = None, registry: Registry = REGISTRY) -> None:
        self.options = options or LintOptions()
        self.registry = registry
        self.decisions = DecisionEngine(
            self.options.select, self.options.ignore, self.options.extend_select
        )
        self._active: dict[str, list[tuple[Rule, Level]]] = {}

    def active_rules(self, profile: str) -> list[tuple[Rule, Level]]:
        """The rules that run under a profile, each with its effective level."""
        cached = self._active.get(profile)
        if cached is None:
            cached = []
            for rule in self.registry.all():
                if not self.decisions.is_selected(rule.code, rule.enabled_in(profile)):
                    continue
                level = self.options.level_for(rule.code, rule.level)
                if level is not None:
                    cached.append((rule, level))
            self._active[profile] = cached
        return cached

    def _emit(self, rule_code: str, profile: str, path: str, hit: Hit) -> Finding | None:
        rule = self.registry.get(rule_code)
        if rule is None:
            return None
        for active, level in self.active_rules(profile):
            if active.code == rule_code:
                return _finding(path, active, level, hit)
        return None

    def lint_text(self, text: str, path: str = "<text>") -> LintResult:
        from postmortems.markdown.parse import parse_text

        if not text.strip():
            return self._input_error(path, InputError("the file is empty", path), text)
        try:
            pm = parse_text(text, path)
        except PostmortemError as exc:
            return self._input_error(path, exc, text)
        return self.lint_postmortem(pm, text, path)

    def lint_path(self, path: Path) -> LintResult:
        try:
            text = read_text(path)
        except PostmortemError as exc:
            return self._input_error(str(path), exc, None)
        return self.lint_text(text, str(path))

    def lint_postmortem(self, pm: Postmortem, text: str, path: str) -> LintResult:
        choice = choose_profile(self.options.profile, pm.template, (s.title for s in pm.sections))
        profile_name = choice.name
        context = LintContext(
            pm, text, path, PROFILES[profile_name], self.options, profile_source=choice.source
        )
        findings: list[Finding] = []
        for rule, level in self.active_rules(profile_name):
            try:
                for hit in rule.check(context):
                    findings.append(_finding(path, rule, level, hit))
            except Exception as exc:  # a rule's bug must not hide the other findings
                crash = Hit(1, 1, f"rule {rule.code} ({rule.name}) crashed: {exc!r}")
                engine = self._emit("PM000", profile_name, path, crash)
                if engine is not None:
                    findings.append(engine)
        findings = self._apply_suppressions(findings, text, pm, profile_name, path)
        findings.sort(key=Finding.sort_key)
        return LintResult(path, findings, profile_name, choice.source.value, text, pm)

    def _apply_suppressions(
        self, findings: list[Finding], text: str, pm: Postmortem, profile: str, path: str
    ) -> list[Finding]:
        suppressions = find_suppressions(text, pm)
        if not suppressions:
            return findings
        kept = [f for f in findings if not _silenced(f, suppressions)]
        for hit in _suppression_problems(suppressions, self.registry):
            finding = self._emit("PM002", profile, path, hit)
            if finding is not None:
                kept.append(finding)
        return kept

    def _input_error(self, path: str, error: PostmortemError, text: str | None) -> LintResult:
        line = error.line or 1
        hit = Hit(line, 1, error.message)
        rule = self.registry.get("PM001")
        findings = [_finding(path, rule, Level.ERROR, hit)] if rule else []
        return LintResult(path, findings, None, None, text, None, error)


def _finding(path: str, rule: Rule, level: Level, hit: Hit) -> Finding:
    return Finding(
        path=path,
        line=hit.line,
        column=hit.column,
        code=rule.code,
        name=rule.name,
        level=level,
        message=hit.message,
        suggestion=hit.suggestion,
        fix=hit.fix,
        end_line=hit.end_line,
        end_column=hit.end_column,
    )


def _silenced(finding: Finding, suppressions: Iterable[Suppression]) -> bool:
    if finding.code in ("PM001", "PM002"):
        return False
    for suppression in suppressions:
        selector = suppression.silences(finding.code, finding.line)
        if selector is not None:
            suppression.used.add(selector)
            return True
    return False


def _suppression_problems(suppressions: Iterable[Suppression], registry: Registry) -> list[Hit]:
    hits = []
    for s in suppressions:
        if not s.codes:
            hits.append(Hit(s.line, s.column, "suppression comment names no rule code"))
        for code in s.codes:
            if not registry.matches_any(code):
                hits.append(Hit(s.line, s.column, f"suppression names unknown rule code {code}"))
            elif code not in s.used:
                hits.append(
                    Hit(
                        s.line,
                        s.column,
                        f"suppression of {code} silences nothing here; remove it",
                    )
                )
    return hits
