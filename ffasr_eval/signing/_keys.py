"""Ed25519 evaluator keys: create, store, load, fingerprint.

A key is two files: the private key (PKCS#8 PEM, mode 0600, never printed) and, next to it,
``<file>.pub``: the public half as a ready-to-paste `evaluators.yaml` entry. A key's `kid` is
the first 16 characters of the base64url SHA-256 of the raw 32-byte public key (96 bits).
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ffasr_eval.errors import SigningError

#: Environment variable naming the private key file `submit` signs with.
KEY_ENV = "FFASR_KEY"
#: Length of a key id (base64url characters of the public key's SHA-256).
KID_LENGTH = 16


@dataclass(frozen=True)
class EvaluatorKey:
    """A loaded private key with its identity.

    Attributes:
        private_key: The Ed25519 private key (never serialised by this class).
        kid: Fingerprint of the public key.
        public_key: The raw public key, base64url without padding (the `x` of a JWK).
        owner: Who the key belongs to (from ``<file>.pub``), if known.
        path: The file it was loaded from, if any.
    """

    private_key: Ed25519PrivateKey
    kid: str
    public_key: str
    owner: str | None = None
    path: Path | None = None

    def __repr__(self) -> str:  # keep the private key out of logs and tracebacks
        return f"EvaluatorKey(kid={self.kid!r}, owner={self.owner!r}, path={self.path!r})"

    @classmethod
    def generate(cls, owner: str | None = None) -> EvaluatorKey:
        """A fresh random key (not stored; see `create_key` to write it to disk)."""
        return cls._from_private(Ed25519PrivateKey.generate(), owner=owner)

    @classmethod
    def _from_private(cls, private_key: Ed25519PrivateKey, *, owner: str | None, path: Path | None = None) -> EvaluatorKey:
        public = encode_public_key(private_key.public_key())
        return cls(private_key=private_key, kid=key_id(public), public_key=public, owner=owner, path=path)

    def evaluator_entry(self, *, role: str = "community", hardware_profile: str | None = None) -> dict[str, object]:
        """This key as an `evaluators.yaml` entry (role and profile are the registry owner's call)."""
        return {
            "kid": self.kid,
            "public_key": self.public_key,
            "owner": self.owner or "unknown",
            "role": role,
            "hardware_profile": hardware_profile,
            "revoked": False,
        }


def default_key_path() -> Path:
    """Where `submit` looks for a key when none is given and ``FFASR_KEY`` is unset.

    ``$XDG_CONFIG_HOME/ffasr-eval/evaluator.pem`` (``~/.config/ffasr-eval/evaluator.pem``).
    """
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "ffasr-eval" / "evaluator.pem"


def public_key_path(private_path: str | Path) -> Path:
    """The ``.pub`` file stored next to a private key file."""
    private_path = Path(private_path)
    return private_path.with_name(private_path.name + ".pub")


def create_key(path: str | Path | None = None, *, owner: str, overwrite: bool = False) -> EvaluatorKey:
    """Create an Ed25519 key: private PEM (mode 0600) at `path`, public entry at ``<path>.pub``.

    Args:
        path: Private key file (default: `default_key_path()`).
        owner: Who the key belongs to (Hub user or organisation name).
        overwrite: Replace an existing key file.

    Raises:
        SigningError: If the file exists and `overwrite` is False.

    Example:
        >>> key = create_key("~/.config/ffasr-eval/evaluator.pem", owner="alice")
        >>> key.kid
        'q0v3...'
    """
    path = Path(path).expanduser() if path is not None else default_key_path()
    if path.exists() and not overwrite:
        raise SigningError(f"{path} already exists: pick another --out file (an existing key is never replaced)")
    key = EvaluatorKey._from_private(Ed25519PrivateKey.generate(), owner=owner, path=path)
    pem = key.private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    os.chmod(tmp, 0o600)  # O_CREAT's mode is masked by umask; make sure
    tmp.replace(path)
    public_key_path(path).write_text(yaml.safe_dump(key.evaluator_entry(), sort_keys=False), encoding="utf-8")
    return key


def load_key(path: str | Path) -> EvaluatorKey:
    """Load a private key written by `create_key` (owner from ``<path>.pub`` if present).

    Raises:
        SigningError: If the file is missing, readable by others, or not an Ed25519 PEM key.
    """
    path = Path(path).expanduser()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SigningError(
            f"cannot read key file {path}: {exc.strerror or exc}; create one with `ffasr-eval keys create --out {path}`"
        ) from exc
    if os.name == "posix" and path.stat().st_mode & 0o077:
        raise SigningError(f"key file {path} is readable by other users: run `chmod 600 {path}`")
    try:
        private_key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise SigningError(f"{path} is not an unencrypted PEM private key: {exc}") from exc
    if not isinstance(private_key, Ed25519PrivateKey):
        raise SigningError(f"{path} holds a {type(private_key).__name__}, not an Ed25519 key")
    return EvaluatorKey._from_private(private_key, owner=_owner_from_pub(path), path=path)


def resolve_key(key: str | Path | EvaluatorKey | None) -> EvaluatorKey | None:
    """The key to sign with: `key`, else the file in ``$FFASR_KEY``, else `default_key_path()` if it exists.

    Returns None (an unsigned result) when no key is given and none is configured.

    Raises:
        SigningError: If a given or configured key file cannot be loaded.

    Example:
        >>> resolve_key(None)  # $FFASR_KEY unset, no ~/.config/ffasr-eval/evaluator.pem
        >>> resolve_key("team.pem").kid
        'q0v3Xk2b9mJ1cT0a'
    """
    if isinstance(key, EvaluatorKey):
        return key
    if key is not None:
        return load_key(key)
    if os.environ.get(KEY_ENV):
        return load_key(os.environ[KEY_ENV])
    default = default_key_path()
    return load_key(default) if default.is_file() else None


def encode_public_key(public_key: Ed25519PublicKey) -> str:
    """The raw 32-byte public key as base64url without padding."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return _b64(raw)


@lru_cache(maxsize=4096)
def decode_public_key(public_key: str) -> Ed25519PublicKey:
    """Parse a base64url raw public key (cached: verifiers see the same few keys many times).

    Raises:
        ValueError: If it is not 32 base64url-encoded bytes.
    """
    try:
        raw = base64.urlsafe_b64decode(public_key + "=" * (-len(public_key) % 4))
    except (ValueError, TypeError) as exc:
        raise ValueError(f"public key is not base64url: {exc}") from exc
    if len(raw) != 32:
        raise ValueError(f"an Ed25519 public key has 32 bytes, this one has {len(raw)}")
    return Ed25519PublicKey.from_public_bytes(raw)


@lru_cache(maxsize=4096)
def key_id(public_key: str) -> str:
    """The `kid` of a base64url raw public key: base64url SHA-256, first `KID_LENGTH` characters."""
    raw = decode_public_key(public_key).public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return _b64(hashlib.sha256(raw).digest())[:KID_LENGTH]


def _owner_from_pub(private_path: Path) -> str | None:
    pub = public_key_path(private_path)
    if not pub.is_file():
        return None
    try:
        data = yaml.safe_load(pub.read_text(encoding="utf-8"))
    except yaml.YAMLError:
        return None
    owner = data.get("owner") if isinstance(data, dict) else None
    return owner if isinstance(owner, str) and owner != "unknown" else None


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")
