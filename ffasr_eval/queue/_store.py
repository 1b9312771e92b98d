"""Read and update the queue in the benchmark dataset repo, without lost updates.

Every write is one commit on ``main`` made with ``parent_commit`` = the head it was computed
from; when another writer got there first the Hub refuses it (412) and the change is computed
again from the new head. A status change and its submission-log line land in the same commit.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from huggingface_hub import CommitOperationAdd, HfApi
from huggingface_hub.errors import (
    EntryNotFoundError,
    HfHubHTTPError,
    RepositoryNotFoundError,
)
from pydantic import ValidationError

from ffasr_eval.errors import QueueError
from ffasr_eval.queue._model import (
    LOG_PATH,
    REQUESTS_DIR,
    LogEvent,
    QueueRequest,
    now,
    request_path,
)

_ATTEMPTS = 8


def head(api: HfApi, benchmark: str) -> str:
    """Commit sha of the benchmark repo's main branch."""
    try:
        sha = api.dataset_info(benchmark).sha
    except RepositoryNotFoundError as exc:
        raise QueueError(f"benchmark dataset {benchmark} not found on {api.endpoint} (or not visible with this token)") from exc
    if not sha:
        raise QueueError(f"the Hub did not report the head commit of {benchmark}")
    return sha


def read_text(api: HfApi, benchmark: str, path: str, revision: str) -> str | None:
    """A file of the dataset repo at `revision`, or None when it does not exist."""
    try:
        return Path(api.hf_hub_download(benchmark, path, repo_type="dataset", revision=revision)).read_text("utf-8")
    except EntryNotFoundError:
        return None


def parse_request(text: str, source: str) -> QueueRequest:
    """Parse a request file; QueueError names the file when it is not a valid request."""
    try:
        return QueueRequest.model_validate_json(text)
    except ValidationError as exc:
        raise QueueError(f"{source} is not a valid queue request: {exc.errors()[0]['msg']} "
                         f"at {'.'.join(map(str, exc.errors()[0]['loc']))}") from exc


def list_requests(api: HfApi, benchmark: str, revision: str) -> list[QueueRequest]:
    """Every request file on `revision`, oldest request first."""
    files = api.list_repo_files(benchmark, repo_type="dataset", revision=revision)
    found = []
    for path in files:
        if path.startswith(REQUESTS_DIR + "/") and path.endswith(".json"):
            text = read_text(api, benchmark, path, revision)
            if text is not None:
                found.append(parse_request(text, f"{benchmark}@{revision}:{path}"))
    return sorted(found, key=lambda r: (r.requested_at, r.id))


def read_log(api: HfApi, benchmark: str, revision: str | None = None) -> list[LogEvent]:
    """The submission log (every request and outcome), oldest first."""
    text = read_text(api, benchmark, LOG_PATH, revision or head(api, benchmark)) or ""
    return [LogEvent.model_validate(json.loads(line)) for line in text.splitlines() if line.strip()]


def update(
    api: HfApi,
    benchmark: str,
    change: Callable[[dict[str, QueueRequest], str], list[QueueRequest]],
    *,
    by: str,
    message: str,
) -> list[QueueRequest]:
    """Apply `change` to the requests on main and commit the result with its log lines.

    `change(requests_by_id, head_sha)` returns the requests to write (empty: nothing to commit);
    it may raise QueueError to refuse. On a concurrent commit it is called again on the new head.

    Raises:
        QueueError: If `change` refuses, or the Hub keeps refusing the commit.
    """
    for _ in range(_ATTEMPTS):
        sha = head(api, benchmark)
        changed = change({r.id: r for r in list_requests(api, benchmark, sha)}, sha)
        if not changed:
            return []
        stamped = [r.model_copy(update={"updated_at": now()}) for r in changed]
        log = read_text(api, benchmark, LOG_PATH, sha) or ""
        log += "".join(LogEvent.of(r, by).model_dump_json(exclude_none=True) + "\n" for r in stamped)
        operations = [CommitOperationAdd(request_path(r.id), r.to_json().encode()) for r in stamped]
        operations.append(CommitOperationAdd(LOG_PATH, log.encode()))
        try:
            api.create_commit(benchmark, operations, commit_message=message, repo_type="dataset", parent_commit=sha)
        except HfHubHTTPError as exc:
            if exc.response is not None and exc.response.status_code in (409, 412):
                continue  # someone committed in between: recompute from the new head
            raise QueueError(f"cannot update the queue of {benchmark}: {exc}") from exc
        return stamped
    raise QueueError(f"the queue of {benchmark} changed {_ATTEMPTS} times while updating it: try again")
