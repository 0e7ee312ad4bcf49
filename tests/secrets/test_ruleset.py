"""The vendored gitleaks rule set: unchanged, all loaded, every rule able to find its secret."""

from __future__ import annotations

import hashlib
import re
import tomllib

import pytest
from secret_samples import Generator

from postmortems.evidence.redact import Redactor, all_kinds, gitleaks

RAW = gitleaks.vendored_text()
CONFIG = tomllib.loads(RAW.decode("utf-8"))
RULES = [rule for rule in CONFIG["rules"] if "regex" in rule]


def test_vendored_file_matches_its_recorded_source() -> None:
    source = gitleaks.vendored_source()
    assert hashlib.sha256(RAW).hexdigest() == source["sha256"], (
        "gitleaks.toml changed without its record: update data/gitleaks.source.toml "
        "(commit, date, checksum) together with the file"
    )
    assert re.fullmatch(r"[0-9a-f]{40}", source["commit"])
    assert source["path"] == "config/gitleaks.toml"
    assert len(CONFIG["rules"]) == source["rules"]


def test_license_travels_with_the_rules() -> None:
    license_text = (gitleaks.DATA / "LICENSE-gitleaks").read_text(encoding="utf-8")
    assert license_text.startswith("MIT License")


def test_every_rule_id_is_loaded_none_dropped() -> None:
    ids_in_file = [rule["id"] for rule in CONFIG["rules"]]
    # Counted from the text too, so a rule the TOML reader merged or lost would show.
    assert len(re.findall(rb"^\[\[rules\]\]$", RAW, re.MULTILINE)) == len(ids_in_file)
    loaded = gitleaks.vendored()
    assert sorted(loaded.ids) == sorted(ids_in_file)
    assert len(set(loaded.ids)) == len(ids_in_file)
    assert set(ids_in_file) <= all_kinds()
    assert loaded.path_only == ("pkcs12-file",)  # matches file names, not text


def test_rules_keep_their_entropy_keywords_and_allowlists() -> None:
    loaded = {rule.id: rule for rule in gitleaks.vendored().rules}
    for raw in RULES:
        rule = loaded[raw["id"]]
        assert rule.entropy == float(raw.get("entropy", 0.0))
        assert rule.keywords == tuple(k.lower() for k in raw.get("keywords", ()))
        assert len(rule.allowlists) == len(raw.get("allowlists", ()))
    assert len(gitleaks.vendored().allowlists) == 1  # the global one


def planted_sample(rule: dict[str, object]) -> str:
    """A text holding a secret the rule reports: generated from its pattern."""
    keywords = [str(k) for k in rule.get("keywords", ())]  # type: ignore[attr-defined]
    found: set[str] = set()
    for seed in range(40):
        sample = Generator(seed).sample(str(rule["regex"]))
        if keywords and not any(k.lower() in sample.lower() for k in keywords):
            sample = f"{keywords[0]} {sample}"
        found = {f.kind for f in gitleaks.vendored().find(sample)}
        if rule["id"] in found:
            return sample
    raise AssertionError(f"no sample of {rule['id']} is reported by it (got {found})")


@pytest.mark.parametrize("rule", RULES, ids=[str(r["id"]) for r in RULES])
def test_every_rule_finds_a_secret_of_its_kind_and_it_is_redacted(
    rule: dict[str, object],
) -> None:
    sample = planted_sample(rule)
    [finding] = [f for f in gitleaks.vendored().find(sample) if f.kind == rule["id"]][:1]
    secret = sample[finding.start : finding.end]
    redactor = Redactor()
    redacted = redactor.redact(f"2026-03-14 10:00:00 worker: loaded {sample} ok")
    assert secret not in redacted
    assert redactor.total >= 1


def test_the_allowlists_are_honoured() -> None:
    redactor = Redactor()
    # aws-access-token's allowlist: documentation keys ending in EXAMPLE are not secrets.
    assert redactor.redact("key AKIAIOSFODNN7EXAMPLE") == "key AKIAIOSFODNN7EXAMPLE"
    assert redactor.redact("key AKIAZ3MSJV4WWNKWW5FG") == "key [REDACTED:aws-access-token]"
    # generic-api-key: low entropy and stopwords are not secrets.
    assert redactor.redact("api_key=aaaaaaaaaaaaaaaa") == "api_key=aaaaaaaaaaaaaaaa"
    assert redactor.counts == {"aws-access-token": 1}


def test_a_generic_finding_gives_way_to_a_specific_rule() -> None:
    redactor = Redactor()
    text = "SLACK_TOKEN=xoxb-2631584791-5198283461283-kHf8sFhPqRr0T1w2LmNcXyZa"
    assert redactor.redact(text) == "SLACK_TOKEN=[REDACTED:slack-bot-token]"


def test_tokens_end_where_logs_end_them() -> None:
    redactor = Redactor()
    assert redactor.redact("(key=rk_test_4eC39HqLyjWDarjtT1zdp7dc)") == (
        "(key=[REDACTED:stripe-access-token])"
    )
    assert redactor.redact("GET /maps?key=AIzaSyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI&q=x") == (
        "GET /maps?key=[REDACTED:gcp-api-key]&q=x"
    )


def test_the_rules_load_once() -> None:
    assert gitleaks.vendored() is gitleaks.vendored()
