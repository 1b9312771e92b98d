"""Eval results: ``.eval_results/*.yaml`` of model repos, for ``model_info(expand=["evalResults"])``
and for the dataset leaderboard (``GET /api/datasets/{id}/leaderboard``).

The leaderboard gathers, from every model repo the caller can see, the entries whose
``dataset.id`` is the dataset: from ``main`` and from open pull requests (``pullRequest`` set; only
files the PR adds or changes). Entries are ranked per task (``taskId``), by ``value``, lower first
when the dataset's ``eval.yaml`` says its primary metric is lower-is-better (``ffasr.metrics``),
higher first otherwise. ``verified`` comes from a pluggable verifier (default: never verified).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml

from ffasr_eval.hub._card import card_data
from ffasr_eval.hub._db import RepoRow
from ffasr_eval.hub._errors import HubHTTPError
from ffasr_eval.hub._git import GitStore
from ffasr_eval.hub._service import OPEN_STATUSES, Caller, HubService

RESULTS_DIR = ".eval_results"
logger = logging.getLogger(__name__)


#: ``read_file(repo_type, repo_id, path)`` -> the file's bytes on the repo's main, or None.
ReadFile = Callable[[str, str, str], bytes | None]


@dataclass(frozen=True)
class ResultContext:
    """What a verifier gets to decide whether one leaderboard entry is verified.

    Attributes:
        dataset_id: The benchmark dataset repo.
        model_id: The model repo holding the result.
        model_revision: Commit sha of the model repo the entry was read at.
        filename: Path of the result file in the model repo.
        entry: The entry as written in the file (``dataset``, ``value``, ``verifyToken``, ...).
        pull_request: Number of the open pull request carrying it, or None for main.
        read_file: ``read_file(repo_type, repo_id, path)`` -> bytes at main, or None (e.g. the
            dataset's ``evaluators.yaml``).
    """

    dataset_id: str
    model_id: str
    model_revision: str
    filename: str
    entry: dict[str, Any]
    pull_request: int | None
    read_file: ReadFile


#: Decides whether an entry is verified; the toolkit's signing module can provide one.
Verifier = Callable[[ResultContext], bool]

#: Parsed files by blob id (content never changes); bounded by clearing.
_CACHE_LIMIT = 10_000
_FILES_CACHE: dict[str, list[dict[str, Any]]] = {}


def _parse(store: GitStore, path: str, oid: str) -> list[dict[str, Any]]:
    """Items of one result file: ``{"filename", "data"}`` per entry, or one ``{"filename", "error"}``."""
    cached = _FILES_CACHE.get(oid)
    if cached is not None:
        return cached
    try:
        data = yaml.safe_load(store.read_blob(oid))
        if not isinstance(data, list) or not all(isinstance(e, dict) for e in data):
            raise ValueError("expected a YAML list of result entries")
        for entry in data:
            dataset = entry.get("dataset")
            if not isinstance(dataset, dict) or "id" not in dataset or "task_id" not in dataset or "value" not in entry:
                raise ValueError("every entry needs dataset.id, dataset.task_id and value")
            if isinstance(entry.get("source"), dict) and "url" not in entry["source"]:
                raise ValueError("source needs a url")
        items = [{"filename": path, "data": entry} for entry in data]
    except (yaml.YAMLError, ValueError) as error:
        items = [{"filename": path, "error": f"Invalid eval results file: {' '.join(str(error).split())[:300]}"}]
    if len(_FILES_CACHE) > _CACHE_LIMIT:
        _FILES_CACHE.clear()
    _FILES_CACHE[oid] = items
    return items


def _files(store: GitStore, commit: str) -> dict[str, str]:
    entry = store.entry(commit, RESULTS_DIR)
    if entry is None or not entry.is_dir:
        return {}
    return {e.path: e.oid for e in store.list_dir(commit, RESULTS_DIR, recursive=False)
            if not e.is_dir and e.path.endswith((".yaml", ".yml"))}


def repo_results(store: GitStore, commit: str) -> list[dict[str, Any]]:
    """The ``evalResults`` of a model repo at ``commit``."""
    return [item for path, oid in sorted(_files(store, commit).items()) for item in _parse(store, path, oid)]


def _lower_is_better(service: HubService, dataset: RepoRow) -> bool:
    text = service.store(dataset).read(service.resolve(dataset, "main"), "eval.yaml")
    try:
        spec = yaml.safe_load(text or b"") or {}
        metrics = (spec.get("ffasr") or {}).get("metrics") or []
        primary = next((m for m in metrics if m.get("primary")), metrics[0] if metrics else {})
        return bool(primary.get("lower_is_better", False))
    except (yaml.YAMLError, AttributeError):
        return False


def leaderboard(service: HubService, caller: Caller, dataset_id: str, base_model_only: bool,
                verifier: Verifier | None, endpoint: str) -> list[dict[str, Any]]:
    """The ranked leaderboard entries of a dataset."""
    dataset = service.visible_repo(caller, "dataset", dataset_id)
    if service.store(dataset).entry(service.resolve(dataset, "main"), "eval.yaml") is None:
        raise HubHTTPError(404, f"Dataset {dataset.id} has no leaderboard: it has no eval.yaml.")
    files = _Files(service)
    rows: list[dict[str, Any]] = []
    for model in service.list_repos(caller, "model"):
        rows.extend(_cached_model_rows(service, model, dataset.id, files, base_model_only, verifier, endpoint))
    descending = not _lower_is_better(service, dataset)
    ranked: list[dict[str, Any]] = []
    for task in sorted({r["taskId"] for r in rows}):
        group = sorted((r for r in rows if r["taskId"] == task), key=lambda r: r["value"], reverse=descending)
        for index, row in enumerate(group):
            tied = index and group[index - 1]["value"] == row["value"]
            row["rank"] = ranked[-1]["rank"] if tied else index + 1
            ranked.append(row)
    return ranked


@dataclass
class _Rows:
    """A model repo's leaderboard rows, and the files its verifier read to compute them."""

    rows: list[dict[str, Any]]
    reads: dict[tuple[str, str, str], str | None]  # (repo type, repo id, path) -> blob read, None if absent


#: A model repo's leaderboard rows, keyed by the repo's main and open PR heads and the query, and
#: valid while every file the verifier read (the dataset's eval.yaml and evaluators.yaml) is
#: unchanged. A collector polling a large leaderboard, which publishes into the dataset repo each
#: time, then only re-reads and re-verifies the model repos that changed.
_ROWS_CACHE: dict[tuple[Any, ...], _Rows] = {}


class _Files:
    """Files read for verifiers during one leaderboard request, at the repos' main heads."""

    def __init__(self, service: HubService) -> None:
        self._service = service
        self._blobs: dict[tuple[str, str, str], tuple[GitStore, str] | None] = {}

    def blob(self, repo_type: str, repo_id: str, path: str) -> tuple[GitStore, str] | None:
        """The store and blob id of a public repo's file on main, or None."""
        key = (repo_type, repo_id, path)
        if key not in self._blobs:
            repo = self._service.db.get_repo(repo_type, repo_id)
            store = self._service.store(repo) if repo is not None and not repo.private else None
            head = store.ref_target("refs/heads/main") if store is not None else None
            entry = store.entry(head, path) if store is not None and head else None
            self._blobs[key] = (store, entry.oid) if entry is not None and not entry.is_dir else None
        return self._blobs[key]

    def oid(self, key: tuple[str, str, str]) -> str | None:
        found = self.blob(*key)
        return found[1] if found else None

    def reader(self, reads: dict[tuple[str, str, str], str | None]) -> ReadFile:
        """A ``read_file`` for `ResultContext` that records what it read into `reads`."""

        def read_file(repo_type: str, repo_id: str, path: str) -> bytes | None:
            found = self.blob(repo_type, repo_id, path)
            reads[(repo_type, repo_id, path)] = found[1] if found else None
            return found[0].read_blob(found[1]) if found else None

        return read_file


def _cached_model_rows(service: HubService, model: RepoRow, dataset_id: str, files: _Files, base_model_only: bool,
                       verifier: Verifier | None, endpoint: str) -> list[dict[str, Any]]:
    store = service.store(model)
    pulls = tuple((d.num, d.status, store.ref_target(f"refs/pr/{d.num}"))
                  for d in service.db.list_discussions(model.type, model.id) if d.is_pr)
    key = (model.id, model.private, store.ref_target("refs/heads/main"), pulls, dataset_id.lower(), base_model_only,
           id(verifier), endpoint)
    cached = _ROWS_CACHE.get(key)
    if cached is None or any(files.oid(read) != oid for read, oid in cached.reads.items()):
        reads: dict[tuple[str, str, str], str | None] = {}
        cached = _Rows(_model_rows(service, model, dataset_id, base_model_only, verifier, endpoint,
                                   files.reader(reads)), reads)
        if len(_ROWS_CACHE) > _CACHE_LIMIT:
            _ROWS_CACHE.clear()
        _ROWS_CACHE[key] = cached
    return [dict(row) for row in cached.rows]  # ranking writes into the rows


def _model_rows(service: HubService, model: RepoRow, dataset_id: str, base_model_only: bool,
                verifier: Verifier | None, endpoint: str, read_file: ReadFile) -> list[dict[str, Any]]:
    store = service.store(model)
    main = store.ref_target("refs/heads/main")
    if main is None:
        return []
    if base_model_only and (card_data(store, main) or {}).get("base_model"):
        return []
    sources: list[tuple[str, int | None, dict[str, str]]] = [(main, None, _files(store, main))]
    for discussion in service.db.list_discussions(model.type, model.id):
        head = store.ref_target(f"refs/pr/{discussion.num}") if discussion.is_pr else None
        if head is None or discussion.status not in OPEN_STATUSES:
            continue
        changed = {p: o for p, o in _files(store, head).items() if sources[0][2].get(p) != o}
        sources.append((head, discussion.num, changed))
    rows = []
    for commit, pr, files in sources:
        for path, oid in sorted(files.items()):
            for item in _parse(store, path, oid):
                entry = item.get("data")
                if entry is None or str(entry["dataset"]["id"]).lower() != dataset_id.lower():
                    continue
                if not isinstance(entry["value"], int | float) or isinstance(entry["value"], bool):
                    continue
                rows.append(_row(service, model, commit, pr, path, entry, dataset_id, verifier, endpoint, read_file))
    return rows


def _row(service: HubService, model: RepoRow, commit: str, pr: int | None, path: str, entry: dict[str, Any],
         dataset_id: str, verifier: Verifier | None, endpoint: str, read_file: ReadFile) -> dict[str, Any]:
    namespace = model.id.split("/")[0]
    row: dict[str, Any] = {
        "modelId": model.id, "value": entry["value"], "filename": path, "taskId": entry["dataset"]["task_id"],
        "verified": _verified(service, verifier, ResultContext(dataset_id, model.id, commit, path, entry, pr,
                                                                 read_file)),
        "author": {"type": service.db.account_kind(namespace) or "user", "name": namespace},
        "pullRequest": pr,
    }
    if entry["dataset"].get("revision"):
        row["datasetRevision"] = entry["dataset"]["revision"]
    if isinstance(entry.get("source"), dict):
        url = str(entry["source"]["url"])
        row["source"] = {"url": url, "name": entry["source"].get("name"), "isExternal": not url.startswith(endpoint)}
    if entry.get("notes") is not None:
        row["notes"] = entry["notes"]
    if entry.get("date") is not None:
        row["date"] = str(entry["date"])
    return row


def _verified(service: HubService, verifier: Verifier | None, context: ResultContext) -> bool:
    if verifier is None or not context.entry.get("verifyToken"):
        return False
    try:
        return bool(verifier(context))
    except Exception:
        logger.exception("eval result verifier failed on %s %s", context.model_id, context.filename)
        return False
