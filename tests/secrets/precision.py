"""Redaction precision on the hand-labelled logs of ``tests/fixtures/secrets``.

Shared by ``test_precision.py`` and ``bench/redaction_precision.py``: every redaction the
redactor makes on those logs is looked up in ``labels.tsv``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from postmortems.evidence.redact import Redactor

FOLDER = Path(__file__).resolve().parents[1] / "fixtures" / "secrets"
GOOD = frozenset({"secret", "personal"})


@dataclass
class Precision:
    redactions: Counter[str] = field(default_factory=Counter)  # kind -> redactions made
    right: Counter[str] = field(default_factory=Counter)  # kind -> of those, real secrets/data
    wrong: list[tuple[str, str, str]] = field(default_factory=list)  # kind, value, where
    unlabelled: list[tuple[str, str, str]] = field(default_factory=list)
    lines: int = 0

    def of(self, kind: str) -> float:
        return self.right[kind] / self.redactions[kind] if self.redactions[kind] else 1.0

    @property
    def overall(self) -> float:
        total = sum(self.redactions.values())
        return sum(self.right.values()) / total if total else 1.0


def labels(folder: Path = FOLDER) -> dict[tuple[str, str], str]:
    found: dict[tuple[str, str], str] = {}
    for row in (folder / "labels.tsv").read_text(encoding="utf-8").splitlines():
        if row and not row.startswith("#"):
            kind, value, label, *_ = row.split("\t")
            found[(kind, value)] = label
    return found


def measure(folder: Path = FOLDER) -> Precision:
    known = labels(folder)
    result = Precision()
    redactor = Redactor()
    for path in sorted(folder.glob("*.log")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            result.lines += 1
            for finding in redactor.findings(line):
                value = line[finding.start : finding.end]
                where = f"{path.name}:{number}"
                result.redactions[finding.kind] += 1
                label = known.get((finding.kind, value))
                if label is None:
                    result.unlabelled.append((finding.kind, value, where))
                elif label in GOOD:
                    result.right[finding.kind] += 1
                else:
                    result.wrong.append((finding.kind, value, where))
    return result
