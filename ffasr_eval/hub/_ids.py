"""Names the Hub accepts: repo types, repo ids, namespaces, paths in a repo and branch names."""

from __future__ import annotations

import re

from ffasr_eval.hub._errors import bad_request

#: Plural form used in ``/api/{plural}/...`` -> repo type.
REPO_TYPES = {"models": "model", "datasets": "dataset", "spaces": "space"}
#: Repo type -> prefix of web and resolve URLs.
URL_PREFIX = {"model": "", "dataset": "datasets/", "space": "spaces/"}

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*")
_BRANCH = re.compile(r"[A-Za-z0-9_.\-][A-Za-z0-9_.\-/]*")
COMMIT_SHA = re.compile(r"[0-9a-f]{40}")
MAX_PATH = 1024


def check_name(name: str, what: str = "name") -> str:
    """Validate a user, org or repo name (the Hub's rules: letters, digits, `-_.`, no `--`/`..`)."""
    if not (1 <= len(name) <= 96) or not _NAME.fullmatch(name) or "--" in name or ".." in name \
            or name.endswith((".git", ".")):
        raise bad_request(
            f"Invalid {what} {name!r}: use 1-96 letters, digits, '-', '_' or '.', starting with a letter or "
            "digit, without '--' or '..' and not ending with '.git'."
        )
    return name


def check_repo_id(repo_id: str) -> tuple[str, str]:
    """Split ``namespace/name`` after validating both parts."""
    parts = repo_id.split("/")
    if len(parts) != 2:
        raise bad_request(f"Invalid repo id {repo_id!r}: expected 'namespace/name'.")
    return check_name(parts[0], "namespace"), check_name(parts[1], "repo name")


def repo_type_of(plural: str) -> str:
    if plural not in REPO_TYPES:
        raise bad_request(f"Unknown repo type {plural!r}: expected models, datasets or spaces.")
    return REPO_TYPES[plural]


def check_path(path: str, *, allow_root: bool = False) -> str:
    """Validate a file path inside a repo: relative, no `.`/`..`/empty parts, no `.git` folder."""
    stripped = path.strip("/") if allow_root else path
    if allow_root and stripped == "":
        return ""
    parts = stripped.split("/")
    if (
        not stripped
        or len(stripped) > MAX_PATH
        or path.startswith("/")
        or "\\" in stripped
        or any(ord(c) < 32 for c in stripped)
        or any(p in ("", ".", "..", ".git") for p in parts)
    ):
        raise bad_request(
            f"Invalid path {path!r}: paths in a repo are relative, use '/' separators, have no empty, '.', "
            f"'..' or '.git' parts, no control characters and are at most {MAX_PATH} characters."
        )
    return stripped


def check_branch(name: str) -> str:
    """Validate a branch or tag name (a subset of git's check-ref-format)."""
    if not _BRANCH.fullmatch(name) or ".." in name or name.endswith(("/", ".lock", ".")) or "//" in name \
            or name.startswith("refs/") or COMMIT_SHA.fullmatch(name) or len(name) > 200:
        raise bad_request(f"Invalid branch or tag name {name!r}.")
    return name
