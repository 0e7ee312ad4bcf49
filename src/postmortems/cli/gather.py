"""Commands from evidence: `pm gather` (a timeline) and `pm draft` (a postmortem)."""

from __future__ import annotations

import datetime as dt
import enum
from pathlib import Path

import typer
from rich.markup import escape
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from postmortems import times
from postmortems.analysis.draft import DraftOptions, build_draft
from postmortems.cli.output import check_output, write_output
from postmortems.control_chars import count_bidi, count_controls, escape_for_display, one_line
from postmortems.errors import InputError
from postmortems.evidence.gather import GatherOptions, GatherResult
from postmortems.evidence.gather import Progress as GatherProgress
from postmortems.evidence.gather import gather as gather_evidence
from postmortems.evidence.output import redaction_summary, render_gathered
from postmortems.evidence.redact import parse_keep, shorten
from postmortems.markdown.render import render_markdown
from postmortems.markdown.sections import TEMPLATES
from postmortems.terminal import stderr_console

_err = stderr_console()
BIG_INPUT = 50 * 1024 * 1024  # show a progress bar from this many bytes of input


class GatherFormat(enum.StrEnum):
    md = "md"
    json = "json"
    ndjson = "ndjson"


def _when(value: str | None, option: str, zone: dt.tzinfo) -> dt.datetime | None:
    if value is None:
        return None
    parsed = times.parse_datetime(value, default_tz=zone)
    if parsed is None:
        raise InputError(
            f"{option}: cannot read '{value}' as a date and time (try 2026-03-14T14:00Z)"
        )
    return parsed


def _options(
    since: str | None,
    until: str | None,
    year: int | None,
    tz: str,
    source_type: str | None,
    no_redact: bool,
    include_noise: bool = False,
    exclude: list[str] | None = None,
    keep: str | None = None,
    day: str | None = None,
) -> GatherOptions:
    zone = times.tz_from_name(tz)
    if zone is None:
        raise InputError(f"--tz: unknown timezone '{tz}'")
    try:
        kept = parse_keep(keep)
    except ValueError as exc:
        raise InputError(f"--keep: {exc}") from None
    return GatherOptions(
        source_type=source_type,
        since=_when(since, "--since", zone),
        until=_when(until, "--until", zone),
        year=year,
        date=_day(day),
        default_tz=zone,
        redact=not no_redact,
        keep=kept,
        include_noise=include_noise,
        exclude=tuple(exclude or ()),
    )


def _day(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"--date: cannot read '{value}' as a date (try 2026-03-14)") from None


def _run(sources: list[str], options: GatherOptions) -> GatherResult:
    sizes = sum(Path(s).stat().st_size for s in sources if s != "-" and Path(s).is_file())
    if sizes < BIG_INPUT or not _err.is_terminal:
        result = gather_evidence(sources, options)
    else:
        with Progress(
            TextColumn("[bold]{task.description}"), BarColumn(), DownloadColumn(), TimeRemainingColumn(),
            console=_err, transient=True,
        ) as bar:  # fmt: skip
            task = bar.add_task("reading", total=sizes)

            def advance(step: GatherProgress) -> None:
                bar.update(task, completed=step.bytes_done, description=Path(step.path).name)

            result = gather_evidence(sources, options, progress=advance)
    _summary(result)
    if not result.usable:
        raise InputError("nothing usable was read from the evidence given")
    return result


def _summary(result: GatherResult) -> None:
    table = Table(title="Sources", title_justify="left", show_edge=False)
    for column in ("input", "format", "lines", "events", "not understood"):
        table.add_column(column, justify="left" if column in ("input", "format") else "right")
    for stats in result.stats:
        unparsed = f"[yellow]{stats.lines_unparsed:,}[/]" if stats.lines_unparsed else "0"
        source = escape(f"{stats.source} ({stats.layout})" if stats.layout else stats.source)
        table.add_row(
            escape(stats.path), source, f"{stats.lines_read:,}", f"{stats.events:,}", unparsed
        )
    _err.print(table)
    for stats in result.stats:
        for number, text in stats.unparsed_examples[:2]:
            # Already redacted whole; shortened between words, and shown as written
            # (an "[error]" in a log line is text, not markup).
            example = escape(shorten(text, 100))
            _err.print(f"  [dim]{escape(stats.path)}:{number}: not understood: {example}[/dim]")
    for stats in result.stats:
        for note in stats.notes:
            if note.startswith("stopped: "):  # the same as an error listed below
                continue
            _err.print(f"[yellow]warning[/] {escape(stats.path)}: {escape(note)}")
    for error in result.errors:
        _err.print(f"[yellow]skipped[/] {escape(str(error))}")
    _err.print(result.window.describe(), markup=False)
    for line in redaction_summary(result):
        _err.print(line, markup=False)


_SOURCES = typer.Argument(..., help="Evidence files or folders (.gz too; - for standard input).")
_SINCE = typer.Option(None, "--since", help="Ignore evidence before this time (ISO 8601).")
_UNTIL = typer.Option(None, "--until", help="Ignore evidence after this time (ISO 8601).")
_YEAR = typer.Option(
    None,
    "--year",
    help="Year of log dates written without one (default: from the other evidence, else "
    "from the file's date).",
)
_DATE = typer.Option(
    None,
    "--date",
    help="Day of log times written without a date, e.g. 2026-03-14 (default: as for --year).",
)
_TZ = typer.Option("UTC", "--tz", help="Zone of timestamps written without one.")
_TYPE = typer.Option(
    None, "--type", help="Read every input as this format instead of detecting it."
)
_NO_REDACT = typer.Option(
    False, "--no-redact", help="Keep secrets, emails and IP addresses in the output."
)
_KEEP = typer.Option(
    None,
    "--keep",
    metavar="KINDS",
    help="Leave these personal data in, comma-separated: ip, email (e.g. --keep ip,email "
    "for an internal postmortem where an attacker's address is the point).",
)
_FORCE = typer.Option(False, "--force", help="Overwrite OUTPUT if it exists.")
_EXCLUDE = typer.Option(
    None, "--exclude", help="Skip files in folders matching this glob (repeatable), e.g. '*.md'."
)
_NOISE = typer.Option(
    False,
    "--include-noise",
    help="Keep chat joins and bot messages, and all chat far from the incident.",
)


def gather(
    sources: list[str] = _SOURCES,
    since: str | None = _SINCE,
    until: str | None = _UNTIL,
    output_format: GatherFormat = typer.Option(
        GatherFormat.md, "--format", "-f", help="md, json or ndjson."
    ),
    output: Path | None = typer.Option(
        None,
        "--output",
        "-o",
        help="Write here instead of standard output ('-' is standard output).",
    ),
    year: int | None = _YEAR,
    day: str | None = _DATE,
    tz: str = _TZ,
    source_type: str | None = _TYPE,
    no_redact: bool = _NO_REDACT,
    keep: str | None = _KEEP,
    include_noise: bool = _NOISE,
    exclude: list[str] | None = _EXCLUDE,
    force: bool = _FORCE,
) -> None:
    """Merge raw evidence into one sorted, collapsed, redacted timeline.

    Example: pm gather /var/log/syslog access.log alerts.json slack-export/ -o timeline.md
    """
    check_output(output, force)
    options = _options(
        since, until, year, tz, source_type, no_redact, include_noise, exclude, keep, day
    )
    result = _run(sources, options)
    write_output(output, _visible(render_gathered(result, output_format.value)), force)


def draft(
    sources: list[str] = _SOURCES,
    output: Path = typer.Option(..., "--output", "-o", help="The postmortem to write."),
    template: str = typer.Option("seed", "--template", "-t", help="seed, google or pagerduty."),
    title: str | None = typer.Option(None, "--title", help="Title (default: from the main alert)."),
    since: str | None = _SINCE,
    until: str | None = _UNTIL,
    year: int | None = _YEAR,
    day: str | None = _DATE,
    tz: str = _TZ,
    source_type: str | None = _TYPE,
    no_redact: bool = _NO_REDACT,
    keep: str | None = _KEEP,
    exclude: list[str] | None = _EXCLUDE,
    force: bool = _FORCE,
) -> None:
    """Draft a complete postmortem from raw evidence; only human judgement is left as TODO.

    Example: pm draft examples/incident/ -o postmortem.md
    """
    if template not in TEMPLATES:
        raise InputError(f"unknown template '{template}': choose one of {', '.join(TEMPLATES)}")
    check_output(output, force)
    options = _options(
        since, until, year, tz, source_type, no_redact, exclude=exclude, keep=keep, day=day
    )
    result = _run(sources, options)
    drafted = build_draft(result, DraftOptions(title=title, template=template))
    write_output(output, _visible(render_markdown(drafted.postmortem, template)), force)
    _err.print(
        one_line(f"drafted {output}: {len(drafted.postmortem.timeline)} timeline entries"),
        markup=False,
    )


def _visible(text: str) -> str:
    """Evidence text with its control and bidirectional characters made visible: a log line
    must not be able to drive the terminal of whoever reads the timeline or the draft, nor
    reorder what they see."""
    found = count_controls(text)
    if found:
        _err.print(
            f"pm: warning: {found} control character{'s' if found != 1 else ''} in the evidence "
            "written as symbols (␛ for ESC)",
            markup=False,
        )
    bidi = count_bidi(text)
    if bidi:
        _err.print(
            f"pm: warning: {bidi} bidirectional control{'s' if bidi != 1 else ''} in the "
            "evidence written as <U+XXXX> (they could reorder what a reader sees)",
            markup=False,
        )
    return escape_for_display(text)
