"""`pm new`: start a postmortem from a template."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import jinja2
import typer

from postmortems.cli.output import check_output, write_output
from postmortems.control_chars import count_controls, escape_controls
from postmortems.errors import InputError
from postmortems.markdown.parse import read_text
from postmortems.markdown.render import environment
from postmortems.markdown.sections import TEMPLATES
from postmortems.slug import incident_id
from postmortems.terminal import stderr_console, stdout_console


def new(
    path: Path | None = typer.Argument(
        None,
        help="Where to write it. Default: ./<id>.md; a directory: <id>.md inside it; "
        "'-' for standard output.",
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
    one_line = " ".join(title.split())
    if count_controls(one_line) or one_line != title.strip():
        # A heading is one line, and a title must not drive the terminal of whoever reads it.
        stderr_console().print(
            "pm: warning: the title's line breaks became spaces and its control characters "
            "symbols (␛ for ESC)",
            markup=False,
        )
    title = escape_controls(one_line)
    today = dt.datetime.now(dt.UTC).date()
    ident = incident_id(today, title)
    target = path or Path(f"{ident}.md")
    if target.is_dir():
        target = target / f"{ident}.md"
    check_output(target, force)
    sections = (
        [(k.value, h) for k, h in TEMPLATES[template].headings] if template in TEMPLATES else []
    )
    try:
        text = _template(template).render(
            id=ident, title=title, date=today.isoformat(), template=template, sections=sections
        )
    except jinja2.TemplateError as exc:
        raise InputError(f"template cannot be filled in: {exc}", template) from exc
    write_output(target, text, force)
    if str(target) != "-":
        stdout_console().print(f"Created {target} ({template} template)", markup=False)


def _template(name: str) -> jinja2.Template:
    if name in TEMPLATES:
        # One file for every built-in template: its sections come from TEMPLATES.
        return environment().get_template("new/document.md.j2")
    source = Path(name)
    if not source.is_file():
        known = ", ".join(TEMPLATES)
        raise InputError(f"no such template: not one of {known}, nor a file", name)
    try:
        text = read_text(source)
        return jinja2.Environment(keep_trailing_newline=True).from_string(text)
    except jinja2.TemplateSyntaxError as exc:
        line = getattr(exc, "lineno", None)
        raise InputError(f"template cannot be read: {exc}", name, line) from exc
