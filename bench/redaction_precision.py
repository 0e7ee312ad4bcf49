"""Redaction precision per kind on the hand-labelled logs of ``tests/fixtures/secrets``.

Every redaction made on those logs (an OpenSSH auth log, a web access log, an application
log with ids, hashes and stack traces, a system log, and lines of mail, DNS, network, queue,
database and cloud services with their message, session, trace and connection ids) is
looked up in ``labels.tsv``: precision is the share that are real secrets or personal data. Exit 1 below 99% for any
kind, or when a redaction is not labelled yet.

    python bench/redaction_precision.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "secrets"))

from precision import measure


def main() -> int:
    result = measure()
    print(f"{result.lines:,} log lines, {sum(result.redactions.values()):,} redactions")
    print(f"{'kind':<24} {'redactions':>10} {'right':>6} {'precision':>9}")
    for kind in sorted(result.redactions):
        print(
            f"{kind:<24} {result.redactions[kind]:>10,} {result.right[kind]:>6,} "
            f"{result.of(kind):>9.1%}"
        )
    print(
        f"{'all':<24} {sum(result.redactions.values()):>10,} "
        f"{sum(result.right.values()):>6,} {result.overall:>9.1%}"
    )
    for kind, value, where in result.wrong:
        print(f"wrong: {where}: {kind}: {value}")
    for kind, value, where in result.unlabelled:
        print(f"not labelled: {where}: {kind}: {value}")
    low = [kind for kind in result.redactions if result.of(kind) < 0.99]
    return 1 if low or result.unlabelled else 0


if __name__ == "__main__":
    sys.exit(main())
