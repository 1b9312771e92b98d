"""Valid tokens: which of them are verified, signed or unsigned, and why."""

from __future__ import annotations

import dataclasses

import pytest

from ffasr_eval.signing import EvaluatorRegistry, verify_entries

from signing_helpers import MODEL, MODEL_SHA, PROFILE, WORD_TASKS

# (signer fixture, role claimed, iss, benchmark profile, run profile, expected status, reason fragment)
CASES = [
    ("official_key", "official", "ffasr", PROFILE, PROFILE, "verified", "official key"),
    ("official_key", "community", "ffasr", PROFILE, PROFILE, "verified", "all bindings hold"),
    ("official_key", "official", "ffasr", "a10g", PROFILE, "signed", "hardware profiles differ (benchmark a10g, key cpu-2c, run cpu-2c)"),
    ("official_key", "official", "ffasr", PROFILE, "laptop", "signed", "run laptop"),
    ("official_key", "official", "ffasr", None, PROFILE, "signed", "benchmark unknown"),
    ("community_key", "community", "bob", PROFILE, PROFILE, "signed", "valid signature by community key"),
    ("stranger_key", "community", "mallory", PROFILE, PROFILE, "signed", "key not in evaluators.yaml"),
]


@pytest.mark.parametrize(("signer", "role", "iss", "bench_profile", "run_profile", "status", "reason"), CASES)
def test_valid_tokens_are_classified(request, make_payload, signed_entries, registry,
                                     signer, role, iss, bench_profile, run_profile, status, reason) -> None:
    payload = make_payload(evaluator=iss, role=role, profile=run_profile)
    entries = signed_entries(payload, request.getfixturevalue(signer))
    verdicts = verify_entries(entries, model_repo=MODEL, evaluators=registry, benchmark_profile=bench_profile,
                              model_revisions={MODEL_SHA}, average_tasks=WORD_TASKS)
    assert {v.status for v in verdicts} == {status}
    assert reason in verdicts[0].reason


def test_without_registry_nothing_is_trusted(signed_entries) -> None:
    verdicts = verify_entries(signed_entries(), model_repo=MODEL, evaluators=None, benchmark_profile=PROFILE)
    assert {v.status for v in verdicts} == {"invalid"}  # the token claims the official role
    assert "claims the official role" in verdicts[0].reason


def test_entries_without_token_are_unsigned(signed_entries, registry) -> None:
    entries = [dataclasses.replace(e, verify_token=None) for e in signed_entries()]
    verdicts = verify_entries(entries, model_repo=MODEL, evaluators=registry, benchmark_profile=PROFILE,
                              average_tasks=WORD_TASKS)
    assert [(v.status, v.reason) for v in verdicts] == [("unsigned", "no verifyToken")] * len(entries)


def test_empty_registry_file_is_valid() -> None:
    assert EvaluatorRegistry.from_yaml("evaluators: []\n").evaluators == []
