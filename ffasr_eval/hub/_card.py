"""Repo card metadata: the YAML header of README.md, parsed with the client's own card parser."""

from __future__ import annotations

from typing import Any

from ffasr_eval.hub._git import GitStore

#: Parsed files by blob id (content never changes); bounded by clearing.
_CACHE_LIMIT = 10_000
_CARD_CACHE: dict[str, dict[str, Any]] = {}


def card_data(store: GitStore, commit: str) -> dict[str, Any] | None:
    """The YAML metadata of README.md at ``commit`` (None without a README)."""
    entry = store.entry(commit, "README.md")
    if entry is None or entry.is_dir:
        return None
    data = _CARD_CACHE.get(entry.oid)
    if data is None:
        # Imported late: `ffasr_eval.hub` must not import huggingface_hub, which freezes
        # HF_ENDPOINT at import time (callers set it after starting a LocalHub).
        from huggingface_hub import RepoCard

        text = store.read_blob(entry.oid).decode("utf-8", "replace")
        try:
            data = RepoCard(text, ignore_metadata_errors=True).data.to_dict()
        except Exception:  # noqa: BLE001 - a broken card is shown as having no metadata, as on the Hub
            data = {}
        if len(_CARD_CACHE) > _CACHE_LIMIT:
            _CARD_CACHE.clear()
        _CARD_CACHE[entry.oid] = data
    return data
