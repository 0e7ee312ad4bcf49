"""Reporters turn lint results into text, JSON, SARIF 2.1.0 or GitHub annotations.

Checking and reporting are apart: rules yield findings, a reporter is picked by name and
driven through `begin`, `add` (one result per file) and `end`.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import IO, Any, ClassVar
from urllib.parse import quote

from rich.markup import escape

from postmortems import __version__
from postmortems.control_chars import escape_for_display, escape_hidden_in_json, one_line
from postmortems.lint.engine import LintResult
from postmortems.lint.finding import Finding, Level
from postmortems.lint.registry import REGISTRY, Rule
from postmortems.terminal import SafeConsole

JSON_FORMAT_VERSION = 1

# The documented shape of `pm lint --format json` (JSON Schema 2020-12).
JSON_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "pm lint JSON report",
    "type": "object",
    "required": ["version", "files", "findings", "summary"],
    "additionalProperties": False,
    "properties": {
        "version": {"const": JSON_FORMAT_VERSION},
        "files": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["path", "profile", "error"],
                "additionalProperties": False,
                "properties": {
                    "path": {"type": "string"},
                    "profile": {"type": ["string", "null"]},
                    "profile_source": {
                        "enum": ["option", "front matter", "layout", "no known layout", None],
                        "description": "how the profile was chosen",
                    },
                    "error": {
                        "type": ["string", "null"],
                        "description": "why it could not be read",
                    },
                },
            },
        },
        "findings": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["path", "line", "column", "code", "name", "level", "message"],
                "additionalProperties": False,
                "properties": {
                    "path": {"type": "string"},
                    "line": {"type": "integer", "minimum": 1},
                    "column": {"type": "integer", "minimum": 1},
                    "end_line": {"type": ["integer", "null"]},
                    "end_column": {"type": ["integer", "null"]},
                    "code": {"type": "string", "pattern": "^PM[0-9]{3}$"},
                    "name": {"type": "string"},
                    "level": {"enum": ["error", "warning", "info"]},
                    "message": {"type": "string"},
                    "suggestion": {"type": ["string", "null"]},
                    "fixable": {"type": "boolean"},
                },
            },
        },
        "summary": {
            "type": "object",
            "required": ["error", "warning", "info", "total", "files", "fixable"],
            "additionalProperties": False,
            "properties": {
                key: {"type": "integer", "minimum": 0}
                for key in ("error", "warning", "info", "total", "files", "fixable")
            },
        },
    },
}


class Reporter:
    """Collects results and writes one report; subclasses choose the format."""

    name: ClassVar[str] = ""

    def __init__(self, stream: IO[str], color: bool | None = None) -> None:
        self.stream = stream
        self.color = color
        self.results: list[LintResult] = []

    def begin(self) -> None:
        """Called once before the first file."""

    def add(self, result: LintResult) -> None:
        self.results.append(result)

    def end(self) -> None:
        """Called once after the last file."""

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.results for f in r.findings]


def summary_counts(findings: list[Finding], files: int) -> dict[str, int]:
    levels = Counter(f.level.value for f in findings)
    return {
        "error": levels["error"],
        "warning": levels["warning"],
        "info": levels["info"],
        "total": len(findings),
        "files": files,
        "fixable": sum(1 for f in findings if f.fix is not None),
    }


_STYLE = {Level.ERROR: "bold red", Level.WARNING: "yellow", Level.INFO: "cyan"}


class TextReporter(Reporter):
    """`path:line:col CODE message` per finding, coloured, then a summary count."""

    name = "text"

    def begin(self) -> None:
        self.console = SafeConsole(
            file=self.stream,
            force_terminal=self.color,
            no_color=self.color is False,
            highlight=False,
            soft_wrap=True,
        )

    def add(self, result: LintResult) -> None:
        if result.input_error is not None:
            return  # already said on stderr, in one line
        super().add(result)
        lines = []
        for f in result.findings:
            style = _STYLE[f.level]
            fix = " [dim]\\[*][/dim]" if f.fix is not None else ""
            lines.append(
                f"[bold]{escape(one_line(f.path))}[/bold]:{f.line}:{f.column} "
                f"[{style}]{f.code}[/{style}] {escape(one_line(f.message))}{fix}"
            )
        if lines:  # one print per file: Rich's cost is mostly per call
            self.console.print("\n".join(lines))

    def end(self) -> None:
        counts = summary_counts(self.findings, len(self.results))
        files = f"{counts['files']} file{'s' if counts['files'] != 1 else ''}"
        profiles = escape(profiles_line(self.results))
        if not counts["total"]:
            self.console.print(f"[green]No findings[/green] in {files}. {profiles}")
            return
        parts = [
            f"[bold red]{counts['error']} error{'s' if counts['error'] != 1 else ''}[/bold red]",
            f"[yellow]{counts['warning']} warning{'s' if counts['warning'] != 1 else ''}[/yellow]",
            f"[cyan]{counts['info']} info[/cyan]",
        ]
        noun = "finding" if counts["total"] == 1 else "findings"
        line = f"Found {counts['total']} {noun} ({', '.join(parts)}) in {files}."
        if counts["fixable"]:
            line += f" {counts['fixable']} fixable with --fix (marked \\[*])."
        self.console.print(f"{line} {profiles}")


def profiles_line(results: list[LintResult]) -> str:
    """'Profile: google (layout).' or, over many files, each profile with its file count."""
    chosen = Counter(f"{r.profile} ({r.profile_source})" for r in results if r.profile is not None)
    if not chosen:
        return ""
    if len(results) == 1:
        return f"Profile: {next(iter(chosen))}."
    return "Profiles: " + ", ".join(f"{p} ×{n}" for p, n in sorted(chosen.items())) + "."


def finding_to_json(f: Finding) -> dict[str, Any]:
    return {
        "path": f.path,
        "line": f.line,
        "column": f.column,
        "end_line": f.end_line,
        "end_column": f.end_column,
        "code": f.code,
        "name": f.name,
        "level": f.level.value,
        "message": f.message,
        "suggestion": f.suggestion,
        "fixable": f.fix is not None,
    }


class JsonReporter(Reporter):
    """One JSON document, valid against `JSON_SCHEMA`."""

    name = "json"

    def end(self) -> None:
        report = {
            "version": JSON_FORMAT_VERSION,
            "files": [
                {
                    "path": r.path,
                    "profile": r.profile,
                    "profile_source": r.profile_source,
                    "error": r.input_error.message if r.input_error else None,
                }
                for r in self.results
            ],
            "findings": [finding_to_json(f) for f in self.findings],
            "summary": summary_counts(self.findings, len(self.results)),
        }
        self.stream.write(escape_hidden_in_json(json.dumps(report, indent=2, ensure_ascii=False)))
        self.stream.write("\n")


_SARIF_LEVEL = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "note"}
SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"


def _uri(path: str) -> str:
    return quote(path.replace("\\", "/"), safe="/:@-._~")


def _sarif_rule(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.doc},
        "help": {"text": rule.doc, "markdown": rule.doc},
        "defaultConfiguration": {"level": _SARIF_LEVEL[rule.level]},
        "properties": {"family": rule.family},
    }


class SarifReporter(Reporter):
    """A SARIF 2.1.0 log with one run, for code-scanning dashboards."""

    name = "sarif"

    def end(self) -> None:
        rules = REGISTRY.all()
        index = {rule.code: i for i, rule in enumerate(rules)}
        results = []
        profile_of = {r.path: r.profile for r in self.results}
        for f in self.findings:
            region: dict[str, int] = {"startLine": f.line, "startColumn": f.column}
            if f.end_line:
                region["endLine"] = f.end_line
            if f.end_column:
                region["endColumn"] = f.end_column
            results.append(
                {
                    "ruleId": f.code,
                    "ruleIndex": index[f.code],
                    "level": _SARIF_LEVEL[f.level],
                    "message": {"text": f.message},
                    "properties": {"profile": profile_of.get(f.path)},
                    "locations": [
                        {
                            "physicalLocation": {
                                "artifactLocation": {"uri": _uri(f.path)},
                                "region": region,
                            }
                        }
                    ],
                }
            )
        log = {
            "$schema": SARIF_SCHEMA_URI,
            "version": "2.1.0",
            "runs": [
                {
                    "tool": {
                        "driver": {
                            "name": "pm lint",
                            "version": __version__,
                            "rules": [_sarif_rule(rule) for rule in rules],
                        }
                    },
                    "results": results,
                    "properties": {
                        "profiles": [
                            {"path": r.path, "profile": r.profile, "source": r.profile_source}
                            for r in self.results
                        ]
                    },
                    "invocations": [
                        {"executionSuccessful": not any(r.input_error for r in self.results)}
                    ],
                }
            ],
        }
        self.stream.write(escape_hidden_in_json(json.dumps(log, indent=2, ensure_ascii=False)))
        self.stream.write("\n")


def _escape_data(text: str) -> str:
    # The Actions log is shown like a terminal: controls and bidi marks made visible first.
    text = escape_for_display(text)
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


_GITHUB_COMMAND = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "notice"}


class GithubReporter(Reporter):
    """GitHub Actions workflow commands: one annotation per finding."""

    name = "github"

    def add(self, result: LintResult) -> None:
        super().add(result)
        for f in result.findings:
            properties = (
                f"file={_escape_property(f.path)},line={f.line},col={f.column},"
                f"title={_escape_property(f'{f.code} {f.name} (profile {result.profile})')}"
            )
            self.stream.write(
                f"::{_GITHUB_COMMAND[f.level]} {properties}::{_escape_data(f.message)}\n"
            )


REPORTERS: dict[str, type[Reporter]] = {
    cls.name: cls for cls in (TextReporter, JsonReporter, SarifReporter, GithubReporter)
}


def make_reporter(name: str, stream: IO[str], color: bool | None = None) -> Reporter:
    try:
        return REPORTERS[name](stream, color)
    except KeyError:
        raise ValueError(f"unknown format {name!r}; choose from {', '.join(REPORTERS)}") from None
