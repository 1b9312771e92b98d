"""Ask for an official evaluation: a validated, deduplicated, rate-limited request file.

Owners of the benchmark repo (the user or one of their orgs) commit the request to ``main``
together with its submission-log line; everyone else opens a pull request that adds only the
request file, which the worker accepts (merges and logs) after validating it again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from huggingface_hub import CommitOperationAdd, HfApi
from huggingface_hub.errors import (
    RepositoryNotFoundError,
    RevisionNotFoundError,
)

from ffasr_eval._identity import whoami as _whoami
from ffasr_eval.errors import QueueError
from ffasr_eval.queue._model import (
    PROVIDERS,
    QueueRequest,
    now,
    request_id,
    request_path,
)
from ffasr_eval.queue._store import head, list_requests, read_text, update

#: Default rate limits: requests of one user that are pending or running, and made in 24 hours.
MAX_PENDING = 3
MAX_PER_DAY = 10
PR_TITLE = "Evaluation request"
_REPO_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")
_ACTIVE = ("pending", "running", "done")


@dataclass(frozen=True)
class RequestReceipt:
    """A request that was queued.

    Attributes:
        request: The stored request.
        pr_url: The request's pull request (None when the owner committed it to main).
    """

    request: QueueRequest
    pr_url: str | None


def whoami(api: HfApi) -> tuple[str, set[str]]:
    """The token's user name and the namespaces it may write to."""
    return _whoami(api, QueueError, "the queue")


def parse_model(model: str) -> tuple[str, str | None]:
    """Split ``REPO[@REV]``; QueueError if REPO is not ``owner/name``."""
    repo, _, revision = model.partition("@")
    if not _REPO_ID.match(repo):
        raise QueueError(f"--model must be a Hub model repo id like owner/name[@revision], got {model!r}")
    return repo, revision or None


def resolve_model(api: HfApi, model: str, revision: str | None, provider: str) -> str:
    """Check that the provider is known and the model readable; returns the model commit sha."""
    if provider not in PROVIDERS:
        raise QueueError(f"unknown provider {provider!r}: the queue runs {', '.join(PROVIDERS)}")
    try:
        sha = api.model_info(model, revision=revision).sha
    except RevisionNotFoundError as exc:
        raise QueueError(f"model {model} has no revision {revision!r}: give a branch, tag or commit sha") from exc
    except RepositoryNotFoundError as exc:
        raise QueueError(f"model repo {model} not found on {api.endpoint} (or not readable with this token)") from exc
    if not sha:
        raise QueueError(f"the Hub did not report the commit of {model}@{revision or 'main'}")
    return sha


def _open_request_prs(api: HfApi, benchmark: str) -> list:
    return [d for d in api.get_repo_discussions(benchmark, repo_type="dataset", discussion_type="pull_request",
                                                 discussion_status="open") if d.title.startswith(PR_TITLE)]


def check_new(api: HfApi, request: QueueRequest, *, max_pending: int, max_per_day: int,
              ignore_pr: int | None = None) -> None:
    """Refuse a duplicate (same model revision on main or in an open request PR) or a user over the limits."""
    on_main = list_requests(api, request.benchmark, head(api, request.benchmark))
    same = next((r for r in on_main if r.id == request.id and r.status in _ACTIVE), None)
    if same is not None:
        raise QueueError(f"{request.model}@{request.revision[:12]} ({request.provider}) is already queued as {same.id} "
                         f"(status {same.status}): a model revision is evaluated once")
    prs = [d for d in _open_request_prs(api, request.benchmark) if d.num != ignore_pr]
    for pr in prs:
        if read_text(api, request.benchmark, request_path(request.id), pr.git_reference) is not None:
            raise QueueError(f"{request.model}@{request.revision[:12]} is already requested in open PR #{pr.num} "
                             f"({pr.url})")
    user = request.requested_by
    mine = [r for r in on_main if r.requested_by == user]
    my_prs = sum(pr.author == user for pr in prs)
    pending = sum(r.status in ("pending", "running") for r in mine) + my_prs
    if pending >= max_pending:
        raise QueueError(f"{user} already has {pending} pending request(s) on {request.benchmark} "
                         f"(limit {max_pending}): wait until one is done")
    today = sum(now() - r.requested_at < timedelta(days=1) for r in mine) + my_prs
    if today >= max_per_day:
        raise QueueError(f"{user} made {today} request(s) on {request.benchmark} in the last 24 hours "
                         f"(limit {max_per_day}): try again tomorrow")


def request_evaluation(
    benchmark: str,
    model: str,
    *,
    provider: str = "hf-asr",
    endpoint: str | None = None,
    token: str | None = None,
    max_pending: int = MAX_PENDING,
    max_per_day: int = MAX_PER_DAY,
) -> RequestReceipt:
    """Queue an official evaluation of ``model`` (``REPO[@REV]``) on the benchmark dataset repo.

    Args:
        benchmark: Hub dataset repo id of the benchmark.
        model: Model repo id, optionally ``@revision`` (branch, tag or sha; default main).
        provider: ``hf-asr`` (transformers pipeline of the repo) or ``sphinx`` (pocketsphinx en-us).
        endpoint: Hub address (default ``HF_ENDPOINT``).
        token: Hub token (default ``HF_TOKEN``).
        max_pending: Pending or running requests one user may have.
        max_per_day: Requests one user may make in 24 hours.

    Raises:
        QueueError: If the request is malformed, the model unreadable, a duplicate, or over the limits.

    Example:
        >>> receipt = request_evaluation("ffasr/far-field-bench", "alice/asr@main")  # doctest: +SKIP
        >>> receipt.request.status, receipt.pr_url is not None
        ('pending', True)
    """
    api = HfApi(endpoint=endpoint, token=token)
    repo, revision = parse_model(model)
    user, namespaces = whoami(api)
    head(api, benchmark)  # the benchmark must exist before anything else is checked
    sha = resolve_model(api, repo, revision, provider)
    request = QueueRequest(id=request_id(repo, sha, provider), benchmark=benchmark, model=repo, revision=sha,
                           provider=provider, requested_by=user, requested_at=now())
    check_new(api, request, max_pending=max_pending, max_per_day=max_per_day)
    title = f"{PR_TITLE}: {repo}@{sha[:12]} ({provider})"
    if benchmark.split("/")[0] in namespaces:
        def add(requests: dict[str, QueueRequest], _: str) -> list[QueueRequest]:
            if request.id in requests and requests[request.id].status in _ACTIVE:
                raise QueueError(f"{repo}@{sha[:12]} was queued meanwhile as {request.id}")
            return [request]

        return RequestReceipt(update(api, benchmark, add, by=user, message=title)[0], None)
    commit = api.create_commit(benchmark, [CommitOperationAdd(request_path(request.id), request.to_json().encode())],
                               commit_message=title, repo_type="dataset", create_pr=True)
    return RequestReceipt(request, commit.pr_url)
