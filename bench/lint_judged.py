"""Precision of `pm lint` on real postmortems, judged by hand finding by finding.

Each file in tests/lint/judged/ names one document of the shared corpus and holds a
reviewer's verdict on every finding `pm lint` reported on it: tab-separated
``code  line  verdict  about  reason``, where verdict is ``tp`` (a careful reviewer
would agree) or ``fp`` (wrong, or a misreading), and ``about`` (may be empty) is a word of
the finding's own message that tells apart findings with the same code and line (the
section or phase it names). The documents' text is not copied here.

The script lints each document again with the default options and prints precision per
rule family and overall. Findings without a verdict are listed as unjudged: judge them
and add their lines. Verdicts for findings no longer reported are counted as gone.

Run: .venv/bin/python bench/lint_judged.py [--show]   (--show prints every finding)
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from _paths import REPO, require, shared_dir
from postmortems.lint.engine import Linter
from postmortems.lint.finding import Finding
from postmortems.lint.registry import FAMILIES

JUDGED = REPO / "tests" / "lint" / "judged"
OVERALL_TARGET, FAMILY_TARGET = 0.85, 0.70


@dataclass
class Verdict:
    code: str
    line: int
    verdict: str
    about: str
    reason: str

    def matches(self, finding: Finding) -> bool:
        return (
            finding.code == self.code
            and finding.line == self.line
            and (not self.about or self.about.lower() in finding.message.lower())
        )


def read_judged(path: Path) -> tuple[str, list[Verdict]]:
    """The corpus document a judged file is about, and its verdicts."""
    document = ""
    verdicts = []
    for number, raw in enumerate(path.read_text("utf-8").splitlines(), 1):
        if raw.startswith("# document:"):
            document = raw.split(":", 1)[1].strip()
            continue
        if not raw.strip() or raw.startswith("#"):
            continue
        fields = raw.split("\t")
        if len(fields) != 5 or fields[2] not in ("tp", "fp"):
            raise SystemExit(f"{path}:{number}: expected code, line, tp|fp, about, reason")
        verdicts.append(Verdict(fields[0], int(fields[1]), fields[2], fields[3], fields[4]))
    if not document:
        raise SystemExit(f"{path}: no '# document: <path under corpus/postmortems>' line")
    return document, verdicts


def pair(findings: list[Finding], verdicts: list[Verdict]) -> tuple[list, list, list]:
    """(finding, verdict) pairs, unjudged findings, and verdicts whose finding is gone."""
    left = list(verdicts)
    pairs, unjudged = [], []
    for finding in findings:
        verdict = next((v for v in left if v.matches(finding)), None)
        if verdict is None:
            unjudged.append(finding)
        else:
            left.remove(verdict)
            pairs.append((finding, verdict))
    return pairs, unjudged, left


def main() -> int:
    show = "--show" in sys.argv
    corpus = require(shared_dir() / "corpus" / "postmortems")
    linter = Linter()
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    unjudged_total = gone_total = 0
    files = sorted(JUDGED.glob("*.tsv"))
    for judged in files:
        document, verdicts = read_judged(judged)
        result = linter.lint_path(corpus / document)
        pairs, unjudged, gone = pair(result.findings, verdicts)
        print(f"{document}: profile {result.profile}, {len(result.findings)} findings")
        for finding, verdict in pairs:
            (tp if verdict.verdict == "tp" else fp)[finding.code[:3]] += 1
            if show:
                print(f"  {verdict.verdict} {finding.code} {finding.line}: {finding.message}")
        for finding in unjudged:
            print(f"  unjudged {finding.code}\t{finding.line}\t{finding.message}")
        if show:
            for verdict in gone:
                print(f"  gone {verdict.verdict} {verdict.code} {verdict.line} {verdict.about}")
        unjudged_total += len(unjudged)
        gone_total += len(gone)
    print(f"\n{len(files)} documents judged; {unjudged_total} findings unjudged, {gone_total} gone")
    print(f"{'family':<28} {'TP':>4} {'FP':>4} {'precision':>10}")
    ok = True
    for prefix, name in FAMILIES.items():
        t, f = tp[prefix], fp[prefix]
        if not t + f:
            continue
        precision = t / (t + f)
        ok &= precision >= FAMILY_TARGET
        label = f"{prefix}xx {name}"
        flag = "" if precision >= FAMILY_TARGET else "  below target"
        print(f"{label:<28} {t:>4} {f:>4} {precision:>10.2f}{flag}")
    t, f = sum(tp.values()), sum(fp.values())
    overall = t / (t + f) if t + f else 1.0
    ok &= overall >= OVERALL_TARGET
    print(f"{'overall':<28} {t:>4} {f:>4} {overall:>10.2f} (target {OVERALL_TARGET})")
    return 0 if ok and not unjudged_total else 1


if __name__ == "__main__":
    sys.exit(main())
