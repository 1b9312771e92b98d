"""The queue worker: accept request PRs, claim pending requests, evaluate, submit, record outcomes.

Status transitions (each one commit on the benchmark repo with its submission-log line):
``pending → running`` (with a lease) ``→ done`` (result PR url, held-out values) or ``failed``
(reason). A ``running`` request whose lease expired (its worker crashed) returns to ``pending``.
Before submitting, the worker looks for an official result of the same model revision on the
same benchmark revision (main or any open/merged PR of the model repo) and reuses it, so a
crash between submitting and recording never yields two result PRs.
"""

from __future__ import annotations

import os
import socket
import tempfile
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from huggingface_hub import HfApi
from huggingface_hub.errors import EntryNotFoundError, HfHubHTTPError

from ffasr_eval.errors import FFASRError, QueueError
from ffasr_eval.queue._executors import EvalJob, EvalOutcome, Executor, LocalExecutor
from ffasr_eval.queue._model import REQUESTS_DIR, QueueRequest, now
from ffasr_eval.queue._request import (
    MAX_PENDING,
    MAX_PER_DAY,
    PR_TITLE,
    check_new,
    resolve_model,
    whoami,
)
from ffasr_eval.queue._store import head, parse_request, read_text, update
from ffasr_eval.results import parse_results, results_path
from ffasr_eval.signing import EvaluatorKey, open_token, resolve_key

#: How long a claimed request stays `running` without its worker finishing it.
LEASE = timedelta(hours=2)


@dataclass
class WorkReport:
    """What one pass of the worker did (request ids)."""

    accepted: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    requeued: list[str] = field(default_factory=list)
    done: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def _accept_prs(api: HfApi, benchmark: str, owner: str, report: WorkReport) -> None:
    """Merge the request PRs that validate; close the others with the reason."""
    prs = [d for d in api.get_repo_discussions(benchmark, repo_type="dataset", discussion_type="pull_request",
                                                discussion_status="open") if d.title.startswith(PR_TITLE)]
    main = set(api.list_repo_files(benchmark, repo_type="dataset", revision=head(api, benchmark)))
    for pr in prs:
        added = [p for p in api.list_repo_files(benchmark, repo_type="dataset", revision=pr.git_reference)
                 if p not in main]
        try:
            if len(added) != 1 or not added[0].startswith(REQUESTS_DIR + "/"):
                raise QueueError(f"a request PR adds exactly one file under {REQUESTS_DIR}/ (this one adds {added})")
            text = read_text(api, benchmark, added[0], pr.git_reference) or ""
            request = parse_request(text, f"PR #{pr.num}: {added[0]}")
            if request.requested_by != pr.author or request.benchmark != benchmark or request.status != "pending":
                raise QueueError("the request must be pending, for this benchmark, and requested by the PR's author")
            if resolve_model(api, request.model, request.revision, request.provider) != request.revision:
                raise QueueError(f"revision {request.revision} is not a commit of {request.model}")
            check_new(api, request, max_pending=MAX_PENDING, max_per_day=MAX_PER_DAY, ignore_pr=pr.num)
        except QueueError as exc:
            api.comment_discussion(benchmark, pr.num, f"Rejected by the queue: {exc}", repo_type="dataset")
            api.change_discussion_status(benchmark, pr.num, "closed", repo_type="dataset")
            report.rejected.append(f"PR #{pr.num}")
            continue
        api.merge_pull_request(benchmark, pr.num, repo_type="dataset", comment="Accepted into the official queue.")
        update(api, benchmark, lambda requests, _, r=request: [requests.get(r.id, r)], by=owner,
               message=f"Queue: accepted {request.id} ({request.model})")
        report.accepted.append(request.id)


def _requeue_expired(api: HfApi, benchmark: str, owner: str, report: WorkReport) -> None:
    def requeue(requests: dict[str, QueueRequest], _: str) -> list[QueueRequest]:
        return [r.model_copy(update={"status": "pending", "worker": None, "lease_until": None,
                                     "reason": f"lease of worker {r.worker} expired (attempt {r.attempts})"})
                for r in requests.values() if r.status == "running" and r.lease_until and r.lease_until < now()]

    report.requeued += [r.id for r in update(api, benchmark, requeue, by=owner, message="Queue: expired leases")]


def _claim(api: HfApi, benchmark: str, owner: str, worker: str, count: int, lease: timedelta) -> list[QueueRequest]:
    def claim(requests: dict[str, QueueRequest], _: str) -> list[QueueRequest]:
        pending = sorted((r for r in requests.values() if r.status == "pending"), key=lambda r: (r.requested_at, r.id))
        return [r.model_copy(update={"status": "running", "worker": worker, "lease_until": now() + lease,
                                     "attempts": r.attempts + 1, "reason": None}) for r in pending[:count]]

    return update(api, benchmark, claim, by=owner, message=f"Queue: {worker} runs the next request(s)")


def existing_result(api: HfApi, request: QueueRequest, dataset_revision: str, kid: str) -> str | None:
    """URL of an official result (signed by `kid`) of this model revision on this benchmark revision, if any."""
    path = results_path(request.benchmark)
    refs = [("main", f"{api.endpoint}/{request.model}")]
    for pr in api.get_repo_discussions(request.model, discussion_type="pull_request", discussion_status="all"):
        if pr.status in ("open", "draft", "merged") and pr.git_reference:
            refs.append((pr.git_reference, pr.url))
    for revision, url in refs:
        try:
            text = Path(api.hf_hub_download(request.model, path, revision=revision)).read_text("utf-8")
            entries = parse_results(text, source=f"{request.model}@{revision}:{path}")
            opened = open_token(entries[0].verify_token or "")
        except (EntryNotFoundError, FFASRError, IndexError):
            continue
        payload = opened.payload
        if (opened.kid, payload.model.revision, payload.dataset.revision) == (kid, request.revision, dataset_revision):
            return url
    return None


def _finish(api: HfApi, job: EvalJob, outcome: EvalOutcome | Exception, key: EvaluatorKey, endpoint: str | None,
            token: str | None) -> QueueRequest:
    from ffasr_eval.publish import submit
    from ffasr_eval.summary import RunSummary

    request = job.request
    if isinstance(outcome, Exception):
        return request.model_copy(update={"status": "failed", "reason": f"evaluation failed: {outcome}"})
    try:
        revision = RunSummary.load(outcome.run_dir).benchmark.revision or ""
        url = existing_result(api, request, revision, key.kid)
        if url is None:
            url = submit(outcome.run_dir, request.model, key=key, endpoint=endpoint, token=token, role="official").pr_url
    except (FFASRError, HfHubHTTPError) as exc:
        return request.model_copy(update={"status": "failed", "reason": f"submission failed: {exc}"})
    return request.model_copy(update={"status": "done", "result_pr": url, "heldout": outcome.heldout})


def work_once(
    benchmark: str,
    *,
    executor: Executor | None = None,
    key: str | Path | EvaluatorKey | None = None,
    heldout: str | Path | None = None,
    limit: int | None = None,
    batch: int = 1,
    lease: timedelta = LEASE,
    work_dir: str | Path | None = None,
    endpoint: str | None = None,
    token: str | None = None,
) -> WorkReport:
    """One pass of the worker: accept request PRs, requeue expired leases, run up to `batch` requests.

    Args:
        benchmark: Hub dataset repo id of the benchmark (the token must own it).
        executor: Where evaluations run (default: in this process).
        key: The benchmark's official evaluator key (default ``$FFASR_KEY`` / the default key file).
        heldout: Local held-out benchmark folder (split ``heldout``); its values are published, never its data.
        limit: Samples per task (None: all; official runs use all).
        batch: Requests claimed at once (the Ray executor runs them in parallel).
        lease: How long a claim lasts before another worker may take the request over.
        work_dir: Where run folders live (a re-run of the same request resumes its runs).
        endpoint: Hub address (default ``HF_ENDPOINT``).
        token: Hub token of the benchmark owner (default ``HF_TOKEN``).

    Raises:
        QueueError: If the token does not own the benchmark or no official key is configured.

    Example:
        >>> report = work_once("ffasr/far-field-bench", key="official.pem")  # doctest: +SKIP
        >>> report.done
        ['r-0c1f2e3d4a5b']
    """
    api = HfApi(endpoint=endpoint, token=token)
    owner, namespaces = whoami(api)
    if benchmark.split("/")[0] not in namespaces:
        raise QueueError(f"{owner} does not own {benchmark}: the official queue is worked by the benchmark's owner")
    signing_key = resolve_key(key)
    if signing_key is None:
        raise QueueError("the worker signs with the benchmark's official key: pass --key FILE or set FFASR_KEY")
    report = WorkReport()
    _accept_prs(api, benchmark, owner, report)
    _requeue_expired(api, benchmark, owner, report)
    worker = f"{owner}@{socket.gethostname()}:{os.getpid()}"
    claimed = _claim(api, benchmark, owner, worker, batch, lease)
    if not claimed:
        return report
    root = Path(work_dir) if work_dir else Path(tempfile.gettempdir()) / "ffasr-queue"
    jobs = [EvalJob(r, root / r.id, Path(heldout) if heldout else None, limit, api.endpoint, token) for r in claimed]
    for job, outcome in zip(jobs, (executor or LocalExecutor()).run(jobs), strict=True):
        final = _finish(api, job, outcome, signing_key, endpoint, token)
        update(api, benchmark, lambda requests, _, f=final: [f] if getattr(requests.get(f.id), "worker", None) == worker else [],
               by=owner, message=f"Queue: {final.id} {final.status}")
        (report.done if final.status == "done" else report.failed).append(final.id)
    return report
