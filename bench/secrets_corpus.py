"""Leaks per kind: a planted secret of every kind in every evidence format, through every output.

Writes the corpus of ``tests/secrets/secret_corpus.py`` (one secret per gitleaks rule,
generated from the rule's own pattern, and ours: multi-line keys, a key logged one syslog
record per line, service-account JSON, key material and a JWT on lines no reader
understands, passwords, emails, IPs) into syslog, JSON lines, logfmt, CSV, journald, a
Slack export, five webhook formats, git log and an access log; runs ``pm gather``
(md, json, ndjson), ``pm draft`` and ``pm render --to html``; prints per kind how many were
planted, how many redactions were counted and in which outputs the secret survived.
Exit 1 on any leak.

    python bench/secrets_corpus.py            # every kind
    python bench/secrets_corpus.py --leaks    # only the kinds that leaked
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "secrets"))

from secret_corpus import OUTPUTS, leaks, planted, run_all, write


def _pm(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from postmortems.cli.app import main; main()", *args],
        capture_output=True,
        text=True,
        timeout=600,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--leaks", action="store_true", help="list only kinds that leaked")
    options = parser.parse_args()
    secrets = planted()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        write(work / "evidence", secrets)
        files = sum(1 for p in (work / "evidence").rglob("*") if p.is_file())
        started = time.perf_counter()
        outputs = run_all(work / "evidence", work, _pm)
        seconds = time.perf_counter() - started
    found = leaks(secrets, outputs)
    kinds = sorted({p.kind for p in secrets})
    planted_per_kind = {kind: sum(1 for p in secrets if p.kind == kind) for kind in kinds}
    print(
        f"{len(secrets)} secrets of {len(kinds)} kinds, planted in {files} evidence files "
        f"(13 formats and unparsed lines); outputs: {', '.join(OUTPUTS)}; {seconds:.1f} s"
    )
    print(f"{'kind':<46} {'planted':>7} {'redacted':>8}  leaked in")
    for kind in kinds:
        where = [name for name in OUTPUTS if kind in found[name]]
        if options.leaks and not where:
            continue
        print(
            f"{kind:<46} {planted_per_kind[kind]:>7} {outputs.redactions.get(kind, 0):>8}  "
            f"{', '.join(where) or '-'}"
        )
    total = sum(len(v) for v in found.values())
    print(f"leaks: {total} ({', '.join(f'{n} {len(v)}' for n, v in found.items())})")
    print(
        f"redactions counted: {sum(outputs.redactions.values()):,} in {len(outputs.redactions)} kinds"
    )
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
