"""Lifecycle phases read from the words of timeline entries: verbs in their tenses and
voices, the nouns people write instead, and the sentences that use them without the
moment happening."""

from __future__ import annotations

import datetime as dt

import pytest

from postmortems import metrics
from postmortems.markdown.parse import parse_text
from postmortems.markdown.phase_words import plain, verb
from postmortems.markdown.phases import infer_phases
from postmortems.model import Phase


def phases_of(*entries: str) -> dict[Phase, int]:
    return infer_phases(list(entries), [None] * len(entries))


def test_a_verb_is_written_once_with_its_forms() -> None:
    import re

    stop = re.compile(verb("stop", past="stopped"))
    assert [bool(stop.fullmatch(w)) for w in ("stop", "stops", "stopped", "stopping")] == [
        True,
        True,
        True,
        False,
    ]
    assert re.compile(verb("fail")).match("failure") is None  # a noun, not the verb


def test_quotes_emphasis_and_html_are_not_words() -> None:
    assert plain('The <code>"HighErrors"</code> alert **fires**') == "the higherrors alert fires"
    assert plain("on-call ack'd it") == "on-call ack'd it"


@pytest.mark.parametrize(
    ("entry", "phase"),
    [
        ("Acked by on-call", Phase.ACKNOWLEDGE),
        ("the page was acknowledged by the on-call engineer", Phase.ACKNOWLEDGE),
        ("on-call woke up and joined the bridge", Phase.ACKNOWLEDGE),
        ("database team paged", Phase.DETECT),
        ("ops noticed the queue growing", Phase.DETECT),
        ("issue detected by monitoring alert", Phase.DETECT),
        ('the "Checkout 5xx" alert fires', Phase.DETECT),
        ("a merchant tweets that payouts are missing", Phase.DETECT),
        ("traffic shifted to the replica", Phase.MITIGATE),
        ("failover to the standby region completed", Phase.MITIGATE),
        ("rollback completed", Phase.MITIGATE),
        ("error rates back to normal", Phase.MITIGATE),
        ("customers able to check out again", Phase.MITIGATE),
        ("All search traffic healthy", Phase.MITIGATE),
        ("uploads complete and previews render", Phase.MITIGATE),
        ("the queue of delayed emails is drained", Phase.MITIGATE),
        ("Issue resolved", Phase.MITIGATE),
        ("incident closed", Phase.RESOLVE),
        ("declared resolved after an hour of clean graphs", Phase.RESOLVE),
    ],
)
def test_phase_words_as_people_write_them(entry: str, phase: Phase) -> None:
    found = phases_of("10:00 a config push breaks logins; logins fail", entry)
    assert found.get(phase) == 1, found


@pytest.mark.parametrize(
    ("entry", "phase"),
    [
        ("a previous rollback had left the flag on", Phase.MITIGATE),
        ("the service is not yet mitigated", Phase.MITIGATE),
        ("we could have detected this an hour earlier", Phase.DETECT),
        ("the plan will fail over to the standby", Phase.MITIGATE),
        ("failover to the second provider is started by hand", Phase.MITIGATE),
        ("the login alert did not fire", Phase.DETECT),
        ("nobody acknowledged the page for an hour", Phase.ACKNOWLEDGE),
        ("if the alert had fired we would have known", Phase.DETECT),
        ("last week's outage was resolved the same way", Phase.RESOLVE),
        ("the backup job is skipped again", Phase.MITIGATE),
        ("the canary detected no errors", Phase.DETECT),
        ("tested the build on my laptop, and it worked correctly", Phase.MITIGATE),
    ],
)
def test_words_that_do_not_say_the_moment_happened(entry: str, phase: Phase) -> None:
    found = phases_of("10:00 a config push breaks logins; logins fail", entry)
    assert found.get(phase) != 1, found


def test_impact_starts_with_what_went_wrong_before_anyone_noticed() -> None:
    found = phases_of(
        "the certificate on the status page host expires",
        "a customer tweets that the status page is down",
        "the status page loads again",
    )
    assert found[Phase.START] == 0 and found[Phase.DETECT] == 1
    assert found[Phase.MITIGATE] == 2


def test_without_words_of_impact_the_change_before_detection_starts_it() -> None:
    found = phases_of(
        "the new bundle is released",
        "support escalates reports of a blank login page",
        "Safari logins recover",
    )
    assert found == {Phase.START: 0, Phase.DETECT: 1, Phase.MITIGATE: 2}


def test_a_change_after_detection_is_not_the_start() -> None:
    found = phases_of("the latency alert fires", "a config change is rolled back")
    assert found[Phase.START] == 0


def test_the_effect_that_follows_an_action_is_the_mitigation() -> None:
    found = phases_of(
        "sign-ups start failing",
        "the on-call is paged",
        "traffic is switched to the backup provider",
        "codes are delivered normally again",
    )
    assert found[Phase.MITIGATE] == 3


def test_student_wording_gives_a_start_and_an_end() -> None:
    text = """\
# Outage report

Timeline:
- 10:45 AM (GMT+1): Issue detected by monitoring alert
- 10:50 AM (GMT+1): Engineer on call starts looking at the web servers
- 11:20 AM (GMT+1): Misleading path: the database was restarted
- 11:30 AM (GMT+1): Issue resolved - the load balancer config was corrected
"""
    pm = parse_text(text)
    assert pm.lifecycle.elapsed_s[Phase.START] == 0
    assert pm.lifecycle.elapsed_s[Phase.MITIGATE] == 45 * 60


def test_an_alert_that_fires_in_quotes_in_an_html_timeline_detects() -> None:
    text = """\
<h1>Checkout errors</h1>
<h2>Timeline</h2>
<ul>
<li>14:00 UTC: a tax service deploy starts returning 500s</li>
<li>14:06 UTC: the &quot;CheckoutErrors&quot; alert &quot;fires&quot;</li>
<li>14:30 UTC: checkout works again</li>
</ul>
"""
    pm = parse_text(text)
    assert [e.phase for e in pm.timeline] == [Phase.START, Phase.DETECT, Phase.MITIGATE]


def test_a_line_ends_the_clause_before_it() -> None:
    found = phases_of(
        "the export job fails",
        "the alert fires",
        "the export is rerun and results are correct",
        "no more failures overnight, the job did not fail again\nIncident officially resolved",
    )
    assert found[Phase.RESOLVE] == 3


def test_impact_ends_with_the_entry_saying_so_not_a_later_follow_up() -> None:
    text = """\
# Checkout errors

**Date**: 2024-05-02

## Timeline

- 10:00 UTC: checkout errors begin after the tax service deploy
- 10:05 UTC: the checkout alert fires
- 10:40 UTC: payments succeed again
- 12:00 UTC: a follow-up email tells customers the issue was resolved
"""
    pm = parse_text(text)
    assert metrics.impact_duration(pm) == dt.timedelta(minutes=40)
    assert pm.lifecycle.resolved_at is None
    without_recovery = parse_text(text.replace("- 10:40 UTC: payments succeed again\n", ""))
    assert without_recovery.lifecycle.mitigated_at is None
    assert metrics.impact_duration(without_recovery) is None


def test_a_phase_told_with_its_own_time_inside_an_entry_takes_that_time() -> None:
    text = """\
# Preview outage

## Timeline

**Trigger:**
- Around the 1:10 PM PT release, PDF previews started to fail.

**Recovery:**
- The preview service was rolled back at 2:05 PM PT; previews worked again at 2:12 PM PT.
"""
    pm = parse_text(text)
    assert pm.lifecycle.elapsed_s[Phase.MITIGATE] == 62 * 60
    assert pm.timeline[1].time_as_written == "2:05 PM PT"  # the entry keeps its own time
