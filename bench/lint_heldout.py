"""Evaluate `pm lint` on the held-out cases in tests/lint/heldout/: documents written
without looking at the linter's code or its own labelled cases.

Prints per-family TP/FP/FN, precision and recall (computed by `lint_eval.evaluate_cases`,
pointed at the held-out folder), then, for every document whose findings differ from its
`<!-- expect: … -->` line, the expected and found codes and the messages of the
unexpected and missing findings.

Run: .venv/bin/python bench/lint_heldout.py
"""

from __future__ import annotations

import sys

import lint_eval
from postmortems.lint.config import LintOptions
from postmortems.lint.engine import Linter
from postmortems.lint.expectations import read_expectation
from postmortems.lint.registry import REGISTRY

HELDOUT = lint_eval.ROOT / "tests" / "lint" / "heldout"


def per_family() -> bool:
    """Reuse lint_eval's per-family scoring, pointed at the held-out folder."""
    labelled = lint_eval.CASES
    lint_eval.CASES = HELDOUT
    try:
        return lint_eval.evaluate_cases()
    finally:
        lint_eval.CASES = labelled


def describe(code: str) -> str:
    rule = REGISTRY.get(code)
    return f"{rule.name}: {rule.summary}" if rule is not None else "unknown rule"


def mismatches() -> int:
    count = 0
    for path in sorted(HELDOUT.glob("*.md")):
        text = path.read_text("utf-8")
        expectation = read_expectation(text)
        if expectation is None:
            print(f"\n{path.name}: no <!-- expect: --> line")
            count += 1
            continue
        options = LintOptions(select=expectation.select, profile=expectation.profile)
        findings = Linter(options).lint_text(text, str(path)).findings
        found = {f.code for f in findings}
        if found == expectation.codes:
            continue
        count += 1
        rel = path.relative_to(lint_eval.ROOT)
        print(f"\n{rel}")
        print(f"  expected: {' '.join(sorted(expectation.codes)) or '(none)'}")
        print(f"  got:      {' '.join(sorted(found)) or '(none)'}")
        for f in findings:
            if f.code not in expectation.codes:
                print(f"  unexpected {f.code} line {f.line}: {f.message}")
        for code in sorted(expectation.codes - found):
            print(f"  missing    {code} ({describe(code)})")
    return count


def main() -> int:
    print(f"Held-out cases: {HELDOUT.relative_to(lint_eval.ROOT)}")
    met = per_family()
    print("\nMismatched documents:")
    count = mismatches()
    total = len(list(HELDOUT.glob("*.md")))
    print(f"\n{count} of {total} documents differ from their expectation.")
    return 0 if met and count == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
