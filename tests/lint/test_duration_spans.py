"""PM305 finds two entries a stated duration apart without listing every pair of entries."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from postmortems.lint.engine import Linter
from postmortems.lint.profiles import Thresholds
from postmortems.lint.rules.consistency import _agrees, _some_span_agrees


def _context(percent: float) -> Any:
    return SimpleNamespace(thresholds=Thresholds(duration_tolerance_percent=percent))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.integers(0, 600), min_size=2, max_size=12, unique=True).map(sorted),
    st.integers(1, 700),
    st.sampled_from(["took ", "over ", "under ", "at most ", "", "at least "]),
    st.booleans(),
    st.sampled_from([0.0, 10.0, 30.0, 60.0]),
)
def test_the_same_answer_as_trying_every_pair(
    moments: list[int], stated: int, before: str, hedged: bool, percent: float
) -> None:
    ctx = _context(percent)
    points = [float(m) for m in moments]
    every_pair = any(
        _agrees(ctx, stated, b - a, before, hedged)
        for i, a in enumerate(points)
        for b in points[i + 1 :]
    )
    assert _some_span_agrees(ctx, points, float(stated), before, hedged) is every_pair


def _long_document(claim: str) -> str:
    rows = [
        f"| 2025-03-02 {h:02d}:{m:02d} | step {h * 60 + m} |" for h in range(24) for m in range(60)
    ]
    rows += [
        f"| 2025-03-03 {h:02d}:{m:02d} | step {h * 60 + m} |" for h in range(24) for m in range(60)
    ]
    text = "\n".join(
        [
            "# Long incident",
            "",
            "## Summary",
            "",
            claim,
            "",
            "## Timeline",
            "",
            "| Time | Event |",
            "|---|---|",
            *rows,
            "",
        ]
    )
    return text


def _pm305(text: str) -> list[str]:
    return [f.message for f in Linter().lint_text(text, "long.md").findings if f.code == "PM305"]


def test_a_long_table_timeline_is_checked_against_stated_durations() -> None:
    # 2,880 rows: four million pairs of entries, none of them listed.
    assert _pm305(_long_document("Time to recovery: 7 minutes.")) == []
    (message,) = _pm305(_long_document("Time to recovery: 5 days."))
    assert "matches no two entries" in message
    assert "1 day" in message  # the timeline's whole span
