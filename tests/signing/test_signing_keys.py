"""Evaluator keys on disk and the evaluators.yaml registry."""

from __future__ import annotations

import os
import stat

import pytest
import yaml

from ffasr_eval.errors import SigningError, VerificationError
from ffasr_eval.signing import EvaluatorRegistry, create_key, key_id, load_key, public_key_path


def test_created_key_is_private_and_reloads(tmp_path) -> None:
    key = create_key(tmp_path / "k.pem", owner="alice")
    assert stat.S_IMODE(os.stat(tmp_path / "k.pem").st_mode) == 0o600
    loaded = load_key(tmp_path / "k.pem")
    assert (loaded.kid, loaded.public_key, loaded.owner) == (key.kid, key.public_key, "alice")
    assert loaded.kid == key_id(loaded.public_key) and len(loaded.kid) == 16
    entry = yaml.safe_load(public_key_path(tmp_path / "k.pem").read_text())
    assert entry == {"kid": key.kid, "public_key": key.public_key, "owner": "alice", "role": "community",
                     "hardware_profile": None, "revoked": False}
    assert "PRIVATE" not in repr(key) and "PRIVATE" not in public_key_path(tmp_path / "k.pem").read_text()


def test_existing_key_is_never_overwritten(tmp_path) -> None:
    first = create_key(tmp_path / "k.pem", owner="alice")
    with pytest.raises(SigningError, match="already exists"):
        create_key(tmp_path / "k.pem", owner="alice")
    assert load_key(tmp_path / "k.pem").kid == first.kid


@pytest.mark.parametrize(
    ("content", "mode", "message"),
    [
        (None, 0o600, "cannot read key file"),
        (b"not a key", 0o600, "is not an unencrypted PEM private key"),
        ("valid", 0o644, "readable by other users"),
    ],
)
def test_unusable_key_files_are_refused(tmp_path, content, mode, message) -> None:
    path = tmp_path / "k.pem"
    if content == "valid":
        create_key(path, owner="alice")
    elif content is not None:
        path.write_bytes(content)
    if path.exists():
        path.chmod(mode)
    with pytest.raises(SigningError, match=message):
        load_key(path)


def test_registry_round_trip(official_key, registry) -> None:
    again = EvaluatorRegistry.from_yaml(registry.to_yaml())
    assert again == registry
    assert again.get(official_key.kid).role == "official"
    assert again.get("nope") is None


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda e: {**e, "kid": "AAAAAAAAAAAAAAAA"}, "evaluators.0: Value error, kid 'AAAAAAAAAAAAAAAA' is not the fingerprint"),
        (lambda e: {**e, "public_key": "abc"}, "evaluators.0.public_key"),
        (lambda e: {**e, "role": "admin"}, "evaluators.0.role"),
        (lambda e: {**e, "colour": "red"}, "evaluators.0.colour: Extra inputs are not permitted"),
        (lambda e: {k: v for k, v in e.items() if k != "owner"}, "evaluators.0.owner: Field required"),
    ],
)
def test_invalid_registry_names_file_and_entry(official_key, mutate, message) -> None:
    text = yaml.safe_dump({"evaluators": [mutate(official_key.evaluator_entry())]})
    with pytest.raises(VerificationError, match="bench/evaluators.yaml: invalid trusted-evaluator registry") as info:
        EvaluatorRegistry.from_yaml(text, source="bench/evaluators.yaml")
    assert message in str(info.value)


def test_duplicate_kid_is_refused(official_key) -> None:
    entry = official_key.evaluator_entry()
    with pytest.raises(VerificationError, match="is listed twice"):
        EvaluatorRegistry.from_yaml(yaml.safe_dump({"evaluators": [entry, entry]}))
