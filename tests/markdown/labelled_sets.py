"""What the tests of the labelled document sets share: the shape of a label, and that each
label points into its document (the bench that scores them is `bench/reading_eval.py`)."""

from __future__ import annotations

import html
import re
from pathlib import Path
from types import ModuleType
from typing import Any

KINDS = {
    "summary",
    "timeline",
    "root_cause",
    "trigger",
    "impact",
    "detection",
    "resolution",
    "corrective_measures",
    "action_items",
    "lessons",
    "responders",
    "messaging",
    "supporting_information",
    "what_happened",
    "stats",
}
PHASES = {"started_at", "detected_at", "acknowledged_at", "mitigated_at", "ended_at", "resolved_at"}
CLOCK = re.compile(r"\d\d:\d\d(\+\d)?")


def _folded(text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(text)).casefold()


def check_labels_point_into_documents(documents: list[tuple[Path, dict[str, Any]]]) -> None:
    """Each label has the set's shape, and every entry's words and time are in its document,
    in the order of the entries."""
    for path, label in documents:
        assert set(label) == {"style", "date", "sections", "entries", "lifecycle"}, path.name
        assert set(label["sections"]) <= KINDS, path.name
        assert set(label["lifecycle"]) <= PHASES, path.name
        assert all(CLOCK.fullmatch(value) for value in label["lifecycle"].values()), path.name
        text = _folded(path.read_text("utf-8"))
        position = 0
        for snippet, written, clock in label["entries"]:
            found = text.find(_folded(snippet), position)
            assert found >= 0, (path.name, snippet)
            position = found
            assert (written is None) == (clock is None), (path.name, snippet)
            if written is not None:
                assert _folded(written) in text, (path.name, written)
                assert CLOCK.fullmatch(clock), (path.name, clock)


def total(reading_eval: ModuleType, scores: dict[str, Any], prefix: str = "") -> Any:
    """The sum of the bench's ``scores`` (by style) of the styles starting with ``prefix``."""
    summed = reading_eval.Score()
    for style, score in scores.items():
        if style.startswith(prefix):
            summed.add(score)
    return summed
