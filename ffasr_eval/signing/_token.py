"""The `verifyToken`: a compact JWS (EdDSA / Ed25519, PyJWT) over a `ResultPayload`.

Header: ``{"alg": "EdDSA", "typ": "JWT", "kid": <fingerprint>, "jwk": {"kty": "OKP", "crv":
"Ed25519", "x": <public key>}}``. The public key travels in the (signed) header so that anyone
can check a token offline, including one by a key no registry lists (a *signed* result); trust
comes only from a benchmark's `evaluators.yaml`, whose key must then be exactly the embedded one.

Opening a token is strict: only EdDSA (so `alg: none` and HS256 key-confusion tokens are
refused before any key is used), exactly the header parameters above, `kid` equal to the
fingerprint of the embedded key, and a payload with exactly the `ResultPayload` claims.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass

import jwt
from pydantic import ValidationError

from ffasr_eval.errors import VerificationError
from ffasr_eval.results import PAYLOAD_CLAIMS, ResultPayload
from ffasr_eval.signing._evaluators import EvaluatorRegistry
from ffasr_eval.signing._keys import EvaluatorKey, decode_public_key, key_id

#: The only signature algorithm accepted.
ALGORITHM = "EdDSA"
_HEADER_PARAMS = frozenset({"alg", "typ", "kid", "jwk"})
_JWS = jwt.PyJWS(algorithms=[ALGORITHM])


@dataclass(frozen=True)
class OpenedToken:
    """A token whose signature and structure are valid (trust is decided by the caller)."""

    kid: str
    public_key: str
    payload: ResultPayload


def sign_payload(payload: ResultPayload, key: EvaluatorKey) -> str:
    """Sign a result payload; returns the compact JWS to store as `verifyToken`.

    Example:
        >>> token = sign_payload(payload, load_key("evaluator.pem"))
        >>> open_token(token).payload == payload
        True
    """
    body = json.dumps(payload.model_dump(mode="json"), sort_keys=True, separators=(",", ":")).encode()
    header = {"kid": key.kid, "jwk": {"kty": "OKP", "crv": "Ed25519", "x": key.public_key}}
    return _JWS.encode(body, key.private_key, algorithm=ALGORITHM, headers=header)


def open_token(token: str, evaluators: EvaluatorRegistry | None = None) -> OpenedToken:
    """Check a token's structure and signature and return its payload.

    Args:
        token: The compact JWS.
        evaluators: Registry whose key must match the token's if it lists the token's `kid`.

    Raises:
        VerificationError: With the precise reason (malformed, algorithm, header, key,
            signature, claims).
    """
    if not isinstance(token, str) or token.count(".") != 2:
        raise VerificationError("malformed token: expected three base64url parts separated by '.'")
    header = _peek_header(token)
    alg = header.get("alg")
    if alg != ALGORITHM:
        raise VerificationError(f"token algorithm {alg!r} is not accepted (only {ALGORITHM})")
    unexpected = sorted(set(header) - _HEADER_PARAMS)
    if unexpected:
        raise VerificationError(f"token header has unexpected parameters {unexpected}")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise VerificationError("token header has no kid")
    public_key = _embedded_key(header.get("jwk"))
    if key_id(public_key) != kid:
        raise VerificationError(f"token kid {kid!r} is not the fingerprint of its embedded key")
    registered = evaluators.get(kid) if evaluators is not None else None
    if registered is not None and registered.public_key != public_key:
        raise VerificationError(f"token key differs from the key registered for kid {kid!r}")
    try:
        decoded = _JWS.decode_complete(token, key=decode_public_key(public_key), algorithms=[ALGORITHM])
    except jwt.InvalidSignatureError as exc:
        raise VerificationError(f"signature of key {kid} does not match the token's content") from exc
    except jwt.PyJWTError as exc:
        raise VerificationError(f"malformed token: {exc}") from exc
    return OpenedToken(kid=kid, public_key=public_key, payload=_payload(decoded["payload"]))


def _peek_header(token: str) -> dict:
    """The header, read only to pick the key; PyJWT re-reads and checks the whole token strictly.

    (`jwt.get_unverified_header` would decode and validate the full token a second time, which
    halves verification throughput.)
    """
    segment = token.split(".", 1)[0]
    try:
        header = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except (ValueError, TypeError) as exc:  # binascii.Error, JSONDecodeError, UnicodeDecodeError
        raise VerificationError("malformed token: the header is not base64url-encoded JSON") from exc
    if not isinstance(header, dict):
        raise VerificationError("malformed token: the header is not a JSON object")
    return header


def _embedded_key(jwk: object) -> str:
    if not isinstance(jwk, dict) or set(jwk) != {"kty", "crv", "x"} or jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519":
        raise VerificationError("token header has no Ed25519 public key (jwk with kty OKP, crv Ed25519, x)")
    try:
        decode_public_key(jwk["x"])
    except (ValueError, TypeError) as exc:
        raise VerificationError(f"token header key is not a valid Ed25519 public key: {exc}") from exc
    return jwk["x"]


def _payload(body: bytes) -> ResultPayload:
    try:
        claims = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise VerificationError(f"token payload is not JSON: {exc}") from exc
    if not isinstance(claims, dict):
        raise VerificationError("token payload is not a JSON object")
    missing = sorted(PAYLOAD_CLAIMS - set(claims))
    extra = sorted(set(claims) - PAYLOAD_CLAIMS)
    if missing or extra:
        parts = ([f"missing claims {missing}"] if missing else []) + ([f"unexpected claims {extra}"] if extra else [])
        raise VerificationError(f"token payload does not have the expected claims: {'; '.join(parts)}")
    try:
        return ResultPayload.model_validate(claims)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        raise VerificationError(f"token payload claims are invalid: {problems}") from exc
