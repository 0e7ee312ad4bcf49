"""Evaluate `pm lint`: precision and recall per rule family over the labelled cases, a
crash-free run with finding counts over the real postmortems in the shared corpus, and
the time to lint 1,000 typical postmortems (target: under 5 s).

Run: .venv/bin/python bench/lint_eval.py
"""

from __future__ import annotations

import os
import sys
import time
from collections import Counter
from pathlib import Path

from postmortems.lint.config import LintOptions
from postmortems.lint.engine import Linter
from postmortems.lint.expectations import read_expectation
from postmortems.lint.registry import FAMILIES

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "lint" / "cases"
FIXTURES = ROOT / "tests" / "fixtures" / "lint"
PRECISION_TARGET, RECALL_TARGET = 0.90, 0.80
SECONDS_TARGET = 5.0


def shared_folder() -> Path:
    return Path(os.environ.get("POSTMORTEMS_SHARED") or ROOT / ".." / "shared").resolve()


def evaluate_cases() -> bool:
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    files = sorted(CASES.glob("*.md"))
    for path in files:
        text = path.read_text("utf-8")
        expectation = read_expectation(text)
        if expectation is None:
            continue
        options = LintOptions(select=expectation.select, profile=expectation.profile)
        found = {f.code for f in Linter(options).lint_text(text, str(path)).findings}
        for code in found & expectation.codes:
            tp[code[:3]] += 1
        for code in found - expectation.codes:
            fp[code[:3]] += 1
            print(f"  false positive {code} in {path.name}")
        for code in expectation.codes - found:
            fn[code[:3]] += 1
            print(f"  missed {code} in {path.name}")
    print(f"Labelled cases: {len(files)} documents")
    print(f"{'family':<28} {'TP':>4} {'FP':>4} {'FN':>4} {'precision':>10} {'recall':>8}")
    ok = True
    for prefix, name in FAMILIES.items():
        t, f_pos, f_neg = tp[prefix], fp[prefix], fn[prefix]
        if not (t or f_pos or f_neg):
            continue
        precision = t / (t + f_pos) if t + f_pos else 1.0
        recall = t / (t + f_neg) if t + f_neg else 1.0
        met = precision >= PRECISION_TARGET and recall >= RECALL_TARGET
        ok &= met
        label = f"{prefix}xx {name}"
        print(
            f"{label:<28} {t:>4} {f_pos:>4} {f_neg:>4} {precision:>10.2f} {recall:>8.2f}"
            f"{'' if met else '  below target'}"
        )
    return ok


def lint_corpus() -> bool:
    corpus = shared_folder() / "corpus" / "postmortems"
    if not corpus.is_dir():
        print(f"Corpus: {corpus} not found, skipped")
        return True
    linter = Linter()
    counts: Counter[str] = Counter()
    files = sorted(corpus.rglob("*.md"))
    crashed = 0
    for path in files:
        result = linter.lint_path(path)
        counts.update(f.code for f in result.findings)
        crashed += sum(1 for f in result.findings if f.code == "PM000")
    print(
        f"Corpus: {len(files)} documents, {sum(counts.values())} findings, {crashed} rule crashes"
    )
    for code, count in sorted(counts.items()):
        print(f"  {code} {count}")
    return crashed == 0


def time_thousand() -> bool:
    texts = [p.read_text("utf-8") for p in sorted(CASES.glob("*.md"))]
    texts += [p.read_text("utf-8") for p in sorted(FIXTURES.glob("*.md"))]
    documents = [texts[i % len(texts)] for i in range(1000)]
    linter = Linter()
    linter.lint_text(documents[0], "warm-up.md")  # loads word lists and hyphenation once
    start = time.perf_counter()
    for i, text in enumerate(documents):
        linter.lint_text(text, f"doc{i}.md")
    elapsed = time.perf_counter() - start
    print(
        f"Timing: 1,000 postmortems parsed and linted in {elapsed:.2f} s "
        f"({elapsed:.2f} ms each; target < {SECONDS_TARGET:.0f} s, ratio {elapsed / SECONDS_TARGET:.2f})"
    )
    return elapsed < SECONDS_TARGET


def main() -> int:
    results = [evaluate_cases(), lint_corpus(), time_thousand()]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
