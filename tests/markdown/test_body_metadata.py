"""Metadata written in the body: **Date**:, **Authors**:, **Status**:, ## Severity, a table."""

from __future__ import annotations

import datetime as dt

from postmortems.markdown.format import format_text
from postmortems.markdown.parse import parse_text
from postmortems.model import Status

BODY = """\
# Login failures after a certificate rotation

**Date**: 14 February 2025
**Authors**: Rosa Lind, Tomek Baran and Ines Q.
**Status**: Draft

## Severity

SEV-2

## Timeline

- 09:12 Logins started failing
"""


def test_body_fields_are_read_into_the_model() -> None:
    pm = parse_text(BODY)
    assert pm.date == dt.date(2025, 2, 14)
    assert pm.authors == ["Rosa Lind", "Tomek Baran", "Ines Q."]
    assert pm.status is Status.DRAFT
    assert pm.severity == "SEV-2"
    assert pm.timeline[0].at == dt.datetime(2025, 2, 14, 9, 12, tzinfo=dt.UTC)


def test_front_matter_wins_over_the_body() -> None:
    pm = parse_text("---\nseverity: SEV-1\ndate: 2025-02-13\n---\n" + BODY)
    assert pm.severity == "SEV-1"
    assert pm.date == dt.date(2025, 2, 13)


def test_bold_colon_inside_and_list_forms() -> None:
    pm = parse_text("# X\n\n- **Date:** March 3rd, 2024\n- **Author:** Kim\n")
    assert pm.date == dt.date(2024, 3, 3)
    assert pm.authors == ["Kim"]


def test_severity_in_a_table() -> None:
    table = (
        "# X\n\n| Incident | Severity | Duration |\n| --- | --- | --- |\n| Login | Sev1 | 2h |\n"
    )
    assert parse_text(table).severity == "Sev1"
    cell = "# X\n\n| Field | Value |\n| --- | --- |\n| Level | Sev1 |\n"
    assert parse_text(cell).severity == "Sev1"


def test_body_metadata_does_not_move_into_front_matter() -> None:
    once = format_text(BODY)
    assert not once.startswith("---")
    assert "**Date**: 14 February 2025" in once
    assert format_text(once) == once
