"""Signed results: Ed25519 evaluator keys, `verifyToken` JWS, trusted-evaluator registry, verification.

One token per run. `submit` signs a single `ResultPayload` that holds every task value, the
average and everything they depend on, and stores that same token in every entry's
`verifyToken`. Per-entry tokens would each have to carry the whole run anyway (an `average`
is only checkable against all its tasks, and RTFx, hardware and versions are run-level facts),
so one token is smaller to reason about: the entries of a run stand or fall together, an entry
cannot be mixed into another run's file, and verification checks that each entry's value is the
signed value of its `task_id`.

Example:
    >>> key = create_key("evaluator.pem", owner="alice")
    >>> token = sign_payload(payload, key)
    >>> verify_entries(entries, model_repo="alice/asr", evaluators=registry, benchmark_profile="cpu-2c")
"""

from ffasr_eval.signing._evaluators import EVALUATORS_FILENAME, Evaluator, EvaluatorRegistry
from ffasr_eval.signing._hub import hub_verifier
from ffasr_eval.signing._keys import (
    KEY_ENV,
    EvaluatorKey,
    create_key,
    default_key_path,
    key_id,
    load_key,
    public_key_path,
    resolve_key,
)
from ffasr_eval.signing._sources import BenchmarkTrust, load_benchmark_trust, verify_path, verify_repo
from ffasr_eval.signing._token import OpenedToken, open_token, sign_payload
from ffasr_eval.signing._verify import EntryVerdict, Status, verify_entries

__all__ = [
    "BenchmarkTrust",
    "EVALUATORS_FILENAME",
    "KEY_ENV",
    "EntryVerdict",
    "Evaluator",
    "EvaluatorKey",
    "EvaluatorRegistry",
    "OpenedToken",
    "Status",
    "create_key",
    "default_key_path",
    "hub_verifier",
    "key_id",
    "load_benchmark_trust",
    "load_key",
    "open_token",
    "public_key_path",
    "resolve_key",
    "sign_payload",
    "verify_entries",
    "verify_path",
    "verify_repo",
]
