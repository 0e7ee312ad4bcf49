"""No secret survives in any output: a planted secret of every kind, in every format."""

from __future__ import annotations

import pytest
from secret_corpus import OUTPUTS, Outputs, leaks, planted, run_all, write

from support import run_pm

SECRETS = planted()


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Outputs:
    work = tmp_path_factory.mktemp("corpus")
    write(work / "evidence", SECRETS)
    return run_all(work / "evidence", work, run_pm)


def test_the_corpus_plants_every_kind_the_rules_know() -> None:
    from postmortems.evidence.redact import all_kinds, gitleaks

    kinds = {p.kind for p in SECRETS}
    assert {rule.id for rule in gitleaks.vendored().rules} <= kinds
    assert {"private-key", "key-material", "jwt", "slack-app-token", "email", "ip"} <= kinds
    assert kinds <= all_kinds()


@pytest.mark.parametrize("output", OUTPUTS)
def test_no_planted_secret_leaks(outputs: Outputs, output: str) -> None:
    assert leaks(SECRETS, outputs)[output] == []


def test_the_secrets_did_reach_the_outputs_redacted(outputs: Outputs) -> None:
    # Most kinds are counted under their own name (a few overlap a more specific rule).
    counted = set(outputs.redactions)
    assert len({p.kind for p in SECRETS} - counted) <= 10
    assert "[REDACTED:private-key]" in outputs.texts["md"]
    assert "[REDACTED:" in outputs.texts["draft"]
    assert "slack-app-token" in outputs.texts["draft"]  # in the redaction counts
    assert "not understood" in outputs.texts["stderr"]
    assert "[REDACTED:" in outputs.texts["stderr"]


def test_the_key_split_over_syslog_records_is_gone(outputs: Outputs) -> None:
    from secret_corpus import PEM_LINES

    for body in PEM_LINES[1:-1]:
        for output in OUTPUTS:
            assert body not in outputs.texts[output], output
