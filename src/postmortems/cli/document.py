"""Commands on one postmortem document: show, render, fmt, schema."""

from __future__ import annotations

import dataclasses
import difflib
import enum
import functools
import json
from pathlib import Path

import typer

from postmortems.cli.output import check_output, echo, write_output
from postmortems.cli.view import show_postmortem
from postmortems.control_chars import one_line
from postmortems.discover import markdown_files
from postmortems.errors import EXIT_FINDINGS, ChangedMeanwhileError, InputError
from postmortems.export.document_json import json_schema, to_json
from postmortems.files import rewrite_in_place
from postmortems.markdown.format import FormatSafetyError, check_nothing_lost, format_text
from postmortems.markdown.parse import parse_file, parse_text, read_text
from postmortems.markdown.render import render_markdown
from postmortems.markdown.sections import TEMPLATES
from postmortems.model import Postmortem
from postmortems.parallel import map_in_order
from postmortems.terminal import stderr_console, stdout_console


class OutputFormat(enum.StrEnum):
    md = "md"
    json = "json"
    html = "html"


def _check_template(template: str | None) -> None:
    if template is not None and template not in TEMPLATES:
        raise InputError(f"unknown template '{template}': choose one of {', '.join(TEMPLATES)}")


def show(file: Path = typer.Argument(..., help="A postmortem in Markdown.")) -> None:
    """Show a postmortem in the terminal: lifecycle with durations, timeline, action items.

    Example: pm show examples/checkout-outage.md
    """
    show_postmortem(parse_file(file), stdout_console())


def render(
    file: Path = typer.Argument(..., help="A postmortem in Markdown."),
    to: OutputFormat = typer.Option(
        OutputFormat.md, "--format", "-f", "--to", help="md, json or html."
    ),
    template: str | None = typer.Option(
        None, "--template", "-t", help="seed, google or pagerduty (md and html)."
    ),
    output: Path | None = typer.Option(
        None,
        "--output",
        "-o",
        help="Write here instead of standard output ('-' is standard output).",
    ),
    force: bool = typer.Option(False, "--force", help="Overwrite OUTPUT if it exists."),
) -> None:
    """Render a postmortem as canonical Markdown, JSON, or a standalone HTML page.

    Example: pm render incident.md --format html -o incident.html
    """
    _check_template(template)
    check_output(output, force)
    source = read_text(file)
    pm = parse_text(source, str(file))
    if to != OutputFormat.json:
        # Markdown and HTML claim to carry the whole document: prove it as `pm fmt` does.
        check_nothing_lost(source, str(file), template, parsed=pm)
    write_output(output, render_as(pm, to, template), force)


def render_as(pm: Postmortem, to: OutputFormat, template: str | None) -> str:
    if to == OutputFormat.json:
        return to_json(pm)
    if to == OutputFormat.html:
        from postmortems.export.html import render_html  # Jinja2 and nh3: only for HTML

        return render_html(pm, template)
    return render_markdown(pm, template)


@dataclasses.dataclass(frozen=True)
class _Formatted:
    """One file's outcome: its text before and after (None when not needed), or why not."""

    changed: bool
    original: str | None = None
    formatted: str | None = None
    unsafe: str | None = None


def _format_file(file: Path, template: str | None, keep_text: bool) -> _Formatted:
    original = read_text(file)
    try:
        formatted = format_text(original, str(file), template)
    except FormatSafetyError as exc:
        return _Formatted(False, unsafe=str(exc))
    changed = formatted != original
    if keep_text and changed:
        return _Formatted(True, original, formatted)
    return _Formatted(changed)


def fmt(
    files: list[str] = typer.Argument(
        ..., help="Postmortems to format in place: files, directories (recursively) or globs."
    ),
    check: bool = typer.Option(
        False, "--check", help="Write nothing; exit 1 if any file would change."
    ),
    diff: bool = typer.Option(False, "--diff", help="Write nothing; show the changes as a diff."),
    template: str | None = typer.Option(
        None, "--template", "-t", help="Also reorder and rename sections."
    ),
    jobs: int | None = typer.Option(
        None, "--jobs", "-j", min=1, help="Processes for many files (default: one per CPU)."
    ),
) -> None:
    """Rewrite postmortems in canonical form, like a code formatter.

    Example: pm fmt --check postmortems/
    """
    _check_template(template)
    out = stdout_console()
    errors = stderr_console()
    paths, problems = markdown_files(files)
    if problems:  # refuse rather than format only some of what was asked
        raise InputError(f"{problems[0]}; nothing formatted")
    if not paths:
        raise InputError("no Markdown files to format")
    changed = 0
    failed: list[str] = []
    keep_text = diff or not check
    work = functools.partial(_format_file, template=template, keep_text=keep_text)
    for file, outcome in zip(paths, map_in_order(work, paths, jobs), strict=True):
        if outcome.unsafe is not None:
            # Say so and go on with the other files: this one is left exactly as it was.
            errors.print(one_line(f"pm: refused: {outcome.unsafe}"), markup=False)
            failed.append(str(file))
            continue
        if not outcome.changed:
            continue
        changed += 1
        if diff:
            assert outcome.original is not None and outcome.formatted is not None
            lines = difflib.unified_diff(
                outcome.original.splitlines(keepends=True),
                outcome.formatted.splitlines(keepends=True),
                fromfile=str(file),
                tofile=f"{file} (formatted)",
            )
            echo("".join(lines))
        elif check:
            out.print(f"would reformat {file}", markup=False)
        else:
            assert outcome.original is not None and outcome.formatted is not None
            try:
                rewrite_in_place(
                    file, outcome.original, outcome.formatted, read_text, "it was being formatted"
                )
            except ChangedMeanwhileError as exc:
                errors.print(one_line(f"pm: refused: {exc}"), markup=False)
                failed.append(str(file))
                continue
            out.print(f"reformatted {file}", markup=False)
    summary = f"{changed} file{'s' if changed != 1 else ''} {'would be ' if check or diff else ''}reformatted, "
    summary += f"{len(paths) - changed - len(failed)} unchanged"
    if failed:
        summary += f", {len(failed)} refused and left unchanged (see above)"
    errors.print(summary, markup=False)
    if failed:
        raise typer.Exit(EXIT_FINDINGS)
    if changed and (check or diff):
        raise typer.Exit(1)


def schema() -> None:
    """Print the JSON Schema of `pm render --to json`: the postmortem model and its metrics.

    Example: pm schema > postmortem.schema.json
    """
    echo(json.dumps(json_schema(), indent=2) + "\n")
