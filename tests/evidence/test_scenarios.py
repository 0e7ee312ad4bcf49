"""Generated incidents with known truth, read back through the whole gather pipeline."""

from __future__ import annotations

import dataclasses
import enum
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from postmortems.analysis.changes import find_changes
from postmortems.analysis.draft import build_draft
from postmortems.analysis.impact import compute_impact
from postmortems.evidence.events import EventKind
from postmortems.evidence.gather import GatherOptions, GatherResult, gather
from postmortems.evidence.output import render_gathered
from postmortems.evidence.scenario import EXAMPLE, PRESETS, generate
from postmortems.evidence.window import Window, WindowMethod
from postmortems.markdown.render import render_markdown

REPO = Path(__file__).resolve().parents[2]
EXAMPLE_DIR = REPO / "examples" / "incident"
TOLERANCE = timedelta(minutes=2)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def read_scenario(folder: Path, year: int | None = None) -> tuple[dict[str, Any], GatherResult]:
    truth = json.loads((folder / "truth.json").read_text())
    zone = truth["read_with"]["default_tz"]
    options = GatherOptions(default_tz=ZoneInfo(zone) if zone else None, year=year)
    result = gather([str(folder / name) for name in truth["files"]], options)
    return truth, result


@pytest.fixture(scope="module", params=sorted(PRESETS))
def scenario(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[dict[str, Any], GatherResult]:
    folder = tmp_path_factory.mktemp(request.param)
    generate(PRESETS[request.param], folder)
    return read_scenario(folder)


def test_every_input_is_read_without_unparsed_lines(
    scenario: tuple[dict[str, Any], GatherResult],
) -> None:
    truth, result = scenario
    assert [str(e) for e in result.errors] == []
    assert len(result.stats) == len(truth["files"])
    for stats in result.stats:
        assert stats.events > 0, stats.path
        assert stats.lines_unparsed == 0, (stats.path, stats.unparsed_examples)


def test_window_is_within_two_minutes_of_the_truth(
    scenario: tuple[dict[str, Any], GatherResult],
) -> None:
    truth, result = scenario
    window = result.window
    assert window.start is not None and window.end is not None, window.describe()
    assert abs(window.start - utc(truth["start"])) <= TOLERANCE, window.describe()
    assert abs(window.end - utc(truth["mitigated"])) <= TOLERANCE, window.describe()


def test_every_alert_page_deploy_and_pinned_message_appears(
    scenario: tuple[dict[str, Any], GatherResult],
) -> None:
    truth, result = scenario
    events = result.events

    def found(kind: EventKind, at: str, **attrs: object) -> bool:
        when = utc(at)
        return any(
            e.kind is kind
            and abs(e.time - when) <= timedelta(seconds=1)
            and all(e.attrs.get(k) == v for k, v in attrs.items())
            for e in events
        )

    for alert in truth["alerts"]:
        assert found(EventKind.ALERT, alert["at"], status=alert["status"]), alert
    for page in truth["pages"]:
        assert found(EventKind.PAGE, page["at"], state=page["state"]), page
    for deploy in truth["deploys"]:
        assert found(EventKind.DEPLOY, deploy["at"], sha=deploy["sha"]), deploy
    for pinned in truth["pinned"]:
        assert found(EventKind.CHAT, pinned["at"], pinned=True), pinned


def test_no_planted_secret_survives_anywhere_in_the_result(
    scenario: tuple[dict[str, Any], GatherResult],
) -> None:
    truth, result = scenario
    text = serialise(result)
    assert truth["planted"], "the scenario planted nothing to look for"
    leaked = [p for p in truth["planted"] if p["value"] in text]
    assert leaked == []
    assert sum(result.redactions.values()) >= len(truth["planted"]) - 4  # emails may repeat


@pytest.mark.parametrize("fmt", ["md", "json", "ndjson", "draft"])
def test_no_planted_secret_survives_in_any_output(
    scenario: tuple[dict[str, Any], GatherResult], fmt: str
) -> None:
    truth, result = scenario
    if fmt == "draft":
        text = render_markdown(build_draft(result).postmortem)
    else:
        text = render_gathered(result, fmt)
    assert [p["kind"] for p in truth["planted"] if p["value"] in text] == []


def test_the_causing_deploy_is_the_first_candidate_trigger(
    scenario: tuple[dict[str, Any], GatherResult],
) -> None:
    truth, result = scenario
    assert result.window.start is not None
    changes = find_changes(result.events, result.window.start)
    assert changes, "no change found before the start"
    assert changes[0].kind is EventKind.DEPLOY
    assert changes[0].time == utc(truth["causing_deploy"]["at"])
    assert truth["causing_deploy"]["sha"][:7] in changes[0].what


def test_impact_equals_what_the_access_log_says(
    scenario: tuple[dict[str, Any], GatherResult],
) -> None:
    truth, result = scenario
    if truth["impact"] is None:
        assert result.traffic == []
        return
    expected = truth["impact"]
    window = Window(utc(truth["window"]["start"]), utc(truth["window"]["end"]), WindowMethod.GIVEN)
    impact = compute_impact(result.traffic, window)
    assert impact is not None
    assert impact.requests == expected["requests"]
    assert impact.failed_requests == expected["failed_requests"]
    assert impact.clients_affected == expected["clients_affected"]
    assert impact.minutes_of_impact == expected["minutes_of_impact"]
    assert impact.peak_error_rate == pytest.approx(expected["peak_error_rate"], abs=1e-6)


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_truth_tells_a_consistent_story(name: str, tmp_path: Path) -> None:
    truth = generate(PRESETS[name], tmp_path)
    moments = [utc(truth[k]) for k in ("start", "detected", "acknowledged", "mitigated")]
    assert moments == sorted(moments)
    assert utc(truth["resolved"]) >= utc(truth["mitigated"])
    assert utc(truth["causing_deploy"]["at"]) < utc(truth["start"])
    assert utc(truth["window"]["start"]) <= utc(truth["start"]) < utc(truth["window"]["end"])
    assert all((tmp_path / f.rstrip("/")).exists() for f in truth["files"])
    assert len({p["value"] for p in truth["planted"]}) == len(truth["planted"])


def test_year_less_syslog_crosses_new_year_from_the_file_date(tmp_path: Path) -> None:
    truth = generate(PRESETS["new-year-syslog"], tmp_path)
    _, result = read_scenario(tmp_path)  # no --year: the file's date decides
    syslog_days = {
        e.time.date().isoformat()
        for e in result.events
        if e.kind is EventKind.LOG and (e.ref or "").startswith(str(tmp_path / "syslog"))
    }
    assert {"2026-12-31", "2027-01-01"} <= syslog_days
    assert result.window.start is not None
    assert abs(result.window.start - utc(truth["start"])) <= TOLERANCE


def test_skewed_host_lines_land_off_by_the_skew_but_the_window_does_not(tmp_path: Path) -> None:
    spec = PRESETS["new-york-clock-skew"]
    truth = generate(spec, tmp_path)
    _, result = read_scenario(tmp_path)
    # Both hosts log the rollback's config reload within seconds of each other; the skewed
    # host's line is written with its wrong clock, so the collapsed pair spans the skew.
    [reload] = [e for e in result.events if "250ms -> 2000ms" in e.text]
    assert reload.count == 2 and reload.first is not None and reload.last is not None
    assert abs((reload.last - reload.first) - spec.skew) <= timedelta(seconds=30)
    assert truth["skew"]["host"] == spec.skewed_host
    assert result.window.start is not None
    assert abs(result.window.start - utc(truth["start"])) <= TOLERANCE


def test_example_incident_is_what_the_generator_writes(tmp_path: Path) -> None:
    generate(EXAMPLE, tmp_path)
    written = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    committed = sorted(
        p.relative_to(EXAMPLE_DIR)
        for p in EXAMPLE_DIR.rglob("*")
        if p.is_file() and p.name != "README.md"
    )
    assert written == committed
    for name in written:
        assert (tmp_path / name).read_bytes() == (EXAMPLE_DIR / name).read_bytes(), name


def test_example_access_log_is_small_enough_to_commit() -> None:
    assert (EXAMPLE_DIR / "access.log").stat().st_size < 3_000_000
    total = sum(p.stat().st_size for p in EXAMPLE_DIR.rglob("*") if p.is_file())
    assert total < 5_000_000


def test_example_window_and_impact_match_its_truth_exactly() -> None:
    truth = json.loads((EXAMPLE_DIR / "truth.json").read_text())
    _, result = read_scenario(EXAMPLE_DIR, year=utc(truth["start"]).year)
    assert result.window.start == utc(truth["window"]["start"])
    assert result.window.end == utc(truth["window"]["end"])
    impact = compute_impact(result.traffic, result.window)
    assert impact is not None
    assert (impact.requests, impact.failed_requests, impact.clients_affected) == (
        truth["impact"]["requests"],
        truth["impact"]["failed_requests"],
        truth["impact"]["clients_affected"],
    )


def serialise(result: GatherResult) -> str:
    """Everything in the result as text, the way any output format could show it."""

    def default(value: object) -> object:
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
        if isinstance(value, frozenset | set):
            return sorted(str(v) for v in value)
        if isinstance(value, datetime | enum.Enum | timedelta):
            return str(value)
        return repr(value)

    parts = {
        "events": result.events,
        "traffic": result.traffic,
        "stats": result.stats,
        "window": result.window,
        "errors": [str(e) for e in result.errors],
        "redactions": result.redactions,
    }
    return json.dumps(parts, default=default)
