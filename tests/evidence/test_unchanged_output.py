"""Speed work must not change results: gather and draft give, byte for byte, what they gave
before the hot path was rewritten, on the example incident and on every scenario preset.

The fingerprints below were taken from the earlier pipeline. When a change to gather or
draft is *meant* to change their output, print the new fingerprints with
``PM_PRINT_FINGERPRINTS=1 pytest tests/evidence/test_unchanged_output.py -s`` and update
them in the same commit, saying why.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from postmortems.analysis.draft import DraftOptions, build_draft
from postmortems.evidence.gather import GatherOptions, gather
from postmortems.evidence.output import render_gathered
from postmortems.evidence.scenario import PRESETS, generate
from postmortems.markdown.render import render_markdown

EXAMPLE = Path(__file__).parents[2] / "examples" / "incident"

# name: (gather --format json, draft), first 16 hex digits of their SHA-256
FINGERPRINTS: dict[str, tuple[str, str]] = {
    "examples/incident": ("7db970d3874521ae", "cb17066befa67391"),
    "berlin-journald-grafana-opsgenie": ("452563bcd39fa7ac", "28b7bb85affac17d"),
    "example": ("7db970d3874521ae", "cb17066befa67391"),
    "logs-only-kolkata": ("86a0fc222c087692", "581d39b591a1008f"),
    "new-year-syslog": ("78112d2f28a92721", "b2cfb6bba3862849"),
    "new-york-clock-skew": ("e18673c06ec2f70c", "392daf8eae127958"),
    "tokyo-logfmt-alertmanager": ("5d0e0dc92d57d00d", "ccb4e5f68612de1a"),
}


def _fingerprints(folder: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    truth = json.loads((folder / "truth.json").read_text())
    zone = truth["read_with"]["default_tz"]
    year = int(truth["window"]["start"][:4]) if folder == EXAMPLE else None
    options = GatherOptions(default_tz=ZoneInfo(zone) if zone else None, year=year)
    monkeypatch.chdir(folder)  # references read "file:line", the same wherever the folder is
    result = gather(list(truth["files"]), options)
    timeline = render_gathered(result, "json")
    draft = render_markdown(build_draft(result, DraftOptions()).postmortem)
    return (
        hashlib.sha256(timeline.encode()).hexdigest()[:16],
        hashlib.sha256(draft.encode()).hexdigest()[:16],
    )


@pytest.mark.parametrize("name", ["examples/incident", *sorted(PRESETS)])
def test_gather_and_draft_output_unchanged(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = EXAMPLE
    if name in PRESETS:
        folder = tmp_path / name
        generate(PRESETS[name], folder)
    found = _fingerprints(folder, monkeypatch)
    if os.environ.get("PM_PRINT_FINGERPRINTS"):
        print(f'    "{name}": {found!r},')
    assert found == FINGERPRINTS[name], f"gather or draft output changed for {name}"
