"""Repo info objects (``/api/models/{id}``, list endpoints) and tree entries, as the client parses them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ffasr_eval.hub._card import card_data
from ffasr_eval.hub._db import RepoRow, iso
from ffasr_eval.hub._evals import repo_results
from ffasr_eval.hub._git import Entry, GitStore
from ffasr_eval.hub._service import Caller, HubService

#: Info properties computed from the README's metadata (read only when asked for).
_FROM_CARD = {"cardData", "tags", "library_name", "pipeline_tag", "baseModels"}


def commit_date(store: GitStore, oid: str) -> str:
    """The commit time of ``oid`` in the Hub's ISO-8601 format."""
    return iso(datetime.fromtimestamp(store.commit(oid).committed_date, UTC))


def entry_json(entry: Entry) -> dict[str, Any]:
    if entry.is_dir:
        return {"type": "directory", "path": entry.path, "oid": entry.oid}
    return {"type": "file", "path": entry.path, "size": entry.size, "oid": entry.oid}


def repo_json(service: HubService, caller: Caller, repo: RepoRow, commit: str, *, blobs: bool = False,
              expand: list[str] | None = None) -> dict[str, Any]:
    """The info object of a repo at ``commit``; with ``expand``, only ``id`` and the named properties."""
    store = service.store(repo)
    wanted = set(expand or ())
    info: dict[str, Any] = {
        "_id": f"{repo.type}:{repo.id}", "id": repo.id, "author": repo.id.split("/")[0], "sha": commit,
        "lastModified": commit_date(store, commit), "createdAt": repo.created_at, "private": repo.private,
        "gated": False, "disabled": False, "downloads": 0, "likes": 0, "usedStorage": 0,
    }
    card = card_data(store, commit) if not expand or wanted & _FROM_CARD else None
    info["tags"] = _tags(card)
    if card is not None:
        info["cardData"] = card
    if repo.type == "model" and card:
        for key in ("library_name", "pipeline_tag"):
            if key in card:
                info[key] = card[key]
        if card.get("base_model"):
            base = card["base_model"]
            info["baseModels"] = {"models": [{"id": b} for b in ([base] if isinstance(base, str) else base)]}
    if not expand or "siblings" in wanted:
        info["siblings"] = [
            {"rfilename": e.path, **({"size": e.size, "blobId": e.oid} if blobs else {})}
            for e in store.list_dir(commit, "", recursive=True) if not e.is_dir
        ]
    if "evalResults" in wanted:
        info["evalResults"] = repo_results(store, commit)
    if not expand:
        return info
    return {"_id": info["_id"], "id": info["id"], **{k: info[k] for k in wanted if k in info}}


def _tags(card: dict[str, Any] | None) -> list[str]:
    if not card:
        return []
    tags = card.get("tags") or []
    return [str(t) for t in (tags if isinstance(tags, list) else [tags])]
