"""`pm new`: start a postmortem from a template."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import jinja2
import typer
from rich.console import Console

from postmortems.errors import InputError
from postmortems.files import write_atomic
from postmortems.markdown.render import environment
from postmortems.markdown.sections import TEMPLATES
from postmortems.slug import incident_id


def new(
    path: Path | None = typer.Argument(
        None, help="Where to write it. Default: ./<id>.md; a directory: <id>.md inside it."
    ),
    template: str = typer.Option(
        "seed",
        "--template",
        "-t",
        help="seed, google, pagerduty, or a path to your own template file.",
    ),
    title: str = typer.Option("Untitled incident", "--title", help="The incident's title."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing file."),
) -> None:
    """Start a new postmortem with today's date and TODO placeholders.

    Example: pm new --title "Checkout errors after config deploy"
    """
    today = dt.datetime.now(dt.UTC).date()
    ident = incident_id(today, title)
    target = path or Path(f"{ident}.md")
    if target.is_dir():
        target = target / f"{ident}.md"
    sections = (
        [(k.value, h) for k, h in TEMPLATES[template].headings] if template in TEMPLATES else []
    )
    text = _template(template).render(
        id=ident, title=title, date=today.isoformat(), template=template, sections=sections
    )
    write_atomic(target, text, overwrite=force)
    Console(highlight=False).print(f"Created {target} ({template} template)")


def _template(name: str) -> jinja2.Template:
    if name in TEMPLATES:
        # One file for every built-in template: its sections come from TEMPLATES.
        return environment().get_template("new/document.md.j2")
    source = Path(name)
    if not source.is_file():
        known = ", ".join(TEMPLATES)
        raise InputError(f"no such template: not one of {known}, nor a file", name)
    try:
        return jinja2.Environment(keep_trailing_newline=True).from_string(source.read_text("utf-8"))
    except (UnicodeDecodeError, jinja2.TemplateSyntaxError) as exc:
        line = getattr(exc, "lineno", None)
        raise InputError(f"template cannot be read: {exc}", name, line) from exc
