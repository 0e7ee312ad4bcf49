"""The terminal view of a postmortem (`pm show`)."""

from __future__ import annotations

import datetime as dt

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from postmortems import metrics
from postmortems.markdown.render import display_zone, event_time_text
from postmortems.model import LIFECYCLE_FIELD_BY_PHASE, Phase, Postmortem, TimelineEvent

# Rich lays a table out cell by cell (about a millisecond a row); past this many rows the
# rows are printed as plain lines, so a document of thousands of entries shows in a second.
MAX_TABLE_ROWS = 500

_STATUS_STYLE = {"draft": "yellow", "in_review": "cyan", "approved": "green", "published": "green"}


def _when(at: dt.datetime | None, zone: dt.tzinfo | None) -> str:
    if at is None:
        return "—"
    shown = at.astimezone(zone) if zone else at
    name = shown.tzname() or ""
    return f"{shown:%Y-%m-%d %H:%M} {name}".strip()


def _phase_entry(pm: Postmortem, phase: Phase) -> TimelineEvent | None:
    """The timeline entry that gave a phase its place on the clock."""
    elapsed = pm.lifecycle.elapsed_s.get(phase)
    placed = [e for e in pm.timeline if e.elapsed_s is not None and e.elapsed_s == elapsed]
    # One entry can mark two phases (detected when it started): prefer the one tagged.
    return next((e for e in placed if e.phase is phase), placed[0] if placed else None)


def _phase_time(pm: Postmortem, phase: Phase, field: str, zone: dt.tzinfo | None) -> str:
    at = getattr(pm.lifecycle, field)
    if at is not None:
        return _when(at, zone)
    elapsed = pm.lifecycle.elapsed_s.get(phase)
    if elapsed is None:
        return "—"
    entry = _phase_entry(pm, phase)
    written = entry.time_as_written if entry and entry.time_as_written else ""
    return f"{written} ({metrics.format_elapsed(elapsed)}, no date)".strip()


def show_postmortem(pm: Postmortem, console: Console) -> None:
    zone = display_zone(pm)
    title = pm.title or "(untitled postmortem)"
    console.print(f"[bold]{escape(title)}[/bold]")
    facts = []
    if pm.status:
        facts.append(f"[{_STATUS_STYLE.get(pm.status.value, 'white')}]{pm.status.value}[/]")
    if pm.severity:
        facts.append(f"severity {escape(pm.severity)}")
    if pm.date:
        facts.append(pm.date.isoformat())
    if pm.timezone:
        facts.append(escape(pm.timezone))
    if pm.authors:
        facts.append("by " + escape(", ".join(pm.authors)))
    if facts:
        console.print(" · ".join(facts))
    missing = [s for s in ("summary", "timeline", "root_cause", "action_items") if not _has(pm, s)]
    if missing:
        console.print(f"[dim]missing: {', '.join(missing)}[/dim]")
    console.print()
    _lifecycle(pm, console, zone)
    _timeline(pm, console, zone)
    _actions(pm, console)
    if pm.warnings:
        console.print(f"[yellow]{len(pm.warnings)} parse warning(s):[/yellow]")
        for warning in pm.warnings:
            where = (
                f"{pm.source_path or ''}:{warning.line}" if warning.line else pm.source_path or ""
            )
            console.print(f"  [yellow]{escape(where)}[/yellow] {escape(warning.message)}")


def _has(pm: Postmortem, name: str) -> bool:
    from postmortems.model import SectionKind

    return bool(pm.sections_of(SectionKind(name)))


def _lifecycle(pm: Postmortem, console: Console, zone: dt.tzinfo | None) -> None:
    table = Table(title="Lifecycle", title_justify="left", show_edge=False)
    table.add_column("phase")
    table.add_column("time")
    table.add_column("source", style="dim")
    for phase, field in LIFECYCLE_FIELD_BY_PHASE.items():
        known = getattr(pm.lifecycle, field) is not None or phase in pm.lifecycle.elapsed_s
        if phase is Phase.END and not known:
            continue  # only documents that mark the end of impact apart from mitigation
        how = (
            "inferred from wording"
            if phase in pm.lifecycle_inferred
            else ("stated" if known else "")
        )
        table.add_row(field.removesuffix("_at"), escape(_phase_time(pm, phase, field, zone)), how)
    console.print(table)
    durations = Table(show_header=True, show_edge=False, box=None)
    for metric in metrics.all_metrics(pm):
        durations.add_column(metric.code, justify="right")
    durations.add_row(*(metrics.format_duration(m.value) for m in metrics.all_metrics(pm)))
    console.print(durations)
    console.print()


def _print_table(console: Console, table: Table) -> None:
    if table.row_count <= MAX_TABLE_ROWS:
        console.print(table)
        return
    if table.title:
        console.print(table.title)
    columns = [list(column.cells) for column in table.columns]
    rows = (
        "  ".join(str(cells[i]) for cells in columns if str(cells[i]))
        for i in range(table.row_count)
    )
    console.print("\n".join(rows), soft_wrap=True, overflow="ignore", crop=False)
    console.print(f"[dim]({table.row_count:,} rows, shown as lines rather than a table)[/dim]")


def _timeline(pm: Postmortem, console: Console, zone: dt.tzinfo | None) -> None:
    events = pm.timeline
    table = Table(title=f"Timeline ({len(events)} entries)", title_justify="left", show_edge=False)
    table.add_column("time", no_wrap=True)
    table.add_column("+", justify="right", no_wrap=True, style="dim")
    table.add_column("phase", style="cyan")
    table.add_column("event")
    for event in events:
        stamp = event_time_text(event, zone) or "[dim]no time[/dim]"
        phase = event.phase.value if event.phase else ""
        if event.phase and event.phase_inferred:
            phase += "?"
        first_line = event.text.strip().split("\n", 1)[0]
        since = metrics.format_elapsed(event.elapsed_s) if event.elapsed_s is not None else ""
        table.add_row(
            escape(stamp) if event.at or event.time_as_written else stamp,
            since,
            phase,
            escape(first_line),
        )
    _print_table(console, table)
    if any(e.phase_inferred for e in events):
        console.print("[dim]? phase inferred from the entry's wording[/dim]")
    console.print()


def _actions(pm: Postmortem, console: Console) -> None:
    items = pm.action_items
    table = Table(title=f"Action items ({len(items)})", title_justify="left", show_edge=False)
    table.add_column("", no_wrap=True)
    table.add_column("action")
    table.add_column("owner")
    table.add_column("due")
    table.add_column("type")
    for item in items:
        table.add_row(
            "[green]✓[/green]" if item.done else "☐",
            escape(item.text.split("\n", 1)[0]),
            escape(item.owner) if item.owner else "[red]none[/red]",
            item.due.isoformat()
            if item.due
            else (escape(item.due_as_written or "") or "[dim]—[/dim]"),
            item.type.value if item.type else "",
        )
    _print_table(console, table)
    console.print()
