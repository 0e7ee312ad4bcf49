"""The draft of the bundled example incident, checked against the example's ground truth."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from postmortems.analysis.draft import Draft, build_draft
from postmortems.evidence.events import EventKind
from postmortems.evidence.gather import gather
from postmortems.markdown.format import format_text
from postmortems.markdown.parse import parse_text
from postmortems.markdown.render import render_markdown
from postmortems.model import SectionKind

INCIDENT = Path(__file__).parents[2] / "examples" / "incident"
TOLERANCE = dt.timedelta(minutes=2)


def _truth() -> dict[str, object]:
    data: dict[str, object] = json.loads((INCIDENT / "truth.json").read_text())
    return data


def _time(value: object) -> dt.datetime:
    return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))


@pytest.fixture(scope="module")
def draft() -> Draft:
    return build_draft(gather([str(INCIDENT)]))


@pytest.mark.parametrize(
    ("field", "truth_key"),
    [
        ("started_at", "start"),
        ("detected_at", "detected"),
        ("acknowledged_at", "acknowledged"),
        ("mitigated_at", "mitigated"),
        ("resolved_at", "resolved"),
    ],
)
def test_lifecycle_within_two_minutes_of_truth(draft: Draft, field: str, truth_key: str) -> None:
    found = getattr(draft.lifecycle, field)
    assert found is not None
    assert abs(found - _time(_truth()[truth_key])) <= TOLERANCE


def test_causing_deploy_is_first_under_what_changed(draft: Draft) -> None:
    causing = _truth()["causing_deploy"]
    assert isinstance(causing, dict)
    first = draft.changes[0]
    assert first.kind is EventKind.DEPLOY
    assert str(causing["sha"])[:7] in first.what
    root_cause = draft.postmortem.text_of(SectionKind.ROOT_CAUSE)
    listed = [line for line in root_cause.splitlines() if line.startswith("- ")]
    assert str(causing["sha"])[:7] in listed[0]


def test_impact_numbers_equal_the_access_log(draft: Draft) -> None:
    truth = _truth()["impact"]
    assert isinstance(truth, dict) and draft.impact is not None
    assert draft.impact.requests == truth["requests"]
    assert draft.impact.failed_requests == truth["failed_requests"]
    assert draft.impact.clients_affected == truth["clients_affected"]
    impact_text = draft.postmortem.text_of(SectionKind.IMPACT)
    assert (
        f"{truth['requests']:,}" in impact_text and f"{truth['failed_requests']:,}" in impact_text
    )


def test_draft_is_canonical_and_reads_back(draft: Draft) -> None:
    text = render_markdown(draft.postmortem)
    assert format_text(text) == text
    again = parse_text(text)
    # Reading it back also places each phase on the timeline's clock (elapsed_s).
    placed = {"elapsed_s"}
    assert again.lifecycle.model_dump(exclude=placed) == draft.lifecycle.model_dump(exclude=placed)
    assert all(event.evidence for event in again.timeline if "(evidence: `" in event.text)
    assert len(again.timeline) <= 40


def test_human_judgement_is_left_as_todo(draft: Draft) -> None:
    pm = draft.postmortem
    for kind in (SectionKind.ROOT_CAUSE, SectionKind.LESSONS, SectionKind.CORRECTIVE_MEASURES):
        assert "TODO" in pm.text_of(kind)
    assert all("TODO" in item.text for item in pm.action_items)


def test_planted_secrets_do_not_reach_the_draft(draft: Draft) -> None:
    text = render_markdown(draft.postmortem)
    planted = _truth()["planted"]
    assert isinstance(planted, list)
    for secret in planted:
        assert secret["value"] not in text, secret["kind"]
