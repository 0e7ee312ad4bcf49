"""`pm lint`: check postmortems for missing context, contradictions, blame and vague
follow-ups. Parses flags, calls `postmortems.lint`, prints, and sets the exit code."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer

from postmortems.cli.output import check_output, echo, open_output
from postmortems.control_chars import one_line
from postmortems.discover import markdown_files
from postmortems.errors import ConfigError, PostmortemError
from postmortems.lint.config import LintOptions, find_config, load_config
from postmortems.lint.docs import explain, rules_markdown
from postmortems.lint.engine import Linter, LintResult
from postmortems.lint.finding import Level
from postmortems.lint.fix import apply_fixes, check_meaning_kept, unified_diff
from postmortems.lint.profiles import AUTO, PROFILES
from postmortems.lint.registry import REGISTRY, SELECTOR_PATTERN
from postmortems.lint.report import REPORTERS, make_reporter
from postmortems.parallel import map_in_order
from postmortems.terminal import stderr_console

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

_stderr = stderr_console()


def _fail(message: str) -> typer.Exit:
    _stderr.print(one_line(f"pm lint: error: {message}"), markup=False)
    return typer.Exit(EXIT_USAGE)


def _codes(values: list[str] | None, flag: str) -> list[str] | None:
    if values is None:
        return None
    codes = [c.strip().upper() for v in values for c in v.split(",") if c.strip()]
    for code in codes:
        if not SELECTOR_PATTERN.match(code) or not REGISTRY.matches_any(code):
            raise _fail(f"{flag}: unknown rule code {code!r}")
    return codes


class _Linters:
    """One linter per configuration file, so each file gets its nearest config."""

    def __init__(self, flags: dict[str, object], config: Path | None, isolated: bool) -> None:
        self.flags = flags
        self.config = config
        self.isolated = isolated
        self._by_config: dict[Path | None, Linter] = {}

    def for_file(self, path: Path) -> Linter:
        config = self.config
        if config is None and not self.isolated:
            config = find_config(path if path.exists() else Path.cwd())
        linter = self._by_config.get(config)
        if linter is None:
            options = load_config(config, REGISTRY) if config else LintOptions()
            options = options.with_flags(**self.flags)  # type: ignore[arg-type]
            linter = Linter(options)
            self._by_config[config] = linter
        return linter


def _lint_for_report(job: tuple[Path, Linter]) -> LintResult:
    """One file's result as a report needs it (the text and model stay in the worker)."""
    path, linter = job
    result = linter.lint_path(path)
    result.text = result.postmortem = None
    return result


def _results(
    files: list[Path], linters: _Linters, keep_text: bool, jobs: int | None
) -> Iterator[tuple[Linter, LintResult]]:
    """Each file's linter and result, in the order of the files; many files on every core
    unless fixes need each file's text and model."""
    chosen: list[tuple[Path, Linter]] = []
    for path in files:
        try:
            chosen.append((path, linters.for_file(path)))
        except ConfigError as exc:
            raise _fail(str(exc)) from None
    if keep_text:
        for path, linter in chosen:
            yield linter, linter.lint_path(path)
        return
    results = map_in_order(_lint_for_report, chosen, jobs)
    for (_path, linter), result in zip(chosen, results, strict=True):
        yield linter, result


MAX_FIX_ROUNDS = 5  # overlapping fixes (a sort and a time rewrite) need a second round


def _fix_one(linter: Linter, result: LintResult, diff_only: bool) -> tuple[LintResult, str]:
    """Apply a file's fixes (or only compute its diff); the re-linted result and the diff."""
    if result.postmortem is None or result.text is None:
        return result, ""
    original, current = result, result
    for _ in range(MAX_FIX_ROUNDS):
        assert current.text is not None
        outcome = apply_fixes(current.text, current.findings)
        if outcome.text == current.text:
            break
        fixed = linter.lint_text(outcome.text, result.path)
        if fixed.postmortem is None:
            raise PostmortemError(
                "fixes made the document unreadable; nothing written", result.path
            )
        current = fixed
    if current is original or current.text is None or original.postmortem is None:
        return original, ""
    assert current.postmortem is not None
    check_meaning_kept(original.postmortem, current.postmortem, result.path)
    if not diff_only:
        from postmortems.files import rewrite_in_place
        from postmortems.markdown.parse import read_text

        was = original.text or ""
        rewrite_in_place(result.path, was, current.text, read_text, "its fixes were worked out")
    return current, unified_diff(result.path, original.text or "", current.text)


def lint(
    paths: Annotated[
        list[str] | None,
        typer.Argument(help="Markdown files, directories (linted recursively) or glob patterns."),
    ] = None,
    output_format: Annotated[
        str,
        typer.Option("--format", "-f", help=f"Output format: {', '.join(REPORTERS)}."),
    ] = "text",
    profile: Annotated[
        str | None,
        typer.Option(
            help=f"Rule set and required sections: auto, {', '.join(PROFILES)}. "
            "Default: the config's, else auto: the document's template, else the template "
            "its headings follow, else generic (any team's own format)."
        ),
    ] = None,
    select: Annotated[
        list[str] | None,
        typer.Option(help="Only these codes or prefixes (comma-separated, e.g. PM4,PM501)."),
    ] = None,
    ignore: Annotated[
        list[str] | None, typer.Option(help="Skip these codes or prefixes (comma-separated).")
    ] = None,
    extend_select: Annotated[
        list[str] | None, typer.Option(help="Add these codes or prefixes to the selection.")
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            help="Use this config file instead of searching pyproject.toml / .postmortems.toml."
        ),
    ] = None,
    isolated: Annotated[bool, typer.Option(help="Ignore all configuration files.")] = False,
    fix: Annotated[
        bool, typer.Option("--fix", help="Apply safe, mechanical fixes to the files.")
    ] = False,
    diff: Annotated[
        bool, typer.Option("--diff", help="Show the fixes as a diff; change nothing.")
    ] = False,
    explain_code: Annotated[
        str | None, typer.Option("--explain", help="Explain a rule, e.g. --explain PM401.")
    ] = None,
    rules_doc: Annotated[
        bool, typer.Option("--rules-doc", help="Print the rule reference (docs/rules.md).")
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write the report to this file ('-': standard output)."
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite OUTPUT if it exists.")] = False,
    color: Annotated[
        bool | None, typer.Option("--color/--no-color", help="Force colour on or off.")
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs", "-j", min=1, help="Processes for many files (default: one per CPU)."
        ),
    ] = None,
) -> None:
    """Lint postmortems: missing sections, durations that contradict the timeline, blame,
    vague action items, unquantified impact, shallow root causes.

    Exit status: 0 no error-level finding, 1 error-level findings (or, with --diff,
    fixes to make), 2 bad usage or a file that cannot be read.

    Example: pm lint postmortems/ --format sarif -o pm-lint.sarif
    """
    if explain_code is not None:
        rule = REGISTRY.get(explain_code.strip())
        if rule is None:
            raise _fail(f"unknown rule code {explain_code!r}")
        typer.echo(explain(rule), nl=False)
        raise typer.Exit(EXIT_CLEAN)
    if rules_doc:
        typer.echo(rules_markdown(), nl=False)
        raise typer.Exit(EXIT_CLEAN)
    if not paths:
        raise _fail("give at least one file, directory or glob (e.g. 'pm lint postmortems/')")
    if output_format not in REPORTERS:
        raise _fail(f"unknown format {output_format!r}; choose from {', '.join(REPORTERS)}")
    if profile is not None and profile not in PROFILES and profile != AUTO:
        raise _fail(f"unknown profile {profile!r}; choose from auto, {', '.join(PROFILES)}")
    if config is not None and not config.is_file():
        raise _fail(f"{config}: config file not found")
    try:
        check_output(output, force)
    except PostmortemError as exc:
        raise _fail(str(exc)) from None
    flags: dict[str, object] = {
        "profile": profile,
        "select": _codes(select, "--select"),
        "ignore": _codes(ignore, "--ignore") or (),
        "extend_select": _codes(extend_select, "--extend-select") or (),
    }
    files, problems = markdown_files(paths)
    for problem in problems:
        _stderr.print(one_line(f"pm lint: error: {problem}"), markup=False)
    if not files:
        raise _fail("no Markdown files to lint")

    linters = _Linters(flags, config, isolated)
    with open_output(output, force) as stream:
        reporter = make_reporter(output_format, stream, color)
        reporter.begin()
        input_errors = bool(problems)
        diffs = False
        for linter, result in _results(files, linters, fix or diff, jobs):
            if result.input_error is not None:
                input_errors = True
                _stderr.print(one_line(f"pm lint: error: {result.input_error}"), markup=False)
            elif fix or diff:
                try:
                    result, patch = _fix_one(linter, result, diff_only=diff)
                except PostmortemError as exc:
                    _stderr.print(one_line(f"pm lint: error: {exc}"), markup=False)
                    input_errors = True
                    patch = ""
                if diff and patch:
                    diffs = True
                    echo(patch)  # made visible on a terminal, as written in a pipe
            if not diff:
                reporter.add(result)
        # A text summary of no file at all ("No findings in 0 files") would contradict the
        # errors just printed; machine formats always get their document.
        if not diff and (reporter.results or output_format != "text"):
            reporter.end()
    if input_errors:
        raise typer.Exit(EXIT_USAGE)
    if diff:
        raise typer.Exit(EXIT_FINDINGS if diffs else EXIT_CLEAN)
    has_errors = any(f.level is Level.ERROR for f in reporter.findings)
    raise typer.Exit(EXIT_FINDINGS if has_errors else EXIT_CLEAN)
