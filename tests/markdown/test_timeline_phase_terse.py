"""Phases as people write them tersely or in passing: trailing markers, detection by
people, terse acknowledgement and recovery, impact that comes back. Each timeline here
was labelled by hand before the inference ran on it; the traps say no such moment."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postmortems.markdown import phases
from postmortems.markdown.parse import parse_text
from postmortems.markdown.phase_words import Vocabulary, plain
from postmortems.markdown.phases import infer_phases, marker_phase
from postmortems.model import Phase


def _phases(texts: list[str]) -> dict[Phase, int]:
    return infer_phases(texts, [None] * len(texts))


TRAILING = """\
# Stuck consumers

## Timeline

- 13:05 oversized message published
- 13:06 first consumer crash, queue age grows **OUTAGE BEGINS**
- 13:16 queue-age alert fires; Lin paged
- 13:19 Lin acknowledges
- 13:44 message moved to the dead-letter queue **OUTAGE MITIGATED**
- 13:53 queue age back under 30 seconds. OUTAGE ENDS
- 14:30 size limit deployed to every consumer __INCIDENT ENDS__
"""


def test_markers_after_the_words_are_phases() -> None:
    pm = parse_text(TRAILING)
    phases = [e.phase for e in pm.timeline]
    assert phases[1] is Phase.START and not pm.timeline[1].phase_inferred
    assert phases[4] is Phase.MITIGATE
    assert phases[5] is Phase.END
    assert phases[6] is Phase.RESOLVE
    assert pm.lifecycle.elapsed_s[Phase.END] == 48 * 60
    assert pm.lifecycle.elapsed_s[Phase.RESOLVE] == 85 * 60


@pytest.mark.parametrize(
    "text",
    [
        "we were told later that the incident ended",  # a sentence, not a marker
        "the outage ends.",
        "Queue drained; the INCIDENT ENDS meeting is at noon",
    ],
)
def test_sentences_that_end_with_the_words_are_no_trailing_markers(text: str) -> None:
    assert marker_phase(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "A pharmacist in Leeds calls support: the texts never came",
        "the help desk phones start ringing",
        "support tickets pile up about missing texts",
        "café managers start calling the help line",
        "a spike of tickets about blank receipts",
        "the finance team reports totals that do not match",
        "clients are telephoning the front office",
        "Queue-age alert (> 15 min) fires",
        "first support chat from a customer",
        "Ticket from the teaching lab: nobody can open a notebook",
        "Reports in #ci-help",
        "IT help desk gets first 'no internet' calls",
        "cust complaint",
        "The head teacher is calling me about the portal",
    ],
)
def test_detection_by_people_and_checks(text: str) -> None:
    found = _phases(["config change applied", "payments start failing", text])
    assert found.get(Phase.DETECT) == 2, text


@pytest.mark.parametrize(
    "text",
    [
        "support did not get any calls",
        "if customers call support we would know within minutes",
        "last week's outage had the help desk phones ringing",
        "smoke tests indicate all fine, and this is reported in chat",
        "messages in the queue: 40k",
        "push notification sent to 4.2M users",
    ],
)
def test_no_detection_in_traps(text: str) -> None:
    found = _phases(["config change applied", "payments start failing", text])
    assert Phase.DETECT not in found, text


@pytest.mark.parametrize(
    "text",
    [
        "ack",
        "ack (jo)",
        "ack'd by Lucie",
        "ack by Lucie",
        "Eleri picks it up",
        "Jo on it",
        "control room engineer confirms broker errors",
    ],
)
def test_terse_acknowledgement(text: str) -> None:
    found = _phases(["uploads fail", "customer complaint comes in", text, "old key restored"])
    assert found.get(Phase.ACKNOWLEDGE) == 2, text


@pytest.mark.parametrize(
    "text",
    [
        "nobody picks it up for an hour",
        "the fix depends on it",
        "not acked for 20 minutes",
        "the bank confirmed no issue at their end",
    ],
)
def test_no_acknowledgement_in_traps(text: str) -> None:
    found = _phases(["uploads fail", "customer complaint comes in", text])
    assert Phase.ACKNOWLEDGE not in found, text


@pytest.mark.parametrize(
    "text",
    [
        "no more 502s",
        "uploads ok",
        "error rate flat",
        "green again",
        "5xx rate below 1%",
        "latency back to 120 ms",
        "404 rate back to zero, styles load for everyone",
        "previews correct",
        "workers stable, order queue draining",
        "error rate normal again",
    ],
)
def test_terse_recovery(text: str) -> None:
    found = _phases(["uploads fail", "alert fires", "old image redeployed by hand", text])
    assert found.get(Phase.MITIGATE) == 3, text


@pytest.mark.parametrize(
    "text",
    [
        "logs ok, nothing in them",
        "error rate not back to normal yet",
        "if the error rate drops below 1% we close the incident",
        "uploads ok on staging",
        "success rate at 15%",
    ],
)
def test_no_recovery_in_traps(text: str) -> None:
    found = _phases(["uploads fail", "alert fires", "old image redeployed by hand", text])
    assert Phase.MITIGATE not in found, text


def test_impact_that_comes_back_ends_when_it_ends_the_last_time() -> None:
    texts = [
        "site down, 502",
        "noticed by me",
        "restarted php-fpm, up",
        "down again",
        "raised the memory limit",
        "up and stable",
    ]
    assert _phases(texts)[Phase.MITIGATE] == 5


def test_work_that_starts_on_its_own_is_the_start_only_when_nothing_says_more() -> None:
    assert (
        _phases(["nightly export job starts", "logins begin to fail", "alert fires"])[Phase.START]
        == 1
    )
    assert _phases(["a new index build starts", "latency alert fires"])[Phase.START] == 0


def test_reports_that_are_the_detection_leave_the_start_to_the_change_before() -> None:
    texts = ["scheduler change applied", "first reports of empty results arrive", "rolled back"]
    assert _phases(texts)[Phase.START] == 0
    # With a later detection, words of impact said with reports are the start.
    texts = ["storage upgrade", "users start reporting missing edits", "the issue is detected"]
    assert _phases(texts)[Phase.START] == 1


def test_a_revert_to_a_version_is_the_mitigation_when_nothing_says_impact_ended() -> None:
    texts = [
        "deploy 2.7.0",
        "grey thumbnails",
        "photographer posts screenshots",
        "rolled back to 2.6.4",
    ]
    assert _phases(texts)[Phase.MITIGATE] == 3


@pytest.mark.parametrize(
    "text",
    [
        "concentrator kernel panic (fw 10.4.2)",
        "site down, 502",
        "customers are charged twice",
        "First 413 responses for uploads above 100 MB",
        "step 4 slows down; rows per second drop to a tenth",
    ],
)
def test_terse_words_of_impact_mark_the_start(text: str) -> None:
    found = _phases(["new firmware deployed", text, "helpdesk flooded", "netops paged"])
    assert found.get(Phase.START) == 1, text


def test_nothing_before_the_first_notice_ends_impact_when_its_start_is_unknown() -> None:
    texts = [
        "ETL finishes, 1.8B rows loaded instead of 600M",
        "data on-call acknowledges",
        "partition reloaded; totals correct",
    ]
    assert _phases(texts).get(Phase.MITIGATE) == 2


def test_an_action_said_to_work_is_the_mitigation_when_nothing_else_says_so() -> None:
    texts = ["node pool scaled to 0", "first researchers get spawn timeouts", "ticket from a lab"]
    found = _phases([*texts, "schedule disabled", "new servers start normally"])
    assert found[Phase.MITIGATE] == 4


@pytest.mark.parametrize(
    "text",
    [
        "Closed after 20 minutes without spawn failures",
        "Review meeting held and the incident was closed",
    ],
)
def test_closing_said_in_passing_is_the_resolution(text: str) -> None:
    found = _phases(["uploads fail", "alert fires", "uploads work again", text])
    assert found.get(Phase.RESOLVE) == 3, text


def _vocabularies() -> list[tuple[str, Vocabulary]]:
    return [(name, value) for name, value in vars(phases).items() if isinstance(value, Vocabulary)]


def _labelled_entry_texts() -> list[str]:
    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    texts: list[str] = []
    for folder in ("reading", "heldout"):
        for path in sorted((fixtures / folder).glob("*.md")):
            texts.extend(plain(e.text) for e in parse_text(path.read_text("utf-8")).timeline)
    return texts


def test_the_gated_vocabulary_finds_what_one_regex_finds_on_labelled_entries() -> None:
    texts = _labelled_entry_texts()
    assert len(texts) > 500
    for name, vocabulary in _vocabularies():
        whole = re.compile(r"\b(?:" + vocabulary.pattern + ")")
        for text in texts:
            assert (next(vocabulary.finditer(text), None) is None) == (
                whole.search(text) is None
            ), (name, text)


_SAMPLE_WORDS = tuple(
    [
        "the",
        "site",
        "is",
        "down",
        "again",
        "paged",
        "users",
        "report",
        "errors",
        "rolled",
        "back",
        "to",
        "2.6",
        "no",
        "more",
        "502s",
        "ack",
        "on",
        "it",
        "uploads",
        "ok",
        "incident",
        "closed",
        "first",
        "reports",
        "alert",
        "fires",
        "help",
        "desk",
        "phones",
        "start",
        "ringing",
        "error",
        "rate",
        "flat",
        "customers",
        "charged",
        "twice",
        "job",
        "starts",
        ",",
        ";",
        ".",
        "(",
        ")",
    ]
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(_SAMPLE_WORDS),
        max_size=12,
    )
)
def test_the_gated_vocabulary_finds_what_one_regex_finds(words: list[str]) -> None:
    text = plain(" ".join(words))
    for name, vocabulary in _vocabularies():
        whole = re.compile(r"\b(?:" + vocabulary.pattern + ")")
        assert (next(vocabulary.finditer(text), None) is None) == (whole.search(text) is None), (
            name,
            text,
        )


@pytest.mark.parametrize(
    "text",
    [
        "batch completes, positions current",
        "new messages in correct order",
        "all mail visible in the new mailboxes",
        "dashboards correct",
        "new servers start normally",
    ],
)
def test_more_terse_recovery(text: str) -> None:
    found = _phases(["uploads fail", "alert fires", "old image redeployed by hand", text])
    assert found.get(Phase.MITIGATE) == 3, text


def test_a_switch_off_is_the_mitigation_when_nothing_after_it_says_impact_ended() -> None:
    texts = ["cron fires twice", "dup emails out", "cust complaint", "ack", "cron disabled", "done"]
    found = _phases(texts)
    assert found[Phase.START] == 1
    assert found[Phase.DETECT] == 2
    assert found[Phase.MITIGATE] == 4
    assert found[Phase.RESOLVE] == 5


def test_an_action_before_an_entry_that_only_closes_the_incident_is_the_mitigation() -> None:
    texts = [
        "provider suspends the domain; all sends are rejected",
        "support notices a rise in tickets and pages on-call",
        "mail switched to the backup provider",
        "provider lifts the suspension; incident resolved",
    ]
    assert _phases(texts)[Phase.MITIGATE] == 2
    # An entry that says impact ended as well as the closing keeps the mitigation.
    texts[3] = "service restored, incident resolved"
    assert _phases(texts)[Phase.MITIGATE] == 3


def test_words_of_impact_after_the_detection_leave_the_start_to_what_came_before() -> None:
    texts = [
        "the index rebuild job was started by a scheduler change",
        "the first reports of empty results arrived from support",
        "the on-call engineer acknowledged the page and began investigating",
    ]
    assert _phases(texts)[Phase.START] == 0
    # Words of impact said with the detection itself are its start.
    texts = ["config change deployed", "the first signs of errors were detected", "rolled back"]
    assert _phases(texts)[Phase.START] == 1


@pytest.mark.parametrize(
    ("text", "ended"),
    [
        ("autocomplete disabled with the feature flag, exposure stops", True),
        ("3.2.0 rolled back, double credits stop", True),
        ("flag flipped but the exposure did not stop", False),
    ],
)
def test_what_went_wrong_stopping_is_the_mitigation(text: str, ended: bool) -> None:
    found = _phases(["release 7.3.0 deployed", "first cross-tenant suggestion served", "ack", text])
    assert (found.get(Phase.MITIGATE) == 3) is ended, text
