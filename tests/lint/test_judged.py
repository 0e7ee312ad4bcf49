"""Lint precision on real postmortems judged by hand (tests/lint/judged/): the verdicts
are well formed and precision stays at its target. Skipped without the shared corpus."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

from postmortems.lint.engine import Linter
from support import shared_dir

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
import lint_judged  # noqa: E402

CORPUS = shared_dir() / "corpus" / "postmortems"
JUDGED = sorted((ROOT / "tests" / "lint" / "judged").glob("*.tsv"))


def test_ten_documents_are_judged_and_every_verdict_is_well_formed() -> None:
    assert len(JUDGED) >= 10
    for path in JUDGED:
        document, verdicts = lint_judged.read_judged(path)
        assert document and verdicts
        assert all(v.reason.strip() for v in verdicts), path.name


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is absent")
def test_precision_on_judged_documents_meets_the_target() -> None:
    linter = Linter()
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    for path in JUDGED:
        document, verdicts = lint_judged.read_judged(path)
        findings = linter.lint_path(CORPUS / document).findings
        pairs, _, _ = lint_judged.pair(findings, verdicts)
        for finding, verdict in pairs:
            (tp if verdict.verdict == "tp" else fp)[finding.code[:3]] += 1
    total_tp, total_fp = sum(tp.values()), sum(fp.values())
    assert total_tp / (total_tp + total_fp) >= lint_judged.OVERALL_TARGET
    for family in tp.keys() | fp.keys():
        precision = tp[family] / (tp[family] + fp[family])
        assert precision >= lint_judged.FAMILY_TARGET, family
