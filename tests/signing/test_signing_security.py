"""Attacks on signed results: each one is classified `invalid` with its precise reason."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import json

import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from ffasr_eval.results import AverageClaim, ResultPayload, build_entries
from ffasr_eval.signing import EvaluatorRegistry, open_token, sign_payload, verify_entries

from signing_helpers import DATASET_SHA, MODEL, MODEL_SHA, PROFILE, WORD_TASKS


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64json(obj: object) -> str:
    return b64(json.dumps(obj).encode())


def claims(payload: ResultPayload) -> dict:
    return payload.model_dump(mode="json")


def jws(header: dict, body: dict, key) -> str:
    """Sign arbitrary header/claims with PyJWT (to forge structurally wrong but well-signed tokens)."""
    return jwt.PyJWS().encode(json.dumps(body).encode(), key.private_key, algorithm="EdDSA", headers=header)


def jwk(key) -> dict:
    return {"kty": "OKP", "crv": "Ed25519", "x": key.public_key}


def hs256_token(header: dict, body: dict, secret: bytes) -> str:
    signing_input = f"{b64json(header)}.{b64json(body)}"
    return f"{signing_input}.{b64(hmac.new(secret, signing_input.encode(), hashlib.sha256).digest())}"


def with_token(entries, token: str):
    return [dataclasses.replace(e, verify_token=token) for e in entries]


def public_pem(key) -> bytes:
    return key.private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


# Each case: (name, attack(ctx) -> (entries, verify-kwargs overrides), expected reason fragment).
# ctx holds the official run's entries and payload and the keys.
CASES = [
    ("value edited after signing",
     lambda c: ([dataclasses.replace(c.entries[0], value=c.entries[0].value - 3.0)] + c.entries[1:], {}),
     "differs from the signed value"),
    ("token copied to another model repo",
     lambda c: (c.entries, {"model_repo": "mallory/copycat"}),
     "issued for model alice/asr-model, not mallory/copycat"),
    ("token copied to another model revision",
     lambda c: (c.entries, {"model_revisions": {"b" * 40}}),
     "binds model revision aaaaaaaaaaaa, which is not a revision of alice/asr-model"),
    ("token copied to another dataset revision",
     lambda c: ([dataclasses.replace(e, dataset_revision="e" * 40) for e in c.entries], {}),
     "differs from the signed revision"),
    ("token copied to another dataset",
     lambda c: ([dataclasses.replace(e, dataset_id="other/bench") for e in c.entries], {}),
     "issued for dataset ffasr/far-field-bench, entry is for other/bench"),
    ("entry for a task the token does not cover",
     lambda c: ([dataclasses.replace(c.entries[0], task_id="near_field_v2")], {}),
     "task 'near_field_v2' is not covered"),
    ("signature by a revoked key",
     lambda c: (c.entries, {"evaluators": EvaluatorRegistry.model_validate({"evaluators": [
         {**c.official_key.evaluator_entry(role="official", hardware_profile=PROFILE), "revoked": True}]})}),
     "is revoked in evaluators.yaml"),
    ("unknown key claiming the official role",
     lambda c: (c.sign(c.payload, c.stranger_key, iss="mallory"), {}),
     "claims the official role but is not an official key"),
    ("community key claiming the official role",
     lambda c: (c.sign(c.payload, c.community_key, iss="bob"), {}),
     "claims the official role but is not an official key"),
    ("token naming another evaluator than the key's owner",
     lambda c: (c.sign(c.payload, c.official_key, iss="someone-else"), {}),
     "token names evaluator 'someone-else' but key"),
    ("unknown key using the official kid",
     lambda c: (with_token(c.entries, jws({"kid": c.official_key.kid, "jwk": jwk(c.stranger_key)},
                                          claims(c.payload), c.stranger_key)), {}),
     "is not the fingerprint of its embedded key"),
    ("unknown key forging the official key's header",
     lambda c: (with_token(c.entries, jws({"kid": c.official_key.kid, "jwk": jwk(c.official_key)},
                                          claims(c.payload), c.stranger_key)), {}),
     "does not match the token's content"),
    ("alg none",
     lambda c: (with_token(c.entries, f"{b64json({'alg': 'none', 'kid': c.official_key.kid})}."
                                      f"{b64json(claims(c.payload))}."), {}),
     "token algorithm 'none' is not accepted (only EdDSA)"),
    ("HS256 keyed with the raw public key",
     lambda c: (with_token(c.entries, hs256_token(
         {"alg": "HS256", "kid": c.official_key.kid, "jwk": jwk(c.official_key)}, claims(c.payload),
         base64.urlsafe_b64decode(c.official_key.public_key + "="))), {}),
     "token algorithm 'HS256' is not accepted"),
    ("HS256 keyed with the public key PEM",
     lambda c: (with_token(c.entries, hs256_token(
         {"alg": "HS256", "kid": c.official_key.kid}, claims(c.payload), public_pem(c.official_key))), {}),
     "token algorithm 'HS256' is not accepted"),
    ("token with a truncated signature",
     lambda c: (with_token(c.entries, c.entries[0].verify_token[:-2]), {}),
     "does not match the token's content"),
    ("token with a signature cut mid-character",
     lambda c: (with_token(c.entries, c.entries[0].verify_token[:-5]), {}),
     "malformed token: Invalid crypto padding"),
    ("token cut inside the header",
     lambda c: (with_token(c.entries, c.entries[0].verify_token[:30]), {}),
     "malformed token"),
    ("garbage with three parts",
     lambda c: (with_token(c.entries, "abc.def.ghi"), {}),
     "malformed token: the header is not base64url-encoded JSON"),
    ("not a JWS at all",
     lambda c: (with_token(c.entries, "hello world"), {}),
     "malformed token: expected three base64url parts"),
    ("payload with an extra claim",
     lambda c: (with_token(c.entries, jws({"kid": c.official_key.kid, "jwk": jwk(c.official_key)},
                                          {**claims(c.payload), "admin": True}, c.official_key)), {}),
     "unexpected claims ['admin']"),
    ("payload with a missing claim",
     lambda c: (with_token(c.entries, jws({"kid": c.official_key.kid, "jwk": jwk(c.official_key)},
                                          {k: v for k, v in claims(c.payload).items() if k != "eval_logs"},
                                          c.official_key)), {}),
     "missing claims ['eval_logs']"),
    ("payload with an extra nested claim",
     lambda c: (with_token(c.entries, jws({"kid": c.official_key.kid, "jwk": jwk(c.official_key)},
                                          {**claims(c.payload), "model": {**claims(c.payload)["model"], "x": 1}},
                                          c.official_key)), {}),
     "model.x: Extra inputs are not permitted"),
    ("header with an unexpected parameter",
     lambda c: (with_token(c.entries, jws({"kid": c.official_key.kid, "jwk": jwk(c.official_key), "x5u": "http://evil"},
                                          claims(c.payload), c.official_key)), {}),
     "unexpected parameters ['x5u']"),
    ("header without kid",
     lambda c: (with_token(c.entries, jws({"jwk": jwk(c.official_key)}, claims(c.payload), c.official_key)), {}),
     "token header has no kid"),
    ("signed average that is not the mean of its tasks",
     lambda c: (c.sign(c.payload.model_copy(update={"average": AverageClaim(tasks=WORD_TASKS, value=1.0)}),
                       c.official_key), {}),
     "signed average 1.0 is not the mean"),
    ("signed average over fewer tasks than the benchmark averages",
     lambda c: (c.sign(c.payload.model_copy(update={"average": AverageClaim(
         tasks=WORD_TASKS[:2], value=round((c.payload.tasks[WORD_TASKS[0]].value + c.payload.tasks[WORD_TASKS[1]].value) / 2, 4))}),
         c.official_key), {"average_tasks": WORD_TASKS}),
     "the benchmark averages"),
    ("unsigned average that is not the mean of its tasks",
     lambda c: ([dataclasses.replace(e, verify_token=None, value=1.0 if e.task_id == "average" else e.value)
                 for e in c.entries], {"average_tasks": WORD_TASKS}),
     "average 1.0 is not the mean"),
    ("unsigned average with a task missing from the file",
     lambda c: ([dataclasses.replace(e, verify_token=None) for e in c.entries if e.task_id != "moving"],
                {"average_tasks": WORD_TASKS}),
     "average covers tasks ['moving'] that have no value"),
]


@dataclasses.dataclass
class Ctx:
    entries: list
    payload: ResultPayload
    official_key: object
    community_key: object
    stranger_key: object

    def sign(self, payload: ResultPayload, key, iss: str | None = None):
        if iss is not None:
            payload = payload.model_copy(update={"iss": iss})
        return build_entries(payload, verify_token=sign_payload(payload, key))


@pytest.fixture(scope="module")
def ctx(make_payload, signed_entries, official_key, community_key, stranger_key) -> Ctx:
    payload = make_payload()
    return Ctx(signed_entries(payload), payload, official_key, community_key, stranger_key)


@pytest.mark.parametrize(("name", "attack", "reason"), CASES, ids=[c[0] for c in CASES])
def test_attack_is_invalid_with_reason(ctx: Ctx, registry, name, attack, reason) -> None:
    entries, overrides = attack(ctx)
    kwargs = {"model_repo": MODEL, "evaluators": registry, "benchmark_profile": PROFILE,
              "model_revisions": {MODEL_SHA}, **overrides}
    verdicts = verify_entries(entries, **kwargs)
    invalid = [v for v in verdicts if v.status == "invalid"]
    assert invalid, f"{name}: {[(v.task_id, v.status, v.reason) for v in verdicts]}"
    assert reason in invalid[0].reason


def test_the_untampered_run_is_verified(ctx: Ctx, registry) -> None:
    verdicts = verify_entries(ctx.entries, model_repo=MODEL, evaluators=registry, benchmark_profile=PROFILE,
                              model_revisions={MODEL_SHA}, average_tasks=WORD_TASKS)
    assert [v.task_id for v in verdicts] == [*ctx.payload.tasks, "average"]
    assert {v.status for v in verdicts} == {"verified"}, [v.reason for v in verdicts]
    assert all(v.kid == ctx.official_key.kid and v.evaluator == "ffasr" for v in verdicts)


def test_only_the_edited_entry_is_invalid(ctx: Ctx, registry) -> None:
    entries = [dataclasses.replace(ctx.entries[1], value=0.0), *ctx.entries[2:]]
    statuses = [v.status for v in verify_entries(entries, model_repo=MODEL, evaluators=registry, benchmark_profile=PROFILE)]
    assert statuses == ["invalid"] + ["verified"] * (len(entries) - 1)


def test_open_token_returns_the_signed_payload(ctx: Ctx) -> None:
    opened = open_token(ctx.entries[0].verify_token)
    assert opened.payload == ctx.payload
    assert opened.kid == ctx.official_key.kid
    assert opened.payload.dataset.revision == DATASET_SHA
