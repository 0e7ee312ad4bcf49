"""Times of day without a date, impossible dates, and zones that do not exist."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from postmortems import metrics
from postmortems.cli.app import app
from postmortems.markdown.format import format_text
from postmortems.markdown.parse import parse_text
from postmortems.model import Phase

UNDATED = """\
# Queue backlog

## Timeline

- **23:40**: Deploy of the consumer started
- **23:52**: Errors started on the checkout API
- **23:58**: Alert fired for the error rate
- **00:05**: On-call acknowledged and began investigating
- **00:31**: Service restored after the rollback
- **01:10**: Incident resolved
"""


def test_times_without_a_date_are_placed_on_the_document_clock() -> None:
    pm = parse_text(UNDATED)
    assert [e.at for e in pm.timeline] == [None] * 6
    assert [e.elapsed_s for e in pm.timeline] == [0, 720, 1080, 1500, 3060, 5400]
    assert [e.time_as_written for e in pm.timeline][4] == "00:31"
    assert pm.lifecycle.elapsed_s[Phase.START] == 720
    assert metrics.ttd(pm) == dt.timedelta(minutes=6)
    assert metrics.tta(pm) == dt.timedelta(minutes=7)
    assert metrics.ttm(pm) == dt.timedelta(minutes=39)
    assert metrics.ttr(pm) == dt.timedelta(minutes=78)
    assert metrics.impact_duration(pm) == dt.timedelta(minutes=39)


def test_one_warning_says_the_date_is_unknown() -> None:
    pm = parse_text(UNDATED)
    dateless = [w for w in pm.warnings if "no date" in w.message]
    assert len(dateless) == 1
    assert dateless[0].line == 5
    assert len(pm.warnings) == 1


@pytest.mark.parametrize(
    "where",
    [
        "---\ndate: 2024-05-06\n---\n",
        "**Date**: 6 May 2024\n\n",
    ],
)
def test_a_date_stated_elsewhere_places_them(where: str) -> None:
    pm = parse_text(where + UNDATED)
    assert pm.timeline[0].at == dt.datetime(2024, 5, 6, 23, 40, tzinfo=dt.UTC)
    assert pm.timeline[4].at == dt.datetime(2024, 5, 7, 0, 31, tzinfo=dt.UTC)
    assert not [w for w in pm.warnings if "no date" in w.message]


def test_a_date_found_after_the_timeline_still_places_it() -> None:
    pm = parse_text(UNDATED + "\n## Impact\n\n**Date**: 2024-05-06\n")
    assert pm.timeline[0].at == dt.datetime(2024, 5, 6, 23, 40, tzinfo=dt.UTC)


def test_a_date_group_after_undated_entries_places_those_before_it() -> None:
    text = "# X\n\n## Timeline\n\n- 23:50 Errors started\n\n### 7 May 2024\n\n- 00:20 Service restored\n"
    pm = parse_text(text)
    assert pm.timeline[1].at == dt.datetime(2024, 5, 7, 0, 20, tzinfo=dt.UTC)
    assert pm.timeline[0].at == dt.datetime(2024, 5, 6, 23, 50, tzinfo=dt.UTC)


def test_render_json_has_elapsed_and_metrics(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "pm.md"
    path.write_text(UNDATED)
    result = CliRunner().invoke(app, ["render", str(path), "--to", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    events = [e for s in data["sections"] for e in s["events"]]
    assert [e["at"] for e in events] == [None] * 6
    assert [e["elapsed_s"] for e in events] == [0, 720, 1080, 1500, 3060, 5400]
    assert data["metrics"] == {
        "ttd_s": 360.0,
        "tta_s": 420.0,
        "ttm_s": 2340.0,
        "ttr_s": 4680.0,
        "impact_s": 2340.0,
    }


def test_schema_documents_elapsed_and_metrics() -> None:
    result = CliRunner().invoke(app, ["schema"])
    schema = json.loads(result.stdout)
    assert set(schema["properties"]["metrics"]["$ref"].split("/")[-1:]) == {"Metrics"}
    assert set(schema["$defs"]["Metrics"]["properties"]) == {
        "ttd_s",
        "tta_s",
        "ttm_s",
        "ttr_s",
        "impact_s",
    }
    assert "elapsed_s" in schema["$defs"]["TimelineEvent"]["properties"]
    assert "metrics" in schema["required"]


def test_show_prints_times_as_written_and_durations(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "pm.md"
    path.write_text(UNDATED)
    result = CliRunner().invoke(app, ["show", str(path)])
    assert result.exit_code == 0, result.output
    assert "00:31 (+51m, no date)" in result.stdout
    assert "39m" in result.stdout and "1h 18m" in result.stdout
    assert result.stdout.count("have no date") == 1


def test_fmt_keeps_undated_times_as_written_and_is_a_fixed_point() -> None:
    once = format_text(UNDATED)
    assert "**00:31**" in once
    assert format_text(once) == once


# --- impossible dates and zones that do not exist ------------------------------------------


@pytest.mark.parametrize("value", ["0000-00-00", "2026-02-30"])
def test_a_date_that_does_not_exist_is_a_warning(value: str) -> None:
    pm = parse_text(f"---\ndate: {value}\n---\n# X\n\n## Timeline\n\n- 10:00 Errors started\n")
    assert pm.date is None
    assert any("'date'" in w.message and w.line == 2 for w in pm.warnings)
    assert pm.timeline[0].elapsed_s == 0


def test_a_timeline_passing_the_end_of_the_calendar_does_not_crash() -> None:
    text = "---\ndate: 9999-12-31\n---\n# X\n\n## Timeline\n\n- 23:50 Errors\n- 00:10 Restored\n"
    pm = parse_text(text)
    assert pm.timeline[0].at == dt.datetime(9999, 12, 31, 23, 50, tzinfo=dt.UTC)
    assert pm.timeline[1].at is None
    assert any("outside the calendar" in w.message and w.line == 9 for w in pm.warnings)
    assert format_text(text)  # and the document still formats


@pytest.mark.parametrize("zone", ["GMT-25", "America/Nowhere", "UTC+30"])
def test_an_unknown_zone_is_reported_not_replaced(zone: str) -> None:
    text = f"---\ndate: 2026-03-01\n---\n# X\n\n## Timeline\n\n- 10:00 UTC a\n- 10:05 {zone} b\n"
    pm = parse_text(text)
    entry = pm.timeline[1]
    assert entry.at is None and entry.elapsed_s is None
    assert entry.time_as_written == f"10:05 {zone}"
    assert entry.text == "b"
    assert any(f"unknown timezone '{zone}'" in w.message and w.line == 9 for w in pm.warnings)
    assert format_text(text) == format_text(format_text(text))


def test_posix_style_zone_names_are_zones() -> None:
    text = (
        "---\ndate: 2026-07-01\n---\n# X\n\n## Timeline\n\n- 10:00 PST8PDT a\n- 10:30 EST5EDT b\n"
    )
    pm = parse_text(text)
    assert pm.timeline[0].at == dt.datetime(2026, 7, 1, 10, tzinfo=ZoneInfo("PST8PDT"))
    assert pm.timeline[0].at.utcoffset() == dt.timedelta(hours=-7)  # daylight saving in July
    assert pm.timeline[1].at == dt.datetime(2026, 7, 1, 10, 30, tzinfo=ZoneInfo("EST5EDT"))
    assert pm.timeline[0].text == "a"


def test_lint_does_not_call_undated_times_unreadable(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "pm.md"
    path.write_text(UNDATED)
    result = CliRunner().invoke(app, ["lint", str(path), "--format", "json"])
    assert "PM202" not in result.stdout


def test_show_names_the_written_time_of_a_phase_sharing_an_entry(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "pm.md"
    path.write_text(
        "# X\n\n## Timeline\n\n- 9:15 AM: Issue detected by a login alert\n"
        "- 11:00 AM: Service restored after a restart\n"
    )
    result = CliRunner().invoke(app, ["show", str(path)])
    lines = [line for line in result.stdout.splitlines() if "9:15 AM (start, no date)" in line]
    assert len(lines) == 2  # started and detected, both at the first entry
